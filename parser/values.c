/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option value parsers.
 *
 * Each parser reads one option argument the way iptables 1.8.9 reads it,
 * so that a value is refused here exactly when iptables-restore refuses
 * it.  iptables is not consistent with itself: the same "port" is read by
 * strtoul() base 0 in one extension and by getaddrinfo() (base 10, modulo
 * 65536) in another, IPv4 addresses are read by libxtables' own dotted
 * parser in -s but by inet_aton() or inet_pton() elsewhere.  The helpers
 * below model each of those C library and libxtables routines once, and
 * the parsers combine them as the matching extension does.
 *
 * Nothing here depends on the locale, allocates (except list results in
 * the arena) or consults the machine: names come from values_tables.c.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/values.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define IFNAMSIZ	16
#define MULTI_PORTS	15	/* XT_MULTI_PORTS */
#define LIMIT_SCALE	10000u	/* XT_LIMIT_SCALE */

/* ------------------------------------------------------------ helpers */

/* isspace() of the C locale. */
static bool c_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool c_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static char c_tolower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Value of a digit in bases up to 16, or 99. */
static unsigned int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 99;
}

static bool eq_nocase(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || c_tolower(a[i]) != c_tolower(b[i]))
			return false;
	return b[alen] == '\0';
}

/* Is @s (@len bytes) a case-insensitive prefix of @name (strncasecmp)? */
static bool prefix_nocase(const char *s, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (name[i] == '\0' || c_tolower(s[i]) != c_tolower(name[i]))
			return false;
	return true;
}

static const char *find_char(const char *s, size_t len, char c)
{
	return len ? memchr(s, c, len) : NULL;
}

static const char *find_last(const char *s, size_t len, char c)
{
	while (len > 0)
		if (s[--len] == c)
			return s + len;
	return NULL;
}

/* Values are quoted in messages, cut to keep messages one short line. */
#define SHOW_MAX	64
#define VQ		"\"%.*s%s\""
#define VA(s, len)	(int)((len) > SHOW_MAX ? SHOW_MAX : (len)), (s), \
			((len) > SHOW_MAX ? "..." : "")

int val_fail(struct val_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->err && ctx->errlen) {
		va_start(ap, fmt);
		vsnprintf(ctx->err, ctx->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ------------------------------------------------------------ numbers */

/*
 * What strtoumax(s, &end, base) does with a counted string: leading
 * white space, one sign, a "0x" prefix (base 0 or 16) only when a hex
 * digit follows, octal after a leading 0 in base 0.  @end is the number
 * of bytes converted, 0 when there was no number at all (strtoumax then
 * sets end to s, white space included).
 */
struct num {
	uint64_t v;
	size_t end;
	bool neg;
	bool range;	/* overflow: ERANGE */
};

static void scan_num(const char *s, size_t len, unsigned int base,
		     struct num *n)
{
	size_t i = 0, start;

	memset(n, 0, sizeof(*n));
	while (i < len && c_isspace(s[i]))
		i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		n->neg = s[i++] == '-';
	if ((base == 0 || base == 16) && i + 2 < len && s[i] == '0' &&
	    (s[i + 1] == 'x' || s[i + 1] == 'X') && digit_val(s[i + 2]) < 16) {
		base = 16;
		i += 2;
	} else if (base == 0) {
		base = i < len && s[i] == '0' ? 8 : 10;
	}
	for (start = i; i < len && digit_val(s[i]) < base; i++) {
		uint64_t d = digit_val(s[i]);

		if (n->v > (UINT64_MAX - d) / base)
			n->range = true;
		else
			n->v = n->v * base + d;
	}
	if (i == start) {
		n->v = 0;
		n->neg = false;
		return;
	}
	if (n->range)
		n->v = UINT64_MAX;
	else if (n->neg)
		n->v = -n->v;
	n->end = i;
}

/*
 * libxtables xtables_strtoul(): strtoumax base 0 within [min,max], but a
 * '-' after the white space is refused.  With @end NULL the whole string
 * must be the number, else *end says where it stopped.
 */
static bool xt_strtoul(const char *s, size_t len, uint64_t min, uint64_t max,
		       uint64_t *v, size_t *end)
{
	struct num n;
	size_t i = 0;

	while (i < len && c_isspace(s[i]))
		i++;
	if (i < len && s[i] == '-')
		return false;
	scan_num(s, len, 0, &n);
	if (n.end == 0)
		return false;
	if (end)
		*end = n.end;
	if (n.range || n.v < min || n.v > max)
		return false;
	if (!end && n.end != len)
		return false;
	*v = n.v;
	return true;
}

static unsigned int xt_ui(const char *s, size_t len, unsigned int max, bool *ok)
{
	uint64_t v = 0;

	*ok = xt_strtoul(s, len, 0, max, &v, NULL);
	return (unsigned int)v;
}

bool val_strtoul(const char *s, size_t len, uint64_t min, uint64_t max,
		 uint64_t *v, size_t *end)
{
	return xt_strtoul(s, len, min, max, v, end);
}

uint64_t val_strtoull(const char *s, size_t len, unsigned int base,
		      size_t *end, bool *neg)
{
	struct num n;

	scan_num(s, len, base, &n);
	if (end)
		*end = n.end;
	if (neg)
		*neg = n.neg;
	return n.v;
}

/* ------------------------------------------------------------ ports */

static unsigned int proto_service_bits(unsigned int proto)
{
	switch (proto) {
	case 0:		return VAL_SP_TCP | VAL_SP_UDP;	/* unknown: be lenient */
	case 6:		return VAL_SP_TCP;
	case 17:	return VAL_SP_UDP;
	case 33:	return VAL_SP_DCCP;
	case 132:	return VAL_SP_SCTP;
	case 136:	return VAL_SP_UDPLITE;
	default:	return 0;
	}
}

/*
 * A port as getaddrinfo(NULL, s, NULL) gives it (libxtables'
 * xtables_getportbyname, used by the guided parser): glibc takes strtoul
 * base 10 when it consumes the whole string, keeps it as an int (negative
 * is no port) and puts it through htons(), so "65536" is port 0.
 * Otherwise a tcp or udp service name.  -1 when it resolves to nothing.
 */
static int gai_port(const char *s, size_t len)
{
	struct num n;
	int32_t num;

	scan_num(s, len, 10, &n);
	if (n.end == len) {
		num = (int32_t)(uint32_t)n.v;
		return num < 0 ? -1 : (int)(num & 0xffff);
	}
	return val_table_service(s, len, VAL_SP_TCP | VAL_SP_UDP);
}

/* libxtables xtables_parse_port(): strtoul base 0, or a name of @bits. */
static int xt_port(const char *s, size_t len, unsigned int bits)
{
	uint64_t v;

	if (xt_strtoul(s, len, 0, 65535, &v, NULL))
		return (int)v;
	return bits ? val_table_service(s, len, bits) : -1;
}

int val_parse_port(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	int p = gai_port(s, len);

	if (p < 0)
		return val_fail(ctx, "port " VQ " is neither a number nor a tcp/udp service name",
			    VA(s, len));
	out->u = (uint64_t)p;
	return VAL_UINT;
}

int val_parse_port_range(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	uint32_t v[2] = { 0, 65535 };
	unsigned int n = 0;
	size_t pos = 0;

	/* xtopt_parse_mport: strsep on ':', an empty part keeps its default. */
	for (;;) {
		const char *c = find_char(s + pos, len - pos, ':');
		size_t plen = c ? (size_t)(c - (s + pos)) : len - pos;

		if (n == 2)
			return val_fail(ctx, VQ ": too many ':' (port or first:last)",
				    VA(s, len));
		if (plen) {
			int p = gai_port(s + pos, plen);

			if (p < 0)
				return val_fail(ctx, "port " VQ " is neither a number nor a tcp/udp service name",
					    VA(s + pos, plen));
			v[n] = (uint32_t)p;
		}
		n++;
		if (!c)
			break;
		pos += plen + 1;
	}
	out->range.lo = v[0];
	out->range.hi = n == 1 ? v[0] : v[1];
	return VAL_RANGE;
}

static const char *service_what(unsigned int proto)
{
	switch (proto) {
	case 0:		return "tcp/udp service";
	case 6:		return "tcp service";
	case 17:	return "udp service";
	case 33:	return "dccp service";
	case 132:	return "sctp service";
	case 136:	return "udplite service";
	default:	return "service";
	}
}

/* xtables_parse_port() failure message, also naming the range. */
static int bad_port(struct val_ctx *ctx, const char *s, size_t len)
{
	uint64_t v;
	size_t end;

	if (xt_strtoul(s, len, 0, UINT64_MAX, &v, &end) && end == len)
		return val_fail(ctx, "port " VQ " is out of range 0-65535", VA(s, len));
	return val_fail(ctx, "port " VQ " is neither a number 0-65535 nor a %s name",
		    VA(s, len), service_what(ctx->proto));
}

int val_parse_proto_port_range(struct val_ctx *ctx, const char *s, size_t len,
			       union val *out)
{
	unsigned int bits = proto_service_bits(ctx->proto);
	const char *c = find_char(s, len, ':');
	int lo, hi;

	if (!c) {
		lo = xt_port(s, len, bits);
		if (lo < 0)
			return bad_port(ctx, s, len);
		out->range.lo = out->range.hi = (uint32_t)lo;
		return VAL_RANGE;
	}
	/* Only the first ':' splits: "1:2:3" has the upper port "2:3". */
	lo = 0;
	hi = 65535;
	if (c > s) {
		lo = xt_port(s, (size_t)(c - s), bits);
		if (lo < 0)
			return bad_port(ctx, s, (size_t)(c - s));
	}
	if (c + 1 < s + len) {
		hi = xt_port(c + 1, len - (size_t)(c + 1 - s), bits);
		if (hi < 0)
			return bad_port(ctx, c + 1, len - (size_t)(c + 1 - s));
	}
	if (lo > hi)
		return val_fail(ctx, "invalid portrange (min > max): " VQ, VA(s, len));
	out->range.lo = (uint32_t)lo;
	out->range.hi = (uint32_t)hi;
	return VAL_RANGE;
}

int val_parse_port_list(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	struct val_port_range r[MULTI_PORTS];
	unsigned int bits = proto_service_bits(ctx->proto);
	unsigned int n = 0, used = 0;
	struct val_port_list *l;
	size_t pos = 0;

	/* libxt_multiport parse_multi_ports_v1: a range takes two slots. */
	for (;;) {
		const char *comma = find_char(s + pos, len - pos, ',');
		size_t plen = comma ? (size_t)(comma - (s + pos)) : len - pos;
		const char *p = s + pos;
		const char *c = find_char(p, plen, ':');
		size_t llen = c ? (size_t)(c - p) : plen;
		int lo, hi;

		if (used >= MULTI_PORTS || (c && used + 2 > MULTI_PORTS))
			return val_fail(ctx, VQ ": too many ports (at most %d, a range counts as two)",
				    VA(s, len), MULTI_PORTS);
		lo = xt_port(p, llen, bits);
		if (lo < 0)
			return bad_port(ctx, p, llen);
		hi = lo;
		if (c) {
			size_t hlen = plen - llen - 1;

			hi = xt_port(c + 1, hlen, bits);
			if (hi < 0)
				return bad_port(ctx, c + 1, hlen);
			if (lo >= hi)
				return val_fail(ctx, "invalid port range " VQ " (first must be below last)",
					    VA(p, plen));
			used++;
		}
		used++;
		r[n].lo = (uint16_t)lo;
		r[n].hi = (uint16_t)hi;
		n++;
		if (!comma)
			break;
		pos += plen + 1;
	}
	l = arena_alloc(ctx->arena, sizeof(*l) + n * sizeof(l->v[0]));
	l->n = n;
	memcpy(l->v, r, n * sizeof(r[0]));
	out->ports = l;
	return VAL_PORTS;
}

/* ------------------------------------------------------------ integers */

int val_parse_uint(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	uint64_t min = ctx->min, max = ctx->max ? ctx->max : UINT32_MAX;
	struct num n;
	size_t i = 0;

	while (i < len && c_isspace(s[i]))
		i++;
	scan_num(s, len, 0, &n);
	if (n.end == 0)
		return val_fail(ctx, VQ " is not a number", VA(s, len));
	if (n.end != len)
		return val_fail(ctx, VQ ": unexpected characters after the number",
			    VA(s, len));
	/* xtables_strtoul refuses a '-' sign, strtoumax would negate. */
	if (s[i] == '-' || n.range || n.v < min || n.v > max)
		return val_fail(ctx, VQ " is out of range %" PRIu64 "-%" PRIu64,
			    VA(s, len), min, max);
	out->u = n.v;
	return VAL_UINT;
}

/* Message for a number xt_strtoul() refused. */
static int bad_num(struct val_ctx *ctx, const char *s, size_t len,
		   uint64_t min, uint64_t max)
{
	struct num n;

	scan_num(s, len, 0, &n);
	if (n.end == 0)
		return val_fail(ctx, VQ " is not a number", VA(s, len));
	return val_fail(ctx, VQ " is out of range %" PRIu64 "-%" PRIu64,
		    VA(s, n.end), min, max);
}

int val_parse_uint_range(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	uint64_t max = ctx->max ? ctx->max : UINT32_MAX;
	uint64_t v[2] = { 0, 0 };
	unsigned int n = 0;
	size_t arg = 0, end;

	/* xtopt_parse_mint: an empty part is 0 first, the maximum second. */
	for (;;) {
		if (n == 2)
			return val_fail(ctx, VQ ": too many ':' (value or first:last)",
				    VA(s, len));
		if (arg == len || s[arg] == ':') {
			end = arg;
			v[n] = n == 1 ? max : 0;
		} else {
			if (!xt_strtoul(s + arg, len - arg, 0, max, &v[n], &end))
				return bad_num(ctx, s + arg, len - arg, 0, max);
			end += arg;
			if (end < len && s[end] != ':')
				return val_fail(ctx, VQ ": unexpected characters " VQ,
					    VA(s, len), VA(s + end, len - end));
			if (v[n] < ctx->min)
				return val_fail(ctx, VQ " is out of range %" PRIu64 "-%" PRIu64,
					    VA(s + arg, end - arg), ctx->min, max);
		}
		n++;
		if (end == len)
			break;
		arg = end + 1;
	}
	if (n == 1)
		v[1] = v[0];
	if (v[0] > UINT32_MAX || v[1] > UINT32_MAX) {
		out->range64.lo = v[0];
		out->range64.hi = v[1];
		return VAL_RANGE64;
	}
	out->range.lo = (uint32_t)v[0];
	out->range.hi = (uint32_t)v[1];
	return VAL_RANGE;
}

int val_parse_mark(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	uint64_t v, m = UINT32_MAX;
	size_t end, mend;

	/* xtables_parse_val_mask() without a name map. */
	if (!xt_strtoul(s, len, 0, UINT32_MAX, &v, &end)) {
		if (xt_strtoul(s, len, 0, UINT64_MAX, &v, &end))
			return val_fail(ctx, VQ ": value is wider than 32 bits", VA(s, len));
		return val_fail(ctx, VQ " is not a number (value[/mask])", VA(s, len));
	}
	if (end < len) {
		if (s[end] != '/')
			return val_fail(ctx, VQ ": unexpected characters after the value",
				    VA(s, len));
		end++;
		if (!xt_strtoul(s + end, len - end, 0, UINT32_MAX, &m, &mend)) {
			if (xt_strtoul(s + end, len - end, 0, UINT64_MAX, &m, &mend))
				return val_fail(ctx, VQ ": mask is wider than 32 bits",
					    VA(s, len));
			return val_fail(ctx, VQ ": mask is not a number", VA(s, len));
		}
		if (end + mend != len)
			return val_fail(ctx, VQ ": unexpected characters after the mask",
				    VA(s, len));
	}
	out->mark.value = (uint32_t)v;
	out->mark.mask = (uint32_t)m;
	return VAL_MARK;
}

/* ------------------------------------------------------------ addresses */

/* Prefix length of a mask, or 255 when its ones are not contiguous. */
static uint8_t mask_plen(const uint8_t *m, unsigned int bytes)
{
	unsigned int i, bits = 0;

	for (i = 0; i < bytes && m[i] == 0xff; i++)
		bits += 8;
	if (i < bytes) {
		uint8_t b = m[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return 255;
		for (i++; i < bytes; i++)
			if (m[i])
				return 255;
	}
	return (uint8_t)bits;
}

static void plen_mask(uint8_t *m, unsigned int bytes, unsigned int plen)
{
	unsigned int i;

	memset(m, 0, 16);
	for (i = 0; i < bytes && plen >= 8; i++, plen -= 8)
		m[i] = 0xff;
	if (i < bytes && plen)
		m[i] = (uint8_t)(0xff << (8 - plen));
}

/*
 * libxtables __numeric_to_ipaddr(), used by -s/-d and iprange: up to four
 * parts, each strtoul base 0 (so "0x0a" and "012" work) within 0-255;
 * an address with fewer parts is completed with zeros ("10.1" is
 * 10.1.0.0), a mask needs all four.  iptables copies the text into a
 * 20-byte buffer first, so only the first 19 bytes count.
 */
static bool xt_numeric_ip4(const char *s, size_t len, bool is_mask, uint8_t *a)
{
	size_t pos = 0;
	unsigned int i;
	bool ok;

	if (len > 19)
		len = 19;
	memset(a, 0, 4);
	for (i = 0; i < 3; i++) {
		const char *dot = find_char(s + pos, len - pos, '.');
		size_t plen = dot ? (size_t)(dot - (s + pos)) : len - pos;

		a[i] = (uint8_t)xt_ui(s + pos, plen, 255, &ok);
		if (!ok || (!dot && is_mask))
			return false;
		if (!dot)
			return true;
		pos += plen + 1;
	}
	a[3] = (uint8_t)xt_ui(s + pos, len - pos, 255, &ok);
	return ok;
}

/*
 * glibc inet_aton() as getaddrinfo() uses it (__inet_aton_exact): "a",
 * "a.b", "a.b.c" or "a.b.c.d", parts in C notation, the last part filling
 * the remaining bytes ("10.1" is 10.0.0.1), nothing after it.
 */
static bool inet_aton_exact(const char *s, size_t len, uint8_t *a)
{
	uint64_t part[4];
	unsigned int n = 0;
	size_t pos = 0;
	uint32_t v;

	for (;;) {
		struct num num;

		if (pos >= len || !c_isdigit(s[pos]))
			return false;
		scan_num(s + pos, len - pos, 0, &num);
		if (num.range || num.v > UINT32_MAX)
			return false;
		pos += num.end;
		part[n++] = num.v;
		if (pos < len && s[pos] == '.') {
			if (n > 3 || num.v > 0xff)
				return false;
			pos++;
			continue;
		}
		break;
	}
	if (pos != len)
		return false;
	switch (n) {
	case 1:
		v = (uint32_t)part[0];
		break;
	case 2:
		if (part[1] > 0xffffff)
			return false;
		v = (uint32_t)(part[0] << 24 | part[1]);
		break;
	case 3:
		if (part[2] > 0xffff)
			return false;
		v = (uint32_t)(part[0] << 24 | part[1] << 16 | part[2]);
		break;
	default:
		if (part[3] > 0xff)
			return false;
		v = (uint32_t)(part[0] << 24 | part[1] << 16 | part[2] << 8 | part[3]);
		break;
	}
	a[0] = (uint8_t)(v >> 24);
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
	return true;
}

/* glibc inet_pton(AF_INET): exactly four decimal parts, no leading zeros. */
static bool inet_pton4(const char *s, size_t len, uint8_t *a)
{
	unsigned int octets = 0, v = 0;
	bool digit = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (c_isdigit(s[i])) {
			if (digit && v == 0)
				return false;
			v = v * 10 + (unsigned int)(s[i] - '0');
			if (v > 255)
				return false;
			if (!digit && ++octets > 4)
				return false;
			digit = true;
		} else if (s[i] == '.' && digit) {
			if (octets == 4)
				return false;
			a[octets - 1] = (uint8_t)v;
			v = 0;
			digit = false;
		} else {
			return false;
		}
	}
	if (octets < 4 || !digit)
		return false;
	a[3] = (uint8_t)v;
	return true;
}

/* glibc inet_pton(AF_INET6). */
static bool inet_pton6(const char *s, size_t len, uint8_t *a)
{
	uint8_t tmp[16];
	size_t tp = 0, colonp = SIZE_MAX, i = 0, curtok;
	unsigned int val = 0, xdigits = 0;

	memset(tmp, 0, sizeof(tmp));
	if (len && s[0] == ':') {
		if (len < 2 || s[1] != ':')
			return false;
		i = 1;
	}
	curtok = i;
	while (i < len) {
		char ch = s[i++];

		if (digit_val(ch) < 16) {
			val = val << 4 | digit_val(ch);
			if (++xdigits > 4)
				return false;
			continue;
		}
		if (ch == ':') {
			curtok = i;
			if (!xdigits) {
				if (colonp != SIZE_MAX)
					return false;
				colonp = tp;
				continue;
			}
			if (i == len || tp + 2 > 16)
				return false;
			tmp[tp++] = (uint8_t)(val >> 8);
			tmp[tp++] = (uint8_t)val;
			val = 0;
			xdigits = 0;
			continue;
		}
		if (ch == '.' && tp + 4 <= 16 &&
		    inet_pton4(s + curtok, len - curtok, tmp + tp)) {
			tp += 4;
			xdigits = 0;
			i = len;
			break;
		}
		return false;
	}
	if (xdigits) {
		if (tp + 2 > 16)
			return false;
		tmp[tp++] = (uint8_t)(val >> 8);
		tmp[tp++] = (uint8_t)val;
	}
	if (colonp != SIZE_MAX) {
		size_t n = tp - colonp;

		/* "::" must stand for at least one zero group. */
		if (tp == 16)
			return false;
		memmove(tmp + 16 - n, tmp + colonp, n);
		memset(tmp + colonp, 0, 16 - n - colonp);
		tp = 16;
	}
	if (tp != 16)
		return false;
	memcpy(a, tmp, 16);
	return true;
}

/*
 * A numeric IPv6 address as getaddrinfo() takes it: inet_pton plus an
 * optional "%scope".  A numeric scope always works; an interface name is
 * only tried for link-local addresses and resolves only when the
 * interface exists, which we cannot know, so any plausible name passes.
 */
static bool gai_numeric_ip6(const char *s, size_t len, uint8_t *a)
{
	const char *pct = find_char(s, len, '%');
	size_t alen = pct ? (size_t)(pct - s) : len;
	const char *sc;
	size_t sclen, i;
	struct num n;

	if (!inet_pton6(s, alen, a))
		return false;
	if (!pct)
		return true;
	sc = pct + 1;
	sclen = len - alen - 1;
	if (sclen == 0)
		return false;
	scan_num(sc, sclen, 10, &n);
	if (n.end == sclen && !n.range && n.v <= UINT32_MAX)
		return true;
	if (c_isdigit(sc[0]))
		return false;	/* a number too big, or digits then junk */
	if (!((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
	      (a[0] == 0xff && (a[1] & 0x0f) == 0x02)))
		return false;
	if (sclen >= IFNAMSIZ)
		return false;
	for (i = 0; i < sclen; i++)
		if (sc[i] == '/' || c_isspace(sc[i]) || sc[i] == '%')
			return false;
	return true;
}

/*
 * Could this be a host name that a resolver might know?  We are offline,
 * so a syntactically valid name is taken as a host to be resolved at load
 * time.  Labels of letters, digits, '-' and '_' (found in /etc/hosts),
 * not starting or ending with '-'; the last label not a number ("256",
 * "0x"), so that a broken address such as "1.2.3.256" is not mistaken for
 * a name: no resolver knows such a top-level domain.
 */
static bool host_name_ok(const char *s, size_t len)
{
	size_t i, lab = 0;
	bool alldigit = true;

	if (len && s[len - 1] == '.')
		len--;
	for (i = len; i > 0 && s[i - 1] != '.'; i--)
		;
	if (len - i >= 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		size_t j;

		for (j = i + 2; j < len && digit_val(s[j]) < 16; j++)
			;
		if (j == len)
			return false;
	}
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (lab == 0 || lab > 63 || s[i - 1] == '-')
				return false;
			if (i == len && alldigit)
				return false;
			lab = 0;
			alldigit = true;
			continue;
		}
		if (!(c_isdigit(c) || (c_tolower(c) >= 'a' && c_tolower(c) <= 'z') ||
		      c == '-' || c == '_'))
			return false;
		if (c == '-' && lab == 0)
			return false;
		if (!c_isdigit(c))
			alldigit = false;
		lab++;
	}
	return true;
}

static void set_host(struct val_ctx *ctx, struct val_addr *a,
		     const char *s, size_t len)
{
	const char *host = arena_strndup(ctx->arena, s, len);

	a->family = 0;
	memset(a->addr, 0, sizeof(a->addr));
	memcpy(a->addr, &host, sizeof(host));	/* see val_addr_host() */
}

/* Clear the host bits (iptables does for -s/-d) and set the prefix length. */
static void apply_mask(struct val_addr *a, unsigned int bytes)
{
	unsigned int i;

	if (a->family)	/* a host name keeps its pointer there */
		for (i = 0; i < 16; i++)
			a->addr[i] &= a->mask[i];
	a->plen = mask_plen(a->mask, bytes);
}

static const char *fam_name(int fam)
{
	return fam == 6 ? "IPv6" : "IPv4";
}

/*
 * One element of -s/-d (xtables_ipparse_multiple / ip6parse_multiple):
 * "addr[/mask]", the mask after the last '/'.  A zero mask makes iptables
 * ignore the address part altogether ("anything/0" is 0.0.0.0/0).
 */
static int parse_list_elem(struct val_ctx *ctx, int fam, const char *s,
			   size_t len, struct val_addr *a)
{
	unsigned int bytes = fam == 6 ? 16 : 4, maxlen = fam == 6 ? 128 : 32;
	const char *slash;
	size_t alen = len;
	bool ok;

	memset(a, 0, sizeof(*a));
	while (alen && c_isspace(*s)) {
		s++;
		alen--;
		len--;
	}
	if (len > 255)
		return val_fail(ctx, "host name " VQ " is too long", VA(s, len));
	slash = find_last(s, len, '/');
	if (slash) {
		const char *m = slash + 1;
		size_t mlen = len - (size_t)(m - s);
		unsigned int plen;

		alen = (size_t)(slash - s);
		if (fam == 6 ? inet_pton6(m, mlen, a->mask) :
			       xt_numeric_ip4(m, mlen, true, a->mask)) {
			/* a dotted or colon mask */
		} else {
			plen = xt_ui(m, mlen, maxlen, &ok);
			if (!ok)
				return val_fail(ctx, "invalid mask " VQ " (prefix length 0-%u or %s mask)",
					    VA(m, mlen), maxlen, fam_name(fam));
			plen_mask(a->mask, bytes, plen);
		}
	} else {
		plen_mask(a->mask, bytes, maxlen);
	}
	a->family = (uint8_t)fam;
	if (mask_plen(a->mask, bytes) == 0) {
		memset(a->addr, 0, sizeof(a->addr));
	} else if (fam == 4 ? xt_numeric_ip4(s, alen, false, a->addr) :
			      gai_numeric_ip6(s, alen, a->addr)) {
		/* numeric */
	} else if (host_name_ok(s, alen)) {
		set_host(ctx, a, s, alen);
	} else {
		return val_fail(ctx, VQ " is neither an %s address nor a host name",
			    VA(s, alen), fam_name(fam));
	}
	apply_mask(a, bytes);
	return 0;
}

static int addr_list_fam(struct val_ctx *ctx, int fam, const char *s,
			 size_t len, union val *out)
{
	struct val_addr_list *l;
	uint32_t n = 1, i;
	size_t pos = 0;

	for (i = 0; i < len; i++)
		n += s[i] == ',';
	l = arena_alloc(ctx->arena, sizeof(*l) + n * sizeof(l->v[0]));
	for (i = 0; i < n; i++) {
		const char *c = find_char(s + pos, len - pos, ',');
		size_t plen = c ? (size_t)(c - (s + pos)) : len - pos;

		if (parse_list_elem(ctx, fam, s + pos, plen, &l->v[i]) < 0)
			return -1;
		pos += plen + 1;
	}
	l->n = n;
	out->addrs = l;
	return VAL_ADDRS;
}

/*
 * Run @fn for the context's family; with VAL_FAM_ANY accept what either
 * family accepts, trying first the one the text looks like, and report
 * the error of that one.
 */
static bool looks_v6(const char *s, size_t len)
{
	const char *c = find_char(s, len, ':');

	return find_char(s, len, '[') ||
	       (c && find_char(c + 1, len - (size_t)(c + 1 - s), ':'));
}

typedef int (*fam_fn)(struct val_ctx *ctx, int fam, const char *s,
		      size_t len, union val *out);

static int either_family(struct val_ctx *ctx, fam_fn fn, const char *s,
			 size_t len, union val *out)
{
	char first_err[160];
	struct val_ctx c2;
	int first, r;

	if (ctx->family == VAL_FAM_V4 || ctx->family == VAL_FAM_V6)
		return fn(ctx, ctx->family, s, len, out);
	first_err[0] = '\0';
	c2 = *ctx;
	first = looks_v6(s, len) ? 6 : 4;
	c2.err = first_err;
	c2.errlen = sizeof(first_err);
	r = fn(&c2, first, s, len, out);
	if (r >= 0)
		return r;
	c2.err = NULL;
	c2.errlen = 0;
	r = fn(&c2, first == 6 ? 4 : 6, s, len, out);
	if (r >= 0)
		return r;
	return val_fail(ctx, "%s", first_err);
}

/*
 * The common case of dumps, "a.b.c.d" or "a.b.c.d/n" in canonical form
 * (no leading zeros, n 0-32), parsed without the general machinery; it
 * means the same to every iptables parser. Returns false to fall back.
 */
static bool addr4_fast(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	uint8_t b[4];
	unsigned int plen = 32, i = 0;
	struct val_addr_list *l;
	struct val_addr *a;

	for (int part = 0; part < 4; part++) {
		unsigned int v = 0, digits = 0;

		if (part && (i >= len || s[i++] != '.'))
			return false;
		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned int)(s[i++] - '0');
			digits++;
		}
		if (!digits || digits > 3 || v > 255 ||
		    (digits > 1 && s[i - digits] == '0'))
			return false;
		b[part] = (uint8_t)v;
	}
	if (i < len) {
		unsigned int digits = 0;

		if (s[i++] != '/')
			return false;
		plen = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			plen = plen * 10 + (unsigned int)(s[i++] - '0');
			digits++;
		}
		if (i != len || !digits || plen > 32 ||
		    (digits > 1 && s[i - digits] == '0'))
			return false;
	}
	l = arena_alloc(ctx->arena, sizeof(*l) + sizeof(l->v[0]));
	l->n = 1;
	a = &l->v[0];
	a->family = 4;
	a->plen = (uint8_t)plen;
	for (int k = 0; k < 4; k++) {
		unsigned int bits = plen >= 8u * (unsigned int)(k + 1) ? 8 :
				    plen > 8u * (unsigned int)k ? plen - 8u * (unsigned int)k : 0;
		uint8_t m = (uint8_t)(bits ? 0xff << (8 - bits) : 0);

		a->mask[k] = m;
		a->addr[k] = b[k] & m;
	}
	out->addrs = l;
	return true;
}

int val_parse_addr_list(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	if (ctx->family != VAL_FAM_V6 && addr4_fast(ctx, s, len, out))
		return VAL_ADDRS;
	return either_family(ctx, addr_list_fam, s, len, out);
}

/* XTTYPE_HOST: getaddrinfo() of the family, no mask. */
static int host_fam(struct val_ctx *ctx, int fam, const char *s, size_t len,
		    struct val_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)fam;
	if (fam == 4 ? inet_aton_exact(s, len, a->addr) :
		       gai_numeric_ip6(s, len, a->addr)) {
		plen_mask(a->mask, fam == 6 ? 16 : 4, fam == 6 ? 128 : 32);
		a->plen = fam == 6 ? 128 : 32;
		return 0;
	}
	if (host_name_ok(s, len)) {
		set_host(ctx, a, s, len);
		plen_mask(a->mask, fam == 6 ? 16 : 4, fam == 6 ? 128 : 32);
		a->plen = fam == 6 ? 128 : 32;
		return 0;
	}
	return val_fail(ctx, VQ " is neither an %s address nor a host name",
		    VA(s, len), fam_name(fam));
}

static struct val_addr_list *one_addr(struct val_ctx *ctx)
{
	struct val_addr_list *l;

	l = arena_alloc(ctx->arena, sizeof(*l) + sizeof(l->v[0]));
	l->n = 1;
	return l;
}

static int addr_fam(struct val_ctx *ctx, int fam, const char *s, size_t len,
		    union val *out)
{
	struct val_addr_list *l = one_addr(ctx);

	if (host_fam(ctx, fam, s, len, &l->v[0]) < 0)
		return -1;
	out->addrs = l;
	return VAL_ADDRS;
}

int val_parse_addr(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	return either_family(ctx, addr_fam, s, len, out);
}

/*
 * XTTYPE_HOSTMASK: host as getaddrinfo() reads it, then after the first
 * '/' a prefix length or, failing that, a numeric mask
 * (xtopt_parse_plen).  A mask that is not a prefix gives prefix length
 * -1, which xtopt_parse_plenmask turns into an all-ones mask: iptables
 * silently matches the full address then.  We keep what iptables keeps.
 */
static int addr_mask_fam(struct val_ctx *ctx, int fam, const char *s,
			 size_t len, union val *out)
{
	unsigned int bytes = fam == 6 ? 16 : 4, maxlen = fam == 6 ? 128 : 32;
	const char *slash = find_char(s, len, '/');
	struct val_addr_list *l = one_addr(ctx);
	struct val_addr *a = &l->v[0];
	size_t alen = slash ? (size_t)(slash - s) : len;

	if (host_fam(ctx, fam, s, alen, a) < 0)
		return -1;
	if (slash) {
		const char *m = slash + 1;
		size_t mlen = len - alen - 1;
		uint8_t mask[16];
		unsigned int plen;
		bool ok;

		plen = xt_ui(m, mlen, maxlen, &ok);
		if (!ok) {
			memset(mask, 0, sizeof(mask));
			if (!(fam == 6 ? inet_pton6(m, mlen, mask) :
					 inet_aton_exact(m, mlen, mask)))
				return val_fail(ctx, "invalid mask " VQ " (prefix length 0-%u or %s mask)",
					    VA(m, mlen), maxlen, fam_name(fam));
			plen = mask_plen(mask, bytes);
			if (plen == 255)
				plen = maxlen;
		}
		plen_mask(a->mask, bytes, plen);
	}
	apply_mask(a, bytes);
	out->addrs = l;
	return VAL_ADDRS;
}

int val_parse_addr_mask(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	return either_family(ctx, addr_mask_fam, s, len, out);
}

/* libxt_iprange: "a[-b]", numeric only (xtables_numeric_to_ip*addr). */
static int addr_range_fam(struct val_ctx *ctx, int fam, const char *s,
			  size_t len, union val *out)
{
	const char *dash = find_char(s, len, '-');
	struct val_addr_list *l = one_addr(ctx);
	struct val_addr *a = &l->v[0];
	const char *part[2];
	size_t plen[2];
	unsigned int i;

	part[0] = s;
	plen[0] = dash ? (size_t)(dash - s) : len;
	part[1] = dash ? dash + 1 : s;
	plen[1] = dash ? len - plen[0] - 1 : len;
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)fam;
	a->plen = 255;
	for (i = 0; i < 2; i++) {
		uint8_t *dst = i ? a->mask : a->addr;

		if (!(fam == 6 ? inet_pton6(part[i], plen[i], dst) :
				 xt_numeric_ip4(part[i], plen[i], false, dst)))
			return val_fail(ctx, VQ " is not an %s address",
				    VA(part[i], plen[i]), fam_name(fam));
	}
	out->addrs = l;
	return VAL_ADDR_RANGE;
}

int val_parse_addr_range(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	return either_family(ctx, addr_range_fam, s, len, out);
}

/* ------------------------------------------------------------ NAT */

/*
 * libxt_NAT parse_ports(): "port[-port[/base]]".  The first port may be a
 * service name of any protocol (getservbyname(name, NULL)), the second
 * must be a number; text after the base port is ignored, as iptables
 * does.
 */
static int nat_ports(struct val_ctx *ctx, const char *s, size_t len,
		     struct val_nat *nat)
{
	uint64_t lo, hi, base;
	size_t end, e2;

	if (!xt_strtoul(s, len, 0, 65535, &lo, &end)) {
		int p = val_table_service(s, len, VAL_SP_ANY);

		if (p < 0)
			return val_fail(ctx, "port " VQ " is neither a number 0-65535 nor a service name",
				    VA(s, len));
		lo = (uint64_t)p;
		end = len;
	}
	nat->has_port = true;
	nat->port_lo = nat->port_hi = (uint16_t)lo;
	if (end == len)
		return 0;
	if (s[end] == ':')
		return val_fail(ctx, VQ ": a port range is written with '-', not ':'",
			    VA(s, len));
	if (s[end] != '-')
		return val_fail(ctx, VQ ": unexpected characters after the port",
			    VA(s, len));
	end++;
	if (!xt_strtoul(s + end, len - end, 0, 65535, &hi, &e2))
		return val_fail(ctx, "port " VQ " is not a number 0-65535",
			    VA(s + end, len - end));
	if (hi < lo)
		return val_fail(ctx, VQ ": port range is reversed", VA(s, len));
	nat->port_hi = (uint16_t)hi;
	end += e2;
	if (end == len)
		return 0;
	if (s[end] != '/')
		return val_fail(ctx, VQ ": unexpected characters after the port range",
			    VA(s, len));
	end++;
	if (!xt_strtoul(s + end, len - end, 1, 65535, &base, &e2)) {
		int p = val_table_service(s + end, len - end, VAL_SP_ANY);

		if (p < 0)
			return val_fail(ctx, "base port " VQ " is neither a number 1-65535 nor a service name",
				    VA(s + end, len - end));
		base = (uint64_t)p;
	}
	nat->has_base = true;
	nat->port_base = (uint16_t)base;
	return 0;
}

/* libxt_NAT parse_to(), including its quirks (see the tests). */
static int nat_range_fam(struct val_ctx *ctx, int fam, const char *s,
			 size_t len, union val *out)
{
	struct val_nat *nat = arena_alloc(ctx->arena, sizeof(*nat));
	const char *start, *aend, *colon, *dash, *lb;
	unsigned int i;

	lb = find_char(s, len, '[');
	if (!lb) {
		start = s;
		colon = find_char(s, len, ':');
		/* More than one colon: an IPv6 address without port. */
		if (colon && find_char(colon + 1, len - (size_t)(colon + 1 - s), ':'))
			colon = NULL;
		aend = colon ? colon : s + len;
	} else {
		start = lb + 1;
		aend = find_char(start, len - (size_t)(start - s), ']');
		if (!aend || fam == 4)
			return val_fail(ctx, VQ ": invalid address format%s", VA(s, len),
				    fam == 4 ? " (brackets are for IPv6)" : " (missing ']')");
		/* Whatever follows ']' up to a ':' is ignored by iptables. */
		colon = find_char(aend + 1, len - (size_t)(aend + 1 - s), ':');
	}
	if (colon) {
		if (nat_ports(ctx, colon + 1, len - (size_t)(colon + 1 - s), nat) < 0)
			return -1;
		/*
		 * iptables takes a colon at offset 0 or 2 as "no address",
		 * meant for ":port" and "[]:port"; so "12:80" is a bare port.
		 */
		if (colon == s || colon == s + 2) {
			out->nat = nat;
			return VAL_NAT;
		}
	}
	nat->has_addr = true;
	dash = find_char(start, (size_t)(aend - start), '-');
	/* Without a '-', the range is one address: parse it once. */
	for (i = 0; i < (dash ? 2u : 1u); i++) {
		struct val_addr *a = i ? &nat->hi : &nat->lo;
		const char *p = i ? (dash ? dash + 1 : start) : start;
		size_t plen = i ? (size_t)(aend - p) :
				  (size_t)((dash ? dash : aend) - start);

		a->family = (uint8_t)fam;
		a->plen = fam == 6 ? 128 : 32;
		plen_mask(a->mask, fam == 6 ? 16 : 4, a->plen);
		if (!(fam == 6 ? inet_pton6(p, plen, a->addr) :
				 inet_pton4(p, plen, a->addr)))
			return val_fail(ctx, "bad %s address " VQ, fam_name(fam), VA(p, plen));
	}
	if (!dash)
		nat->hi = nat->lo;
	out->nat = nat;
	return VAL_NAT;
}

int val_parse_nat_range(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	return either_family(ctx, nat_range_fam, s, len, out);
}

int val_parse_nat_ports(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	struct val_nat *nat = arena_alloc(ctx->arena, sizeof(*nat));

	if (nat_ports(ctx, s, len, nat) < 0)
		return -1;
	out->nat = nat;
	return VAL_NAT;
}

/* ------------------------------------------------------------ words */

int val_parse_iface(struct val_ctx *ctx, const char *s, size_t len,
		    union val *out)
{
	/*
	 * xtables_parse_interface(): '/' and ' ' only draw a warning from
	 * iptables, the kernel does not check names, so they pass here.
	 */
	if (len == 0)
		return val_fail(ctx, "empty interface name");
	if (len >= IFNAMSIZ)
		return val_fail(ctx, "interface name " VQ " is too long (at most %d characters)",
			    VA(s, len), IFNAMSIZ - 1);
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_IFACE;
}

int val_parse_string(struct val_ctx *ctx, const char *s, size_t len,
		     union val *out)
{
	if (ctx->min && len < ctx->min)
		return val_fail(ctx, VQ " is too short (at least %" PRIu64 " characters)",
			    VA(s, len), ctx->min);
	if (ctx->max && len > ctx->max)
		return val_fail(ctx, VQ " is too long (at most %" PRIu64 " characters)",
			    VA(s, len), ctx->max);
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

/* Write "a, b, c" of @choices into @buf. */
static void list_choices(const char *const *choices, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; choices && choices[i] && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s",
				 i ? ", " : "", choices[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int find_choice(const char *const *choices, const char *s, size_t len)
{
	int i;

	for (i = 0; choices && choices[i]; i++)
		if (eq_nocase(s, len, choices[i]))
			return i;
	return -1;
}

static int bad_choice(struct val_ctx *ctx, const char *s, size_t len)
{
	char list[256];

	list_choices(ctx->choices, list, sizeof(list));
	return val_fail(ctx, VQ " is not one of: %s", VA(s, len), list);
}

int val_parse_choice(struct val_ctx *ctx, const char *s, size_t len,
		     union val *out)
{
	int k = find_choice(ctx->choices, s, len);

	if (k < 0)
		return bad_choice(ctx, s, len);
	out->u = (uint64_t)k;
	return VAL_CHOICE;
}

int val_parse_choice_list(struct val_ctx *ctx, const char *s, size_t len,
			  union val *out)
{
	uint64_t bits = 0;
	size_t pos = 0;

	/* As libxt_conntrack/addrtype: no empty words ("a,,b", "a,"). */
	for (;;) {
		const char *c = find_char(s + pos, len - pos, ',');
		size_t plen = c ? (size_t)(c - (s + pos)) : len - pos;
		int k;

		if (plen == 0)
			return val_fail(ctx, VQ ": empty word in the list", VA(s, len));
		k = find_choice(ctx->choices, s + pos, plen);
		if (k < 0 || k >= 64)
			return bad_choice(ctx, s + pos, plen);
		bits |= (uint64_t)1 << k;
		if (!c)
			break;
		pos += plen + 1;
	}
	out->u = bits;
	return VAL_BITS;
}

/* ------------------------------------------------------------ protocols */

/* xtables_parse_protocol() on @s as is. */
static int proto_lookup(const char *s, size_t len)
{
	uint64_t v;

	if (xt_strtoul(s, len, 0, 255, &v, NULL))
		return (int)v;
	if (len == 3 && memcmp(s, "all", 3) == 0)
		return 0;
	return val_table_proto(s, len);
}

int val_proto_number(const char *s, size_t len)
{
	char low[64];
	size_t i;

	/* The two names nearly every -p says, without the table (6 and 17 there). */
	if (len == 3 && s[1] == 'c' && !memcmp(s, "tcp", 3))
		return 6;
	if (len == 3 && s[1] == 'd' && !memcmp(s, "udp", 3))
		return 17;

	/* -p lower-cases its argument before looking it up. */
	if (len >= sizeof(low))
		return -1;
	for (i = 0; i < len; i++)
		low[i] = c_tolower(s[i]);
	return proto_lookup(low, len);
}

int val_parse_proto(struct val_ctx *ctx, const char *s, size_t len,
		    union val *out)
{
	int p = val_proto_number(s, len);

	if (p < 0)
		return val_fail(ctx, "unknown protocol " VQ " (a name or a number 0-255)",
			    VA(s, len));
	out->u = (uint64_t)p;
	return VAL_UINT;
}

int val_parse_proto_exact(struct val_ctx *ctx, const char *s, size_t len,
			  union val *out)
{
	int p = proto_lookup(s, len);

	if (p < 0)
		return val_fail(ctx, "unknown protocol " VQ " (a name or a number 0-255)",
			    VA(s, len));
	/* XTTYPE_PROTOCOL keeps a uint8_t. */
	out->u = (uint64_t)(p & 0xff);
	return VAL_UINT;
}

/* ------------------------------------------------------------ ICMP */

/*
 * libipt_icmp / libip6t_icmp6 parse_icmp(): first every name of which the
 * text is a case-insensitive prefix (two such names: ambiguous), then
 * "type[/code[:code]]" with strtoul base 0 parts.
 */
static int parse_icmp(struct val_ctx *ctx, bool v6, const char *s, size_t len,
		      union val *out)
{
	const char *what = v6 ? "icmpv6" : "icmp";
	const struct val_icmp_name *t, *match = NULL;
	uint64_t type, lo = 0, hi = 0xff;
	size_t n, i, end, e2;

	t = val_table_icmp(v6, &n);
	for (i = 0; i < n; i++) {
		if (!prefix_nocase(s, len, t[i].name))
			continue;
		if (match)
			return val_fail(ctx, "ambiguous %s type " VQ ": %s or %s?", what,
				    VA(s, len), match->name, t[i].name);
		match = &t[i];
	}
	if (match) {
		out->icmp.type = match->type;
		out->icmp.code_lo = match->code_min;
		out->icmp.code_hi = match->code_max;
		return VAL_ICMP;
	}
	if (!xt_strtoul(s, len, 0, 255, &type, &end))
		return val_fail(ctx, "unknown %s type " VQ " (a name or type[/code[:code]], 0-255)",
			    what, VA(s, len));
	/* "type:type" is a range of one type: allowed, any other is not. */
	if (end < len && s[end] == ':') {
		uint64_t type2;

		if (!xt_strtoul(s + end + 1, len - end - 1, 0, 255, &type2, &e2))
			return val_fail(ctx, "unknown %s type " VQ " (a name or type[/code[:code]], 0-255)",
				    what, VA(s, len));
		if (type2 != type)
			return val_fail(ctx, VQ ": %s type ranges are not supported",
				    VA(s, len), what);
		end += 1 + e2;
	}
	if (end < len && s[end] == '/') {
		end++;
		if (!xt_strtoul(s + end, len - end, 0, 255, &lo, &e2))
			return val_fail(ctx, "unknown %s code in " VQ " (0-255)", what, VA(s, len));
		hi = lo;
		end += e2;
		if (end < len && s[end] == ':') {
			end++;
			if (!xt_strtoul(s + end, len - end, 0, 255, &hi, &e2))
				return val_fail(ctx, "unknown %s code in " VQ " (0-255)", what,
					    VA(s, len));
			end += e2;
		}
	}
	if (end < len)
		return val_fail(ctx, VQ ": unexpected character '%c'", VA(s, len), s[end]);
	out->icmp.type = (uint8_t)type;
	out->icmp.code_lo = (uint8_t)lo;
	out->icmp.code_hi = (uint8_t)hi;
	return VAL_ICMP;
}

int val_parse_icmp_type(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	return parse_icmp(ctx, false, s, len, out);
}

int val_parse_icmp6_type(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	return parse_icmp(ctx, true, s, len, out);
}

/* ------------------------------------------------------------ misc */

int val_parse_mac(struct val_ctx *ctx, const char *s, size_t len,
		  union val *out)
{
	uint64_t mac = 0;
	size_t pos = 0;
	unsigned int i;

	/*
	 * xtopt_parse_ethermac: each byte is strtoul(..., 16) that stops at
	 * ':' having read at most two characters, so " 1", "+f" and even
	 * "-1" (0xff) are bytes, and an empty byte is 0.
	 */
	for (i = 0; i < 6; i++) {
		struct num n;

		scan_num(s + pos, len - pos, 16, &n);
		if (n.end > 2)
			goto bad;
		pos += n.end;
		if (i < 5 ? pos >= len || s[pos] != ':' : pos != len)
			goto bad;
		pos++;
		mac = mac << 8 | (n.v & 0xff);
	}
	out->u = mac;
	return VAL_UINT;
bad:
	return val_fail(ctx, "invalid MAC address " VQ " (six hex bytes, 00:11:22:33:44:55)",
		    VA(s, len));
}

int val_parse_rate(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	static const struct { const char *unit; uint32_t secs; } units[] = {
		{ "second", 1 }, { "minute", 60 }, { "hour", 3600 },
		{ "day", 86400 },
	};
	const char *slash = find_char(s, len, '/');
	uint32_t mult = 1, r, avg;
	struct num n;

	/* libxt_limit parse_rate(): unit prefixes, number by atoi(). */
	if (slash) {
		const char *u = slash + 1;
		size_t ulen = len - (size_t)(u - s);
		unsigned int i;

		for (i = 0; i < ARRAY_LEN(units); i++)
			if (ulen && prefix_nocase(u, ulen, units[i].unit))
				break;
		if (i == ARRAY_LEN(units))
			return val_fail(ctx, "bad rate " VQ " (number[/second|/minute|/hour|/day])",
				    VA(s, len));
		mult = units[i].secs;
	}
	/*
	 * atoi() is strtol() (clamped to the range of long) cut to int, and
	 * what follows the digits is ignored.
	 */
	scan_num(s, len, 10, &n);
	if (n.neg && (n.range || -n.v > (uint64_t)INT64_MAX + 1))
		n.v = (uint64_t)INT64_MIN;
	else if (!n.neg && (n.range || n.v > (uint64_t)INT64_MAX))
		n.v = (uint64_t)INT64_MAX;
	r = (uint32_t)n.v;
	if (r == 0)
		return val_fail(ctx, "bad rate " VQ " (number[/second|/minute|/hour|/day])",
			    VA(s, len));
	avg = LIMIT_SCALE * mult / r;
	if (avg == 0)
		return val_fail(ctx, "rate " VQ " is too fast (at most %u per %s)",
			    VA(s, len), LIMIT_SCALE * mult,
			    mult == 1 ? "second" : mult == 60 ? "minute" :
			    mult == 3600 ? "hour" : "day");
	out->u = avg;
	return VAL_UINT;
}

int val_parse_log_level(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	uint64_t v;
	int k;

	if (xt_strtoul(s, len, 0, 7, &v, NULL)) {
		out->u = v;
		return VAL_UINT;
	}
	k = val_table_log_level(s, len);
	if (k < 0)
		return val_fail(ctx, "log level " VQ " unknown (0-7 or emerg, alert, crit, error, warning, notice, info, debug)",
			    VA(s, len));
	out->u = (uint64_t)k;
	return VAL_UINT;
}

/* ------------------------------------------------------------ more words */

int val_parse_abbrev_list(struct val_ctx *ctx, const char *s, size_t len,
			  union val *out)
{
	uint64_t bits = 0;
	size_t pos = 0;

	/*
	 * libxt_conntrack/libxt_state/libxt_addrtype: strncasecmp(word, name,
	 * strlen(word)) over the names in order, so "est" is ESTABLISHED;
	 * an empty word is refused.
	 */
	for (;;) {
		const char *c = find_char(s + pos, len - pos, ',');
		size_t plen = c ? (size_t)(c - (s + pos)) : len - pos;
		int k = -1, i;

		if (plen == 0)
			return val_fail(ctx, VQ ": empty word in the list", VA(s, len));
		for (i = 0; ctx->choices && ctx->choices[i] && i < 64; i++)
			if (strlen(ctx->choices[i]) >= plen &&
			    prefix_nocase(s + pos, plen, ctx->choices[i])) {
				k = i;
				break;
			}
		if (k < 0)
			return bad_choice(ctx, s + pos, plen);
		bits |= (uint64_t)1 << k;
		if (!c)
			break;
		pos += plen + 1;
	}
	out->u = bits;
	return VAL_BITS;
}

int val_parse_word(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	int i;

	/* strcmp() against each choice: the case matters. */
	for (i = 0; ctx->choices && ctx->choices[i]; i++)
		if (strlen(ctx->choices[i]) == len &&
		    memcmp(ctx->choices[i], s, len) == 0) {
			out->u = (uint64_t)i;
			return VAL_CHOICE;
		}
	return bad_choice(ctx, s, len);
}

int val_parse_word_list(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	uint64_t bits = 0;
	size_t pos = 0;

	/* strsep(",") and strcmp(): empty words and other cases are refused. */
	for (;;) {
		const char *c = find_char(s + pos, len - pos, ',');
		size_t plen = c ? (size_t)(c - (s + pos)) : len - pos;
		union val one;

		if (val_parse_word(ctx, s + pos, plen, &one) < 0)
			return -1;
		if (one.u < 64)
			bits |= (uint64_t)1 << one.u;
		if (!c)
			break;
		pos += plen + 1;
	}
	out->u = bits;
	return VAL_BITS;
}

/* iptables' tos_values.c */
static const struct {
	const char *name;
	uint8_t value;
} tos_names[] = {
	{ "Minimize-Delay", 0x10 },
	{ "Maximize-Throughput", 0x08 },
	{ "Maximize-Reliability", 0x04 },
	{ "Minimize-Cost", 0x02 },
	{ "Normal-Service", 0x00 },
};

int val_parse_tos(struct val_ctx *ctx, const char *s, size_t len,
		  union val *out)
{
	uint64_t v, m = 0xff;
	size_t end, mend;
	unsigned int i;

	/*
	 * XTTYPE_TOSMASK: "value[/mask]" of 8 bits each; when no number in
	 * range starts the text, a symbolic name (the whole text, any case)
	 * whose mask is the option's maximum.
	 */
	if (xt_strtoul(s, len, 0, 0xff, &v, &end)) {
		if (end < len && s[end] == '/') {
			end++;
			if (!xt_strtoul(s + end, len - end, 0, 0xff, &m, &mend))
				return val_fail(ctx, "illegal TOS value " VQ " (value[/mask], 0-255 each)",
					    VA(s, len));
			end += mend;
		}
		if (end != len)
			return val_fail(ctx, "illegal TOS value " VQ " (value[/mask], 0-255 each)",
				    VA(s, len));
		out->mark.value = (uint32_t)v;
		out->mark.mask = (uint32_t)m;
		return VAL_MARK;
	}
	for (i = 0; i < ARRAY_LEN(tos_names); i++)
		if (eq_nocase(s, len, tos_names[i].name)) {
			out->mark.value = tos_names[i].value;
			out->mark.mask = ctx->max ? (uint32_t)ctx->max : 0xff;
			return VAL_MARK;
		}
	return val_fail(ctx, "TOS " VQ " is neither a number 0-255 (value[/mask]) nor a name (Minimize-Delay, Maximize-Throughput, Maximize-Reliability, Minimize-Cost, Normal-Service)",
		    VA(s, len));
}

/* iptables' dscp_helper.c, in its order. */
static const struct {
	const char *name;
	uint8_t dscp;
} dscp_classes[] = {
	{ "CS0", 0x00 }, { "CS1", 0x08 }, { "CS2", 0x10 }, { "CS3", 0x18 },
	{ "CS4", 0x20 }, { "CS5", 0x28 }, { "CS6", 0x30 }, { "CS7", 0x38 },
	{ "BE", 0x00 },
	{ "AF11", 0x0a }, { "AF12", 0x0c }, { "AF13", 0x0e },
	{ "AF21", 0x12 }, { "AF22", 0x14 }, { "AF23", 0x16 },
	{ "AF31", 0x1a }, { "AF32", 0x1c }, { "AF33", 0x1e },
	{ "AF41", 0x22 }, { "AF42", 0x24 }, { "AF43", 0x26 },
	{ "EF", 0x2e },
};

int val_parse_dscp_class(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	unsigned int i;

	/* class_to_dscp(): the first class name the text starts with, any case. */
	for (i = 0; i < ARRAY_LEN(dscp_classes); i++) {
		size_t n = strlen(dscp_classes[i].name);

		if (len >= n && prefix_nocase(s, n, dscp_classes[i].name)) {
			out->u = dscp_classes[i].dscp;
			return VAL_UINT;
		}
	}
	return val_fail(ctx, "invalid DSCP class " VQ " (CS0-CS7, BE, AF11-AF43, EF)",
		    VA(s, len));
}

int val_parse_plen(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	unsigned int max = ctx->family == VAL_FAM_V4 ? 32 : 128;
	uint8_t mask[16];
	uint64_t v;

	/*
	 * XTTYPE_PLEN(MASK): xtables_strtoui(arg, NULL, 0, 32 or 128), else
	 * a numeric mask through getaddrinfo() (so "255" is the IPv4 mask
	 * 0.0.0.255). A mask that is not a prefix gives length 255.
	 */
	if (xt_strtoul(s, len, 0, max, &v, NULL)) {
		out->u = v;
		return VAL_UINT;
	}
	memset(mask, 0, sizeof(mask));
	if (ctx->family != VAL_FAM_V6 && inet_aton_exact(s, len, mask)) {
		out->u = mask_plen(mask, 4);
		return VAL_UINT;
	}
	if (ctx->family != VAL_FAM_V4 && inet_pton6(s, len, mask)) {
		out->u = mask_plen(mask, 16);
		return VAL_UINT;
	}
	return val_fail(ctx, VQ " is neither a prefix length 0-%u nor a network mask",
		    VA(s, len), max);
}

bool val_strtod(const char *s, size_t len, double *d, size_t *stop)
{
	char buf[64];
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*d = strtod(buf, &end);
	*stop = (size_t)(end - buf);
	return end != buf;
}

int val_parse_double(struct val_ctx *ctx, const char *s, size_t len,
		     union val *out)
{
	size_t stop;
	double d;

	/* XTTYPE_DOUBLE: strtod() of the whole text within [min,max]. */
	if (!val_strtod(s, len, &d, &stop) || stop != len)
		goto bad;
	if (ctx->min != ctx->max && (d < (double)ctx->min || d > (double)ctx->max))
		return val_fail(ctx, VQ " is out of range %" PRIu64 "-%" PRIu64,
			    VA(s, len), ctx->min, ctx->max);
	out->u = (uint64_t)(d * 1e9);
	return VAL_UINT;
bad:
	return val_fail(ctx, VQ " is not a number", VA(s, len));
}

/* ------------------------------------------------------------ time */

/*
 * strtoul(s, &e, 10) on a counted string: the number and where it stopped
 * (0 when there was no number).  A value that overflows is UINT64_MAX.
 */
static uint64_t dec_prefix(const char *s, size_t len, size_t *end)
{
	struct num n;

	scan_num(s, len, 10, &n);
	*end = n.end;
	return n.end ? n.v : 0;
}

int val_parse_daytime(struct val_ctx *ctx, const char *s, size_t len,
		      union val *out)
{
	static const uint64_t lim[3] = { 23, 59, 59 };
	uint64_t part[3] = { 0, 0, 0 };
	size_t pos = 0, end;
	unsigned int i;

	/* libxt_time time_parse_minutes(): "hh:mm[:ss]", strtoul base 10 parts. */
	for (i = 0; i < 3; i++) {
		part[i] = dec_prefix(s + pos, len - pos, &end);
		pos += end;
		if (part[i] > lim[i])
			goto bad;
		if (pos == len) {
			if (i == 0)
				goto bad;
			break;
		}
		if (s[pos] != ':' || i == 2)
			goto bad;
		pos++;
	}
	out->u = part[0] * 3600 + part[1] * 60 + part[2];
	return VAL_UINT;
bad:
	return val_fail(ctx, "invalid time " VQ " (hh:mm[:ss], 00:00:00 to 23:59:59)",
		    VA(s, len));
}

int val_parse_date(struct val_ctx *ctx, const char *s, size_t len,
		   union val *out)
{
	/* year, month, day, hour, minute, second; their separators and ranges */
	static const char sep[6] = { '-', '-', 'T', ':', ':', '\0' };
	static const uint64_t lo[6] = { 1970, 0, 0, 0, 0, 0 };
	static const uint64_t hi[6] = { 2038, 12, 31, 23, 59, 59 };
	uint64_t part[6] = { 0, 1, 1, 0, 0, 0 };
	size_t pos = 0, end;
	unsigned int i;

	/* libxt_time time_parse_date(): "YYYY[-MM[-DD[Thh[:mm[:ss]]]]]". */
	for (i = 0; i < 6; i++) {
		part[i] = dec_prefix(s + pos, len - pos, &end);
		pos += end;
		if (part[i] < lo[i] || part[i] > hi[i])
			goto bad;
		if (pos == len)
			break;
		if (s[pos] != sep[i] || i == 5)
			goto bad;
		pos++;
	}
	out->u = part[0] * 10000000000ull + part[1] * 100000000ull +
		 part[2] * 1000000ull + part[3] * 10000 + part[4] * 100 + part[5];
	return VAL_UINT;
bad:
	return val_fail(ctx, "invalid date " VQ " (YYYY[-MM[-DD[Thh[:mm[:ss]]]]], years 1970-2038)",
		    VA(s, len));
}

/*
 * libxt_time my_strseg(): the next comma-separated piece, cut to
 * @keep bytes as snprintf() into the fixed buffer cuts it.  Returns false
 * at the end (an empty rest ends the list).
 */
static bool time_segment(const char *s, size_t len, size_t *pos, size_t keep,
			 const char **seg, size_t *seglen)
{
	const char *c;
	size_t n;

	if (*pos >= len)
		return false;
	c = find_char(s + *pos, len - *pos, ',');
	n = c ? (size_t)(c - (s + *pos)) : len - *pos;
	*seg = s + *pos;
	*seglen = n > keep ? keep : n;
	*pos += n + (c ? 1 : 0);
	if (!c)
		*pos = len;
	return true;
}

int val_parse_weekdays(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	static const char *const days[] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
	};
	const char *seg;
	size_t pos = 0, n;
	uint64_t bits = 0;

	/*
	 * time_parse_weekdays(): a piece (3 bytes kept) is a number (strtoul
	 * base 0, any value but 0) or starts with the first two letters of
	 * a day name, case-sensitive: "Mo", "Monday", "Tu".
	 */
	while (time_segment(s, len, &pos, 3, &seg, &n)) {
		struct num num;
		bool ok = false;
		unsigned int i;

		scan_num(seg, n, 0, &num);
		if (num.end == n) {
			if (num.v == 0)
				return val_fail(ctx, VQ ": weekday 0 does not exist (1 = Mon ... 7 = Sun)",
					    VA(s, len));
			bits |= num.v < 64 ? (uint64_t)1 << num.v : 0;
			continue;
		}
		for (i = 0; i < ARRAY_LEN(days); i++)
			if (n >= 2 && memcmp(seg, days[i], 2) == 0) {
				bits |= (uint64_t)1 << (i + 1);
				ok = true;
			}
		if (!ok)
			return val_fail(ctx, VQ " is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun or 1-7)",
				    VA(seg, n));
	}
	out->u = bits;
	return VAL_BITS;
}

int val_parse_monthdays(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	const char *seg;
	size_t pos = 0, n;
	uint64_t bits = 0;

	/* time_parse_monthdays(): pieces of 2 bytes kept, strtoul base 0, at most 31. */
	while (time_segment(s, len, &pos, 2, &seg, &n)) {
		struct num num;

		scan_num(seg, n, 0, &num);
		if (num.end != n || num.v > 31)
			return val_fail(ctx, VQ " is not a day of the month (1-31)",
				    VA(seg, n));
		bits |= (uint64_t)1 << num.v;
	}
	out->u = bits;
	return VAL_BITS;
}

/* ------------------------------------------------------------ owner */

/* A user or group name as shadow-utils would create it. */
static bool account_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 32)
		return false;
	if (!(c_tolower(s[0]) >= 'a' && c_tolower(s[0]) <= 'z') && s[0] != '_')
		return false;
	for (i = 1; i < len; i++) {
		char c = s[i];

		if (c == '$' && i == len - 1)
			break;
		if (!(c_isdigit(c) || (c_tolower(c) >= 'a' && c_tolower(c) <= 'z') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

int val_parse_owner_id(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	uint64_t lo, hi;
	size_t end, e2;

	/*
	 * libxt_owner: getpwnam()/getgrnam() first, then owner_parse_range():
	 * "id[-id]" or "id[:id]", strtoul base 0, at most 4294967294 (-1 is
	 * reserved).  Offline any well-formed name is taken on trust.
	 */
	if (xt_strtoul(s, len, 0, UINT32_MAX - 1, &lo, &end)) {
		hi = lo;
		if (end < len && (s[end] == '-' || s[end] == ':')) {
			end++;
			if (!xt_strtoul(s + end, len - end, 0, UINT32_MAX - 1, &hi, &e2))
				goto bad;
			end += e2;
		}
		if (end == len) {
			out->range.lo = (uint32_t)lo;
			out->range.hi = (uint32_t)hi;
			return VAL_RANGE;
		}
	}
	if (account_name_ok(s, len)) {
		out->str.s = s;
		out->str.len = (uint32_t)len;
		return VAL_STR;
	}
bad:
	return val_fail(ctx, VQ " is neither a name nor an id or id range (0-4294967294)",
		    VA(s, len));
}

void val_format_mark(char *buf, size_t size, uint32_t v)
{
	snprintf(buf, size, "0x%" PRIx32 " (%" PRIu32 ")", v, v);
}

unsigned int val_edit_distance(const char *a, size_t alen, const char *b,
			       size_t blen)
{
	unsigned int rows[3][VAL_EDIT_MAX + 1];
	unsigned int *pp, *prev, *cur;
	size_t i, j;

	if (alen > VAL_EDIT_MAX || blen > VAL_EDIT_MAX)
		return VAL_EDIT_MAX;
	pp = rows[0];
	prev = rows[1];
	cur = rows[2];
	for (j = 0; j <= blen; j++)
		prev[j] = (unsigned int)j;
	for (i = 1; i <= alen; i++) {
		unsigned int *t;

		cur[0] = (unsigned int)i;
		for (j = 1; j <= blen; j++) {
			unsigned int cost = a[i - 1] != b[j - 1];
			unsigned int d = prev[j] + 1;

			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;
			/* transposition of two neighbours */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
		}
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen] < VAL_EDIT_MAX ? prev[blen] : VAL_EDIT_MAX;
}
