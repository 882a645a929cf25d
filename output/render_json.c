// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JSON format, one document:
 *
 *	{"version": 1, "tool": "iptlint",
 *	 "diagnostics": [{"file", "line", "column", "end_line", "end_column",
 *	                  "severity", "check", "message",
 *	                  "notes": [{"file", "line", "column", "end_line",
 *	                             "end_column", "message"}],
 *	                  "fixit": {"file", "line", "column", "end_line",
 *	                            "end_column", "text"}}],
 *	 "summary": {"errors", "warnings", "notes"}}
 *
 * "fixit" is there only when the finding has one. Columns count bytes and
 * end_column is one past the span, as in SARIF. jansson refuses strings
 * that are not UTF-8, so file names and messages go through rj_clean(),
 * which turns each invalid byte into U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output/render.h"

/* Like the rest of the tool, running out of memory is fatal. */
static json_t *rj_check(json_t *v)
{
	if (!v) {
		fputs("iptlint: out of memory\n", stderr);
		abort();
	}
	return v;
}

static void rj_put(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, rj_check(v)) < 0)
		rj_check(NULL);
}

static void rj_push(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, rj_check(v)) < 0)
		rj_check(NULL);
}

static json_t *rj_clean(const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */
	size_t n = strlen(s), i = 0, o = 0;
	json_t *v = json_stringn(s, n);
	char *buf;

	if (v)
		return v;
	/* Not UTF-8: copy it, an invalid byte (1) growing to U+FFFD (3). */
	buf = malloc(3 * n + 1);
	if (!buf)
		rj_check(NULL);
	while (i < n) {
		uint32_t cp;
		size_t len = render_utf8_decode((const unsigned char *)s + i,
						n - i, &cp);

		if (len) {
			memcpy(buf + o, s + i, len);
			o += len;
			i += len;
		} else {
			memcpy(buf + o, replacement, 3);
			o += 3;
			i++;
		}
	}
	v = json_stringn(buf, o);
	free(buf);
	return rj_check(v);
}

static void rj_put_loc(json_t *obj, const struct source_set *src,
			 const struct loc *loc)
{
	uint32_t end = loc->end_col > loc->col ? loc->end_col : loc->col;

	rj_put(obj, "file", rj_clean(render_file_name(src, loc->file)));
	rj_put(obj, "line", json_integer(loc->line));
	rj_put(obj, "column", json_integer(loc->col));
	/* Spans never cross a line (loc.h). */
	rj_put(obj, "end_line", json_integer(loc->line));
	rj_put(obj, "end_column", json_integer(end));
}

static json_t *rj_diag(const struct diag *d, const struct source_set *src)
{
	const struct check_desc *c = &check_table[d->check];
	json_t *obj = rj_check(json_object());
	json_t *notes = rj_check(json_array());

	rj_put_loc(obj, src, &d->loc);
	rj_put(obj, "severity", json_string(severity_name(c->severity)));
	rj_put(obj, "check", json_string(c->name));
	rj_put(obj, "message", rj_clean(d->msg));
	for (uint32_t i = 0; i < d->nnotes; i++) {
		json_t *note = rj_check(json_object());

		rj_put_loc(note, src, &d->notes[i].loc);
		rj_put(note, "message", rj_clean(d->notes[i].msg));
		rj_push(notes, note);
	}
	rj_put(obj, "notes", notes);
	if (d->fixit) {
		json_t *fix = rj_check(json_object());

		rj_put_loc(fix, src, &d->fixit_loc);
		rj_put(fix, "text", rj_clean(d->fixit));
		rj_put(obj, "fixit", fix);
	}
	return obj;
}

static json_t *rj_summary(const struct diag_queue *q)
{
	json_t *obj = rj_check(json_object());
	struct render_counts c;

	render_count(q, &c);
	rj_put(obj, "errors", json_integer(c.errors));
	rj_put(obj, "warnings", json_integer(c.warnings));
	rj_put(obj, "notes", json_integer(c.notes));
	return obj;
}

int render_json(FILE *out, const struct diag_queue *q,
		const struct source_set *src)
{
	json_t *root = rj_check(json_object());
	json_t *diags = rj_check(json_array());
	int r;

	rj_put(root, "version", json_integer(1));
	rj_put(root, "tool", json_string("iptlint"));
	for (uint32_t i = 0; i < q->n; i++)
		rj_push(diags, rj_diag(&q->v[i], src));
	rj_put(root, "diagnostics", diags);
	rj_put(root, "summary", rj_summary(q));
	r = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (r < 0 || putc('\n', out) == EOF)
		return -1;
	return 0;
}
