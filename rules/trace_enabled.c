// SPDX-License-Identifier: GPL-2.0-or-later
/* trace-enabled: -j TRACE logs every rule a packet passes: debugging only. */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_visit_TRACE_ENABLED(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *tg;
	struct loc at;

	if (r->target_ext != EXT_ID_TRACE || !(tg = ast_rule_target(r)))
		return;
	at = loc_from_span(&r->loc, tg->span);
	diag_report(&lint->diags, CHECK_TRACE_ENABLED, &at,
		    "-j TRACE left in the ruleset: every matching packet is traced through each rule it passes (kernel log with iptables-legacy, nft trace events with iptables-nft); remove it after debugging");
}
