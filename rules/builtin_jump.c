// SPDX-License-Identifier: GPL-2.0-or-later
/* builtin-jump: -j INPUT / -g OUTPUT (libiptc: "Can't jump to builtins"). */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_visit_BUILTIN_JUMP(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *tg;
	struct loc at;

	if (!r->jump || !r->jump_builtin)
		return;	/* nearly every rule: no read of its matches */
	tg = ast_rule_target(r);
	if (!tg)
		return;
	at = loc_from_span(&r->loc, tg->span);
	diag_report(&lint->diags, CHECK_BUILTIN_JUMP, &at,
		    "%s %s: cannot jump to a builtin chain; move the rules into a user chain and jump there",
		    r->is_goto ? "-g" : "-j", r->jump->name);
}
