// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * duplicate-chain: a user chain declared twice in one table.
 * iptables-legacy-restore fails ("error creating chain 'X': File exists");
 * iptables-nft-restore accepts a repeated ":X" line but refuses -N of a
 * chain that exists ("Chain already exists"). Builtin chains may be
 * declared again: the last policy wins.
 */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_DUPLICATE_CHAIN(struct lint *lint)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		for (uint32_t i = 0; i < t->nchains; i++) {
			const struct ast_chain *c = t->chains[i];
			struct loc redecl = ast_chain_redecl(c);
			struct loc nft = ast_chain_nft_redecl(c);
			bool nft_too = nft.line != 0;
			struct diag *d;

			if (c->builtin || c->ndecls < 2 || !redecl.line)
				continue;
			/* Legacy fails at the first second declaration, nft at its -N. */
			if (lint->opt.backend == BACKEND_NFT) {
				if (!nft_too)
					continue;
				redecl = nft;
			}
			d = diag_report(&lint->diags, CHECK_DUPLICATE_CHAIN,
					&redecl,
					nft_too ?
					"chain '%s' is created a second time in table '%s' (both backends refuse it)" :
					"chain '%s' is declared a second time in table '%s' (iptables-legacy-restore: \"File exists\"; iptables-nft-restore accepts it)",
					c->name, t->name);
			diag_note(d, &c->decl, "first declared here");
			if (nft_too && nft.line != redecl.line)
				diag_note(d, &nft, "iptables-nft-restore refuses this -N (\"Chain already exists\")");
		}
	}
}
