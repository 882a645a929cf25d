// SPDX-License-Identifier: GPL-2.0-or-later
/* The check registry: checks.def expanded into descriptors, and check sets. */
#include <string.h>

#include "iptlint/check.h"
#include "rules/checks.h"

/* Parser checks have no function; the others check_run_/check_visit_<ID>(). */
#define PARSER_FNS(id)	NULL, NULL
#define RUN_FNS(id)	check_run_##id, NULL
#define VISIT_FNS(id)	NULL, check_visit_##id

const struct check_desc check_table[CHECK__COUNT] = {
#define CHECK(id, name, sev, kind, summary) \
	[CHECK_##id] = { name, sev, kind##_FNS(id), summary },
#include "rules/checks.def"
#undef CHECK
};

static const char *const severity_names[] = {
	[SEV_NOTE] = "note",
	[SEV_WARNING] = "warning",
	[SEV_ERROR] = "error",
};

/* A few dozen names, looked up only while reading options: linear is fine. */
static int check_lookup_n(const char *name, size_t len)
{
	for (int i = 0; i < CHECK__COUNT; i++) {
		const char *n = check_table[i].name;

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return i;
	}
	return -1;
}

int check_lookup(const char *name)
{
	return check_lookup_n(name, strlen(name));
}

const char *severity_name(enum severity sev)
{
	if ((unsigned int)sev > SEV_ERROR)
		return "unknown";
	return severity_names[sev];
}

int severity_parse(const char *s)
{
	for (int i = SEV_NOTE; i <= SEV_ERROR; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return i;
	return -1;
}

void check_set_default(struct check_set *set)
{
	for (int i = 0; i < CHECK__COUNT; i++)
		set->enabled[i] = true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Call @fn for each item of the comma list @list, with blanks around the
 * names trimmed; stop at the first non-zero return of @fn.
 */
static int check_list_walk(const char *list,
			   int (*fn)(const char *name, size_t len, void *arg),
			   void *arg)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		int r;

		while (p < end && is_blank(*p))
			p++;
		while (end > p && is_blank(end[-1]))
			end--;
		r = fn(p, (size_t)(end - p), arg);
		if (r || !comma)
			return r;
		p = comma + 1;
	}
}

struct check_list_bad {
	const char *name;
	size_t len;
};

static int check_list_validate(const char *name, size_t len, void *arg)
{
	struct check_list_bad *bad = arg;

	if ((len == 3 && memcmp(name, "all", 3) == 0) ||
	    check_lookup_n(name, len) >= 0)
		return 0;
	bad->name = name;
	bad->len = len;
	return -1;
}

struct check_list_set {
	struct check_set *set;
	bool enable;
};

static int check_list_set_one(const char *name, size_t len, void *arg)
{
	struct check_list_set *s = arg;
	int id = check_lookup_n(name, len);

	if (id >= 0) {
		s->set->enabled[id] = s->enable;
		return 0;
	}
	for (int i = 0; i < CHECK__COUNT; i++)	/* "all", validated before */
		s->set->enabled[i] = s->enable;
	return 0;
}

/*
 * Lists are applied in the order the caller hands them over, which for the
 * CLI is command-line order: "--disable=all --enable=chain-loop" runs only
 * chain-loop, while "--enable=chain-loop --disable=all" runs nothing. The
 * last word wins, as with most compilers' -W switches; there is no
 * "explicit beats group" rule.
 *
 * The whole list is validated first, so on an unknown name @set is left
 * untouched. An empty item ("a,,b" or "") counts as unknown, with
 * *badlen == 0.
 */
int check_set_apply(struct check_set *set, const char *list, bool enable,
		    const char **bad, size_t *badlen)
{
	struct check_list_bad b = { NULL, 0 };
	struct check_list_set s = { set, enable };

	if (check_list_walk(list, check_list_validate, &b)) {
		if (bad)
			*bad = b.name;
		if (badlen)
			*badlen = b.len;
		return -1;
	}
	check_list_walk(list, check_list_set_one, &s);
	return 0;
}
