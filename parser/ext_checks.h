/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PARSER_EXT_CHECKS_H
#define IPTLINT_PARSER_EXT_CHECKS_H

#include <stdarg.h>

#include "iptlint/ast.h"
#include "iptlint/check.h"
#include "iptlint/ext.h"

struct build;

/**
 * struct ext_check_ctx - what an extension's cross-option check sees.
 * @rule: the rule being built (base options in matches[0])
 * @m:    the match or target under check
 * @family: VAL_FAM_* of the ruleset (VAL_FAM_ANY while unknown)
 * @proto: the rule's -p protocol number (0 = any), @proto_inv its "!"
 */
struct ext_check_ctx {
	struct build *b;
	struct ast_rule *rule;
	struct ast_match *m;
	int family;
	unsigned int proto;
	bool proto_inv;
};

/* Option @id of the match under check, or NULL. */
const struct ast_opt *ext_ctx_opt(const struct ext_check_ctx *ctx,
				  enum opt_id id);
/* Report against an option (or the match's own words when @at is NULL). */
void ext_ctx_report(struct ext_check_ctx *ctx, enum check_id check,
		    const struct ast_opt *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Choice word lists used by extensions.def. */
extern const char *const ext_ctstate_names[];

/* Cross-option checks named in extensions.def. */
void ext_check_CONNMARK(struct ext_check_ctx *ctx);
void ext_check_multiport(struct ext_check_ctx *ctx);

#endif
