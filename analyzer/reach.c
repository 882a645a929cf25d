// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which rules can match at all: a per-table dataflow over the chain graph
 * with packet sets (analysis-model.md §3, §4).
 *
 * For a chain C with entry set E (every packet for a builtin chain, the
 * union of what the jumping rules let through for a user chain), the rules
 * are walked in order with rem, the packets that may still be in C:
 *   a rule ending the walk (ACCEPT, DROP, REJECT, NAT, ..., RETURN, -g)
 *     removes the packets it surely matches;
 *   -j D removes those it surely matches that surely end in D (T(D));
 *   a rule that may rewrite marks (MARK, CONNMARK, a chain doing so)
 *     forgets the marks of the packets it may match.
 * A rule is unreachable when rem and what it may match do not meet while
 * E and it do: the earlier rules of the chain took every such packet.
 * rem only ever grows by approximations, so such a claim is always true.
 *
 * T(D), the packets that surely end in a verdict inside D, is computed the
 * same way, callees first. Work is done only where it can matter: chains
 * where no rule can block a later one, and whose callees need nothing,
 * cost no BDD operation at all (a kube-proxy dump is mostly such chains).
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/pred.h"
#include "iptlint/arena.h"
#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "iptlint/pktset.h"
#include "iptlint/reach.h"

enum rule_kind {
	RK_NONE,	/* falls through */
	RK_END,		/* ends the walk: verdict */
	RK_RETURN,
	RK_GOTO,
	RK_JUMP,
};

struct chain_state {
	bool summarised;	/* flags below are valid */
	bool may_end;		/* some packet may end in a verdict in it */
	bool may_mark;		/* it may rewrite nfmark/ctmark */
	bool needs_exact;	/* a rule may block a later one */
	bool needs_entry;	/* its entry set is needed (by it or callees) */
	bool needs_term;	/* T() is needed */
	bool term_done;
	bool entry_set;
	BDD entry;		/* referenced once entry_set */
	BDD term;		/* T(): packets that surely end in it */
	struct pred *preds;	/* per rule index, built on demand */
	uint8_t *have_pred;
};

struct reach_ctx {
	struct lint *lint;
	struct reach *out;
	const struct cfg_table *ct;
	const struct ast_table *t;
	struct pktset ps;
	struct chain_state *cs;
	uint32_t *walk;		/* order positions of the chains to walk, last first */
	uint32_t nwalk;
	BDD universe;		/* for this table */
	bool failed;
	bool refused;	/* the kernel refuses the table: claim nothing */
};

/* ------------------------------------------------- keeping sets small */

/*
 * Entry sets and T() sets are unions and complements of many rules and can
 * grow to millions of nodes, making every later operation slow. Past this
 * size they are coarsened: an entry set (an over-approximation) forgets
 * fields, a T() set (an under-approximation) keeps only what holds for
 * every value of them. Either way claims stay true; only precision goes.
 */
#define REACH_SET_NODES	4096

static BDD fields_set(struct reach_ctx *x, enum ps_field from)
{
	enum ps_field f[PS__FIELDS];
	int n = 0;

	for (int k = from; k < PS__FIELDS; k++)
		f[n++] = (enum ps_field)k;
	return ps_fields_varset(&x->ps, f, n);
}

/* Takes the reference of @set; returns a referenced, smaller superset. */
static BDD coarsen_over(struct reach_ctx *x, BDD set)
{
	BDD vars, c;

	if (set == bddtrue || set == bddfalse || bdd_nodecount(set) <= REACH_SET_NODES)
		return set;
	vars = fields_set(x, PS_DST);
	c = ps_ref(bdd_exist(set, vars));
	ps_unref(vars);
	ps_unref(set);
	if (bdd_nodecount(c) > REACH_SET_NODES) {
		ps_unref(c);
		c = ps_ref(x->universe);
	}
	return c;
}

/* Takes the reference of @set; returns a referenced, smaller subset. */
static BDD coarsen_under(struct reach_ctx *x, BDD set)
{
	BDD vars, c;

	if (set == bddtrue || set == bddfalse || bdd_nodecount(set) <= REACH_SET_NODES)
		return set;
	vars = fields_set(x, PS_DST);
	c = ps_ref(bdd_forall(set, vars));
	ps_unref(vars);
	ps_unref(set);
	if (bdd_nodecount(c) > REACH_SET_NODES) {
		ps_unref(c);
		c = ps_ref(bddfalse);
	}
	return c;
}

/* ------------------------------------------------------------ rules */

static bool rule_writes_marks(const struct ast_rule *r)
{
	const struct ext *te = ast_rule_target_ext(r);

	/* -m socket sets AST_TESTS_MARK: most rules need not read matches. */
	for (uint32_t m = 1; (r->tests & AST_TESTS_MARK) && m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];
		const struct ast_opt *opts = ast_match_opts(r, am);

		if ((int32_t)m == r->target || !ast_match_ext(am))
			continue;
		/* -m socket --restore-skmark writes nfmark from a match. */
		if (am->ext_id == EXT_ID_socket)
			for (uint32_t k = 0; k < ast_match_nopts(r, am); k++)
				if (ast_opt_id(&opts[k]) == OPT_socket_RESTORE_SKMARK)
					return true;
	}
	if (r->target < 0)
		return false;
	if (!te)
		return !r->jump;	/* an unknown target may do anything */
	switch (te->id) {
	case EXT_ID_MARK:
	case EXT_ID_CONNMARK:
	case EXT_ID_SET:
	case EXT_ID_HMARK:
	case EXT_ID_TPROXY:
		return true;
	default:
		return false;
	}
}

static enum rule_kind rule_kind(const struct ast_rule *r)
{
	/* Many passes look at every rule: not its matches, if they can help it. */
	const struct ext *te = ast_rule_target_ext(r);

	if (r->target < 0)
		return RK_NONE;
	/* A target the table refuses (wrong-table) proves nothing. */
	if (te && te->tables && r->table->kind >= 0 &&
	    !(te->tables & TBL(r->table->kind)))
		return RK_NONE;
	if (!te)
		return r->jump && !r->jump_builtin ? (r->is_goto ? RK_GOTO : RK_JUMP)
						    : RK_NONE;
	switch (te->verdict) {
	case VERDICT_ACCEPT:
	case VERDICT_DROP:
	case VERDICT_QUEUE:
	case VERDICT_NAT:
		return RK_END;
	case VERDICT_TERMINAL:
		/* SYNPROXY ends the walk only for SYN and ACK packets. */
		return te->id == EXT_ID_SYNPROXY ? RK_NONE : RK_END;
	case VERDICT_RETURN:
		return RK_RETURN;
	default:
		return RK_NONE;
	}
}

static struct chain_state *state_of(struct reach_ctx *x, const struct ast_chain *c)
{
	return &x->cs[c->id];
}

/* The state of the chain @r jumps to (r->jump_id: no read of the chain). */
static struct chain_state *jump_state(struct reach_ctx *x, const struct ast_rule *r)
{
	return &x->cs[r->jump_id];
}

/* ------------------------------------------------- cheap chain flags */

/* Could @r take packets away from the rules after it? */
static bool may_block(struct reach_ctx *x, const struct ast_rule *r,
		      enum rule_kind kind)
{
	/* A -4/-6 line of a file whose family is unknown may not be loaded. */
	if (kind == RK_NONE || r->only_family)
		return false;
	if (kind == RK_JUMP && !jump_state(x, r)->may_end)
		return false;
	return pred_rule_is_exact(r);	/* last: it reads the matches */
}

/*
 * One pass, callees first (reverse cfg order): what each chain may do
 * (end packets, rewrite marks) and what the walk will need of it (exact
 * sets where a rule may block a later one, entry sets where it or a callee
 * needs them). A callee not summarised yet sits on a cycle (refused by the
 * kernel anyway): assume the worst of it.
 */
static void summarise(struct reach_ctx *x)
{
	const struct ast_table *t = x->t;

	for (uint32_t k = t->nchains; k-- > 0;) {
		const struct ast_chain *c = cfg_order_chain(x->ct, k, -1);
		struct chain_state *s = state_of(x, c);
		unsigned int hooks = x->ct->chains[c->id].hooks;

		cfg_for_each_rule(r, c) {
			enum rule_kind kind = rule_kind(r);
			const struct chain_state *d = NULL;
			const struct ext *te = ast_rule_target_ext(r);

			/* A target the hooks refuse (wrong-chain): the kernel refuses the table. */
			if (te && te->hooks && (hooks & ~te->hooks & HOOK_ANY))
				x->refused = true;

			if (kind == RK_END)
				s->may_end = true;
			if (rule_writes_marks(r))
				s->may_mark = true;
			if (kind == RK_JUMP || kind == RK_GOTO) {
				d = jump_state(x, r);
				s->may_end |= !d->summarised || d->may_end;
				s->may_mark |= !d->summarised || d->may_mark;
				s->needs_entry |= d->needs_entry;
			}
			if (r->next_in_chain && may_block(x, r, kind))
				s->needs_exact = true;
		}
		s->needs_entry |= s->needs_exact;
		s->summarised = true;
		/* Final now: callers never change it. */
		if (s->needs_entry && hooks && !x->refused)
			x->walk[x->nwalk++] = k;
	}
}

/* ------------------------------------------------------- predicates */

static const struct pred *rule_pred(struct reach_ctx *x, const struct ast_rule *r)
{
	struct chain_state *s = state_of(x, r->chain);

	if (!s->preds) {
		s->preds = calloc(r->chain->nrules ? r->chain->nrules : 1,
				  sizeof(*s->preds));
		s->have_pred = calloc(r->chain->nrules ? r->chain->nrules : 1, 1);
		if (!s->preds || !s->have_pred)
			abort();
	}
	if (!s->have_pred[r->index]) {
		pred_build(&x->ps, r, &s->preds[r->index]);
		s->have_pred[r->index] = 1;
	}
	return &s->preds[r->index];
}

/* ------------------------------------------------------------- T() */

static BDD term_of(struct reach_ctx *x, const struct ast_chain *d);

/*
 * T(c): packets (as they enter c) that surely end in a verdict inside c.
 * Once c may have rewritten marks, tests on marks no longer speak about
 * the entry packet: they are widened (over) and narrowed (under) over all
 * mark values.
 */
static void compute_term(struct reach_ctx *x, const struct ast_chain *c)
{
	struct chain_state *s = state_of(x, c);
	BDD rem = ps_ref(x->universe), term = ps_ref(bddfalse);
	bool dirty = false;

	cfg_for_each_rule(r, c) {
		enum rule_kind kind = rule_kind(r);
		const struct pred *p;
		BDD over, under;

		if (rem == bddfalse || x->failed)
			break;
		if (kind == RK_NONE) {
			dirty |= rule_writes_marks(r);
			continue;
		}
		if (kind == RK_JUMP && !jump_state(x, r)->may_end) {
			dirty |= jump_state(x, r)->may_mark ||
				 rule_writes_marks(r);
			continue;
		}
		p = rule_pred(x, r);
		over = dirty ? ps_forget_marks(&x->ps, p->over) : ps_ref(p->over);
		under = dirty ? ps_ref(bdd_forall(p->under, x->ps.marks))
			      : ps_ref(p->under);
		if (kind == RK_END || kind == RK_GOTO || kind == RK_JUMP) {
			BDD got = ps_and(rem, under);

			if (kind != RK_END)
				ps_and_in(&got, term_of(x, r->jump));
			ps_or_in(&term, got);
			ps_unref(got);
		}
		/* Whatever may have matched is not surely still here. */
		ps_diff_in(&rem, over);
		if (kind == RK_JUMP)
			dirty |= jump_state(x, r)->may_mark;
		dirty |= rule_writes_marks(r);
		ps_unref(over);
		ps_unref(under);
		if (ps_over_budget())
			x->failed = true;
	}
	ps_unref(rem);
	if (x->failed) {
		ps_unref(term);
		term = ps_ref(bddfalse);
	}
	s->term = coarsen_under(x, term);
	s->term_done = true;
}

/*
 * A cheap look before any BDD work: when the first rule that can take
 * packets out of @d matches everything it sees but is not fully modelled
 * (kube-proxy's "-m statistic -j KUBE-SEP-..."), nothing surely ends in d.
 */
static bool term_surely_empty(struct reach_ctx *x, const struct ast_chain *d)
{
	cfg_for_each_rule(r, d) {
		enum rule_kind kind = rule_kind(r);

		if (kind == RK_NONE)
			continue;
		if (kind == RK_JUMP && !jump_state(x, r)->may_end)
			continue;
		return !pred_rule_is_exact(r) && pred_rule_is_unconditional(r);
	}
	return true;
}

/*
 * Chains are called at most as deep as the graph is, so recursion here is
 * bounded by the nesting depth: explicit work list to stay off the stack.
 */
static BDD term_of(struct reach_ctx *x, const struct ast_chain *d)
{
	struct chain_state *s = state_of(x, d);
	const struct ast_chain **stack;
	uint32_t n = 0;

	if (s->term_done)
		return s->term;
	if (!s->may_end || term_surely_empty(x, d)) {
		s->term = ps_ref(bddfalse);
		s->term_done = true;
		return s->term;
	}
	stack = malloc(x->t->nchains * sizeof(*stack) + sizeof(*stack));
	if (!stack)
		abort();
	stack[n++] = d;
	/* Compute callees first: push unfinished ones, finish when all are done. */
	while (n) {
		const struct ast_chain *c = stack[n - 1];
		bool pushed = false;

		if (state_of(x, c)->term_done) {
			n--;
			continue;
		}
		state_of(x, c)->needs_term = true;	/* marks "in progress" */
		cfg_for_each_rule(r, c) {
			enum rule_kind kind = rule_kind(r);
			struct chain_state *cs;

			if (kind != RK_JUMP && kind != RK_GOTO)
				continue;
			cs = jump_state(x, r);
			if (cs->term_done || !cs->may_end)
				continue;
			if (cs->needs_term) {
				/* A cycle: nothing surely ends through it. */
				cs->term = ps_ref(bddfalse);
				cs->term_done = true;
				continue;
			}
			stack[n++] = r->jump;
			pushed = true;
			break;
		}
		if (!pushed) {
			compute_term(x, c);
			n--;
		}
	}
	free(stack);
	return s->term;
}

/* ------------------------------------------------------ the walk */

static void add_finding(struct reach_ctx *x, const struct ast_rule *r,
			const struct ast_rule **blockers, uint32_t n)
{
	struct reach *out = x->out;
	struct reach_finding *f;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = realloc(out->v, out->cap * sizeof(*out->v));
		if (!out->v)
			abort();
	}
	f = &out->v[out->n++];
	f->rule = r;
	f->nblockers = n;
	/* The notes name a few: 65,536 port rules could block each finding. */
	if (n > REACH_BLOCKERS_KEPT)
		n = REACH_BLOCKERS_KEPT;
	f->blockers = malloc((n ? n : 1) * sizeof(*f->blockers));
	if (!f->blockers)
		abort();
	/* None when explain() ran out of budget: no memcpy from NULL. */
	if (n)
		memcpy(f->blockers, blockers, n * sizeof(*blockers));
}

/* What an earlier rule surely takes away from the rules after it (referenced). */
static BDD blockset(struct reach_ctx *x, const struct ast_rule *b)
{
	enum rule_kind kind = rule_kind(b);
	const struct pred *p = rule_pred(x, b);

	if (kind == RK_JUMP)
		return ps_and(p->under, term_of(x, b->jump));
	return ps_ref(p->under);
}

/*
 * The earlier rules of a chain that take packets away, indexed by one
 * exact value they test, so that a rule is compared only with the rules
 * it can meet: a 50,000-rule chain costs no BDD work for rules no earlier
 * rule overlaps. The value is the first of: a single destination host
 * (kube-proxy writes one rule per service address), a single destination
 * port, a single source host, a single source port. A rule with that
 * value compares with the
 * earlier rules of the same value (and those without any); a rule
 * without it, with all of them. Naming the rules behind each finding
 * (explain) has a budget per chain, so that 20,000 findings that each
 * meet 20,000 unindexed rules do not cost 400 million BDD operations.
 *
 * Rewriting marks (an "epoch" ends at every rule that may) lets packets a
 * blocker removed come back with other marks: a blocker's set then only
 * counts for the packets it takes whatever their marks (forall marks).
 *
 * The unions are cut down (coarsen_under: smaller covers claim less)
 * when they grow past REACH_SET_NODES: 10,000 rules dropping host+port
 * pairs made every later port rule's cover 10,000 pairs big, quadratic.
 */
enum key_class {
	KEY_NONE,	/* no exact value: compared with everything */
	KEY_DST,
	KEY_DPORT,
	KEY_SRC,
	KEY_SPORT,
	KEY__COUNT
};

/* A rule's exact values, the bytes zero-padded to 16. */
struct rule_keys {
	bool has[KEY__COUNT];
	uint8_t key[KEY__COUNT][16];
};

struct blocker {
	const struct ast_rule *rule;
	BDD set;		/* referenced: what it takes, as of epoch */
	uint32_t epoch;
	int32_t next_same_key;	/* index, -1 ends */
	int32_t next_in_class;	/* the previous one of its class, -1 ends */
	uint8_t cls;		/* enum key_class it is indexed by */
};

struct key_slot {
	uint8_t key[16];
	uint8_t cls;
	int32_t head;		/* newest blocker with this key, -1 empty */
	BDD all;		/* referenced union of their sets, as of epoch */
	uint32_t epoch;
	uint32_t adds;
};

/* The union of one class's sets, built on first need. */
struct class_union {
	BDD all;
	uint32_t epoch;
	uint32_t adds;
	bool built;
};

struct blockers {
	struct blocker *v;
	uint32_t n, cap;
	struct key_slot *slots;
	uint32_t nslots, nkeys;
	BDD keyless;		/* union of unkeyed blockers' sets */
	uint32_t keyless_adds;
	int32_t class_head[KEY__COUNT];	/* newest blocker of each class */
	struct class_union cu[KEY__COUNT];
	uint32_t epoch;
	int keylen;
	uint64_t explain_budget;	/* blockers explain() may still look at */
};

static void blockers_init(struct blockers *bl, int keylen,
			  const struct ast_chain *chain)
{
	memset(bl, 0, sizeof(*bl));
	bl->keyless = bddfalse;
	bl->keylen = keylen;
	bl->explain_budget = 64 * (uint64_t)chain->nrules + 65536;
	for (int c = 0; c < KEY__COUNT; c++)
		bl->class_head[c] = -1;
}

/* A single host of option @id, not inverted. */
static bool addr_key(const struct ast_rule *r, enum opt_id id, int keylen,
		     uint8_t *key)
{
	const struct ast_opt *o = ast_rule_find_opt(r, id);
	const struct val_addr *a;

	if (!o || o->invert || o->kind != VAL_ADDRS || !o->v.addrs ||
	    o->v.addrs->n != 1)
		return false;
	a = &o->v.addrs->v[0];
	if (!a->family || a->plen != keylen * 8)
		return false;
	memcpy(key, a->addr, (size_t)keylen);
	return true;
}

/* A single port of -p tcp/udp --dport (@tcp_id, @udp_id), not inverted. */
static bool port_key(const struct ast_rule *r, enum opt_id tcp_id,
		     enum opt_id udp_id, uint8_t *key)
{
	const struct ast_opt *o = ast_rule_find_opt(r, tcp_id);

	if (!o)
		o = ast_rule_find_opt(r, udp_id);
	if (!o || o->invert || o->kind != VAL_RANGE ||
	    o->v.range.lo != o->v.range.hi)
		return false;
	key[0] = (uint8_t)(o->v.range.lo >> 8);
	key[1] = (uint8_t)o->v.range.lo;
	return true;
}

static void rule_keys(const struct ast_rule *r, int keylen,
		      struct rule_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->has[KEY_DST] = addr_key(r, OPT_ip_DESTINATION, keylen,
				   k->key[KEY_DST]);
	k->has[KEY_DPORT] = port_key(r, OPT_tcp_DPORT, OPT_udp_DPORT,
				     k->key[KEY_DPORT]);
	k->has[KEY_SRC] = addr_key(r, OPT_ip_SOURCE, keylen, k->key[KEY_SRC]);
	k->has[KEY_SPORT] = port_key(r, OPT_tcp_SPORT, OPT_udp_SPORT,
				     k->key[KEY_SPORT]);
}

/* The class a blocker is indexed by: its first exact value. */
static enum key_class key_class_of(const struct rule_keys *k)
{
	for (int c = KEY_NONE + 1; c < KEY__COUNT; c++)
		if (k->has[c])
			return (enum key_class)c;
	return KEY_NONE;
}

static uint32_t key_hash(uint8_t cls, const uint8_t *k)
{
	uint32_t h = 2166136261u ^ cls;

	for (int i = 0; i < 16; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static struct key_slot *key_find(struct blockers *bl, uint8_t cls,
				 const uint8_t *key, bool create)
{
	uint32_t i;

	if (create && (bl->nkeys + 1) * 2 > bl->nslots) {
		struct key_slot *old = bl->slots;
		uint32_t oldn = bl->nslots;

		bl->nslots = oldn ? oldn * 2 : 64;
		bl->slots = calloc(bl->nslots, sizeof(*bl->slots));
		if (!bl->slots)
			abort();
		for (uint32_t k = 0; k < bl->nslots; k++)
			bl->slots[k].head = -1;
		for (uint32_t k = 0; k < oldn; k++) {
			if (old[k].head < 0)
				continue;
			i = key_hash(old[k].cls, old[k].key) & (bl->nslots - 1);
			while (bl->slots[i].head >= 0)
				i = (i + 1) & (bl->nslots - 1);
			bl->slots[i] = old[k];
		}
		free(old);
	}
	if (!bl->nslots)
		return NULL;
	i = key_hash(cls, key) & (bl->nslots - 1);
	while (bl->slots[i].head >= 0) {
		if (bl->slots[i].cls == cls && !memcmp(bl->slots[i].key, key, 16))
			return &bl->slots[i];
		i = (i + 1) & (bl->nslots - 1);
	}
	if (!create)
		return NULL;
	memcpy(bl->slots[i].key, key, 16);
	bl->slots[i].cls = cls;
	bl->slots[i].all = ps_ref(bddfalse);
	bl->slots[i].epoch = bl->epoch;
	bl->slots[i].adds = 0;
	bl->nkeys++;
	return &bl->slots[i];
}

/* Bring a set made in an older epoch up to date: keep what holds for all marks. */
static void catch_up(struct reach_ctx *x, BDD *set, uint32_t *epoch,
		     uint32_t now)
{
	if (*epoch == now)
		return;
	if (*set != bddfalse) {
		BDD f = ps_ref(bdd_forall(*set, x->ps.marks));

		ps_unref(*set);
		*set = f;
	}
	*epoch = now;
}

/*
 * @set |= @add, kept under REACH_SET_NODES (looked at every 16th time:
 * counting the nodes costs as much as the set is big).
 */
static void union_in(struct reach_ctx *x, BDD *set, BDD add, uint32_t *adds)
{
	ps_or_in(set, add);
	if (++*adds % 16 == 0)
		*set = coarsen_under(x, *set);
}

static void blockers_add(struct reach_ctx *x, struct blockers *bl,
			 const struct ast_rule *r, BDD set)
{
	struct blocker *b;
	struct rule_keys k;
	enum key_class cls;

	if (bl->n == bl->cap) {
		bl->cap = bl->cap ? bl->cap * 2 : 16;
		bl->v = realloc(bl->v, bl->cap * sizeof(*bl->v));
		if (!bl->v)
			abort();
	}
	rule_keys(r, bl->keylen, &k);
	cls = key_class_of(&k);
	b = &bl->v[bl->n];
	b->rule = r;
	b->set = ps_ref(set);
	b->epoch = bl->epoch;
	b->next_same_key = -1;
	b->cls = (uint8_t)cls;
	b->next_in_class = bl->class_head[cls];
	bl->class_head[cls] = (int32_t)bl->n;
	if (cls != KEY_NONE) {
		struct key_slot *ks = key_find(bl, (uint8_t)cls, k.key[cls],
					       true);
		struct class_union *cu = &bl->cu[cls];

		catch_up(x, &ks->all, &ks->epoch, bl->epoch);
		union_in(x, &ks->all, set, &ks->adds);
		b->next_same_key = ks->head;
		ks->head = (int32_t)bl->n;
		if (cu->built) {
			catch_up(x, &cu->all, &cu->epoch, bl->epoch);
			union_in(x, &cu->all, set, &cu->adds);
		}
	} else {
		union_in(x, &bl->keyless, set, &bl->keyless_adds);
	}
	bl->n++;
}

static void blockers_new_epoch(struct reach_ctx *x, struct blockers *bl)
{
	uint32_t e = bl->epoch;

	bl->epoch++;
	catch_up(x, &bl->keyless, &e, bl->epoch);
}

/* The union of every blocker of class @cls, as of now. */
static BDD class_union(struct reach_ctx *x, struct blockers *bl,
		       enum key_class cls)
{
	struct class_union *cu = &bl->cu[cls];

	if (!cu->built) {
		cu->all = ps_ref(bddfalse);
		cu->epoch = bl->epoch;
		for (uint32_t i = 0; i < bl->nslots; i++)
			if (bl->slots[i].head >= 0 && bl->slots[i].cls == cls) {
				catch_up(x, &bl->slots[i].all,
					 &bl->slots[i].epoch, bl->epoch);
				union_in(x, &cu->all, bl->slots[i].all,
					 &cu->adds);
			}
		cu->built = true;
	}
	catch_up(x, &cu->all, &cu->epoch, bl->epoch);
	return cu->all;
}

/* What earlier rules take of the packets a rule with keys @k may match. */
static BDD blockers_cover(struct reach_ctx *x, struct blockers *bl,
			  const struct rule_keys *k)
{
	BDD cover = ps_ref(bl->keyless);

	for (int c = KEY_NONE + 1; c < KEY__COUNT; c++) {
		if (bl->class_head[c] < 0)
			continue;
		if (k->has[c]) {
			struct key_slot *ks = key_find(bl, (uint8_t)c, k->key[c],
						       false);

			if (!ks)
				continue;
			catch_up(x, &ks->all, &ks->epoch, bl->epoch);
			ps_or_in(&cover, ks->all);
		} else {
			ps_or_in(&cover, class_union(x, bl, (enum key_class)c));
		}
	}
	return cover;
}

static void blockers_free(struct blockers *bl)
{
	for (uint32_t i = 0; i < bl->n; i++)
		ps_unref(bl->v[i].set);
	for (uint32_t i = 0; i < bl->nslots; i++)
		if (bl->slots[i].head >= 0)
			ps_unref(bl->slots[i].all);
	for (int c = 0; c < KEY__COUNT; c++)
		if (bl->cu[c].built)
			ps_unref(bl->cu[c].all);
	ps_unref(bl->keyless);
	free(bl->v);
	free(bl->slots);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The blockers a rule with keys @k can meet, in chain order: the keyless
 * ones, and per class those of its value (or all, without one).
 */
static uint32_t blockers_meeting(const struct blockers *bl,
				 const struct rule_keys *k, uint32_t *out,
				 uint64_t max)
{
	uint32_t n = 0;

	for (int c = KEY_NONE; c < KEY__COUNT; c++) {
		if (c != KEY_NONE && k->has[c]) {
			const struct key_slot *ks = key_find(
				(struct blockers *)bl, (uint8_t)c, k->key[c],
				false);

			for (int32_t i = ks ? ks->head : -1; i >= 0 && n <= max;
			     i = bl->v[i].next_same_key)
				out[n++] = (uint32_t)i;
			continue;
		}
		for (int32_t i = bl->class_head[c]; i >= 0 && n <= max;
		     i = bl->v[i].next_in_class)
			out[n++] = (uint32_t)i;
	}
	if (n > max)
		return n;	/* over budget: not sorted, not used */
	qsort(out, n, sizeof(*out), cmp_u32);
	return n;
}

/*
 * The notes: the smallest set of the blockers @r can meet that still
 * covers @target. Greedy: drop a rule whenever the others still cover.
 */
static void explain(struct reach_ctx *x, struct blockers *bl,
		    const struct ast_rule *r, BDD target,
		    const struct rule_keys *k)
{
	enum { MAX_MINIMISE = 64 };
	uint32_t ncand = 0, nkeep = 0, nmeet;
	uint32_t *meet = malloc((bl->n + 1) * sizeof(*meet));
	uint32_t *cand;
	BDD *sets;
	bool *keep;
	const struct ast_rule **out;

	if (!meet)
		abort();
	nmeet = blockers_meeting(bl, k, meet, bl->explain_budget);
	if (nmeet > bl->explain_budget) {
		/* Too many findings to name the rules of each: claim only. */
		free(meet);
		bl->explain_budget = 0;
		add_finding(x, r, NULL, 0);
		return;
	}
	bl->explain_budget -= nmeet;
	cand = malloc((nmeet ? nmeet : 1) * sizeof(*cand));
	sets = calloc(nmeet ? nmeet : 1, sizeof(*sets));
	keep = calloc(nmeet ? nmeet : 1, sizeof(*keep));
	out = malloc((nmeet ? nmeet : 1) * sizeof(*out));
	if (!cand || !sets || !keep || !out)
		abort();
	for (uint32_t m = 0; m < nmeet; m++) {
		uint32_t i = meet[m];
		struct blocker *b = &bl->v[i];

		catch_up(x, &b->set, &b->epoch, bl->epoch);
		sets[ncand] = ps_and(b->set, target);
		if (sets[ncand] == bddfalse)
			continue;
		keep[ncand] = true;
		cand[ncand++] = i;
	}
	free(meet);
	if (ncand <= MAX_MINIMISE) {
		for (uint32_t i = ncand; i-- > 0;) {
			BDD rest = ps_ref(bddfalse), left;

			keep[i] = false;
			for (uint32_t j = 0; j < ncand; j++)
				if (keep[j])
					ps_or_in(&rest, sets[j]);
			left = ps_diff(target, rest);
			if (left != bddfalse)
				keep[i] = true;	/* needed: the others leave a gap */
			ps_unref(left);
			ps_unref(rest);
		}
	}
	for (uint32_t i = 0; i < ncand; i++) {
		if (keep[i])
			out[nkeep++] = bl->v[cand[i]].rule;
		ps_unref(sets[i]);
	}
	add_finding(x, r, out, nkeep);
	free(out);
	free(keep);
	free(sets);
	free(cand);
}

static void add_entry(struct reach_ctx *x, const struct ast_chain *d, BDD set)
{
	struct chain_state *s = state_of(x, d);

	if (!s->entry_set) {
		s->entry = ps_ref(bddfalse);
		s->entry_set = true;
	}
	ps_or_in(&s->entry, set);
}

static void walk_chain(struct reach_ctx *x, const struct ast_chain *c)
{
	struct chain_state *s = state_of(x, c);
	struct blockers bl;
	BDD entry = c->builtin ? x->universe :
		    s->entry_set ? s->entry : bddfalse;

	if (!s->needs_entry || entry == bddfalse)
		return;
	blockers_init(&bl, x->ps.addr_bytes, c);
	entry = coarsen_over(x, ps_ref(entry));
	cfg_for_each_rule(r, c) {
		enum rule_kind kind = rule_kind(r);
		bool feeds = (kind == RK_JUMP || kind == RK_GOTO) &&
			     jump_state(x, r)->needs_entry;
		bool blocks = s->needs_exact && may_block(x, r, kind) &&
			      (kind != RK_JUMP ||
			       term_of(x, r->jump) != bddfalse);
		bool havoc = s->needs_exact &&
			     (rule_writes_marks(r) ||
			      (kind == RK_JUMP && jump_state(x, r)->may_mark));
		struct rule_keys keys;
		const struct pred *p;
		BDD cover = bddfalse, target, reach;

		if (x->failed)
			break;
		if (bl.n) {
			rule_keys(r, bl.keylen, &keys);
			cover = blockers_cover(x, &bl, &keys);
		}
		if (cover == bddfalse && !feeds && !blocks) {
			if (havoc && bl.n)
				blockers_new_epoch(x, &bl);
			if (havoc) {
				BDD e = ps_forget_marks(&x->ps, entry);

				ps_unref(entry);
				entry = e;
			}
			continue;	/* nothing to learn, nothing to give */
		}
		p = rule_pred(x, r);
		target = ps_and(entry, p->over);
		reach = ps_diff(target, cover);
		if (reach == bddfalse && target != bddfalse && cover != bddfalse &&
		    !r->only_family)
			explain(x, &bl, r, target, &keys);
		if (feeds && reach != bddfalse)
			add_entry(x, r->jump, reach);
		if (blocks) {
			BDD take = blockset(x, r);

			if (take != bddfalse)
				blockers_add(x, &bl, r, take);
			ps_unref(take);
		}
		if (havoc) {
			BDD e = ps_forget_marks(&x->ps, entry);

			ps_unref(entry);
			entry = e;
			if (bl.n)
				blockers_new_epoch(x, &bl);
		}
		ps_unref(cover);
		ps_unref(target);
		ps_unref(reach);
		if (ps_over_budget())
			x->failed = true;
	}
	ps_unref(entry);
	blockers_free(&bl);
}

/* nat chains see only the first packet of a connection (NEW or RELATED). */
static BDD table_universe(struct reach_ctx *x)
{
	BDD n, r, u;

	if (x->t->kind != TABLE_NAT)
		return ps_ref(x->ps.universe);
	n = ps_uint_masked(&x->ps, PS_CTSTATE, PS_CT_NEW, 7);
	r = ps_uint_masked(&x->ps, PS_CTSTATE, PS_CT_RELATED, 7);
	u = ps_or(n, r);
	ps_unref(n);
	ps_unref(r);
	return u;
}

/*
 * What the walk of table @ct will need (no BDD work): false when nothing,
 * and the table costs no packet sets at all.
 */
static bool analyse_plan(struct reach_ctx *x, const struct cfg_table *ct)
{
	const struct ast_table *t = ct->table;

	x->ct = ct;
	x->t = t;
	x->cs = arena_heap_zalloc(t->nchains, sizeof(*x->cs));
	x->walk = arena_heap_zalloc(t->nchains, sizeof(*x->walk));
	x->nwalk = 0;
	x->refused = false;
	summarise(x);
	return x->nwalk && !x->refused;
}

static void analyse_walk(struct reach_ctx *x)
{
	/* Only the chains whose entry sets are needed, callers first. */
	x->universe = table_universe(x);
	for (uint32_t i = x->nwalk; i-- > 0 && !x->failed;)
		walk_chain(x, x->ct->order[x->walk[i]]);
	ps_unref(x->universe);
}

static void analyse_done(struct reach_ctx *x)
{
	const struct ast_table *t = x->t;

	for (uint32_t i = 0; i < t->nchains; i++) {
		struct chain_state *s = &x->cs[i];

		if (s->preds)
			for (uint32_t k = 0; k < t->chains[i]->nrules; k++)
				if (s->have_pred[k])
					pred_free(&s->preds[k]);
		free(s->preds);
		free(s->have_pred);
		if (s->entry_set)
			ps_unref(s->entry);
		if (s->term_done)
			ps_unref(s->term);
	}
	free(x->cs);
	x->cs = NULL;
	free(x->walk);
	x->walk = NULL;
}

/*
 * The BuDDy manager for @family: set up once and kept for the following
 * tables of that family (a file of 100,000 "*filter ... COMMIT" blocks
 * would spend its time in bdd_init), their dead nodes collected when they
 * take up half the budget. Returns false when BuDDy cannot start.
 */
static bool use_family(struct reach_ctx *x, int *running, int family)
{
	if (*running == family) {
		if (bdd_getnodenum() > PS_NODE_BUDGET / 2)
			bdd_gbc();
		return true;
	}
	if (*running)
		pktset_fini(&x->ps);
	*running = 0;
	if (!pktset_init(&x->ps, family))
		return false;
	*running = family;
	return true;
}

const struct reach *reach_get(struct lint *lint)
{
	struct reach *out;
	const struct cfg *cfg;
	struct reach_ctx x = { .lint = lint };
	int running = 0;	/* the family of the BuDDy manager, 0: none */

	if (lint->reach)
		return lint->reach;
	out = calloc(1, sizeof(*out));
	if (!out)
		abort();
	lint->reach = out;
	x.out = out;
	cfg = cfg_get(lint);
	for (uint32_t i = 0; i < cfg->ntables; i++) {
		const struct ast_table *t = cfg->tables[i].table;

		/* A table iptables-restore or the kernel refuses: no claims. */
		if (t->kind < 0 || cfg->tables[i].ncycles || t->nerrors)
			continue;
		if (analyse_plan(&x, &cfg->tables[i])) {
			/* Each table with the address width of its own file. */
			if (use_family(&x, &running,
				       t->family == VAL_FAM_V6 ? 6 : 4)) {
				x.failed = false;
				analyse_walk(&x);
				out->gave_up |= x.failed;
			} else {
				out->gave_up = true;
			}
		}
		analyse_done(&x);
	}
	if (running)
		pktset_fini(&x.ps);
	return out;
}

void reach_free(struct reach *r)
{
	if (!r)
		return;
	for (uint32_t i = 0; i < r->n; i++)
		free(r->v[i].blockers);
	free(r->v);
	free(r);
}
