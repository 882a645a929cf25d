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

#define RJ_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static char *rj_dumps(const json_t *v)
{
	/* JSON_ENCODE_ANY: the marker is a bare string. */
	char *s = json_dumps(v, RJ_FLAGS | JSON_ENCODE_ANY);

	if (!s)
		render_json_check(NULL);
	return s;
}

/* @s with @indent spaces after each of its newlines. */
static int rj_write_indented(FILE *out, const char *s, size_t indent)
{
	for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1)
		if (fwrite(s, 1, (size_t)(nl + 1 - s), out) != (size_t)(nl + 1 - s) ||
		    fprintf(out, "%*s", (int)indent, "") < 0)
			return -1;
	return fputs(s, out) == EOF ? -1 : 0;
}

int render_json_stream(FILE *out, json_t *doc, const char *marker, uint32_t n,
		       json_t *(*elem)(void *ctx, uint32_t i), void *ctx)
{
	json_t *m = render_json_check(json_string(marker));
	char *text = rj_dumps(doc), *quoted = rj_dumps(m), *at, *line;
	size_t indent;
	int rc = 0;

	json_decref(m);
	at = strstr(text, quoted);
	if (!at)
		abort();	/* the caller put the marker in @doc */
	/* The array's elements go one level below the line holding it. */
	for (line = at; line > text && line[-1] != '\n'; line--)
		;
	indent = strspn(line, " ") + 2;
	if (fwrite(text, 1, (size_t)(at - text), out) != (size_t)(at - text))
		rc = -1;
	if (!n && fputs("[]", out) == EOF)
		rc = -1;
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		json_t *e = elem(ctx, i);
		char *es = rj_dumps(e);

		json_decref(e);
		if (fprintf(out, "%s\n%*s", i ? "," : "[", (int)indent, "") < 0 ||
		    rj_write_indented(out, es, indent) < 0)
			rc = -1;
		free(es);
	}
	if (n && rc == 0 && fprintf(out, "\n%*s]", (int)indent - 2, "") < 0)
		rc = -1;
	if (rc == 0 && (fputs(at + strlen(quoted), out) == EOF ||
			putc('\n', out) == EOF))
		rc = -1;
	free(quoted);
	free(text);
	return rc;
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

/* Not a string a real message can hold: it has a control character. */
#define RJ_MARKER	"\001iptlint: the findings go here\001"

struct rj_ctx {
	const struct diag_queue *q;
	const struct source_set *src;
};

static json_t *rj_elem(void *ctx, uint32_t i)
{
	const struct rj_ctx *c = ctx;

	return rj_diag(&c->q->v[i], c->src);
}

int render_json(FILE *out, const struct diag_queue *q,
		const struct source_set *src)
{
	json_t *root = render_json_check(json_object());
	struct rj_ctx ctx = { q, src };
	int r;

	render_json_put(root, "version", json_integer(1));
	render_json_put(root, "tool", json_string("iptlint"));
	render_json_put(root, "diagnostics", json_string(RJ_MARKER));
	render_json_put(root, "summary", rj_summary(q));
	r = render_json_stream(out, root, RJ_MARKER, q->n, rj_elem, &ctx);
	json_decref(root);
	return r;
}
