// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unreachable-rule: no packet can match the rule, because earlier rules of
 * its chain end the walk of every packet that could (analyzer/reach.c).
 * The notes name a small set of those rules.
 */
#include "iptlint/lint.h"
#include "iptlint/reach.h"
#include "iptlint/rulekey.h"
#include "rules/checks.h"

/* A rule blocked only by an identical earlier rule: duplicate-rule says it. */
static bool is_plain_duplicate(const struct lint *lint,
			       const struct reach_finding *f)
{
	const struct source *src = lint->sources.v[f->rule->loc.file];
	struct rule_key a = { 0 }, b = { 0 };
	bool same;

	if (f->nblockers != 1 || !lint->checks.enabled[CHECK_DUPLICATE_RULE])
		return false;
	rule_key_build(&a, f->rule, src);
	rule_key_build(&b, f->blockers[0], src);
	same = rule_key_equal(&a, &b);
	rule_key_free(&a);
	rule_key_free(&b);
	return same;
}

void check_run_UNREACHABLE_RULE(struct lint *lint)
{
	const struct reach *rc = reach_get(lint);

	for (uint32_t i = 0; i < rc->n; i++) {
		const struct reach_finding *f = &rc->v[i];
		struct diag *d;

		if (is_plain_duplicate(lint, f))
			continue;

		if (f->nblockers == 0)
			d = diag_report(&lint->diags, CHECK_UNREACHABLE_RULE,
					&f->rule->loc,
					"rule is unreachable: earlier rules of chain %s take every packet it could match (not named: the chain has too many findings to explain each)",
					f->rule->chain->name);
		else if (f->nblockers == 1)
			d = diag_report(&lint->diags, CHECK_UNREACHABLE_RULE,
					&f->rule->loc,
					"rule is unreachable: an earlier rule of chain %s takes every packet it could match",
					f->rule->chain->name);
		else
			d = diag_report(&lint->diags, CHECK_UNREACHABLE_RULE,
					&f->rule->loc,
					"rule is unreachable: %u earlier rules of chain %s together take every packet it could match",
					f->nblockers, f->rule->chain->name);
		/* A few notes say enough; a dump can have thousands of blockers. */
		for (uint32_t k = 0; k < f->nblockers && k < REACH_BLOCKERS_KEPT; k++)
			diag_note(d, &f->blockers[k]->loc,
				  f->nblockers == 1 ? "this rule takes them" :
				  "this rule takes part of them");
		if (f->nblockers > REACH_BLOCKERS_KEPT)
			diag_note(d, &f->rule->loc, "and %u more earlier rules",
				  f->nblockers - REACH_BLOCKERS_KEPT);
	}
}
