// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * deprecated-state-match: -m state is an alias kept for compatibility;
 * -m conntrack --ctstate is the same test. A fix-it rewrites
 * "-m state --state X" when the option directly follows the match.
 */
#include <stdio.h>

#include "iptlint/lint.h"
#include "iptlint/source.h"
#include "rules/checks.h"

static void add_fixit(struct lint *lint, const struct ast_rule *r,
		      struct diag *d, const struct loc *at,
		      const struct ast_opt *o)
{
	const struct source *src = lint->sources.v[r->loc.file];
	struct loc whole = *at;
	const char *line;
	char fix[160];
	size_t len;

	if (o->invert || !o->nargs || o->name.col != at->end_col + 1)
		return;
	line = source_line(src, r->loc.line, &len);
	if (o->arg.end_col - 1 > len)
		return;
	whole.end_col = o->arg.end_col;
	snprintf(fix, sizeof(fix), "-m conntrack --ctstate %.*s",
		 (int)(o->arg.end_col - o->arg.col), line + o->arg.col - 1);
	diag_fixit(d, &whole, fix);
}

void check_visit_DEPRECATED_STATE_MATCH(struct lint *lint,
					const struct ast_rule *r)
{
	const struct ast_match *m;
	struct loc at;
	struct diag *d;

	/* AST_TESTS_STATE: most rules need no look at their matches. */
	if (!(r->tests & AST_TESTS_STATE) ||
	    !(m = ast_rule_find_match(r, EXT_ID_state)))
		return;
	at = loc_from_span(&r->loc, m->span);
	d = diag_report(&lint->diags, CHECK_DEPRECATED_STATE_MATCH, &at,
			"-m state is deprecated; use -m conntrack --ctstate");
	if (d && ast_match_nopts(r, m))
		add_fixit(lint, r, d, &at, ast_match_opts(r, m));
}
