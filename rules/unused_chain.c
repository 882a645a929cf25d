// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unused-chain: a user chain with rules that no -j/-g reaches: its rules
 * never run. Empty unreferenced chains (kube-proxy's canary chains) do
 * nothing at all and are not reported.
 */
#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_UNUSED_CHAIN(struct lint *lint)
{
	const struct cfg *cfg = cfg_get(lint);

	for (uint32_t i = 0; i < cfg->ntables; i++) {
		const struct cfg_table *ct = &cfg->tables[i];
		const struct ast_table *t = ct->table;

		if (t->kind < 0)
			continue;	/* an unknown table: reported, not judged */
		for (uint32_t k = 0; k < t->nchains; k++) {
			const struct ast_chain *c = t->chains[k];

			if (c->builtin || !c->declared || !c->rules ||
			    ct->chains[k].nrefs)
				continue;
			diag_report(&lint->diags, CHECK_UNUSED_CHAIN, &c->decl,
				    "chain '%s' has %u rule%s but no -j/-g jumps to it: they never run",
				    c->name, c->nrules, c->nrules == 1 ? "" : "s");
		}
	}
}
