/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_OUTPUT_BASELINE_H
#define IPTLINT_OUTPUT_BASELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "iptlint/diag.h"
#include "iptlint/source.h"

/*
 * The baseline: the findings accepted once (--write-baseline), recorded
 * by fingerprint (output/fingerprint.h), so that later runs report only
 * the findings that are not in it (--baseline). The file is JSON, sorted
 * as the findings are, with what a person needs to recognise each one:
 *
 *	{"version": 1, "tool": "iptlint",
 *	 "findings": [{"fingerprint": "0123456789abcdef",
 *	               "check": "unused-chain", "file": "rules.v4",
 *	               "line": 12, "message": "..."}]}
 *
 * Only "fingerprint" is read back: lines may have moved since.
 */

/**
 * struct baseline - the fingerprints of a baseline file, sorted.
 */
struct baseline {
	uint64_t *fp;
	uint32_t n;
};

/*
 * Read @path into @bl. Returns 0, or -1 with a malloc'ed message in *err
 * that starts with the file name (and the line and column of a JSON
 * error). @bl needs baseline_free() either way.
 */
int baseline_load(struct baseline *bl, const char *path, char **err);
void baseline_free(struct baseline *bl);

/* Whether @fp is in @bl. */
bool baseline_has(const struct baseline *bl, uint64_t fp);

/*
 * Drop the findings of @q whose fingerprint is in @bl; @q must have been
 * through fingerprint_queue(). Returns how many were dropped.
 */
uint32_t baseline_filter(const struct baseline *bl, struct diag_queue *q);

/*
 * Write every finding of @q (fingerprint_queue()'d) as a baseline
 * document. Returns 0, or -1 when it could not be written.
 */
int baseline_write(FILE *out, const struct diag_queue *q,
		   const struct source_set *src);

#endif
