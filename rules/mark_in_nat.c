// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mark-in-nat: nat chains run only for the first packet of a connection
 * (nf_nat_core.c: once per connection and manip type), so a MARK there
 * marks that packet alone and a CONNMARK there runs once.
 */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_visit_MARK_IN_NAT(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *tg;
	struct loc at;

	if (r->table->kind != TABLE_NAT ||
	    (r->target_ext != EXT_ID_MARK && r->target_ext != EXT_ID_CONNMARK) ||
	    !(tg = ast_rule_target(r)))
		return;
	at = loc_from_span(&r->loc, tg->span);
	if (tg->ext_id == EXT_ID_MARK)
		diag_report(&lint->diags, CHECK_MARK_IN_NAT, &at,
			    "MARK in the nat table marks only the first packet of each connection: nat chains never see later packets, so they never get this mark; set it in the mangle table");
	else
		diag_report(&lint->diags, CHECK_MARK_IN_NAT, &at,
			    "CONNMARK in the nat table runs only for the first packet of each connection (nat chains never see later packets); use the mangle table if later packets need it");
}
