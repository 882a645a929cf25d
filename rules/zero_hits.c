// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zero-hits: in a dump saved with counters (iptables-save -c), a rule
 * whose counter is 0 although packets entered its chain. The note names
 * the earlier rules of the chain that counted packets and end the walk,
 * i.e. the ones that took them: the offline form of "is pkts > 0?".
 */
#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "rules/checks.h"

static bool ends_walk(const struct ast_rule *r)
{
	const struct ast_match *tg = ast_rule_target(r);

	if (!tg)
		return false;
	if (!tg->ext)
		return r->is_goto;
	return tg->ext->verdict != VERDICT_NONE;
}

/* Packets that entered @c: for a builtin chain, what its rules and policy counted. */
static uint64_t chain_entries(const struct cfg_table *ct, const struct ast_chain *c)
{
	uint64_t n = 0;

	if (c->builtin) {
		n = c->has_counters ? c->pkts : 0;
		cfg_for_each_rule(r, c)
			if (r->has_counters && ends_walk(r))
				n += r->pkts;
		return n;
	}
	for (uint32_t i = 0; i < ct->table->nchains; i++)
		cfg_for_each_rule(r, ct->table->chains[i])
			if (r->jump == c && r->has_counters)
				n += r->pkts;
	return n;
}

void check_run_ZERO_HITS(struct lint *lint)
{
	const struct cfg *cfg;

	if (!lint->rs.has_counters)
		return;
	cfg = cfg_get(lint);
	for (uint32_t i = 0; i < cfg->ntables; i++) {
		const struct cfg_table *ct = &cfg->tables[i];

		for (uint32_t k = 0; k < ct->table->nchains; k++) {
			const struct ast_chain *c = ct->table->chains[k];
			uint64_t entered;

			if (!c->rules)
				continue;
			entered = chain_entries(ct, c);
			if (!entered)
				continue;
			cfg_for_each_rule(r, c) {
				struct diag *d;
				uint32_t notes = 0;

				if (!r->has_counters || r->pkts)
					continue;
				d = diag_report(&lint->diags, CHECK_ZERO_HITS, &r->loc,
						"this rule counted 0 packets while %llu packet%s entered chain %s",
						(unsigned long long)entered,
						entered == 1 ? "" : "s", c->name);
				cfg_for_each_rule(e, c) {
					if (e == r)
						break;
					if (e->has_counters && e->pkts && ends_walk(e) && notes < 3) {
						diag_note(d, &e->loc,
							  "counted %llu packet%s and ends their walk",
							  (unsigned long long)e->pkts,
							  e->pkts == 1 ? "" : "s");
						notes++;
					}
				}
			}
		}
	}
}
