// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * duplicate-rule: a rule that repeats an earlier rule of the same chain
 * after normalisation (option order of the rule header, implicit vs
 * explicit -m tcp, address spelling, counters ignored). Rules are keyed by
 * a canonical byte string and found again through a hash table per chain.
 */
#include <stdlib.h>
#include <string.h>

#include "iptlint/lint.h"
#include "iptlint/rulekey.h"
#include "rules/checks.h"

/* Does @r test the packet or connection mark? */
static bool tests_marks(const struct ast_rule *r)
{
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ext *e = ast_match_ext(&r->matches[m]);

		if (e && (e->id == EXT_ID_mark || e->id == EXT_ID_connmark))
			return true;
	}
	return false;
}

/*
 * A repeat of a rule that tests marks is live when a rule in between may
 * rewrite them (MARK, CONNMARK, or a jump into a chain): the second copy
 * sees other packets. Conservative: any such rule counts.
 */
static bool state_changes_between(const struct ast_rule *first,
				  const struct ast_rule *again)
{
	if (!tests_marks(again))
		return false;
	for (const struct ast_rule *q = first->next_in_chain; q && q != again;
	     q = q->next_in_chain) {
		const struct ast_match *tg = ast_rule_target(q);

		if (!tg)
			continue;
		if (!ast_match_ext(tg) || ast_match_ext(tg)->id == EXT_ID_MARK ||
		    ast_match_ext(tg)->id == EXT_ID_CONNMARK)
			return true;
	}
	return false;
}

/*
 * Only the hash of an earlier rule's key is kept: the key itself is built
 * again on a hash match (a duplicate, or a rare collision). Keeping every
 * key of the longest chain (52,000 rules in a kube-proxy dump) took 18 MB.
 */
struct seen {
	uint64_t hash;
	const struct ast_rule *rule;
};

void check_run_DUPLICATE_RULE(struct lint *lint)
{
	struct rule_key k = { 0 }, old = { 0 };
	struct seen *slots = NULL;
	size_t nslots = 0;

	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		for (uint32_t ci = 0; ci < t->nchains; ci++) {
			const struct ast_chain *c = t->chains[ci];
			size_t need = 16;

			if (c->nrules < 2)
				continue;
			while (need < (size_t)c->nrules * 2)
				need *= 2;
			if (need > nslots) {
				free(slots);
				slots = malloc(need * sizeof(*slots));
				if (!slots)
					abort();
				nslots = need;
			}
			memset(slots, 0, need * sizeof(*slots));
			for (const struct ast_rule *r = c->rules; r; r = r->next_in_chain) {
				const struct source *src = lint->sources.v[r->loc.file];
				uint64_t h;
				size_t s;

				rule_key_build(&k, r, src);
				h = rule_key_hash(&k);
				for (s = h & (need - 1); slots[s].rule; s = (s + 1) & (need - 1)) {
					const struct ast_rule *q = slots[s].rule;
					struct diag *d;

					if (slots[s].hash != h)
						continue;
					rule_key_build(&old, q,
						       lint->sources.v[q->loc.file]);
					if (!rule_key_equal(&old, &k))
						continue;
					if (state_changes_between(slots[s].rule, r))
						break;	/* not redundant: see below */
					d = diag_report(&lint->diags, CHECK_DUPLICATE_RULE,
							&r->loc,
							"this rule repeats an earlier rule of chain %s",
							c->name);
					diag_note(d, &q->loc, "the same rule");
					break;
				}
				if (!slots[s].rule)
					slots[s] = (struct seen){ h, r };
			}
		}
	}
	free(slots);
	rule_key_free(&k);
	rule_key_free(&old);
}
