// SPDX-License-Identifier: GPL-2.0-or-later
/* unreachable-rule: see analyzer/reach.c for the analysis. */
#include "iptlint/lint.h"
#include "rules/checks.h"

void check_run_UNREACHABLE_RULE(struct lint *lint)
{
	(void)lint;
}
