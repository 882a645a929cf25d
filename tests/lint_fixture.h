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

/*
 * cmocka setup() and teardown() for a test state of type @type: a struct
 * whose member "lint" is the run, zeroed and lint_init()ed with default
 * options before each test, lint_free()d after it.
 */
#define LINT_FIXTURE_SETUP_TEARDOWN(type)			\
static int setup(void **state)					\
{								\
	type *t = test_calloc(1, sizeof(*t));			\
								\
	lint_init(&t->lint, NULL);				\
	*state = t;						\
	return 0;						\
}								\
								\
static int teardown(void **state)				\
{								\
	type *t = *state;					\
								\
	lint_free(&t->lint);					\
	test_free(t);						\
	return 0;						\
}

#endif
