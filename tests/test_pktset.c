// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the packet-set algebra (analyzer/pktset.c, pred.c) and of
 * the reachability analysis built on it (analyzer/reach.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lint_fixture.h"

#include "analyzer/pred.h"
#include "iptlint/lint.h"
#include "iptlint/pktset.h"
#include "iptlint/reach.h"

/* ---------------------------------------------------------- encoders */

static void test_uint_range(void **state)
{
	struct pktset ps;
	BDD r, lo, hi, u;

	(void)state;
	assert_true(pktset_init(&ps, 4));
	/* 1:100 union 101:65535 is every port; 0 is left out. */
	lo = ps_uint_range(&ps, PS_DPORT, 1, 100);
	hi = ps_uint_range(&ps, PS_DPORT, 101, 65535);
	u = ps_or(lo, hi);
	r = ps_uint_range(&ps, PS_DPORT, 1, 65535);
	assert_int_equal(u, r);
	assert_int_not_equal(r, bddtrue);
	ps_unref(r);
	r = ps_uint_range(&ps, PS_DPORT, 0, 65535);
	assert_int_equal(r, bddtrue);
	ps_unref(r);
	/* An empty range. */
	r = ps_uint_range(&ps, PS_DPORT, 5, 4);
	assert_int_equal(r, bddfalse);
	/* 1024:65535 minus 1024:2047 is 2048:65535. */
	{
		BDD a = ps_uint_range(&ps, PS_DPORT, 1024, 65535);
		BDD b = ps_uint_range(&ps, PS_DPORT, 1024, 2047);
		BDD c = ps_uint_range(&ps, PS_DPORT, 2048, 65535);
		BDD d = ps_diff(a, b);

		assert_int_equal(d, c);
		ps_unref(a);
		ps_unref(b);
		ps_unref(c);
		ps_unref(d);
	}
	ps_unref(lo);
	ps_unref(hi);
	ps_unref(u);
	pktset_fini(&ps);
}

static void test_prefix_union(void **state)
{
	struct pktset ps;
	uint8_t a[16] = { 10, 0, 0, 0 }, b[16] = { 10, 128, 0, 0 };
	uint8_t m9[16] = { 0xff, 0x80, 0, 0 }, m8[16] = { 0xff, 0, 0, 0 };
	BDD x, y, u, z;

	(void)state;
	assert_true(pktset_init(&ps, 4));
	x = ps_bytes_masked(&ps, PS_SRC, a, m9, 4);
	y = ps_bytes_masked(&ps, PS_SRC, b, m9, 4);
	u = ps_or(x, y);
	z = ps_bytes_masked(&ps, PS_SRC, a, m8, 4);
	/* 10.0.0.0/9 + 10.128.0.0/9 is 10.0.0.0/8, exactly. */
	assert_int_equal(u, z);
	ps_unref(x);
	ps_unref(y);
	ps_unref(u);
	ps_unref(z);
	pktset_fini(&ps);
}

static void test_forget_marks(void **state)
{
	struct pktset ps;
	BDD m, f, p, g;

	(void)state;
	assert_true(pktset_init(&ps, 4));
	m = ps_uint_masked(&ps, PS_NFMARK, 0x1, 0x1);
	f = ps_forget_marks(&ps, m);
	assert_int_equal(f, bddtrue);
	p = ps_uint_masked(&ps, PS_PROTO, 6, 0xff);
	g = ps_and(p, m);
	ps_unref(f);
	f = ps_forget_marks(&ps, g);
	assert_int_equal(f, p);	/* the protocol test stays */
	ps_unref(m);
	ps_unref(f);
	ps_unref(p);
	ps_unref(g);
	pktset_fini(&ps);
}

/* ----------------------------------------------------- the analysis */

/* Parse @text as one file and return the lint run (caller frees). */
static void lint_text(struct lint *lint, const char *text, int family)
{
	struct lint_options opt = { .family = family };

	lint_init(lint, &opt);
	fixture_parse(lint, text);
}

/* Lines of the rules reported unreachable, in order, 0-terminated. */
static void unreachable_lines(const char *text, int family, uint32_t *out,
			      size_t n)
{
	struct lint lint;
	const struct reach *r;
	size_t k = 0;

	lint_text(&lint, text, family);
	r = reach_get(&lint);
	for (uint32_t i = 0; i < r->n && k + 1 < n; i++)
		out[k++] = r->v[i].rule->loc.line;
	out[k] = 0;
	lint_free(&lint);
}

#define FILTER_HEAD "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"

static void test_union_blocks(void **state)
{
	uint32_t got[8];

	(void)state;
	unreachable_lines(FILTER_HEAD
		"-A INPUT -s 10.0.0.0/9 -j DROP\n"		/* 5 */
		"-A INPUT -s 10.128.0.0/9 -j ACCEPT\n"	/* 6 */
		"-A INPUT -s 10.0.0.0/8 -p tcp -j ACCEPT\n"	/* 7 */
		"-A INPUT -s 11.0.0.0/8 -j ACCEPT\n"		/* 8 */
		"COMMIT\n", 4, got, 8);
	assert_int_equal(got[0], 7);
	assert_int_equal(got[1], 0);
}

static void test_chain_that_always_drops(void **state)
{
	uint32_t got[8];

	(void)state;
	unreachable_lines(FILTER_HEAD ":DROPPER - [0:0]\n:MAYRET - [0:0]\n"
		"-A INPUT -p tcp -j DROPPER\n"		/* 7 */
		"-A INPUT -p tcp --dport 22 -j ACCEPT\n"	/* 8: blocked */
		"-A INPUT -p udp -j MAYRET\n"		/* 9 */
		"-A INPUT -p udp --dport 53 -j ACCEPT\n"	/* 10: may RETURN */
		"-A DROPPER -j DROP\n"
		"-A MAYRET -s 10.0.0.1 -j RETURN\n"
		"-A MAYRET -j DROP\n"
		"COMMIT\n", 4, got, 8);
	assert_int_equal(got[0], 8);
	assert_int_equal(got[1], 0);
}

static void test_stays_reachable(void **state)
{
	uint32_t got[8];

	(void)state;
	/* After LOG, MARK, an unmodelled match, a rule that may rewrite marks. */
	unreachable_lines("*mangle\n:PREROUTING ACCEPT [0:0]\n"
		"-A PREROUTING -p icmp -j LOG\n"
		"-A PREROUTING -p icmp -j ACCEPT\n"
		"-A PREROUTING -p tcp -m limit --limit 1/s -j ACCEPT\n"
		"-A PREROUTING -p tcp -j ACCEPT\n"
		"-A PREROUTING -m mark --mark 0x1/0x1 -j ACCEPT\n"
		"-A PREROUTING -j MARK --set-mark 1\n"
		"-A PREROUTING -m mark --mark 0x1/0x1 -j DROP\n"
		"COMMIT\n", 4, got, 8);
	assert_int_equal(got[0], 0);
}

static void test_flags_ifaces_states(void **state)
{
	uint32_t got[8];

	(void)state;
	unreachable_lines(FILTER_HEAD
		"-A INPUT -p tcp ! --syn -j ACCEPT\n"					/* 5 */
		"-A INPUT -p tcp --tcp-flags SYN,ACK,FIN,RST SYN -j ACCEPT\n"	/* 6 */
		"-A INPUT -p tcp --tcp-flags SYN,RST SYN -j DROP\n"			/* 7: blocked */
		"-A INPUT -i eth+ -j ACCEPT\n"						/* 8 */
		"-A INPUT -i eth0 -p udp -j DROP\n"					/* 9: blocked */
		"-A INPUT -m conntrack --ctstate NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED -j DROP\n" /* 10 */
		"-A INPUT -p udp -j ACCEPT\n"						/* 11: blocked */
		"COMMIT\n", 4, got, 8);
	assert_int_equal(got[0], 7);
	assert_int_equal(got[1], 9);
	assert_int_equal(got[2], 11);
	assert_int_equal(got[3], 0);
}

static void test_ipv6_and_fragments(void **state)
{
	uint32_t got[8];

	(void)state;
	/* Port matches never match non-first fragments: the last rule stays. */
	unreachable_lines("*filter\n:INPUT ACCEPT [0:0]\n"
		"-A INPUT -s 2001:db8::/33 -j ACCEPT\n"		/* 3 */
		"-A INPUT -s 2001:db8:8000::/33 -j ACCEPT\n"	/* 4 */
		"-A INPUT -s 2001:db8::/32 -j DROP\n"		/* 5: blocked */
		"-A INPUT -p tcp --dport 0:65535 -j ACCEPT\n"	/* 6 */
		"-A INPUT -p tcp -j DROP\n"			/* 7: fragments */
		"COMMIT\n", 6, got, 8);
	assert_int_equal(got[0], 5);
	assert_int_equal(got[1], 0);
}

static void test_pred_unmodelled(void **state)
{
	struct lint lint;
	struct pktset ps;
	struct pred p;
	const struct ast_rule *r;

	(void)state;
	lint_text(&lint, FILTER_HEAD
		  "-A INPUT -p tcp -m recent --rcheck -j DROP\n"
		  "COMMIT\n", 4);
	r = lint.rs.tables->rules;
	assert_non_null(r);
	assert_false(pred_rule_is_exact(r));
	assert_true(pktset_init(&ps, 4));
	pred_build(&ps, r, &p);
	assert_false(p.exact);
	assert_int_equal(p.under, bddfalse);
	assert_int_not_equal(p.over, bddfalse);
	assert_int_not_equal(p.over, bddtrue);	/* -p tcp still counts */
	pred_free(&p);
	pktset_fini(&ps);
	lint_free(&lint);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uint_range),
		cmocka_unit_test(test_prefix_union),
		cmocka_unit_test(test_forget_marks),
		cmocka_unit_test(test_union_blocks),
		cmocka_unit_test(test_chain_that_always_drops),
		cmocka_unit_test(test_stays_reachable),
		cmocka_unit_test(test_flags_ifaces_states),
		cmocka_unit_test(test_ipv6_and_fragments),
		cmocka_unit_test(test_pred_unmodelled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
