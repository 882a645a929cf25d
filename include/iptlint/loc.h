/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_LOC_H
#define IPTLINT_LOC_H

#include <stdint.h>

/**
 * struct loc - a span on one line of one input file.
 * @file:    index into the source set (struct source_set)
 * @line:    1-based line number
 * @col:     1-based column of the first byte
 * @end_col: 1-based column one past the last byte (SARIF's endColumn)
 *
 * Restore files are line oriented, so no span crosses a line.
 */
struct loc {
	uint32_t file;
	uint32_t line;
	uint32_t col;
	uint32_t end_col;
};

/**
 * struct span - a column range inside a line that is known from context
 * (an option inside a rule): the compact form stored in AST options.
 */
struct span {
	uint32_t col;
	uint32_t end_col;
};

static inline struct loc loc_from_span(const struct loc *line, struct span s)
{
	struct loc l = { line->file, line->line, s.col, s.end_col };
	return l;
}

static inline struct span span_from_loc(const struct loc *l)
{
	struct span s = { l->col, l->end_col };
	return s;
}

#endif
