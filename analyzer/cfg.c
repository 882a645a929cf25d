// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The jump graph of each table: references, the hooks every chain is
 * reachable from (with a path for notes), cycles reachable from a hook
 * (the kernel refuses those), and a callers-before-callees order for the
 * dataflow analyses; then the same hooks and cycles as the legacy kernel
 * sees them (its mark_source_chains stops at an unconditional verdict).
 * Everything is iterative: a 100,000-deep chain of jumps must not
 * overflow the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

/*
 * Hooks flow from the builtin chains down the jumps, in callers-before-
 * callees order (one pass over the rules; cycles, refused by the kernel
 * anyway, may leave chains behind them with fewer hooks). The first rule
 * that brings a hook to a chain is its "via" for notes.
 */
static void cfg_hooks(struct cfg_table *ct)
{
	const struct ast_table *t = ct->table;

	for (uint32_t i = 0; i < t->nchains; i++)
		if (t->chains[i]->builtin)
			ct->chains[i].hooks |= HOOK(t->chains[i]->hook);
	for (uint32_t k = 0; k < t->nchains; k++) {
		const struct ast_chain *c = t->chains[ct->order[k]];
		unsigned int from = ct->chains[c->id].hooks;

		if (!from)
			continue;
		cfg_for_each_rule(r, c) {
			struct cfg_chain *to;
			unsigned int add;

			if (!r->jump || r->jump->builtin)
				continue;
			to = &ct->chains[r->jump->id];
			add = from & ~to->hooks;
			if (!add)
				continue;
			to->hooks |= (uint8_t)add;
			for (int h = 0; h < HOOK__COUNT; h++)
				if (add & HOOK(h))
					to->via[h] = r;
		}
	}
}

/* Iterative DFS state: a chain on the stack and the next rule to follow. */
struct dfs_frame {
	uint32_t chain;
	const struct ast_rule *next;
	const struct ast_rule *entered_by;
};

/*
 * The cycle closed by rule @closing, a jump to the chain at stack[@from]:
 * the jumps that entered stack[from + 1 .. depth - 1], then @closing. Only
 * the first CFG_CYCLE_KEEP - 1 of those are kept: a graph with many back
 * edges into one long path has cycles of quadratic total length.
 */
static void add_cycle(struct cfg_table *ct, bool legacy,
		      const struct dfs_frame *stack, uint32_t depth,
		      uint32_t from, const struct ast_rule *closing)
{
	struct cfg_cycle **v = legacy ? &ct->legacy_cycles : &ct->cycles;
	uint32_t *n = legacy ? &ct->nlegacy_cycles : &ct->ncycles;
	uint32_t *cap = legacy ? &ct->legacy_cycles_cap : &ct->cycles_cap;
	struct cfg_cycle *cy;
	uint32_t keep;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			abort();
	}
	cy = &(*v)[(*n)++];
	cy->len = depth - from;
	keep = cy->len < CFG_CYCLE_KEEP ? cy->len : CFG_CYCLE_KEEP;
	cy->n = keep;
	cy->rules = xcalloc(keep, sizeof(*cy->rules));
	for (uint32_t k = 0; k + 1 < keep; k++)
		cy->rules[k] = stack[from + 1 + k].entered_by;
	cy->rules[keep - 1] = closing;
}

bool cfg_rule_ends_legacy_walk(const struct ast_rule *r)
{
	const struct ext *te = ast_rule_target_ext(r);
	const struct ast_opt *bo;

	if (!te || (te->id != EXT_ID_ACCEPT && te->id != EXT_ID_DROP &&
		    te->id != EXT_ID_RETURN && te->id != EXT_ID_QUEUE))
		return false;
	/* matches[0] holds the ipt_ip options; one more is the target. */
	if (r->nmatches != 2 || r->target != 1)
		return false;
	bo = ast_match_opts(r, &r->matches[0]);
	for (uint32_t k = 0; k < ast_match_nopts(r, &r->matches[0]); k++) {
		const struct ast_opt *o = &bo[k];

		if (!ast_opt_def(o))
			return false;
		switch (ast_opt_id(o)) {
		case OPT_ip_SOURCE:
		case OPT_ip_DESTINATION:
			/* 0.0.0.0/0 leaves the ipt_ip part empty */
			if (o->invert || o->kind != VAL_ADDRS || !o->v.addrs ||
			    o->v.addrs->n != 1 || o->v.addrs->v[0].plen != 0 ||
			    !o->v.addrs->v[0].family)
				return false;
			break;
		case OPT_ip_PROTOCOL:
			/* -p all */
			if (o->invert || o->kind != VAL_UINT || o->v.u != 0)
				return false;
			break;
		case OPT_ip_IN_INTERFACE:
		case OPT_ip_OUT_INTERFACE:
		case OPT_ip_FRAGMENT:
			return false;	/* "-i +" too: the name is kept */
		default:
			break;		/* counters, -v, -4/-6, ... */
		}
	}
	return true;
}

/*
 * DFS from every builtin chain: post-order gives callees before callers;
 * edges to chains still on the stack close a cycle. It visits every chain
 * once, so it also counts the references to each chain.
 *
 * @legacy: the graph mark_source_chains walks instead: from the builtin
 * chains only, each chain up to its first unconditional verdict; only
 * its cycles are recorded (ct->legacy_cycles).
 */
static void cfg_dfs(struct cfg_table *ct, bool legacy)
{
	const struct ast_table *t = ct->table;
	uint32_t n = t->nchains, norder = 0;
	uint8_t *state = xcalloc(n, 1);	/* 0 new, 1 on stack, 2 done */
	struct dfs_frame *stack = xcalloc(n + 1, sizeof(*stack));
	uint32_t *pos = xcalloc(n, sizeof(*pos));	/* stack index while on it */
	uint32_t *post = xcalloc(n, sizeof(*post));

	for (int pass = 0; pass < (legacy ? 1 : 2); pass++) {
		for (uint32_t i = 0; i < n; i++) {
			uint32_t depth = 0;

			/* Builtin roots first, then whatever is left. */
			if (state[i] || (pass == 0) != t->chains[i]->builtin)
				continue;
			pos[i] = depth;
			stack[depth++] = (struct dfs_frame){ i, t->chains[i]->rules, NULL };
			state[i] = 1;
			while (depth) {
				struct dfs_frame *f = &stack[depth - 1];
				const struct ast_rule *r = f->next;

				if (!r) {
					state[f->chain] = 2;
					post[norder++] = f->chain;
					depth--;
					continue;
				}
				f->next = legacy && cfg_rule_ends_legacy_walk(r) ?
					  NULL : r->next_in_chain;
				if (!r->jump)
					continue;
				/* Every rule passes here once: count references too. */
				if (!legacy)
					ct->chains[r->jump->id].nrefs++;
				if (r->jump->builtin)
					continue;
				if (state[r->jump->id] == 1) {
					/* Only cycles reachable from a hook are refused. */
					if (pass == 0)
						add_cycle(ct, legacy, stack, depth,
							  pos[r->jump->id], r);
					continue;
				}
				if (state[r->jump->id] == 2)
					continue;
				state[r->jump->id] = 1;
				pos[r->jump->id] = depth;
				stack[depth++] = (struct dfs_frame){
					r->jump->id, r->jump->rules, r };
			}
		}
	}
	/* Reverse post-order: callers before callees. */
	for (uint32_t i = 0; i < norder && !legacy; i++)
		ct->order[i] = post[norder - 1 - i];
	free(post);
	free(pos);
	free(stack);
	free(state);
}

/*
 * Legacy hooks: from each builtin chain down the jumps before the first
 * unconditional verdict of each chain. A work list, not one pass in
 * ct->order: that order is the full graph's, whose cycles may hide edges
 * of this one. A chain is queued again only when it gains a hook: at most
 * HOOK__COUNT + 1 times.
 */
static void cfg_legacy_hooks(struct cfg_table *ct)
{
	const struct ast_table *t = ct->table;
	uint32_t n = t->nchains, head = 0, tail = 0, cap = n + 1;
	uint32_t *queue = xcalloc(cap, sizeof(*queue));
	uint8_t *queued = xcalloc(n, 1);

	ct->legacy = xcalloc(n, sizeof(*ct->legacy));
	for (uint32_t i = 0; i < n; i++) {
		ct->legacy[i].stop = UINT32_MAX;
		cfg_for_each_rule(r, t->chains[i])
			if (cfg_rule_ends_legacy_walk(r)) {
				ct->legacy[i].stop = r->index;
				break;
			}
	}
	for (uint32_t i = 0; i < n; i++)
		if (t->chains[i]->builtin) {
			ct->legacy[i].hooks |= HOOK(t->chains[i]->hook);
			queue[tail++ % cap] = i;
			queued[i] = 1;
		}
	while (head != tail) {
		const struct ast_chain *c = t->chains[queue[head++ % cap]];
		unsigned int from = ct->legacy[c->id].hooks;

		queued[c->id] = 0;
		cfg_for_each_rule(r, c) {
			struct cfg_chain *to;
			unsigned int add;

			if (r->index > ct->legacy[c->id].stop)
				break;
			if (r->jump && !r->jump->builtin) {
				to = &ct->legacy[r->jump->id];
				add = from & ~to->hooks;
				if (add) {
					to->hooks |= (uint8_t)add;
					for (int h = 0; h < HOOK__COUNT; h++)
						if (add & HOOK(h))
							to->via[h] = r;
					if (!queued[r->jump->id]) {
						queue[tail++ % cap] = r->jump->id;
						queued[r->jump->id] = 1;
					}
				}
			}
		}
	}
	free(queued);
	free(queue);
}

static void cfg_build_table(struct cfg_table *ct, const struct ast_table *t)
{
	ct->table = t;
	ct->chains = xcalloc(t->nchains, sizeof(*ct->chains));
	ct->order = xcalloc(t->nchains, sizeof(*ct->order));
	cfg_dfs(ct, false);
	cfg_hooks(ct);
	cfg_dfs(ct, true);
	cfg_legacy_hooks(ct);
}

const struct cfg *cfg_get(struct lint *lint)
{
	struct cfg *cfg;
	uint32_t i = 0;

	if (lint->cfg)
		return lint->cfg;
	cfg = xcalloc(1, sizeof(*cfg));
	cfg->tables = xcalloc(lint->rs.ntables, sizeof(*cfg->tables));
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		cfg_build_table(&cfg->tables[i++], t);
	cfg->ntables = i;
	lint->cfg = cfg;
	return cfg;
}

void cfg_free(struct cfg *cfg)
{
	if (!cfg)
		return;
	for (uint32_t i = 0; i < cfg->ntables; i++) {
		struct cfg_table *ct = &cfg->tables[i];

		for (uint32_t k = 0; k < ct->ncycles; k++)
			free(ct->cycles[k].rules);
		free(ct->cycles);
		for (uint32_t k = 0; k < ct->nlegacy_cycles; k++)
			free(ct->legacy_cycles[k].rules);
		free(ct->legacy_cycles);
		free(ct->legacy);
		free(ct->chains);
		free(ct->order);
	}
	free(cfg->tables);
	free(cfg);
}

const struct cfg_table *cfg_table_of(const struct cfg *cfg,
				     const struct ast_table *t)
{
	/* cfg_get() builds them in list order: no search per rule. */
	if (t->id < cfg->ntables && cfg->tables[t->id].table == t)
		return &cfg->tables[t->id];
	return NULL;
}

uint32_t cfg_path(const struct cfg_chain *view, const struct ast_chain *c,
		  enum hook_kind hook, char *buf, size_t size)
{
	const struct ast_chain *names[8];
	uint32_t n = 0, total = 0;
	size_t len;

	/* Walk back to the builtin chain; keep the last few names. */
	while (c && !c->builtin) {
		const struct ast_rule *via = view[c->id].via[hook];

		if (n < 8)
			names[n++] = c;
		total++;
		c = via ? via->chain : NULL;
	}
	len = (size_t)snprintf(buf, size, "%s", hook_name(hook));
	if (total > n && len < size)
		len += (size_t)snprintf(buf + len, size - len, " -> ...");
	while (n-- > 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len, " -> %s",
					names[n]->name);
	return total;
}
