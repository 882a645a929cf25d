// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wrong-chain: a match or target reached from a hook it does not allow
 * (.hooks, checked through user chains: the kernel's hook_mask is the union
 * of hooks a chain is reachable from), and iptables' own refusal of -o in
 * PREROUTING/INPUT and -i in OUTPUT/POSTROUTING (builtin chain names only).
 */
#include <stdio.h>
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "parser/ext_checks.h"
#include "rules/checks.h"

static void report_hooks(struct lint *lint, const struct cfg_chain *view,
			 const struct ast_rule *r, const struct loc *at,
			 const char *what, unsigned int allowed,
			 unsigned int bad, const char *backend_note)
{
	char allowed_s[96], bad_s[96], path[256];
	struct diag *d;

	hook_list(allowed, allowed_s, sizeof(allowed_s));
	hook_list(bad, bad_s, sizeof(bad_s));
	d = diag_report(&lint->diags, CHECK_WRONG_CHAIN, at,
			"%s is only valid from %s, but this rule is reached from %s%s",
			what, allowed_s, bad_s, backend_note);
	for (int h = 0; h < HOOK__COUNT && d; h++) {
		if (!(bad & HOOK(h)))
			continue;
		cfg_path(view, r->chain, (enum hook_kind)h, path, sizeof(path));
		if (r->chain->builtin) {
			diag_note(d, &r->loc, "in builtin chain %s", path);
		} else {
			const struct ast_rule *via = view[r->chain->id].via[h];

			diag_note(d, &via->loc, "reached via %s", path);
		}
		break;	/* one path is enough to see the problem */
	}
}

/*
 * Which hooks reach @r for the backend judged: nft validates every rule of
 * a chain it reaches (ct->chains), legacy stops at an unconditional
 * verdict (ct->legacy). Without a backend, nft's; a finding that only nft
 * gives says iptables-legacy accepts it.
 */
static void check_rule(struct lint *lint, const struct cfg_table *ct,
		       const struct ast_rule *r)
{
	bool legacy = lint->opt.backend == BACKEND_LEGACY;
	const struct cfg_chain *view = legacy ? ct->legacy : ct->chains;
	unsigned int legacy_hooks = cfg_legacy_hooks_of(ct, r);
	unsigned int hooks = legacy ? legacy_hooks
				    : ct->chains[r->chain->id].hooks;
	char what[64];

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
		bool is_target = (int32_t)m == r->target;
		struct loc at = loc_from_span(&r->loc, am->span);

		if (!e)
			continue;
		/* Not allowed in this table at all: wrong-table says so. */
		if (e->tables && !(e->tables & TBL(r->table->kind)))
			continue;
		if (e->hooks && (hooks & ~e->hooks & HOOK_ANY)) {
			bool nft_only = lint->opt.backend == BACKEND_ANY &&
					!(legacy_hooks & ~e->hooks & HOOK_ANY);

			snprintf(what, sizeof(what), "%s %s",
				 is_target ? "-j" : "-m", e->name);
			report_hooks(lint, view, r, &at, what, e->hooks,
				     hooks & ~e->hooks, nft_only ?
				     " (iptables-nft refuses it; iptables-legacy accepts it: its hook check does not look past an unconditional ACCEPT, DROP or RETURN)" :
				     "");
		}
		/*
		 * Option-dependent hooks (TCPMSS --clamp-mss-to-pmtu, addrtype
		 * --limit-iface-*, ...) are checkentry rules: legacy checks them
		 * through user chains, nft only in builtin chains.
		 */
		{
			unsigned int ok = ext_instance_check_hooks(r, am);
			unsigned int bad = ok ? legacy_hooks & ~ok & HOOK_ANY : 0;

			if (!r->chain->builtin && lint->opt.backend == BACKEND_NFT)
				bad = 0;
			if (bad) {
				snprintf(what, sizeof(what), "%s %s with these options",
					 is_target ? "-j" : "-m", e->name);
				report_hooks(lint, ct->legacy, r, &at, what, ok, bad,
					     r->chain->builtin ? "" :
					     " (iptables-legacy refuses it; iptables-nft only checks builtin chains)");
			}
		}
	}
}

void check_visit_WRONG_CHAIN(struct lint *lint, const struct ast_rule *r)
{
	const struct cfg *cfg = cfg_get(lint);
	const struct cfg_table *ct;

	if (r->table->kind < 0 || !r->chain ||
	    (r->cmd != CMD_APPEND && r->cmd != CMD_INSERT))
		return;
	ct = cfg_table_of(cfg, r->table);
	if (ct)
		check_rule(lint, ct, r);
}
