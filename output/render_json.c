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
 * that are not UTF-8, so file names and messages go through render_json_string(),
 * which turns each invalid byte into U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output/render.h"

/* Like the rest of the tool, running out of memory is fatal. */
json_t *render_json_check(json_t *v)
{
	if (!v) {
		fputs("iptlint: out of memory\n", stderr);
		abort();
	}
	return v;
}

void render_json_put(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, render_json_check(v)) < 0)
		render_json_check(NULL);
}

void render_json_push(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, render_json_check(v)) < 0)
		render_json_check(NULL);
}

json_t *render_json_string(const char *s)
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
		render_json_check(NULL);
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
	return render_json_check(v);
}

static void rj_put_loc(json_t *obj, const struct source_set *src,
			 const struct loc *loc)
{
	uint32_t end = loc->end_col > loc->col ? loc->end_col : loc->col;

	render_json_put(obj, "file", render_json_string(render_file_name(src, loc->file)));
	render_json_put(obj, "line", json_integer(loc->line));
	render_json_put(obj, "column", json_integer(loc->col));
	/* Spans never cross a line (loc.h). */
	render_json_put(obj, "end_line", json_integer(loc->line));
	render_json_put(obj, "end_column", json_integer(end));
}

static json_t *rj_diag(const struct diag *d, const struct source_set *src)
{
	const struct check_desc *c = &check_table[d->check];
	json_t *obj = render_json_check(json_object());
	json_t *notes = render_json_check(json_array());

	rj_put_loc(obj, src, &d->loc);
	render_json_put(obj, "severity", json_string(severity_name(c->severity)));
	render_json_put(obj, "check", json_string(c->name));
	render_json_put(obj, "message", render_json_string(d->msg));
	for (uint32_t i = 0; i < d->nnotes; i++) {
		json_t *note = render_json_check(json_object());

		rj_put_loc(note, src, &d->notes[i].loc);
		render_json_put(note, "message", render_json_string(d->notes[i].msg));
		render_json_push(notes, note);
	}
	render_json_put(obj, "notes", notes);
	if (d->fixit) {
		json_t *fix = render_json_check(json_object());

		rj_put_loc(fix, src, &d->fixit_loc);
		render_json_put(fix, "text", render_json_string(d->fixit));
		render_json_put(obj, "fixit", fix);
	}
	return obj;
}

static json_t *rj_summary(const struct diag_queue *q)
{
	json_t *obj = render_json_check(json_object());
	struct render_counts c;

	render_count(q, &c);
	render_json_put(obj, "errors", json_integer(c.errors));
	render_json_put(obj, "warnings", json_integer(c.warnings));
	render_json_put(obj, "notes", json_integer(c.notes));
	return obj;
}

int render_json(FILE *out, const struct diag_queue *q,
		const struct source_set *src)
{
	json_t *root = render_json_check(json_object());
	json_t *diags = render_json_check(json_array());
	int r;

	render_json_put(root, "version", json_integer(1));
	render_json_put(root, "tool", json_string("iptlint"));
	for (uint32_t i = 0; i < q->n; i++)
		render_json_push(diags, rj_diag(&q->v[i], src));
	render_json_put(root, "diagnostics", diags);
	render_json_put(root, "summary", rj_summary(q));
	r = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (r < 0 || putc('\n', out) == EOF)
		return -1;
	return 0;
}
