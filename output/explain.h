/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_OUTPUT_EXPLAIN_H
#define IPTLINT_OUTPUT_EXPLAIN_H

/*
 * The check pages (docs/checks/<name>.md), compiled in for --explain by
 * tools/embed-docs.py. The table ends with { NULL, NULL }.
 */
struct explain_page {
	const char *name;
	const char *text;
};

extern const struct explain_page explain_pages[];

/* The page of check @name, or NULL. */
const char *explain_page(const char *name);

#endif
