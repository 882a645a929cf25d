// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chain-loop: a cycle of jumps reachable from a builtin chain. The kernel
 * refuses the table (legacy: ELOOP from mark_source_chains, "line N
 * failed" at COMMIT; nft: "Too many links"). Unreachable cycles load.
 */
#include <stdio.h>
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_CHAIN_LOOP(struct lint *lint)
{
	const struct cfg *cfg = cfg_get(lint);

	for (uint32_t i = 0; i < cfg->ntables; i++) {
		const struct cfg_table *ct = &cfg->tables[i];

		for (uint32_t k = 0; k < ct->ncycles; k++) {
			const struct cfg_cycle *cy = &ct->cycles[k];
			const struct ast_rule *closing = cy->rules[cy->n - 1];
			const struct ast_match *tg = ast_rule_target(closing);
			struct loc at = tg ? loc_from_span(&closing->loc, tg->span)
					   : closing->loc;
			char path[512];
			size_t len = 0;
			struct diag *d;

			path[0] = '\0';
			for (uint32_t j = 0; j < cy->n && len < sizeof(path) - 64; j++)
				len += (size_t)snprintf(path + len, sizeof(path) - len,
							"%s -> ", cy->rules[j]->chain->name);
			if (len < sizeof(path))
				snprintf(path + len, sizeof(path) - len, "%s",
					 closing->jump->name);
			d = diag_report(&lint->diags, CHECK_CHAIN_LOOP, &at,
					"jump loop %s: the kernel refuses the table",
					path);
			for (uint32_t j = 0; j + 1 < cy->n; j++)
				diag_note(d, &cy->rules[j]->loc, "%s jumps to %s here",
					  cy->rules[j]->chain->name,
					  cy->rules[j]->jump->name);
		}
	}
}
