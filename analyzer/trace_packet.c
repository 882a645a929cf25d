// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The packet of "iptlint trace --packet SPEC":
 *
 *   PROTO SRC[:SPORT] -> DST[:DPORT] [in IF] [out IF] [flags S|SA|A|...]
 *         [type N[/CODE]] [state new|established|related|invalid|untracked]
 *         [mark V] [ctmark V]
 *
 * IPv6 addresses with a port are written [2001:db8::1]:443.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iptlint/trace.h"

static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
	{ "ipv6-icmp", 58 }, { "icmp6", 58 }, { "sctp", 132 }, { "gre", 47 },
	{ "esp", 50 }, { "ah", 51 }, { "udplite", 136 },
};

static bool parse_u32(const char *s, uint32_t *out, uint32_t max)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "10.0.0.1:80", "10.0.0.1", "[2001:db8::1]:80", "2001:db8::1". */
static int parse_endpoint(const char *w, uint8_t addr[16], uint16_t *port,
			  bool *has_port, int *family, char *err, size_t size)
{
	char host[64];
	const char *colon = NULL, *p = NULL;
	size_t n;
	uint32_t v;
	int fam;

	if (*w == '[') {
		const char *close = strchr(w, ']');

		if (!close)
			return fail(err, size, "missing ']' in %s", w);
		n = (size_t)(close - w - 1);
		if (close[1] == ':')
			p = close + 2;
		else if (close[1])
			return fail(err, size, "bad address %s", w);
		w++;
	} else {
		colon = strchr(w, ':');
		/* One colon: IPv4 with a port; several: an IPv6 address. */
		if (colon && !strchr(colon + 1, ':')) {
			n = (size_t)(colon - w);
			p = colon + 1;
		} else {
			n = strlen(w);
		}
	}
	if (n >= sizeof(host))
		return fail(err, size, "address too long");
	memcpy(host, w, n);
	host[n] = 0;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1)
		fam = 4;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		fam = 6;
	else
		return fail(err, size, "bad address \"%s\"", host);
	if (*family && *family != fam)
		return fail(err, size, "IPv4 and IPv6 addresses mixed");
	*family = fam;
	*has_port = p != NULL;
	if (p) {
		if (!parse_u32(p, &v, 65535))
			return fail(err, size, "bad port \"%s\"", p);
		*port = (uint16_t)v;
	}
	return 0;
}

static int parse_flags(const char *w, uint8_t *out, char *err, size_t size)
{
	static const char letters[] = "FSRPAUEC";	/* bit 0 .. 7 */
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH",
					     "ACK", "URG", "ECE", "CWR" };
	uint8_t f = 0;
	bool named = strchr(w, ',') || !strcasecmp(w, "NONE");

	/* Names (SYN,ACK, ECE, NONE) or letters (S, SA, FSRPAU). */
	for (int k = 0; k < 8 && !named; k++)
		named = !strcasecmp(w, names[k]);
	if (named) {
		char buf[64], *save = NULL;

		if (strlen(w) >= sizeof(buf))
			return fail(err, size, "bad flags %s", w);
		strcpy(buf, w);
		for (char *t = strtok_r(buf, ",", &save); t;
		     t = strtok_r(NULL, ",", &save)) {
			int k;

			if (!strcasecmp(t, "NONE"))
				continue;
			for (k = 0; k < 8 && strcasecmp(t, names[k]); k++)
				;
			if (k == 8)
				return fail(err, size, "bad TCP flag \"%s\"", t);
			f |= (uint8_t)(1u << k);
		}
	} else {
		for (const char *c = w; *c; c++) {
			const char *at = strchr(letters, toupper((unsigned char)*c));

			if (!at)
				return fail(err, size, "bad TCP flag '%c' (use F S R P A U E C)", *c);
			f |= (uint8_t)(1u << (at - letters));
		}
	}
	*out = f;
	return 0;
}

static int parse_state(const char *w, int *state)
{
	static const char *const names[MF__CLASSES] = {
		[MF_FIRST] = "new", [MF_LATER] = "established",
		[MF_RELATED] = "related", [MF_INVALID] = "invalid",
		[MF_UNTRACKED] = "untracked",
	};
	for (int i = 0; i < MF__CLASSES; i++)
		if (!strcasecmp(w, names[i])) {
			*state = i;
			return 0;
		}
	return -1;
}

int trace_packet_parse(const char *spec, struct trace_packet *p, char *err,
		       size_t errsize)
{
	char buf[512], *words[32], *save = NULL;
	int n = 0, k;
	uint32_t v;

	memset(p, 0, sizeof(*p));
	p->icmp_type = p->icmp_code = -1;
	p->state = -1;
	if (strlen(spec) >= sizeof(buf))
		return fail(err, errsize, "packet description too long");
	strcpy(buf, spec);
	for (char *t = strtok_r(buf, " \t", &save); t && n < 32;
	     t = strtok_r(NULL, " \t", &save))
		words[n++] = t;
	if (n < 4 || strcmp(words[2], "->"))
		return fail(err, errsize,
			    "expected \"PROTO SRC[:PORT] -> DST[:PORT] ...\"");
	for (k = 0; k < (int)(sizeof(protos) / sizeof(protos[0])); k++)
		if (!strcasecmp(words[0], protos[k].name))
			break;
	if (k < (int)(sizeof(protos) / sizeof(protos[0])))
		p->proto = protos[k].num;
	else if (parse_u32(words[0], &v, 255) && v)
		p->proto = (uint8_t)v;
	else
		return fail(err, errsize, "unknown protocol \"%s\"", words[0]);
	if (parse_endpoint(words[1], p->src, &p->sport, &p->has_sport,
			   &p->family, err, errsize) ||
	    parse_endpoint(words[3], p->dst, &p->dport, &p->has_dport,
			   &p->family, err, errsize))
		return -1;
	for (k = 4; k < n; k += 2) {
		const char *key = words[k], *val = k + 1 < n ? words[k + 1] : NULL;

		if (!val)
			return fail(err, errsize, "\"%s\" needs a value", key);
		if (!strcmp(key, "in") || !strcmp(key, "out")) {
			char *dst = key[0] == 'i' ? p->iif : p->oif;

			if (strlen(val) >= 16)
				return fail(err, errsize, "interface name too long: %s", val);
			strcpy(dst, val);
		} else if (!strcmp(key, "flags")) {
			if (parse_flags(val, &p->tcp_flags, err, errsize))
				return -1;
			p->has_flags = true;
		} else if (!strcmp(key, "type")) {
			char t[32], *slash;

			snprintf(t, sizeof(t), "%s", val);
			slash = strchr(t, '/');
			if (slash)
				*slash++ = 0;
			if (!parse_u32(t, &v, 255))
				return fail(err, errsize, "bad ICMP type \"%s\"", val);
			p->icmp_type = (int)v;
			p->icmp_code = 0;
			if (slash) {
				if (!parse_u32(slash, &v, 255))
					return fail(err, errsize, "bad ICMP code \"%s\"", val);
				p->icmp_code = (int)v;
			}
		} else if (!strcmp(key, "state")) {
			if (parse_state(val, &p->state))
				return fail(err, errsize, "bad state \"%s\" (new, established, related, invalid, untracked)", val);
		} else if (!strcmp(key, "mark") || !strcmp(key, "ctmark")) {
			if (!parse_u32(val, &v, 0xffffffffu))
				return fail(err, errsize, "bad %s \"%s\"", key, val);
			if (key[0] == 'm') {
				p->mark = v;
				p->has_mark = true;
			} else {
				p->ctmark = v;
				p->has_ctmark = true;
			}
		} else {
			return fail(err, errsize, "unknown word \"%s\"", key);
		}
	}
	if (p->proto == 6 && !p->has_flags) {
		p->tcp_flags = 0x02;	/* SYN: a first packet */
	}
	if ((p->proto == 1 || p->proto == 58) && p->icmp_type < 0) {
		p->icmp_type = p->proto == 1 ? 8 : 128;	/* echo request */
		p->icmp_code = 0;
	}
	return 0;
}

void trace_packet_format(const struct trace_packet *p, char *buf, size_t size)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], sp[16] = "", dp[16] = "";
	const char *pn = NULL;
	size_t n;
	int af = p->family == 6 ? AF_INET6 : AF_INET;

	inet_ntop(af, p->src, s, sizeof(s));
	inet_ntop(af, p->dst, d, sizeof(d));
	if (p->src_unknown)
		strcpy(s, "?");
	if (p->dst_unknown)
		strcpy(d, "?");
	for (size_t k = 0; k < sizeof(protos) / sizeof(protos[0]) && !pn; k++)
		if (protos[k].num == p->proto)
			pn = protos[k].name;
	if (p->has_sport)
		snprintf(sp, sizeof(sp), ":%u", p->sport);
	if (p->has_dport)
		snprintf(dp, sizeof(dp), ":%u", p->dport);
	if (p->family == 6 && (p->has_sport || p->has_dport))
		n = (size_t)snprintf(buf, size, "%s %s%s%s%s -> %s%s%s%s",
				     pn ? pn : "?", p->has_sport ? "[" : "", s,
				     p->has_sport ? "]" : "", sp,
				     p->has_dport ? "[" : "", d,
				     p->has_dport ? "]" : "", dp);
	else if (pn)
		n = (size_t)snprintf(buf, size, "%s %s%s -> %s%s", pn, s, sp, d, dp);
	else
		n = (size_t)snprintf(buf, size, "%u %s%s -> %s%s", p->proto, s, sp,
				     d, dp);
	if (n < size && p->iif[0])
		n += (size_t)snprintf(buf + n, size - n, " in %s", p->iif);
	if (n < size && p->oif[0])
		n += (size_t)snprintf(buf + n, size - n, " out %s", p->oif);
	if (n < size && p->proto == 6) {
		static const char letters[] = "FSRPAUEC";
		char f[9];
		int k = 0;

		for (int b = 0; b < 8; b++)
			if (p->tcp_flags & (1u << b))
				f[k++] = letters[b];
		f[k] = 0;
		n += (size_t)snprintf(buf + n, size - n, " flags %s", k ? f : "NONE");
	}
	if (n < size && p->icmp_type >= 0 && (p->proto == 1 || p->proto == 58))
		n += (size_t)snprintf(buf + n, size - n, " type %d/%d",
				      p->icmp_type, p->icmp_code);
	if (n < size && p->has_mark)
		n += (size_t)snprintf(buf + n, size - n, " mark 0x%x", p->mark);
	(void)n;
}

enum trace_path trace_path_infer(const struct trace_packet *p,
				 const uint8_t (*local)[16], size_t n)
{
	size_t len = p->family == 6 ? 16 : 4;

	for (size_t i = 0; i < n; i++)
		if (!memcmp(local[i], p->src, len))
			return TRACE_LOCAL_OUT;
	for (size_t i = 0; i < n; i++)
		if (!memcmp(local[i], p->dst, len))
			return TRACE_LOCAL_IN;
	return TRACE_FORWARD;
}

const char *trace_path_name(enum trace_path path)
{
	switch (path) {
	case TRACE_LOCAL_IN:
		return "local-in";
	case TRACE_LOCAL_OUT:
		return "local-out";
	default:
		return "forward";
	}
}

const char *trace_verdict_name(enum trace_verdict v)
{
	switch (v) {
	case TRACE_ACCEPT:
		return "ACCEPT";
	case TRACE_DROP:
		return "DROP";
	case TRACE_QUEUE:
		return "QUEUE";
	default:
		return "UNKNOWN";
	}
}
