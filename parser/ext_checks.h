/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PARSER_EXT_CHECKS_H
#define IPTLINT_PARSER_EXT_CHECKS_H

#include <stdarg.h>

#include "iptlint/ast.h"
#include "iptlint/check.h"
#include "iptlint/ext.h"

struct build;

/**
 * struct ext_check_ctx - what an extension's cross-option check sees.
 * @rule: the rule being built (base options in matches[0])
 * @m:    the match or target under check
 * @opts, @nopts: its options (ast_match_opts())
 * @family: VAL_FAM_* of the ruleset (VAL_FAM_ANY while unknown)
 * @proto: the rule's -p protocol number (0 = any), @proto_inv its "!"
 */
struct ext_check_ctx {
	struct build *b;
	struct ast_rule *rule;
	struct ast_match *m;
	struct ast_opt *opts;
	uint32_t nopts;
	int family;
	unsigned int proto;
	bool proto_inv;
};

/* Option @id of the match under check, or NULL. */
const struct ast_opt *ext_ctx_opt(const struct ext_check_ctx *ctx,
				  enum opt_id id);
/* Report against an option (or the match's own words when @at is NULL). */
void ext_ctx_report(struct ext_check_ctx *ctx, enum check_id check,
		    const struct ast_opt *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Restrictions a kernel checkentry function adds to one match or target
 * because of its options (beyond struct ext's .hooks/.tables, which hold
 * for every instance): TCPMSS --clamp-mss-to-pmtu, addrtype
 * --limit-iface-in/out, devgroup --src/--dst-group, policy --dir, physdev
 * --physdev-out without --physdev-is-bridged, SET --map-set (mangle; prio
 * and queue mapping from FORWARD/OUTPUT/POSTROUTING). HOOK()/TBL() sets,
 * 0 = nothing more. These are checkentry rules: iptables-legacy applies
 * the hooks through user chains (the chain's hook_mask), iptables-nft only
 * in builtin chains (nft_compat passes hook_mask 0 for other chains); the
 * table holds for both.
 */
unsigned int ext_instance_check_hooks(const struct ast_rule *r,
				      const struct ast_match *m);
unsigned int ext_instance_check_tables(const struct ast_rule *r,
				       const struct ast_match *m);

/* Choice word lists used by extensions.def (NULL-terminated). */
extern const char *const ext_ctstate_names[];
extern const char *const ext_ctstatus_names[];
extern const char *const ext_ctdir_names[];
extern const char *const ext_addrtype_names[];
extern const char *const ext_audit_types[];
extern const char *const ext_ct_events[];
extern const char *const ext_ct_expevents[];
extern const char *const ext_hmark_tuple[];
extern const char *const ext_clusterip_hashmodes[];
extern const char *const ext_sctp_match_types[];
extern const char *const ext_pkttype_names[];
extern const char *const ext_policy_dirs[];
extern const char *const ext_policy_pols[];
extern const char *const ext_policy_modes[];
extern const char *const ext_string_algos[];
extern const char *const ext_connbytes_dirs[];
extern const char *const ext_connbytes_modes[];
extern const char *const ext_ipvs_methods[];

/*
 * Value parsers of single extensions (same contract as val_parse_*,
 * see iptlint/values.h).
 */
int ext_parse_counters(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_tcp_ports(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_sctp_ports(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_tcp_flags(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_dccp_types(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_tc_class(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_ct_zone(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_led_delay(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_log_prefix(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_reject_with(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_rateest_time(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_rateest_rate(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_tcpopts(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_hashlimit_rate(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_hashlimit_burst(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_hashlimit_mode(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_positive_int(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_recent_name(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_statistic_mode(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_hex_string(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_u32(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_policy_proto(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_bpf_bytecode(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_connlabel(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_group(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_ip6_opts(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_ip6_headers(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_mh_type(struct val_ctx *ctx, const char *s, size_t len, union val *out);
int ext_parse_rt_addrs(struct val_ctx *ctx, const char *s, size_t len, union val *out);

/* Cross-option checks named in extensions.def. */
void ext_check_CLUSTERIP(struct ext_check_ctx *ctx);
void ext_check_CONNMARK(struct ext_check_ctx *ctx);
void ext_check_CT(struct ext_check_ctx *ctx);
void ext_check_ECN(struct ext_check_ctx *ctx);
void ext_check_HMARK(struct ext_check_ctx *ctx);
void ext_check_NFQUEUE(struct ext_check_ctx *ctx);
void ext_check_NPT(struct ext_check_ctx *ctx);
void ext_check_RATEEST(struct ext_check_ctx *ctx);
void ext_check_REJECT(struct ext_check_ctx *ctx);
void ext_check_SET(struct ext_check_ctx *ctx);
void ext_check_TCPMSS(struct ext_check_ctx *ctx);
void ext_check_TPROXY(struct ext_check_ctx *ctx);
void ext_check_ULOG(struct ext_check_ctx *ctx);
void ext_check_addrtype(struct ext_check_ctx *ctx);
void ext_check_ah(struct ext_check_ctx *ctx);
void ext_check_bpf(struct ext_check_ctx *ctx);
void ext_check_cluster(struct ext_check_ctx *ctx);
void ext_check_conntrack(struct ext_check_ctx *ctx);
void ext_check_ecn(struct ext_check_ctx *ctx);
void ext_check_hashlimit(struct ext_check_ctx *ctx);
void ext_check_multiport(struct ext_check_ctx *ctx);
void ext_check_nat(struct ext_check_ctx *ctx);
void ext_check_owner(struct ext_check_ctx *ctx);
void ext_check_policy(struct ext_check_ctx *ctx);
void ext_check_range_order(struct ext_check_ctx *ctx);
void ext_check_rateest(struct ext_check_ctx *ctx);
void ext_check_recent(struct ext_check_ctx *ctx);
void ext_check_rt(struct ext_check_ctx *ctx);
void ext_check_sctp(struct ext_check_ctx *ctx);
void ext_check_set(struct ext_check_ctx *ctx);
void ext_check_statistic(struct ext_check_ctx *ctx);
void ext_check_string(struct ext_check_ctx *ctx);
void ext_check_tcp(struct ext_check_ctx *ctx);
void ext_check_time(struct ext_check_ctx *ctx);

#endif
