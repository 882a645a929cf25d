// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chain-loop: a cycle of jumps reachable from a builtin chain. The kernel
 * refuses the table (legacy: ELOOP from mark_source_chains, "line N
 * failed" at COMMIT; nft: "Too many links"). Unreachable cycles load, and
 * legacy does not see a loop behind an unconditional ACCEPT, DROP or
 * RETURN (mark_source_chains stops there; nft walks every rule).
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
		const struct ast_chain *c = t->chains[ct->order[k]];

		if (!ct->chains[c->id].hooks)
			continue;
		cfg_for_each_rule(r, c) {
			uint32_t d;

			if (!r->jump || r->jump->builtin)
				continue;
			d = depth[c->id] + 1;
			if (d > depth[r->jump->id]) {
				depth[r->jump->id] = d;
				why[r->jump->id] = r;
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

void check_run_CHAIN_LOOP(struct lint *lint)
{
	const struct cfg *cfg = cfg_get(lint);

	for (uint32_t i = 0; i < cfg->ntables; i++) {
		const struct cfg_table *ct = &cfg->tables[i];

		bool legacy = lint->opt.backend == BACKEND_LEGACY;
		const struct cfg_cycle *cycles = legacy ? ct->legacy_cycles
							: ct->cycles;
		uint32_t ncycles = legacy ? ct->nlegacy_cycles : ct->ncycles;
		/* Without a backend: nft's loops; legacy may not see them. */
		const char *who = lint->opt.backend == BACKEND_ANY &&
				  !ct->nlegacy_cycles ?
			"iptables-nft refuses the table; iptables-legacy accepts it (its loop check does not look past an unconditional ACCEPT, DROP or RETURN)" :
			"the kernel refuses the table";

		check_depth(lint, ct);

		for (uint32_t k = 0; k < ncycles; k++) {
			const struct cfg_cycle *cy = &cycles[k];
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
					len += (size_t)snprintf(path + len,
								sizeof(path) - len,
								"... -> ");
				len += (size_t)snprintf(path + len, sizeof(path) - len,
							"%s -> ", cy->rules[j]->chain->name);
			}
			if (len < sizeof(path))
				snprintf(path + len, sizeof(path) - len, "%s",
					 closing->jump->name);
			if (cy->len > cy->n)
				d = diag_report(&lint->diags, CHECK_CHAIN_LOOP, &at,
						"jump loop %s (%u chains): %s",
						path, cy->len, who);
			else
				d = diag_report(&lint->diags, CHECK_CHAIN_LOOP, &at,
						"jump loop %s: %s", path, who);
			for (uint32_t j = 0; j + 1 < cy->n; j++)
				diag_note(d, &cy->rules[j]->loc, "%s jumps to %s here",
					  cy->rules[j]->chain->name,
					  cy->rules[j]->jump->name);
		}
	}
}
