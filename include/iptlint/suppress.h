/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_SUPPRESS_H
#define IPTLINT_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/arena.h"
#include "iptlint/loc.h"

struct lint;

enum suppress_kind {
	SUPPRESS_NEXT = 1,	/* # iptlint: disable=...       the next rule */
	SUPPRESS_FILE,		/* # iptlint: disable-file=...  the whole file */
};

/**
 * struct suppression - one "# iptlint: disable..." comment line.
 * @names: the comma-separated check names as written
 * @used:  it silenced a finding
 */
struct suppression {
	int kind;
	struct loc loc;
	const char *names;
	bool used;
};

/*
 * @rule_directives: rules whose "-m comment --comment" is a directive
 * (counted by the parser, so that a file without any costs nothing)
 */
struct suppressions {
	struct suppression *v;
	uint32_t n, cap;
	uint32_t rule_directives;
};

/* Does a comment text start with "iptlint:" (blanks allowed before it)? */
bool suppress_is_directive(const char *s, size_t len);

/* Record the comment line @text (from its '#') if it is a directive. */
void suppress_add_comment(struct suppressions *sp, struct arena *arena,
			  const struct loc *loc, const char *text, size_t len);
/*
 * Drop the findings the directives (and "-m comment --comment
 * 'iptlint: disable=...'") silence, then note directives that name no
 * check or silence nothing. Call once, after every check ran.
 */
void suppress_apply(struct lint *lint);
void suppress_free(struct suppressions *sp);

#endif
