// SPDX-License-Identifier: GPL-2.0-or-later
/* AST helpers and lifetime. */
#include <stdlib.h>
#include <string.h>

#include "iptlint/ast.h"

void ast_ruleset_init(struct ast_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
	arena_init(&rs->arena);
}

void ast_ruleset_free(struct ast_ruleset *rs)
{
	for (struct ast_table *t = rs->tables; t; t = t->next) {
		free(t->chains);
		free(t->hash);
	}
	arena_free(&rs->arena);
	memset(rs, 0, sizeof(*rs));
}

struct loc ast_opt_loc(const struct ast_rule *rule, const struct ast_opt *opt)
{
	return loc_from_span(&rule->loc, opt->name);
}

struct loc ast_opt_arg_loc(const struct ast_rule *rule, const struct ast_opt *opt)
{
	return loc_from_span(&rule->loc, opt->nargs ? opt->arg : opt->name);
}

const struct ast_opt *ast_rule_find_opt(const struct ast_rule *rule,
					enum opt_id id)
{
	const struct ast_opt *o = ast_rule_opts(rule);
	uint32_t n = ast_rule_nopts(rule);

	/* Options are stored in match order: the first one found is the same. */
	if (id == OPT_NONE)
		return NULL;
	for (uint32_t k = 0; k < n; k++)
		if (ast_opt_id(&o[k]) == id)
			return &o[k];
	return NULL;
}

const struct ast_match *ast_rule_find_match(const struct ast_rule *rule,
					    enum ext_id id)
{
	for (uint32_t m = 0; m < rule->nmatches; m++)
		if (rule->matches[m].ext_id == (uint16_t)id)
			return &rule->matches[m];
	return NULL;
}

uint8_t ast_rule_tests(const struct ast_rule *r)
{
	const struct ast_opt *o = ast_rule_opts(r);
	uint8_t t = 0;

	for (uint32_t k = 0; r->nmatches && k < r->matches[0].opt_end; k++)
		switch (ast_opt_id(&o[k])) {
		case OPT_ip_SOURCE:
		case OPT_ip_DESTINATION:
		case OPT_ip_PROTOCOL:
		case OPT_ip_FRAGMENT:
		case OPT_ip_IN_INTERFACE:
		case OPT_ip_OUT_INTERFACE:
			t |= AST_TESTS_HEADER;
			break;
		default:
			break;
		}
	for (uint32_t m = 1; m < r->nmatches; m++) {
		if ((int32_t)m == r->target)
			continue;
		switch (r->matches[m].ext_id) {
		case EXT_ID_comment:
			break;
		case EXT_ID_mark:
		case EXT_ID_connmark:
		case EXT_ID_socket:
			t |= AST_TESTS_MARK;
			break;
		case EXT_ID_conntrack:
		case EXT_ID_state:
			t |= AST_TESTS_STATE;
			break;
		default:
			t |= AST_TESTS_HEADER;
			break;
		}
	}
	return t;
}
