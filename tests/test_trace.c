// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of "iptlint trace": the packet description parser
 * (analyzer/trace_packet.c) and, on small rulesets, the conntrack state
 * the tracer gives each packet of a flow (analyzer/trace.c), as
 * tests/diff_trace.py found the kernel does.
 */
#include <arpa/inet.h>
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
#include "iptlint/source.h"
#include "iptlint/trace.h"

/* ------------------------------------------------------------ parser */

static struct trace_packet parse_ok(const char *spec)
{
	struct trace_packet p;
	char err[256] = "";

	if (trace_packet_parse(spec, &p, err, sizeof(err)))
		fail_msg("\"%s\": %s", spec, err);
	return p;
}

/* The message of a refused description. */
static const char *parse_err(const char *spec)
{
	static char err[256];
	struct trace_packet p;

	err[0] = 0;
	if (!trace_packet_parse(spec, &p, err, sizeof(err)))
		fail_msg("\"%s\" was accepted", spec);
	assert_true(err[0] != 0);
	return err;
}

static void assert_addr(int family, const uint8_t *got, const char *want)
{
	uint8_t a[16] = { 0 };

	assert_int_equal(inet_pton(family == 6 ? AF_INET6 : AF_INET, want, a), 1);
	assert_memory_equal(got, a, 16);
}

static void test_parse_v4(void **state)
{
	struct trace_packet p;
	char buf[256];

	(void)state;
	p = parse_ok("udp 10.8.0.2:5000 -> 1.1.1.1:53 in wg0 out eth0");
	assert_int_equal(p.family, 4);
	assert_int_equal(p.proto, 17);
	assert_addr(4, p.src, "10.8.0.2");
	assert_addr(4, p.dst, "1.1.1.1");
	assert_true(p.has_sport && p.has_dport);
	assert_int_equal(p.sport, 5000);
	assert_int_equal(p.dport, 53);
	assert_string_equal(p.iif, "wg0");
	assert_string_equal(p.oif, "eth0");
	assert_int_equal(p.state, -1);
	assert_false(p.has_mark || p.has_ctmark);
	trace_packet_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.8.0.2:5000 -> 1.1.1.1:53 in wg0 out eth0");

	/* No ports, a protocol by number, marks in any base. */
	p = parse_ok("47 192.0.2.1 -> 192.0.2.2 mark 0x10 ctmark 7");
	assert_int_equal(p.proto, 47);
	assert_false(p.has_sport || p.has_dport);
	assert_true(p.has_mark && p.has_ctmark);
	assert_int_equal(p.mark, 0x10);
	assert_int_equal(p.ctmark, 7);
	assert_int_equal(p.icmp_type, -1);

	/* Defaults: a TCP packet is a SYN, an ICMP one an echo request. */
	p = parse_ok("tcp 10.0.0.1:1 -> 10.0.0.2:2");
	assert_int_equal(p.tcp_flags, 0x02);
	p = parse_ok("icmp 10.0.0.1 -> 10.0.0.2");
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.icmp_code, 0);
	p = parse_ok("ICMP 10.0.0.1 -> 10.0.0.2 type 3/3 state related");
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 3);
	assert_int_equal(p.state, MF_RELATED);
	p = parse_ok("icmp 10.0.0.1 -> 10.0.0.2 type 11");
	assert_int_equal(p.icmp_code, 0);
	p = parse_ok("udp 10.0.0.1:0 -> 10.0.0.2:65535 state Established");
	assert_int_equal(p.sport, 0);
	assert_int_equal(p.dport, 65535);
	assert_int_equal(p.state, MF_LATER);
}

static void test_parse_v6(void **state)
{
	struct trace_packet p;
	char buf[256];

	(void)state;
	p = parse_ok("tcp [2001:db8::1]:443 -> [2001:db8::2]:40000 flags SA");
	assert_int_equal(p.family, 6);
	assert_addr(6, p.src, "2001:db8::1");
	assert_addr(6, p.dst, "2001:db8::2");
	assert_int_equal(p.sport, 443);
	assert_int_equal(p.dport, 40000);
	assert_int_equal(p.tcp_flags, 0x12);
	trace_packet_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "tcp [2001:db8::1]:443 -> [2001:db8::2]:40000 flags SA");

	/* Without brackets every colon belongs to the address. */
	p = parse_ok("icmpv6 2001:db8::1 -> ff02::1 type 135");
	assert_int_equal(p.proto, 58);
	assert_false(p.has_sport || p.has_dport);
	assert_addr(6, p.dst, "ff02::1");
	assert_int_equal(p.icmp_type, 135);
	p = parse_ok("icmp6 ::1 -> ::1");
	assert_int_equal(p.icmp_type, 128);	/* echo request */
	p = parse_ok("udp [::ffff:10.0.0.1]:53 -> ::2");
	assert_int_equal(p.family, 6);
	assert_true(p.has_sport);
	assert_false(p.has_dport);
}

static void test_parse_flags(void **state)
{
	static const struct {
		const char *word;
		uint8_t flags;
	} cases[] = {
		{ "S", 0x02 }, { "SA", 0x12 }, { "A", 0x10 }, { "FA", 0x11 },
		{ "R", 0x04 }, { "sa", 0x12 }, { "FSRPAU", 0x3f },
		{ "PA", 0x18 }, { "EC", 0xc0 }, { "NONE", 0 }, { "none", 0 },
		{ "SYN", 0x02 }, { "ACK", 0x10 }, { "ECE", 0x40 }, { "CWR", 0x80 },
		{ "SYN,ACK", 0x12 }, { "fin,psh,urg", 0x29 }, { "RST,NONE", 0x04 },
	};
	char spec[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace_packet p;

		snprintf(spec, sizeof(spec), "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags %s",
			 cases[i].word);
		p = parse_ok(spec);
		if (p.tcp_flags != cases[i].flags)
			fail_msg("flags %s: 0x%x, want 0x%x", cases[i].word,
				 p.tcp_flags, cases[i].flags);
		assert_true(p.has_flags);
	}
}

static void test_parse_errors(void **state)
{
	(void)state;
	assert_non_null(strstr(parse_err("udp 10.0.0.1"), "expected"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 => 10.0.0.2"), "expected"));
	assert_non_null(strstr(parse_err("bogus 10.0.0.1 -> 10.0.0.2"),
			       "unknown protocol"));
	assert_non_null(strstr(parse_err("0 10.0.0.1 -> 10.0.0.2"),
			       "unknown protocol"));
	assert_non_null(strstr(parse_err("256 10.0.0.1 -> 10.0.0.2"),
			       "unknown protocol"));
	assert_non_null(strstr(parse_err("udp 10.0.0.256 -> 10.0.0.2"),
			       "bad address"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1:65536 -> 10.0.0.2"),
			       "bad port"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1:-1 -> 10.0.0.2"),
			       "bad port"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1:x -> 10.0.0.2"),
			       "bad port"));
	assert_non_null(strstr(parse_err("udp [2001:db8::1:53 -> ::2"), "]"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 -> 2001:db8::1"), "mixed"));
	assert_non_null(strstr(parse_err("tcp 10.0.0.1 -> 10.0.0.2 flags SX"),
			       "bad TCP flag"));
	assert_non_null(strstr(parse_err("tcp 10.0.0.1 -> 10.0.0.2 flags SYN,FOO"),
			       "bad TCP flag"));
	assert_non_null(strstr(parse_err("icmp 10.0.0.1 -> 10.0.0.2 type 256"),
			       "ICMP type"));
	assert_non_null(strstr(parse_err("icmp 10.0.0.1 -> 10.0.0.2 type 3/x"),
			       "ICMP code"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 -> 10.0.0.2 state old"),
			       "bad state"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 -> 10.0.0.2 mark 0x100000000"),
			       "bad mark"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 -> 10.0.0.2 in"),
			       "needs a value"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 -> 10.0.0.2 in abcdefghijklmnop"),
			       "too long"));
	assert_non_null(strstr(parse_err("udp 10.0.0.1 -> 10.0.0.2 via eth0"),
			       "unknown word"));
}

static void test_path_infer(void **state)
{
	uint8_t local[2][16] = { { 0 } };
	struct trace_packet p;

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.1", local[0]), 1);
	assert_int_equal(inet_pton(AF_INET, "198.51.100.1", local[1]), 1);
	p = parse_ok("udp 192.0.2.1:1 -> 8.8.8.8:53");
	assert_int_equal(trace_path_infer(&p, (const uint8_t (*)[16])local, 2),
			 TRACE_LOCAL_OUT);
	p = parse_ok("udp 8.8.8.8:53 -> 198.51.100.1:1");
	assert_int_equal(trace_path_infer(&p, (const uint8_t (*)[16])local, 2),
			 TRACE_LOCAL_IN);
	p = parse_ok("udp 8.8.8.8:53 -> 8.8.4.4:1");
	assert_int_equal(trace_path_infer(&p, (const uint8_t (*)[16])local, 2),
			 TRACE_FORWARD);
	assert_string_equal(trace_path_name(TRACE_LOCAL_IN), "local-in");
}

/* ------------------------------------------------------------ tracer */

struct traced {
	struct lint lint;
	struct trace_result res;
};

static void trace_text(struct traced *t, const char *text, const char *spec,
		       enum trace_path path, unsigned int n)
{
	struct lint_options opt = { 0 };
	struct trace_packet p = parse_ok(spec);

	opt.family = p.family == 6 ? VAL_FAM_V6 : VAL_FAM_V4;
	lint_init(&t->lint, &opt);
	fixture_parse(&t->lint, text);
	assert_int_equal(trace_flow(&t->lint, &p, path, n, &t->res), 0);
}

static void traced_free(struct traced *t)
{
	trace_result_free(&t->res);
	lint_free(&t->lint);
}

/* "L3 L5" for the rules packet @k of world @w went through. */
static const char *lines_of(const struct traced *t, uint32_t w, uint32_t k)
{
	static char buf[256];
	const struct trace_run *run = &t->res.worlds[w].runs[k];
	size_t n = 0;

	buf[0] = 0;
	for (uint32_t s = 0; s < run->nsteps && n < sizeof(buf) - 8; s++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%sL%u", s ? " " : "",
				      run->steps[s].rule->loc.line);
	return buf;
}

/* Every state match logs, so the steps show the state of each packet. */
static const char states[] =
	"*mangle\n"
	":PREROUTING ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	"-A PREROUTING -m conntrack --ctstate NEW\n"			/* L4 */
	"-A PREROUTING -m conntrack --ctstate ESTABLISHED\n"		/* L5 */
	"-A PREROUTING -m conntrack --ctstate INVALID\n"		/* L6 */
	"-A PREROUTING -m conntrack --ctstate UNTRACKED\n"		/* L7 */
	"-A OUTPUT -m conntrack --ctstate NEW\n"			/* L8 */
	"-A OUTPUT -m conntrack --ctstate ESTABLISHED\n"		/* L9 */
	"-A OUTPUT -m conntrack --ctstate INVALID\n"			/* L10 */
	"-A OUTPUT -m conntrack --ctstate UNTRACKED\n"			/* L11 */
	"COMMIT\n";

static void test_first_packet_state(void **state)
{
	static const struct {
		const char *spec;
		const char *lines;
	} cases[] = {
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags S", "L4" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags A", "L4" },	/* picked up */
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags PA", "L4" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags SA", "L6" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags FA", "L6" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags R", "L6" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags FS", "L6" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags NONE", "L6" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags F", "L6" },
		{ "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags FA state new", "L4" },
		{ "icmp 10.0.0.1 -> 10.0.0.2 type 8", "L4" },
		{ "icmp 10.0.0.1 -> 10.0.0.2 type 13", "L4" },
		{ "icmp 10.0.0.1 -> 10.0.0.2 type 0", "L6" },
		{ "icmp 10.0.0.1 -> 10.0.0.2 type 3/3", "L6" },
		{ "icmp 10.0.0.1 -> 10.0.0.2 type 3/3 state related", "" },
		{ "udp 10.0.0.1:1 -> 10.0.0.2:2", "L4" },
		{ "47 10.0.0.1 -> 10.0.0.2", "L4" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct traced t;

		trace_text(&t, states, cases[i].spec, TRACE_LOCAL_IN, 1);
		assert_int_equal(t.res.nworlds, 1);
		if (strcmp(lines_of(&t, 0, 0), cases[i].lines))
			fail_msg("%s: %s, want %s", cases[i].spec,
				 lines_of(&t, 0, 0), cases[i].lines);
		traced_free(&t);
	}
}

static void test_flow_states(void **state)
{
	/* NOTRACK the replies (they leave through OUTPUT: local-in flow). */
	static const char notrack_replies[] =
		"*raw\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A OUTPUT -j NOTRACK\n"
		"COMMIT\n"
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A PREROUTING -m conntrack --ctstate NEW\n"		/* L9 */
		"-A PREROUTING -m conntrack --ctstate ESTABLISHED\n"	/* L10 */
		"-A PREROUTING -m conntrack --ctstate INVALID\n"	/* L11 */
		"-A OUTPUT -m conntrack --ctstate UNTRACKED\n"		/* L12 */
		"COMMIT\n";
	struct traced t;

	(void)state;
	/* UDP: NEW, the reply ESTABLISHED, then ESTABLISHED both ways. */
	trace_text(&t, states, "udp 10.0.0.1:1 -> 10.0.0.2:2", TRACE_LOCAL_IN, 4);
	assert_string_equal(lines_of(&t, 0, 0), "L4");
	assert_string_equal(lines_of(&t, 0, 1), "L9");
	assert_string_equal(lines_of(&t, 0, 2), "L5");
	assert_string_equal(lines_of(&t, 0, 3), "L9");
	traced_free(&t);

	/*
	 * Replies that never reach conntrack: the original direction stays
	 * NEW (no IPS_SEEN_REPLY), a TCP ACK is INVALID (SYN_SENT + ACK).
	 */
	trace_text(&t, notrack_replies, "udp 10.0.0.1:1 -> 10.0.0.2:2",
		   TRACE_LOCAL_IN, 3);
	assert_string_equal(lines_of(&t, 0, 0), "L9");
	assert_string_equal(lines_of(&t, 0, 1), "L4 L12");
	assert_true(t.res.worlds[0].runs[2].reply == false);
	assert_string_equal(lines_of(&t, 0, 2), "L9");
	traced_free(&t);
	trace_text(&t, notrack_replies, "tcp 10.0.0.1:1 -> 10.0.0.2:2 flags S",
		   TRACE_LOCAL_IN, 3);
	assert_string_equal(lines_of(&t, 0, 0), "L9");
	assert_string_equal(lines_of(&t, 0, 2), "L11");
	traced_free(&t);
}

static void test_raw_state(void **state)
{
	/* Before conntrack every packet is INVALID, after NOTRACK UNTRACKED. */
	static const char raw[] =
		"*raw\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A PREROUTING -m conntrack --ctstate NEW\n"		/* L4 */
		"-A PREROUTING -m state --state INVALID\n"		/* L5 */
		"-A PREROUTING -m connmark --mark 0x0\n"		/* L6 */
		"-A PREROUTING -m connmark ! --mark 0x0\n"		/* L7 */
		"-A PREROUTING -p udp -j CT --notrack\n"		/* L8 */
		"-A PREROUTING -m conntrack --ctstate UNTRACKED\n"	/* L9 */
		"COMMIT\n";
	struct traced t;

	(void)state;
	trace_text(&t, raw, "udp 10.0.0.1:1 -> 10.0.0.2:2", TRACE_LOCAL_IN, 2);
	assert_int_equal(t.res.nworlds, 1);
	assert_string_equal(lines_of(&t, 0, 0), "L5 L8 L9");
	/* Untracked: no connection, the second packet is the first again. */
	assert_false(t.res.worlds[0].runs[1].reply);
	assert_string_equal(lines_of(&t, 0, 1), "L5 L8 L9");
	traced_free(&t);
	trace_text(&t, raw, "tcp 10.0.0.1:1 -> 10.0.0.2:2", TRACE_LOCAL_IN, 1);
	assert_string_equal(lines_of(&t, 0, 0), "L5");
	traced_free(&t);
}

static void test_flow_marks(void **state)
{
	/*
	 * A socket's packets all carry its mark; the reply starts at 0. After
	 * a REDIRECT the reply's source is the interface's address, unknown:
	 * a test of it is a branch point.
	 */
	static const char rules[] =
		"*mangle\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A OUTPUT -m mark --mark 0x5\n"			/* L4 */
		"-A PREROUTING -m mark --mark 0x0\n"			/* L5 */
		"-A OUTPUT -s 10.0.0.2\n"				/* L6 */
		"COMMIT\n"
		"*nat\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		"-A PREROUTING -p udp -j REDIRECT --to-ports 99\n"	/* L11 */
		"COMMIT\n";
	struct traced t;
	char buf[256];

	(void)state;
	trace_text(&t, rules, "udp 10.0.0.1:1 -> 10.0.0.2:2 mark 5",
		   TRACE_LOCAL_OUT, 3);
	assert_int_equal(t.res.nworlds, 1);
	assert_string_equal(lines_of(&t, 0, 0), "L4");
	assert_string_equal(lines_of(&t, 0, 1), "L5");
	assert_string_equal(lines_of(&t, 0, 2), "L4");
	traced_free(&t);

	trace_text(&t, rules, "udp 10.0.0.1:1 -> 10.0.0.2:2", TRACE_LOCAL_IN, 2);
	assert_int_equal(t.res.nworlds, 2);
	assert_string_equal(lines_of(&t, 0, 0), "L5 L11");
	assert_string_equal(lines_of(&t, 0, 1), "L6");
	assert_true(t.res.worlds[0].runs[1].steps[0].branch);
	assert_string_equal(lines_of(&t, 1, 1), "");
	trace_packet_format(&t.res.worlds[0].runs[1].pkt, buf, sizeof(buf));
	assert_string_equal(buf, "udp ?:99 -> 10.0.0.1:1");
	traced_free(&t);
}

static void test_nat_ranges(void **state)
{
	/* What the kernel picks from a NAT range (nf_nat_core.c). */
	static const char rules[] =
		"*nat\n"
		":PREROUTING ACCEPT [0:0]\n"
		":INPUT ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":POSTROUTING ACCEPT [0:0]\n"
		"-A PREROUTING -p udp --dport 80 -j DNAT --to-destination 10.9.0.1:70-90\n"
		"-A PREROUTING -p udp -j DNAT --to-destination 10.9.0.1-10.9.0.4:1000-1009\n"
		"-A POSTROUTING -p udp --sport 53 -j SNAT --to-source 10.8.0.1:2000-2009\n"
		"-A POSTROUTING -p udp -j SNAT --to-source 10.8.0.1-10.8.0.9:1-65535\n"
		"COMMIT\n";
	struct traced t;
	char buf[256];

	(void)state;
	/* A port in the range stays. */
	trace_text(&t, rules, "udp 10.0.0.1:1 -> 10.0.0.2:80", TRACE_LOCAL_IN, 2);
	trace_packet_format(&t.res.worlds[0].runs[1].pkt, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.9.0.1:80 -> 10.0.0.1:1");
	traced_free(&t);
	/* Else the first one; an address out of a range is hashed: unknown. */
	trace_text(&t, rules, "udp 10.0.0.1:1 -> 10.0.0.2:81", TRACE_LOCAL_IN, 2);
	trace_packet_format(&t.res.worlds[0].runs[1].pkt, buf, sizeof(buf));
	assert_string_equal(buf, "udp ?:1000 -> 10.0.0.1:1");
	traced_free(&t);
	/* A source rewrite out of the range: a random port. */
	trace_text(&t, rules, "udp 10.0.0.1:53 -> 10.0.0.2:1", TRACE_LOCAL_OUT, 2);
	trace_packet_format(&t.res.worlds[0].runs[1].pkt, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.0.0.2:1 -> 10.8.0.1");
	traced_free(&t);
	/* A source already in the range is kept. */
	trace_text(&t, rules, "udp 10.8.0.5:99 -> 10.0.0.2:1", TRACE_LOCAL_OUT, 2);
	trace_packet_format(&t.res.worlds[0].runs[1].pkt, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.0.0.2:1 -> 10.8.0.5:99");
	traced_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_flags),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_path_infer),
		cmocka_unit_test(test_first_packet_state),
		cmocka_unit_test(test_flow_states),
		cmocka_unit_test(test_raw_state),
		cmocka_unit_test(test_flow_marks),
		cmocka_unit_test(test_nat_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
