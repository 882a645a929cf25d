/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_ANALYZER_PRED_H
#define IPTLINT_ANALYZER_PRED_H

#include <stdbool.h>

#include "iptlint/ast.h"
#include "iptlint/pktset.h"
#include "iptlint/ptrmap.h"

/**
 * struct pred - the packets a rule matches.
 * @over:  every packet the rule may match (its modelled tests only)
 * @under: packets it surely matches: @over when all tests are modelled,
 *         else empty
 * Both hold a BuDDy reference; pred_free() drops them.
 */
struct pred {
	BDD over;
	BDD under;
	bool exact;
};

void pred_build(const struct pktset *ps, const struct ast_rule *r,
		struct pred *p);
/*
 * As pred_build(), with the conntrack tests (-m conntrack/state/connmark)
 * of raw-table rules modelled as everywhere else: for a packet whose state
 * in raw is known (the tracer's: INVALID before conntrack ran, UNTRACKED
 * after NOTRACK), not for packet sets that do not say it.
 */
void pred_build_raw_ct(const struct pktset *ps, const struct ast_rule *r,
		       struct pred *p);

/* Preds built on demand and kept, per rule (markwit.c, trace.c). */
struct pred_cache {
	struct ptrmap map;	/* rule -> index in v */
	struct pred *v;
	uint32_t n, cap;
	bool raw_ct;		/* build with pred_build_raw_ct() */
};

const struct pred *pred_cache_get(struct pred_cache *c, const struct pktset *ps,
				  const struct ast_rule *r);
void pred_cache_free(struct pred_cache *c);
void pred_free(struct pred *p);
/* Whether pred_build() gives over = every packet (no BDD work). */
bool pred_rule_is_unconditional(const struct ast_rule *r);
/* Whether pred_build() would model every test of @r (no BDD work). */
bool pred_rule_is_exact(const struct ast_rule *r);

#endif
