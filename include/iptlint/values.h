/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_VALUES_H
#define IPTLINT_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iptlint/arena.h"

/*
 * Parsed option values. Every parser takes the raw argument bytes (not
 * NUL-terminated) and fills a union val, or returns false and writes a
 * one-line reason ("port 70000 is out of range 0-65535") to @err. The
 * rules follow iptables' own parsers (libxtables xtables_strtoui,
 * xtables_parse_val_mask, xtables_ipparse_multiple, ...), so a value is
 * refused exactly when iptables-restore refuses it.
 */

enum val_family {
	VAL_FAM_ANY = 0,	/* not known yet: accept what either family accepts */
	VAL_FAM_V4 = 4,
	VAL_FAM_V6 = 6,
};

enum val_kind {
	VAL_NONE = 0,	/* option without argument */
	VAL_UINT,	/* v.u */
	VAL_RANGE,	/* v.range: lo..hi inclusive (ports, lengths, ttl) */
	VAL_MARK,	/* v.mark: value/mask */
	VAL_ADDRS,	/* v.addrs: one or more prefixes (-s a,b) */
	VAL_ADDR_RANGE,	/* v.addrs with n == 1, lo in addr, hi in mask (iprange) */
	VAL_IFACE,	/* v.str: name; wildcard when it ends in '+' */
	VAL_STR,	/* v.str */
	VAL_BITS,	/* v.u: set of choices (ctstate, addrtype, days) */
	VAL_CHOICE,	/* v.u: index into the option's choices */
	VAL_PORTS,	/* v.ports: list of ranges (multiport) */
	VAL_TCPFLAGS,	/* v.flags: mask, cmp */
	VAL_ICMP,	/* v.icmp: type, code range; type 255 = any */
	VAL_NAT,	/* v.nat: address range and port range */
	VAL_COUNTERS,	/* v.counters: packets, bytes */
	VAL_RANGE64,	/* v.range64: a range whose bound does not fit 32 bits */
};

/*
 * An address with a (possibly non-contiguous) mask, IPv4 in the first 4
 * bytes. 34 bytes, no padding: a kube-proxy dump has 300,000 of them. An
 * unresolved host name (family 0) keeps a pointer to its name in @addr:
 * read it with val_addr_host().
 */
struct val_addr {
	uint8_t family;		/* 4 or 6; 0 for an unresolved host name */
	uint8_t plen;		/* prefix length, or 255 when the mask is not a prefix */
	uint8_t addr[16];
	uint8_t mask[16];
};

/* The host name as written (NUL-terminated) of family 0, else NULL. */
static inline const char *val_addr_host(const struct val_addr *a)
{
	const char *host = NULL;

	if (a->family == 0)
		memcpy(&host, a->addr, sizeof(host));
	return host;
}

struct val_addr_list {
	uint32_t n;
	struct val_addr v[];
};

struct val_port_range {
	uint16_t lo, hi;
};

struct val_port_list {
	uint32_t n;
	struct val_port_range v[];
};

struct val_nat {
	bool has_addr, has_port;
	bool has_base;			/* "lo-hi/base" (DNAT shifted port map) */
	struct val_addr lo, hi;		/* hi == lo for a single address */
	uint16_t port_lo, port_hi;
	uint16_t port_base;
};

struct val_str {
	const char *s;	/* not necessarily NUL-terminated */
	uint32_t len;
};

union val {
	uint64_t u;
	struct { uint32_t lo, hi; } range;
	struct { uint64_t lo, hi; } range64;
	struct { uint32_t value, mask; } mark;
	struct { uint32_t mask, cmp; } flags;
	struct { uint8_t type, code_lo, code_hi; } icmp;
	struct { uint64_t pkts, bytes; } counters;
	const struct val_addr_list *addrs;
	const struct val_port_list *ports;
	const struct val_nat *nat;
	struct val_str str;
};

/**
 * struct val_ctx - what a value parser may need besides the text.
 * @arena:  where lists and copies go
 * @family: the ruleset's family (VAL_FAM_ANY while unknown)
 * @min, @max: bounds from the option table (0, 0 = the type's own)
 * @choices: NULL-terminated word list for choice options
 * @proto:  the rule's "-p" protocol number, for the parsers whose service
 *          names depend on it (val_parse_proto_port_range, _port_list);
 *          0 when unknown: names of tcp or udp are then accepted
 * @err, @errlen: where a failing parser writes its reason
 */
struct val_ctx {
	struct arena *arena;
	enum val_family family;
	uint16_t proto;
	uint64_t min, max;
	const char *const *choices;
	char *err;
	size_t errlen;
};

/* A value parser: returns the kind it produced, or -1 on error. */
typedef int (*val_parse_fn)(struct val_ctx *ctx, const char *s, size_t len,
			    union val *out);

/* strtoul(base 0)-compatible unsigned number in [min,max] (default 0..UINT32_MAX). */
int val_parse_uint(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * "a", "a:b", "a:", ":b" like libxtables' XTTYPE_UINT*RC: ctx->max is the
 * type's maximum (default UINT32_MAX) and fills an empty upper bound; an
 * empty string is 0..0.  A reversed range is accepted, as iptables does
 * (the extension may refuse it). Gives VAL_RANGE64 when a bound does not
 * fit 32 bits, else VAL_RANGE.
 */
int val_parse_uint_range(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * Port number or service name, as the guided parser (XTTYPE_PORT) reads it
 * through getaddrinfo(): decimal only, taken modulo 65536 ("65536" is 0),
 * names of tcp or udp services. VAL_UINT.
 */
int val_parse_port(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * "p", "p:q", "p:", ":q" for the guided XTTYPE_PORTRC options (udp, dccp
 * --sport/--dport): ports as val_parse_port; "" is 0..0, a reversed range
 * is accepted like iptables does. VAL_RANGE.
 */
int val_parse_port_range(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * "p", "p:q", "p:", ":q" for tcp and sctp --sport/--dport, which use
 * xtables_parse_port(): strtoul base 0 within 0-65535, or a service name
 * of protocol ctx->proto; "min > max" is refused. VAL_RANGE.
 */
int val_parse_proto_port_range(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* multiport list: up to 15 ports, a range counts twice; names of ctx->proto. */
int val_parse_port_list(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* -s/-d: "addr[/mask][,addr[/mask]...]"; masks as length or dotted/colon form. */
int val_parse_addr_list(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* One address with optional mask (conntrack --ctorigsrc, policy --tunnel-src). */
int val_parse_addr_mask(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* One plain address, no mask (--on-ip, --gateway). */
int val_parse_addr(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* iprange "a[-b]". */
int val_parse_addr_range(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* Interface name: 1..15 bytes, '+' wildcard at the end. */
int val_parse_iface(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* "value[/mask]", 32-bit each, mask defaults to 0xffffffff. */
int val_parse_mark(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* Any string; ctx->max bounds its length (0 = no bound), ctx->min its minimum. */
int val_parse_string(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* One word of ctx->choices (case-insensitive like iptables where it is). */
int val_parse_choice(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* Comma-separated words of ctx->choices: a bit set in v.u. */
int val_parse_choice_list(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * -p: protocol name or number 0..255. iptables lower-cases the word first,
 * so "TCP" is tcp; VAL_UINT (a name may give more than 255: "mptcp" is 262).
 */
int val_parse_proto(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * XTTYPE_PROTOCOL options (--ctproto, ...): the same without lower-casing,
 * so names and /etc/protocols aliases match exactly ("TCP" yes, "Tcp" no).
 */
int val_parse_proto_exact(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* ICMP type "name" or "type[/code]". */
int val_parse_icmp_type(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int val_parse_icmp6_type(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* Six hex bytes separated by ':'; VAL_UINT, v.u = 0x001122334455. */
int val_parse_mac(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * limit --limit "N[/second|/minute|/hour|/day]" (and prefixes of the unit).
 * VAL_UINT: v.u is the kernel's cost per packet, 10000 * seconds / N.
 */
int val_parse_rate(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* DNAT/SNAT "[addr[-addr]][:port[-port[/base]]]", IPv6 addresses in brackets. */
int val_parse_nat_range(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* MASQUERADE/REDIRECT --to-ports "port[-port[/base]]": VAL_NAT without address. */
int val_parse_nat_ports(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* LOG level: 0..7 or emerg, alert, crit, error, warning, notice, info, debug. */
int val_parse_log_level(struct val_ctx *ctx, const char *s, size_t len, union val *out);

/*
 * Comma-separated words, each a case-insensitive abbreviation of one of
 * ctx->choices (the first in order wins), as conntrack --ctstate/--ctstatus,
 * state --state and addrtype --src-type read them ("est" is ESTABLISHED).
 * VAL_BITS over the choice indexes.
 */
int val_parse_abbrev_list(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* One word of ctx->choices, case-sensitive (strcmp): VAL_CHOICE. */
int val_parse_word(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* Comma-separated words of ctx->choices, case-sensitive, none empty: VAL_BITS. */
int val_parse_word_list(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * XTTYPE_TOSMASK (tos --tos, TOS --set-tos): "value[/mask]" 0-255 each, or
 * a symbolic name (Minimize-Delay, ...) whose mask is ctx->max. VAL_MARK.
 */
int val_parse_tos(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* DSCP class (CS0-CS7, BE, AF11-AF43, EF; any case, text may go on): VAL_UINT dscp. */
int val_parse_dscp_class(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* XTTYPE_PLEN: prefix length 0-32 (IPv4) or 0-128 (IPv6, or family unknown). */
int val_parse_plen(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * XTTYPE_DOUBLE: strtod() of the whole text, within [ctx->min, ctx->max]
 * unless both are equal. VAL_UINT holding the value times 10^9.
 */
int val_parse_double(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* time --timestart/--timestop "hh:mm[:ss]": VAL_UINT seconds since midnight. */
int val_parse_daytime(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * time --datestart/--datestop "YYYY[-MM[-DD[Thh[:mm[:ss]]]]]", years
 * 1970-2038: VAL_UINT holding YYYYMMDDhhmmss.
 */
int val_parse_date(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* time --weekdays: Mon..Sun (first two letters, case-sensitive) or numbers; VAL_BITS. */
int val_parse_weekdays(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/* time --monthdays: numbers 0-31 (pieces cut to two characters); VAL_BITS. */
int val_parse_monthdays(struct val_ctx *ctx, const char *s, size_t len, union val *out);
/*
 * owner --uid-owner/--gid-owner: "id[-id]" (or ':'), at most 4294967294,
 * VAL_RANGE; or a user/group name, VAL_STR (names are not resolved offline).
 */
int val_parse_owner_id(struct val_ctx *ctx, const char *s, size_t len, union val *out);

/*
 * libxtables xtables_strtoul() on a counted string: strtoumax() base 0
 * within [min,max], a '-' refused. With @end NULL the whole text must be
 * the number; else *end gets the bytes used and text may follow.
 */
bool val_strtoul(const char *s, size_t len, uint64_t min, uint64_t max,
		 uint64_t *v, size_t *end);
/*
 * strtoull(s, &end, base) on a counted string: white space, a sign, "0x".
 * *end is 0 when there is no number; an overflow gives UINT64_MAX and a
 * '-' negates (*neg tells).
 */
uint64_t val_strtoull(const char *s, size_t len, unsigned int base,
		      size_t *end, bool *neg);

/*
 * strtod() of a counted string (at most 63 bytes): the number in *d and
 * where it stopped in *stop; false when there is no number at all.
 */
bool val_strtod(const char *s, size_t len, double *d, size_t *stop);

/* Write a parser's reason into ctx->err (when it has room); returns -1. */
int val_fail(struct val_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Protocol number from a name or number as -p reads it ("TCP" -> 6); -1 when unknown. */
int val_proto_number(const char *s, size_t len);
/* Protocol name for a number as iptables-save prints it (58 -> "icmpv6"), or NULL. */
const char *val_proto_name(unsigned int proto);

/* Format a 32-bit mark as "0x1e (30)" for messages. */
void val_format_mark(char *buf, size_t size, uint32_t v);

/*
 * Damerau-Levenshtein (optimal string alignment) distance, for "did you
 * mean". Case-sensitive; at most VAL_EDIT_MAX, which is also returned when
 * either string is longer than VAL_EDIT_MAX bytes.
 */
#define VAL_EDIT_MAX	64u
unsigned int val_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/*
 * The static tables behind the parsers (parser/values_tables.c): fixed
 * copies of Debian netbase's /etc/protocols and /etc/services and of
 * iptables' ICMP type names, so results do not depend on the machine.
 */
struct val_table_entry {
	const char *name;
	int num;
	unsigned int flags;	/* services: VAL_SP_*; protocols: 1 = alias */
};

struct val_icmp_name {
	const char *name;
	uint8_t type, code_min, code_max;	/* type 0xff: any */
};

/* Protocol bits for service lookups. */
#define VAL_SP_TCP	0x01u
#define VAL_SP_UDP	0x02u
#define VAL_SP_SCTP	0x04u
#define VAL_SP_DDP	0x08u
#define VAL_SP_DCCP	0x10u
#define VAL_SP_UDPLITE	0x20u
#define VAL_SP_ANY	0x3fu

/* getprotobyname() then xtables_chain_protos: exact match; number or -1. */
int val_table_proto(const char *s, size_t len);
/* getservbyname() for any protocol in @protos (VAL_SP_*): port or -1. */
int val_table_service(const char *s, size_t len, unsigned int protos);
/* iptables' ICMP (or ICMPv6) type names in its own order. */
const struct val_icmp_name *val_table_icmp(bool v6, size_t *n);
/* syslog level by name, as --log-level accepts it; -1 when unknown. */
int val_table_log_level(const char *s, size_t len);

#endif
