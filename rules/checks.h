/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_RULES_CHECKS_H
#define IPTLINT_RULES_CHECKS_H

/* The run functions of the checks in checks.def: check_run_<ID>(). */
struct lint;

#define PARSER_DECL(id)
#define RULE_DECL(id)	void check_run_##id(struct lint *lint);
#define CHECK(id, name, sev, kind, summary) kind##_DECL(id)
#include "rules/checks.def"
#undef CHECK
#undef PARSER_DECL
#undef RULE_DECL

#endif
