// SPDX-License-Identifier: GPL-2.0-or-later
/* trace-enabled: -j TRACE logs every rule a packet passes: debugging only. */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_visit_TRACE_ENABLED(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *tg = ast_rule_target(r);
	struct loc at;

	if (!tg || tg->ext_id != EXT_ID_TRACE)
		return;
	at = loc_from_span(&r->loc, tg->span);
	diag_report(&lint->diags, CHECK_TRACE_ENABLED, &at,
		    "-j TRACE left in the ruleset: every matching packet is traced through each rule it passes (kernel log with iptables-legacy, nft trace events with iptables-nft); remove it after debugging");
}
