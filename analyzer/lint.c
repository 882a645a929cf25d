// SPDX-License-Identifier: GPL-2.0-or-later
/* One lint run: set-up, checks, tear-down. */
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "iptlint/reach.h"

void lint_init(struct lint *lint, const struct lint_options *opt)
{
	memset(lint, 0, sizeof(*lint));
	if (opt)
		lint->opt = *opt;
	source_set_init(&lint->sources);
	ast_ruleset_init(&lint->rs);
	check_set_default(&lint->checks);
	diag_queue_init(&lint->diags, &lint->checks);
}

void lint_free(struct lint *lint)
{
	reach_free(lint->reach);
	cfg_free(lint->cfg);
	diag_queue_free(&lint->diags);
	ast_ruleset_free(&lint->rs);
	source_set_free(&lint->sources);
}

void lint_run_checks(struct lint *lint)
{
	void (*visit[CHECK__COUNT])(struct lint *, const struct ast_rule *);
	int nvisit = 0;

	for (int i = 0; i < CHECK__COUNT; i++) {
		if (!lint->checks.enabled[i])
			continue;
		if (check_table[i].run)
			check_table[i].run(lint);
		if (check_table[i].visit)
			visit[nvisit++] = check_table[i].visit;
	}
	if (!nvisit)
		return;
	/* One walk over every rule that loads, for all per-rule checks. */
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table)
			if (!r->bad)
				for (int k = 0; k < nvisit; k++)
					visit[k](lint, r);
}
