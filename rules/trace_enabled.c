// SPDX-License-Identifier: GPL-2.0-or-later
/* trace-enabled: -j TRACE logs every rule a packet passes: debugging only. */
#include <string.h>

#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_TRACE_ENABLED(struct lint *lint)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table) {
			const struct ast_match *tg = ast_rule_target(r);
			struct loc at;

			if (r->bad || !tg || !tg->ext || strcmp(tg->ext->name, "TRACE"))
				continue;
			at = loc_from_span(&r->loc, tg->span);
			diag_report(&lint->diags, CHECK_TRACE_ENABLED, &at,
				    "-j TRACE left in the ruleset: every matching packet logs each rule it passes; remove it after debugging");
		}
}
