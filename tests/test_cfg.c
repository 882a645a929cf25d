// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the jump graph (analyzer/cfg.c): the rules that end
 * iptables-legacy's walk of a chain (mark_source_chains), the hooks each
 * backend gives chains and rules, and the loops each backend finds.
 *
 * What counts as unconditional was checked on kernel 6.18 with
 * iptables-legacy-restore 1.8.9: "-A INPUT X" followed by an owner match
 * in INPUT loads exactly when X ends the walk (owner is refused from
 * INPUT when the walk reaches it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lint_fixture.h"

#include "iptlint/cfg.h"
#include "iptlint/lint.h"

struct t {
	struct lint lint;
};

LINT_FIXTURE_SETUP_TEARDOWN(struct t)

static void parse(struct t *t, const char *text, int family)
{
	struct lint_options opt = { .family = family };

	lint_free(&t->lint);
	lint_init(&t->lint, &opt);
	fixture_parse(&t->lint, text);
}

static const struct cfg_table *graph(struct t *t)
{
	const struct cfg_table *ct = cfg_table_of(cfg_get(&t->lint),
						  fixture_table(&t->lint));

	assert_non_null(ct);
	return ct;
}

static const struct cfg_chain *cchain(struct t *t, const char *name)
{
	return &graph(t)->chains[fixture_chain(&t->lint, name)->id];
}

/* ---------------------------------------------------- cfg_legacy_stop */

struct stop_case {
	const char *rule;
	bool stops;
};

static void check_stops(struct t *t, const struct stop_case *cases,
			size_t n, int family)
{
	char text[512];

	for (size_t i = 0; i < n; i++) {
		const struct ast_rule *r;

		snprintf(text, sizeof(text),
			 "*filter\n:INPUT ACCEPT [0:0]\n:x - [0:0]\n-A INPUT %s\nCOMMIT\n",
			 cases[i].rule);
		parse(t, text, family);
		r = fixture_line_rule(&t->lint, 4);
		assert_false(r->bad);
		if (cfg_legacy_stop(r) != cases[i].stops)
			fail_msg("IPv%d \"%s\": expected %s", family, cases[i].rule,
				 cases[i].stops ? "a stop" : "no stop");
	}
}

static void test_stop_ipv4(void **state)
{
	static const struct stop_case cases[] = {
		{ "-j DROP", true },
		{ "-j ACCEPT", true },
		{ "-j RETURN", true },
		{ "-j QUEUE", true },		/* a standard verdict too */
		{ "-j REJECT", false },		/* a target extension */
		{ "-j LOG", false },
		{ "-j NFQUEUE", false },
		{ "-j x", false },		/* a jump: verdict >= 0 */
		{ "-g x", false },
		{ "", false },			/* no target: falls through */
		{ "-p all -j DROP", true },	/* proto 0 */
		{ "-p 0 -j DROP", true },
		{ "-p ip -j DROP", true },
		{ "-p ALL -j DROP", true },
		{ "-p tcp -j DROP", false },
		{ "! -p tcp -j DROP", false },
		{ "-s 0.0.0.0/0 -j DROP", true },
		{ "-d 0/0 -j DROP", true },
		{ "-s 192.0.2.1/0 -j DROP", true },	/* masked to 0 */
		{ "-s 0.0.0.0/0,0.0.0.0/0 -j DROP", true },
		{ "! -s 0.0.0.0/0 -j DROP", false },	/* invflags */
		{ "-s 0.0.0.0/1 -j DROP", false },
		{ "-i + -j DROP", false },	/* "+" is in iniface */
		{ "-o eth0 -j DROP", false },
		{ "-f -j DROP", false },
		{ "-m comment --comment x -j DROP", false },	/* a match */
		{ "-c 5 6 -j DROP", true },	/* counters: not in ipt_ip */
		{ "-4 -j DROP", true },
		{ "-p all -s 0.0.0.0/0 -d 0.0.0.0/0 -j RETURN", true },
	};

	check_stops(*state, cases, sizeof(cases) / sizeof(cases[0]), VAL_FAM_V4);
}

static void test_stop_ipv6(void **state)
{
	static const struct stop_case cases[] = {
		{ "-j DROP", true },
		{ "-s ::/0 -j DROP", true },
		{ "-d 2001:db8::1/0 -j ACCEPT", true },
		{ "-p all -j DROP", false },	/* ip6tables sets IP6T_F_PROTO */
		{ "-p 0 -j DROP", false },
		{ "-i + -j DROP", false },
		{ "-m comment --comment x -j DROP", false },
		{ "-6 -j RETURN", true },
	};

	check_stops(*state, cases, sizeof(cases) / sizeof(cases[0]), VAL_FAM_V6);
}

/* ------------------------------------------------------------- hooks */

static void test_hooks_stop_at_verdict(void **state)
{
	struct t *t = *state;

	parse(t, "*filter\n"				/* 1 */
		 ":INPUT ACCEPT [0:0]\n"
		 ":OUTPUT ACCEPT [0:0]\n"
		 ":a - [0:0]\n"
		 ":b - [0:0]\n"				/* 5 */
		 ":c - [0:0]\n"
		 "-A INPUT -j a\n"
		 "-A INPUT -p tcp -j DROP\n"		/* conditional */
		 "-A INPUT -j DROP\n"			/* stop */
		 "-A INPUT -j b\n"			/* 10 */
		 "-A OUTPUT -j b\n"
		 "-A b -j c\n"
		 "COMMIT\n", VAL_FAM_V4);
	assert_int_equal(cchain(t, "a")->hooks, HOOK(HOOK_INPUT));
	assert_int_equal(cchain(t, "a")->legacy_hooks, HOOK(HOOK_INPUT));
	/* nft: b and c from INPUT and OUTPUT; legacy: only from OUTPUT. */
	assert_int_equal(cchain(t, "b")->hooks, HOOK(HOOK_INPUT) | HOOK(HOOK_OUTPUT));
	assert_int_equal(cchain(t, "b")->legacy_hooks, HOOK(HOOK_OUTPUT));
	assert_int_equal(cchain(t, "c")->legacy_hooks, HOOK(HOOK_OUTPUT));
	assert_ptr_equal(cchain(t, "INPUT")->stop, fixture_line_rule(&t->lint, 9));
	assert_null(cchain(t, "b")->stop);
	assert_ptr_equal(cfg_via(graph(t), fixture_chain(&t->lint, "b"), HOOK_OUTPUT, true),
			 fixture_line_rule(&t->lint, 11));
	assert_ptr_equal(cfg_via(graph(t), fixture_chain(&t->lint, "b"), HOOK_INPUT, false),
			 fixture_line_rule(&t->lint, 10));
	/* The rules themselves: up to the stop, and after it. */
	assert_int_equal(cfg_rule_legacy_hooks(graph(t), fixture_line_rule(&t->lint, 9)),
			 HOOK(HOOK_INPUT));
	assert_int_equal(cfg_rule_legacy_hooks(graph(t), fixture_line_rule(&t->lint, 10)), 0);
	assert_int_equal(cfg_rule_hooks(graph(t), fixture_line_rule(&t->lint, 10)),
			 HOOK(HOOK_INPUT));
	/* Why legacy never takes INPUT to c: the DROP on line 9. */
	assert_ptr_equal(cfg_legacy_cut(graph(t), fixture_line_rule(&t->lint, 12), HOOK_INPUT),
			 fixture_line_rule(&t->lint, 9));
	assert_null(cfg_legacy_cut(graph(t), fixture_line_rule(&t->lint, 12), HOOK_OUTPUT));
}

/* The first jump bringing a hook is after a stop: legacy's comes later. */
static void test_legacy_via(void **state)
{
	struct t *t = *state;
	char path[128];

	parse(t, "*filter\n"				/* 1 */
		 ":INPUT ACCEPT [0:0]\n"
		 ":x - [0:0]\n"
		 ":y - [0:0]\n"
		 ":c - [0:0]\n"				/* 5 */
		 "-A INPUT -j y\n"
		 "-A INPUT -j x\n"
		 "-A x -j RETURN\n"
		 "-A x -j c\n"
		 "-A y -j c\n"				/* 10 */
		 "COMMIT\n", VAL_FAM_V4);
	assert_int_equal(cchain(t, "c")->legacy_hooks, HOOK(HOOK_INPUT));
	assert_ptr_equal(cfg_via(graph(t), fixture_chain(&t->lint, "c"), HOOK_INPUT, false),
			 fixture_line_rule(&t->lint, 9));
	assert_ptr_equal(cfg_via(graph(t), fixture_chain(&t->lint, "c"), HOOK_INPUT, true),
			 fixture_line_rule(&t->lint, 10));
	cfg_path(graph(t), fixture_chain(&t->lint, "c"), HOOK_INPUT, true, path, sizeof(path));
	assert_string_equal(path, "INPUT -> y -> c");
	cfg_path(graph(t), fixture_chain(&t->lint, "c"), HOOK_INPUT, false, path, sizeof(path));
	assert_string_equal(path, "INPUT -> x -> c");
}

static void test_hooks_of_removed_rules(void **state)
{
	struct t *t = *state;

	parse(t, "*filter\n"
		 ":INPUT ACCEPT [0:0]\n"
		 "-A INPUT -j ACCEPT\n"			/* 3: -D takes it out */
		 "-A INPUT -p tcp -j ACCEPT\n"
		 "-D INPUT 1\n"
		 "COMMIT\n", VAL_FAM_V4);
	assert_false(fixture_line_rule(&t->lint, 3)->in_chain);
	assert_true(fixture_line_rule(&t->lint, 4)->in_chain);
	assert_int_equal(cfg_rule_hooks(graph(t), fixture_line_rule(&t->lint, 3)), 0);
	assert_null(cchain(t, "INPUT")->stop);
	assert_int_equal(cfg_rule_legacy_hooks(graph(t), fixture_line_rule(&t->lint, 4)),
			 HOOK(HOOK_INPUT));
}

/* ------------------------------------------------------------- loops */

static void test_loop_behind_return(void **state)
{
	struct t *t = *state;

	parse(t, "*filter\n"
		 ":INPUT ACCEPT [0:0]\n"
		 ":a - [0:0]\n"
		 ":b - [0:0]\n"
		 "-A INPUT -j RETURN\n"
		 "-A INPUT -j a\n"
		 "-A a -j b\n"
		 "-A b -j a\n"
		 "COMMIT\n", VAL_FAM_V4);
	assert_int_equal(graph(t)->ncycles, 1);
	assert_int_equal(graph(t)->nlegacy_cycles, 0);
	assert_false(cchain(t, "a")->legacy_seen);
}

/*
 * The full walk meets the loop first through d's rule after its RETURN
 * (b -> d -> a -> b); legacy, stopping at that RETURN, finds b -> a -> b.
 */
static void test_loop_legacy_finds_its_own(void **state)
{
	struct t *t = *state;
	const struct cfg_cycle *cy;

	parse(t, "*filter\n"				/* 1 */
		 ":INPUT ACCEPT [0:0]\n"
		 ":a - [0:0]\n"
		 ":b - [0:0]\n"
		 ":d - [0:0]\n"				/* 5 */
		 "-A INPUT -j b\n"
		 "-A b -j d\n"
		 "-A b -j a\n"
		 "-A d -j RETURN\n"
		 "-A d -j a\n"				/* 10 */
		 "-A a -j b\n"
		 "COMMIT\n", VAL_FAM_V4);
	assert_int_equal(graph(t)->ncycles, 1);
	cy = &graph(t)->cycles[0];
	assert_int_equal(cy->n, 3);
	assert_ptr_equal(cy->rules[1], fixture_line_rule(&t->lint, 10));
	assert_int_equal(graph(t)->nlegacy_cycles, 1);
	cy = &graph(t)->legacy_cycles[0];
	assert_int_equal(cy->n, 2);
	assert_ptr_equal(cy->rules[0], fixture_line_rule(&t->lint, 8));
	assert_ptr_equal(cy->rules[1], fixture_line_rule(&t->lint, 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_stop_ipv4),
		T(test_stop_ipv6),
		T(test_hooks_stop_at_verdict),
		T(test_legacy_via),
		T(test_hooks_of_removed_rules),
		T(test_loop_behind_return),
		T(test_loop_legacy_finds_its_own),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
