// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mark dataflow: each packet class walked along its path through the
 * hooks, each hook's tables in priority order, chains as procedures
 * (analysis-model.md §1-§4).
 *
 * A fact is what one group of packets carries at a point of the walk: its
 * class, whether it has a conntrack entry, nfmark and ctmark as tnums, and
 * for the existential checks its provenance (the MARK that wrote nfmark
 * bits, the --restore-mark that replaced them, a wide write that clobbered
 * a masked one) with a trace of the header tests its path passed since.
 * Facts only ever split at tests and are joined when there are too many,
 * so the set of facts at a rule covers every packet that reaches it: a
 * mark test false for all of them is false for every packet.
 *
 * A chain is walked once per distinct entry fact (call strings are
 * represented by the facts, as in a functional interprocedural analysis);
 * facts without provenance are memoised per chain, so a chain called from
 * 50,000 rules with the same marks is walked once.
 *
 * Claims that something happens (a mark lost, clobbered, a test of a
 * restored mark) are checked afterwards on the BuDDy thread: the trace is
 * turned into a packet set (analyzer/markwit.c) and the claim is kept only
 * when that set is not empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/markflow_int.h"
#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "iptlint/reach.h"

/* Fact flags. */
#define F_CT		0x01	/* has a conntrack entry */
#define F_NOTRACK	0x02	/* CT --notrack / NOTRACK ran (raw) */
#define F_TEMPLATE	0x04	/* CT with a template: ct is a template, unverified */
#define F_LOOP		0x08	/* local-out to a local address: leaves and comes back on lo */

#define MF_MAX_FACTS	16	/* per rule, then joined */
#define MF_MAX_ENTRIES	12	/* distinct entry facts a chain is walked with, then widened */
#define MF_MAX_DEPTH	128	/* nested calls walked; deeper: unknown effect */
/*
 * Rule visits (facts x rules) a ruleset may cost before the walk gives up
 * and the mark checks claim nothing: a base plus a multiple of its size,
 * so time stays linear in the input whatever its call graph.
 */
#define MF_BASE_STEPS	(2u * 1000 * 1000)
#define MF_STEPS_PER_RULE	24u
/*
 * Facts with provenance are not memoised; past this many steps they drop
 * it (no more existential claims), so chains are memoised again and a
 * call graph of many paths costs no more than its size.
 */
#define MF_PROV_STEPS	(2u * 1000 * 1000)
#define MF_MAX_TRACE	(4u * 1000 * 1000)
#define MF_MAX_CTVALS	8	/* distinct later-packet ctmarks kept apart */

/*
 * One thing known about a header field of the packets of a fact, from a
 * test they passed: the input interface is (or is not) @iif ("eth+" is a
 * prefix), the protocol is (or is not) @proto. Enough to follow the
 * "-i wan1 ... -i wan1" and "-p udp ... -p udp" of typical mark rules.
 */
struct hdr {
	const struct val_str *iif;	/* NULL: nothing known */
	uint16_t proto;			/* 0: nothing known */
	bool iif_not, proto_not;
};

/* The classes that share these values: ctstate tests split them. */
struct fact {
	struct tnum nf, ct;
	struct hdr h;
	uint8_t cls;		/* C() set of enum mf_class */
	uint8_t flags;
	/* provenance, for the existential checks */
	const struct ast_rule *writer;	/* MARK whose bits wbits are in nf */
	const struct ast_rule *restore;	/* --restore-mark whose bits rbits are */
	const struct ast_rule *clob_w1;	/* masked write clobbered ... */
	const struct ast_rule *clob_w2;	/* ... by this wide write, bits cbits */
	uint32_t wbits, rbits, cbits;
	const struct mf_trace *trace;
};

struct fset {
	struct fact *v;
	uint32_t n, cap;
};

/* What a walk through a chain (or a table's hook chain) leads to. */
struct outs {
	struct fset ret;	/* fell off the end or RETURN */
	struct fset acc;	/* ended this table's walk, packet goes on */
	struct fset drop;	/* ended the packet's walk */
};

struct memo_ent {
	const struct ast_chain *chain;
	struct fact key;
	struct outs outs;
	struct memo_ent *next;
};

/* The tables of one ruleset (one input file). */
struct group {
	const struct ast_table *t[TABLE__COUNT];
	const struct cfg_table *cfg[TABLE__COUNT];
	bool unknown[TABLE__COUNT];	/* refused or cyclic: effect unknown */
	/*
	 * Whether provenance can lead anywhere: a MARK's bits matter only if
	 * some --restore-mark or wide MARK may overwrite them later, so a
	 * ruleset with neither (kube-proxy's) walks without traces.
	 */
	bool track_writers;
	uint32_t ct_written;	/* ctmark bits some CONNMARK may write */
	int family;
	struct mf_sum *sum[TABLE__COUNT];	/* closed forms of chains */
};

struct walker {
	struct mf_ctx *x;
	const struct group *g;
	enum hook_kind hook;
	enum table_kind table;
	const struct ast_chain *stack[MF_MAX_DEPTH + 1];
	int depth;
	uint64_t steps;
	uint64_t max_steps;
};

/* ------------------------------------------------------------ fact sets */

static void fset_push(struct fset *s, const struct fact *f)
{
	*(struct fact *)vec_push((void **)&s->v, &s->n, &s->cap, sizeof(*f)) = *f;
}

static void fset_free(struct fset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void outs_free(struct outs *o)
{
	fset_free(&o->ret);
	fset_free(&o->acc);
	fset_free(&o->drop);
}

static bool has_prov(const struct fact *f)
{
	return f->writer || f->restore || f->clob_w2;
}

static void drop_prov(struct fact *f)
{
	f->writer = f->restore = f->clob_w1 = f->clob_w2 = NULL;
	f->wbits = f->rbits = f->cbits = 0;
	f->trace = NULL;
}

static bool same_str(const struct val_str *a, const struct val_str *b)
{
	return a == b || (a && b && a->len == b->len && !memcmp(a->s, b->s, a->len));
}

static bool same_hdr(const struct hdr *a, const struct hdr *b)
{
	return same_str(a->iif, b->iif) && a->proto == b->proto &&
	       a->iif_not == b->iif_not && a->proto_not == b->proto_not;
}

static bool same_values(const struct fact *a, const struct fact *b)
{
	return tnum_equal(a->nf, b->nf) && tnum_equal(a->ct, b->ct) &&
	       a->cls == b->cls && a->flags == b->flags && same_hdr(&a->h, &b->h);
}

static bool same_fact(const struct fact *a, const struct fact *b)
{
	return same_values(a, b) && a->writer == b->writer &&
	       a->restore == b->restore && a->clob_w1 == b->clob_w1 &&
	       a->clob_w2 == b->clob_w2 && a->wbits == b->wbits &&
	       a->rbits == b->rbits && a->cbits == b->cbits;
}

/* Add @f to @s, merging with an equal fact (their traces are joined). */
static void fset_add(struct mf_ctx *x, struct fset *s, const struct fact *f)
{
	if (tnum_is_empty(f->nf) || tnum_is_empty(f->ct))
		return;
	for (uint32_t i = 0; i < s->n; i++)
		if (same_fact(&s->v[i], f)) {
			s->v[i].trace = mf_trace_or(x, s->v[i].trace, f->trace);
			return;
		}
	fset_push(s, f);
}

/* Too many facts: join those of a class, forgetting provenance. */
static void fset_squeeze(struct fset *s)
{
	struct fset j = { 0 };

	if (s->n <= MF_MAX_FACTS)
		return;
	for (uint32_t i = 0; i < s->n; i++) {
		struct fact f = s->v[i];
		bool merged = false;

		drop_prov(&f);
		memset(&f.h, 0, sizeof(f.h));
		for (uint32_t k = 0; k < j.n && !merged; k++)
			if (j.v[k].cls == f.cls && j.v[k].flags == f.flags) {
				j.v[k].nf = tnum_join(j.v[k].nf, f.nf);
				j.v[k].ct = tnum_join(j.v[k].ct, f.ct);
				merged = true;
			}
		if (!merged)
			fset_push(&j, &f);
	}
	fset_free(s);
	*s = j;
}

/* ------------------------------------------------------ observations */

static void path_string(const struct walker *w, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s -> %s", hook_name(w->hook),
				    table_name(w->table));

	for (int d = 1; d <= w->depth && n < size; d++)
		n += (size_t)snprintf(buf + n, size - n, " -> %s",
				      w->stack[d]->name);
}

static struct mf_test *test_obs(struct walker *w, const struct ast_rule *r,
				const struct ast_opt *o, bool connmark)
{
	struct mf_ctx *x = w->x;
	struct markflow *out = x->out;
	bool found;
	uint32_t *idx = ptrmap_get(&x->tests, o, &found);
	struct mf_test *t;

	if (found)
		return &out->tests[*idx];
	*idx = out->ntests;
	t = vec_push((void **)&out->tests, &out->ntests, &x->tests_cap,
		     sizeof(*t));
	t->rule = r;
	t->opt = o;
	t->connmark = connmark;
	t->seen = TNUM_EMPTY;
	t->other = TNUM_EMPTY;
	t->ct_written = w->g->ct_written;
	path_string(w, t->path, sizeof(t->path));
	return t;
}

static struct mf_ctuse *ctuse_obs(struct walker *w, const struct ast_rule *r)
{
	struct mf_ctx *x = w->x;
	struct markflow *out = x->out;
	bool found;
	uint32_t *idx = ptrmap_get(&x->ctuses, r, &found);
	struct mf_ctuse *u;

	if (found)
		return &out->ctuses[*idx];
	*idx = out->nctuses;
	u = vec_push((void **)&out->ctuses, &out->nctuses, &x->ctuses_cap,
		     sizeof(*u));
	u->rule = r;
	u->raw_only = true;
	path_string(w, u->path, sizeof(u->path));
	return u;
}

static void note_ct_use(struct walker *w, const struct ast_rule *r,
			const struct fact *f)
{
	struct mf_ctuse *u = ctuse_obs(w, r);

	if (f->flags & (F_CT | F_TEMPLATE)) {
		u->with_ct = true;
	} else {
		u->no_ct = true;
		if (w->table != TABLE_RAW)
			u->raw_only = false;
		if (w->table != TABLE_RAW && (f->cls & C(MF_INVALID)))
			u->no_ct_invalid = true;
	}
}

static struct mf_writer *writer_obs(struct mf_ctx *x, const struct ast_rule *r,
				    uint32_t value, uint32_t mask)
{
	struct markflow *out = x->out;
	bool found;
	uint32_t *idx = ptrmap_get(&x->writers, r, &found);
	struct mf_writer *wr;

	if (found)
		return &out->writers[*idx];
	*idx = out->nwriters;
	wr = vec_push((void **)&out->writers, &out->nwriters, &x->writers_cap,
		      sizeof(*wr));
	wr->rule = r;
	wr->value = value;
	wr->mask = mask;
	return wr;
}

/* A claim candidate: merged by its rules, witnessed later. */
static void candidate(struct walker *w, enum mf_kind kind,
		      const struct ast_rule *a, const struct ast_rule *b,
		      const struct ast_rule *c, uint32_t bits,
		      const struct fact *f, struct tnum before, struct tnum after,
		      bool may_true)
{
	struct mf_ctx *x = w->x;

	if (!f->trace)
		return;
	for (uint32_t i = 0; i < x->ncands; i++) {
		struct mf_cand *k = &x->cands[i];

		if (k->claim.kind == kind && k->claim.a == a &&
		    k->claim.b == b && k->claim.c == c) {
			k->trace = mf_trace_or(x, k->trace, f->trace);
			k->claim.may_true |= may_true;
			return;
		}
	}
	*(struct mf_cand *)vec_push((void **)&x->cands, &x->ncands,
				    &x->cands_cap, sizeof(*x->cands)) = (struct mf_cand){
		.claim = { .kind = kind, .a = a, .b = b, .c = c, .bits = bits,
			   .before = before, .after = after,
			   .cls = (enum mf_class)__builtin_ctz(f->cls),
			   .may_true = may_true },
		.trace = f->trace,
		.family = w->g->family,
	};
	path_string(w, x->cands[x->ncands - 1].claim.path,
		    sizeof(x->cands[x->ncands - 1].claim.path));
}

/* ------------------------------------------------------------ rules */

/* ctstate bit (ext_ctstate_names order) of each class. */
const uint8_t mf_class_state_bit[MF__CLASSES] = {
	[MF_FIRST] = 3, [MF_LATER] = 1, [MF_RELATED] = 2,
	[MF_INVALID] = 0, [MF_UNTRACKED] = 4,
};


/*
 * The matches of @r on @f: TNUM_TRUE/FALSE/MAYBE. @t gets the fact on the
 * true edge, @e the one on the false edge; *header says a test the walk
 * does not decide (addresses, ports, ...) was involved.
 */
struct edge_eval {
	uint8_t truth;
	bool header;
	bool skmark;		/* -m socket --restore-skmark on the true edge */
	const struct fact *in;	/* the fact at the rule's entry */
	struct fact t, e;
};

static uint8_t flip(uint8_t tr, bool invert)
{
	if (!invert || tr == TNUM_MAYBE)
		return tr;
	return tr == TNUM_TRUE ? TNUM_FALSE : TNUM_TRUE;
}

/*
 * A -m mark test evaluated on @f (the fact at its rule's entry): does it
 * read bits a --restore-mark put there, or bits a wide write clobbered?
 */
static void test_candidates(struct walker *w, const struct ast_rule *r,
			    const struct ast_opt *o, const struct fact *f)
{
	uint32_t mask = o->v.mark.mask;
	bool may = flip((uint8_t)tnum_test(f->nf, o->v.mark.value, mask),
			o->invert) != TNUM_FALSE;

	if (f->restore && (f->rbits & mask))
		candidate(w, MF_RESTORED_TEST, f->restore, NULL, r,
			  f->rbits & mask, f, f->nf, f->nf, may);
	if (f->clob_w2 && (f->cbits & mask) && mask != 0xffffffffu)
		candidate(w, MF_CLOBBER, f->clob_w2, f->clob_w1, r,
			  f->cbits & mask, f, f->nf, f->nf, may);
}

static void mark_cond(struct walker *w, const struct ast_rule *r,
		      const struct ast_opt *o, bool connmark,
		      struct edge_eval *ev, int *nmaybe, bool *single_mark)
{
	struct fact *t = &ev->t;
	struct tnum *field = connmark ? &t->ct : &t->nf;
	struct tnum *other = connmark ? &t->nf : &t->ct;
	uint32_t v = o->v.mark.value, m = o->v.mark.mask;
	struct mf_test *obs = test_obs(w, r, o, connmark);
	uint8_t tr;

	obs->classes |= t->cls;
	if (connmark && !(t->flags & (F_CT | F_TEMPLATE))) {
		/* No conntrack entry: false, "!" not applied (xt_connmark). */
		obs->no_ct = true;
		if (w->table != TABLE_RAW && (t->cls & C(MF_INVALID)))
			obs->no_ct_invalid = true;
		obs->truth |= TNUM_FALSE;
		ev->truth = TNUM_FALSE;
		return;
	}
	if (connmark && (t->flags & F_TEMPLATE)) {
		obs->with_ct = true;
		obs->truth |= TNUM_MAYBE;
		(*nmaybe)++;
		*single_mark = false;
		return;
	}
	if (t->flags & F_CT) {
		obs->with_ct = true;
		obs->other = tnum_join(obs->other, *other);
		uint8_t ot = flip((uint8_t)tnum_test(*other, v, m), o->invert);

		obs->other_truth |= ot;
		obs->other_true |= ot == TNUM_TRUE;
	} else {
		obs->no_ct = true;
	}
	if (!connmark)
		test_candidates(w, r, o, ev->in);
	tr = flip((uint8_t)tnum_test(*field, v, m), o->invert);
	obs->seen = tnum_join(obs->seen, *field);
	obs->truth |= tr;
	if (tr == TNUM_FALSE) {
		ev->truth = TNUM_FALSE;
		return;
	}
	if (tr == TNUM_MAYBE) {
		struct tnum yes = o->invert ? tnum_refine_ne(*field, v, m) :
					      tnum_refine_eq(*field, v, m);
		struct tnum no = o->invert ? tnum_refine_eq(*field, v, m) :
					     tnum_refine_ne(*field, v, m);

		(*nmaybe)++;
		/* The false edge can be refined only when this is its one doubt. */
		if (*nmaybe == 1) {
			if (connmark)
				ev->e.ct = no;
			else
				ev->e.nf = no;
		} else {
			*single_mark = false;
		}
		*field = yes;
	}
}

static void ctstate_cond(struct walker *w, const struct ast_opt *o,
			 struct edge_eval *ev, int *nmaybe, bool *single_mark)
{
	uint8_t yes = 0;

	if (w->table == TABLE_RAW || o->kind != VAL_BITS || (o->v.u & ~0x1full)) {
		(*nmaybe)++;
		*single_mark = false;
		ev->header = true;
		return;
	}
	for (int c = 0; c < MF__CLASSES; c++)
		if ((ev->t.cls & C(c)) &&
		    (((o->v.u >> mf_class_state_bit[c]) & 1) != o->invert))
			yes |= (uint8_t)C(c);
	if (!yes) {
		ev->truth = TNUM_FALSE;
	} else if (yes != ev->t.cls) {
		/* The false edge can be refined only when this is its one doubt. */
		if (++*nmaybe == 1)
			ev->e.cls = ev->t.cls & (uint8_t)~yes;
		else
			*single_mark = false;
		ev->t.cls = yes;
	}
}

static bool is_prefix(const struct val_str *s)
{
	return s->len && s->s[s->len - 1] == '+';
}

/*
 * Test pattern @t against what is known of the interface: exactly the
 * names matching @k. TNUM_TRUE when every such name matches @t, FALSE
 * when none does (xt's ifname test: "eth+" is a prefix).
 */
static uint8_t iface_vs(const struct val_str *t, const struct val_str *k)
{
	size_t tn = t->len - is_prefix(t), kn = k->len - is_prefix(k);
	size_t n = tn < kn ? tn : kn;

	if (memcmp(t->s, k->s, n))
		return TNUM_FALSE;
	if (!is_prefix(k))
		return (is_prefix(t) ? tn <= kn : tn == kn) ? TNUM_TRUE : TNUM_FALSE;
	if (is_prefix(t) && tn <= kn)
		return TNUM_TRUE;
	return tn >= kn ? TNUM_MAYBE : TNUM_FALSE;
}

static const struct val_str lo_name = { "lo", 2 };

static uint8_t iif_test(const struct hdr *h, const struct ast_opt *o)
{
	uint8_t tr;

	if (!h->iif || o->kind != VAL_IFACE)
		return TNUM_MAYBE;
	tr = iface_vs(&o->v.str, h->iif);
	if (h->iif_not)		/* known: not @iif */
		tr = tr == TNUM_TRUE && same_str(&o->v.str, h->iif) ?
		     TNUM_FALSE : TNUM_MAYBE;
	return flip(tr, o->invert);
}

static uint8_t proto_test(const struct hdr *h, const struct ast_opt *o)
{
	uint8_t tr;

	if (o->kind != VAL_UINT)
		return TNUM_MAYBE;
	if (!o->v.u)	/* -p all */
		return flip(TNUM_TRUE, o->invert);
	if (!h->proto)
		return TNUM_MAYBE;
	tr = o->v.u == h->proto ? TNUM_TRUE : TNUM_FALSE;
	if (h->proto_not)
		tr = tr == TNUM_TRUE ? TNUM_FALSE : TNUM_MAYBE;
	return flip(tr, o->invert);
}

/*
 * Learn from the outcome of a header test: @yes says it held. The first
 * thing learnt about a field is kept (one literal per field).
 */
static void learn(struct hdr *h, const struct ast_opt *o, bool yes)
{
	bool pos = yes != o->invert;

	switch (ast_opt_id(o)) {
	case OPT_ip_IN_INTERFACE:
		if (o->kind == VAL_IFACE && (!h->iif || (h->iif_not && pos))) {
			h->iif = &o->v.str;
			h->iif_not = !pos;
		}
		break;
	case OPT_ip_PROTOCOL:
		if (o->kind == VAL_UINT && o->v.u && o->v.u < 0x10000 &&
		    (!h->proto || (h->proto_not && pos))) {
			h->proto = (uint16_t)o->v.u;
			h->proto_not = !pos;
		}
		break;
	default:
		break;
	}
}

/*
 * The rule's header tests on @f: TNUM_MAYBE when some test depends on the
 * packet, unless what the fact knows decides it. *single gets the one
 * undecided interface/protocol test when it is the only one (the false
 * edge then learns its negation).
 */
static uint8_t base_tests(const struct ast_rule *r, const struct fact *f,
			  const struct ast_opt **single)
{
	const struct ast_opt *o = ast_match_opts(r, &r->matches[0]);
	uint8_t truth = TNUM_TRUE;
	int open = 0;

	*single = NULL;
	for (uint32_t k = 0; k < ast_match_nopts(r, &r->matches[0]); k++) {
		uint8_t tr;

		switch (ast_opt_id(&o[k])) {
		case OPT_ip_IN_INTERFACE:
			tr = iif_test(&f->h, &o[k]);
			break;
		case OPT_ip_PROTOCOL:
			tr = proto_test(&f->h, &o[k]);
			break;
		case OPT_ip_OUT_INTERFACE:
		case OPT_ip_SOURCE:
		case OPT_ip_DESTINATION:
		case OPT_ip_FRAGMENT:
			tr = TNUM_MAYBE;
			open += 2;	/* nothing to learn from its false edge */
			break;
		default:
			continue;
		}
		if (tr == TNUM_FALSE)
			return TNUM_FALSE;
		if (tr == TNUM_MAYBE) {
			truth = TNUM_MAYBE;
			if (!open++)
				*single = &o[k];
		}
	}
	if (open != 1)
		*single = NULL;
	return truth;
}

/* The true edge of @r: every interface/protocol test held. */
static void learn_all(const struct ast_rule *r, struct hdr *h)
{
	const struct ast_opt *o = ast_match_opts(r, &r->matches[0]);

	for (uint32_t k = 0; k < ast_match_nopts(r, &r->matches[0]); k++)
		learn(h, &o[k], true);
}

static void eval_rule(struct walker *w, const struct ast_rule *r,
		      const struct fact *f, struct edge_eval *ev)
{
	int nmaybe = 0;
	bool single_mark = true;
	const struct ast_opt *single_hdr = NULL;

	ev->in = f;
	ev->t = *f;
	ev->e = *f;
	ev->truth = TNUM_TRUE;
	ev->header = false;
	ev->skmark = false;
	/* Base options (-s -d -i -o -p -f): header tests. */
	switch (base_tests(r, f, &single_hdr)) {
	case TNUM_FALSE:
		ev->truth = TNUM_FALSE;
		return;
	case TNUM_MAYBE:
		ev->header = true;
		nmaybe++;
		single_mark = false;
		break;
	default:
		break;
	}
	for (uint32_t mi = 1; mi < r->nmatches && ev->truth != TNUM_FALSE; mi++) {
		const struct ast_match *m = &r->matches[mi];
		const struct ast_opt *opts = ast_match_opts(r, m);
		uint32_t nopts = ast_match_nopts(r, m);
		bool other = false;

		if ((int32_t)mi == r->target)
			continue;
		switch (m->ext_id) {
		case EXT_ID_comment:
			continue;
		case EXT_ID_mark:
		case EXT_ID_connmark:
			for (uint32_t k = 0; k < nopts && ev->truth != TNUM_FALSE; k++)
				if (opts[k].kind == VAL_MARK)
					mark_cond(w, r, &opts[k],
						  m->ext_id == EXT_ID_connmark,
						  ev, &nmaybe, &single_mark);
				else
					other = true;
			break;
		case EXT_ID_conntrack:
		case EXT_ID_state:
			for (uint32_t k = 0; k < nopts && ev->truth != TNUM_FALSE; k++) {
				int id = ast_opt_id(&opts[k]);

				if (id == OPT_conntrack_CTSTATE || id == OPT_state_STATE)
					ctstate_cond(w, &opts[k], ev, &nmaybe,
						     &single_mark);
				else
					other = true;
			}
			break;
		case EXT_ID_socket:
			for (uint32_t k = 0; k < nopts; k++)
				if (ast_opt_id(&opts[k]) == OPT_socket_RESTORE_SKMARK)
					ev->skmark = true;
			other = true;
			break;
		default:
			other = true;
			break;
		}
		if (other) {
			nmaybe++;
			single_mark = false;
			ev->header = true;
		}
	}
	if (ev->truth == TNUM_FALSE) {
		ev->e = *f;
		return;
	}
	if (tnum_is_empty(ev->t.nf) || tnum_is_empty(ev->t.ct)) {
		ev->truth = TNUM_FALSE;
		ev->e = *f;
		return;
	}
	if (nmaybe == 0) {
		ev->truth = TNUM_TRUE;
		return;
	}
	ev->truth = TNUM_MAYBE;
	learn_all(r, &ev->t.h);
	if (!single_mark || nmaybe != 1)
		ev->e = *f;
	if (single_hdr && nmaybe == 1)
		learn(&ev->e.h, single_hdr, false);
}


/* A target whose true edge changes nothing the walk tracks. */
static bool rule_is_noop(const struct ast_rule *r, enum mf_effect ef)
{
	const struct ext *te = ast_rule_target_ext(r);

	if (ef != EF_CONTINUE)
		return false;
	if (!te)
		return true;
	switch (te->id) {
	case EXT_ID_MARK:
	case EXT_ID_CONNMARK:
	case EXT_ID_CT:
	case EXT_ID_NOTRACK:
	case EXT_ID_HMARK:
	case EXT_ID_SET:
	case EXT_ID_TPROXY:
		return false;
	default:
		return true;
	}
}





/* Bits changed to a known, different value: known before and after. */
static uint32_t changed_bits(struct tnum before, struct tnum after, uint32_t bits)
{
	return (before.value ^ after.value) & ~before.mask & ~after.mask & bits;
}

static void nf_overwritten(struct fact *f, uint32_t bits)
{
	f->wbits &= ~bits;
	if (!f->wbits)
		f->writer = NULL;
	f->rbits &= ~bits;
	if (!f->rbits)
		f->restore = NULL;
	if (!has_prov(f))
		f->trace = NULL;
}

static void start_trace(struct walker *w, struct fact *f,
			const struct ast_rule *r, bool header)
{
	if (w->x->prov_off) {
		drop_prov(f);
		return;
	}
	if (f->trace)
		return;
	f->trace = mf_trace_start(w->x, f->cls, w->table == TABLE_RAW);
	if (header)
		f->trace = mf_trace_edge(w->x, f->trace, r, true);
}

/*
 * The target's effect on the marks (markops.c), then what it means for
 * provenance: a MARK becomes the writer of its bits (and may clobber a
 * masked writer's), a save records what reached the connection, a
 * restore may lose a MARK's bits and becomes their source.
 */
static void apply_marks(struct walker *w, const struct ast_rule *r,
			struct fact *f, bool header)
{
	struct tnum before = f->nf;
	uint32_t bits, v = 0, m = 0;
	enum mf_mark_op op;

	if (r->target_ext == EXT_ID_CONNMARK)
		note_ct_use(w, r, f);
	if (r->target_ext == EXT_ID_CONNMARK && !(f->flags & F_CT) &&
	    (f->flags & F_TEMPLATE)) {
		/* CONNMARK on a CT template: not verified on the kernel. */
		f->nf = tnum_unknown();
		nf_overwritten(f, ~0u);
		return;
	}
	op = mf_mark_effect(r, &f->nf, &f->ct, f->flags & F_CT, &bits);
	switch (op) {
	case MF_OP_NF_UNKNOWN:
		nf_overwritten(f, ~0u);
		return;
	case MF_OP_NF_SET:
		if (r->target_ext != EXT_ID_MARK) {
			nf_overwritten(f, bits);
			return;
		}
		mf_xmark_of(r, false, &v, &m);
		writer_obs(w->x, r, v, m);
		/* A wide write over bits a masked write set: mark-clobber. */
		if (f->writer && f->writer != r && m == 0xffffffffu) {
			const struct mf_writer *pw = writer_obs(w->x, f->writer, 0, 0);
			uint32_t cb = changed_bits(before, f->nf, f->wbits);

			if (pw->mask != 0xffffffffu && cb) {
				f->clob_w1 = f->writer;
				f->clob_w2 = r;
				f->cbits = cb;
			}
		}
		nf_overwritten(f, bits);
		if (!w->g->track_writers)
			return;
		f->writer = r;
		f->wbits = bits;
		start_trace(w, f, r, header);
		return;
	case MF_OP_SAVE:
		if (f->writer && (f->wbits & bits)) {
			struct mf_writer *wr = writer_obs(w->x, f->writer, 0, 0);

			wr->saved |= f->wbits & bits;
		}
		return;
	case MF_OP_RESTORE: {
		uint32_t lost = f->writer ?
				changed_bits(before, f->nf, f->wbits & bits) : 0;

		if (lost)
			candidate(w, MF_OVERWRITE, r, f->writer, NULL, lost, f,
				  before, f->nf, true);
		if (f->cbits & bits) {
			f->cbits &= ~bits;
			if (!f->cbits)
				f->clob_w1 = f->clob_w2 = NULL;
		}
		nf_overwritten(f, bits);
		f->restore = r;
		f->rbits = bits;
		start_trace(w, f, r, header);
		return;
	}
	default:
		return;
	}
}

static void walk_chain(struct walker *w, const struct ast_chain *c,
		       const struct fact *f, struct outs *out);

static void unknown_effect(struct fact *f, struct outs *out, struct fset *next)
{
	f->nf = tnum_unknown();
	f->ct = tnum_unknown();
	drop_prov(f);
	if (next)
		fset_push(next, f);
	fset_push(&out->acc, f);
	fset_push(&out->drop, f);
}

static void call_chain(struct walker *w, const struct ast_rule *r,
		       struct fact *f, bool is_goto, struct outs *out,
		       struct fset *next)
{
	struct outs sub = { 0 };

	if (w->depth >= MF_MAX_DEPTH) {
		unknown_effect(f, out, is_goto ? &out->ret : next);
		return;
	}
	w->stack[++w->depth] = r->jump;
	walk_chain(w, r->jump, f, &sub);
	w->depth--;
	for (uint32_t i = 0; i < sub.ret.n; i++)
		fset_add(w->x, is_goto ? &out->ret : next, &sub.ret.v[i]);
	for (uint32_t i = 0; i < sub.acc.n; i++)
		fset_add(w->x, &out->acc, &sub.acc.v[i]);
	for (uint32_t i = 0; i < sub.drop.n; i++)
		fset_add(w->x, &out->drop, &sub.drop.v[i]);
	outs_free(&sub);
}

static void take_true_edge(struct walker *w, const struct ast_rule *r,
			   enum mf_effect ef, struct fact *f, bool header,
			   struct outs *out, struct fset *next)
{
	const struct ext *te = ast_rule_target_ext(r);

	if (f->trace && header)
		f->trace = mf_trace_edge(w->x, f->trace, r, true);
	if (te && ef != EF_JUMP && ef != EF_GOTO) {
		switch (te->id) {
		case EXT_ID_MARK:
		case EXT_ID_CONNMARK:
		case EXT_ID_HMARK:
		case EXT_ID_SET:
		case EXT_ID_TPROXY:
			apply_marks(w, r, f, header);
			break;
		case EXT_ID_NOTRACK:
		case EXT_ID_CT:
			/* Only a packet without conntrack yet (xt_CT.c). */
			if (f->flags & F_CT)
				break;
			if (te->id == EXT_ID_NOTRACK ||
			    ast_rule_find_opt(r, OPT_CT_NOTRACK))
				f->flags |= F_NOTRACK;
			else
				f->flags |= F_TEMPLATE;
			break;
		default:
			break;
		}
	}
	switch (ef) {
	case EF_CONTINUE:
		fset_add(w->x, next, f);
		break;
	case EF_ACCEPT:
		fset_add(w->x, &out->acc, f);
		break;
	case EF_DROP:
		fset_add(w->x, &out->drop, f);
		break;
	case EF_RETURN:
		fset_add(w->x, &out->ret, f);
		break;
	case EF_QUEUE:
		fset_add(w->x, &out->acc, f);
		fset_add(w->x, &out->drop, f);
		break;
	case EF_TERMINAL:
		fset_add(w->x, &out->acc, f);
		fset_add(w->x, &out->drop, f);
		fset_add(w->x, next, f);
		break;
	case EF_NAT:
		if (f->trace)
			f->trace = mf_trace_nat(w->x, f->trace);
		fset_add(w->x, &out->acc, f);
		fset_add(w->x, &out->drop, f);
		break;
	case EF_JUMP:
	case EF_GOTO:
		call_chain(w, r, f, ef == EF_GOTO, out, next);
		break;
	case EF_UNKNOWN:
		unknown_effect(f, out, next);
		break;
	}
}

static struct memo_ent **memo_slot(struct mf_ctx *x, const struct ast_chain *c,
				   const struct fact *f)
{
	uint64_t h = (uint64_t)(uintptr_t)c * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)f->nf.value << 32 | f->nf.mask) * 0xc2b2ae3d27d4eb4full;
	h ^= ((uint64_t)f->ct.value << 32 | f->ct.mask) * 0x165667b19e3779f9ull;
	h ^= (uint64_t)(f->cls << 8 | f->flags | (uint64_t)f->h.proto << 16 |
			(uint64_t)(f->h.iif ? f->h.iif->len : 0) << 32) *
	     0x27d4eb2f165667c5ull;
	h ^= ((uint64_t)(uintptr_t)f->writer ^ (uint64_t)(uintptr_t)f->restore ^
	      (uint64_t)(uintptr_t)f->clob_w2) * 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return &x->memo[h & (MF_MEMO_SLOTS - 1)];
}

static void fset_copy(struct mf_ctx *x, struct fset *dst, const struct fset *src,
		      bool forget)
{
	for (uint32_t i = 0; i < src->n; i++) {
		struct fact f = src->v[i];

		if (forget)
			drop_prov(&f);
		fset_add(x, dst, &f);
	}
}

/* @forget: the facts' provenance (and paths) were another caller's. */
static void outs_copy(struct mf_ctx *x, struct outs *dst, const struct outs *src,
		      bool forget)
{
	fset_copy(x, &dst->ret, &src->ret, forget);
	fset_copy(x, &dst->acc, &src->acc, forget);
	fset_copy(x, &dst->drop, &src->drop, forget);
}

static void walk_rules(struct walker *w, const struct ast_chain *c,
		       const struct fact *f, struct outs *out)
{
	struct fset cur = { 0 }, next = { 0 };

	fset_push(&cur, f);
	cfg_for_each_rule(r, c) {
		enum mf_effect ef = mf_rule_effect(r);
		bool noop = rule_is_noop(r, ef);

		if (!cur.n)
			break;
		w->steps += cur.n;
		if (w->steps > w->max_steps) {
			w->x->out->gave_up = true;
			break;
		}
		/* Too many trace nodes: no more existential claims from here on. */
		if (w->x->ntrace > MF_MAX_TRACE || w->steps > MF_PROV_STEPS)
			w->x->prov_off = true;
		if (w->x->prov_off)
			for (uint32_t i = 0; i < cur.n; i++)
				drop_prov(&cur.v[i]);
		next.n = 0;
		for (uint32_t i = 0; i < cur.n; i++) {
			struct edge_eval ev;

			eval_rule(w, r, &cur.v[i], &ev);
			if (ev.truth == TNUM_FALSE || noop) {
				if (ev.truth != TNUM_FALSE && ev.skmark) {
					ev.t.nf = tnum_unknown();
					nf_overwritten(&ev.t, ~0u);
					fset_add(w->x, &next, &ev.t);
				}
				/*
				 * Both edges of a rule that changes nothing go on:
				 * the fact as it came (the false edge alone would
				 * lose the packets its tests let through).
				 */
				fset_add(w->x, &next, &cur.v[i]);
				continue;
			}
			if (ev.truth == TNUM_MAYBE) {
				if (ev.e.trace && ev.header)
					ev.e.trace = mf_trace_edge(w->x, ev.e.trace,
								   r, false);
				fset_add(w->x, &next, &ev.e);
			}
			if (ev.skmark) {
				ev.t.nf = tnum_unknown();
				nf_overwritten(&ev.t, ~0u);
			}
			take_true_edge(w, r, ef, &ev.t, ev.header, out, &next);
		}
		fset_squeeze(&next);
		{
			struct fset tmp = cur;

			cur = next;
			next = tmp;
		}
	}
	if (w->x->out->gave_up)
		cur.n = 0;
	for (uint32_t i = 0; i < cur.n; i++)
		fset_add(w->x, &out->ret, &cur.v[i]);
	fset_free(&cur);
	fset_free(&next);
	/* What a chain hands back stays small, for every caller that copies it. */
	fset_squeeze(&out->ret);
	fset_squeeze(&out->acc);
	fset_squeeze(&out->drop);
}

/* A chain in closed form (marksum.c): no walk. */
static void apply_summary(struct walker *w, const struct mf_sum *s,
			  const struct fact *f, struct outs *out)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct mf_xf *e = &s->v[i];
		struct fact g = *f;

		g.cls &= e->cls;
		if (!g.cls)
			continue;
		g.nf = tnum_xmark(g.nf, e->v, e->m);
		/*
		 * The path through it is not known (unless nothing in it
		 * tests anything): no existential claims from here on.
		 */
		if (!s->plain || e->v || e->m)
			drop_prov(&g);
		fset_add(w->x, e->exit == MF_EXIT_RET ? &out->ret :
			       e->exit == MF_EXIT_ACC ? &out->acc : &out->drop, &g);
	}
}

static void walk_chain(struct walker *w, const struct ast_chain *c,
		       const struct fact *f, struct outs *out)
{
	struct memo_ent **slot, *e;
	const struct mf_sum *s = &w->g->sum[w->table][c->id];

	/*
	 * The closed form loses the path through the chain, which the
	 * existential claims need: facts with provenance walk it.
	 */
	if (s->ok && (!has_prov(f) || s->plain)) {
		apply_summary(w, s, f, out);
		return;
	}

	/*
	 * Memoise chains entered from several rules (or hooks): a chain
	 * jumped to from one place is walked once per walk of its caller
	 * anyway, and kube-proxy dumps have 200,000 of them. A chain is
	 * walked once per distinct entry fact, provenance included, so any
	 * call graph costs its size times the facts; a fact with provenance
	 * that meets a chain walked before leaves it without provenance (its
	 * path through the chain was another caller's).
	 */
	if (!c->builtin && w->g->cfg[w->table]->chains[c->id].nrefs < 2) {
		walk_rules(w, c, f, out);
		return;
	}
	slot = memo_slot(w->x, c, f);
	for (e = *slot; e; e = e->next)
		if (e->chain == c && same_fact(&e->key, f)) {
			outs_copy(w->x, out, &e->outs, has_prov(f));
			return;
		}
	/*
	 * Widening: a chain entered with many different facts (dense call
	 * graphs) is walked from then on with marks unknown, which covers
	 * them all, so it is walked a bounded number of times.
	 */
	{
		bool found;
		uint32_t *n = ptrmap_get(&w->x->entries, c, &found);

		if (++*n > MF_MAX_ENTRIES && (has_prov(f) || f->nf.mask != ~0u ||
					      f->ct.mask != ~0u || f->h.iif ||
					      f->h.proto)) {
			struct fact g = *f;

			drop_prov(&g);
			g.nf = tnum_unknown();
			g.ct = tnum_unknown();
			memset(&g.h, 0, sizeof(g.h));
			walk_chain(w, c, &g, out);
			return;
		}
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	e->chain = c;
	e->key = *f;
	walk_rules(w, c, f, &e->outs);
	e->next = *slot;
	*slot = e;
	outs_copy(w->x, out, &e->outs, false);
}

/* ------------------------------------------------------- hooks, paths */

/*
 * Conntrack runs after raw: the classes decide whether there is an entry
 * (a looping packet keeps the one it has). Adds one or two facts to @out.
 */
static void conntrack_in(struct mf_ctx *x, const struct fact *in, struct fset *out)
{
	struct fact f = *in;

	if (f.flags & F_CT) {
		fset_add(x, out, &f);
		return;
	}
	f.flags &= (uint8_t)~F_TEMPLATE;
	if (f.flags & F_NOTRACK) {
		f.cls = C(MF_UNTRACKED);
		fset_add(x, out, &f);
		return;
	}
	if (f.cls & C_TRACKED) {
		struct fact t = f;

		t.cls &= C_TRACKED;
		t.flags |= F_CT;
		fset_add(x, out, &t);
	}
	f.cls &= (uint8_t)~C_TRACKED;
	if (f.cls)
		fset_add(x, out, &f);
}

/* One hook: each table's chain in turn. @in is consumed. */
static void walk_hook(struct walker *w, enum hook_kind h, struct fset *in,
		      struct fset *dropped)
{
	w->hook = h;
	for (int k = 0; mf_hook_tables[h][k] != 0xff; k++) {
		enum table_kind tk = mf_hook_tables[h][k];
		const struct ast_table *t = w->g->t[tk];
		const struct ast_chain *c = t ? mf_hook_chain(t, h) : NULL;
		struct fset next = { 0 };

		if (c && !w->g->unknown[tk]) {
			w->table = tk;
			w->depth = 0;
			w->stack[0] = c;
		}
		for (uint32_t i = 0; i < in->n; i++) {
			struct fact f = in->v[i];
			struct outs o = { 0 };
			bool drop_policy;

			/*
			 * nat: once per connection and manip type, so only for
			 * NEW and RELATED; a looping packet had both done on
			 * its way out.
			 */
			if (c && tk == TABLE_NAT) {
				uint8_t nat = C(MF_FIRST) | C(MF_RELATED);

				if (!(f.flags & F_CT) || ((f.flags & F_LOOP) &&
				    (h == HOOK_PREROUTING || h == HOOK_INPUT)))
					nat = 0;
				if (f.cls & ~nat) {
					struct fact pass = f;

					pass.cls &= (uint8_t)~nat;
					fset_add(w->x, &next, &pass);
				}
				f.cls &= nat;
				if (!f.cls)
					continue;
			}
			if (!c) {
				fset_add(w->x, &next, &f);
				continue;
			}
			if (w->g->unknown[tk]) {
				unknown_effect(&f, &o, &next);
				fset_add(w->x, dropped, &f);
				outs_free(&o);
				continue;
			}
			walk_chain(w, c, &f, &o);
			drop_policy = c->policy && !strcmp(c->policy, "DROP");
			for (uint32_t j = 0; j < o.acc.n; j++)
				fset_add(w->x, &next, &o.acc.v[j]);
			for (uint32_t j = 0; j < o.ret.n; j++)
				fset_add(w->x, drop_policy ? dropped : &next,
					 &o.ret.v[j]);
			for (uint32_t j = 0; j < o.drop.n; j++)
				fset_add(w->x, dropped, &o.drop.v[j]);
			outs_free(&o);
		}
		/* Conntrack runs right after raw (and where raw has no chain). */
		if (tk == TABLE_RAW) {
			struct fset ct = { 0 };

			for (uint32_t i = 0; i < next.n; i++)
				conntrack_in(w->x, &next.v[i], &ct);
			fset_free(&next);
			next = ct;
		}
		fset_squeeze(&next);
		fset_free(in);
		*in = next;
	}
}

/*
 * A packet sent to a local address leaves through lo and comes back
 * through PREROUTING and INPUT with its nfmark and conntrack entry
 * (loopback_xmit() clears neither): the loopback path.
 */
/*
 * A packet sent to a local address leaves through lo and comes back
 * through PREROUTING and INPUT with its nfmark and conntrack entry
 * (loopback_xmit() clears neither): the local-out walk goes on there.
 */
enum path_kind { PATH_LOCAL_IN, PATH_FORWARD, PATH_LOCAL_OUT, PATH__COUNT };

static const int8_t path_hooks[PATH__COUNT][4] = {
	[PATH_LOCAL_IN] = { HOOK_PREROUTING, HOOK_INPUT, -1 },
	[PATH_FORWARD] = { HOOK_PREROUTING, HOOK_FORWARD, HOOK_POSTROUTING, -1 },
	[PATH_LOCAL_OUT] = { HOOK_OUTPUT, HOOK_POSTROUTING, -1 },
};
static const int8_t loopback_hooks[] = { HOOK_PREROUTING, HOOK_INPUT, -1 };

struct ctvals {
	struct tnum v[MF_MAX_CTVALS];
	uint32_t n;
};

static bool ctvals_add(struct ctvals *s, struct tnum t)
{
	struct tnum all;

	for (uint32_t i = 0; i < s->n; i++)
		if (tnum_equal(s->v[i], t) ||
		    tnum_equal(tnum_join(s->v[i], t), s->v[i]))
			return false;
	if (s->n < MF_MAX_CTVALS) {
		s->v[s->n++] = t;
		return true;
	}
	all = t;
	for (uint32_t i = 0; i < s->n; i++)
		all = tnum_join(all, s->v[i]);
	s->v[0] = all;
	s->n = 1;
	return true;
}

/* Walk @cur through @hooks; what packets leave in their connection goes to @left. */
static void walk_hooks(struct walker *w, const int8_t *hooks, struct fset *cur,
		       struct ctvals *left, bool *grew)
{
	struct fset dropped = { 0 };

	for (int k = 0; hooks[k] >= 0 && cur->n && !w->x->out->gave_up; k++)
		walk_hook(w, (enum hook_kind)hooks[k], cur, &dropped);
	for (uint32_t i = 0; i < cur->n; i++)
		if (cur->v[i].flags & F_CT)
			*grew |= ctvals_add(left, cur->v[i].ct);
	/* A dropped first packet never confirms its connection. */
	for (uint32_t i = 0; i < dropped.n; i++)
		if ((dropped.v[i].flags & F_CT) && (dropped.v[i].cls & ~C(MF_FIRST)))
			*grew |= ctvals_add(left, dropped.v[i].ct);
	fset_free(&dropped);
}

/*
 * Walk every class along @p: first packets (and INVALID ones) when @ct is
 * NULL, else later and related packets with the ctmarks in @ct.
 */
static void walk_path(struct walker *w, enum path_kind p, const struct ctvals *ct,
		      struct ctvals *left, bool *grew)
{
	struct fset cur = { 0 };
	bool unknown_entry = p == PATH_LOCAL_OUT ?
			     !w->x->lint->opt.entry_mark_output_zero :
			     w->x->lint->opt.entry_mark_prerouting_unknown;
	struct fact f = { .nf = unknown_entry ? tnum_unknown() : tnum_const(0) };

	if (!ct) {
		f.cls = C(MF_FIRST) | C(MF_INVALID);
		f.ct = tnum_const(0);
		fset_push(&cur, &f);
	} else {
		for (uint32_t i = 0; i < ct->n; i++) {
			f.ct = ct->v[i];
			f.cls = C(MF_LATER) | C(MF_RELATED);
			fset_push(&cur, &f);
		}
	}
	walk_hooks(w, path_hooks[p], &cur, left, grew);
	if (p == PATH_LOCAL_OUT && !w->x->out->gave_up) {
		for (uint32_t i = 0; i < cur.n; i++) {
			cur.v[i].flags |= F_LOOP;
			cur.v[i].h.iif = &lo_name;
			cur.v[i].h.iif_not = false;
		}
		walk_hooks(w, loopback_hooks, &cur, left, grew);
	}
	fset_free(&cur);
}

static void walk_group(struct mf_ctx *x, const struct group *g)
{
	struct walker w = { .x = x, .g = g, .max_steps = MF_BASE_STEPS };

	for (int k = 0; k < TABLE__COUNT; k++)
		if (g->t[k])
			w.max_steps += (uint64_t)MF_STEPS_PER_RULE * g->t[k]->nrules;
	struct ctvals ct = { 0 };
	bool grew = false;

	for (int p = 0; p < PATH__COUNT; p++)
		walk_path(&w, (enum path_kind)p, NULL, &ct, &grew);
	/* Later packets: a fixed point over what connections can carry. */
	for (int round = 0; round < 64 && ct.n && !x->out->gave_up; round++) {
		struct ctvals snap = ct;

		grew = false;
		for (int p = 0; p < PATH__COUNT; p++)
			walk_path(&w, (enum path_kind)p, &snap, &ct, &grew);
		if (!grew)
			break;
	}
}

/* ------------------------------------------------------------- driver */




static void ctread_add(struct mf_ctx *x, const struct ast_rule *r,
		       const struct ast_opt *o, uint32_t bits, uint32_t *cap)
{
	struct mf_ctread *c = vec_push((void **)&x->out->ctreads,
				       &x->out->nctreads, cap, sizeof(*c));

	c->rule = r;
	c->opt = o;
	c->bits = bits;
}

/*
 * One pass over the ruleset's rules, reading only what most rules have on
 * their first cache line: whether provenance is worth tracking, which
 * ctmark bits some CONNMARK writes, and the rules that read ctmark.
 */
static void group_scan(struct mf_ctx *x, struct group *g, uint32_t *cap)
{
	uint32_t first = x->out->nctreads;

	for (int k = 0; k < TABLE__COUNT; k++) {
		if (!g->t[k])
			continue;
		for (uint32_t n = 0; n < g->t[k]->nmark_rules; n++) {
			const struct ast_rule *r = g->t[k]->mark_rules[n];
			uint32_t v, m;

			if (r->bad || r->ignored || (r->cmd != CMD_APPEND &&
			    r->cmd != CMD_INSERT && r->cmd != CMD_REPLACE))
				continue;
			if (r->tests & AST_TESTS_MARK)
				for (uint32_t mi = 1; mi < r->nmatches; mi++) {
					const struct ast_match *am = &r->matches[mi];
					const struct ast_opt *o = ast_match_opts(r, am);

					if (am->ext_id != EXT_ID_connmark ||
					    (int32_t)mi == r->target)
						continue;
					for (uint32_t j = 0; j < ast_match_nopts(r, am); j++)
						if (o[j].kind == VAL_MARK)
							ctread_add(x, r, &o[j],
								   o[j].v.mark.mask, cap);
				}
			if (r->target_ext == EXT_ID_MARK) {
				if (mf_xmark_of(r, false, &v, &m) && m == 0xffffffffu)
					g->track_writers = true;
			} else if (r->target_ext == EXT_ID_CONNMARK) {
				g->ct_written |= mf_ct_written_by(r);
				if (ast_rule_find_opt(r, OPT_CONNMARK_RESTORE_MARK)) {
					g->track_writers = true;
					if (!mf_connmark_shifted(r))
						ctread_add(x, r, NULL,
							   mf_connmark_ctmask(r), cap);
				}
			}
		}
	}
	/* A table that does not load may hold the writer iptlint cannot see. */
	for (int k = 0; k < TABLE__COUNT; k++)
		if (g->unknown[k])
			g->ct_written = ~0u;
	for (uint32_t i = first; i < x->out->nctreads; i++)
		x->out->ctreads[i].written = g->ct_written;
}

static bool group_add(struct group *g, const struct cfg_table *ct)
{
	const struct ast_table *t = ct->table;

	if (t->kind < 0)
		return false;
	g->t[t->kind] = t;
	g->cfg[t->kind] = ct;
	g->unknown[t->kind] = ct->ncycles || t->nerrors;
	g->family = t->family;
	return true;
}

static void free_ctx(struct mf_ctx *x)
{
	for (uint32_t i = 0; i < MF_MEMO_SLOTS; i++)
		for (struct memo_ent *e = x->memo[i], *n; e; e = n) {
			n = e->next;
			outs_free(&e->outs);
			free(e);
		}
	free(x->memo);
	ptrmap_free(&x->entries);
	ptrmap_free(&x->tests);
	ptrmap_free(&x->ctuses);
	ptrmap_free(&x->writers);
	free(x->cands);
	mf_sum_pool_free(x);
	arena_free(&x->arena);
}

const struct markflow *markflow_get(struct lint *lint)
{
	struct mf_ctx x = { .lint = lint };
	const struct cfg *cfg;
	uint32_t ctreads_cap = 0;

	if (lint->markflow)
		return lint->markflow;
	x.out = calloc(1, sizeof(*x.out));
	x.memo = calloc(MF_MEMO_SLOTS, sizeof(*x.memo));
	if (!x.out || !x.memo)
		abort();
	lint->markflow = x.out;
	arena_init(&x.arena);
	cfg = cfg_get(lint);
	/* One ruleset per input file: its tables, each kind once (the last). */
	for (uint32_t i = 0; i < cfg->ntables;) {
		struct group g = { 0 };
		uint32_t file = cfg->tables[i].table->loc.file;
		bool any = false;

		for (; i < cfg->ntables && cfg->tables[i].table->loc.file == file; i++)
			any |= group_add(&g, &cfg->tables[i]);
		if (any) {
			group_scan(&x, &g, &ctreads_cap);
			for (int k = 0; k < TABLE__COUNT; k++)
				if (g.t[k] && !g.unknown[k])
					g.sum[k] = mf_summarise(&x, g.cfg[k],
								g.track_writers);
			walk_group(&x, &g);
		}
	}
	if (!x.out->gave_up)
		mf_witness(&x);
	free_ctx(&x);
	return lint->markflow;
}

void markflow_free(struct markflow *mf)
{
	if (!mf)
		return;
	free(mf->tests);
	free(mf->ctuses);
	free(mf->claims);
	free(mf->writers);
	free(mf->ctreads);
	free(mf->unreachable);
	free(mf);
}

const char *mf_class_name(enum mf_class c)
{
	static const char *const names[MF__CLASSES] = {
		[MF_FIRST] = "the first packet of a connection",
		[MF_LATER] = "later packets of a connection",
		[MF_RELATED] = "related packets",
		[MF_INVALID] = "invalid packets",
		[MF_UNTRACKED] = "untracked packets",
	};
	return c < MF__CLASSES ? names[c] : "packets";
}

void mf_format_test(char *buf, size_t size, const struct ast_opt *o)
{
	if (o->v.mark.mask == 0xffffffffu)
		snprintf(buf, size, "%s--mark 0x%x", o->invert ? "! " : "",
			 o->v.mark.value);
	else
		snprintf(buf, size, "%s--mark 0x%x/0x%x", o->invert ? "! " : "",
			 o->v.mark.value, o->v.mark.mask);
}

bool mf_test_confused(const struct mf_test *t)
{
	const struct ast_opt *o = t->opt;

	return t->truth == TNUM_FALSE && !o->invert &&
	       (o->v.mark.value & o->v.mark.mask) && t->other_true;
}

bool mf_test_untracked(const struct mf_test *t)
{
	return t->connmark && !t->with_ct && t->no_ct && !t->no_ct_invalid;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

bool mf_rule_unreachable(struct lint *lint, const struct ast_rule *r)
{
	struct markflow *mf = lint->markflow;
	const struct ast_rule *key = r;

	if (!mf || !lint->checks.enabled[CHECK_UNREACHABLE_RULE])
		return false;
	if (!mf->unreachable_done) {
		const struct reach *rc = reach_get(lint);

		mf->unreachable_done = true;
		mf->unreachable = malloc((rc->n + 1) * sizeof(*mf->unreachable));
		if (!mf->unreachable)
			abort();
		for (uint32_t i = 0; i < rc->n; i++)
			mf->unreachable[mf->nunreachable++] = rc->v[i].rule;
		qsort(mf->unreachable, mf->nunreachable, sizeof(*mf->unreachable),
		      cmp_ptr);
	}
	return bsearch(&key, mf->unreachable, mf->nunreachable,
		       sizeof(*mf->unreachable), cmp_ptr) != NULL;
}
