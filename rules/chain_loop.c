// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chain-loop: a cycle of jumps reachable from a builtin chain. The kernel
 * refuses the table (legacy: ELOOP from mark_source_chains, "line N
 * failed" at COMMIT; nft: "Too many links"). Unreachable cycles load.
 * Legacy's walk stops at an unconditional ACCEPT/DROP/QUEUE/RETURN (see
 * analyzer/cfg.c): a loop only entered after one loads there.
 *
 * nft refuses deep nesting the same way (nft_chain_validate, jump stack
 * of 16): at most 15 user chains below a base chain, gotos included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "rules/checks.h"

/* nft's NFT_JUMP_STACK_SIZE: a 16th nested user chain is refused. */
#define NFT_MAX_DEPTH	15

/* The longest jump path (in user chains) from a base chain, callers first. */
static void check_depth(struct lint *lint, const struct cfg_table *ct)
{
	const struct ast_table *t = ct->table;
	uint32_t *depth;
	const struct ast_rule **why;

	if (lint->opt.backend == BACKEND_LEGACY || ct->ncycles || !t->nchains)
		return;
	depth = calloc(t->nchains, sizeof(*depth));
	why = calloc(t->nchains, sizeof(*why));
	if (!depth || !why)
		abort();
	for (uint32_t k = 0; k < t->nchains; k++) {
		const struct ast_chain *c = cfg_order_chain(ct, k, 1);

		if (!ct->chains[c->id].hooks)
			continue;
		cfg_for_each_rule(r, c) {
			uint32_t d;

			if (!r->jump || r->jump_builtin)
				continue;
			d = depth[c->id] + 1;
			if (d > depth[r->jump_id]) {
				depth[r->jump_id] = d;
				why[r->jump_id] = r;
			}
		}
	}
	for (uint32_t i = 0; i < t->nchains; i++) {
		const struct ast_rule *r = why[i];
		const struct ast_match *tg;
		struct loc at;

		/* Report the first chain past the limit, at the jump into it. */
		if (depth[i] != NFT_MAX_DEPTH + 1 || !r)
			continue;
		tg = ast_rule_target(r);
		at = tg ? loc_from_span(&r->loc, tg->span) : r->loc;
		diag_report(&lint->diags, CHECK_CHAIN_LOOP, &at,
			    "%s %s nests user chains %u deep below a builtin chain: iptables-nft-restore refuses more than %d (\"Too many links\"); iptables-legacy accepts it",
			    r->is_goto ? "-g" : "-j", r->jump->name, depth[i],
			    NFT_MAX_DEPTH);
	}
	free(depth);
	free(why);
}

/* Does legacy's walk follow every jump of @cy? */
static bool legacy_walks(const struct cfg_table *ct, const struct cfg_cycle *cy)
{
	for (uint32_t j = 0; j < cy->n; j++) {
		const struct ast_rule *r = cy->rules[j];
		const struct cfg_chain *cc = &ct->chains[r->chain->id];

		if (!cc->legacy_seen || (cc->stop && r->index > cc->stop->index))
			return false;
	}
	return true;
}

/* The stop rule that keeps legacy's walk away from @cy, for a note. */
static const struct ast_rule *legacy_cut(const struct cfg_table *ct,
					 const struct cfg_cycle *cy)
{
	for (uint32_t j = 0; j < cy->n; j++) {
		const struct ast_rule *r = cy->rules[j];
		unsigned int hooks = ct->chains[r->chain->id].hooks;

		for (int h = 0; h < HOOK__COUNT; h++) {
			const struct ast_rule *cut;

			if ((hooks & HOOK(h)) &&
			    (cut = cfg_legacy_cut(ct, r, (enum hook_kind)h)))
				return cut;
		}
	}
	return NULL;
}

/*
 * @why: NULL when both backends refuse the table because of this loop,
 * else a "(...)" saying which one does.
 */
static void report_cycle(struct lint *lint, const struct cfg_cycle *cy,
			 const char *why, const struct ast_rule *cut)
{
	const struct ast_rule *closing = cy->rules[cy->n - 1];
	const struct ast_match *tg = ast_rule_target(closing);
	struct loc at = tg ? loc_from_span(&closing->loc, tg->span)
			   : closing->loc;
	char path[512];
	size_t len = 0;
	struct diag *d;

	path[0] = '\0';
	for (uint32_t j = 0; j < cy->n && len < sizeof(path) - 64; j++) {
		/* A long cycle: its first jumps and the last. */
		if (j + 1 == cy->n && cy->len > cy->n)
			len += (size_t)snprintf(path + len, sizeof(path) - len,
						"... -> ");
		len += (size_t)snprintf(path + len, sizeof(path) - len,
					"%s -> ", cy->rules[j]->chain->name);
	}
	if (len < sizeof(path))
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s",
					closing->jump->name);
	if (cy->len > cy->n && len < sizeof(path))
		snprintf(path + len, sizeof(path) - len, " (%u chains)", cy->len);
	if (why)
		d = diag_report(&lint->diags, CHECK_CHAIN_LOOP, &at,
				"jump loop %s: %s", path, why);
	else
		d = diag_report(&lint->diags, CHECK_CHAIN_LOOP, &at,
				"jump loop %s: the kernel refuses the table",
				path);
	for (uint32_t j = 0; j + 1 < cy->n; j++)
		diag_note(d, &cy->rules[j]->loc, "%s jumps to %s here",
			  cy->rules[j]->chain->name, cy->rules[j]->jump->name);
	if (cut)
		diag_note(d, &cut->loc,
			  "iptables-legacy's loop check (mark_source_chains) stops walking %s at this unconditional -j %s",
			  cut->chain->name, cut->matches[cut->target].name);
}

void check_run_CHAIN_LOOP(struct lint *lint)
{
	const struct cfg *cfg = cfg_get(lint);
	enum backend be = lint->opt.backend;

	for (uint32_t i = 0; i < cfg->ntables; i++) {
		const struct cfg_table *ct = &cfg->tables[i];
		bool legacy_loops = ct->nlegacy_cycles > 0;

		check_depth(lint, ct);

		/* Legacy's loops are loops for nft too (it walks more). */
		if (be != BACKEND_NFT)
			for (uint32_t k = 0; k < ct->nlegacy_cycles; k++)
				report_cycle(lint, &ct->legacy_cycles[k], NULL, NULL);
		if (be == BACKEND_LEGACY)
			continue;
		for (uint32_t k = 0; k < ct->ncycles; k++) {
			const struct cfg_cycle *cy = &ct->cycles[k];

			if (be == BACKEND_NFT) {
				report_cycle(lint, cy, NULL, NULL);
			} else if (!legacy_walks(ct, cy)) {
				/* Only nft walks into this one. */
				report_cycle(lint, cy, legacy_loops ?
					     "iptables-nft-restore refuses the table (\"Too many links\"); the legacy loop check does not walk into this loop" :
					     "iptables-nft-restore refuses the table (\"Too many links\"); iptables-legacy-restore accepts it: its loop check stops at an unconditional verdict before the loop",
					     legacy_cut(ct, cy));
			}
		}
	}
}
