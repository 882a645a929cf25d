/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_RULES_CHECKS_H
#define IPTLINT_RULES_CHECKS_H

/* The functions of the checks in checks.def: check_run_/check_visit_<ID>(). */
struct lint;
struct ast_rule;

#define PARSER_DECL(id)
#define RUN_DECL(id)	void check_run_##id(struct lint *lint);
#define VISIT_DECL(id)	void check_visit_##id(struct lint *lint, \
					      const struct ast_rule *rule);
#define CHECK(id, name, sev, kind, summary) kind##_DECL(id)
#include "rules/checks.def"
#undef CHECK
#undef PARSER_DECL
#undef RUN_DECL
#undef VISIT_DECL

#endif
