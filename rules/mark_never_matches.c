// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mark-never-matches: a -m mark / -m connmark test that is false for
 * every packet the mark walk (analyzer/markflow.c) brings to it. The walk
 * over-approximates the marks packets can carry, so this always holds.
 * Left to the other checks: a test only the other mark would pass
 * (mark-match-confusion) and connmark reached only without conntrack
 * (connmark-untracked).
 */
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

/* A test that mark-clobber already explains. */
static bool clobbered(const struct lint *lint, const struct markflow *mf,
		      const struct ast_rule *r)
{
	if (!lint->checks.enabled[CHECK_MARK_CLOBBER])
		return false;
	for (uint32_t i = 0; i < mf->nclaims; i++)
		if (mf->claims[i].kind == MF_CLOBBER && mf->claims[i].c == r)
			return true;
	return false;
}

void check_run_MARK_NEVER_MATCHES(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	if (mf->gave_up)
		return;
	for (uint32_t i = 0; i < mf->ntests; i++) {
		const struct mf_test *t = &mf->tests[i];
		const struct ast_opt *o = t->opt;
		struct loc at = ast_opt_loc(t->rule, o);
		char test[64], val[64];
		struct diag *d;

		/* connmark bits nothing writes: restore-without-save says why. */
		if (t->connmark && lint->checks.enabled[CHECK_RESTORE_WITHOUT_SAVE] &&
		    !(o->v.mark.mask & t->ct_written))
			continue;
		if (t->truth != TNUM_FALSE || mf_test_untracked(t) ||
		    mf_rule_unreachable(lint, t->rule) || clobbered(lint, mf, t->rule) ||
		    (lint->checks.enabled[CHECK_MARK_MATCH_CONFUSION] &&
		     mf_test_confused(t)))
			continue;
		mf_format_test(test, sizeof(test), o);
		if (o->v.mark.value & ~o->v.mark.mask) {
			d = diag_report(&lint->diags, CHECK_MARK_NEVER_MATCHES, &at,
					"-m %s %s can never match: the value has bits outside the mask, and (mark & mask) never has them",
					t->connmark ? "connmark" : "mark", test);
			continue;
		}
		if (t->connmark && !t->with_ct) {
			d = diag_report(&lint->diags, CHECK_MARK_NEVER_MATCHES, &at,
					"-m connmark %s is never true: the packets that reach it have no conntrack entry (INVALID), and then -m connmark is false even with \"!\"",
					test);
		} else if (tnum_is_const(t->seen)) {
			tnum_format(val, sizeof(val), t->seen);
			d = diag_report(&lint->diags, CHECK_MARK_NEVER_MATCHES, &at,
					"-m %s %s is never true: on every path that reaches it the %s is %s",
					t->connmark ? "connmark" : "mark", test,
					t->connmark ? "connection mark (ctmark)" :
						      "packet mark (nfmark)", val);
		} else if (o->v.mark.mask & ~t->seen.mask) {
			uint32_t bits = o->v.mark.mask & ~t->seen.mask;
			char b[32];

			val_format_mark(b, sizeof(b), bits);
			val_format_mark(val, sizeof(val), t->seen.value & bits);
			d = diag_report(&lint->diags, CHECK_MARK_NEVER_MATCHES, &at,
					"-m %s %s is never true: on every path that reaches it, bits %s of the %s are %s",
					t->connmark ? "connmark" : "mark", test, b,
					t->connmark ? "connection mark (ctmark)" :
						      "packet mark (nfmark)", val);
		} else {
			d = diag_report(&lint->diags, CHECK_MARK_NEVER_MATCHES, &at,
					"-m %s %s is never true: no path that reaches it gives the %s a value it accepts",
					t->connmark ? "connmark" : "mark", test,
					t->connmark ? "connection mark (ctmark)" :
						      "packet mark (nfmark)");
		}
		diag_note(d, &t->rule->loc, "reached via %s", t->path);
	}
}
