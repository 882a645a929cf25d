// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: fingerprints (output/fingerprint.c) and the baseline file
 * (output/baseline.c): written, read back, applied.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lint_fixture.h"

#include "iptlint/lint.h"
#include "output/baseline.h"
#include "output/fingerprint.h"

static const char old_rules[] =
	"*filter\n"
	":INPUT ACCEPT [0:0]\n"
	":FORWARD ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	"-A INPUT -p tcp --dport 22 -j ACCEPT\n"
	"-A INPUT -p tcp --dport 22 -j ACCEPT\n"
	"-A INPUT -j LOG\n"
	"COMMIT\n";

/* The same rules moved down by blank lines, and a new duplicate. */
static const char new_rules[] =
	"*filter\n"
	"\n"
	":INPUT ACCEPT [0:0]\n"
	":FORWARD ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	"\n"
	"\n"
	"-A INPUT -p tcp --dport 22 -j ACCEPT\n"
	"-A INPUT -p tcp --dport 22 -j ACCEPT\n"
	"-A INPUT -p udp --dport 53 -j ACCEPT\n"
	"-A INPUT -p udp --dport 53 -j ACCEPT\n"
	"-A INPUT -j LOG\n"
	"COMMIT\n";

/* Lint @text with every check; sorted and fingerprinted as the CLI does. */
static void lint_text(struct lint *lint, const char *text)
{

	lint_init(lint, NULL);
	fixture_parse(lint, text);
	lint_run_checks(lint);
	diag_sort(&lint->diags);
	fingerprint_queue(&lint->diags, &lint->sources, &lint->rs);
}

static char *tmp_path(void)
{
	char tmpl[] = "/tmp/iptlint-baseline-XXXXXX";
	int fd = mkstemp(tmpl);
	char *p;

	assert_true(fd >= 0);
	close(fd);
	p = strdup(tmpl);
	assert_non_null(p);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_format_parse(void **state)
{
	char buf[FINGERPRINT_HEX_LEN + 1];
	uint64_t fp;

	(void)state;
	fingerprint_format(0x0123456789abcdefull, buf, sizeof(buf));
	assert_string_equal(buf, "0123456789abcdef");
	assert_true(fingerprint_parse(buf, &fp));
	assert_true(fp == 0x0123456789abcdefull);
	assert_false(fingerprint_parse("0123456789ABCDEF", &fp));
	assert_false(fingerprint_parse("0123456789abcde", &fp));
	assert_false(fingerprint_parse("0123456789abcdef0", &fp));
	assert_false(fingerprint_parse("", &fp));
}

/* The queue's fingerprints are what SARIF and the baseline both use. */
static void test_queue_matches_compute(void **state)
{
	struct lint lint;
	uint64_t *fp;

	(void)state;
	lint_text(&lint, old_rules);
	assert_true(lint.diags.fingerprinted);
	assert_true(lint.diags.n >= 2);
	fp = calloc(lint.diags.n, sizeof(*fp));
	assert_non_null(fp);
	fingerprint_compute(&lint.diags, &lint.sources, &lint.rs, fp);
	for (uint32_t i = 0; i < lint.diags.n; i++) {
		assert_true(fp[i] == lint.diags.v[i].fingerprint);
		for (uint32_t j = 0; j < i; j++)
			assert_true(fp[i] != fp[j]);
	}
	free(fp);
	lint_free(&lint);
}

static void test_round_trip_hides_old_findings(void **state)
{
	struct lint lint;
	struct baseline bl;
	char *path = tmp_path(), *err = NULL;
	uint32_t n_old;
	FILE *f;

	(void)state;
	lint_text(&lint, old_rules);
	n_old = lint.diags.n;
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(baseline_write(f, &lint.diags, &lint.sources), 0);
	fclose(f);
	lint_free(&lint);

	assert_int_equal(baseline_load(&bl, path, &err), 0);
	assert_null(err);
	assert_int_equal(bl.n, n_old);

	/* The same rules: everything is hidden. */
	lint_text(&lint, old_rules);
	assert_int_equal(baseline_filter(&bl, &lint.diags), n_old);
	assert_int_equal(lint.diags.n, 0);
	assert_int_equal(diag_count_at_least(&lint.diags, SEV_NOTE), 0);
	lint_free(&lint);

	/* Moved lines: still hidden; the new duplicate alone is left. */
	lint_text(&lint, new_rules);
	assert_int_equal(baseline_filter(&bl, &lint.diags), n_old);
	assert_int_equal(lint.diags.n, 1);
	assert_int_equal(lint.diags.v[0].check, CHECK_DUPLICATE_RULE);
	assert_int_equal(lint.diags.v[0].loc.line, 11);
	assert_int_equal(lint.diags.count[CHECK_DUPLICATE_RULE], 1);
	assert_int_equal(diag_count_at_least(&lint.diags, SEV_NOTE), 1);
	lint_free(&lint);

	baseline_free(&bl);
	unlink(path);
	free(path);
}

static void test_written_document(void **state)
{
	struct lint lint;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	lint_text(&lint, old_rules);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(baseline_write(f, &lint.diags, &lint.sources), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"version\": 1"));
	assert_non_null(strstr(buf, "\"tool\": \"iptlint\""));
	assert_non_null(strstr(buf, "\"check\": \"duplicate-rule\""));
	assert_non_null(strstr(buf, "\"file\": \"t.rules\""));
	assert_non_null(strstr(buf, "\"line\": 6"));
	assert_non_null(strstr(buf, "\"message\": \"this rule repeats"));
	assert_non_null(strstr(buf, "\"fingerprint\": \""));
	free(buf);
	lint_free(&lint);
}

static void expect_load_error(const char *text, const char *want)
{
	struct baseline bl;
	char *path = tmp_path(), *err = NULL;

	write_file(path, text);
	assert_int_equal(baseline_load(&bl, path, &err), -1);
	assert_non_null(err);
	assert_string_equal(err + strlen(path), want);
	free(err);
	baseline_free(&bl);
	unlink(path);
	free(path);
}

static void test_bad_files(void **state)
{
	struct baseline bl;
	char *err = NULL;

	(void)state;
	expect_load_error("{\"version\": 1,\n", ":2:1: error: string or '}' expected near end of file");
	expect_load_error("[]", ": not an iptlint baseline (no \"version\" and \"findings\"; write one with --write-baseline)");
	expect_load_error("{\"version\": 2, \"findings\": []}", ": baseline version 2; this iptlint reads version 1");
	expect_load_error("{\"version\": 1, \"findings\": [{\"fingerprint\": \"xyz\"}]}",
			  ": finding 1 has no valid \"fingerprint\" (16 hex digits)");
	assert_int_equal(baseline_load(&bl, "/nonexistent/baseline.json", &err), -1);
	assert_non_null(err);
	free(err);
	baseline_free(&bl);
}

static void test_empty_baseline(void **state)
{
	struct baseline bl;
	struct lint lint;
	char *path = tmp_path(), *err = NULL;

	(void)state;
	write_file(path, "{\"version\": 1, \"findings\": []}\n");
	assert_int_equal(baseline_load(&bl, path, &err), 0);
	assert_int_equal(bl.n, 0);
	assert_false(baseline_has(&bl, 0));
	lint_text(&lint, old_rules);
	assert_int_equal(baseline_filter(&bl, &lint.diags), 0);
	assert_true(lint.diags.n > 0);
	lint_free(&lint);
	baseline_free(&bl);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_queue_matches_compute),
		cmocka_unit_test(test_round_trip_hides_old_findings),
		cmocka_unit_test(test_written_document),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_empty_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
