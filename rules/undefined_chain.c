// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * undefined-chain: -j/-g to a name that is neither a target extension
 * nor a chain of the table, and -A/-I into a chain nobody declared.
 * legacy: "Couldn't load target `X'"; nft: "Chain 'X' does not exist".
 */
#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "rules/checks.h"

static void undefined_target(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *t = ast_rule_target(r);
	struct loc at;

	if (!t || t->ext || !r->jump_name)
		return;
	at = loc_from_span(&r->loc, t->span);
	if (!r->jump) {
		diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
			    "%s %s: no chain or target of that name in table '%s'",
			    r->is_goto ? "-g" : "-j", r->jump_name,
			    r->table->name);
	} else if (!r->jump->declared && !r->jump->builtin) {
		struct diag *d = diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN,
					     &at,
					     "%s %s: the chain is never declared in table '%s' (add ':%s - [0:0]')",
					     r->is_goto ? "-g" : "-j", r->jump_name,
					     r->table->name, r->jump_name);

		(void)d;
	}
}

void check_run_UNDEFINED_CHAIN(struct lint *lint)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		if (t->kind < 0)
			continue;
		/* Rules into undeclared chains: once per chain. */
		for (uint32_t i = 0; i < t->nchains; i++) {
			const struct ast_chain *c = t->chains[i];
			const struct ast_rule *first = c->rules;
			struct loc at;

			if (c->declared || c->builtin || !first)
				continue;
			at = loc_from_span(&first->loc, first->chain_span);
			diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
				    "chain '%s' is not declared in table '%s' (add ':%s - [0:0]' or '-N %s'); %u rule%s added to it",
				    c->name, t->name, c->name, c->name, c->nrules,
				    c->nrules == 1 ? " is" : "s are");
		}
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table)
			if (!r->bad)
				undefined_target(lint, r);
	}
}
