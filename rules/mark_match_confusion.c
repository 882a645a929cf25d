// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mark-match-confusion: -m mark tests a value that only the connection
 * mark carries on the paths reaching it (it was set with CONNMARK and
 * never restored), or -m connmark one that only the packet mark carries
 * (set with MARK, never saved). The test is never true as written; the
 * other match would be. A fix-it swaps the match.
 */
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

void check_run_MARK_MATCH_CONFUSION(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	if (mf->gave_up)
		return;
	for (uint32_t i = 0; i < mf->ntests; i++) {
		const struct mf_test *t = &mf->tests[i];
		const struct ast_match *m = NULL;
		char test[64], val[64];
		struct loc at;
		struct diag *d;

		if (!mf_test_confused(t) || mf_rule_unreachable(lint, t->rule))
			continue;
		/* The -m word of the match holding this option. */
		for (uint32_t k = 1; k < t->rule->nmatches && !m; k++) {
			const struct ast_match *c = &t->rule->matches[k];
			const struct ast_opt *o = ast_match_opts(t->rule, c);

			if (t->opt >= o && t->opt < o + ast_match_nopts(t->rule, c))
				m = c;
		}
		mf_format_test(test, sizeof(test), t->opt);
		tnum_format(val, sizeof(val), t->seen);
		at = m && !m->implicit ? loc_from_span(&t->rule->loc, m->span) :
		     ast_opt_loc(t->rule, t->opt);
		if (t->connmark)
			d = diag_report(&lint->diags, CHECK_MARK_MATCH_CONFUSION, &at,
					"-m connmark %s is never true, but the packet mark (nfmark) can be: the value is set with MARK and never saved to the connection (the ctmark here is %s); did you mean -m mark?",
					test, val);
		else
			d = diag_report(&lint->diags, CHECK_MARK_MATCH_CONFUSION, &at,
					"-m mark %s is never true, but the connection mark (ctmark) can be: the value is set with CONNMARK and never restored to the packet (the nfmark here is %s); did you mean -m connmark?",
					test, val);
		if (m && !m->implicit)
			diag_fixit(d, &at, t->connmark ? "-m mark" : "-m connmark");
		diag_note(d, &t->rule->loc, "reached via %s", t->path);
	}
}
