// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: the diagnostic queue and the check registry. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "iptlint/check.h"
#include "iptlint/diag.h"

static struct loc mkloc(uint32_t file, uint32_t line, uint32_t col)
{
	struct loc l = { file, line, col, col + 1 };

	return l;
}

static void test_report_formats_and_counts(void **state)
{
	struct diag_queue q;
	struct loc l = mkloc(0, 3, 5);
	struct diag *d;

	(void)state;
	diag_queue_init(&q, NULL);
	d = diag_report(&q, CHECK_BAD_VALUE, &l, "port %d is out of range %s",
			70000, "0-65535");
	assert_non_null(d);
	assert_string_equal(d->msg, "port 70000 is out of range 0-65535");
	assert_int_equal(d->loc.line, 3);
	assert_int_equal(d->loc.col, 5);
	assert_int_equal(d->nnotes, 0);
	assert_null(d->fixit);
	diag_report(&q, CHECK_BAD_VALUE, &l, "again");
	diag_report(&q, CHECK_SYNTAX_ERROR, &l, "other");
	assert_int_equal(q.n, 3);
	assert_int_equal(q.v[0].seq, 0);
	assert_int_equal(q.v[2].seq, 2);
	assert_int_equal(q.count[CHECK_BAD_VALUE], 2);
	assert_int_equal(q.count[CHECK_SYNTAX_ERROR], 1);
	assert_int_equal(q.count[CHECK_MISSING_COMMIT], 0);
	diag_queue_free(&q);
	assert_int_equal(q.n, 0);
	assert_null(q.v);
}

/* Enough reports to make the array grow several times. */
static void test_queue_grows(void **state)
{
	struct diag_queue q;

	(void)state;
	diag_queue_init(&q, NULL);
	for (uint32_t i = 0; i < 1000; i++) {
		struct loc l = mkloc(0, i + 1, 1);

		diag_report(&q, CHECK_SYNTAX_ERROR, &l, "finding %u", i);
	}
	assert_int_equal(q.n, 1000);
	assert_string_equal(q.v[999].msg, "finding 999");
	assert_int_equal(q.v[999].loc.line, 1000);
	diag_queue_free(&q);
}

static void test_notes_and_fixit(void **state)
{
	struct diag_queue q;
	struct loc l = mkloc(0, 7, 2), f = mkloc(0, 7, 4);
	struct diag *d;

	(void)state;
	diag_queue_init(&q, NULL);
	d = diag_report(&q, CHECK_UNKNOWN_OPTION, &l, "unknown option");
	for (uint32_t i = 0; i < 5; i++) {
		struct loc nl = mkloc(0, i + 1, 1);

		diag_note(d, &nl, "note %u", i);
	}
	assert_int_equal(d->nnotes, 5);
	for (uint32_t i = 0; i < 5; i++) {
		char want[16];

		snprintf(want, sizeof(want), "note %u", i);
		assert_string_equal(d->notes[i].msg, want);
		assert_int_equal(d->notes[i].loc.line, i + 1);
	}
	diag_fixit(d, &l, "--dport");
	diag_fixit(d, &f, "--sport");	/* the second one replaces the first */
	assert_string_equal(d->fixit, "--sport");
	assert_int_equal(d->fixit_loc.col, 4);
	diag_queue_free(&q);
}

static void test_sort_is_stable(void **state)
{
	/* file, line, col, and the report number they should sort to */
	static const uint32_t in[][4] = {
		{ 1, 1, 1, 6 },
		{ 0, 9, 1, 4 },
		{ 0, 2, 8, 2 },
		{ 0, 2, 3, 1 },
		{ 0, 2, 8, 3 },	/* same place as 2: stays after it */
		{ 0, 1, 40, 0 },
		{ 0, 9, 1, 5 },
		{ 1, 1, 1, 7 },
	};
	struct diag_queue q;

	(void)state;
	diag_queue_init(&q, NULL);
	for (uint32_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct loc l = mkloc(in[i][0], in[i][1], in[i][2]);

		diag_report(&q, CHECK_SYNTAX_ERROR, &l, "%u", in[i][3]);
	}
	diag_sort(&q);
	for (uint32_t i = 0; i < q.n; i++) {
		char want[16];

		snprintf(want, sizeof(want), "%u", i);
		assert_string_equal(q.v[i].msg, want);
	}
	/* Reports at one place stay in report order. */
	assert_true(q.v[2].seq < q.v[3].seq);
	assert_true(q.v[4].seq < q.v[5].seq);
	assert_true(q.v[6].seq < q.v[7].seq);
	diag_queue_free(&q);
}

/* Many reports at few places: each place keeps its reports in order. */
static void test_sort_many(void **state)
{
	struct diag_queue q;

	(void)state;
	diag_queue_init(&q, NULL);
	for (uint32_t i = 0; i < 3000; i++) {
		struct loc l = mkloc(i % 2, (i * 7) % 5 + 1, (i * 3) % 4 + 1);

		diag_report(&q, CHECK_SYNTAX_ERROR, &l, "x");
	}
	diag_sort(&q);
	for (uint32_t i = 1; i < q.n; i++) {
		const struct loc *a = &q.v[i - 1].loc, *b = &q.v[i].loc;

		assert_true(a->file <= b->file);
		if (a->file != b->file)
			continue;
		assert_true(a->line <= b->line);
		if (a->line != b->line)
			continue;
		assert_true(a->col <= b->col);
		if (a->col == b->col)
			assert_true(q.v[i - 1].seq < q.v[i].seq);
	}
	diag_queue_free(&q);
}

static void test_disabled_check_dropped(void **state)
{
	struct check_set set;
	struct diag_queue q;
	struct loc l = mkloc(0, 1, 1);
	struct diag *d;

	(void)state;
	check_set_default(&set);
	set.enabled[CHECK_BAD_VALUE] = false;
	diag_queue_init(&q, &set);
	assert_false(diag_enabled(&q, CHECK_BAD_VALUE));
	assert_true(diag_enabled(&q, CHECK_SYNTAX_ERROR));
	/*
	 * A disabled report must not even format its message: this argument
	 * would crash vasprintf.
	 */
	d = diag_report(&q, CHECK_BAD_VALUE, &l, "%s", (const char *)1);
	assert_null(d);
	diag_note(d, &l, "ignored");
	diag_fixit(d, &l, "ignored");
	assert_int_equal(q.n, 0);
	assert_int_equal(q.count[CHECK_BAD_VALUE], 0);
	assert_non_null(diag_report(&q, CHECK_SYNTAX_ERROR, &l, "kept"));
	assert_int_equal(q.n, 1);
	/* The queue reads the set when reporting, not when created. */
	set.enabled[CHECK_SYNTAX_ERROR] = false;
	assert_null(diag_report(&q, CHECK_SYNTAX_ERROR, &l, "dropped"));
	assert_int_equal(q.n, 1);
	diag_queue_free(&q);
}

static void test_max_severity_and_counts(void **state)
{
	struct diag_queue q;
	struct loc l = mkloc(0, 1, 1);

	(void)state;
	diag_queue_init(&q, NULL);
	assert_int_equal(diag_max_severity(&q), -1);
	assert_int_equal(diag_count_at_least(&q, SEV_NOTE), 0);
	diag_report(&q, CHECK_UNKNOWN_EXTENSION, &l, "a note");
	assert_int_equal(diag_max_severity(&q), SEV_NOTE);
	diag_report(&q, CHECK_UNKNOWN_EXTENSION, &l, "a note");
	diag_report(&q, CHECK_MISSING_COMMIT, &l, "an error");
	assert_int_equal(diag_max_severity(&q), SEV_ERROR);
	assert_int_equal(diag_count_at_least(&q, SEV_NOTE), 3);
	assert_int_equal(diag_count_at_least(&q, SEV_WARNING), 1);
	assert_int_equal(diag_count_at_least(&q, SEV_ERROR), 1);
	diag_queue_free(&q);
}

static void test_check_table(void **state)
{
	regex_t re;

	(void)state;
	assert_int_equal(regcomp(&re, "^[a-z0-9]+(-[a-z0-9]+)*$",
				 REG_EXTENDED | REG_NOSUB), 0);
	for (int i = 0; i < CHECK__COUNT; i++) {
		const struct check_desc *c = &check_table[i];

		assert_non_null(c->name);
		assert_non_null(c->summary);
		assert_int_equal(regexec(&re, c->name, 0, NULL, 0), 0);
		assert_true(c->severity <= SEV_ERROR);
		/* Unique: the lookup finds this entry, not an earlier one. */
		assert_int_equal(check_lookup(c->name), i);
	}
	regfree(&re);
	assert_int_equal(check_lookup("syntax-error"), CHECK_SYNTAX_ERROR);
	assert_int_equal(check_lookup("syntax"), -1);
	assert_int_equal(check_lookup(""), -1);
	assert_int_equal(check_lookup("all"), -1);
}

static void test_severity_names(void **state)
{
	(void)state;
	assert_string_equal(severity_name(SEV_NOTE), "note");
	assert_string_equal(severity_name(SEV_WARNING), "warning");
	assert_string_equal(severity_name(SEV_ERROR), "error");
	assert_int_equal(severity_parse("note"), SEV_NOTE);
	assert_int_equal(severity_parse("warning"), SEV_WARNING);
	assert_int_equal(severity_parse("error"), SEV_ERROR);
	assert_int_equal(severity_parse("Error"), -1);
	assert_int_equal(severity_parse("info"), -1);
}

static int count_enabled(const struct check_set *set)
{
	int n = 0;

	for (int i = 0; i < CHECK__COUNT; i++)
		n += set->enabled[i];
	return n;
}

static void test_check_set_apply(void **state)
{
	struct check_set set;
	const char *bad = NULL;
	size_t badlen = 0;

	(void)state;
	check_set_default(&set);
	assert_int_equal(count_enabled(&set), CHECK__COUNT);

	assert_int_equal(check_set_apply(&set, "syntax-error,bad-value", false,
					 &bad, &badlen), 0);
	assert_false(set.enabled[CHECK_SYNTAX_ERROR]);
	assert_false(set.enabled[CHECK_BAD_VALUE]);
	assert_int_equal(count_enabled(&set), CHECK__COUNT - 2);

	/* Command-line order: the last list naming a check wins. */
	assert_int_equal(check_set_apply(&set, "all", false, NULL, NULL), 0);
	assert_int_equal(count_enabled(&set), 0);
	assert_int_equal(check_set_apply(&set, " missing-commit ,bad-value",
					 true, NULL, NULL), 0);
	assert_true(set.enabled[CHECK_MISSING_COMMIT]);
	assert_true(set.enabled[CHECK_BAD_VALUE]);
	assert_int_equal(count_enabled(&set), 2);
	assert_int_equal(check_set_apply(&set, "bad-value,all", true,
					 NULL, NULL), 0);
	assert_int_equal(count_enabled(&set), CHECK__COUNT);
}

static void test_check_set_unknown(void **state)
{
	static const char list[] = "bad-value,sintax-error,also-bad";
	struct check_set set, before;
	const char *bad = NULL;
	size_t badlen = 0;

	(void)state;
	check_set_default(&set);
	before = set;
	assert_int_equal(check_set_apply(&set, list, false, &bad, &badlen), -1);
	assert_ptr_equal(bad, list + 10);
	assert_int_equal(badlen, strlen("sintax-error"));
	/* Nothing applied, not even the valid name before the bad one. */
	assert_memory_equal(&set, &before, sizeof(set));

	assert_int_equal(check_set_apply(&set, "bad-value,,syntax-error", true,
					 &bad, &badlen), -1);
	assert_int_equal(badlen, 0);
	assert_int_equal(check_set_apply(&set, "", true, &bad, &badlen), -1);
	assert_int_equal(badlen, 0);
	assert_int_equal(check_set_apply(&set, "bad-value,", true, &bad,
					 &badlen), -1);
	assert_int_equal(check_set_apply(&set, "ALL", true, &bad, &badlen), -1);
	assert_int_equal(badlen, 3);
	assert_memory_equal(&set, &before, sizeof(set));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_formats_and_counts),
		cmocka_unit_test(test_queue_grows),
		cmocka_unit_test(test_notes_and_fixit),
		cmocka_unit_test(test_sort_is_stable),
		cmocka_unit_test(test_sort_many),
		cmocka_unit_test(test_disabled_check_dropped),
		cmocka_unit_test(test_max_severity_and_counts),
		cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_check_set_apply),
		cmocka_unit_test(test_check_set_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
