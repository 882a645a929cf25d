// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wrong-chain: a match or target reached from a hook it does not allow
 * (.hooks, checked through user chains: the kernel's hook_mask is the union
 * of hooks a chain is reachable from), and iptables' own refusal of -o in
 * PREROUTING/INPUT and -i in OUTPUT/POSTROUTING (builtin chain names only).
 *
 * The backends do not reach the same rules: legacy's mark_source_chains()
 * gives no hook to the rules after an unconditional ACCEPT/DROP/QUEUE/
 * RETURN, nft validates every rule (see analyzer/cfg.c). Rules that -D/-F
 * took out are never checked by the kernel.
 */
#include <stdio.h>
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "parser/ext_checks.h"
#include "rules/checks.h"

/* One way a rule is reached: which hooks, on whose walk (for the path). */
struct reached {
	unsigned int bad;	/* hooks the match or target does not allow */
	unsigned int path;	/* the note shows a path from one of these */
	bool legacy;		/* follow legacy's jumps for the path */
	const char *backends;	/* " (iptables-... refuses it ...)" or "" */
	const struct ast_rule *cut;	/* legacy's walk stops here (note) */
};

/* The match or target a finding is about: "-m owner", "-j TCPMSS with these options". */
struct what {
	const struct ast_match *m;
	bool is_target;
	bool options;	/* an option-dependent restriction */
};

static void report_hooks(struct lint *lint, const struct cfg_table *ct,
			 const struct ast_rule *r, const struct what *what,
			 unsigned int allowed, const struct reached *how)
{
	char allowed_s[96], bad_s[96], path[256];
	struct loc at = loc_from_span(&r->loc, what->m->span);
	struct diag *d;

	hook_list(allowed, allowed_s, sizeof(allowed_s));
	hook_list(how->bad, bad_s, sizeof(bad_s));
	d = diag_report(&lint->diags, CHECK_WRONG_CHAIN, &at,
			"%s %s%s is only valid from %s, but this rule is reached from %s%s",
			what->is_target ? "-j" : "-m", ast_match_ext(what->m)->name,
			what->options ? " with these options" : "",
			allowed_s, bad_s, how->backends);
	for (int h = 0; h < HOOK__COUNT && d; h++) {
		if (!(how->path & HOOK(h)))
			continue;
		cfg_path(ct, r->chain, (enum hook_kind)h, how->legacy, path,
			 sizeof(path));
		if (r->chain->builtin) {
			diag_note(d, &r->loc, "in builtin chain %s", path);
		} else {
			const struct ast_rule *via = cfg_via(ct, r->chain,
							     (enum hook_kind)h,
							     how->legacy);

			diag_note(d, &via->loc, "reached via %s", path);
		}
		break;	/* one path is enough to see the problem */
	}
	if (how->cut)
		diag_note(d, &how->cut->loc,
			  "iptables-legacy's hook walk (mark_source_chains) stops at this unconditional -j %s: it never reaches the rule from %s",
			  how->cut->matches[how->cut->target].name, bad_s);
}

/*
 * A match or target that the kernel refuses from hooks @nft_bad (nft's
 * view: every jump) and @legacy_bad (legacy's comefrom), the latter a
 * subset of the former unless nft does not check at all (@nft_checks).
 * Report it as the backend in use sees it; by default if either refuses.
 */
static void judge(struct lint *lint, const struct cfg_table *ct,
		  const struct ast_rule *r, const struct what *what,
		  unsigned int allowed, unsigned int nft_bad,
		  unsigned int legacy_bad, bool nft_checks)
{
	static const char nft_only_builtin[] =
		" (iptables-legacy refuses it; iptables-nft only checks builtin chains)";
	struct reached how = { 0, 0, false, "", NULL };
	char why[192];

	switch (lint->opt.backend) {
	case BACKEND_LEGACY:
		if (!legacy_bad)
			return;
		how = (struct reached){ legacy_bad, legacy_bad, true,
					nft_checks ? "" : nft_only_builtin, NULL };
		break;
	case BACKEND_NFT:
		if (!nft_bad)
			return;
		how = (struct reached){ nft_bad, nft_bad, false, "", NULL };
		break;
	case BACKEND_ANY:
		if (legacy_bad) {
			how = (struct reached){ nft_bad | legacy_bad, legacy_bad,
						true,
						nft_checks ? "" : nft_only_builtin,
						NULL };
		} else if (nft_bad) {
			int h = __builtin_ctz(nft_bad);

			how = (struct reached){ nft_bad, nft_bad, false, why,
						cfg_legacy_cut(ct, r, (enum hook_kind)h) };
			if (how.cut)
				snprintf(why, sizeof(why),
					 " (iptables-nft refuses it; iptables-legacy accepts it: its hook walk stops at the unconditional -j %s on line %u)",
					 how.cut->matches[how.cut->target].name,
					 how.cut->loc.line);
			else
				snprintf(why, sizeof(why),
					 " (iptables-nft refuses it; iptables-legacy's hook walk does not reach the rule)");
		} else {
			return;
		}
		break;
	}
	report_hooks(lint, ct, r, what, allowed, &how);
}

static void check_rule(struct lint *lint, const struct cfg_table *ct,
		       const struct ast_rule *r)
{
	unsigned int hooks = cfg_rule_hooks(ct, r);
	unsigned int legacy = 0;
	bool have_legacy = false;	/* legacy is computed when needed */

	/* iptables userspace, by builtin chain name (any table). */
	if (r->chain->builtin) {
		int h = r->chain->hook;
		const struct ast_opt *o;

		if ((h == HOOK_PREROUTING || h == HOOK_INPUT) &&
		    (o = ast_rule_find_opt(r, OPT_ip_OUT_INTERFACE))) {
			struct loc at = ast_opt_loc(r, o);

			diag_report(&lint->diags, CHECK_WRONG_CHAIN, &at,
				    "-o cannot be used in %s: packets there have no output interface yet (iptables: \"Can't use -o with %s\")",
				    r->chain->name, r->chain->name);
		}
		if ((h == HOOK_OUTPUT || h == HOOK_POSTROUTING) &&
		    (o = ast_rule_find_opt(r, OPT_ip_IN_INTERFACE))) {
			struct loc at = ast_opt_loc(r, o);

			diag_report(&lint->diags, CHECK_WRONG_CHAIN, &at,
				    "-i cannot be used in %s: packets there have no input interface to test (iptables: \"Can't use -i with %s\")",
				    r->chain->name, r->chain->name);
		}
	}
	if (!hooks)
		return;	/* unreachable chains: the kernel checks no hook */
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];
		const struct ext *e = ast_match_ext(am);
		struct what what = { am, (int32_t)m == r->target, false };
		unsigned int bad, ok, bad_opt;

		if (!e)
			continue;
		/* Not allowed in this table at all: wrong-table says so. */
		if (e->tables && !(e->tables & TBL(r->table->kind)))
			continue;
		/*
		 * Option-dependent hooks (TCPMSS --clamp-mss-to-pmtu, addrtype
		 * --limit-iface-*, ...) are checkentry rules: legacy checks them
		 * through user chains, nft only in builtin chains.
		 */
		bad = e->hooks ? hooks & ~e->hooks & HOOK_ANY : 0;
		ok = ext_instance_check_hooks(r, am);
		bad_opt = ok ? hooks & ~ok & HOOK_ANY : 0;
		if (!bad && !bad_opt)
			continue;	/* no backend can refuse it */
		if (!have_legacy) {
			legacy = cfg_rule_legacy_hooks(ct, r);
			have_legacy = true;
		}
		/* .hooks: both backends check them, through user chains. */
		if (bad)
			judge(lint, ct, r, &what, e->hooks, bad,
			      legacy & ~e->hooks & HOOK_ANY, true);
		if (bad_opt) {
			what.options = true;
			judge(lint, ct, r, &what, ok,
			      r->chain->builtin ? bad_opt : 0,
			      legacy & ~ok & HOOK_ANY, r->chain->builtin);
		}
	}
}

void check_visit_WRONG_CHAIN(struct lint *lint, const struct ast_rule *r)
{
	const struct cfg *cfg = cfg_get(lint);
	const struct cfg_table *ct;

	if (r->table->kind < 0 || !r->chain ||
	    (r->cmd != CMD_APPEND && r->cmd != CMD_INSERT &&
	     r->cmd != CMD_REPLACE))
		return;
	ct = cfg_table_of(cfg, r->table);
	if (ct)
		check_rule(lint, ct, r);
}
