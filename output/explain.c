// SPDX-License-Identifier: GPL-2.0-or-later
/* --explain NAME: the check's page, compiled into the binary. */
#include <string.h>

#include "output/explain.h"

const char *explain_page(const char *name)
{
	for (const struct explain_page *p = explain_pages; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p->text;
	return NULL;
}
