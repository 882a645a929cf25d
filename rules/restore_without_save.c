// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * restore-without-save: --restore-mark or -m connmark reads ctmark bits
 * that no rule of the ruleset ever writes. A new connection's ctmark is 0
 * (nf_conntrack_core.c zeroes it), and only CONNMARK --save-mark and
 * CONNMARK --set-* change it, so those bits are always 0. The reads and
 * the written bits are collected by the mark walk's scan (markflow.c).
 */
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

void check_run_RESTORE_WITHOUT_SAVE(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	for (uint32_t i = 0; i < mf->nctreads; i++) {
		const struct mf_ctread *c = &mf->ctreads[i];
		char b[32];
		struct loc at;

		if (!c->bits || (c->bits & c->written))
			continue;
		val_format_mark(b, sizeof(b), c->bits);
		if (!c->opt) {
			at = loc_from_span(&c->rule->loc, ast_rule_target(c->rule)->span);
			diag_report(&lint->diags, CHECK_RESTORE_WITHOUT_SAVE, &at,
				    "--restore-mark copies ctmark bits %s that no rule ever writes (no CONNMARK --save-mark or --set-mark covers them): they are always 0, so this only clears the packet mark",
				    b);
		} else {
			at = ast_opt_loc(c->rule, c->opt);
			diag_report(&lint->diags, CHECK_RESTORE_WITHOUT_SAVE, &at,
				    "-m connmark reads ctmark bits %s that no rule ever writes (no CONNMARK --save-mark or --set-mark covers them): they are always 0",
				    b);
		}
	}
}
