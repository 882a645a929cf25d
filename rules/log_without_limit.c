// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log-without-limit: a LOG/NFLOG rule with no rate limit lets a flood of
 * packets become a flood of log lines (a disk- and CPU-filling DoS).
 */
#include "iptlint/lint.h"
#include "rules/checks.h"

static bool is_limited(const struct ast_rule *r)
{
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ext *e = ast_match_ext(&r->matches[m]);

		if ((int32_t)m == r->target || !e)
			continue;
		if (e->id == EXT_ID_limit)
			return true;
		/* --hashlimit-above matches the excess: it logs the flood. */
		if (e->id == EXT_ID_hashlimit &&
		    !ast_rule_find_opt(r, OPT_hashlimit_HASHLIMIT_ABOVE))
			return true;
	}
	return false;
}

void check_visit_LOG_WITHOUT_LIMIT(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *tg;
	struct loc at;

	if ((r->target_ext != EXT_ID_LOG && r->target_ext != EXT_ID_NFLOG) ||
	    !(tg = ast_rule_target(r)) || is_limited(r))
		return;
	at = loc_from_span(&r->loc, tg->span);
	diag_report(&lint->diags, CHECK_LOG_WITHOUT_LIMIT, &at,
		    "-j %s without a rate limit: a packet flood becomes a log flood; add e.g. -m limit --limit 5/min",
		    ast_match_ext(tg)->name);
}
