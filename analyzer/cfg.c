// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The jump graph of each table: references, the hooks every chain is
 * reachable from (with a path for notes), cycles reachable from a hook
 * (the kernel refuses those), and a callers-before-callees order for the
 * dataflow analyses. Everything is iterative: a 100,000-deep chain of
 * jumps must not overflow the stack.
 *
 * The two backends walk the graph differently. iptables-nft's validation
 * (nft_chain_validate) follows every jump of every rule. iptables-legacy's
 * mark_source_chains() walks each chain from its first rule and ends the
 * walk of a chain at an unconditional standard verdict: the rules after
 * it get no hook (comefrom 0, so their hooks go unchecked) and their
 * jumps are not followed, for the hook masks and for the loop check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/arena.h"
#include "iptlint/cfg.h"
#include "iptlint/ptrmap.h"
#include "iptlint/lint.h"

bool cfg_legacy_stop(const struct ast_rule *r)
{
	const struct ast_opt *o;
	uint32_t n;
	int fam;

	switch (r->target_ext) {
	case EXT_ID_ACCEPT:
	case EXT_ID_DROP:
	case EXT_ID_RETURN:
	case EXT_ID_QUEUE:
		break;
	default:
		return false;
	}
	/* Any -m (or implicit match) makes target_offset bigger. */
	if (r->is_goto || r->nmatches != 2 || r->target != 1)
		return false;
	fam = r->only_family ? r->only_family : r->table->family;
	o = ast_match_opts(r, &r->matches[0]);
	n = ast_match_nopts(r, &r->matches[0]);
	for (uint32_t i = 0; i < n; i++, o++) {
		switch (ast_opt_id(o)) {
		case OPT_ip_SOURCE:
		case OPT_ip_DESTINATION:
			/* "x/0" leaves address and mask 0; "!" sets invflags. */
			if (o->invert || o->kind != VAL_ADDRS)
				return false;
			for (uint32_t k = 0; k < o->v.addrs->n; k++)
				if (o->v.addrs->v[k].plen != 0)
					return false;
			break;
		case OPT_ip_PROTOCOL:
			/* "-p all" is proto 0 in ipt_ip, but ip6tables sets IP6T_F_PROTO. */
			if (o->invert || o->v.u != 0 || fam == VAL_FAM_V6)
				return false;
			break;
		case OPT_ip_IN_INTERFACE:
		case OPT_ip_OUT_INTERFACE:	/* even "+" is a name in ipt_ip */
		case OPT_ip_FRAGMENT:
			return false;
		default:
			break;	/* -c, -4/-6, -v...: not in ipt_ip */
		}
	}
	return true;
}

/* @r's jump gives hooks @from (legacy: @legacy) to chain @to. */
static void add_hooks(struct cfg_table *ct, uint32_t to, unsigned int from,
		      unsigned int legacy, const struct ast_rule *r)
{
	struct cfg_chain *cc = &ct->chains[to];
	unsigned int add = from & ~(unsigned int)cc->hooks;

	if (add) {
		cc->hooks |= (uint8_t)add;
		for (int h = 0; h < HOOK__COUNT; h++)
			if (add & HOOK(h))
				cc->via[h] = r;
	}
	add = legacy & ~(unsigned int)cc->legacy_hooks;
	if (!add)
		return;
	cc->legacy_hooks |= (uint8_t)add;
	for (int h = 0; h < HOOK__COUNT; h++) {
		struct cfg_legacy_via *v;

		/* Legacy's first jump bringing the hook: nearly always via[]. */
		if (!(add & HOOK(h)) || cc->via[h] == r)
			continue;
		if (ct->nlegacy_via == ct->legacy_via_cap) {
			ct->legacy_via_cap = ct->legacy_via_cap ? 2 * ct->legacy_via_cap : 16;
			ct->legacy_via = realloc(ct->legacy_via, ct->legacy_via_cap *
						 sizeof(*ct->legacy_via));
			if (!ct->legacy_via)
				abort();
		}
		v = &ct->legacy_via[ct->nlegacy_via++];
		*v = (struct cfg_legacy_via){ to, (uint32_t)h, r };
	}
}

const struct ast_rule *cfg_via(const struct cfg_table *ct,
			       const struct ast_chain *c, enum hook_kind hook,
			       bool legacy)
{
	if (legacy)
		for (uint32_t i = 0; i < ct->nlegacy_via; i++)
			if (ct->legacy_via[i].chain == c->id &&
			    ct->legacy_via[i].hook == (uint32_t)hook)
				return ct->legacy_via[i].rule;
	return ct->chains[c->id].via[hook];
}

/*
 * Hooks flow from the builtin chains down the jumps, in callers-before-
 * callees order (one pass over the rules; cycles, refused by the kernel
 * anyway, may leave chains behind them with fewer hooks). The first rule
 * that brings a hook to a chain is its "via" for notes. Legacy's hooks
 * flow the same way, but stop at each chain's first stop rule.
 */
static void cfg_hooks(struct cfg_table *ct)
{
	const struct ast_table *t = ct->table;

	for (uint32_t i = 0; i < t->nchains; i++)
		if (t->chains[i]->builtin) {
			ct->chains[i].hooks |= HOOK(t->chains[i]->hook);
			ct->chains[i].legacy_hooks |= HOOK(t->chains[i]->hook);
		}
	for (uint32_t k = 0; k < t->nchains; k++) {
		const struct ast_chain *c = cfg_order_chain(ct, k, 1);
		struct cfg_chain *cc = &ct->chains[c->id];
		unsigned int from = cc->hooks, legacy = cc->legacy_hooks;

		if (!from)
			continue;
		cfg_for_each_rule(r, c) {
			if (r->jump && !r->jump_builtin)
				add_hooks(ct, r->jump_id, from, legacy, r);
			if (!cc->stop && cfg_legacy_stop(r)) {
				cc->stop = r;
				legacy = 0;
			}
		}
	}
}

const struct ast_rule *cfg_legacy_cut(const struct cfg_table *ct,
				      const struct ast_rule *r,
				      enum hook_kind hook)
{
	const struct ast_chain *c = r->chain;

	/* Back along the jumps that bring @hook, to the first one legacy skips. */
	for (uint32_t n = 0; c && n <= ct->table->nchains; n++) {
		const struct cfg_chain *cc = &ct->chains[c->id];

		if (!(cc->hooks & HOOK(hook)))
			return NULL;
		if (cc->legacy_hooks & HOOK(hook))
			return cc->stop && r->index > cc->stop->index ?
			       cc->stop : NULL;
		if (c->builtin)
			return NULL;
		r = cc->via[hook];
		c = r ? r->chain : NULL;
	}
	return NULL;
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
static void add_cycle(struct cfg_cycle **cycles, uint32_t *ncycles,
		      uint32_t *cap, const struct dfs_frame *stack,
		      uint32_t depth, uint32_t from,
		      const struct ast_rule *closing)
{
	struct cfg_cycle *cy = vec_push((void **)cycles, ncycles, cap,
					sizeof(**cycles));
	uint32_t keep;

	cy->len = depth - from;
	keep = cy->len < CFG_CYCLE_KEEP ? cy->len : CFG_CYCLE_KEEP;
	cy->n = keep;
	cy->rules = arena_heap_zalloc(keep, sizeof(*cy->rules));
	for (uint32_t k = 0; k + 1 < keep; k++)
		cy->rules[k] = stack[from + 1 + k].entered_by;
	cy->rules[keep - 1] = closing;
}

/*
 * DFS from the builtin chains over the jumps, iterative. With @legacy it
 * is mark_source_chains()' loop check: it walks a chain's rules only up to
 * its stop rule, from the builtin chains alone, and marks what it reaches
 * legacy_seen (run only when the full graph has a cycle: it has all of
 * legacy's). Without, it follows every jump, then starts again from the
 * chains left over: post-order gives the callers-before-callees order,
 * and as it passes every rule once it counts the references to each
 * chain. Either way an edge to a chain still on the stack closes a cycle;
 * only the cycles reachable from a hook are kept (the kernel refuses those).
 */
static void cfg_dfs(struct cfg_table *ct, bool legacy)
{
	const struct ast_table *t = ct->table;
	uint32_t n = t->nchains, norder = 0, cap = 0;
	uint8_t *state = arena_heap_zalloc(n, 1);	/* 0 new, 1 on stack, 2 done */
	struct dfs_frame *stack = arena_heap_zalloc(n + 1, sizeof(*stack));
	uint32_t *pos = arena_heap_zalloc(n, sizeof(*pos));	/* stack index while on it */
	uint32_t *post = legacy ? NULL : arena_heap_zalloc(n, sizeof(*post));
	struct cfg_cycle **cycles = legacy ? &ct->legacy_cycles : &ct->cycles;
	uint32_t *ncycles = legacy ? &ct->nlegacy_cycles : &ct->ncycles;

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
				uint32_t j;

				if (!r) {
					state[f->chain] = 2;
					if (legacy)
						ct->chains[f->chain].legacy_seen = true;
					else
						post[norder++] = f->chain;
					depth--;
					continue;
				}
				f->next = legacy && r == ct->chains[f->chain].stop ?
					  NULL : r->next_in_chain;
				if (!r->jump)
					continue;
				j = r->jump_id;
				if (!legacy)
					ct->chains[j].nrefs++;
				if (r->jump_builtin)
					continue;
				if (state[j] == 1 && pass == 0)
					add_cycle(cycles, ncycles, &cap, stack, depth,
						  pos[j], r);
				if (state[j])
					continue;
				state[j] = 1;
				pos[j] = depth;
				stack[depth++] = (struct dfs_frame){ j, r->jump->rules, r };
			}
		}
	}
	/* Reverse post-order: callers before callees. */
	for (uint32_t i = 0; i < norder; i++)
		ct->order[i] = t->chains[post[norder - 1 - i]];
	free(post);
	free(pos);
	free(stack);
	free(state);
}

static void cfg_build_table(struct cfg_table *ct, const struct ast_table *t)
{
	ct->table = t;
	ct->chains = arena_heap_zalloc(t->nchains, sizeof(*ct->chains));
	ct->order = arena_heap_zalloc(t->nchains, sizeof(*ct->order));
	cfg_dfs(ct, false);
	cfg_hooks(ct);
	if (ct->ncycles)
		cfg_dfs(ct, true);
}

const struct cfg *cfg_get(struct lint *lint)
{
	struct cfg *cfg;
	uint32_t i = 0;

	if (lint->cfg)
		return lint->cfg;
	cfg = arena_heap_zalloc(1, sizeof(*cfg));
	cfg->tables = arena_heap_zalloc(lint->rs.ntables, sizeof(*cfg->tables));
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
		free(ct->legacy_via);
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

uint32_t cfg_path(const struct cfg_table *ct, const struct ast_chain *c,
		  enum hook_kind hook, bool legacy, char *buf, size_t size)
{
	const struct ast_chain *names[8];
	uint32_t n = 0, total = 0;
	size_t len;

	/* Walk back to the builtin chain; keep the last few names. */
	while (c && !c->builtin && total <= ct->table->nchains) {
		const struct ast_rule *via = cfg_via(ct, c, hook, legacy);

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
