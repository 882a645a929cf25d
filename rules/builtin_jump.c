// SPDX-License-Identifier: GPL-2.0-or-later
/* builtin-jump: -j INPUT / -g OUTPUT (libiptc: "Can't jump to builtins"). */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_BUILTIN_JUMP(struct lint *lint)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table) {
			const struct ast_match *tg = ast_rule_target(r);
			struct loc at;

			if (r->bad || !tg || !r->jump || !r->jump->builtin)
				continue;
			at = loc_from_span(&r->loc, tg->span);
			diag_report(&lint->diags, CHECK_BUILTIN_JUMP, &at,
				    "%s %s: cannot jump to a builtin chain; move the rules into a user chain and jump there",
				    r->is_goto ? "-g" : "-j", r->jump->name);
		}
	}
}
