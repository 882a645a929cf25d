/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PARSER_NOFLUSH_H
#define IPTLINT_PARSER_NOFLUSH_H

#include <stddef.h>

#include "iptlint/ast.h"

/*
 * "iptables-restore --noflush" (lint_options.noflush): the files are
 * restored one after the other into the same kernel tables, the way ufw
 * loads before.rules, user.rules and after.rules and firewalld its
 * pieces. A "*filter" line then does not start an empty table: it goes on
 * with the filter table as the files and blocks before left it, and a
 * ":CHAIN" line for a user chain that exists flushes it instead of
 * creating it (both backends, checked in a network namespace). Without
 * --noflush each file is a ruleset of its own, as before.
 */

/*
 * The table called @name (@len bytes) already read for family @family,
 * or NULL. A table whose family was not known yet takes @family; tables
 * of the other family are another iptables-restore's (ip6tables-restore).
 */
struct ast_table *noflush_table(struct ast_ruleset *rs, const char *name,
				size_t len, int family);

#endif
