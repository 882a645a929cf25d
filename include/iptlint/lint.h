/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_LINT_H
#define IPTLINT_LINT_H

#include <stdbool.h>

#include "iptlint/ast.h"
#include "iptlint/check.h"
#include "iptlint/diag.h"
#include "iptlint/source.h"
#include "iptlint/suppress.h"

struct cfg;
struct reach;
struct markflow;

enum backend {
	BACKEND_ANY = 0,	/* flag what either backend rejects */
	BACKEND_LEGACY,
	BACKEND_NFT,
};

/**
 * struct lint_options - settings shared by the CLI, config and tests.
 * @family: VAL_FAM_ANY (auto-detect), VAL_FAM_V4 or VAL_FAM_V6
 * @backend: which iptables-restore to judge errors against
 * @noflush: the inputs are one ruleset, restored file after file with
 *           "iptables-restore --noflush" (--noflush): a table of a later
 *           file (or block) goes on with the one already read instead of
 *           starting empty (parser/noflush.h)
 * @entry_mark_prerouting_unknown: a packet may enter PREROUTING with any
 *           nfmark (--prerouting-mark=unknown). false (the default,
 *           --prerouting-mark=zero): packets arrive with mark 0, as they
 *           do from the wire unless something outside the ruleset (tc,
 *           a bridge, an XDP/eBPF program) sets one.
 * @entry_mark_output_zero: a locally generated packet enters OUTPUT with
 *           mark 0 (--output-mark=zero). false (the default,
 *           --output-mark=unknown): it may have any nfmark, as sockets
 *           set marks with SO_MARK, and routing policies and VPN clients
 *           do it all the time.
 *
 * The two entry-mark assumptions are for the mark analysis
 * (analyzer/markflow.c on main reads them under these names): the nfmark
 * a packet has where it enters the ruleset. A zero-initialised struct is
 * the default; lint_options_default() spells it out.
 */
struct lint_options {
	int family;
	enum backend backend;
	bool noflush;
	/*
	 * nfmark of packets entering PREROUTING (from the wire: 0, unless tc
	 * or another tool marks them) and OUTPUT (sockets may set SO_MARK:
	 * unknown). analysis-model.md §2.
	 */
	bool entry_mark_prerouting_unknown;
	bool entry_mark_output_zero;
};

/* The defaults of every option (what iptlint does with no option given). */
static inline struct lint_options lint_options_default(void)
{
	struct lint_options o = {
		.family = VAL_FAM_ANY,
		.backend = BACKEND_ANY,
		.noflush = false,
		.entry_mark_prerouting_unknown = false,
		.entry_mark_output_zero = false,
	};

	return o;
}

/**
 * struct lint - one run: inputs, the AST built from them, the findings.
 * No global state: everything a run needs hangs off this.
 */
struct lint {
	struct lint_options opt;
	struct source_set sources;
	struct ast_ruleset rs;
	struct check_set checks;
	struct diag_queue diags;
	struct suppressions suppress;
	/* Analyses shared by several checks, built on first use. */
	struct cfg *cfg;
	struct reach *reach;
	struct markflow *markflow;
};

void lint_init(struct lint *lint, const struct lint_options *opt);
void lint_free(struct lint *lint);

/*
 * Parse source @file_id (already in lint->sources) into lint->rs, reporting
 * syntax and option errors. Each file is its own restore file: a table
 * left open at its end is a missing-commit. Files parsed one after the
 * other are separate rulesets, or one with lint_options.noflush.
 */
void lint_parse(struct lint *lint, uint32_t file_id);

/* Run every enabled check that has a run function. */
void lint_run_checks(struct lint *lint);

#endif
