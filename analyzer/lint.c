// SPDX-License-Identifier: GPL-2.0-or-later
/* One lint run: set-up, checks, tear-down. */
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"

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
	cfg_free(lint->cfg);
	diag_queue_free(&lint->diags);
	ast_ruleset_free(&lint->rs);
	source_set_free(&lint->sources);
}

void lint_run_checks(struct lint *lint)
{
	for (int i = 0; i < CHECK__COUNT; i++)
		if (check_table[i].run && lint->checks.enabled[i])
			check_table[i].run(lint);
}
