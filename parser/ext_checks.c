// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What single extensions check beyond their option table: iptables'
 * x6_parse/x6_fcheck/final_check functions of one extension, the value
 * syntaxes only one extension uses, and the kernel checkentry rules that
 * need nothing but the rule itself (REJECT tcp-reset needs "-p tcp").
 * Hook and table restrictions are data in extensions.def and are checked
 * elsewhere.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/diag.h"
#include "iptlint/lint.h"
#include "parser/build.h"
#include "parser/ext_checks.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_DCCP	33
#define PROTO_ESP	50
#define PROTO_AH	51
#define PROTO_COMP	108
#define PROTO_SCTP	132
#define PROTO_UDPLITE	136

/* ------------------------------------------------------------ word lists */

/* libxt_conntrack's order (abbreviations resolve in this order). */
const char *const ext_ctstate_names[] = {
	"INVALID", "ESTABLISHED", "RELATED", "NEW", "UNTRACKED", "SNAT",
	"DNAT", NULL,
};
const char *const ext_ctstatus_names[] = {
	"NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", NULL,
};
const char *const ext_ctdir_names[] = { "ORIGINAL", "REPLY", NULL };
/* libxt_addrtype rtn_names, in the kernel's RTN_* order. */
const char *const ext_addrtype_names[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
	NULL,
};
const char *const ext_audit_types[] = { "accept", "drop", "reject", NULL };
const char *const ext_ct_events[] = {
	"new", "related", "destroy", "reply", "assured", "protoinfo",
	"helper", "mark", "natseqinfo", "secmark", NULL,
};
const char *const ext_ct_expevents[] = { "new", NULL };
const char *const ext_hmark_tuple[] = {
	"src", "dst", "sport", "dport", "spi", "ct", NULL,
};
const char *const ext_clusterip_hashmodes[] = {
	"sourceip", "sourceip-sourceport", "sourceip-sourceport-destport",
	NULL,
};
const char *const ext_sctp_match_types[] = { "all", "any", "only", NULL };
const char *const ext_pkttype_names[] = {
	"unicast", "broadcast", "multicast", "host", "otherhost", NULL,
};
const char *const ext_policy_dirs[] = { "in", "out", NULL };
const char *const ext_policy_pols[] = { "none", "ipsec", NULL };
const char *const ext_policy_modes[] = { "transport", "tunnel", NULL };
const char *const ext_string_algos[] = { "bm", "kmp", NULL };
const char *const ext_connbytes_dirs[] = {
	"original", "reply", "both", NULL,
};
const char *const ext_connbytes_modes[] = {
	"packets", "bytes", "avgpkt", NULL,
};
const char *const ext_ipvs_methods[] = { "GATE", "IPIP", "MASQ", NULL };

/* ------------------------------------------------------------ helpers */

#define SHOW_MAX	64
#define VQ		"\"%.*s%s\""
#define VA(s, len)	(int)((len) > SHOW_MAX ? SHOW_MAX : (len)), (s), \
			((len) > SHOW_MAX ? "..." : "")


static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* strcmp() of a counted string with a C string. */
static bool eq(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* strcasecmp() == 0 */
static bool eq_nocase(const char *s, size_t len, const char *name)
{
	if (strlen(name) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower(s[i]) != lower(name[i]))
			return false;
	return true;
}

/* strncasecmp(s, name, len) == 0 with len <= strlen(name): an abbreviation. */
static bool abbrev_nocase(const char *s, size_t len, const char *name)
{
	if (len > strlen(name))
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower(s[i]) != lower(name[i]))
			return false;
	return true;
}

static const char *find(const char *s, size_t len, char c)
{
	return len ? memchr(s, c, len) : NULL;
}

/*
 * Split @s at @sep like strtok() (empty pieces skipped, @skip_empty) or
 * like strsep() (every piece). Calls @fn on each; stops on a negative
 * return.
 */
typedef int (*piece_fn)(struct val_ctx *ctx, const char *p, size_t n,
			void *arg);

static int for_pieces(struct val_ctx *ctx, const char *s, size_t len,
		      const char *seps, bool skip_empty, piece_fn fn, void *arg)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && !strchr(seps, s[i]))
			continue;
		if (i > start || !skip_empty)
			if (fn(ctx, s + start, i - start, arg) < 0)
				return -1;
		start = i + 1;
	}
	return 0;
}

/* The index of the first argument word of @o in b->words, or -1. */
static int opt_word(const struct ext_check_ctx *ctx, const struct ast_opt *o)
{
	const struct build *b = ctx->b;

	if (!o->nargs)
		return -1;
	for (uint32_t i = 0; i < b->nwords; i++)
		if (b->wline == ctx->rule->loc.line &&
		    b->words[i].col == o->arg.col)
			return (int)i;
	return -1;
}

/* The @k-th argument word (0-based) of @o; false when there is none. */
static bool opt_arg(const struct ext_check_ctx *ctx, const struct ast_opt *o,
		    unsigned int k, const char **s, size_t *len)
{
	int w = opt_word(ctx, o);

	if (w < 0 || k >= o->nargs || (uint32_t)w + k >= ctx->b->nwords)
		return false;
	*s = ctx->b->words[w + k].s;
	*len = ctx->b->words[w + k].len;
	return true;
}

/* The rule's -p option, or NULL. */
static const struct ast_opt *proto_opt(const struct ext_check_ctx *ctx)
{
	const struct ast_match *base = &ctx->rule->matches[0];
	const struct ast_opt *o = ast_match_opts(ctx->rule, base);
	uint32_t n = ast_match_nopts(ctx->rule, base);

	for (uint32_t k = 0; k < n; k++)
		if (ast_opt_id(&o[k]) == OPT_ip_PROTOCOL)
			return &o[k];
	return NULL;
}

/* -p @proto without "!". */
static bool proto_is(const struct ext_check_ctx *ctx, unsigned int proto)
{
	return ctx->proto == proto && !ctx->proto_inv && proto_opt(ctx);
}

const struct ast_opt *ext_ctx_opt(const struct ext_check_ctx *ctx,
				  enum opt_id id)
{
	for (uint32_t k = 0; k < ctx->nopts; k++)
		if (ast_opt_id(&ctx->opts[k]) == id)
			return &ctx->opts[k];
	return NULL;
}

void ext_ctx_report(struct ext_check_ctx *ctx, enum check_id check,
		    const struct ast_opt *at, const char *fmt, ...)
{
	struct loc l = at ? ast_opt_loc(ctx->rule, at)
			  : loc_from_span(&ctx->rule->loc, ctx->m->span);
	va_list ap;

	if (check_table[check].severity == SEV_ERROR) {
		ctx->rule->bad = true;
		ctx->rule->table->nerrors++;
	}
	va_start(ap, fmt);
	diag_vreport(&ctx->b->lint->diags, check, &l, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ restrictions */

static bool match_has(const struct ast_rule *r, const struct ast_match *m,
		      enum opt_id id, const struct ast_opt **o)
{
	const struct ast_opt *opts = ast_match_opts(r, m);
	uint32_t n = ast_match_nopts(r, m);

	for (uint32_t k = 0; k < n; k++)
		if (ast_opt_id(&opts[k]) == id) {
			if (o)
				*o = &opts[k];
			return true;
		}
	return false;
}

unsigned int ext_instance_check_hooks(const struct ast_rule *r,
				      const struct ast_match *m)
{
	const unsigned int in = HOOK(HOOK_PREROUTING) | HOOK(HOOK_INPUT) |
				HOOK(HOOK_FORWARD);
	const unsigned int out = HOOK(HOOK_FORWARD) | HOOK(HOOK_OUTPUT) |
				 HOOK(HOOK_POSTROUTING);
	unsigned int hooks = HOOK_ANY;
	const struct ast_opt *o = NULL;

	if (!ast_match_ext(m))
		return 0;
	switch (m->ext_id) {
	case EXT_ID_TCPMSS:
		if (match_has(r, m, OPT_TCPMSS_CLAMP_MSS_TO_PMTU, NULL))
			hooks &= out;
		break;
	case EXT_ID_addrtype:
		if (match_has(r, m, OPT_addrtype_LIMIT_IFACE_IN, NULL))
			hooks &= in;
		if (match_has(r, m, OPT_addrtype_LIMIT_IFACE_OUT, NULL))
			hooks &= out;
		break;
	case EXT_ID_devgroup:
		if (match_has(r, m, OPT_devgroup_SRC_GROUP, NULL))
			hooks &= in;
		if (match_has(r, m, OPT_devgroup_DST_GROUP, NULL))
			hooks &= out;
		break;
	case EXT_ID_policy:
		if (match_has(r, m, OPT_policy_DIR, &o) && o->kind == VAL_CHOICE)
			hooks &= o->v.u == 0 ? in : out;
		break;
	case EXT_ID_physdev:
		if ((match_has(r, m, OPT_physdev_PHYSDEV_OUT, NULL) ||
		     match_has(r, m, OPT_physdev_PHYSDEV_IS_OUT, NULL)) &&
		    (!match_has(r, m, OPT_physdev_PHYSDEV_IS_BRIDGED, &o) || o->invert))
			hooks &= ~HOOK(HOOK_OUTPUT);
		break;
	case EXT_ID_SET:
		if (match_has(r, m, OPT_SET_MAP_SET, NULL) &&
		    (match_has(r, m, OPT_SET_MAP_PRIO, NULL) ||
		     match_has(r, m, OPT_SET_MAP_QUEUE, NULL)))
			hooks &= out;
		break;
	default:
		break;
	}
	return hooks == HOOK_ANY ? 0 : hooks;
}

unsigned int ext_instance_check_tables(const struct ast_rule *r,
				       const struct ast_match *m)
{
	if (m->ext_id == EXT_ID_SET &&
	    match_has(r, m, OPT_SET_MAP_SET, NULL))
		return TBL(TABLE_MANGLE);
	return 0;
}

/* ------------------------------------------------------------ parsers */

int ext_parse_tcp_ports(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	struct val_ctx c = *ctx;

	/* libxt_tcp parse_tcp_ports(): xtables_parse_port(p, "tcp"). */
	c.proto = PROTO_TCP;
	return val_parse_proto_port_range(&c, s, len, out);
}

int ext_parse_sctp_ports(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	struct val_ctx c = *ctx;

	c.proto = PROTO_SCTP;
	return val_parse_proto_port_range(&c, s, len, out);
}

static const struct {
	const char *name;
	uint8_t bits;
} tcp_flag_names[] = {
	{ "FIN", 0x01 }, { "SYN", 0x02 }, { "RST", 0x04 }, { "PSH", 0x08 },
	{ "ACK", 0x10 }, { "URG", 0x20 }, { "ALL", 0x3f }, { "NONE", 0 },
};

static int tcp_flag_piece(struct val_ctx *ctx, const char *p, size_t n,
			  void *arg)
{
	uint32_t *bits = arg;

	for (size_t i = 0; i < ARRAY_LEN(tcp_flag_names); i++)
		if (eq_nocase(p, n, tcp_flag_names[i].name)) {
			*bits |= tcp_flag_names[i].bits;
			return 0;
		}
	return val_fail(ctx, "unknown TCP flag " VQ " (FIN, SYN, RST, PSH, ACK, URG, ALL, NONE)",
		     VA(p, n));
}

int ext_parse_tcp_flags(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	uint32_t bits = 0;

	/* libxt_tcp parse_tcp_flag(): strtok(","), names in any case. */
	if (for_pieces(ctx, s, len, ",", true, tcp_flag_piece, &bits) < 0)
		return -1;
	out->flags.mask = bits;
	out->flags.cmp = 0;
	return VAL_TCPFLAGS;
}

static int dccp_type_piece(struct val_ctx *ctx, const char *p, size_t n,
			   void *arg)
{
	static const char *const types[] = {
		"REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ",
		"CLOSE", "RESET", "SYNC", "SYNCACK", "INVALID",
	};
	uint64_t *bits = arg;

	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (eq_nocase(p, n, types[i])) {
			*bits |= 1u << i;
			return 0;
		}
	return val_fail(ctx, "unknown DCCP type " VQ, VA(p, n));
}

int ext_parse_dccp_types(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	uint64_t bits = 0;

	if (for_pieces(ctx, s, len, ",", true, dccp_type_piece, &bits) < 0)
		return -1;
	out->u = bits;
	return VAL_BITS;
}

/* sscanf("%x") of a counted string: white space, a sign, "0x", hex digits. */
static bool scan_hex(const char *s, size_t len, size_t *pos, uint64_t *v)
{
	size_t i = *pos, start;

	while (i < len && is_space(s[i]))
		i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i + 1 < len && s[i] == '0' && lower(s[i + 1]) == 'x' &&
	    i + 2 < len && is_xdigit(s[i + 2]))
		i += 2;
	*v = 0;
	for (start = i; i < len && is_xdigit(s[i]); i++)
		*v = *v * 16 + (uint64_t)(is_digit(s[i]) ? s[i] - '0' :
					  lower(s[i]) - 'a' + 10);
	*pos = i;
	return i > start;
}

int ext_parse_tc_class(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	uint64_t major, minor;
	size_t pos = 0;

	/* libxt_CLASSIFY: sscanf(arg, "%x:%x") == 2; the rest is ignored. */
	if (!scan_hex(s, len, &pos, &major) || pos >= len || s[pos] != ':')
		goto bad;
	pos++;
	if (!scan_hex(s, len, &pos, &minor))
		goto bad;
	out->u = (major & 0xffff) << 16 | (minor & 0xffff);
	return VAL_UINT;
bad:
	return val_fail(ctx, "bad class " VQ " (major:minor in hex, e.g. 1:10)",
		     VA(s, len));
}

int ext_parse_ct_zone(struct val_ctx *ctx, const char *s, size_t len,
		      union val *out)
{
	uint64_t v;

	/* libxt_CT: "mark", or xtables_strtoui(0, UINT16_MAX). */
	if (eq_nocase(s, len, "mark")) {
		out->u = UINT64_MAX;
		return VAL_UINT;
	}
	if (!val_strtoul(s, len, 0, 65535, &v, NULL))
		return val_fail(ctx, "bad zone " VQ " (0-65535 or \"mark\")",
			     VA(s, len));
	out->u = v;
	return VAL_UINT;
}

int ext_parse_led_delay(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	uint64_t v;

	/* libxt_LED: "inf..." (any case), or 0..UINT32_MAX milliseconds. */
	if (len >= 3 && abbrev_nocase(s, 3, "inf")) {
		out->u = UINT32_MAX;
		return VAL_UINT;
	}
	if (!val_strtoul(s, len, 0, UINT32_MAX, &v, NULL))
		return val_fail(ctx, "bad delay " VQ " (milliseconds or \"inf\")",
			     VA(s, len));
	out->u = v;
	return VAL_UINT;
}

int ext_parse_log_prefix(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	/*
	 * XTTYPE_STRING with .min = 1 and XTOPT_PUT: an empty prefix is
	 * refused, a long one is cut to the kernel's size without a word.
	 */
	if (len < ctx->min)
		return val_fail(ctx, "empty prefix");
	if (find(s, len, '\n'))
		return val_fail(ctx, "newlines are not allowed in a log prefix");
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

struct reject_name {
	const char *name, *alias;
};

/* libipt_REJECT / libip6t_REJECT reject_table, in their order. */
static const struct reject_name reject4[] = {
	{ "icmp-net-unreachable", "net-unreach" },
	{ "icmp-host-unreachable", "host-unreach" },
	{ "icmp-proto-unreachable", "proto-unreach" },
	{ "icmp-port-unreachable", "port-unreach" },
	{ "icmp-net-prohibited", "net-prohib" },
	{ "icmp-host-prohibited", "host-prohib" },
	{ "tcp-reset", "tcp-rst" },
	{ "icmp-admin-prohibited", "admin-prohib" },
};

static const struct reject_name reject6[] = {
	{ "icmp6-no-route", "no-route" },
	{ "icmp6-adm-prohibited", "adm-prohibited" },
	{ "icmp6-addr-unreachable", "addr-unreach" },
	{ "icmp6-port-unreachable", "port-unreach" },
	{ "tcp-reset", "tcp-rst" },
	{ "icmp6-policy-fail", "policy-fail" },
	{ "icmp6-reject-route", "reject-route" },
};

/* Index of the reject type @s abbreviates, or -1. */
static int reject_lookup(const struct reject_name *t, size_t n,
			 const char *s, size_t len)
{
	/* strncasecmp(name, arg, strlen(arg)) on both spellings; first wins. */
	for (size_t i = 0; i < n; i++)
		if (abbrev_nocase(s, len, t[i].name) ||
		    abbrev_nocase(s, len, t[i].alias))
			return (int)i;
	return -1;
}

int ext_parse_reject_with(struct val_ctx *ctx, const char *s, size_t len,
			  union val *out)
{
	int k4 = ctx->family != VAL_FAM_V6 ?
		 reject_lookup(reject4, ARRAY_LEN(reject4), s, len) : -1;
	int k6 = ctx->family != VAL_FAM_V4 ?
		 reject_lookup(reject6, ARRAY_LEN(reject6), s, len) : -1;
	const char *name;

	if (len == 0 || (k4 < 0 && k6 < 0))
		return val_fail(ctx, "unknown reject type " VQ "%s", VA(s, len),
			     ctx->family == VAL_FAM_V6 ?
			     " (icmp6-no-route, icmp6-adm-prohibited, icmp6-addr-unreachable, icmp6-port-unreachable, tcp-reset, ...)" :
			     ctx->family == VAL_FAM_V4 ?
			     " (icmp-net-unreachable, icmp-host-unreachable, icmp-port-unreachable, icmp-host-prohibited, icmp-admin-prohibited, tcp-reset, ...)" :
			     "");
	name = k4 >= 0 ? reject4[k4].name : reject6[k6].name;
	out->str.s = name;
	out->str.len = (uint32_t)strlen(name);
	return VAL_STR;
}

int ext_parse_rateest_time(struct val_ctx *ctx, const char *s, size_t len,
			   union val *out)
{
	static const char *const units[] = {
		"", "s", "sec", "secs", "ms", "msec", "msecs", "us", "usec",
		"usecs",
	};
	size_t stop;
	double d;

	/* libxt_RATEEST RATEEST_get_time(): strtod() and a unit. */
	if (!val_strtod(s, len, &d, &stop))
		goto bad;
	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (eq_nocase(s + stop, len - stop, units[i])) {
			out->u = (uint64_t)(d < 0 ? 0 : d * 1000000.0 /
					    (i >= 7 ? 1000000.0 : i >= 4 ? 1000.0 : 1.0));
			return VAL_UINT;
		}
bad:
	return val_fail(ctx, "bad time " VQ " (a number with s, ms or us)",
		     VA(s, len));
}

int ext_parse_rateest_rate(struct val_ctx *ctx, const char *s, size_t len,
			   union val *out)
{
	static const char *const units[] = {
		"", "bit", "kbit", "mbit", "gbit", "tbit", "bps", "kbps",
		"mbps", "gbps", "tbps", "kibit", "mibit", "gibit", "tibit",
		"kibps", "mibps", "gibps", "tibps",
	};
	size_t stop;
	double d;

	/* xtables' tc-style rate: a number and a unit, any case. */
	if (!val_strtod(s, len, &d, &stop) || d < 0)
		goto bad;
	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (eq_nocase(s + stop, len - stop, units[i])) {
			out->u = (uint64_t)d;
			return VAL_UINT;
		}
bad:
	return val_fail(ctx, "bad rate " VQ " (e.g. 8bit, 5kbit, 1mbps)", VA(s, len));
}

static int tcpopt_piece(struct val_ctx *ctx, const char *p, size_t n,
			void *arg)
{
	static const char *const names[] = {
		"wscale", "mss", "sack-permitted", "sack", "timestamp", "md5",
	};
	uint64_t v;

	(void)arg;
	/* libxt_TCPOPTSTRIP parse_list(): a name (exact) or 0..255. */
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (eq(p, n, names[i]))
			return 0;
	if (!val_strtoul(p, n, 0, 255, &v, NULL))
		return val_fail(ctx, "bad TCP option " VQ " (a name or 2-255)",
			     VA(p, n));
	if (v < 2)
		return val_fail(ctx, "TCP option %" PRIu64 " (end of list / no-op) cannot be stripped",
			     v);
	return 0;
}

int ext_parse_tcpopts(struct val_ctx *ctx, const char *s, size_t len,
		      union val *out)
{
	if (for_pieces(ctx, s, len, ",", false, tcpopt_piece, NULL) < 0)
		return -1;
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

/* atoll(): white space, a sign, decimal digits; the rest is ignored. */
static int64_t c_atoll(const char *s, size_t len)
{
	bool neg;
	uint64_t v = val_strtoull(s, len, 10, NULL, &neg);

	return (int64_t)v;
}

#define HASHLIMIT_SCALE_V2	1000000ull
#define HASHLIMIT_BYTE_SHIFT	4

/* libxt_hashlimit bytes_to_cost(). */
static uint64_t hl_bytes_to_cost(uint64_t bytes)
{
	uint32_t r = (uint32_t)(bytes >> HASHLIMIT_BYTE_SHIFT);

	return r == UINT32_MAX ? 0 : UINT32_MAX / (r + 1);
}

/* libxt_hashlimit cost_to_bytes(). */
static uint64_t hl_cost_to_bytes(uint64_t cost)
{
	uint64_t r = cost ? UINT32_MAX / cost : UINT32_MAX;

	return (r - 1) << HASHLIMIT_BYTE_SHIFT;
}

static const char *find_str(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

static uint64_t hl_factor(char c)
{
	return c == 'm' ? 1024 * 1024 : c == 'k' ? 1024 : 1;
}

/* Is @s a byte rate ("Nb/s", "Nkb/s", "Nmb/s") as parse_bytes() sees it? */
static bool hl_is_bytes(const char *s, size_t len)
{
	const char *m = find_str(s, len, "b/s");

	return m && m != s && c_atoll(s, len) != 0;
}

int ext_parse_hashlimit_rate(struct val_ctx *ctx, const char *s, size_t len,
			     union val *out)
{
	static const struct { const char *unit; uint64_t secs; } units[] = {
		{ "second", 1 }, { "minute", 60 }, { "hour", 3600 },
		{ "day", 86400 },
	};
	const char *slash;
	uint64_t mult = 1, r, cost;

	/* parse_bytes(): "N[k|m]b/s". */
	if (hl_is_bytes(s, len)) {
		const char *m = find_str(s, len, "b/s");

		r = (uint64_t)c_atoll(s, len);
		cost = hl_bytes_to_cost(r * hl_factor(m[-1]));
		if (cost == 0)
			return val_fail(ctx, "rate " VQ " is too high", VA(s, len));
		out->u = cost;
		return VAL_UINT;
	}
	/* parse_rate(): "N[/unit]", the unit abbreviated in any case. */
	slash = find(s, len, '/');
	if (slash) {
		const char *u = slash + 1;
		size_t ulen = len - (size_t)(u - s);
		size_t i;

		for (i = 0; i < ARRAY_LEN(units); i++)
			if (ulen && abbrev_nocase(u, ulen, units[i].unit))
				break;
		if (i == ARRAY_LEN(units))
			goto bad;
		mult = units[i].secs;
	}
	r = (uint64_t)c_atoll(s, len);
	if (r == 0)
		goto bad;
	cost = HASHLIMIT_SCALE_V2 * mult / r;
	if (cost == 0)
		return val_fail(ctx, "rate " VQ " is too fast (at most 1000000/second)",
			     VA(s, len));
	out->u = cost;
	return VAL_UINT;
bad:
	return val_fail(ctx, "bad rate " VQ " (N[/second|/minute|/hour|/day] or N[k|m]b/s)",
		     VA(s, len));
}

int ext_parse_hashlimit_burst(struct val_ctx *ctx, const char *s, size_t len,
			      union val *out)
{
	uint64_t v;
	size_t end;

	/* parse_burst(): a number >= 1; alone at most 1000000, else a k/m factor. */
	if (!val_strtoul(s, len, 1, UINT64_MAX, &v, &end) ||
	    (end == len && v > 1000000))
		return val_fail(ctx, "bad burst " VQ " (1-1000000, or a byte count with k/m)",
			     VA(s, len));
	if (end < len) {
		uint64_t f = hl_factor(s[end]);

		v = v > UINT64_MAX / f ? UINT64_MAX : v * f;
	}
	out->u = v;
	return VAL_UINT;
}

static int hl_mode_piece(struct val_ctx *ctx, const char *p, size_t n,
			 void *arg)
{
	static const char *const modes[] = {
		"dstip", "srcip", "srcport", "dstport",
	};

	(void)arg;
	for (size_t i = 0; i < ARRAY_LEN(modes); i++)
		if (eq(p, n, modes[i]))
			return 0;
	return val_fail(ctx, "unknown mode " VQ " (srcip, srcport, dstip, dstport)",
		     VA(p, n));
}

int ext_parse_hashlimit_mode(struct val_ctx *ctx, const char *s, size_t len,
			     union val *out)
{
	/* parse_mode(): strtok(",|"), exact names. */
	if (for_pieces(ctx, s, len, ",|", true, hl_mode_piece, NULL) < 0)
		return -1;
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

int ext_parse_positive_int(struct val_ctx *ctx, const char *s, size_t len,
			   union val *out)
{
	int64_t v = c_atoll(s, len);

	/* atoi() > 0 */
	if ((int32_t)v <= 0)
		return val_fail(ctx, VQ " is not a positive number", VA(s, len));
	out->u = (uint64_t)(int32_t)v;
	return VAL_UINT;
}

int ext_parse_recent_name(struct val_ctx *ctx, const char *s, size_t len,
			  union val *out)
{
	/* xt_recent checkentry: the name may not be empty (it is cut to 199). */
	if (len == 0)
		return val_fail(ctx, "the list name may not be empty");
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

int ext_parse_statistic_mode(struct val_ctx *ctx, const char *s, size_t len,
			     union val *out)
{
	if (eq(s, len, "random") || eq(s, len, "nth")) {
		out->u = eq(s, len, "nth");
		return VAL_CHOICE;
	}
	return val_fail(ctx, "bad mode " VQ " (random or nth, lower case)",
		     VA(s, len));
}

int ext_parse_hex_string(struct val_ctx *ctx, const char *s, size_t len,
			 union val *out)
{
	size_t i = 0, n = 0;
	bool hex = false, literal = false;

	/* libxt_string parse_hex_string(): text with |hex| blocks and \ escapes. */
	if (len == 0)
		return val_fail(ctx, "the pattern must contain at least one character");
	while (i < len) {
		if (s[i] == '\\' && !hex) {
			literal = true;
		} else if (s[i] == '\\') {
			return val_fail(ctx, VQ ": '\\' inside a |hex| block", VA(s, len));
		} else if (s[i] == '|') {
			hex = !hex;
			if (hex)
				while (i + 1 < len && s[i + 1] == ' ')
					i++;
			if (i + 1 >= len)
				break;
			i++;
			continue;
		}
		if (literal) {
			if (i + 1 >= len)
				return val_fail(ctx, VQ ": '\\' at the end", VA(s, len));
			i += 2;
			literal = false;
		} else if (hex) {
			if (i + 1 >= len)
				return val_fail(ctx, VQ ": odd number of hex digits", VA(s, len));
			if (i + 2 >= len)
				return val_fail(ctx, VQ ": a |hex| block must end with '|'",
					     VA(s, len));
			if (!is_xdigit(s[i]) || !is_xdigit(s[i + 1]))
				return val_fail(ctx, VQ ": invalid hex digit '%c'", VA(s, len),
					     is_xdigit(s[i]) ? s[i + 1] : s[i]);
			i += s[i + 2] == ' ' ? 3 : 2;
		} else {
			i++;
		}
		if (n > 128)
			return val_fail(ctx, "pattern " VQ " is longer than 128 bytes", VA(s, len));
		n++;
	}
	if (n > 128)
		return val_fail(ctx, "pattern " VQ " is longer than 128 bytes", VA(s, len));
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

#define U32_MAXSIZE	10

/* parse_number() of libxt_u32: xtables_strtoui(base 0, 32 bits). */
static bool u32_number(const char *s, size_t len, size_t *pos)
{
	uint64_t v;
	size_t end;

	if (!val_strtoul(s + *pos, len - *pos, 0, UINT32_MAX, &v, &end) ||
	    end == 0)
		return false;
	*pos += end;
	return true;
}

int ext_parse_u32(struct val_ctx *ctx, const char *s, size_t len,
		  union val *out)
{
	unsigned int tests = 0, locs = 0, vals = 0;
	bool values = false;
	size_t i = 0;

	/*
	 * libxt_u32 u32_parse():
	 *   tests := location "=" value | tests "&&" location "=" value
	 *   value := range | value "," range;  range := number [":" number]
	 *   location := number | location ("&" | "<<" | ">>" | "@") number
	 * at most 10 tests, 10 numbers per location, 10 ranges per value.
	 */
	for (;;) {
		while (i < len && is_space(s[i]))
			i++;
		if (i == len) {
			if (!values)
				return val_fail(ctx, "u32: the input ends inside a location");
			if (vals == 0)
				return val_fail(ctx, "u32: a test ends without a value");
			if (++tests > U32_MAXSIZE)
				return val_fail(ctx, "u32: more than %d tests", U32_MAXSIZE);
			break;
		}
		if (!values) {
			if (s[i] == '=') {
				if (locs == 0)
					return val_fail(ctx, "u32: at char %zu: location missing", i);
				i++;
				values = true;
				continue;
			}
			if (locs) {
				if ((s[i] == '<' || s[i] == '>') &&
				    (i + 1 >= len || s[i + 1] != s[i]))
					return val_fail(ctx, "u32: at char %zu: a second '%c' was expected",
						     i + 1, s[i]);
				if (s[i] == '<' || s[i] == '>')
					i++;
				else if (s[i] != '&' && s[i] != '@')
					return val_fail(ctx, "u32: at char %zu: operator expected", i);
				i++;
			}
			if (!u32_number(s, len, &i))
				return val_fail(ctx, "u32: at char %zu: not a number or out of range", i);
			if (++locs > U32_MAXSIZE)
				return val_fail(ctx, "u32: at char %zu: too many operators", i);
			continue;
		}
		if (s[i] == '&') {
			if (i + 1 >= len || s[i + 1] != '&')
				return val_fail(ctx, "u32: at char %zu: a second '&' was expected",
					     i + 1);
			if (vals == 0)
				return val_fail(ctx, "u32: at char %zu: value missing", i);
			if (++tests >= U32_MAXSIZE + 1)
				return val_fail(ctx, "u32: more than %d tests", U32_MAXSIZE);
			i += 2;
			values = false;
			locs = vals = 0;
			continue;
		}
		if (vals) {
			if (s[i] != ',')
				return val_fail(ctx, "u32: at char %zu: expected \",\" or \"&&\"", i);
			i++;
		}
		if (!u32_number(s, len, &i))
			return val_fail(ctx, "u32: at char %zu: not a number or out of range", i);
		while (i < len && is_space(s[i]))
			i++;
		if (i < len && s[i] == ':') {
			i++;
			if (!u32_number(s, len, &i))
				return val_fail(ctx, "u32: at char %zu: not a number or out of range", i);
		}
		if (++vals > U32_MAXSIZE)
			return val_fail(ctx, "u32: at char %zu: too many \",\"s", i);
	}
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

int ext_parse_policy_proto(struct val_ctx *ctx, const char *s, size_t len,
			   union val *out)
{
	int kind = val_parse_proto_exact(ctx, s, len, out);

	if (kind < 0)
		return kind;
	if (out->u != PROTO_AH && out->u != PROTO_ESP &&
	    out->u != PROTO_COMP)
		return val_fail(ctx, "protocol " VQ ": the policy protocol must be ah, esp or ipcomp",
			     VA(s, len));
	return kind;
}

int ext_parse_bpf_bytecode(struct val_ctx *ctx, const char *s, size_t len,
			   union val *out)
{
	uint64_t n, v;
	size_t pos = 0, end;
	unsigned int count = 0;

	/* libxt_bpf bpf_parse_string(): "N,code jt jf k,code jt jf k,...". */
	n = val_strtoull(s, len, 10, &end, NULL);
	if (end == 0 || end >= len || s[end] != ',' || n > 65535)
		return val_fail(ctx, "bpf: cannot read the program length in " VQ,
			     VA(s, len));
	if (n == 0)
		return val_fail(ctx, "bpf: a program cannot be empty");
	if (n > 64)
		return val_fail(ctx, "bpf: more than 64 instructions");
	pos = end;
	while (pos < len && s[pos] == ',' && pos + 1 < len) {
		pos++;
		if (++count > n)
			return val_fail(ctx, "bpf: more instructions than the length %" PRIu64 " says",
				     n);
		for (int k = 0; k < 4; k++) {
			v = val_strtoull(s + pos, len - pos, 10, &end, NULL);
			if (end == 0)
				return val_fail(ctx, "bpf: error at instruction %u", count);
			pos += end;
		}
		(void)v;
		while (pos < len && s[pos] != ',')
			pos++;
	}
	if (count != n)
		return val_fail(ctx, "bpf: fewer instructions (%u) than the length %" PRIu64 " says",
			     count, n);
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

int ext_parse_connlabel(struct val_ctx *ctx, const char *s, size_t len,
			union val *out)
{
	size_t end;
	uint64_t v;

	/*
	 * A bit number (strtoul base 0), else a name of connlabel.conf,
	 * which is the loading machine's business. The kernel keeps 128 bits.
	 */
	v = val_strtoull(s, len, 0, &end, NULL);
	if (len && end == len) {
		if (v > 127)
			return val_fail(ctx, "label bit %.*s is out of range 0-127",
				     (int)len, s);
		out->u = v;
		return VAL_UINT;
	}
	if (len == 0)
		return val_fail(ctx, "empty label");
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

int ext_parse_group(struct val_ctx *ctx, const char *s, size_t len,
		    union val *out)
{
	uint64_t v;
	size_t end;

	/*
	 * xtables_parse_val_mask() with a name map (/etc/iproute2/group or
	 * rt_realms of the loading machine): numbers as val_parse_mark,
	 * names taken on trust.
	 */
	if (val_strtoul(s, len, 0, UINT64_MAX, &v, &end))
		return val_parse_mark(ctx, s, len, out);
	if (len == 0)
		return val_fail(ctx, "empty value");
	/* The whole text is looked up as a name: no mask after a name. */
	if (find(s, len, '/'))
		return val_fail(ctx, VQ ": a name cannot take a mask (value[/mask] or name)",
			     VA(s, len));
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

static int ip6opt_piece(struct val_ctx *ctx, const char *p, size_t n,
			void *arg)
{
	const char *colon = find(p, n, ':');
	size_t tlen = colon ? (size_t)(colon - p) : n, end;
	unsigned int *count = arg;

	/*
	 * libip6t_dst/hbh parse_options(): "type[:length]", each strtoul
	 * base 0 with nothing after it.
	 */
	val_strtoull(p, tlen, 0, &end, NULL);
	if (end == 0)
		return val_fail(ctx, "no number in option " VQ, VA(p, n));
	if (end != tlen)
		return val_fail(ctx, "cannot read option " VQ, VA(p, n));
	if (colon) {
		size_t llen = n - tlen - 1;

		val_strtoull(colon + 1, llen, 0, &end, NULL);
		if (end == 0)
			return val_fail(ctx, "no number in the length of " VQ, VA(p, n));
		if (end != llen)
			return val_fail(ctx, "cannot read the length of " VQ, VA(p, n));
	}
	if (++*count > 16)
		return val_fail(ctx, "more than 16 options");
	return 0;
}

int ext_parse_ip6_opts(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	unsigned int count = 0;

	if (for_pieces(ctx, s, len, ",", false, ip6opt_piece, &count) < 0)
		return -1;
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

static int ip6hdr_piece(struct val_ctx *ctx, const char *p, size_t n,
			void *arg)
{
	static const int known[] = { 0, 60, 43, 44, 51, 50, 59, 255 };
	static const struct { const char *name; int proto; } names[] = {
		{ "hop-by-hop", 0 }, { "protocol", 255 }, { "hop", 0 },
		{ "dst", 60 }, { "route", 43 }, { "frag", 44 }, { "auth", 51 },
		{ "esp", 50 }, { "none", 59 }, { "prot", 255 },
	};
	uint64_t v;
	int proto = -1;

	(void)arg;
	/* libip6t_ipv6header: a number, a protocol name, or its own names. */
	if (val_strtoul(p, n, 0, 255, &v, NULL))
		proto = (int)v;
	else
		proto = val_table_proto(p, n);
	for (size_t i = 0; proto < 0 && i < ARRAY_LEN(names); i++)
		if (eq(p, n, names[i].name))
			proto = names[i].proto;
	for (size_t i = 0; proto >= 0 && i < ARRAY_LEN(known); i++)
		if (known[i] == proto)
			return 0;
	return val_fail(ctx, "unknown header " VQ " (hop, dst, route, frag, auth, esp, none, prot)",
		     VA(p, n));
}

int ext_parse_ip6_headers(struct val_ctx *ctx, const char *s, size_t len,
			  union val *out)
{
	if (for_pieces(ctx, s, len, ",", true, ip6hdr_piece, NULL) < 0)
		return -1;
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

/* libip6t_mh name_to_type(): an abbreviation of a name (exact wins), or 0-255. */
static int mh_type(const char *s, size_t len)
{
	static const struct { const char *name; int type; } names[] = {
		{ "binding-refresh-request", 0 }, { "brr", 0 },
		{ "home-test-init", 1 }, { "hoti", 1 },
		{ "careof-test-init", 2 }, { "coti", 2 },
		{ "home-test", 3 }, { "hot", 3 },
		{ "careof-test", 4 }, { "cot", 4 },
		{ "binding-update", 5 }, { "bu", 5 },
		{ "binding-acknowledgement", 6 }, { "ba", 6 },
		{ "binding-error", 7 }, { "be", 7 },
	};
	int match = -1;
	uint64_t v;

	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (abbrev_nocase(s, len, names[i].name) &&
		    (match < 0 || strlen(names[i].name) == len))
			match = names[i].type;
	if (match >= 0)
		return match;
	if (val_strtoul(s, len, 0, 255, &v, NULL))
		return (int)v;
	return -1;
}

int ext_parse_mh_type(struct val_ctx *ctx, const char *s, size_t len,
		      union val *out)
{
	const char *c = find(s, len, ':');
	int lo, hi;

	if (!c) {
		lo = hi = mh_type(s, len);
	} else {
		lo = c > s ? mh_type(s, (size_t)(c - s)) : 0;
		hi = c + 1 < s + len ? mh_type(c + 1, len - (size_t)(c + 1 - s)) : 255;
	}
	if (lo < 0 || hi < 0)
		return val_fail(ctx, "invalid MH type " VQ, VA(s, len));
	if (lo > hi)
		return val_fail(ctx, "invalid MH type range " VQ " (min > max)", VA(s, len));
	out->range.lo = (uint32_t)lo;
	out->range.hi = (uint32_t)hi;
	return VAL_RANGE;
}

static int rt_addr_piece(struct val_ctx *ctx, const char *p, size_t n,
			 void *arg)
{
	struct val_ctx c = *ctx;
	unsigned int *count = arg;
	union val v;

	c.family = VAL_FAM_V6;
	if (val_parse_addr(&c, p, n, &v) < 0)
		return -1;
	if (++*count > 16)
		return val_fail(ctx, "more than 16 addresses");
	return 0;
}

int ext_parse_rt_addrs(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	unsigned int count = 0;

	if (for_pieces(ctx, s, len, ",", false, rt_addr_piece, &count) < 0)
		return -1;
	out->str.s = s;
	out->str.len = (uint32_t)len;
	return VAL_STR;
}

/* sscanf(s, "%llu") succeeds: white space, a sign, then a digit. */
static bool scanf_ull(const char *s, size_t len, uint64_t *v)
{
	size_t end;

	*v = val_strtoull(s, len, 10, &end, NULL);
	return end > 0;
}

int ext_parse_counters(struct val_ctx *ctx, const char *s, size_t len,
		       union val *out)
{
	const char *comma = len > 1 ? find(s + 1, len - 1, ',') : NULL;
	uint64_t pkts, bytes = 0;

	/*
	 * xshared.c "-c": the packet counter, then the byte counter after the
	 * first ',' past the first character, else in the next word (which a
	 * value parser cannot see). Each is read by sscanf("%llu").
	 */
	if (!scanf_ull(s, len, &pkts))
		return val_fail(ctx, "packet counter " VQ " is not numeric (-c packets,bytes)",
			     VA(s, len));
	if (comma && !scanf_ull(comma + 1, len - (size_t)(comma + 1 - s), &bytes))
		return val_fail(ctx, "byte counter " VQ " is not numeric (-c packets,bytes)",
			     VA(comma + 1, len - (size_t)(comma + 1 - s)));
	out->counters.pkts = pkts;
	out->counters.bytes = bytes;
	return VAL_COUNTERS;
}

/* ------------------------------------------------------------ targets */

/* --mask/--nfmask/--ctmask only make sense with --save-mark/--restore-mark. */
void ext_check_CONNMARK(struct ext_check_ctx *ctx)
{
	static const enum opt_id masks[] = {
		OPT_CONNMARK_MASK, OPT_CONNMARK_NFMASK, OPT_CONNMARK_CTMASK,
	};
	bool save_restore = ext_ctx_opt(ctx, OPT_CONNMARK_SAVE_MARK) ||
			    ext_ctx_opt(ctx, OPT_CONNMARK_RESTORE_MARK);

	for (size_t i = 0; i < ARRAY_LEN(masks); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, masks[i]);

		if (o && !save_restore)
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "CONNMARK --%s needs --save-mark or --restore-mark",
				       ast_opt_def(o)->name);
	}
}

/* xt_CT checkentry: a helper or timeout policy belongs to one L4 protocol. */
void ext_check_CT(struct ext_check_ctx *ctx)
{
	static const enum opt_id need_proto[] = { OPT_CT_HELPER, OPT_CT_TIMEOUT };

	if (ext_ctx_opt(ctx, OPT_CT_NOTRACK))
		return;
	for (size_t i = 0; i < ARRAY_LEN(need_proto); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, need_proto[i]);

		if (o && (!proto_opt(ctx) || ctx->proto == 0 || ctx->proto_inv))
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "CT --%s needs \"-p PROTO\" without \"!\" (the kernel refuses the rule otherwise)",
				       ast_opt_def(o)->name);
	}
}

/* ipt_ECN checkentry: changing the TCP bits needs -p tcp without "!". */
void ext_check_ECN(struct ext_check_ctx *ctx)
{
	static const enum opt_id tcp_ops[] = {
		OPT_ECN_ECN_TCP_REMOVE, OPT_ECN_ECN_TCP_CWR, OPT_ECN_ECN_TCP_ECE,
	};

	for (size_t i = 0; i < ARRAY_LEN(tcp_ops); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, tcp_ops[i]);

		if (o && !proto_is(ctx, PROTO_TCP)) {
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "ECN --%s only works with \"-p tcp\" (the kernel refuses the rule otherwise)",
				       ast_opt_def(o)->name);
			return;
		}
	}
}

/* libxt_HMARK hmark_check(): SPI and port masks/values do not mix. */
void ext_check_HMARK(struct ext_check_ctx *ctx)
{
	const struct ast_opt *spim = ext_ctx_opt(ctx, OPT_HMARK_HMARK_SPI_MASK);
	const struct ast_opt *spi = ext_ctx_opt(ctx, OPT_HMARK_HMARK_SPI);

	if (spim && (ext_ctx_opt(ctx, OPT_HMARK_HMARK_SPORT_MASK) ||
		     ext_ctx_opt(ctx, OPT_HMARK_HMARK_DPORT_MASK)))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, spim,
			       "HMARK: --hmark-spi-mask cannot be combined with --hmark-sport-mask/--hmark-dport-mask");
	if (spi && (ext_ctx_opt(ctx, OPT_HMARK_HMARK_SPORT) ||
		    ext_ctx_opt(ctx, OPT_HMARK_HMARK_DPORT)))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, spi,
			       "HMARK: --hmark-spi cannot be combined with --hmark-sport/--hmark-dport");
}

/* libxt_NFQUEUE and xt_NFQUEUE checkentry on --queue-balance. */
void ext_check_NFQUEUE(struct ext_check_ctx *ctx)
{
	const struct ast_opt *b = ext_ctx_opt(ctx, OPT_NFQUEUE_QUEUE_BALANCE);
	const struct ast_opt *f = ext_ctx_opt(ctx, OPT_NFQUEUE_QUEUE_CPU_FANOUT);
	const char *s;
	size_t len;

	if (f && !b)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, f,
			       "NFQUEUE --queue-cpu-fanout needs --queue-balance");
	if (!b || b->kind != VAL_RANGE || !opt_arg(ctx, b, 0, &s, &len))
		return;
	if (!find(s, len, ':'))
		ext_ctx_report(ctx, CHECK_BAD_VALUE, b,
			       "NFQUEUE --queue-balance wants a range first:last, not " VQ,
			       VA(s, len));
	else if (b->v.range.lo >= b->v.range.hi)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, b,
			       "NFQUEUE --queue-balance %u:%u: the first queue must be below the last",
			       b->v.range.lo, b->v.range.hi);
	else if (b->v.range.hi - b->v.range.lo + 1 > 65535)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, b,
			       "NFQUEUE --queue-balance %u:%u: the kernel takes at most 65535 queues",
			       b->v.range.lo, b->v.range.hi);
}

/*
 * ip6t_NPT checkentry: prefixes of at most 64 bits, without bits set
 * beyond the prefix (the option value is masked, so the word is re-read).
 */
void ext_check_NPT(struct ext_check_ctx *ctx)
{
	for (uint32_t k = 0; k < ctx->nopts; k++) {
		const struct ast_opt *o = &ctx->opts[k];
		const struct val_addr *a;
		const char *s, *slash;
		size_t len;
		union val raw;
		char err[160];
		struct val_ctx vc = {
			.arena = &ctx->b->rs->arena, .family = VAL_FAM_V6,
			.err = err, .errlen = sizeof(err),
		};

		if (o->kind != VAL_ADDRS || !o->v.addrs || !o->v.addrs->n)
			continue;
		a = &o->v.addrs->v[0];
		if (a->family != 6)
			continue;
		if (a->plen > 64) {
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "%s --%s: the prefix length must be at most 64 (the kernel refuses the rule otherwise)",
				       ctx->m->name, ast_opt_def(o)->name);
			continue;
		}
		if (!opt_arg(ctx, o, 0, &s, &len))
			continue;
		slash = find(s, len, '/');
		if (val_parse_addr(&vc, s, slash ? (size_t)(slash - s) : len, &raw) < 0 ||
		    raw.addrs->n != 1)
			continue;
		if (memcmp(raw.addrs->v[0].addr, a->addr, 16) != 0)
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "%s --%s: the address has bits set beyond the /%u prefix (the kernel refuses the rule)",
				       ctx->m->name, ast_opt_def(o)->name, a->plen);
	}
}

/*
 * libxt_RATEEST final check: the interval is at most 8s, and the ewmalog
 * must give a weight exponent 1..30 (at least interval / ln 2).
 */
void ext_check_RATEEST(struct ext_check_ctx *ctx)
{
	const struct ast_opt *iv = ext_ctx_opt(ctx, OPT_RATEEST_RATEEST_INTERVAL);
	const struct ast_opt *ew = ext_ctx_opt(ctx, OPT_RATEEST_RATEEST_EWMALOG);

	if (!iv || !ew || iv->kind != VAL_UINT || ew->kind != VAL_UINT)
		return;
	if (iv->v.u > 8000000)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, iv,
			       "RATEEST --rateest-interval is too large (at most 8s)");
	else if ((double)ew->v.u * 0.6931471805599453 < (double)iv->v.u)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, ew,
			       "RATEEST --rateest-ewmalog is out of range (at least --rateest-interval / ln 2)");
}

/* ipt_REJECT/ip6t_REJECT checkentry: tcp-reset needs -p tcp without "!". */
void ext_check_REJECT(struct ext_check_ctx *ctx)
{
	const struct ast_opt *o = ext_ctx_opt(ctx, OPT_REJECT_REJECT_WITH);

	if (!o || o->kind != VAL_STR || !eq(o->v.str.s, o->v.str.len, "tcp-reset"))
		return;
	if (!proto_is(ctx, PROTO_TCP))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
			       "REJECT --reject-with tcp-reset only works with \"-p tcp\" (the kernel refuses the rule otherwise)");
}

/* The "src,dst,..." flag word of a set option: 1 to 6 of src and dst. */
static void check_set_flags(struct ext_check_ctx *ctx, const struct ast_opt *o)
{
	const char *s;
	size_t len, pos = 0;
	unsigned int dim = 0;

	if (o->nargs < 2) {
		ext_ctx_report(ctx, CHECK_SYNTAX_ERROR, o,
			       "--%s takes two words: the set name and its flags (src,dst,...)",
			       ast_opt_def(o)->name);
		return;
	}
	if (!opt_arg(ctx, o, 1, &s, &len))
		return;
	/* libxt_set.h parse_dirs(): strsep(","), at most IPSET_DIM_MAX (6). */
	while (pos <= len) {
		const char *c = find(s + pos, len - pos, ',');
		size_t n = c ? (size_t)(c - (s + pos)) : len - pos;

		if (dim == 6) {
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "--%s: more than 6 flags in " VQ, ast_opt_def(o)->name,
				       VA(s, len));
			return;
		}
		if (!eq(s + pos, n, "src") && !eq(s + pos, n, "dst")) {
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "--%s: flag " VQ " is neither src nor dst",
				       ast_opt_def(o)->name, VA(s + pos, n));
			return;
		}
		dim++;
		pos += n + 1;
	}
}

/* libxt_SET parse and xt_set checkentry. */
void ext_check_SET(struct ext_check_ctx *ctx)
{
	static const enum opt_id sets[] = {
		OPT_SET_ADD_SET, OPT_SET_DEL_SET, OPT_SET_MAP_SET,
	};
	static const enum opt_id maps[] = {
		OPT_SET_MAP_MARK, OPT_SET_MAP_PRIO, OPT_SET_MAP_QUEUE,
	};
	const struct ast_opt *map = ext_ctx_opt(ctx, OPT_SET_MAP_SET);
	bool any = false;

	for (size_t i = 0; i < ARRAY_LEN(sets); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, sets[i]);

		if (o) {
			any = true;
			check_set_flags(ctx, o);
		}
	}
	if (!any)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-j SET needs --add-set, --del-set or --map-set");
	for (size_t i = 0; i < ARRAY_LEN(maps) && !map; i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, maps[i]);

		if (o)
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "SET --%s needs --map-set", ast_opt_def(o)->name);
	}
	if (map && !ext_ctx_opt(ctx, OPT_SET_MAP_MARK) &&
	    !ext_ctx_opt(ctx, OPT_SET_MAP_PRIO) &&
	    !ext_ctx_opt(ctx, OPT_SET_MAP_QUEUE))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, map,
			       "SET --map-set needs at least one of --map-mark, --map-prio, --map-queue");
}

/* The rule has a tcp match testing SYN (legacy xt_TCPMSS checkentry). */
static bool has_syn_match(const struct ext_check_ctx *ctx)
{
	for (uint32_t m = 1; m < ctx->rule->nmatches; m++) {
		const struct ast_match *am = &ctx->rule->matches[m];
		const struct ast_opt *opts = ast_match_opts(ctx->rule, am);

		if (am->ext_id != EXT_ID_tcp)
			continue;
		for (uint32_t k = 0; k < ast_match_nopts(ctx->rule, am); k++) {
			const struct ast_opt *o = &opts[k];

			if (!ast_opt_def(o) || o->invert)
				continue;
			if (ast_opt_id(o) == OPT_tcp_SYN)
				return true;
			if (ast_opt_id(o) == OPT_tcp_TCP_FLAGS &&
			    o->kind == VAL_TCPFLAGS && (o->v.flags.mask & 0x02) &&
			    (o->v.flags.cmp & 0x02))
				return true;
		}
	}
	return false;
}

/*
 * xt_TCPMSS checkentry. The MSS limit depends on the family; legacy
 * iptables also wants a SYN match (iptables-nft does not check).
 */
void ext_check_TCPMSS(struct ext_check_ctx *ctx)
{
	const struct ast_opt *set = ext_ctx_opt(ctx, OPT_TCPMSS_SET_MSS);

	if (set && set->kind == VAL_UINT && ctx->family == VAL_FAM_V6 &&
	    set->v.u > 65495)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, set,
			       "TCPMSS --set-mss %" PRIu64 " is out of range 0-65495 for IPv6",
			       set->v.u);
	/* Only legacy refuses it: reported unless judging for nft alone. */
	if (ctx->b->lint->opt.backend != BACKEND_NFT && !has_syn_match(ctx))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-j TCPMSS needs a SYN match (-m tcp --tcp-flags SYN,RST SYN or --syn): iptables-legacy-restore refuses it without one");
}

/* xt_TPROXY checkentry: -p tcp or -p udp without "!". */
void ext_check_TPROXY(struct ext_check_ctx *ctx)
{
	if (!proto_is(ctx, PROTO_TCP) && !proto_is(ctx, PROTO_UDP))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-j TPROXY only works with \"-p tcp\" or \"-p udp\" (the kernel refuses the rule otherwise)");
}

/* ULOG: iptables knows it, no current kernel does. */
void ext_check_ULOG(struct ext_check_ctx *ctx)
{
	ext_ctx_report(ctx, CHECK_BAD_VALUE, NULL,
		       "-j ULOG: the ULOG target was removed from Linux 3.17; the kernel refuses the rule (use -j NFLOG)");
}

/* libipt_CLUSTERIP final check: --new needs the whole configuration. */
void ext_check_CLUSTERIP(struct ext_check_ctx *ctx)
{
	static const enum opt_id needed[] = {
		OPT_CLUSTERIP_HASHMODE, OPT_CLUSTERIP_CLUSTERMAC,
		OPT_CLUSTERIP_TOTAL_NODES, OPT_CLUSTERIP_LOCAL_NODE,
	};
	const struct ast_opt *mac = ext_ctx_opt(ctx, OPT_CLUSTERIP_CLUSTERMAC);
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_LEN(needed); i++)
		n += ext_ctx_opt(ctx, needed[i]) != NULL;
	if (ext_ctx_opt(ctx, OPT_CLUSTERIP_NEW) ? n != ARRAY_LEN(needed) : n != 0)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-j CLUSTERIP: --new needs --hashmode, --clustermac, --total-nodes and --local-node (and they need --new)");
	if (mac && mac->kind == VAL_UINT && !(mac->v.u & 0x010000000000ull))
		ext_ctx_report(ctx, CHECK_BAD_VALUE, mac,
			       "CLUSTERIP --clustermac must be a multicast MAC address");
}

/* ------------------------------------------------------------ matches */

/* The kernel's multiport checkentry: tcp, udp, udplite, sctp or dccp, not inverted. */
void ext_check_multiport(struct ext_check_ctx *ctx)
{
	switch (ctx->proto) {
	case PROTO_TCP: case PROTO_UDP: case PROTO_UDPLITE:
	case PROTO_SCTP: case PROTO_DCCP:
		if (!ctx->proto_inv)
			return;
		break;
	default:
		break;
	}
	ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
		       "-m multiport needs -p tcp, udp, udplite, sctp or dccp (without \"!\")");
}

/* libxt_tcp: the second word of --tcp-flags. */
void ext_check_tcp(struct ext_check_ctx *ctx)
{
	struct ast_opt *o = NULL;
	const char *s;
	size_t len;
	uint32_t bits = 0;
	char err[160];

	for (uint32_t k = 0; k < ctx->nopts; k++)
		if (ast_opt_id(&ctx->opts[k]) == OPT_tcp_TCP_FLAGS)
			o = &ctx->opts[k];
	if (!o || o->nargs < 2 || !opt_arg(ctx, o, 1, &s, &len))
		return;
	{
		struct val_ctx vc = { .err = err, .errlen = sizeof(err) };

		err[0] = '\0';
		if (for_pieces(&vc, s, len, ",", true, tcp_flag_piece, &bits) < 0) {
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o, "--tcp-flags: %s", err);
			return;
		}
	}
	if (o->kind == VAL_TCPFLAGS)
		o->v.flags.cmp = bits;
}

/* libxt_sctp: the chunk list after all|any|only. */
void ext_check_sctp(struct ext_check_ctx *ctx)
{
	static const struct { const char *name; const char *flags; } chunks[] = {
		{ "DATA", "----IUBE" }, { "INIT", "--------" },
		{ "INIT_ACK", "--------" }, { "SACK", "--------" },
		{ "HEARTBEAT", "--------" }, { "HEARTBEAT_ACK", "--------" },
		{ "ABORT", "-------T" }, { "SHUTDOWN", "--------" },
		{ "SHUTDOWN_ACK", "--------" }, { "ERROR", "--------" },
		{ "COOKIE_ECHO", "--------" }, { "COOKIE_ACK", "--------" },
		{ "ECN_ECNE", "--------" }, { "ECN_CWR", "--------" },
		{ "SHUTDOWN_COMPLETE", "-------T" }, { "I_DATA", "----IUBE" },
		{ "RE_CONFIG", "--------" }, { "PAD", "--------" },
		{ "ASCONF", "--------" }, { "ASCONF_ACK", "--------" },
		{ "FORWARD_TSN", "--------" }, { "I_FORWARD_TSN", "--------" },
	};
	const struct ast_opt *o = ext_ctx_opt(ctx, OPT_sctp_CHUNK_TYPES);
	const char *s;
	size_t len, start = 0;

	if (!o || o->nargs < 2 || !opt_arg(ctx, o, 1, &s, &len))
		return;
	if (eq_nocase(s, len, "ALL") || eq_nocase(s, len, "NONE"))
		return;
	for (size_t i = 0; i <= len; i++) {
		const char *p = s + start, *colon;
		size_t n = i - start, nlen, k;

		if (i < len && s[i] != ',')
			continue;
		start = i + 1;
		if (n == 0)
			continue;
		colon = find(p, n, ':');
		nlen = colon ? (size_t)(colon - p) : n;
		for (k = 0; k < ARRAY_LEN(chunks); k++)
			if (eq_nocase(p, nlen, chunks[k].name))
				break;
		if (k == ARRAY_LEN(chunks)) {
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "--chunk-types: unknown SCTP chunk " VQ, VA(p, nlen));
			return;
		}
		for (size_t f = colon ? nlen + 1 : n; f < n; f++) {
			char up = p[f] >= 'a' && p[f] <= 'z' ? (char)(p[f] - 32) : p[f];

			if (up == '-' || !strchr(chunks[k].flags, up)) {
				ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
					       "--chunk-types: invalid flag '%c' for chunk %s",
					       p[f], chunks[k].name);
				return;
			}
		}
	}
}

/* conntrack: at least one option. */
void ext_check_conntrack(struct ext_check_ctx *ctx)
{
	if (ctx->nopts == 0)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m conntrack needs at least one option");
}

/* ipt_ah has .proto AH; ip6t_ah looks for the header itself. */
void ext_check_ah(struct ext_check_ctx *ctx)
{
	if (ctx->family == VAL_FAM_V6)
		return;
	if (!proto_is(ctx, PROTO_AH))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m ah only works with \"-p ah\" in IPv4 (the kernel refuses the rule otherwise)");
}

/*
 * xt_addrtype checkentry: IPv6 has no BROADCAST, BLACKHOLE, PROHIBIT,
 * THROW, NAT or XRESOLVE routes (bits 3, 6 and 8-11 of ext_addrtype_names).
 */
void ext_check_addrtype(struct ext_check_ctx *ctx)
{
	static const enum opt_id types[] = {
		OPT_addrtype_SRC_TYPE, OPT_addrtype_DST_TYPE,
	};
	const uint64_t not_v6 = 1u << 3 | 1u << 6 | 0xf00u;

	if (ctx->family != VAL_FAM_V6)
		return;
	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, types[i]);

		if (o && o->kind == VAL_BITS && (o->v.u & not_v6))
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "addrtype --%s: IPv6 has no BROADCAST, BLACKHOLE, PROHIBIT, THROW, NAT or XRESOLVE addresses (the kernel refuses the rule)",
				       ast_opt_def(o)->name);
	}
}

void ext_check_bpf(struct ext_check_ctx *ctx)
{
	if (!ext_ctx_opt(ctx, OPT_bpf_BYTECODE) &&
	    !ext_ctx_opt(ctx, OPT_bpf_OBJECT_PINNED))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m bpf needs --bytecode or --object-pinned");
}

/* libxt_cluster: the local node must be one of the total. */
void ext_check_cluster(struct ext_check_ctx *ctx)
{
	const struct ast_opt *total = ext_ctx_opt(ctx, OPT_cluster_CLUSTER_TOTAL_NODES);
	const struct ast_opt *node = ext_ctx_opt(ctx, OPT_cluster_CLUSTER_LOCAL_NODE);
	const struct ast_opt *mask = ext_ctx_opt(ctx, OPT_cluster_CLUSTER_LOCAL_NODEMASK);

	if (!total || total->kind != VAL_UINT)
		return;
	if (node && node->kind == VAL_UINT && node->v.u > total->v.u)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, node,
			       "cluster: node %" PRIu64 " is beyond --cluster-total-nodes %" PRIu64,
			       node->v.u, total->v.u);
	if (mask && mask->kind == VAL_UINT && total->v.u < 32 &&
	    (mask->v.u >> total->v.u))
		ext_ctx_report(ctx, CHECK_BAD_VALUE, mask,
			       "cluster: node mask 0x%" PRIx64 " has bits beyond --cluster-total-nodes %" PRIu64,
			       mask->v.u, total->v.u);
}

/* xt_ecn checkentry: the TCP bits need -p tcp without "!". */
void ext_check_ecn(struct ext_check_ctx *ctx)
{
	const struct ast_opt *o = ext_ctx_opt(ctx, OPT_ecn_ECN_TCP_CWR);

	if (!o)
		o = ext_ctx_opt(ctx, OPT_ecn_ECN_TCP_ECE);
	if (o && !proto_is(ctx, PROTO_TCP))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
			       "ecn --%s only works with \"-p tcp\" (the kernel refuses the rule otherwise)",
			       ast_opt_def(o)->name);
}

/*
 * xt_hashlimit checkentry, packet mode: user2credits(avg * burst) <
 * user2credits(avg) in 64-bit arithmetic ("overflow, try lower"). The
 * factor is HZ * CREDITS_PER_JIFFY / 10^6, which depends on CONFIG_HZ:
 * report only what overflows for HZ 100, 250/1000 and 300 alike.
 */
static bool hl_burst_overflows(uint64_t avg, uint64_t burst)
{
	static const uint64_t factor[] = { 109951162, 137438953, 164926744 };

	if (burst == 0)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(factor); i++)
		if (avg * burst * factor[i] >= avg * factor[i])
			return false;
	return true;
}

/* libxt_hashlimit hashlimit_mt_check() and xt_hashlimit checkentry. */
void ext_check_hashlimit(struct ext_check_ctx *ctx)
{
	static const enum opt_id rates[] = {
		OPT_hashlimit_HASHLIMIT_UPTO, OPT_hashlimit_HASHLIMIT_ABOVE,
	};
	static const enum opt_id masks[] = {
		OPT_hashlimit_HASHLIMIT_SRCMASK, OPT_hashlimit_HASHLIMIT_DSTMASK,
	};
	const struct ast_opt *rate = NULL;
	const struct ast_opt *burst = ext_ctx_opt(ctx, OPT_hashlimit_HASHLIMIT_BURST);
	const char *s;
	size_t len;
	bool bytes = false;

	for (size_t i = 0; i < ARRAY_LEN(rates) && !rate; i++)
		rate = ext_ctx_opt(ctx, rates[i]);
	if (rate && rate->kind == VAL_UINT && opt_arg(ctx, rate, 0, &s, &len))
		bytes = hl_is_bytes(s, len);
	if (burst && burst->kind == VAL_UINT) {
		if (!bytes && burst->v.u > 1000000)
			ext_ctx_report(ctx, CHECK_BAD_VALUE, burst,
				       "hashlimit --hashlimit-burst %" PRIu64 " is out of range 1-1000000 for a packet rate",
				       burst->v.u);
		else if (bytes && rate && burst->v.u < hl_cost_to_bytes(rate->v.u))
			ext_ctx_report(ctx, CHECK_BAD_VALUE, burst,
				       "hashlimit --hashlimit-burst cannot be smaller than %" PRIu64 "b for this rate",
				       hl_cost_to_bytes(rate->v.u));
	}
	if (rate && rate->kind == VAL_UINT && !bytes &&
	    !ext_ctx_opt(ctx, OPT_hashlimit_HASHLIMIT_RATE_MATCH) &&
	    (!burst || burst->kind == VAL_UINT) &&
	    hl_burst_overflows(rate->v.u, burst ? burst->v.u : 5))
		ext_ctx_report(ctx, CHECK_BAD_VALUE, burst ? burst : rate,
			       "hashlimit: this rate and burst (%" PRIu64 ") overflow the kernel's credit counter (\"overflow, try lower\"); use a smaller burst",
			       burst ? burst->v.u : 5);
	for (size_t i = 0; i < ARRAY_LEN(masks); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, masks[i]);

		if (o && o->kind == VAL_UINT && ctx->family == VAL_FAM_V4 &&
		    o->v.u > 32)
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "hashlimit --%s %" PRIu64 ": an IPv4 prefix is at most 32 (the kernel refuses the rule otherwise)",
				       ast_opt_def(o)->name, o->v.u);
	}
}

/*
 * libxt_NAT: a port in the mapping needs the rule's -p, given before the
 * option, to be tcp, udp, sctp, dccp or icmp (even with "!").
 */
void ext_check_nat(struct ext_check_ctx *ctx)
{
	const struct ast_opt *p = proto_opt(ctx);

	for (uint32_t k = 0; k < ctx->nopts; k++) {
		const struct ast_opt *o = &ctx->opts[k];
		bool ok;

		if (o->kind != VAL_NAT || !o->v.nat || !o->v.nat->has_port)
			continue;
		ok = p && p->name.col < o->name.col &&
		     (ctx->proto == PROTO_TCP || ctx->proto == PROTO_UDP ||
		      ctx->proto == PROTO_SCTP || ctx->proto == PROTO_DCCP ||
		      ctx->proto == 1);
		if (!ok)
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "%s --%s with a port needs -p tcp, udp, sctp or dccp before it",
				       ctx->m->name, ast_opt_def(o)->name);
		/* libxt_NAT REDIRECT: "Shifted portmap ranges not supported". */
		if (o->v.nat->has_base && ctx->m->ext_id == EXT_ID_REDIRECT)
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "REDIRECT --to-ports: a shifted port map (/base) is not supported");
	}
}

/* libxt_owner: --suppl-groups after --gid-owner. */
void ext_check_owner(struct ext_check_ctx *ctx)
{
	const struct ast_opt *gid = ext_ctx_opt(ctx, OPT_owner_GID_OWNER);
	const struct ast_opt *sup = ext_ctx_opt(ctx, OPT_owner_SUPPL_GROUPS);

	if (ctx->nopts == 0)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m owner needs at least one option");
	if (sup && (!gid || gid->name.col > sup->name.col))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, sup,
			       "owner --suppl-groups needs --gid-owner before it");
}

/* libxt_policy policy_parse()/policy_check(), element by element. */
void ext_check_policy(struct ext_check_ctx *ctx)
{
	const struct ast_opt *dir = ext_ctx_opt(ctx, OPT_policy_DIR);
	const struct ast_opt *pol = ext_ctx_opt(ctx, OPT_policy_POL);
	bool strict = ext_ctx_opt(ctx, OPT_policy_STRICT) != NULL;
	bool none = pol && pol->kind == VAL_CHOICE && pol->v.u == 0;
	unsigned int elems = 0;
	uint32_t seen = 0;
	const struct ast_opt *tunnel = NULL, *mode = NULL;
	bool any_elem = false;

	(void)dir;
	for (uint32_t k = 0; k <= ctx->nopts; k++) {
		const struct ast_opt *o = k < ctx->nopts ? &ctx->opts[k] : NULL;
		unsigned int id = o ? ast_opt_id(o) : 0;

		if (!o || id == OPT_policy_NEXT) {
			/* End of one element. */
			if (strict && !seen)
				ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
					       "policy: empty policy element %u: --strict needs one of --reqid, --spi, --tunnel-src, --tunnel-dst, --proto, --mode",
					       elems);
			if (tunnel && !(mode && mode->kind == VAL_CHOICE &&
					(mode->v.u == 1) != mode->invert))
				ext_ctx_report(ctx, CHECK_MISSING_OPTION, tunnel,
					       "policy: --%s is only valid with --mode tunnel",
					       ast_opt_def(tunnel)->name);
			any_elem |= seen != 0;
			if (o && !strict)
				ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
					       "policy: --next needs --strict");
			if (o && ++elems >= 4)
				ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
					       "policy: at most 4 policy elements");
			seen = 0;
			tunnel = mode = NULL;
			continue;
		}
		if (id == OPT_policy_REQID || id == OPT_policy_SPI ||
		    id == OPT_policy_TUNNEL_SRC || id == OPT_policy_TUNNEL_DST ||
		    id == OPT_policy_PROTO || id == OPT_policy_MODE) {
			uint32_t bit = 1u << (id - OPT_policy_REQID);

			if (seen & bit)
				ext_ctx_report(ctx, CHECK_SYNTAX_ERROR, o,
					       "policy: --%s given twice in one policy element",
					       ast_opt_def(o)->name);
			seen |= bit;
			if (id == OPT_policy_TUNNEL_SRC || id == OPT_policy_TUNNEL_DST)
				tunnel = o;
			if (id == OPT_policy_MODE)
				mode = o;
		}
	}
	if (none && strict)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, pol,
			       "policy: --pol none cannot be used with --strict");
	else if (none && any_elem)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, pol,
			       "policy: --pol none cannot be used with a policy element");
}

/*
 * A "lo:hi" range option where iptables refuses lo > hi (tcpmss --mss,
 * connbytes --connbytes).
 */
void ext_check_range_order(struct ext_check_ctx *ctx)
{
	for (uint32_t k = 0; k < ctx->nopts; k++) {
		const struct ast_opt *o = &ctx->opts[k];
		bool bad = (o->kind == VAL_RANGE && o->v.range.lo > o->v.range.hi) ||
			   (o->kind == VAL_RANGE64 &&
			    o->v.range64.lo > o->v.range64.hi);

		if (bad)
			ext_ctx_report(ctx, CHECK_BAD_VALUE, o,
				       "%s --%s: the range is reversed (first > last)",
				       ctx->m->name, ast_opt_def(o)->name);
	}
}

/*
 * libxt_rateest wants some option; xt_rateest checkentry wants an
 * estimator, a mode (lt/gt/eq) and what to compare (bps/pps).
 */
void ext_check_rateest(struct ext_check_ctx *ctx)
{
	bool one = ext_ctx_opt(ctx, OPT_rateest_RATEEST1) != NULL;
	bool cmp = ext_ctx_opt(ctx, OPT_rateest_RATEEST_LT) ||
		   ext_ctx_opt(ctx, OPT_rateest_RATEEST_GT) ||
		   ext_ctx_opt(ctx, OPT_rateest_RATEEST_EQ);
	bool what = ext_ctx_opt(ctx, OPT_rateest_RATEEST_BPS1) ||
		    ext_ctx_opt(ctx, OPT_rateest_RATEEST_PPS1) ||
		    ext_ctx_opt(ctx, OPT_rateest_RATEEST_BPS2) ||
		    ext_ctx_opt(ctx, OPT_rateest_RATEEST_PPS2);

	if (ctx->nopts == 0)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m rateest needs some options");
	else if (!one)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m rateest needs --rateest (or --rateest1) (the kernel refuses the rule otherwise)");
	else if (!cmp)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m rateest needs one of --rateest-lt, --rateest-gt, --rateest-eq (the kernel refuses the rule otherwise)");
	else if (!what)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m rateest needs --rateest-bps or --rateest-pps (the kernel refuses the rule otherwise)");
}

/* libxt_recent and xt_recent checkentry. */
void ext_check_recent(struct ext_check_ctx *ctx)
{
	const struct ast_opt *reap = ext_ctx_opt(ctx, OPT_recent_REAP);

	if (reap && !ext_ctx_opt(ctx, OPT_recent_SECONDS))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, reap,
			       "recent --reap needs --seconds");
}

/* libip6t_rt: --rt-0-* options need --rt-type 0 (and addrs) before them. */
void ext_check_rt(struct ext_check_ctx *ctx)
{
	const struct ast_opt *type = ext_ctx_opt(ctx, OPT_rt_RT_TYPE);
	const struct ast_opt *addrs = ext_ctx_opt(ctx, OPT_rt_RT_0_ADDRS);

	for (uint32_t k = 0; k < ctx->nopts; k++) {
		const struct ast_opt *o = &ctx->opts[k];

		if (!ast_opt_def(o))
			continue;
		if ((ast_opt_id(o) == OPT_rt_RT_0_RES || ast_opt_id(o) == OPT_rt_RT_0_ADDRS) &&
		    !(type && type->kind == VAL_UINT && type->v.u == 0 &&
		      !type->invert && type->name.col < o->name.col))
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "rt --%s needs \"--rt-type 0\" before it",
				       ast_opt_def(o)->name);
		if (ast_opt_id(o) == OPT_rt_RT_0_NOT_STRICT &&
		    !(addrs && addrs->name.col < o->name.col))
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "rt --rt-0-not-strict needs --rt-0-addrs before it");
	}
}

/* libxt_set set_parse_v4(). */
void ext_check_set(struct ext_check_ctx *ctx)
{
	const struct ast_opt *ms = ext_ctx_opt(ctx, OPT_set_MATCH_SET);
	const struct ast_opt *old = ext_ctx_opt(ctx, OPT_set_SET);

	if (ms && old) {
		ext_ctx_report(ctx, CHECK_SYNTAX_ERROR, old,
			       "set: --match-set can only be given once");
		return;
	}
	if (!ms)
		ms = old;
	if (!ms) {
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
			       "-m set needs --match-set");
		return;
	}
	check_set_flags(ctx, ms);
}

/* libxt_statistic statistic_check(). */
void ext_check_statistic(struct ext_check_ctx *ctx)
{
	const struct ast_opt *mode = ext_ctx_opt(ctx, OPT_statistic_MODE);
	const struct ast_opt *prob = ext_ctx_opt(ctx, OPT_statistic_PROBABILITY);
	const struct ast_opt *every = ext_ctx_opt(ctx, OPT_statistic_EVERY);
	const struct ast_opt *packet = ext_ctx_opt(ctx, OPT_statistic_PACKET);

	if (every && !packet)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, every,
			       "statistic --every needs --packet");
	if (packet && !every)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, packet,
			       "statistic --packet needs --every");
	if (!mode || mode->kind != VAL_CHOICE)
		return;
	if (mode->v.u == 0 && !prob)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, mode,
			       "statistic --mode random needs --probability");
	if (mode->v.u == 0 && (every || packet))
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, every ? every : packet,
			       "statistic --every/--packet only work with --mode nth");
	if (mode->v.u == 1 && !every)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, mode,
			       "statistic --mode nth needs --every");
	if (mode->v.u == 1 && prob)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, prob,
			       "statistic --probability only works with --mode random");
	if (every && packet && every->kind == VAL_UINT && packet->kind == VAL_UINT &&
	    packet->v.u >= every->v.u)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, packet,
			       "statistic --packet %" PRIu64 " must be below --every %" PRIu64,
			       packet->v.u, every->v.u);
}

/* libxt_string string_check() and xt_string checkentry. */
void ext_check_string(struct ext_check_ctx *ctx)
{
	const struct ast_opt *from = ext_ctx_opt(ctx, OPT_string_FROM);
	const struct ast_opt *to = ext_ctx_opt(ctx, OPT_string_TO);

	if (from && to && from->kind == VAL_UINT && to->kind == VAL_UINT &&
	    from->v.u > to->v.u)
		ext_ctx_report(ctx, CHECK_BAD_VALUE, from,
			       "string --from %" PRIu64 " is beyond --to %" PRIu64,
			       from->v.u, to->v.u);
}

/* libxt_time time_check(). */
void ext_check_time(struct ext_check_ctx *ctx)
{
	const struct ast_opt *c = ext_ctx_opt(ctx, OPT_time_CONTIGUOUS);
	const struct ast_opt *start = ext_ctx_opt(ctx, OPT_time_TIMESTART);
	const struct ast_opt *stop = ext_ctx_opt(ctx, OPT_time_TIMESTOP);
	uint64_t a = start && start->kind == VAL_UINT ? start->v.u : 0;
	uint64_t b = stop && stop->kind == VAL_UINT ? stop->v.u : 86399;

	if (c && a < b)
		ext_ctx_report(ctx, CHECK_MISSING_OPTION, c,
			       "time --contiguous only makes sense when --timestop is before --timestart");
}

