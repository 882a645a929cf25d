// SPDX-License-Identifier: GPL-2.0-or-later
/* The baseline file (output/baseline.h): written, read, applied. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output/baseline.h"
#include "output/fingerprint.h"
#include "output/render.h"

#define BASELINE_VERSION	1

static int baseline_fail(char **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int baseline_fail(char **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return -1;
}

static int baseline_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int baseline_load(struct baseline *bl, const char *path, char **err)
{
	json_error_t je;
	json_t *doc, *findings, *version, *item;
	size_t i;

	memset(bl, 0, sizeof(*bl));
	*err = NULL;
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		if (je.line > 0)
			return baseline_fail(err, "%s:%d:%d: error: %s", path,
					     je.line, je.column > 0 ? je.column : 1,
					     je.text);
		return baseline_fail(err, "%s: %s", path, je.text);
	}
	version = json_object_get(doc, "version");
	findings = json_object_get(doc, "findings");
	if (!json_is_object(doc) || !json_is_array(findings) ||
	    !json_is_integer(version)) {
		json_decref(doc);
		return baseline_fail(err, "%s: not an iptlint baseline (no \"version\" and \"findings\"; write one with --write-baseline)",
				     path);
	}
	if (json_integer_value(version) != BASELINE_VERSION) {
		long long v = (long long)json_integer_value(version);

		json_decref(doc);
		return baseline_fail(err, "%s: baseline version %lld; this iptlint reads version %d",
				     path, v, BASELINE_VERSION);
	}
	bl->fp = calloc(json_array_size(findings) + 1, sizeof(*bl->fp));
	if (!bl->fp)
		abort();
	json_array_foreach(findings, i, item) {
		const char *s = json_string_value(json_object_get(item, "fingerprint"));

		if (!s || !fingerprint_parse(s, &bl->fp[bl->n])) {
			json_decref(doc);
			return baseline_fail(err, "%s: finding %zu has no valid \"fingerprint\" (%d hex digits)",
					     path, i + 1, FINGERPRINT_HEX_LEN);
		}
		bl->n++;
	}
	json_decref(doc);
	qsort(bl->fp, bl->n, sizeof(*bl->fp), baseline_cmp);
	return 0;
}

void baseline_free(struct baseline *bl)
{
	free(bl->fp);
	memset(bl, 0, sizeof(*bl));
}

bool baseline_has(const struct baseline *bl, uint64_t fp)
{
	return bl->n && bsearch(&fp, bl->fp, bl->n, sizeof(*bl->fp),
				baseline_cmp) != NULL;
}

static bool baseline_keep(const struct diag *d, void *arg)
{
	return !baseline_has(arg, d->fingerprint);
}

uint32_t baseline_filter(const struct baseline *bl, struct diag_queue *q)
{
	return diag_queue_filter(q, baseline_keep, (void *)bl);
}

int baseline_write(FILE *out, const struct diag_queue *q,
		   const struct source_set *src)
{
	json_t *doc = render_json_check(json_object());
	json_t *findings = render_json_check(json_array());
	int rc;

	render_json_put(doc, "version", json_integer(BASELINE_VERSION));
	render_json_put(doc, "tool", json_string("iptlint"));
	for (uint32_t i = 0; i < q->n; i++) {
		const struct diag *d = &q->v[i];
		json_t *f = render_json_check(json_object());
		char hex[FINGERPRINT_HEX_LEN + 1];

		fingerprint_format(d->fingerprint, hex, sizeof(hex));
		render_json_put(f, "fingerprint", json_string(hex));
		render_json_put(f, "check", json_string(check_table[d->check].name));
		render_json_put(f, "file",
				render_json_string(render_file_name(src, d->loc.file)));
		render_json_put(f, "line", json_integer(d->loc.line));
		render_json_put(f, "message", render_json_string(d->msg));
		render_json_push(findings, f);
	}
	render_json_put(doc, "findings", findings);
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || putc('\n', out) == EOF)
		return -1;
	return 0;
}
