/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for parser/values.c.
 *
 * The accept/refuse lists were checked against the real iptables 1.8.9
 * binaries (iptables-legacy-restore --test, iptables-translate for the
 * values) and against the verdicts of iptables' own test suite
 * (shared/corpus/netfilter-iptables/T-VERDICTS.tsv).  A case that looks odd
 * ("12:80" being a bare port, "65536" being port 0) is what iptables does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "iptlint/values.h"

struct t {
	struct arena arena;
	char err[256];
	union val v;
	/* context for the next call */
	enum val_family fam;
	uint16_t proto;
	uint64_t min, max;
	const char *const *choices;
};

static int setup(void **state)
{
	struct t *t = test_calloc(1, sizeof(*t));

	arena_init(&t->arena);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	arena_free(&t->arena);
	test_free(t);
	return 0;
}

/* Run @fn on @s with the context in @t; resets the per-call settings. */
static int run_len(struct t *t, val_parse_fn fn, const char *s, size_t len)
{
	struct val_ctx ctx = {
		.arena = &t->arena,
		.family = t->fam,
		.proto = t->proto,
		.min = t->min,
		.max = t->max,
		.choices = t->choices,
		.err = t->err,
		.errlen = sizeof(t->err),
	};

	memset(&t->v, 0xa5, sizeof(t->v));
	t->err[0] = '\0';
	return fn(&ctx, s, len, &t->v);
}

static int run(struct t *t, val_parse_fn fn, const char *s)
{
	return run_len(t, fn, s, strlen(s));
}

static void reset(struct t *t)
{
	t->fam = VAL_FAM_ANY;
	t->proto = 0;
	t->min = t->max = 0;
	t->choices = NULL;
}

/* Every string of @good must parse, every one of @bad must not. */
static void check_lists(struct t *t, val_parse_fn fn, const char *name,
			const char *const *good, const char *const *bad)
{
	for (; good && *good; good++)
		if (run(t, fn, *good) < 0)
			fail_msg("%s: \"%s\" refused: %s", name, *good, t->err);
	for (; bad && *bad; bad++) {
		if (run(t, fn, *bad) >= 0)
			fail_msg("%s: \"%s\" accepted", name, *bad);
		if (t->err[0] == '\0')
			fail_msg("%s: \"%s\" refused without a reason", name, *bad);
	}
}

#define LISTS(t, fn, good, bad)	check_lists(t, fn, #fn, good, bad)

static void expect_err(struct t *t, val_parse_fn fn, const char *s,
		       const char *msg)
{
	assert_int_equal(run(t, fn, s), -1);
	if (!strstr(t->err, msg))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", s, t->err, msg);
}

static void expect_range(struct t *t, val_parse_fn fn, const char *s,
			 uint32_t lo, uint32_t hi)
{
	if (run(t, fn, s) != VAL_RANGE)
		fail_msg("\"%s\" refused: %s", s, t->err);
	assert_int_equal(t->v.range.lo, lo);
	assert_int_equal(t->v.range.hi, hi);
}

static void expect_uint(struct t *t, val_parse_fn fn, const char *s, uint64_t u)
{
	if (run(t, fn, s) != VAL_UINT)
		fail_msg("\"%s\" refused: %s", s, t->err);
	assert_int_equal(t->v.u, u);
}

static void ip4(const struct val_addr *a, int b0, int b1, int b2, int b3)
{
	assert_int_equal(a->addr[0], b0);
	assert_int_equal(a->addr[1], b1);
	assert_int_equal(a->addr[2], b2);
	assert_int_equal(a->addr[3], b3);
}

static void mask4(const struct val_addr *a, int b0, int b1, int b2, int b3)
{
	assert_int_equal(a->mask[0], b0);
	assert_int_equal(a->mask[1], b1);
	assert_int_equal(a->mask[2], b2);
	assert_int_equal(a->mask[3], b3);
}

/* ------------------------------------------------------------ integers */

static void test_uint(void **state)
{
	static const char *const good[] = {
		"0", "1", "4294967295", "0x10", "0X1f", "010", "00", "0x0",
		" 1", "\t1", "+1", "0xffffffff", NULL,
	};
	static const char *const bad[] = {
		"", "-1", "-0", " -1", "1 ", "abc", "1a", "08", "0x",
		"4294967296", "18446744073709551616", "1.0", "+-1", "- 1", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_uint, good, bad);
	expect_uint(t, val_parse_uint, "0x10", 16);
	expect_uint(t, val_parse_uint, "010", 8);
	expect_uint(t, val_parse_uint, " +7", 7);
	expect_err(t, val_parse_uint, "4294967296", "out of range 0-4294967295");
	expect_err(t, val_parse_uint, "abc", "not a number");
	expect_err(t, val_parse_uint, "1 ", "unexpected characters");
}

static void test_uint_bounds(void **state)
{
	struct t *t = *state;

	reset(t);
	t->max = 255;			/* --ttl-eq */
	expect_uint(t, val_parse_uint, "255", 255);
	expect_err(t, val_parse_uint, "256", "\"256\" is out of range 0-255");
	t->min = 1;			/* TTL --ttl-inc */
	expect_err(t, val_parse_uint, "0", "out of range 1-255");
	expect_uint(t, val_parse_uint, "1", 1);
	t->min = 0;
	t->max = UINT64_MAX;		/* --quota */
	expect_uint(t, val_parse_uint, "18446744073709551615", UINT64_MAX);
	expect_err(t, val_parse_uint, "18446744073709551616", "out of range");
	expect_err(t, val_parse_uint, "-1", "out of range");
}

static void test_uint_range(void **state)
{
	static const char *const good[] = {
		"1:2", "2:1", ":2", "2:", "", ":", " 1: 2", "0x10:0x20",
		"65535", "0:65535", NULL,
	};
	static const char *const bad[] = {
		"65536", "-1", "1-2", "1:2:3", "1:2:", "-1:65535", "0:65536",
		"0:-1", "1 :2", "a", "::", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->max = 65535;			/* length --length (UINT16RC) */
	LISTS(t, val_parse_uint_range, good, bad);
	expect_range(t, val_parse_uint_range, "", 0, 0);
	expect_range(t, val_parse_uint_range, ":", 0, 65535);
	expect_range(t, val_parse_uint_range, "5", 5, 5);
	expect_range(t, val_parse_uint_range, ":5", 0, 5);
	expect_range(t, val_parse_uint_range, "5:", 5, 65535);
	/* iptables leaves a reversed range to the extension. */
	expect_range(t, val_parse_uint_range, "2:1", 2, 1);
	expect_err(t, val_parse_uint_range, "1:2:3", "too many");
	expect_err(t, val_parse_uint_range, "1-2", "unexpected characters \"-2\"");
	expect_err(t, val_parse_uint_range, "0:65536", "\"65536\" is out of range 0-65535");

	t->max = UINT64_MAX;		/* connbytes --connbytes */
	assert_int_equal(run(t, val_parse_uint_range, "1:18446744073709551615"),
			 VAL_RANGE64);
	assert_true(t->v.range64.lo == 1 && t->v.range64.hi == UINT64_MAX);
	assert_int_equal(run(t, val_parse_uint_range, "7:"), VAL_RANGE64);
	assert_true(t->v.range64.hi == UINT64_MAX);
	expect_range(t, val_parse_uint_range, "1:2", 1, 2);
	expect_err(t, val_parse_uint_range, "0:18446744073709551616", "out of range");
}

static void test_mark(void **state)
{
	static const char *const good[] = {
		"1", "0x1/0xff", "4294967295", " 1", "1/ 2", "0xffffffff/0xffffffff",
		"010/0x0", NULL,
	};
	static const char *const bad[] = {
		"", "-1", "4294967296", "0x1/0x100000000", "1 ", "1 /2", "1/",
		"/1", "1/-1", "0x", "1/2/3", "09", "1//2", "- 1", "1/0x", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_mark, good, bad);
	assert_int_equal(run(t, val_parse_mark, "0x1e"), VAL_MARK);
	assert_int_equal(t->v.mark.value, 30);
	assert_int_equal(t->v.mark.mask, 0xffffffffu);
	assert_int_equal(run(t, val_parse_mark, "0x10/0xf0"), VAL_MARK);
	assert_int_equal(t->v.mark.value, 0x10);
	assert_int_equal(t->v.mark.mask, 0xf0);
	expect_err(t, val_parse_mark, "0x1/0x100000000",
		   "\"0x1/0x100000000\": mask is wider than 32 bits");
	expect_err(t, val_parse_mark, "4294967296", "wider than 32 bits");
	expect_err(t, val_parse_mark, "1 ", "unexpected characters");
}

/* ------------------------------------------------------------ ports */

static void test_proto_port_range(void **state)
{
	static const char *const good[] = {
		"0", "65535", "0x16", "0X10", "010", "00", " 22", "+22", " +1",
		"0xffff", "0177777", "ssh", "www", "http", "domain", "amqp",
		"1024:", ":1024", ":", "1:1", "ssh:http", "webcache:http-alt",
		" 1: 2", NULL,
	};
	static const char *const bad[] = {
		"", "-1", "-0", " -0", "22 ", "65536", "0x10000", "08", "0x",
		"SSH", "bootps", "1:2:3", "2:1", "1-2", "1,2", "+-1", "a b",
		"18446744073709551616", "rtmp", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->proto = 6;			/* tcp --dport */
	LISTS(t, val_parse_proto_port_range, good, bad);
	expect_range(t, val_parse_proto_port_range, "0x16", 22, 22);
	expect_range(t, val_parse_proto_port_range, "010", 8, 8);
	expect_range(t, val_parse_proto_port_range, "ssh", 22, 22);
	expect_range(t, val_parse_proto_port_range, "1024:", 1024, 65535);
	expect_range(t, val_parse_proto_port_range, ":1024", 0, 1024);
	expect_range(t, val_parse_proto_port_range, ":", 0, 65535);
	expect_range(t, val_parse_proto_port_range, "ssh:http", 22, 80);
	expect_err(t, val_parse_proto_port_range, "2:1", "invalid portrange (min > max)");
	expect_err(t, val_parse_proto_port_range, "70000",
		   "port \"70000\" is out of range 0-65535");
	expect_err(t, val_parse_proto_port_range, "bootps", "tcp service");
	/* only the first ':' splits */
	expect_err(t, val_parse_proto_port_range, "1:2:3", "\"2:3\"");

	t->proto = 17;
	expect_range(t, val_parse_proto_port_range, "bootps", 67, 67);
	expect_err(t, val_parse_proto_port_range, "ssh", "udp service");
	t->proto = 132;			/* sctp: netbase has one sctp name */
	expect_range(t, val_parse_proto_port_range, "amqp", 5672, 5672);
	expect_err(t, val_parse_proto_port_range, "ssh", "sctp service");
	t->proto = 0;			/* unknown: tcp or udp names */
	expect_range(t, val_parse_proto_port_range, "ssh:bootps", 22, 67);
}

static void test_port_guided(void **state)
{
	static const char *const good[] = {
		"010", " 22", "+22", "65536", "4294967296", "-0", "-4294967295",
		"2147483647", "", "ssh", "bootps", "discard", "sink", "www",
		"1024:", ":1", ":", "ssh:", "bootps:domain", "0:0", "2:1",
		" 1: 2", "amqp", NULL,
	};
	static const char *const bad[] = {
		"0x10", "-1", "-2", "-65535", "4294967295", "2147483648",
		"99999999999999999999", "1 ", "1-2", "0x", "SSH", "1,2", "1:2:3",
		"rtmp", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->proto = 17;			/* udp --dport: the rule's -p is ignored */
	LISTS(t, val_parse_port_range, good, bad);
	/* getaddrinfo reads decimal and keeps 16 bits. */
	expect_range(t, val_parse_port_range, "010", 10, 10);
	expect_range(t, val_parse_port_range, "65536", 0, 0);
	expect_range(t, val_parse_port_range, "65537", 1, 1);
	expect_range(t, val_parse_port_range, "4294967297", 1, 1);
	expect_range(t, val_parse_port_range, "-4294967295", 1, 1);
	expect_range(t, val_parse_port_range, "2147483647", 65535, 65535);
	expect_range(t, val_parse_port_range, "", 0, 0);
	expect_range(t, val_parse_port_range, ":", 0, 65535);
	expect_range(t, val_parse_port_range, "1:", 1, 65535);
	expect_range(t, val_parse_port_range, ":1", 0, 1);
	expect_range(t, val_parse_port_range, "ssh:", 22, 65535);
	expect_range(t, val_parse_port_range, "bootps:domain", 67, 53);
	expect_err(t, val_parse_port_range, "1:2:3", "too many");
	expect_err(t, val_parse_port_range, "0x10", "\"0x10\"");

	expect_uint(t, val_parse_port, "ssh", 22);
	expect_uint(t, val_parse_port, "bootps", 67);
	expect_uint(t, val_parse_port, "65536", 0);
	expect_uint(t, val_parse_port, "", 0);
	expect_uint(t, val_parse_port, "+80", 80);
	assert_int_equal(run(t, val_parse_port, "  "), -1);
	assert_int_equal(run(t, val_parse_port, "1:2"), -1);
	assert_int_equal(run(t, val_parse_port, "-1"), -1);
}

static void test_port_list(void **state)
{
	static const char *const good[] = {
		"1", "1,2", "1:2", "ssh:http", " 1, 2", "0x10,010", "0:65535",
		"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15",
		"1:2,3,4,5,6,7,8,9,10,11,12,13,14,15",
		"1,2,3,4,5,6,7,8,9,10,11,12,13,15:16",
		"1:2,3:4,5:6,7:8,9:10,11:12,13:14,15", NULL,
	};
	static const char *const bad[] = {
		"", "1,", ",1", "1,,2", "2:1", "5:5", "1:", ":5", "1:2:3",
		"1 ,2", "1-2", "bootps", "65535,65536",
		"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
		"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16",
		"1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->proto = 6;
	LISTS(t, val_parse_port_list, good, bad);
	assert_int_equal(run(t, val_parse_port_list, "22,1024:2048,http"), VAL_PORTS);
	assert_int_equal(t->v.ports->n, 3);
	assert_int_equal(t->v.ports->v[0].lo, 22);
	assert_int_equal(t->v.ports->v[0].hi, 22);
	assert_int_equal(t->v.ports->v[1].lo, 1024);
	assert_int_equal(t->v.ports->v[1].hi, 2048);
	assert_int_equal(t->v.ports->v[2].lo, 80);
	expect_err(t, val_parse_port_list, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
		   "too many ports");
	expect_err(t, val_parse_port_list, "5:5", "invalid port range");
	t->proto = 17;
	assert_true(run(t, val_parse_port_list, "bootps") >= 0);
	assert_int_equal(run(t, val_parse_port_list, "ssh"), -1);
	t->proto = 132;
	assert_true(run(t, val_parse_port_list, "amqp") >= 0);
	assert_int_equal(run(t, val_parse_port_list, "ssh"), -1);
	t->proto = 33;			/* dccp: no dccp names in netbase */
	assert_int_equal(run(t, val_parse_port_list, "ssh"), -1);
}

/* ------------------------------------------------------------ addresses */

static void test_addr_list_v4(void **state)
{
	static const char *const good[] = {
		"10.1", "10", "0x0a.1.2.3", "012.1.2.3", "1. 2.3.4", " 1.2.3.4",
		"1.2.3.4, 5.6.7.8", "1.2.3.4/0x20", "1.2.3.4/ 8", "1.2.3.4/32",
		"10.0.12.0/255.0.12.0", "garbage!!/0", "::/0", "0/0",
		"1.2.3.000000000000000004", "link-local", "example.com",
		"localhost", "host_1.example.", "1.2.3.4/255.255.255.255",
		"1.2.3.4/0.0.0.0", "1.2.3.4/00", "1.2.3.4/8,5.6.7.8/16",
		"1.2.3.4/ 0", NULL,
	};
	static const char *const bad[] = {
		"", "1.2.3.4 ", "1.2.3.4 ,5.6.7.8", "1.2.3.4,", ",1.2.3.4",
		"1.2.3.4/", "1.2.3.4/33", "1.2.3.4/255.255.0", "256.1.1.1",
		"1.2.3.4.5", "c0::fe", "1.2.3.4/24/8", "-1.2.3.4", "1.2.3.-4",
		"1.2.3.4/-1", "10.1.", ".1.2.3", "1..2.3", "0x",
		"1.2.3.4/255.255.255.256", "255.255.255.255/0xffffffff.0.0.0",
		"a b", "1.2.3.4:80", "[1.2.3.4]", "1.2.3.4/24 ", NULL,
	};
	struct t *t = *state;
	const struct val_addr *a;

	reset(t);
	t->fam = VAL_FAM_V4;
	LISTS(t, val_parse_addr_list, good, bad);

	assert_int_equal(run(t, val_parse_addr_list, "10.11.12.13/8"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(t->v.addrs->n, 1);
	assert_int_equal(a->family, 4);
	assert_int_equal(a->plen, 8);
	ip4(a, 10, 0, 0, 0);
	mask4(a, 255, 0, 0, 0);

	assert_int_equal(run(t, val_parse_addr_list, "10.0.12.0/255.0.12.0"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(a->plen, 255);
	ip4(a, 10, 0, 12, 0);
	mask4(a, 255, 0, 12, 0);

	assert_int_equal(run(t, val_parse_addr_list, "10.1"), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 10, 1, 0, 0);
	assert_int_equal(t->v.addrs->v[0].plen, 32);
	assert_int_equal(run(t, val_parse_addr_list, "0x0a.1.2.3"), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 10, 1, 2, 3);
	/* iptables reads only 19 bytes of the address: this is 1.2.3.0 */
	assert_int_equal(run(t, val_parse_addr_list, "1.2.3.0000000000000004"), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 1, 2, 3, 0);

	/* a zero mask makes iptables ignore the address part */
	assert_int_equal(run(t, val_parse_addr_list, "garbage!!/0"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(a->family, 4);
	assert_int_equal(a->plen, 0);
	ip4(a, 0, 0, 0, 0);

	assert_int_equal(run(t, val_parse_addr_list, "1.2.3.4,example.com/24"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->n, 2);
	ip4(&t->v.addrs->v[0], 1, 2, 3, 4);
	a = &t->v.addrs->v[1];
	assert_int_equal(a->family, 0);
	assert_string_equal(val_addr_host(a), "example.com");
	assert_int_equal(a->plen, 24);

	expect_err(t, val_parse_addr_list, "1.2.3.4/33", "invalid mask \"33\"");
	expect_err(t, val_parse_addr_list, "256.1.1.1", "\"256.1.1.1\"");
}

static void test_addr_list_v6(void **state)
{
	static const char *const good[] = {
		"::/0", "c0::fe", "c0::fe/64", "c0::fe/128", "c0::fe/ffff:ffff::",
		"c0::fe/ffff:0:ffff::", "::ffff:1.2.3.4", "fe80::1%1",
		"fe80::1%lo", "::1, ::2", "::1/ 64", "::1/0x40", "garbage!!/0",
		"::1/::", " ::1", "C0::FE", "::1/0:0:0:0:0:0:0:0",
		"1:2:3:4:5:6:7:8", "::", "1::", "::1.2.3.4",
		"1:2:3:4:5:6:1.2.3.4", "2001:db8::/32", "localhost", NULL,
	};
	static const char *const bad[] = {
		"c0::fe/129", "1.2.3.4", "::1,1.2.3.4", "[::1]", "::1/64/8",
		"::1 ", "1:2:3:4:5:6:7:8:9", ":::", "1::2::3",
		"::1/255.255.255.0", "0000:0000:0000:0000:0000:0000:0000:00001",
		"1:2:3:4:5:6:7::8", "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4",
		":1::", "1:", "fe80::1%", "2001:db8::1/-1", "::1/", "12345::",
		"fe80::1%4294967296", "", NULL,
	};
	struct t *t = *state;
	const struct val_addr *a;

	reset(t);
	t->fam = VAL_FAM_V6;
	LISTS(t, val_parse_addr_list, good, bad);

	assert_int_equal(run(t, val_parse_addr_list, "c0::fe/64"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(a->family, 6);
	assert_int_equal(a->plen, 64);
	assert_int_equal(a->addr[0], 0);
	assert_int_equal(a->addr[1], 0xc0);
	assert_int_equal(a->addr[15], 0);	/* host bits cleared */

	assert_int_equal(run(t, val_parse_addr_list, "c0::fe"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(a->plen, 128);
	assert_int_equal(a->addr[1], 0xc0);
	assert_int_equal(a->addr[15], 0xfe);

	assert_int_equal(run(t, val_parse_addr_list, "c0::fe/ffff:0:ffff::"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].plen, 255);

	assert_int_equal(run(t, val_parse_addr_list, "::ffff:1.2.3.4"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(a->addr[10], 0xff);
	assert_int_equal(a->addr[12], 1);
	assert_int_equal(a->addr[15], 4);

	assert_int_equal(run(t, val_parse_addr_list, "::/0"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].plen, 0);
	expect_err(t, val_parse_addr_list, "c0::fe/129", "invalid mask \"129\"");
}

static void test_addr_list_any(void **state)
{
	struct t *t = *state;

	reset(t);
	assert_int_equal(run(t, val_parse_addr_list, "c0::fe"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].family, 6);
	assert_int_equal(run(t, val_parse_addr_list, "10.0.0.0/8"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].family, 4);
	assert_int_equal(run(t, val_parse_addr_list, "::/0"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].family, 6);
	assert_int_equal(run(t, val_parse_addr_list, "example.org"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].family, 0);
	assert_string_equal(val_addr_host(&t->v.addrs->v[0]), "example.org");
	/* one family must take the whole list */
	assert_int_equal(run(t, val_parse_addr_list, "1.2.3.4,::1"), -1);
	expect_err(t, val_parse_addr_list, "1::2::3", "IPv6");
	expect_err(t, val_parse_addr_list, "1.2.3.4/33", "invalid mask");
}

static void test_addr_mask(void **state)
{
	static const char *const good4[] = {
		"10.1", "10", "0x0a000001", "1.2.3.4/24", "1.2.3.4/255.255.255.0",
		"1.2.3.4/33", "010.1.2.3", "localhost", "1.2.3.4/0x10",
		"1.2.3.4/ 8", "1.16777215", "1.2.65535", "1.2.3.4/0",
		"1.2.3.4/255.255.0.255", "00000000000000000000000000001.2.3.4", NULL,
	};
	static const char *const bad4[] = {
		"1.2.3.4/", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/24/8", "1.2.3.4,5.6.7.8",
		"c0::fe", "", "16777216.1", "1.16777216", "1.2.65536", "1.2.3.4.5",
		"0x", "1.2.3.", "1.2.3.4/-1", "1.2.3.4/4294967296", NULL,
	};
	static const char *const good6[] = {
		"::1/ffff::", "::1/ffff::1", "::1/64", "::1", "fe80::1%1",
		"::ffff:1.2.3.4/96", NULL,
	};
	static const char *const bad6[] = {
		"::1/129", "1.2.3.4", "::1/", "::1/1.2.3.4", NULL,
	};
	struct t *t = *state;
	const struct val_addr *a;

	reset(t);
	t->fam = VAL_FAM_V4;
	LISTS(t, val_parse_addr_mask, good4, bad4);
	/* getaddrinfo reads "10.1" as inet_aton does: 10.0.0.1 */
	assert_int_equal(run(t, val_parse_addr_mask, "10.1"), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 10, 0, 0, 1);
	assert_int_equal(run(t, val_parse_addr_mask, "1.2.3.4/255.255.255.0"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].plen, 24);
	/* "33" is the mask 0.0.0.33, not a prefix: iptables keeps /32 */
	assert_int_equal(run(t, val_parse_addr_mask, "1.2.3.4/33"), VAL_ADDRS);
	a = &t->v.addrs->v[0];
	assert_int_equal(a->plen, 32);
	ip4(a, 1, 2, 3, 4);
	mask4(a, 255, 255, 255, 255);
	t->fam = VAL_FAM_V6;
	LISTS(t, val_parse_addr_mask, good6, bad6);
	assert_int_equal(run(t, val_parse_addr_mask, "::1/ffff::1"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].plen, 128);
}

static void test_addr(void **state)
{
	static const char *const good4[] = {
		"10.1", "10", "0x0a000001", "1.16777215", "localhost",
		"1.2.65535", "255.255.255.255", NULL,
	};
	static const char *const bad4[] = {
		"16777216.1", "1.2.3.4 ", "1.2.3.4/24", "1.2.3.4.5", "", "::1",
		"1.2.3.256", NULL,
	};
	static const char *const good6[] = {
		"fe80::1%lo", "::1%1", "::ffff:1.2.3.4", "::1", "ff02::1%eth0",
		"fe80::1%4294967295", NULL,
	};
	static const char *const bad6[] = {
		"::1%lo", "fe80::1%", "1.2.3.4", "fe80::1%4294967296", "ff05::1%lo",
		"::1/128", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->fam = VAL_FAM_V4;
	LISTS(t, val_parse_addr, good4, bad4);
	assert_int_equal(run(t, val_parse_addr, "10"), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 0, 0, 0, 10);
	assert_int_equal(run(t, val_parse_addr, "1.16777215"), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 1, 255, 255, 255);
	t->fam = VAL_FAM_V6;
	LISTS(t, val_parse_addr, good6, bad6);
	t->fam = VAL_FAM_ANY;
	assert_int_equal(run(t, val_parse_addr, "fe80::1"), VAL_ADDRS);
	assert_int_equal(t->v.addrs->v[0].family, 6);
}

static void test_addr_range(void **state)
{
	static const char *const good4[] = {
		"10.0.0.1-10.0.0.9", "10.0.0.9-10.0.0.1", "10.1-10.2", "10.0.0.1",
		" 10.0.0.1", "0x0a.0.0.1", NULL,
	};
	static const char *const bad4[] = {
		"10.0.0.1-", "-10.0.0.1", "10.0.0.1-10.0.0.2-10.0.0.3",
		"10.0.0.1/24", "10.0.0.1 -10.0.0.2", "", "::1", "a-b", NULL,
	};
	static const char *const good6[] = {
		"::1-::9", "::9-::1", "::1", "::ffff:1.2.3.4-::ffff:1.2.3.5", NULL,
	};
	static const char *const bad6[] = {
		"::1-", "1.2.3.4", "fe80::1%1", NULL,
	};
	struct t *t = *state;
	const struct val_addr *a;

	reset(t);
	t->fam = VAL_FAM_V4;
	LISTS(t, val_parse_addr_range, good4, bad4);
	assert_int_equal(run(t, val_parse_addr_range, "10.1-10.2.0.7"), VAL_ADDR_RANGE);
	a = &t->v.addrs->v[0];
	assert_int_equal(t->v.addrs->n, 1);
	ip4(a, 10, 1, 0, 0);
	mask4(a, 10, 2, 0, 7);
	assert_int_equal(run(t, val_parse_addr_range, "10.0.0.5"), VAL_ADDR_RANGE);
	mask4(&t->v.addrs->v[0], 10, 0, 0, 5);
	t->fam = VAL_FAM_V6;
	LISTS(t, val_parse_addr_range, good6, bad6);
	t->fam = VAL_FAM_ANY;
	assert_int_equal(run(t, val_parse_addr_range, "::1-::2"), VAL_ADDR_RANGE);
	assert_int_equal(t->v.addrs->v[0].family, 6);
}

/* ------------------------------------------------------------ NAT */

static void test_nat_v4(void **state)
{
	static const char *const good[] = {
		"10.0.0.1-10.0.0.9:80-90", "10.0.0.1", "10.0.0.1:80", ":80",
		"12:80", "10.0.0.9-10.0.0.1", "10.0.0.1:http", "10.0.0.1:80-90/100",
		"10.0.0.1:0x50", "10.0.0.1: 80", "10.0.0.1:bootps", "10.0.0.1:0",
		"10.0.0.1:80-90/100x", "10.0.0.1:80-90/http", "10.0.0.1:rtmp",
		"10.0.0.1:65535-65535", NULL,
	};
	static const char *const bad[] = {
		"1:80", "10.0.0.1:90-80", "10.0.0.1:80:90", "10.0.0.1:http-90",
		"10.0.0.1:80-http", "010.0.0.1", "10.1", "[10.0.0.1]:80", "",
		"10.0.0.1:", "10.0.0.1:65536", "10.0.0.1-", "-10.0.0.1",
		"10.0.0.1:80-", "10.0.0.1:80-90x", "10.0.0.1:80x", "10.0.0.1:-1",
		"10.0.0.1:80-90/0", "10.0.0.1:80-90/", "10.0.0.1:80/100",
		"1.2.3.4.5", "256.0.0.1", "abc:80", NULL,
	};
	struct t *t = *state;
	const struct val_nat *n;

	reset(t);
	t->fam = VAL_FAM_V4;
	LISTS(t, val_parse_nat_range, good, bad);
	assert_int_equal(run(t, val_parse_nat_range, "10.0.0.1-10.0.0.9:80-90"), VAL_NAT);
	n = t->v.nat;
	assert_true(n->has_addr && n->has_port && !n->has_base);
	ip4(&n->lo, 10, 0, 0, 1);
	ip4(&n->hi, 10, 0, 0, 9);
	assert_int_equal(n->port_lo, 80);
	assert_int_equal(n->port_hi, 90);
	assert_int_equal(run(t, val_parse_nat_range, "10.0.0.1"), VAL_NAT);
	n = t->v.nat;
	assert_true(n->has_addr && !n->has_port);
	ip4(&n->hi, 10, 0, 0, 1);
	/* iptables treats a ':' at offset 2 as "[]:port": no address */
	assert_int_equal(run(t, val_parse_nat_range, "12:80"), VAL_NAT);
	assert_false(t->v.nat->has_addr);
	assert_int_equal(t->v.nat->port_lo, 80);
	assert_int_equal(run(t, val_parse_nat_range, "10.0.0.1:80-90/100"), VAL_NAT);
	assert_true(t->v.nat->has_base);
	assert_int_equal(t->v.nat->port_base, 100);
	expect_err(t, val_parse_nat_range, "10.0.0.1:80:90", "\"10.0.0.1:80:90\"");
	expect_err(t, val_parse_nat_range, "10.0.0.1:90-80", "reversed");
	expect_err(t, val_parse_nat_range, "[10.0.0.1]:80", "invalid address format");
}

static void test_nat_v6(void **state)
{
	static const char *const good[] = {
		"[fe80::1]:80", "[fe80::1]", "[fe80::1]x", "[fe80::1]x:80",
		"fe80::1", "fe80::1-fe80::9", "[fe80::1-fe80::9]:80-90", "[]:80",
		"::1", ":80", "[::ffff:1.2.3.4]:80", "[fe80::1]:80-90/100",
		"[fe80::9-fe80::1]", "x[fe80::1]:80", NULL,
	};
	static const char *const bad[] = {
		"[]", "[:80", "fe80::1]:80", "1.2.3.4", "fe80::1%1", "[fe80::1]:",
		"[fe80::1]:90-80", NULL,
	};
	struct t *t = *state;
	const struct val_nat *n;

	reset(t);
	t->fam = VAL_FAM_V6;
	LISTS(t, val_parse_nat_range, good, bad);
	assert_int_equal(run(t, val_parse_nat_range, "[fe80::1]:80"), VAL_NAT);
	n = t->v.nat;
	assert_true(n->has_addr && n->has_port);
	assert_int_equal(n->lo.family, 6);
	assert_int_equal(n->lo.addr[0], 0xfe);
	assert_int_equal(n->lo.addr[15], 1);
	assert_int_equal(n->port_lo, 80);
	assert_int_equal(n->port_hi, 80);
	t->fam = VAL_FAM_ANY;
	assert_int_equal(run(t, val_parse_nat_range, "[fe80::1]:80"), VAL_NAT);
	assert_int_equal(t->v.nat->lo.family, 6);
	assert_int_equal(run(t, val_parse_nat_range, "1.2.3.4:80"), VAL_NAT);
	assert_int_equal(t->v.nat->lo.family, 4);
	expect_err(t, val_parse_nat_range, "1.2.3.4:80x", "unexpected characters");
}

static void test_nat_ports(void **state)
{
	static const char *const good[] = {
		"80", "80-90", "http", "0", "80-90/100", " 80", "bootps",
		"1024-65535", "0-0", NULL,
	};
	static const char *const bad[] = {
		"90-80", "80:90", "80-http", "", "65536", "80 ", "1-", "-1",
		"80-90/0", "1024-65536", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_nat_ports, good, bad);
	assert_int_equal(run(t, val_parse_nat_ports, "1024-65535"), VAL_NAT);
	assert_false(t->v.nat->has_addr);
	assert_int_equal(t->v.nat->port_lo, 1024);
	assert_int_equal(t->v.nat->port_hi, 65535);
	assert_int_equal(run(t, val_parse_nat_ports, "http"), VAL_NAT);
	assert_int_equal(t->v.nat->port_lo, 80);
	expect_err(t, val_parse_nat_ports, "80:90", "'-', not ':'");
}

/* ------------------------------------------------------------ words */

static void test_iface(void **state)
{
	static const char *const good[] = {
		"eth0", "eth+", "+", "a/b", "a b", "123456789012345", "eth0!",
		"eth:0", ".", "eth*", "!eth0", NULL,
	};
	static const char *const bad[] = {
		"", "1234567890123456", "thisinterfaceistoolong0", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_iface, good, bad);
	assert_int_equal(run(t, val_parse_iface, "eth+"), VAL_IFACE);
	assert_int_equal(t->v.str.len, 4);
	expect_err(t, val_parse_iface, "1234567890123456", "at most 15");
	expect_err(t, val_parse_iface, "", "empty");
}

static void test_string(void **state)
{
	struct t *t = *state;

	reset(t);
	assert_int_equal(run(t, val_parse_string, ""), VAL_STR);
	assert_int_equal(run(t, val_parse_string, "any thing"), VAL_STR);
	assert_int_equal(t->v.str.len, 9);
	t->min = 1;
	t->max = 3;
	expect_err(t, val_parse_string, "", "too short");
	expect_err(t, val_parse_string, "abcd", "too long (at most 3");
	assert_int_equal(run(t, val_parse_string, "abc"), VAL_STR);
}

static void test_choice(void **state)
{
	static const char *const states[] = {
		"INVALID", "ESTABLISHED", "NEW", "RELATED", "UNTRACKED", NULL,
	};
	static const char *const good[] = {
		"NEW", "new", "NEW,ESTABLISHED", "established,related",
		"UNTRACKED", NULL,
	};
	static const char *const bad[] = {
		"NEW,,ESTABLISHED", "NEW,", "", ",NEW", "FOO", "NEW ", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->choices = states;
	LISTS(t, val_parse_choice_list, good, bad);
	assert_int_equal(run(t, val_parse_choice_list, "NEW,established"), VAL_BITS);
	assert_int_equal(t->v.u, (1u << 2) | (1u << 1));
	assert_int_equal(run(t, val_parse_choice, "Related"), VAL_CHOICE);
	assert_int_equal(t->v.u, 3);
	expect_err(t, val_parse_choice, "NEW,RELATED", "INVALID, ESTABLISHED, NEW");
	expect_err(t, val_parse_choice_list, "NEW,FOO", "\"FOO\"");
}

static void test_proto(void **state)
{
	static const char *const good[] = {
		"tcp", "TCP", "Tcp", "all", "ALL", "0", "255", "0x6", "006", " 6",
		"icmpv6", "ipv6-icmp", "IPV6-ICMP", "mh", "ipv6-mh", "udplite",
		"ip", "IP", "hopopt", "esp", "ah", "sctp", "dccp", "gre", "ospf",
		"ipencap", "ipv6", "mptcp", "ax.25", "mobility-header", NULL,
	};
	static const char *const bad[] = {
		"256", "OSPFIGP", "ospfigp", "", "-1", "foo", "IPSEC-ESP",
		"6 ", NULL,
	};
	static const char *const good_exact[] = {
		"TCP", "tcp", "OSPFIGP", "all", "IPSEC-ESP", "icmpv6", "mptcp",
		"6", NULL,
	};
	static const char *const bad_exact[] = {
		"Tcp", "ALL", "All", "ospfigp", "256", "", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_proto, good, bad);
	LISTS(t, val_parse_proto_exact, good_exact, bad_exact);
	expect_uint(t, val_parse_proto, "TCP", 6);
	expect_uint(t, val_parse_proto, "all", 0);
	expect_uint(t, val_parse_proto, "icmpv6", 58);
	expect_uint(t, val_parse_proto, "mh", 135);
	/* /etc/protocols says 262; -p keeps 16 bits, --ctproto 8 */
	expect_uint(t, val_parse_proto, "mptcp", 262);
	expect_uint(t, val_parse_proto_exact, "mptcp", 6);
	expect_uint(t, val_parse_proto_exact, "OSPFIGP", 89);
	expect_err(t, val_parse_proto, "foo", "unknown protocol \"foo\"");

	assert_int_equal(val_proto_number("udp", 3), 17);
	assert_int_equal(val_proto_number("UDP", 3), 17);
	assert_int_equal(val_proto_number("47", 2), 47);
	assert_int_equal(val_proto_number("nope", 4), -1);
	assert_int_equal(val_proto_number("tcpx", 3), 6);	/* counted */
	assert_string_equal(val_proto_name(6), "tcp");
	assert_string_equal(val_proto_name(58), "icmpv6");
	assert_string_equal(val_proto_name(135), "ipv6-mh");
	assert_string_equal(val_proto_name(0), "all");
	assert_string_equal(val_proto_name(47), "gre");
	assert_null(val_proto_name(7));
	assert_null(val_proto_name(300));
}

/* ------------------------------------------------------------ ICMP */

static void expect_icmp(struct t *t, val_parse_fn fn, const char *s,
			int type, int lo, int hi)
{
	if (run(t, fn, s) != VAL_ICMP)
		fail_msg("\"%s\" refused: %s", s, t->err);
	assert_int_equal(t->v.icmp.type, type);
	assert_int_equal(t->v.icmp.code_lo, lo);
	assert_int_equal(t->v.icmp.code_hi, hi);
}

static void test_icmp(void **state)
{
	static const char *const good[] = {
		"255/0:255", "3/4:5", "3/5:4", "3/0x4", "0x3", "03", "3/ 4",
		" 3/4", "3/255", "3", "255", "3/1:1", "+3", "3/+4", "ping", "PiNg",
		"echo-request", "EcHo-ReQ", "network-unr", "tos-host-r", "any",
		"an", "ttl-exc", "ttl-zero-during-t", "echo-req", NULL,
	};
	static const char *const bad[] = {
		"3/:5", "3/4:", "3:4", "3/4 ", "3/-1", "3/256", "3/4:5:6", "3/4/5",
		"3//4", "3/4x", "3x", "08", "-3", "3/ :5", "host-p", "echo", "",
		"a", "p", "/4", "256", "echo-request/1", "x", "3/", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_icmp_type, good, bad);
	expect_icmp(t, val_parse_icmp_type, "echo-request", 8, 0, 255);
	expect_icmp(t, val_parse_icmp_type, "8", 8, 0, 255);
	expect_icmp(t, val_parse_icmp_type, "3/4", 3, 4, 4);
	expect_icmp(t, val_parse_icmp_type, "3/4:5", 3, 4, 5);
	expect_icmp(t, val_parse_icmp_type, "any", 255, 0, 255);
	expect_icmp(t, val_parse_icmp_type, "port-unreachable", 3, 3, 3);
	expect_icmp(t, val_parse_icmp_type, "TOS-host-redirect", 5, 3, 3);
	expect_icmp(t, val_parse_icmp_type, "pong", 0, 0, 255);
	expect_err(t, val_parse_icmp_type, "echo",
		   "ambiguous icmp type \"echo\": echo-reply or echo-request");
	expect_err(t, val_parse_icmp_type, "3:4", "ranges are not supported");
	expect_err(t, val_parse_icmp_type, "3 ", "unexpected character ' '");
	expect_err(t, val_parse_icmp_type, "256", "unknown icmp type");
}

static void test_icmp6(void **state)
{
	static const char *const good[] = {
		"1/0:3", "1/3:0", "ping", "pong", "neighbor-s", "redirect",
		"no-route", "2", "128/0", "255", "echo-req", NULL,
	};
	static const char *const bad[] = {
		"any", "1:2", "1/4:", "1x", "256", "neighbour", "n", "", "echo",
		"r", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_icmp6_type, good, bad);
	expect_icmp(t, val_parse_icmp6_type, "echo-request", 128, 0, 255);
	expect_icmp(t, val_parse_icmp6_type, "neighbor-solicitation", 135, 0, 255);
	expect_icmp(t, val_parse_icmp6_type, "no-route", 1, 0, 0);
	expect_icmp(t, val_parse_icmp6_type, "1/0:3", 1, 0, 3);
	expect_err(t, val_parse_icmp6_type, "neighbour", "ambiguous icmpv6 type");
}

/* ------------------------------------------------------------ misc */

static void test_mac(void **state)
{
	static const char *const good[] = {
		"00:11:22:33:44:55", "0:1:2:3:4:5", ":::::", "-1:2:3:4:5:6",
		"+1:2:3:4:5:6", " 1:2:3:4:5:6", "1:2:3:4:5: 6", "1:2:3:4:5:-6",
		"AA:bb:CC:dd:EE:ff", "1:2:3:4:5:", NULL,
	};
	static const char *const bad[] = {
		"00:11:22:33:44:55:66", "00:11:22:33:44", "001:2:3:4:5:6",
		"1:2:3:4:5:006", "1-2-3-4-5-6", "g:2:3:4:5:6", "1:2:3:4:5:6 ", "",
		"0x:1:2:3:4:5", "  :1:2:3:4:5", " :1:2:3:4:5", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_mac, good, bad);
	expect_uint(t, val_parse_mac, "00:11:22:33:44:55", 0x001122334455ull);
	expect_uint(t, val_parse_mac, "AA:bb:CC:dd:EE:ff", 0xaabbccddeeffull);
	/* strtoul(..., 16) negates: "-1" is 0xff */
	expect_uint(t, val_parse_mac, "-1:2:3:4:5:6", 0xff0203040506ull);
	expect_uint(t, val_parse_mac, ":::::", 0);
	expect_err(t, val_parse_mac, "00:11:22:33:44", "invalid MAC address");
}

static void test_rate(void **state)
{
	static const char *const good[] = {
		"10/sec", "5/minute", "1/s", "1/S", "1/m", "1/h", "1/d", "1/day",
		"1", "10000/s", "864000000/day", "10abc/s", " 5/s", "4294967297/s",
		"010/s", "1/hou", "2/MiN", NULL,
	};
	static const char *const bad[] = {
		"1/days", "1/seconds", "1/", "0", "0/s", "10001/s", "864000001/d",
		"abc", "-5/s", "0x10/s", "5/ s", "/s", "5/sec/x", "",
		"99999999999999999999/s", "-99999999999999999999/s", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_rate, good, bad);
	expect_uint(t, val_parse_rate, "10/sec", 1000);
	expect_uint(t, val_parse_rate, "5/minute", 120000);
	expect_uint(t, val_parse_rate, "1/s", 10000);
	expect_uint(t, val_parse_rate, "3", 3333);
	expect_uint(t, val_parse_rate, "010/s", 1000);	/* atoi: decimal */
	expect_err(t, val_parse_rate, "10001/s", "too fast");
	expect_err(t, val_parse_rate, "1/days", "bad rate");
}

static void test_log_level(void **state)
{
	static const char *const good[] = {
		"0", "7", "0x7", "07", " 7", "debug", "warning", "error", "panic",
		"emerg", "alert", "crit", "notice", "info", NULL,
	};
	static const char *const bad[] = {
		"8", "DEBUG", "warn", "err", "", "-1", "7 ", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_log_level, good, bad);
	expect_uint(t, val_parse_log_level, "warning", 4);
	expect_uint(t, val_parse_log_level, "panic", 0);
	expect_uint(t, val_parse_log_level, "error", 3);
	expect_uint(t, val_parse_log_level, "debug", 7);
	expect_uint(t, val_parse_log_level, "5", 5);
	expect_err(t, val_parse_log_level, "8", "log level \"8\" unknown");
}

static void test_counted(void **state)
{
	/* Parsers read @len bytes, never up to a NUL. */
	static const char buf[] = "22:80,10.0.0.1/8XYZ";
	struct t *t = *state;

	reset(t);
	t->proto = 6;
	assert_int_equal(run_len(t, val_parse_proto_port_range, buf, 2), VAL_RANGE);
	assert_int_equal(t->v.range.lo, 22);
	assert_int_equal(t->v.range.hi, 22);
	assert_int_equal(run_len(t, val_parse_proto_port_range, buf, 5), VAL_RANGE);
	assert_int_equal(t->v.range.hi, 80);
	assert_int_equal(run_len(t, val_parse_port_list, buf, 5), VAL_PORTS);
	t->fam = VAL_FAM_V4;
	assert_int_equal(run_len(t, val_parse_addr_list, buf + 6, 10), VAL_ADDRS);
	ip4(&t->v.addrs->v[0], 10, 0, 0, 0);
	assert_int_equal(run_len(t, val_parse_addr_list, buf + 6, 11), -1);
	assert_int_equal(run_len(t, val_parse_uint, "12345", 3), VAL_UINT);
	assert_int_equal(t->v.u, 123);
	assert_int_equal(run_len(t, val_parse_iface, "eth0 and more", 4), VAL_IFACE);
	assert_int_equal(t->v.str.len, 4);
}

static void test_long_inputs(void **state)
{
	char big[600];
	struct t *t = *state;

	reset(t);
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(run(t, val_parse_uint, big), -1);
	assert_int_equal(run(t, val_parse_mark, big), -1);
	assert_int_equal(run(t, val_parse_proto_port_range, big), -1);
	assert_int_equal(run(t, val_parse_addr_list, big), -1);
	assert_int_equal(run(t, val_parse_icmp_type, big), -1);
	assert_int_equal(run(t, val_parse_rate, big), -1);
	assert_int_equal(run(t, val_parse_proto, big), -1);
	/* messages stay short */
	assert_true(strlen(t->err) < 200);
	memset(big, 'a', sizeof(big) - 1);
	assert_int_equal(run(t, val_parse_addr_list, big), -1);
	expect_err(t, val_parse_addr_list, big, "too long");
}

static void test_tables(void **state)
{
	(void)state;
	assert_int_equal(val_table_service("echo", 4, VAL_SP_ANY), 7);
	assert_int_equal(val_table_service("echo", 4, VAL_SP_DDP), 4);
	assert_int_equal(val_table_service("rtmp", 4, VAL_SP_ANY), 1);
	assert_int_equal(val_table_service("ssh", 3, VAL_SP_TCP), 22);
	assert_int_equal(val_table_service("ssh", 3, VAL_SP_UDP), -1);
	assert_int_equal(val_table_service("Clearcase", 9, VAL_SP_UDP), 371);
	assert_int_equal(val_table_service("zserv", 5, VAL_SP_TCP), 346);
	assert_int_equal(val_table_service("nosuch", 6, VAL_SP_ANY), -1);
	assert_int_equal(val_table_service("", 0, VAL_SP_ANY), -1);
	assert_int_equal(val_table_proto("IPv6-ICMP", 9), 58);
	assert_int_equal(val_table_proto("icmpv6", 6), 58);
	assert_int_equal(val_table_proto("ip", 2), 0);
	assert_int_equal(val_table_proto("Ip", 2), -1);
	assert_int_equal(val_table_log_level("alert", 5), 1);
	assert_int_equal(val_table_log_level("al", 2), -1);
}

static void test_format_mark(void **state)
{
	char buf[32];

	(void)state;
	val_format_mark(buf, sizeof(buf), 30);
	assert_string_equal(buf, "0x1e (30)");
	val_format_mark(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0x0 (0)");
	val_format_mark(buf, sizeof(buf), 0xffffffffu);
	assert_string_equal(buf, "0xffffffff (4294967295)");
	val_format_mark(buf, 6, 30);
	assert_string_equal(buf, "0x1e ");
}

static unsigned int ed(const char *a, const char *b)
{
	return val_edit_distance(a, strlen(a), b, strlen(b));
}

static void test_edit_distance(void **state)
{
	char big[100];

	(void)state;
	assert_int_equal(ed("", ""), 0);
	assert_int_equal(ed("", "abc"), 3);
	assert_int_equal(ed("dport", "dport"), 0);
	assert_int_equal(ed("dport", "dprot"), 1);	/* transposition */
	assert_int_equal(ed("dport", "sport"), 1);
	assert_int_equal(ed("kitten", "sitting"), 3);
	assert_int_equal(ed("ca", "abc"), 3);		/* OSA, not full DL */
	assert_int_equal(ed("ACCEPT", "accept"), 6);	/* case-sensitive */
	assert_int_equal(ed("to-destination", "to-destinaton"), 1);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ed(big, "x"), VAL_EDIT_MAX);
	assert_int_equal(val_edit_distance(big, 64, "", 0), 64);
	assert_int_equal(val_edit_distance(big, 64, big, 63), 1);
}

/* ------------------------------------------------------------ extension words */

static const char *const ctstates[] = {
	"INVALID", "ESTABLISHED", "RELATED", "NEW", "UNTRACKED", "SNAT",
	"DNAT", NULL,
};

static void test_abbrev_list(void **state)
{
	static const char *const good[] = {
		"NEW", "new", "est", "E", "INVALID,ESTABLISHED", "i,e,r,n,u,s,d",
		"Rel", "dnat", NULL,
	};
	static const char *const bad[] = {
		"", ",", "NEW,", ",NEW", "NEWX", "foo", "NEW,,INVALID",
		"ESTABLISHEDX", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->choices = ctstates;
	LISTS(t, val_parse_abbrev_list, good, bad);
	assert_int_equal(run(t, val_parse_abbrev_list, "est,n"), VAL_BITS);
	assert_int_equal(t->v.u, (1u << 1) | (1u << 3));
	t->choices = ctstates;
	expect_err(t, val_parse_abbrev_list, "NEW,,INVALID", "empty word");
}

static void test_word(void **state)
{
	static const char *const events[] = { "new", "related", "destroy", NULL };
	static const char *const good[] = { "new", "related,new", "destroy", NULL };
	static const char *const bad[] = {
		"NEW", "new,", ",new", "new,,related", "ne", "", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->choices = events;
	LISTS(t, val_parse_word_list, good, bad);
	t->choices = events;
	assert_int_equal(run(t, val_parse_word, "related"), VAL_CHOICE);
	assert_int_equal(t->v.u, 1);
	t->choices = events;
	expect_err(t, val_parse_word, "Related", "is not one of");
}

static void test_tos(void **state)
{
	static const char *const good[] = {
		"0x10", "16", "0x10/0x3f", "0xff/0xff", "minimize-delay",
		"Normal-Service", "MAXIMIZE-THROUGHPUT", "0", "0/0", NULL,
	};
	static const char *const bad[] = {
		"256", "0x10/", "0x10/0x100", "0x10junk", "foo", "-1", "",
		"Minimize-Delay/0x3f", "0x10/0xff00", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->max = 0x3f;
	LISTS(t, val_parse_tos, good, bad);
	t->max = 0x3f;
	assert_int_equal(run(t, val_parse_tos, "Minimize-Cost"), VAL_MARK);
	assert_int_equal(t->v.mark.value, 0x02);
	assert_int_equal(t->v.mark.mask, 0x3f);
	assert_int_equal(run(t, val_parse_tos, "0x10"), VAL_MARK);
	assert_int_equal(t->v.mark.mask, 0xff);
}

static void test_dscp_class(void **state)
{
	static const char *const good[] = {
		"EF", "ef", "af11", "AF43", "cs0", "CS7", "BE", "cs1x", "efz", NULL,
	};
	static const char *const bad[] = { "af1", "cs8", "", "x", "af14", "c", NULL };
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_dscp_class, good, bad);
	expect_uint(t, val_parse_dscp_class, "EF", 0x2e);
	expect_uint(t, val_parse_dscp_class, "af21", 0x12);
	expect_uint(t, val_parse_dscp_class, "cs6", 0x30);
}

static void test_plen(void **state)
{
	static const char *const good4[] = {
		"0", "32", "0x10", "255.255.0.0", "255", "4294967295", NULL,
	};
	static const char *const bad4[] = {
		"abc", "4294967296", "-1", "", "ffff::", "1.2.3.4.5", NULL,
	};
	static const char *const good6[] = { "0", "64", "128", "ffff:ffff::", NULL };
	static const char *const bad6[] = { "129", "255.255.0.0", "x", "", NULL };
	struct t *t = *state;

	reset(t);
	t->fam = VAL_FAM_V4;
	LISTS(t, val_parse_plen, good4, bad4);
	t->fam = VAL_FAM_V4;
	expect_uint(t, val_parse_plen, "24", 24);
	t->fam = VAL_FAM_V4;
	expect_uint(t, val_parse_plen, "255.255.255.0", 24);
	t->fam = VAL_FAM_V4;
	expect_uint(t, val_parse_plen, "255.0.255.0", 255);
	t->fam = VAL_FAM_V6;
	LISTS(t, val_parse_plen, good6, bad6);
	t->fam = VAL_FAM_V6;
	expect_uint(t, val_parse_plen, "ffff:ffff::", 32);
}

static void test_double(void **state)
{
	static const char *const good[] = {
		"0", "1", "0.5", "1e-3", "0x1p-2", ".5", " 0.5", "nan", NULL,
	};
	static const char *const bad[] = {
		"1.1", "-0.1", ".5x", "", "x", "inf", "0.5 ", NULL,
	};
	struct t *t = *state;

	reset(t);
	t->min = 0;
	t->max = 1;
	LISTS(t, val_parse_double, good, bad);
	t->min = 0;
	t->max = 1;
	expect_uint(t, val_parse_double, "0.25", 250000000);
}

static void test_daytime(void **state)
{
	static const char *const good[] = {
		"00:00", "23:59:59", "8:00", "08:00:00", " 8:00", "+8:00",
		"08:", "08:00:", NULL,
	};
	static const char *const bad[] = {
		"24:00", "08:60", "08:00:60", "08", "8:00:00:00", "", "a:b",
		"8.00", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_daytime, good, bad);
	expect_uint(t, val_parse_daytime, "01:02:03", 3723);
	expect_uint(t, val_parse_daytime, "08:", 28800);
}

static void test_date(void **state)
{
	static const char *const good[] = {
		"1970", "2038", "2020-01", "2020-01-01", "2020-1-1T5",
		"2020-01-01T05:06", "2020-01-01T05:06:07", "2020-02-31", "2020-",
		"2020-01-00", "2038-12-31T23:59:59", NULL,
	};
	static const char *const bad[] = {
		"1969", "2039", "2020-13", "2020-01-32", "2020-01-01T24",
		"2020-01-01 05", "", "x", "2020-01-01T05:06:07:08", "2020/01",
		"2020-01-01T05:60", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_date, good, bad);
	expect_uint(t, val_parse_date, "2020-02-03T04:05:06", 20200203040506ull);
	expect_uint(t, val_parse_date, "2021", 20210101000000ull);
}

static void test_weekdays(void **state)
{
	static const char *const good[] = {
		"Mon", "Mo", "Monday", "Tu,We", "1,7", "8", "",
		"Mon,Tue,Wed,Thu,Fri,Sat,Sun", "Mon,", "0x7", NULL,
	};
	static const char *const bad[] = {
		"0", "mon", "M", "Xyz", "Mon,,Tue", "1x", ",Mon", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_weekdays, good, bad);
	assert_int_equal(run(t, val_parse_weekdays, "Mon,Sun"), VAL_BITS);
	assert_int_equal(t->v.u, (1u << 1) | (1u << 7));
	expect_err(t, val_parse_weekdays, "0", "weekday 0");
}

static void test_monthdays(void **state)
{
	static const char *const good[] = {
		"1", "31", "0", "1,2,31", "123", "", NULL,
	};
	/* "0x1f" is cut to "0x": not a number. */
	static const char *const bad[] = { "32", "x", "1x", "-1", "1,x", "0x1f", NULL };
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_monthdays, good, bad);
	/* iptables cuts each piece to two characters: "123" is day 12. */
	assert_int_equal(run(t, val_parse_monthdays, "123"), VAL_BITS);
	assert_int_equal(t->v.u, 1u << 12);
}

static void test_owner_id(void **state)
{
	static const char *const good[] = {
		"0", "0-10", "0:10", "10-5", "4294967294", "root", "www-data",
		"_apt", "nobody", "0x10", "user$", NULL,
	};
	static const char *const bad[] = {
		"4294967295", "-1", "1-", "1-4294967295", "", "1x", "a b",
		"a/b", "1-2-3", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_owner_id, good, bad);
	expect_range(t, val_parse_owner_id, "5:7", 5, 7);
	assert_int_equal(run(t, val_parse_owner_id, "root"), VAL_STR);
}

static void test_icmp_type_range(void **state)
{
	static const char *const good[] = {
		"3:3", "255:255", "3:3/1", "255:255/0", "0x3:3", NULL,
	};
	static const char *const bad[] = {
		"3:4", "3:", ":3", "3:3:3", "1:2/0", "3:4/1", NULL,
	};
	struct t *t = *state;

	reset(t);
	LISTS(t, val_parse_icmp_type, good, bad);
	expect_icmp(t, val_parse_icmp_type, "3:3/1", 3, 1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_uint_bounds),
		cmocka_unit_test(test_uint_range),
		cmocka_unit_test(test_mark),
		cmocka_unit_test(test_proto_port_range),
		cmocka_unit_test(test_port_guided),
		cmocka_unit_test(test_port_list),
		cmocka_unit_test(test_addr_list_v4),
		cmocka_unit_test(test_addr_list_v6),
		cmocka_unit_test(test_addr_list_any),
		cmocka_unit_test(test_addr_mask),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_range),
		cmocka_unit_test(test_nat_v4),
		cmocka_unit_test(test_nat_v6),
		cmocka_unit_test(test_nat_ports),
		cmocka_unit_test(test_iface),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_icmp6),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_log_level),
		cmocka_unit_test(test_counted),
		cmocka_unit_test(test_long_inputs),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_format_mark),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_abbrev_list),
		cmocka_unit_test(test_word),
		cmocka_unit_test(test_tos),
		cmocka_unit_test(test_dscp_class),
		cmocka_unit_test(test_plen),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_daytime),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_monthdays),
		cmocka_unit_test(test_owner_id),
		cmocka_unit_test(test_icmp_type_range),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
