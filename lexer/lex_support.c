// SPDX-License-Identifier: GPL-2.0-or-later
/* Token helpers called from lexer.l actions. */
#include <string.h>

#include "lexer/lex_extra.h"

/* The word's columns are those of its text in the line, quotes included. */
static void lex_quoted_push(struct lex_extra *x, const struct loc *where,
			    uint32_t col, size_t text_len, const char *s,
			    size_t len)
{
	lex_push(x, where->line, col, col + (uint32_t)text_len, s, len, 1);
}

/*
 * A word with a double-quoted part: the unquoted prefix, then the quoted
 * text with backslash escapes resolved (add_param_to_argv). Without
 * escapes and prefix the word points into the source, else into the arena.
 */
void lex_quoted(struct lex_extra *x, const struct loc *where, const char *text,
		size_t len, int closed)
{
	uint32_t col = where->col;
	const char *q;
	size_t n = 0;

	while (text[n] == ' ' || text[n] == '\t')
		n++;
	text += n;
	len -= n;
	col += (uint32_t)n;
	q = memchr(text, '"', len);
	size_t prefix = (size_t)(q - text);
	const char *body = q + 1;
	size_t body_len = len - prefix - 1 - (closed ? 1 : 0);
	char *out, *o;

	if (prefix == 0 && !memchr(body, '\\', body_len)) {
		lex_quoted_push(x, where, col, len, body, body_len);
		return;
	}
	out = arena_alloc(&x->out->arena, prefix + body_len + 1);
	memcpy(out, text, prefix);
	o = out + prefix;
	for (size_t i = 0; i < body_len; i++) {
		if (body[i] == '\\' && i + 1 < body_len)
			i++;
		else if (body[i] == '\\')
			continue;	/* a trailing lone backslash escapes nothing */
		*o++ = body[i];
	}
	*o = '\0';
	lex_quoted_push(x, where, col, len, out, (size_t)(o - out));
}

int lex_flush_words(struct lex_extra *x, struct loc *loc)
{
	const struct line_batch *bt = x->out->cur;

	if (!x->nwords)
		return 0;
	loc->file = x->file;
	loc->line = bt->line;
	loc->col = bt->words[bt->nwords - x->nwords].col;
	loc->end_col = bt->words[bt->nwords - 1].end_col;
	x->nwords = 0;
	return 1;
}

void lex_comment(struct lex_extra *x, const struct loc *loc, const char *text,
		 size_t len)
{
	lines_emit(x->out, LINE_COMMENT, loc, false, text, (uint32_t)len);
}

void lex_crlf(struct lex_extra *x, const struct loc *loc)
{
	lines_emit(x->out, LINE_CRLF, loc, false, NULL, 0);
}

void lex_nul(struct lex_extra *x, const struct loc *loc)
{
	/* iptables ignores the rest of the line silently; so do we. */
	(void)x;
	(void)loc;
}
