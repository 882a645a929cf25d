// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connmark-untracked: CONNMARK or -m connmark where no packet has a
 * conntrack entry: in the raw table (it runs before conntrack), or after
 * CT --notrack / NOTRACK. CONNMARK then does nothing and -m connmark is
 * false even with "!" (xt_connmark.c; reference §2).
 */
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

static const char *why(bool raw_only)
{
	return raw_only ?
	       "the raw table runs before conntrack, so no packet has a conntrack entry there" :
	       "every packet reaching it is exempted from conntrack (CT --notrack / NOTRACK) or reaches it in the raw table, before conntrack";
}

void check_run_CONNMARK_UNTRACKED(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	if (mf->gave_up)
		return;
	for (uint32_t i = 0; i < mf->nctuses; i++) {
		const struct mf_ctuse *u = &mf->ctuses[i];
		const struct ast_match *tg = ast_rule_target(u->rule);
		struct loc at = loc_from_span(&u->rule->loc, tg->span);
		struct diag *d;

		if (u->with_ct || !u->no_ct || u->no_ct_invalid)
			continue;
		d = diag_report(&lint->diags, CHECK_CONNMARK_UNTRACKED, &at,
				"CONNMARK does nothing here: %s", why(u->raw_only));
		diag_note(d, &u->rule->loc, "reached via %s", u->path);
	}
	for (uint32_t i = 0; i < mf->ntests; i++) {
		const struct mf_test *t = &mf->tests[i];
		struct loc at = ast_opt_loc(t->rule, t->opt);
		char test[64];
		struct diag *d;

		if (!mf_test_untracked(t))
			continue;
		mf_format_test(test, sizeof(test), t->opt);
		d = diag_report(&lint->diags, CHECK_CONNMARK_UNTRACKED, &at,
				"-m connmark %s is always false here, even with \"!\": %s",
				test, why(t->rule->table->kind == TABLE_RAW));
		diag_note(d, &t->rule->loc, "reached via %s", t->path);
	}
}
