/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_CFG_H
#define IPTLINT_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/ast.h"
#include "iptlint/ext.h"

struct lint;

/**
 * struct cfg_chain - what the jump graph says about one chain.
 * @nrefs:  -j/-g references from rules that load
 * @hooks:  HOOK() set of builtin hooks the chain is reachable from
 *          through any jump (what iptables-nft's validation walks)
 * @legacy_hooks: the same through the jumps iptables-legacy's
 *          mark_source_chains() walks: it stops walking a chain at its
 *          @stop rule (see cfg_legacy_stop()), so later rules get no hook
 *          (the kernel's comefrom of a rule: cfg_rule_legacy_hooks())
 * @stop:   the chain's first rule that ends legacy's walk, or NULL
 * @legacy_seen: legacy's loop walk reaches the chain (computed only for
 *          tables with a cycle: see cfg_table.legacy_cycles)
 * @via:    per hook, the rule whose jump brought that hook to the chain
 *          (NULL for the builtin chain itself); notes follow these back
 *          to the builtin chain. Legacy's are the same unless the
 *          cfg_table lists another one (cfg_via())
 */
struct cfg_chain {
	uint32_t nrefs;
	uint8_t hooks;
	uint8_t legacy_hooks;
	bool legacy_seen;
	const struct ast_rule *stop;
	const struct ast_rule *via[HOOK__COUNT];
};

/* A chain's legacy via for a hook, where it is not its via (rare). */
struct cfg_legacy_via {
	uint32_t chain;
	uint32_t hook;
	const struct ast_rule *rule;
};

/* Jumps kept of a cycle (the first ones, and the one that closes it). */
#define CFG_CYCLE_KEEP	16

/**
 * struct cfg_cycle - one cycle of the jump graph.
 * @rules: the jumps around it in order, the closing one last; of a cycle
 *         longer than CFG_CYCLE_KEEP the first CFG_CYCLE_KEEP - 1 and the
 *         closing one
 * @n:     entries in @rules
 * @len:   jumps (and chains) in the whole cycle
 */
struct cfg_cycle {
	const struct ast_rule **rules;
	uint32_t n;
	uint32_t len;
};

/**
 * struct cfg_table - the chain graph of one *table block.
 * @chains: indexed by ast_chain.id
 * @order:  every chain, callers before callees (cycles broken); user
 *          chains unreachable from any hook come last
 * @cycles: cycles reachable from a hook through any jump (nft refuses
 *          the table: "Too many links")
 * @legacy_cycles: those mark_source_chains() finds, walking only up to
 *          each chain's stop rule (legacy refuses the table: ELOOP); a
 *          subgraph, so searched only when there are @cycles
 */
struct cfg_table {
	const struct ast_table *table;
	struct cfg_chain *chains;
	const struct ast_chain **order;
	struct cfg_cycle *cycles;
	uint32_t ncycles;
	struct cfg_cycle *legacy_cycles;
	uint32_t nlegacy_cycles;
	struct cfg_legacy_via *legacy_via;
	uint32_t nlegacy_via, legacy_via_cap;
};

struct cfg {
	struct cfg_table *tables;
	uint32_t ntables;
};

/* Built on first use and kept in the lint run (no global state). */
const struct cfg *cfg_get(struct lint *lint);
void cfg_free(struct cfg *cfg);
const struct cfg_table *cfg_table_of(const struct cfg *cfg,
				     const struct ast_table *t);

/*
 * "PREROUTING -> WAN_IN -> MARKS" for chain @c reached from @hook (through
 * the jumps legacy walks, with @legacy); @buf always ends up
 * NUL-terminated. Returns the number of user chains.
 */
uint32_t cfg_path(const struct cfg_table *ct, const struct ast_chain *c,
		  enum hook_kind hook, bool legacy, char *buf, size_t size);

/* The rule whose jump brings @hook to user chain @c (legacy's walk: @legacy). */
const struct ast_rule *cfg_via(const struct cfg_table *ct,
			       const struct ast_chain *c, enum hook_kind hook,
			       bool legacy);

/*
 * Does @r end iptables-legacy's walk of its chain? mark_source_chains()
 * (net/ipv4/netfilter/ip_tables.c, ip6_tables.c) stops at a rule that is
 * unconditional() (no match at all, and an all-zero ipt_ip / ip6t_ip6)
 * and whose target is a standard verdict (ACCEPT, DROP, QUEUE, RETURN).
 */
bool cfg_legacy_stop(const struct ast_rule *r);

/*
 * The hooks rule @r is checked for: through any jump (iptables-nft), and
 * as legacy's comefrom (0 after its chain's stop rule, and for rules
 * that -D/-F took out: those never reach the kernel).
 */
static inline unsigned int cfg_rule_hooks(const struct cfg_table *ct,
					  const struct ast_rule *r)
{
	return r->in_chain ? ct->chains[r->chain->id].hooks : 0;
}

static inline unsigned int cfg_rule_legacy_hooks(const struct cfg_table *ct,
						 const struct ast_rule *r)
{
	const struct cfg_chain *cc = &ct->chains[r->chain->id];

	if (!r->in_chain || (cc->stop && r->index > cc->stop->index))
		return 0;
	return cc->legacy_hooks;
}

/*
 * The stop rule that keeps legacy's walk from @hook away from @r, which
 * the jumps reach from @hook otherwise (for notes); NULL if none found.
 */
const struct ast_rule *cfg_legacy_cut(const struct cfg_table *ct,
				      const struct ast_rule *r,
				      enum hook_kind hook);

/*
 * The chain at position @k of @ct's order, for a walk over the order in
 * direction @step (+1 or -1). The order follows the jumps, not memory: a
 * walk over a kube-proxy dump's 200,000 chains would wait for a cache miss
 * on each chain, its first rules and its cfg_chain, so those of the chains
 * a few steps ahead are asked for now: each stage reads what the one
 * before it fetched (16 ahead: the chain; 8: its first rule and cfg_chain;
 * 4: its second rule).
 */
static inline const struct ast_chain *cfg_order_chain(const struct cfg_table *ct,
						      uint32_t k, int step)
{
	int64_t far = (int64_t)k + 16 * step, near = (int64_t)k + 8 * step;
	int64_t close = (int64_t)k + 4 * step;
	int64_t n = ct->table->nchains;

	if (far >= 0 && far < n)
		__builtin_prefetch(ct->order[far]);
	if (near >= 0 && near < n) {
		__builtin_prefetch(ct->order[near]->rules);
		__builtin_prefetch(&ct->chains[ct->order[near]->id]);
	}
	if (close >= 0 && close < n && ct->order[close]->rules)
		__builtin_prefetch(ct->order[close]->rules->next_in_chain);
	return ct->order[k];
}

/* Rules of @c that load (-A/-I lines without errors), in chain order. */
#define cfg_for_each_rule(r, c) \
	for (const struct ast_rule *r = (c)->rules; r; r = r->next_in_chain)

#endif
