// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the chain commands' replay (parser/chain_ops.c and the
 * bookkeeping in parser/build.c): -F with and without a chain, -X with and
 * without a chain, -E, and what each backend refuses. The expectations
 * were checked with iptables-legacy-restore and iptables-nft-restore
 * 1.8.9 (kernel 6.18), loading each file for real in a throwaway network
 * namespace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lint_fixture.h"

#include "iptlint/lint.h"

struct t {
	struct lint lint;
};

LINT_FIXTURE_SETUP_TEARDOWN(struct t)

static void parse_be(struct t *t, const char *text, enum backend be)
{
	struct lint_options opt = { .backend = be };

	lint_free(&t->lint);
	lint_init(&t->lint, &opt);
	/* The parser's checks and the chain checks; no warnings. */
	assert_int_equal(check_set_apply(&t->lint.checks, "all", false, NULL, NULL), 0);
	assert_int_equal(check_set_apply(&t->lint.checks,
					 "syntax-error,bad-value,unknown-option,missing-option,undefined-chain,duplicate-chain",
					 true, NULL, NULL), 0);
	fixture_parse(&t->lint, text);
	lint_run_checks(&t->lint);
	diag_sort(&t->lint.diags);
}

static void parse(struct t *t, const char *text)
{
	parse_be(t, text, BACKEND_ANY);
}

/* The live chain @name, or NULL. */
static const struct ast_chain *find(const struct t *t, const char *name)
{
	return ast_table_find_chain(fixture_table(&t->lint), name, strlen(name));
}

static void dump(const struct t *t)
{
	for (uint32_t i = 0; i < t->lint.diags.n; i++) {
		const struct diag *d = &t->lint.diags.v[i];

		print_message("  %u:%u: %s [%s]\n", d->loc.line, d->loc.col,
			      d->msg, check_table[d->check].name);
	}
}

/* Exactly @n findings, the first (if any) of @id on @line. */
static void expect(const struct t *t, uint32_t n, enum check_id id,
		   uint32_t line)
{
	if (t->lint.diags.n != n ||
	    (n && (t->lint.diags.v[0].check != id ||
		   t->lint.diags.v[0].loc.line != line))) {
		dump(t);
		fail_msg("expected %u finding(s), the first [%s] on line %u", n,
			 check_table[id].name, line);
	}
}

static bool msg_has(const struct t *t, const char *s)
{
	return t->lint.diags.n && strstr(t->lint.diags.v[0].msg, s);
}

#define HEAD	"*filter\n:INPUT ACCEPT [0:0]\n"	/* lines 1-2 */

/* ------------------------------------------------------------- -F */

static void test_flush_chain(void **state)
{
	struct t *t = *state;

	parse(t, HEAD
		 ":a - [0:0]\n"
		 "-A INPUT -j a\n"			/* 4 */
		 "-A INPUT -j a\n"
		 "-F INPUT\n"
		 "-A INPUT -j ACCEPT\n"			/* 7 */
		 "COMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	assert_int_equal(fixture_chain(&t->lint, "INPUT")->nrules, 1);
	assert_ptr_equal(fixture_chain(&t->lint, "INPUT")->rules, fixture_line_rule(&t->lint, 7));
	assert_false(fixture_line_rule(&t->lint, 4)->in_chain);
	assert_true(fixture_line_rule(&t->lint, 7)->in_chain);
	assert_int_equal(fixture_chain(&t->lint, "a")->nlinks, 0);
}

static void test_flush_all(void **state)
{
	static const char text[] = HEAD
		":a - [0:0]\n"
		"-A INPUT -j a\n"			/* 4 */
		"-A a -j ACCEPT\n"
		"-F\n"					/* 6 */
		"-A INPUT -j DROP\n"
		"COMMIT\n";
	struct t *t = *state;

	/* legacy flushes every chain */
	parse_be(t, text, BACKEND_LEGACY);
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	assert_int_equal(fixture_chain(&t->lint, "INPUT")->nrules, 1);
	assert_int_equal(fixture_chain(&t->lint, "a")->nrules, 0);
	assert_int_equal(fixture_chain(&t->lint, "a")->nlinks, 0);
	/* nft: the -F does nothing */
	parse_be(t, text, BACKEND_NFT);
	assert_int_equal(fixture_chain(&t->lint, "INPUT")->nrules, 2);
	assert_int_equal(fixture_chain(&t->lint, "a")->nrules, 1);
	assert_int_equal(fixture_chain(&t->lint, "a")->nlinks, 1);
	/* default: legacy's rules (what nft kept is for -X, below) */
	parse(t, text);
	assert_int_equal(fixture_chain(&t->lint, "a")->nrules, 0);
	assert_false(fixture_line_rule(&t->lint, 5)->in_chain);
}

static void test_flush_all_then_delete(void **state)
{
	static const char text[] = HEAD
		":a - [0:0]\n"
		"-A a -j ACCEPT\n"
		"-F\n"					/* 5 */
		"-X a\n"				/* 6 */
		"COMMIT\n";
	struct t *t = *state;

	parse_be(t, text, BACKEND_LEGACY);
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	assert_null(find(t, "a"));
	parse_be(t, text, BACKEND_NFT);
	expect(t, 1, CHECK_BAD_VALUE, 6);
	assert_true(msg_has(t, "still has 1 rule"));
	assert_non_null(find(t, "a"));
	parse(t, text);
	expect(t, 1, CHECK_BAD_VALUE, 6);
	assert_true(msg_has(t, "iptables-nft-restore refuses it"));
	assert_true(msg_has(t, "iptables-legacy-restore accepts it"));
	assert_null(find(t, "a"));	/* legacy goes on */
	/* -F -v and -F CHAIN flush in iptables-nft too */
	parse(t, HEAD ":a - [0:0]\n-A a -j ACCEPT\n-F -v\n-X a\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	parse(t, HEAD ":a - [0:0]\n-A a -j ACCEPT\n-F\n-F a\n-X a\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	/* a jump that only nft kept keeps the chain busy there */
	parse(t, HEAD ":a - [0:0]\n-A INPUT -j a\n-F\n-X a\nCOMMIT\n");
	expect(t, 1, CHECK_BAD_VALUE, 6);
	assert_true(msg_has(t, "jumps to it"));
	parse(t, HEAD ":a - [0:0]\n-A INPUT -j a\n-F\n-F INPUT\n-X a\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
}

/* iptables-nft-restore flushes a user chain declared again; legacy refuses. */
static void test_declare_again(void **state)
{
	static const char text[] = HEAD
		":a - [0:0]\n"
		"-A a -j a\n"				/* 4 */
		"-A INPUT -j a\n"
		":a - [0:0]\n"				/* 6 */
		"-X a\n"				/* 7 */
		"COMMIT\n";
	struct t *t = *state;

	parse_be(t, text, BACKEND_NFT);
	expect(t, 1, CHECK_BAD_VALUE, 7);	/* INPUT still jumps to it */
	assert_int_equal(fixture_chain(&t->lint, "a")->nrules, 0);
	assert_false(fixture_line_rule(&t->lint, 4)->in_chain);
	assert_true(fixture_line_rule(&t->lint, 5)->in_chain);
	parse_be(t, text, BACKEND_LEGACY);
	assert_int_equal(fixture_chain(&t->lint, "a")->nrules, 1);
}

/* ------------------------------------------------------------- -X */

static void test_delete(void **state)
{
	struct t *t = *state;
	const struct ast_chain *gone;

	parse(t, HEAD
		 ":old - [0:0]\n"
		 "-X old\n"				/* 4 */
		 "-A INPUT -j old\n"			/* 5: refused */
		 ":old - [0:0]\n"			/* 6: a new chain */
		 "-A INPUT -j old\n"
		 "COMMIT\n");
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 5);
	assert_true(msg_has(t, "-X deleted it"));
	gone = ast_table_find_gone(fixture_table(&t->lint), "old", 3, 5);
	assert_non_null(gone);
	assert_ptr_equal(ast_chain_gone_by(gone), fixture_line_rule(&t->lint, 4));
	assert_true(gone != fixture_chain(&t->lint, "old"));
	/* The new chain is no duplicate of the deleted one. */
	assert_int_equal(fixture_chain(&t->lint, "old")->ndecls, 1);
	assert_ptr_equal(fixture_line_rule(&t->lint, 7)->jump, fixture_chain(&t->lint, "old"));
	assert_null(ast_table_find_gone(fixture_table(&t->lint), "old", 3, 4));
}

static void test_delete_busy(void **state)
{
	struct t *t = *state;

	parse(t, HEAD ":a - [0:0]\n-A a -j ACCEPT\n-X a\nCOMMIT\n");
	expect(t, 1, CHECK_BAD_VALUE, 5);
	assert_non_null(find(t, "a"));
	parse(t, HEAD ":a - [0:0]\n-A INPUT -g a\n-X a\nCOMMIT\n");
	expect(t, 1, CHECK_BAD_VALUE, 5);
	assert_int_equal(t->lint.diags.v[0].nnotes, 1);
	/* The references go with the rules: -D, -R, -F. */
	parse(t, HEAD ":a - [0:0]\n-A INPUT -j a\n-D INPUT -j a\n-X a\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	parse(t, HEAD ":a - [0:0]\n-A INPUT -j a\n-R INPUT 1 -j ACCEPT\n-X a\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	parse(t, HEAD ":a - [0:0]\n-I INPUT -j a\n-D INPUT 1\n-X a\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	/* a second -X: the chain is gone */
	parse(t, HEAD ":a - [0:0]\n-X a\n-X a\nCOMMIT\n");
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 5);
	assert_true(msg_has(t, "-X deleted it"));
}

static void test_delete_builtin(void **state)
{
	static const char empty[] = HEAD "-X INPUT\nCOMMIT\n";
	struct t *t = *state;

	parse(t, empty);
	expect(t, 1, CHECK_BAD_VALUE, 3);
	assert_true(msg_has(t, "iptables-nft-restore accepts it"));
	parse_be(t, empty, BACKEND_LEGACY);
	expect(t, 1, CHECK_BAD_VALUE, 3);
	parse_be(t, empty, BACKEND_NFT);
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	parse_be(t, HEAD "-A INPUT -j ACCEPT\n-X INPUT\nCOMMIT\n", BACKEND_NFT);
	expect(t, 1, CHECK_BAD_VALUE, 4);
	assert_true(msg_has(t, "both backends"));
}

static void test_delete_all(void **state)
{
	struct t *t = *state;

	parse(t, HEAD
		 ":a - [0:0]\n"
		 ":b - [0:0]\n"
		 "-X\n"					/* 5 */
		 ":a - [0:0]\n"
		 "-A INPUT -j a\n"
		 "-A INPUT -j b\n"			/* 8: refused */
		 "COMMIT\n");
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 8);
	assert_non_null(find(t, "INPUT"));
	assert_non_null(find(t, "a"));
	assert_null(find(t, "b"));
	/* A busy chain stops it: nothing is deleted. */
	parse(t, HEAD ":a - [0:0]\n:b - [0:0]\n-A INPUT -j b\n-X\nCOMMIT\n");
	expect(t, 1, CHECK_BAD_VALUE, 6);
	assert_true(msg_has(t, "-X: chain 'b'"));
	assert_non_null(find(t, "a"));
	/* No user chain at all: fine. */
	parse(t, HEAD "-F\n-X\n-Z\nCOMMIT\n");
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
}

/* ------------------------------------------------------------- -E */

static void test_rename(void **state)
{
	static const char text[] = HEAD
		":old - [0:0]\n"
		"-A INPUT -j old\n"			/* 4 */
		"-E old new\n"				/* 5 */
		"-A new -j ACCEPT\n"
		"-A INPUT -j new\n"
		"COMMIT\n";
	struct t *t = *state;
	const struct ast_chain *c;

	parse_be(t, text, BACKEND_LEGACY);
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	c = fixture_chain(&t->lint, "new");
	assert_null(find(t, "old"));
	assert_string_equal(c->name, "new");
	/* The jump before the rename follows the chain. */
	assert_ptr_equal(fixture_line_rule(&t->lint, 4)->jump, c);
	assert_ptr_equal(fixture_line_rule(&t->lint, 7)->jump, c);
	assert_int_equal(c->nrules, 1);
	assert_int_equal(c->nlinks, 2);
	assert_ptr_equal(ast_chain_gone_by(ast_table_find_gone(fixture_table(&t->lint), "old", 3, 9)),
			 fixture_line_rule(&t->lint, 5));
	/* iptables-nft-restore cannot rename a chain the restore makes. */
	parse(t, text);
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 5);
	assert_true(msg_has(t, "CHAIN_RENAME"));
	assert_true(msg_has(t, "iptables-legacy-restore accepts it"));
	parse_be(t, text, BACKEND_NFT);
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 5);
	assert_false(msg_has(t, "legacy"));
}

static void test_rename_refused(void **state)
{
	struct t *t = *state;

	/* The old name is free after it; using it is refused by both. */
	parse_be(t, HEAD ":a - [0:0]\n-E a b\n-A INPUT -j a\nCOMMIT\n",
		 BACKEND_LEGACY);
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 5);
	assert_true(msg_has(t, "-E renamed it"));
	parse_be(t, HEAD ":a - [0:0]\n-E a b\n-A a -j ACCEPT\nCOMMIT\n",
		 BACKEND_LEGACY);
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 5);
	parse_be(t, HEAD ":a - [0:0]\n:b - [0:0]\n-E a b\nCOMMIT\n",
		 BACKEND_LEGACY);
	expect(t, 1, CHECK_DUPLICATE_CHAIN, 5);
	parse_be(t, HEAD ":a - [0:0]\n-E a a\nCOMMIT\n", BACKEND_LEGACY);
	expect(t, 1, CHECK_DUPLICATE_CHAIN, 4);
	parse_be(t, HEAD ":a - [0:0]\n-E a INPUT\nCOMMIT\n", BACKEND_LEGACY);
	expect(t, 1, CHECK_DUPLICATE_CHAIN, 4);
	parse_be(t, HEAD ":a - [0:0]\n-E a ACCEPT\nCOMMIT\n", BACKEND_LEGACY);
	expect(t, 1, CHECK_BAD_VALUE, 4);
	parse_be(t, HEAD "-E INPUT a\nCOMMIT\n", BACKEND_LEGACY);
	expect(t, 1, CHECK_BAD_VALUE, 3);
	parse_be(t, HEAD "-E nope a\nCOMMIT\n", BACKEND_LEGACY);
	expect(t, 1, CHECK_UNDEFINED_CHAIN, 3);
	/* The old name can be declared again. */
	parse_be(t, HEAD ":a - [0:0]\n-E a b\n:a - [0:0]\n-A INPUT -j a\n-A INPUT -j b\nCOMMIT\n",
		 BACKEND_LEGACY);
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	assert_true(fixture_chain(&t->lint, "a") != fixture_chain(&t->lint, "b"));
}

/* Renames add index slots: enough of them to grow the index. */
static void test_rename_many(void **state)
{
	struct t *t = *state;
	size_t cap = 1 << 16, len = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len, HEAD);
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(text + len, cap - len, ":c%d - [0:0]\n", i);
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"-E c%d r%d\n-A INPUT -j r%d\n", i, i, i);
	snprintf(text + len, cap - len, "COMMIT\n");
	parse_be(t, text, BACKEND_LEGACY);
	expect(t, 0, CHECK_SYNTAX_ERROR, 0);
	for (int i = 0; i < 200; i++) {
		char name[16];

		snprintf(name, sizeof(name), "r%d", i);
		assert_int_equal(fixture_chain(&t->lint, name)->nlinks, 1);
		snprintf(name, sizeof(name), "c%d", i);
		assert_null(find(t, name));
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_flush_chain),
		T(test_flush_all),
		T(test_flush_all_then_delete),
		T(test_declare_again),
		T(test_delete),
		T(test_delete_busy),
		T(test_delete_builtin),
		T(test_delete_all),
		T(test_rename),
		T(test_rename_refused),
		T(test_rename_many),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
