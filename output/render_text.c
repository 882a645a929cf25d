// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text output for people: the finding, its source line and a ^~~ marker,
 * the notes the same way, then a count line.
 *
 * Excerpts are printed one display unit at a time: a tab stays a tab, so
 * the marker line, which copies the tabs in front of the caret, lines up
 * whatever the terminal's tab stops; a printable character (ASCII or one
 * valid UTF-8 sequence) is copied; anything else (a control byte, invalid
 * UTF-8, a bidi or zero-width character) is shown as one '?'. Every unit but
 * a tab takes one cell, and the marker puts one space under it. Characters
 * two cells wide (CJK) shift the marker to the left: not handled.
 *
 * Lines longer than TEXT_CLIP_LINE bytes are clipped to TEXT_CLIP_CTX bytes
 * on each side of the span, with "..." where bytes were left out, so that a
 * 1 MB line prints a few hundred bytes.
 */
#include <inttypes.h>
#include <string.h>

#include "output/render.h"

#define TEXT_CLIP_LINE	300	/* longer lines are clipped around the span */
#define TEXT_CLIP_CTX	60	/* bytes kept on each side of the span */
#define TEXT_CLIP_SPAN	160	/* a longer span is underlined this far only */
#define TEXT_FIXIT_OLD	80	/* replaced text quoted in a fix-it, at most */
#define TEXT_TAB_WIDTH	8	/* only for '~' under a tab inside the span */

struct text_style {
	const char *loc;	/* FILE:LINE:COL: */
	const char *sev[SEV_ERROR + 1];
	const char *marker;	/* ^~~~ and fix-it */
	const char *reset;
};

static const struct text_style text_plain = {
	"", { "", "", "" }, "", "",
};

static const struct text_style text_color = {
	.loc = "\033[1m",
	.sev = {
		[SEV_NOTE] = "\033[1;36m",
		[SEV_WARNING] = "\033[1;35m",
		[SEV_ERROR] = "\033[1;31m",
	},
	.marker = "\033[1;32m",
	.reset = "\033[0m",
};

size_t render_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	/* Smallest code point of each length: anything below is overlong. */
	static const uint32_t min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned char c = p[0];
	size_t len;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	v = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min_cp[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/*
 * Characters a terminal acts on or draws without width: C0, DEL, C1,
 * zero-width spaces and joiners, line/paragraph separators, bidi embeddings,
 * overrides and isolates ("Trojan Source"), and the BOM.
 */
static bool text_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	       (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

enum text_unit {
	UNIT_SHOW,	/* copy the bytes */
	UNIT_TAB,
	UNIT_SUBST,	/* show one '?' */
};

static size_t text_unit_at(const char *s, size_t n, enum text_unit *kind)
{
	uint32_t cp;
	size_t len = render_utf8_decode((const unsigned char *)s, n, &cp);

	if (len == 0) {
		*kind = UNIT_SUBST;
		return 1;
	}
	if (cp == '\t')
		*kind = UNIT_TAB;
	else
		*kind = text_hidden(cp) ? UNIT_SUBST : UNIT_SHOW;
	return len;
}

/*
 * Write @s with unsafe units replaced; runs of plain text go out in one call.
 * In an @excerpt a tab stays (the marker copies it); in a message, tab,
 * newline and carriage return become a space so the text stays on one line.
 */
static void text_put_units(FILE *out, const char *s, size_t n, bool excerpt)
{
	size_t i = 0, run = 0;

	while (i < n) {
		enum text_unit k;
		size_t len = text_unit_at(s + i, n - i, &k);

		if (k != UNIT_SHOW) {
			char c = '?';

			if (excerpt && k == UNIT_TAB)
				c = '\t';
			else if (!excerpt && (s[i] == '\t' || s[i] == '\n' ||
					      s[i] == '\r'))
				c = ' ';
			fwrite(s + run, 1, i - run, out);
			putc(c, out);
			run = i + len;
		}
		i += len;
	}
	fwrite(s + run, 1, i - run, out);
}

void render_put_clean(FILE *out, const char *s, size_t n)
{
	text_put_units(out, s, n, false);
}

static bool text_is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Screen column after unit @k at @vcol (tab stops only matter in the span). */
static size_t text_next_col(size_t vcol, enum text_unit k)
{
	if (k == UNIT_TAB)
		return (vcol / TEXT_TAB_WIDTH + 1) * TEXT_TAB_WIDTH;
	return vcol + 1;
}

/* The marker line: tabs copied before the caret, '^' at it, '~' to @end. */
static void text_marker(FILE *out, const char *line, size_t from, size_t to,
			size_t caret, size_t end, const struct text_style *st)
{
	size_t i = from, vcol = 0;
	bool first = true;

	if (from) {
		fputs("   ", out);	/* under the leading "..." */
		vcol = 3;
	}
	while (i < caret) {
		enum text_unit k;

		i += text_unit_at(line + i, to - i, &k);
		putc(k == UNIT_TAB ? '\t' : ' ', out);
		vcol = text_next_col(vcol, k);
	}
	fputs(st->marker, out);
	/* The span may run one past the line: a caret at the end of the line. */
	while (i < end) {
		enum text_unit k = UNIT_SHOW;
		size_t next;

		i += i < to ? text_unit_at(line + i, to - i, &k) : 1;
		for (next = text_next_col(vcol, k); vcol < next; vcol++) {
			putc(first ? '^' : '~', out);
			first = false;
		}
	}
	fputs(st->reset, out);
	putc('\n', out);
}

/*
 * Bytes [*col, *end) of @line that @loc covers, clamped to the line; an
 * empty or reversed span becomes one byte (possibly just past the line).
 */
static void text_span(const struct loc *loc, size_t len, size_t *col,
		      size_t *end)
{
	*col = loc->col ? loc->col - 1 : 0;
	if (*col > len)
		*col = len;
	*end = loc->end_col ? loc->end_col - 1 : 0;
	if (*end > len)
		*end = len;
	if (*end <= *col)
		*end = *col + 1;
}

/* The line @loc points at, or NULL when it is not in @src. */
static const char *text_line(const struct source_set *src,
			     const struct loc *loc, size_t *len)
{
	const struct source *s;

	if (loc->file >= src->n)
		return NULL;
	s = src->v[loc->file];
	if (loc->line == 0 || loc->line > s->nlines)
		return NULL;
	return source_line(s, loc->line, len);
}

static void text_excerpt(FILE *out, const struct source_set *src,
			 const struct loc *loc, const struct text_style *st)
{
	size_t len, caret, end, from = 0, to;
	const char *line = text_line(src, loc, &len);

	if (!line)
		return;
	text_span(loc, len, &caret, &end);
	to = len;
	if (len > TEXT_CLIP_LINE) {
		if (end - caret > TEXT_CLIP_SPAN)
			end = caret + TEXT_CLIP_SPAN;
		from = caret > TEXT_CLIP_CTX ? caret - TEXT_CLIP_CTX : 0;
		if (end + TEXT_CLIP_CTX < len)
			to = end + TEXT_CLIP_CTX;
		/* Cut between characters, not inside one. */
		while (from < caret && text_is_cont(line[from]))
			from++;
		while (to > end && to < len && text_is_cont(line[to]))
			to--;
	}
	if (from)
		fputs("...", out);
	text_put_units(out, line + from, to - from, true);
	fputs(to < len ? "...\n" : "\n", out);
	text_marker(out, line, from, to, caret, end, st);
}

static void text_header(FILE *out, const struct source_set *src,
			const struct loc *loc, enum severity sev,
			const char *msg, const char *check,
			const struct text_style *st)
{
	const char *name = render_file_name(src, loc->file);

	fputs(st->loc, out);
	render_put_clean(out, name, strlen(name));
	fprintf(out, ":%" PRIu32 ":%" PRIu32 ":%s %s%s:%s ", loc->line,
		loc->col, st->reset, st->sev[sev], severity_name(sev),
		st->reset);
	render_put_clean(out, msg, strlen(msg));
	if (check)
		fprintf(out, " [%s]", check);
	putc('\n', out);
}

static void text_quote(FILE *out, const char *s, size_t n)
{
	putc('"', out);
	render_put_clean(out, s, n > TEXT_FIXIT_OLD ? TEXT_FIXIT_OLD : n);
	fputs(n > TEXT_FIXIT_OLD ? "...\"" : "\"", out);
}

/*
 * "  fix-it: replace "OLD" with "NEW"" ("insert" for an empty span,
 * "remove" for an empty replacement), with " at LINE:COL" when it does not
 * start where the caret points.
 */
static void text_fixit(FILE *out, const struct source_set *src,
		       const struct diag *d, const struct text_style *st)
{
	const struct loc *fl = &d->fixit_loc;
	size_t len, col, end;
	const char *line = text_line(src, fl, &len);

	fprintf(out, "  %sfix-it:%s ", st->marker, st->reset);
	if (line) {
		text_span(fl, len, &col, &end);
		if (fl->end_col <= fl->col || end > len)
			end = col;	/* an insertion */
	}
	if (!line) {
		fputs("replace with ", out);
		text_quote(out, d->fixit, strlen(d->fixit));
	} else if (col == end) {
		fputs("insert ", out);
		text_quote(out, d->fixit, strlen(d->fixit));
	} else if (!d->fixit[0]) {
		fputs("remove ", out);
		text_quote(out, line + col, end - col);
	} else {
		fputs("replace ", out);
		text_quote(out, line + col, end - col);
		fputs(" with ", out);
		text_quote(out, d->fixit, strlen(d->fixit));
	}
	if (fl->file != d->loc.file || fl->line != d->loc.line ||
	    fl->col != d->loc.col)
		fprintf(out, " at %" PRIu32 ":%" PRIu32, fl->line, fl->col);
	putc('\n', out);
}

static void text_summary(FILE *out, const struct diag_queue *q)
{
	struct render_counts c;

	render_count(q, &c);
	fprintf(out, "%" PRIu32 " error%s, %" PRIu32 " warning%s, %" PRIu32
		" note%s\n", c.errors, c.errors == 1 ? "" : "s",
		c.warnings, c.warnings == 1 ? "" : "s",
		c.notes, c.notes == 1 ? "" : "s");
}

void render_text(FILE *out, const struct diag_queue *q,
		 const struct source_set *src, bool color)
{
	const struct text_style *st = color ? &text_color : &text_plain;

	for (uint32_t i = 0; i < q->n; i++) {
		const struct diag *d = &q->v[i];
		const struct check_desc *c = &check_table[d->check];

		text_header(out, src, &d->loc, c->severity, d->msg, c->name, st);
		text_excerpt(out, src, &d->loc, st);
		if (d->fixit)
			text_fixit(out, src, d, st);
		for (uint32_t j = 0; j < d->nnotes; j++) {
			const struct diag_note *n = &d->notes[j];

			text_header(out, src, &n->loc, SEV_NOTE, n->msg, NULL,
				    st);
			text_excerpt(out, src, &n->loc, st);
		}
	}
	if (q->n)
		text_summary(out, q);
}
