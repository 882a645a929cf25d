// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the known-bits mark values (analyzer/tnum.c) against brute
 * force over every value of small tnums, and of the mark walk built on
 * them (analyzer/markflow.c, marksum.c) on small rulesets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lint_fixture.h"

#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "iptlint/tnum.h"

/* Unknown bits are drawn from the low byte and bit 31, so sets stay small. */
#define POOL	0x800000ffu

/* A deterministic pseudo-random generator (no global state). */
static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static struct tnum random_tnum(uint32_t *s)
{
	uint32_t mask = next(s) & POOL & next(s);

	return (struct tnum){ .value = next(s) & ~mask, .mask = mask };
}

/* Every member of @t, in @out (at most 512: masks are within POOL). */
static uint32_t members(struct tnum t, uint32_t *out)
{
	uint32_t n = 0, sub = 0;

	if (tnum_is_empty(t))
		return 0;
	/* Enumerate the subsets of t.mask. */
	do {
		out[n++] = t.value | sub;
		sub = (sub - t.mask) & t.mask;
	} while (sub);
	return n;
}

static bool in(uint32_t v, const uint32_t *set, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

static void test_basics(void **state)
{
	struct tnum e = TNUM_EMPTY, c = tnum_const(0x1e);

	(void)state;
	assert_true(tnum_is_empty(e));
	assert_true(tnum_is_const(c));
	assert_true(tnum_contains(c, 0x1e));
	assert_false(tnum_contains(c, 0x1f));
	assert_true(tnum_equal(tnum_join(e, c), c));
	assert_true(tnum_is_empty(tnum_meet(c, tnum_const(1))));
	/* --set-mark 1 on anything is exactly 1. */
	assert_true(tnum_equal(tnum_xmark(tnum_unknown(), 1, 0xffffffffu),
			       tnum_const(1)));
	/* --or-mark 0x4000 leaves the other bits unknown. */
	assert_true(tnum_equal(tnum_xmark(tnum_unknown(), 0x4000, 0x4000),
			       ((struct tnum){ 0x4000, ~0x4000u })));
	/* A value with bits outside the mask never matches (xt_mark). */
	assert_int_equal(tnum_test(tnum_unknown(), 3, 1), TNUM_FALSE);
	assert_int_equal(tnum_test(c, 0x1e, 0xff), TNUM_TRUE);
	assert_int_equal(tnum_test(c, 0x0e, 0xff), TNUM_FALSE);
	assert_int_equal(tnum_test(tnum_unknown(), 0, 1), TNUM_MAYBE);
}

/* Each operation against the set of values it should stand for. */
static void test_exact_on_members(void **state)
{
	static uint32_t a[512], b[512], r[512];
	uint32_t seed = 0x9e3779b9;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		struct tnum t = random_tnum(&seed), u = random_tnum(&seed);
		uint32_t v = next(&seed) & POOL, m = next(&seed) & POOL;
		uint32_t na = members(t, a), nb = members(u, b), nr;
		unsigned int sh = next(&seed) % 8;
		struct tnum x;

		/* xmark: the image of the set, and nothing else. */
		x = tnum_xmark(t, v, m);
		nr = members(x, r);
		for (uint32_t i = 0; i < na; i++)
			assert_true(in((a[i] & ~m) ^ v, r, nr));
		for (uint32_t i = 0; i < nr; i++) {
			bool hit = false;

			for (uint32_t k = 0; k < na && !hit; k++)
				hit = ((a[k] & ~m) ^ v) == r[i];
			assert_true(hit);
		}
		/* join holds both; meet is the intersection. */
		x = tnum_join(t, u);
		for (uint32_t i = 0; i < na; i++)
			assert_true(tnum_contains(x, a[i]));
		for (uint32_t i = 0; i < nb; i++)
			assert_true(tnum_contains(x, b[i]));
		x = tnum_meet(t, u);
		for (uint32_t i = 0; i < na; i++)
			assert_int_equal(tnum_contains(x, a[i]), in(a[i], b, nb));
		nr = members(x, r);
		for (uint32_t i = 0; i < nr; i++)
			assert_true(in(r[i], a, na) && in(r[i], b, nb));
		/* test: TRUE iff all members pass, FALSE iff none does. */
		{
			uint32_t pass = 0;
			enum tnum_truth tr = tnum_test(t, v & m, m);
			struct tnum eq = tnum_refine_eq(t, v & m, m);
			struct tnum ne = tnum_refine_ne(t, v & m, m);

			for (uint32_t i = 0; i < na; i++) {
				bool p = (a[i] & m) == (v & m);

				pass += p;
				/* refine_eq is exact, refine_ne keeps every "no". */
				assert_int_equal(tnum_contains(eq, a[i]), p);
				if (!p)
					assert_true(tnum_contains(ne, a[i]));
			}
			assert_int_equal(tr, pass == na ? TNUM_TRUE :
					     pass == 0 ? TNUM_FALSE : TNUM_MAYBE);
			nr = members(eq, r);
			for (uint32_t i = 0; i < nr; i++)
				assert_true(in(r[i], a, na));
		}
		/* shifts (CONNMARK --left/--right-shift-mark) */
		x = tnum_lshift(t, sh);
		for (uint32_t i = 0; i < na; i++)
			assert_true(tnum_contains(x, a[i] << sh));
		x = tnum_rshift(t, sh);
		for (uint32_t i = 0; i < na; i++)
			assert_true(tnum_contains(x, a[i] >> sh));
	}
}

/* Two xmarks are one (marksum.c composes chains this way). */
static void test_xmark_compose(void **state)
{
	uint32_t seed = 12345;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		uint32_t x = next(&seed), v1 = next(&seed), m1 = next(&seed);
		uint32_t v2 = next(&seed), m2 = next(&seed);
		uint32_t two = (((x & ~m1) ^ v1) & ~m2) ^ v2;
		uint32_t one = (x & ~(m1 | m2)) ^ ((v1 & ~m2) ^ v2);

		assert_int_equal(two, one);
	}
}

/* ---------------------------------------------------- the mark walk */

static void lint_text(struct lint *lint, const char *text)
{
	struct lint_options opt = { 0 };

	lint_init(lint, &opt);
	fixture_parse(lint, text);
}

/* The walk's verdict on the mark test of line @line (0: not reached). */
static int truth_at(const char *text, uint32_t line)
{
	struct lint lint;
	const struct markflow *mf;
	int truth = 0;

	lint_text(&lint, text);
	mf = markflow_get(&lint);
	assert_false(mf->gave_up);
	for (uint32_t i = 0; i < mf->ntests; i++)
		if (mf->tests[i].rule->loc.line == line)
			truth = mf->tests[i].truth;
	lint_free(&lint);
	return truth;
}

static void test_walk_classes(void **state)
{
	/*
	 * Save then test in the same traversal: ct->mark is written at once
	 * (INVALID packets, which have no conntrack entry, are dropped first).
	 */
	static const char save_then_test[] =
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		"-A PREROUTING -m conntrack --ctstate INVALID -j DROP\n"
		"-A PREROUTING -i eth0 -j MARK --set-mark 0x7\n"
		"-A PREROUTING -i eth0 -j CONNMARK --save-mark\n"
		"-A PREROUTING -i eth0 -m connmark --mark 0x7\n"
		"COMMIT\n";
	/*
	 * NEW packets have ctmark 0; later ones what the first one left: 0x2,
	 * or 0 for the replies of the host's own connections, whose first
	 * packet took OUTPUT, not PREROUTING.
	 */
	static const char later_only[] =
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		"-A PREROUTING -m conntrack --ctstate NEW -j CONNMARK --set-mark 0x2\n"
		"-A PREROUTING -m conntrack --ctstate ESTABLISHED -m connmark --mark 0x2\n"
		"-A PREROUTING -m conntrack --ctstate NEW -m connmark --mark 0x0\n"
		"COMMIT\n";
	/* A dropped first packet never confirms its connection. */
	static const char dropped_first[] =
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		"-A PREROUTING -i eth0 -m conntrack --ctstate ESTABLISHED -m connmark --mark 0x3\n"
		"-A PREROUTING -i eth0 -m conntrack --ctstate NEW -j CONNMARK --set-mark 0x3\n"
		"-A PREROUTING -i eth0 -m conntrack --ctstate NEW -j DROP\n"
		"COMMIT\n";
	/* The raw table runs before conntrack (except for loopback traffic). */
	static const char raw[] =
		"*raw\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A PREROUTING -i eth0 -m connmark ! --mark 0x1\n"
		"-A PREROUTING -m connmark ! --mark 0x1\n"
		"COMMIT\n";

	(void)state;
	assert_int_equal(truth_at(save_then_test, 6), TNUM_TRUE);
	assert_int_equal(truth_at(later_only, 4), TNUM_MAYBE);
	assert_int_equal(truth_at(later_only, 5), TNUM_FALSE);	/* set at once */
	assert_int_equal(truth_at(dropped_first, 3), TNUM_FALSE);
	assert_int_equal(truth_at(raw, 4), TNUM_FALSE);
	assert_int_equal(truth_at(raw, 5), TNUM_MAYBE);
}

static void test_walk_chains(void **state)
{
	/* A chain that tests no mark is applied in closed form. */
	static const char summary[] =
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		":MARKS - [0:0]\n"
		":ALSO - [0:0]\n"
		"-A PREROUTING -i eth0 -j MARKS\n"
		"-A PREROUTING -i eth0 -m mark --mark 0x4001/0x4001\n"
		"-A PREROUTING -i eth0 -m mark --mark 0x4002/0x4002\n"
		"-A MARKS -j MARK --or-mark 0x4000\n"
		"-A MARKS -j ALSO\n"
		"-A ALSO -j MARK --or-mark 0x1\n"
		"COMMIT\n";
	/* A RETURN keeps the marks set before it, not after. */
	static const char ret[] =
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		":C - [0:0]\n"
		"-A PREROUTING -i eth0 -j C\n"
		"-A PREROUTING -i eth0 -m mark --mark 0x8\n"
		"-A C -j MARK --set-mark 0x8\n"
		"-A C -j RETURN\n"
		"-A C -j MARK --set-mark 0x9\n"
		"COMMIT\n";

	/*
	 * A rule without a target lets both edges go on (found by
	 * tests/diff_reach.py, seed 20281: the second test was called
	 * never true).
	 */
	static const char noop[] =
		"*mangle\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A OUTPUT -m mark ! --mark 0x0/0x2\n"
		"-A OUTPUT -m mark ! --mark 0x0/0x2\n"
		"COMMIT\n";

	(void)state;
	assert_int_equal(truth_at(noop, 4), TNUM_MAYBE);
	assert_int_equal(truth_at(summary, 6), TNUM_TRUE);
	assert_int_equal(truth_at(summary, 7), TNUM_FALSE);
	assert_int_equal(truth_at(ret, 5), TNUM_TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_exact_on_members),
		cmocka_unit_test(test_xmark_compose),
		cmocka_unit_test(test_walk_classes),
		cmocka_unit_test(test_walk_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
