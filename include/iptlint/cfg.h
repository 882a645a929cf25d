/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_CFG_H
#define IPTLINT_CFG_H

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
 */
struct cfg_chain {
	uint32_t nrefs;
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
 * @chains: indexed by ast_chain.id
 * @order:  chain ids with callers before callees (cycles broken); user
 *          chains unreachable from any hook come last
 */
struct cfg_table {
	const struct ast_table *table;
	struct cfg_chain *chains;
	uint32_t *order;
	struct cfg_cycle *cycles;
	uint32_t ncycles, cycles_cap;
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
 * "PREROUTING -> WAN_IN -> MARKS" for chain @c reached from @hook; @buf
 * always ends up NUL-terminated. Returns the number of user chains.
 */
uint32_t cfg_path(const struct cfg_table *ct, const struct ast_chain *c,
		  enum hook_kind hook, char *buf, size_t size);

/* Rules of @c that load (-A/-I lines without errors), in chain order. */
#define cfg_for_each_rule(r, c) \
	for (const struct ast_rule *r = (c)->rules; r; r = r->next_in_chain)

#endif
