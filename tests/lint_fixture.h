/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_TESTS_LINT_FIXTURE_H
#define IPTLINT_TESTS_LINT_FIXTURE_H

/*
 * For the cmocka tests: read @text as one input file of @lint (initialised
 * by the caller, who picks its options), as the CLI reads a file.
 * Include after <cmocka.h>.
 */
#include <string.h>

#include "iptlint/lint.h"

static inline void fixture_parse(struct lint *lint, const char *text)
{
	int id = source_load_mem(&lint->sources, "t.rules", text, strlen(text));

	assert_true(id >= 0);
	lint_parse(lint, (uint32_t)id);
}

#endif
