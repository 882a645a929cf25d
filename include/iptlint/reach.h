/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_REACH_H
#define IPTLINT_REACH_H

#include <stdbool.h>
#include <stdint.h>

#include "iptlint/ast.h"

struct lint;

/* Blockers kept per finding (the notes name at most these). */
#define REACH_BLOCKERS_KEPT	5

/**
 * struct reach_finding - a rule no packet can match because earlier rules
 * of its chain end the walk of every packet that could.
 * @blockers:  the first REACH_BLOCKERS_KEPT of a small set of earlier
 *             rules that together cover it
 * @nblockers: the size of that set; 0 when the chain had too many
 *             findings to explain them all (the claim still holds)
 */
struct reach_finding {
	const struct ast_rule *rule;
	const struct ast_rule **blockers;
	uint32_t nblockers;
};

/**
 * struct reach - the result of the reachability analysis.
 * @gave_up: the analysis hit its memory budget on some table and claims
 *           nothing there
 */
struct reach {
	struct reach_finding *v;
	uint32_t n;
	uint32_t cap;
	bool gave_up;
};

/* Run once per lint run and keep the result (lint->reach). */
const struct reach *reach_get(struct lint *lint);
void reach_free(struct reach *r);

#endif
