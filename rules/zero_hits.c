// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zero-hits: in a dump saved with counters (iptables-save -c), a rule
 * whose counter is 0 although packets entered its chain. The note names
 * the earlier rules of the chain that counted packets and end the walk,
 * i.e. the ones that took them: the offline form of "is pkts > 0?".
 */
#include <stdlib.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "rules/checks.h"

static bool ends_walk(const struct ast_rule *r)
{
	const struct ast_match *tg = ast_rule_target(r);

	if (!tg)
		return false;
	if (!ast_match_ext(tg))
		return r->is_goto;
	return ast_match_ext(tg)->verdict != VERDICT_NONE;
}

/*
 * Packets that entered each chain: for a builtin chain, what its policy and
 * its verdict rules counted; for a user chain, what the jumps to it counted.
 */
static uint64_t *chain_entries(const struct ast_table *t)
{
	uint64_t *n = calloc(t->nchains ? t->nchains : 1, sizeof(*n));

	if (!n)
		abort();
	for (uint32_t i = 0; i < t->nchains; i++) {
		const struct ast_chain *c = t->chains[i];

		if (c->builtin && c->has_counters)
			n[i] += ast_chain_pkts(c);
		cfg_for_each_rule(r, c) {
			if (!r->has_counters)
				continue;
			if (r->jump)
				n[r->jump_id] += ast_rule_pkts(r);
			if (c->builtin && ends_walk(r))
				n[i] += ast_rule_pkts(r);
		}
	}
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
		uint64_t *entries = chain_entries(ct->table);

		for (uint32_t k = 0; k < ct->table->nchains; k++) {
			const struct ast_chain *c = ct->table->chains[k];
			uint64_t entered;

			if (!c->rules)
				continue;
			entered = entries[k];
			if (!entered)
				continue;
			cfg_for_each_rule(r, c) {
				struct diag *d;
				uint32_t notes = 0;

				if (!r->has_counters || ast_rule_pkts(r))
					continue;
				d = diag_report(&lint->diags, CHECK_ZERO_HITS, &r->loc,
						"this rule counted 0 packets while %llu packet%s entered chain %s",
						(unsigned long long)entered,
						entered == 1 ? "" : "s", c->name);
				cfg_for_each_rule(e, c) {
					if (e == r)
						break;
					if (e->has_counters && ast_rule_pkts(e) && ends_walk(e) && notes < 3) {
						diag_note(d, &e->loc,
							  "counted %llu packet%s and ends their walk",
							  (unsigned long long)ast_rule_pkts(e),
							  ast_rule_pkts(e) == 1 ? "" : "s");
						notes++;
					}
				}
			}
		}
		free(entries);
	}
}
