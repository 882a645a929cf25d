// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: the text, gcc and JSON renderers, on hand-made findings. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "iptlint/diag.h"
#include "iptlint/source.h"
#include "output/render.h"

/* Line 2: a tab, "-A INPUT", a tab, then "-p tcp --dportx ..." at col 11. */
static const char rules[] =
	"*filter\n"
	"\t-A INPUT\t-p tcp --dportx 22 -j ACCEPT\n"
	"COMMIT\n";

struct fixture {
	struct source_set src;
	struct diag_queue q;
	char *out;
	size_t len;
	FILE *f;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	source_set_init(&fx->src);
	diag_queue_init(&fx->q, NULL);
	fx->f = open_memstream(&fx->out, &fx->len);
	*state = fx;
	return fx->f ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx->f)
		fclose(fx->f);
	free(fx->out);
	diag_queue_free(&fx->q);
	source_set_free(&fx->src);
	free(fx);
	return 0;
}

static uint32_t add_source(struct fixture *fx, const char *name,
			   const char *data, size_t len)
{
	int id = source_load_mem(&fx->src, name, data, len);

	assert_true(id >= 0);
	return (uint32_t)id;
}

static struct loc mkloc(uint32_t file, uint32_t line, uint32_t col,
			uint32_t end_col)
{
	struct loc l = { file, line, col, end_col };

	return l;
}

/* Close the memstream and hand out what was written. */
static const char *output(struct fixture *fx)
{
	assert_int_equal(fclose(fx->f), 0);
	fx->f = NULL;
	return fx->out;
}

static const char *text(struct fixture *fx, bool color)
{
	render_text(fx->f, &fx->q, &fx->src, color);
	return output(fx);
}

/* The standard finding on line 2, with a fix-it and a note. */
static void add_dportx(struct fixture *fx, uint32_t file)
{
	struct loc l = mkloc(file, 2, 18, 26), n = mkloc(file, 2, 11, 13);
	struct diag *d;

	d = diag_report(&fx->q, CHECK_UNKNOWN_OPTION, &l,
			"unknown option \"%s\"", "--dportx");
	diag_fixit(d, &l, "--dport");
	diag_note(d, &n, "match \"tcp\" loaded by -p here");
}

static void test_text_tabs_align(void **state)
{
	struct fixture *fx = *state;

	add_dportx(fx, add_source(fx, "a.rules", rules, strlen(rules)));
	assert_string_equal(text(fx, false),
		"a.rules:2:18: error: unknown option \"--dportx\" [unknown-option]\n"
		"\t-A INPUT\t-p tcp --dportx 22 -j ACCEPT\n"
		"\t        \t       ^~~~~~~~\n"
		"  fix-it: replace \"--dportx\" with \"--dport\"\n"
		"a.rules:2:11: note: match \"tcp\" loaded by -p here\n"
		"\t-A INPUT\t-p tcp --dportx 22 -j ACCEPT\n"
		"\t        \t^~\n"
		"1 error, 0 warnings, 0 notes\n");
}

static void test_text_color(void **state)
{
	struct fixture *fx = *state;

	add_dportx(fx, add_source(fx, "a.rules", rules, strlen(rules)));
	assert_string_equal(text(fx, true),
		"\033[1ma.rules:2:18:\033[0m \033[1;31merror:\033[0m "
		"unknown option \"--dportx\" [unknown-option]\n"
		"\t-A INPUT\t-p tcp --dportx 22 -j ACCEPT\n"
		"\t        \t       \033[1;32m^~~~~~~~\033[0m\n"
		"  \033[1;32mfix-it:\033[0m replace \"--dportx\" with \"--dport\"\n"
		"\033[1ma.rules:2:11:\033[0m \033[1;36mnote:\033[0m "
		"match \"tcp\" loaded by -p here\n"
		"\t-A INPUT\t-p tcp --dportx 22 -j ACCEPT\n"
		"\t        \t\033[1;32m^~\033[0m\n"
		"1 error, 0 warnings, 0 notes\n");
}

/* A caret just past the end of the line ("argument missing"). */
static void test_text_caret_past_end(void **state)
{
	static const char src[] = "-A INPUT -j\n";
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "b.rules", src, strlen(src));
	struct loc l = mkloc(f, 1, 12, 12);

	diag_report(&fx->q, CHECK_SYNTAX_ERROR, &l, "-j needs a target");
	l = mkloc(f, 1, 40, 45);	/* beyond the line: clamped there too */
	diag_report(&fx->q, CHECK_MISSING_OPTION, &l, "way off");
	assert_string_equal(text(fx, false),
		"b.rules:1:12: error: -j needs a target [syntax-error]\n"
		"-A INPUT -j\n"
		"           ^\n"
		"b.rules:1:40: error: way off [missing-option]\n"
		"-A INPUT -j\n"
		"           ^\n"
		"2 errors, 0 warnings, 0 notes\n");
}

/* Inside the span a tab is underlined to the next 8-column stop. */
static void test_text_tab_in_span(void **state)
{
	static const char src[] = "\t-A X\tY\n";
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "e.rules", src, strlen(src));
	struct loc l = mkloc(f, 1, 1, 8);

	diag_report(&fx->q, CHECK_SYNTAX_ERROR, &l, "whole line");
	assert_string_equal(text(fx, false),
		"e.rules:1:1: error: whole line [syntax-error]\n"
		"\t-A X\tY\n"
		"^" "~~~~~~~~" "~~~~~~~~\n"	/* 8 + 4 + 4 + 1 cells */
		"1 error, 0 warnings, 0 notes\n");
}

static char *long_line(size_t len, size_t at, const char *word)
{
	char *s = malloc(len + 2);

	assert_non_null(s);
	memset(s, 'a', len);
	memcpy(s + at, word, strlen(word));
	s[len] = '\n';
	s[len + 1] = '\0';
	return s;
}

static void test_text_long_line_clipped(void **state)
{
	struct fixture *fx = *state;
	char *src = long_line(1000, 500, "BAD");
	uint32_t f = add_source(fx, "long.rules", src, 1001);
	struct loc l = mkloc(f, 1, 501, 504);
	char want[512];
	char *w = want;

	diag_report(&fx->q, CHECK_SYNTAX_ERROR, &l, "bad");
	w += sprintf(w, "long.rules:1:501: error: bad [syntax-error]\n...");
	w += sprintf(w, "%.*s...\n", 123, src + 440);	/* 60 + "BAD" + 60 */
	w += sprintf(w, "%63s^~~\n", "");		/* "..." + 60 */
	sprintf(w, "1 error, 0 warnings, 0 notes\n");
	assert_string_equal(text(fx, false), want);
	free(src);
}

/* A span over a long line is underlined TEXT_CLIP_SPAN (160) bytes far. */
static void test_text_long_span_clipped(void **state)
{
	struct fixture *fx = *state;
	char *src = long_line(1000, 0, "-A");
	uint32_t f = add_source(fx, "long.rules", src, 1001);
	struct loc l = mkloc(f, 1, 1, 1001);
	char want[512];
	char *w = want;

	diag_report(&fx->q, CHECK_SYNTAX_ERROR, &l, "bad");
	w += sprintf(w, "long.rules:1:1: error: bad [syntax-error]\n");
	w += sprintf(w, "%.*s...\n^", 220, src);	/* 160 + 60 */
	memset(w, '~', 159);
	sprintf(w + 159, "\n1 error, 0 warnings, 0 notes\n");
	assert_string_equal(text(fx, false), want);
	free(src);
}

/* A 1 MB line prints a couple of hundred bytes, not a megabyte. */
static void test_text_huge_line(void **state)
{
	struct fixture *fx = *state;
	size_t len = 1 << 20;
	char *src = long_line(len, len / 2, "BAD");
	uint32_t f = add_source(fx, "huge.rules", src, len + 1);
	struct loc l = mkloc(f, 1, len / 2 + 1, len / 2 + 4);

	diag_report(&fx->q, CHECK_SYNTAX_ERROR, &l, "bad");
	assert_true(strlen(text(fx, false)) < 400);
	free(src);
}

/*
 * Control bytes, invalid UTF-8 and bidi controls show as one '?' each;
 * valid UTF-8 is copied and takes one marker column per character.
 */
static void test_text_unsafe_bytes(void **state)
{
	static const char src[] =
		"-A X \x1b[31m \xff\xfe \xc3\xa9 \xe2\x80\xae BAD\n";
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "bad\x1bname", src, strlen(src));
	struct loc l = mkloc(f, 1, 22, 25);

	diag_report(&fx->q, CHECK_SYNTAX_ERROR, &l, "two\nlines\x7f");
	assert_string_equal(text(fx, false),
		"bad?name:1:22: error: two lines? [syntax-error]\n"
		"-A X ?[31m ?? \xc3\xa9 ? BAD\n"
		"                  ^~~\n"
		"1 error, 0 warnings, 0 notes\n");
}

static void test_text_fixit_kinds(void **state)
{
	static const char src[] = "-A INPUT -m state --state NEW\n";
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "c.rules", src, strlen(src));
	struct loc l = mkloc(f, 1, 10, 18), ins = mkloc(f, 1, 10, 10);
	struct loc other = mkloc(f, 1, 1, 3);
	struct diag *d;

	d = diag_report(&fx->q, CHECK_UNKNOWN_EXTENSION, &l, "insert");
	diag_fixit(d, &ins, "-p tcp ");
	d = diag_report(&fx->q, CHECK_UNKNOWN_EXTENSION, &l, "remove");
	diag_fixit(d, &l, "");
	d = diag_report(&fx->q, CHECK_UNKNOWN_EXTENSION, &l, "elsewhere");
	diag_fixit(d, &other, "-I");
	assert_string_equal(text(fx, false),
		"c.rules:1:10: note: insert [unknown-extension]\n"
		"-A INPUT -m state --state NEW\n"
		"         ^~~~~~~~\n"
		"  fix-it: insert \"-p tcp \"\n"
		"c.rules:1:10: note: remove [unknown-extension]\n"
		"-A INPUT -m state --state NEW\n"
		"         ^~~~~~~~\n"
		"  fix-it: remove \"-m state\"\n"
		"c.rules:1:10: note: elsewhere [unknown-extension]\n"
		"-A INPUT -m state --state NEW\n"
		"         ^~~~~~~~\n"
		"  fix-it: replace \"-A\" with \"-I\" at 1:1\n"
		"0 errors, 0 warnings, 3 notes\n");
}

/* No excerpt when the location is not in the sources. */
static void test_text_no_excerpt(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "d.rules", "x\n", 2);
	struct loc past = mkloc(f, 9, 1, 2), nofile = mkloc(7, 1, 1, 2);

	diag_report(&fx->q, CHECK_MISSING_COMMIT, &past, "past the end");
	diag_report(&fx->q, CHECK_MISSING_COMMIT, &nofile, "no file");
	diag_report(&fx->q, CHECK_MISSING_COMMIT, &nofile, "another");
	assert_string_equal(text(fx, false),
		"d.rules:9:1: error: past the end [missing-commit]\n"
		"<unknown>:1:1: error: no file [missing-commit]\n"
		"<unknown>:1:1: error: another [missing-commit]\n"
		"3 errors, 0 warnings, 0 notes\n");
}

static void test_text_empty(void **state)
{
	struct fixture *fx = *state;

	add_source(fx, "a.rules", rules, strlen(rules));
	assert_string_equal(text(fx, false), "");
}

static void test_utf8_decode(void **state)
{
	static const struct {
		const char *s;
		size_t len;	/* 0: not a valid start */
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 'A' },
		{ "\xc3\xa9", 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 0x1f600 },
		{ "\xf4\x8f\xbf\xbf", 4, 0x10ffff },
		{ "\xc0\xaf", 0, 0 },			/* overlong '/' */
		{ "\xe0\x80\xaf", 0, 0 },		/* overlong */
		{ "\xed\xa0\x80", 0, 0 },		/* surrogate */
		{ "\xf4\x90\x80\x80", 0, 0 },	/* beyond U+10FFFF */
		{ "\xe2\x82", 0, 0 },			/* cut short */
		{ "\xa9", 0, 0 },			/* stray continuation */
		{ "\xc3" "A", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp = 0;
		size_t n = render_utf8_decode((const unsigned char *)cases[i].s,
					      strlen(cases[i].s), &cp);

		assert_int_equal(n, cases[i].len);
		if (n)
			assert_int_equal(cp, cases[i].cp);
	}
}

static const char gcc_re[] =
	"^[^:]+:[0-9]+:[0-9]+: (error|warning|note): .* \\[[a-z0-9-]+\\]$";

static void test_gcc(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "a.rules", rules, strlen(rules));
	uint32_t g = add_source(fx, "dir:with:colons\nand newline", rules,
				strlen(rules));
	struct loc l = mkloc(g, 3, 1, 7);
	const char *out, *p;
	regex_t re;
	int lines = 0;

	add_dportx(fx, f);
	diag_report(&fx->q, CHECK_MISSING_COMMIT, &l, "multi\nline\r\tmsg");
	diag_report(&fx->q, CHECK_UNKNOWN_EXTENSION, &l, "%s", "");
	render_gcc(fx->f, &fx->q, &fx->src);
	out = output(fx);
	assert_string_equal(out,
		"a.rules:2:18: error: unknown option \"--dportx\" [unknown-option]\n"
		"a.rules:2:11: note: match \"tcp\" loaded by -p here [unknown-option]\n"
		"dir%3Awith%3Acolons and newline:3:1: error: multi line  msg "
		"[missing-commit]\n"
		"dir%3Awith%3Acolons and newline:3:1: note:  [unknown-extension]\n");
	assert_int_equal(regcomp(&re, gcc_re, REG_EXTENDED | REG_NOSUB), 0);
	for (p = out; *p; lines++) {
		const char *nl = strchr(p, '\n');
		char *line;

		assert_non_null(nl);
		line = strndup(p, (size_t)(nl - p));
		assert_int_equal(regexec(&re, line, 0, NULL, 0), 0);
		free(line);
		p = nl + 1;
	}
	regfree(&re);
	assert_int_equal(lines, 4);
}

static json_t *json_of(struct fixture *fx)
{
	json_error_t err;
	json_t *root;

	assert_int_equal(render_json(fx->f, &fx->q, &fx->src), 0);
	root = json_loads(output(fx), 0, &err);
	if (!root)
		fail_msg("invalid JSON: %s at %d", err.text, err.line);
	return root;
}

static void assert_json_int(json_t *obj, const char *key, json_int_t want)
{
	json_t *v = json_object_get(obj, key);

	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), want);
}

static void assert_json_str(json_t *obj, const char *key, const char *want)
{
	json_t *v = json_object_get(obj, key);

	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), want);
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	json_t *root, *diags, *d, *notes, *fix, *sum;

	add_dportx(fx, add_source(fx, "a.rules", rules, strlen(rules)));
	root = json_of(fx);
	assert_json_int(root, "version", 1);
	assert_json_str(root, "tool", "iptlint");
	diags = json_object_get(root, "diagnostics");
	assert_true(json_is_array(diags));
	assert_int_equal(json_array_size(diags), 1);
	d = json_array_get(diags, 0);
	assert_json_str(d, "file", "a.rules");
	assert_json_int(d, "line", 2);
	assert_json_int(d, "column", 18);
	assert_json_int(d, "end_line", 2);
	assert_json_int(d, "end_column", 26);
	assert_json_str(d, "severity", "error");
	assert_json_str(d, "check", "unknown-option");
	assert_json_str(d, "message", "unknown option \"--dportx\"");
	notes = json_object_get(d, "notes");
	assert_int_equal(json_array_size(notes), 1);
	assert_json_str(json_array_get(notes, 0), "file", "a.rules");
	assert_json_int(json_array_get(notes, 0), "line", 2);
	assert_json_int(json_array_get(notes, 0), "column", 11);
	assert_json_int(json_array_get(notes, 0), "end_column", 13);
	assert_json_str(json_array_get(notes, 0), "message",
			"match \"tcp\" loaded by -p here");
	fix = json_object_get(d, "fixit");
	assert_json_int(fix, "column", 18);
	assert_json_int(fix, "end_column", 26);
	assert_json_str(fix, "text", "--dport");
	sum = json_object_get(root, "summary");
	assert_json_int(sum, "errors", 1);
	assert_json_int(sum, "warnings", 0);
	assert_json_int(sum, "notes", 0);
	json_decref(root);
}

/* Bytes that are not UTF-8 become U+FFFD; the document stays valid. */
static void test_json_odd_bytes(void **state)
{
	struct fixture *fx = *state;
	uint32_t f = add_source(fx, "odd\xff\"name\x01", rules, strlen(rules));
	struct loc l = mkloc(f, 1, 1, 1);
	json_t *root, *d;

	diag_report(&fx->q, CHECK_UNKNOWN_EXTENSION, &l,
		    "bad \xc3 byte, \xe2\x82\xac ok\nnext line");
	root = json_of(fx);
	d = json_array_get(json_object_get(root, "diagnostics"), 0);
	assert_json_str(d, "file", "odd\xef\xbf\xbd\"name\x01");
	assert_json_str(d, "message",
			"bad \xef\xbf\xbd byte, \xe2\x82\xac ok\nnext line");
	assert_json_int(d, "end_column", 1);	/* never before column */
	assert_true(json_is_array(json_object_get(d, "notes")));
	assert_null(json_object_get(d, "fixit"));
	assert_json_int(json_object_get(root, "summary"), "notes", 1);
	json_decref(root);
}

static void test_json_empty(void **state)
{
	struct fixture *fx = *state;
	json_t *root = json_of(fx);

	assert_int_equal(json_array_size(json_object_get(root, "diagnostics")),
			 0);
	assert_json_int(json_object_get(root, "summary"), "errors", 0);
	json_decref(root);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_text_tabs_align),
		TEST(test_text_color),
		TEST(test_text_caret_past_end),
		TEST(test_text_tab_in_span),
		TEST(test_text_long_line_clipped),
		TEST(test_text_long_span_clipped),
		TEST(test_text_huge_line),
		TEST(test_text_unsafe_bytes),
		TEST(test_text_fixit_kinds),
		TEST(test_text_no_excerpt),
		TEST(test_text_empty),
		cmocka_unit_test(test_utf8_decode),
		TEST(test_gcc),
		TEST(test_json),
		TEST(test_json_odd_bytes),
		TEST(test_json_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
