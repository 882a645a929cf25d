/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_RULEKEY_H
#define IPTLINT_RULEKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/ast.h"
#include "iptlint/source.h"

/**
 * struct rule_key - a rule's canonical bytes: two rules with equal keys
 * match and do the same (header options in a fixed order, implicit and
 * explicit -m tcp alike, addresses as parsed, counters left out). Used by
 * duplicate-rule, by "-D chain rule-spec" and to tell a duplicate from
 * other blocking rules.
 */
struct rule_key {
	char *p;
	size_t len, cap;
};

void rule_key_build(struct rule_key *k, const struct ast_rule *r,
		    const struct source *src);
uint64_t rule_key_hash(const struct rule_key *k);
/* Append raw bytes (also used to keep several keys in one buffer). */
void rule_key_append(struct rule_key *k, const void *data, size_t n);
bool rule_key_equal(const struct rule_key *a, const struct rule_key *b);
void rule_key_free(struct rule_key *k);

#endif
