/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_CHECK_H
#define IPTLINT_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The one registration table of checks. Names are an interface (see
 * ../shared/design/checks.md): never rename or reuse one. Severity comes
 * from here, never from the place that reports.
 */
enum severity {
	SEV_NOTE = 0,
	SEV_WARNING = 1,
	SEV_ERROR = 2,
};

enum check_id {
#define CHECK(id, name, sev, run, summary) CHECK_##id,
#include "rules/checks.def"
#undef CHECK
	CHECK__COUNT
};

struct lint;
struct ast_rule;

/**
 * struct check_desc - one registered check.
 * @run:   called once per lint run (NULL for parser and visit checks)
 * @visit: called for each rule that loads, in one walk shared by all
 *         visit checks (NULL otherwise)
 */
struct check_desc {
	const char *name;
	enum severity severity;
	void (*run)(struct lint *lint);
	void (*visit)(struct lint *lint, const struct ast_rule *rule);
	const char *summary;
};

extern const struct check_desc check_table[CHECK__COUNT];

/* Lookup by name; -1 when unknown. */
int check_lookup(const char *name);
const char *severity_name(enum severity sev);
/* "error"/"warning"/"note" -> severity, -1 when unknown. */
int severity_parse(const char *s);

/* Which checks run (a tri-state per check: an explicit --disable wins). */
struct check_set {
	bool enabled[CHECK__COUNT];
};

void check_set_default(struct check_set *set);
/*
 * Apply a comma-separated list of names to enable (or disable); "all" means
 * every check. Returns 0, or -1 with the first unknown name in @bad.
 */
int check_set_apply(struct check_set *set, const char *list, bool enable,
		    const char **bad, size_t *badlen);

#endif
