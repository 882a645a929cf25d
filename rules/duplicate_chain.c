// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * duplicate-chain: ":X" (or -N X) twice in one table. iptables-legacy-restore
 * fails with "error creating chain 'X': File exists"; iptables-nft-restore
 * accepts it.
 */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_DUPLICATE_CHAIN(struct lint *lint)
{
	if (lint->opt.backend == BACKEND_NFT)
		return;
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		for (uint32_t i = 0; i < t->nchains; i++) {
			const struct ast_chain *c = t->chains[i];
			struct diag *d;

			if (c->ndecls < 2 || !c->redecl.line)
				continue;
			d = diag_report(&lint->diags, CHECK_DUPLICATE_CHAIN,
					&c->redecl,
					"chain '%s' is declared a second time in table '%s' (iptables-legacy-restore: \"File exists\"; iptables-nft-restore accepts it)",
					c->name, t->name);
			diag_note(d, &c->decl, "first declared here");
		}
	}
}
