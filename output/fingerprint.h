/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_OUTPUT_FINGERPRINT_H
#define IPTLINT_OUTPUT_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/ast.h"
#include "iptlint/diag.h"
#include "iptlint/source.h"

/*
 * A finding's fingerprint: stable when lines move (blank lines, comments,
 * rules added elsewhere), different for different findings. It hashes the
 * check, the table, the chain, the command and the canonical form of the
 * rule the finding is on (rule_key), or the trimmed text of its line when
 * it is on no rule, plus how many equal findings came before it in queue
 * order. SARIF's partialFingerprints and the baseline (--baseline) both
 * use it, so a baseline written from one run matches the SARIF of another.
 */

/* Characters of fingerprint_format()'s output, without the NUL. */
#define FINGERPRINT_HEX_LEN	16

/*
 * The fingerprint of every finding of @q, in queue order (sort the queue
 * first: equal findings are numbered in that order): out[i] for q->v[i].
 * @rs gives the rules behind findings (NULL: the line text only).
 */
void fingerprint_compute(const struct diag_queue *q,
			 const struct source_set *src,
			 const struct ast_ruleset *rs, uint64_t *out);

/*
 * fingerprint_compute() into each diag's @fingerprint, and mark the queue
 * as fingerprinted: the numbers stay with the findings when some of them
 * are dropped later (diag_queue_filter()).
 */
void fingerprint_queue(struct diag_queue *q, const struct source_set *src,
		       const struct ast_ruleset *rs);

/* @fp as FINGERPRINT_HEX_LEN lowercase hex digits into @buf. */
void fingerprint_format(uint64_t fp, char *buf, size_t size);

/* Read fingerprint_format()'s form back; false if @s is not one. */
bool fingerprint_parse(const char *s, uint64_t *fp);

#endif
