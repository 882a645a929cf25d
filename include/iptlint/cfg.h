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
 * @hooks:  HOOK() set of builtin hooks the chain is reachable from (the
 *          kernel's hook_mask / comefrom)
 * @via:    per hook, the rule whose jump brought that hook to the chain
 *          (NULL for the builtin chain itself); notes follow these back
 *          to the builtin chain
 * @stop:   in the legacy view, the index of the chain's first rule that
 *          ends mark_source_chains' walk (UINT32_MAX: none); the rules
 *          after it get no hook (cfg_legacy_hooks_of)
 */
struct cfg_chain {
	uint32_t nrefs;
	uint32_t stop;
	uint8_t hooks;
	const struct ast_rule *via[HOOK__COUNT];
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
 * @chains: indexed by ast_chain.id: every jump counts (what nft validates:
 *          nft_chain_validate walks every rule of a chain it reaches)
 * @order:  chain ids with callers before callees (cycles broken); user
 *          chains unreachable from any hook come last
 * @cycles: cycles of that graph reachable from a hook
 * @legacy: the hooks (and vias) as the legacy kernel sees them:
 *          mark_source_chains stops walking a chain at an unconditional
 *          ACCEPT, DROP, RETURN or QUEUE (cfg_rule_ends_legacy_walk), so
 *          jumps after one give no hook and close no loop
 * @legacy_cycles: the cycles of that graph (ELOOP for iptables-legacy)
 */
struct cfg_table {
	const struct ast_table *table;
	struct cfg_chain *chains;
	uint32_t *order;
	struct cfg_cycle *cycles;
	uint32_t ncycles, cycles_cap;
	struct cfg_chain *legacy;
	struct cfg_cycle *legacy_cycles;
	uint32_t nlegacy_cycles, legacy_cycles_cap;
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
 * "PREROUTING -> WAN_IN -> MARKS" for chain @c reached from @hook in
 * @view (ct->chains or ct->legacy); @buf always ends up NUL-terminated.
 * Returns the number of user chains.
 */
uint32_t cfg_path(const struct cfg_chain *view, const struct ast_chain *c,
		  enum hook_kind hook, char *buf, size_t size);

/*
 * Does the legacy kernel's mark_source_chains stop at rule @r? An
 * unconditional standard verdict: no address, interface, protocol or
 * fragment test, no match, -j ACCEPT, DROP, RETURN or QUEUE.
 */
bool cfg_rule_ends_legacy_walk(const struct ast_rule *r);

/* The hooks the legacy kernel checks rule @r's extensions for. */
static inline unsigned int cfg_legacy_hooks_of(const struct cfg_table *ct,
					       const struct ast_rule *r)
{
	const struct cfg_chain *c = &ct->legacy[r->chain->id];

	return r->index <= c->stop ? c->hooks : 0;
}

/* Rules of @c that load (-A/-I lines without errors), in chain order. */
#define cfg_for_each_rule(r, c) \
	for (const struct ast_rule *r = (c)->rules; r; r = r->next_in_chain)

#endif
