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
		const struct ext *e = r->matches[m].ext;

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
		if (!tg->ext || tg->ext->id == EXT_ID_MARK ||
		    tg->ext->id == EXT_ID_CONNMARK)
			return true;
	}
	return false;
}

struct seen {
	uint64_t hash;
	const struct ast_rule *rule;
	size_t off, len;	/* key bytes in the arena below */
};

void check_run_DUPLICATE_RULE(struct lint *lint)
{
	struct rule_key k = { 0 }, store = { 0 };
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
			store.len = 0;
			for (const struct ast_rule *r = c->rules; r; r = r->next_in_chain) {
				const struct source *src = lint->sources.v[r->loc.file];
				uint64_t h;
				size_t s;

				rule_key_build(&k, r, src);
				h = rule_key_hash(&k);
				for (s = h & (need - 1); slots[s].rule; s = (s + 1) & (need - 1)) {
					struct diag *d;

					if (slots[s].hash != h || slots[s].len != k.len ||
					    memcmp(store.p + slots[s].off, k.p, k.len))
						continue;
					if (state_changes_between(slots[s].rule, r))
						break;	/* not redundant: see below */
					d = diag_report(&lint->diags, CHECK_DUPLICATE_RULE,
							&r->loc,
							"this rule repeats an earlier rule of chain %s",
							c->name);
					diag_note(d, &slots[s].rule->loc, "the same rule");
					break;
				}
				if (!slots[s].rule) {
					slots[s] = (struct seen){ h, r, store.len, k.len };
					rule_key_append(&store, k.p, k.len);
				}
			}
		}
	}
	free(slots);
	rule_key_free(&k);
	rule_key_free(&store);
}
