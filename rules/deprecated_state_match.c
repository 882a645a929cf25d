// SPDX-License-Identifier: GPL-2.0-or-later
/* deprecated-state-match: -m state is an alias kept for compatibility. */
#include <stdio.h>
#include <string.h>

#include "iptlint/lint.h"
#include "iptlint/source.h"
#include "rules/checks.h"

void check_run_DEPRECATED_STATE_MATCH(struct lint *lint)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table) {
			const struct ast_match *m;
			const struct ast_opt *o;
			struct loc at;
			struct diag *d;

			if (r->bad || !(m = ast_rule_find_match(r, EXT_ID_state)))
				continue;
			at = loc_from_span(&r->loc, m->span);
			d = diag_report(&lint->diags, CHECK_DEPRECATED_STATE_MATCH, &at,
					"-m state is deprecated; use -m conntrack --ctstate");
			o = m->nopts ? &m->opts[0] : NULL;
			if (d && o && o->nargs) {
				/* Replace "-m state ... --state X" by its conntrack spelling. */
				struct loc whole = at;

				whole.end_col = o->arg.end_col;
				if (o->name.col > at.end_col && o->name.col == at.end_col + 1 && !o->invert) {
					const struct source *src = lint->sources.v[r->loc.file];
					size_t len;
					const char *line = source_line(src, r->loc.line, &len);
					char fix[160];

					if (o->arg.end_col - 1 <= len) {
						snprintf(fix, sizeof(fix),
							 "-m conntrack --ctstate %.*s",
							 (int)(o->arg.end_col - o->arg.col),
							 line + o->arg.col - 1);
						diag_fixit(d, &whole, fix);
					}
				}
			}
		}
}
