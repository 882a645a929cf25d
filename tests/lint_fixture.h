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

/* The first table of @lint's ruleset (fails the test if none). */
static inline const struct ast_table *fixture_table(const struct lint *lint)
{
	assert_non_null(lint->rs.tables);
	return lint->rs.tables;
}

/* The live chain @name of the first table (fails the test if none). */
static inline const struct ast_chain *fixture_chain(const struct lint *lint,
						    const char *name)
{
	const struct ast_chain *c =
		ast_table_find_chain(fixture_table(lint), name, strlen(name));

	assert_non_null(c);
	return c;
}

/* The first table's rule on line @line (fails the test if none). */
static inline const struct ast_rule *fixture_line_rule(const struct lint *lint,
						       uint32_t line)
{
	for (const struct ast_rule *r = fixture_table(lint)->rules; r;
	     r = r->next_in_table)
		if (r->loc.line == line)
			return r;
	fail_msg("no rule on line %u", line);
	return NULL;
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
