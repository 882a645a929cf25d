// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log-without-limit: a LOG/NFLOG rule with no rate limit lets a flood of
 * packets become a flood of log lines (a disk- and CPU-filling DoS).
 */
#include <string.h>

#include "iptlint/lint.h"
#include "rules/checks.h"

static bool is_limited(const struct ast_rule *r)
{
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const char *n = r->matches[m].name;

		if ((int32_t)m != r->target &&
		    (strcmp(n, "limit") == 0 || strcmp(n, "hashlimit") == 0))
			return true;
	}
	return false;
}

void check_run_LOG_WITHOUT_LIMIT(struct lint *lint)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table) {
			const struct ast_match *tg = ast_rule_target(r);
			struct loc at;

			if (r->bad || !tg || !tg->ext ||
			    (strcmp(tg->ext->name, "LOG") != 0 &&
			     strcmp(tg->ext->name, "NFLOG") != 0) ||
			    is_limited(r))
				continue;
			at = loc_from_span(&r->loc, tg->span);
			diag_report(&lint->diags, CHECK_LOG_WITHOUT_LIMIT, &at,
				    "-j %s without a rate limit: a packet flood becomes a log flood; add e.g. -m limit --limit 5/min",
				    tg->ext->name);
		}
}
