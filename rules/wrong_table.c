// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wrong-table: a match or target the kernel only allows in some tables
 * (its .table or checkentry), checked even in unreachable chains, plus
 * the userspace refusal of DROP in nat and the backend differences:
 * TRACE is raw-only for legacy (nft rewrites it as "meta nftrace set 1"),
 * and iptables-nft cannot load -j QUEUE at all.
 */
#include <stdio.h>
#include <string.h>

#include "iptlint/lint.h"
#include "parser/ext_checks.h"
#include "rules/checks.h"

static bool is_named(const struct ast_match *m, const char *name)
{
	return ast_match_ext(m) && strcmp(ast_match_ext(m)->name, name) == 0;
}

static void check_match(struct lint *lint, const struct ast_rule *r,
			const struct ast_match *m, bool is_target)
{
	const struct ext *e = ast_match_ext(m);
	struct loc at = loc_from_span(&r->loc, m->span);
	int kind = r->table->kind;
	char list[64];

	if (!e)
		return;
	if (is_target && is_named(m, "TRACE") && kind != TABLE_RAW) {
		if (lint->opt.backend != BACKEND_NFT)
			diag_report(&lint->diags, CHECK_WRONG_TABLE, &at,
				    "-j TRACE is only valid in the raw table for iptables-legacy (iptables-nft accepts it in any table)");
		return;
	}
	if (is_target && is_named(m, "QUEUE")) {
		if (lint->opt.backend != BACKEND_LEGACY)
			diag_report(&lint->diags, CHECK_WRONG_TABLE, &at,
				    "-j QUEUE cannot be loaded by iptables-nft-restore in any table (use -j NFQUEUE --queue-num 0)");
		return;
	}
	if (is_target && is_named(m, "DROP") && kind == TABLE_NAT) {
		diag_report(&lint->diags, CHECK_WRONG_TABLE, &at,
			    "-j DROP in the nat table: iptables refuses it (\"the nat table is not intended for filtering\"); filter in the filter table");
		return;
	}
	{
		/* Options that need a table of their own (SET --map-set: mangle). */
		unsigned int need = ext_instance_check_tables(r, m);

		if (need && !(need & TBL(kind))) {
			table_list(need, list, sizeof(list));
			diag_report(&lint->diags, CHECK_WRONG_TABLE, &at,
				    "%s %s with these options is only valid in the %s table%s, not in %s",
				    is_target ? "-j" : "-m", e->name, list,
				    strchr(list, ',') ? "s" : "", r->table->name);
			return;
		}
	}
	if (!e->tables || (e->tables & TBL(kind)))
		return;
	table_list(e->tables, list, sizeof(list));
	diag_report(&lint->diags, CHECK_WRONG_TABLE, &at,
		    "%s %s is only valid in the %s table%s, not in %s",
		    is_target ? "-j" : "-m", e->name, list,
		    strchr(list, ',') ? "s" : "", r->table->name);
}

void check_visit_WRONG_TABLE(struct lint *lint, const struct ast_rule *r)
{
	int kind = r->table->kind;

	if (kind < 0)
		return;
	if (r->cmd == CMD_POLICY && ast_rule_policy(r) &&
	    strcmp(ast_rule_policy(r), "DROP") == 0 && kind == TABLE_NAT)
		diag_report(&lint->diags, CHECK_WRONG_TABLE, &r->loc,
			    "policy DROP in the nat table: iptables refuses it (\"the nat table is not intended for filtering\")");
	for (uint32_t m = 1; m < r->nmatches; m++)
		check_match(lint, r, &r->matches[m], (int32_t)m == r->target);
}
