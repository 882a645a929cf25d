/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_OUTPUT_RENDER_H
#define IPTLINT_OUTPUT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "iptlint/ast.h"
#include "iptlint/diag.h"
#include "iptlint/source.h"

/*
 * One renderer per output format. Each takes the queue as it is (the CLI
 * sorts it first) and the sources the locations point into; none of them
 * reads a file.
 */

/* jansson helpers shared by the JSON and SARIF renderers (render_json.c). */
json_t *render_json_check(json_t *v);		/* aborts on NULL (out of memory) */
void render_json_put(json_t *obj, const char *key, json_t *v);
void render_json_push(json_t *arr, json_t *v);
json_t *render_json_string(const char *s);	/* invalid UTF-8 becomes U+FFFD */

/*
 * Write @doc as json_dumpf(JSON_INDENT(2) | JSON_PRESERVE_ORDER) would, with
 * the string value @marker replaced by an array of @n elements that
 * @elem(@ctx, i) builds one at a time: the same bytes, without the whole
 * tree in memory (400,000 findings made a 2 GB SARIF tree). Ends with a
 * newline; -1 on a write error.
 */
int render_json_stream(FILE *out, json_t *doc, const char *marker, uint32_t n,
		       json_t *(*elem)(void *ctx, uint32_t i), void *ctx);

/* Number of queued findings per severity (notes attached to them not counted). */
struct render_counts {
	uint32_t errors;
	uint32_t warnings;
	uint32_t notes;
};

static inline void render_count(const struct diag_queue *q,
				struct render_counts *c)
{
	uint32_t *slot[] = {
		[SEV_NOTE] = &c->notes,
		[SEV_WARNING] = &c->warnings,
		[SEV_ERROR] = &c->errors,
	};

	c->errors = c->warnings = c->notes = 0;
	for (int i = 0; i < CHECK__COUNT; i++)
		*slot[check_table[i].severity] += q->count[i];
}

/* The name of source @file, or "<unknown>" for an index not in @src. */
static inline const char *render_file_name(const struct source_set *src,
					   uint32_t file)
{
	return file < src->n ? src->v[file]->name : "<unknown>";
}

/*
 * Shared by all renderers, defined in render_text.c:
 *
 * Decode one character at @p (@n > 0 bytes left): returns the length of a
 * valid UTF-8 sequence (1 for ASCII) and its code point in *cp, or 0 when
 * the byte at @p does not start a valid sequence (stray continuation byte,
 * overlong form, surrogate, beyond U+10FFFF, cut short).
 */
size_t render_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/*
 * Write @n bytes of @s on one line of human-readable output: newline, tab
 * and carriage return become a space, any other byte or character that a
 * terminal would act on or not show (C0/C1 controls, DEL, invalid UTF-8,
 * bidi overrides, zero-width characters) becomes one '?'.
 */
void render_put_clean(FILE *out, const char *s, size_t n);

/*
 * Text format: "FILE:LINE:COL: SEVERITY: MESSAGE [check]", the source line,
 * a ^~~~ marker, notes with their own excerpt, fix-its, and at the end a
 * count line when anything was found. @color: ANSI colours.
 */
void render_text(FILE *out, const struct diag_queue *q,
		 const struct source_set *src, bool color);

/* gcc format: one line per finding and per note, no excerpts. */
void render_gcc(FILE *out, const struct diag_queue *q,
		const struct source_set *src);

/* JSON format: one document. Returns 0, or -1 when it could not be written. */
int render_json(FILE *out, const struct diag_queue *q,
		const struct source_set *src);

/*
 * SARIF 2.1.0, one run. @rs gives the rules behind findings for
 * fingerprints (NULL: fingerprints from the line text). Returns 0 or -1.
 */
int render_sarif(FILE *out, const struct diag_queue *q,
		 const struct source_set *src, const struct ast_ruleset *rs);

#endif
