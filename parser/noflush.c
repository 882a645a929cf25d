// SPDX-License-Identifier: GPL-2.0-or-later
/* --noflush: later tables and declarations go on with what exists. */
#include <string.h>

#include "iptlint/values.h"
#include "parser/noflush.h"

struct ast_table *noflush_table(struct ast_ruleset *rs, const char *name,
				size_t len, int family)
{
	for (struct ast_table *t = rs->tables; t; t = t->next) {
		if (strlen(t->name) != len || memcmp(t->name, name, len) != 0)
			continue;
		if (t->family != family && t->family != VAL_FAM_ANY &&
		    family != VAL_FAM_ANY)
			continue;
		if (t->family == VAL_FAM_ANY)
			t->family = family;
		return t;
	}
	return NULL;
}

