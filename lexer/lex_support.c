// SPDX-License-Identifier: GPL-2.0-or-later
/* Token helpers called from lexer.l actions. */
#include <string.h>

#include "lexer/lex_extra.h"

static void lex_push(struct lex_extra *x, const struct loc *loc,
		     const char *s, size_t len, uint8_t quoted)
{
	struct word w = { s, (uint32_t)len, quoted };

	if (!x->nwords++)
		x->words = *loc;
	x->words.end_col = loc->end_col;
	build_push_word(x->b, &w, loc);
}

/* The word patterns start with the blanks before the word: drop them. */
static size_t skip_blanks(struct loc *l, const char **text, size_t len)
{
	size_t n = 0;

	while (n < len && ((*text)[n] == ' ' || (*text)[n] == '\t'))
		n++;
	*text += n;
	l->col += (uint32_t)n;
	return len - n;
}

void lex_word(struct lex_extra *x, const struct loc *loc, const char *text,
	      size_t len)
{
	struct loc l = *loc;

	len = skip_blanks(&l, &text, len);
	lex_push(x, &l, text, len, 0);
}

/*
 * A word with a double-quoted part: the unquoted prefix, then the quoted
 * text with backslash escapes resolved (add_param_to_argv). Without
 * escapes and prefix the word points into the source, else into the arena.
 */
void lex_quoted(struct lex_extra *x, const struct loc *where, const char *text,
		size_t len, int closed)
{
	struct loc l = *where, *loc = &l;
	const char *q;

	len = skip_blanks(&l, &text, len);
	q = memchr(text, '"', len);
	size_t prefix = (size_t)(q - text);
	const char *body = q + 1;
	size_t body_len = len - prefix - 1 - (closed ? 1 : 0);
	char *out, *o;

	if (prefix == 0 && !memchr(body, '\\', body_len)) {
		lex_push(x, loc, body, body_len, 1);
		return;
	}
	out = arena_alloc(x->arena, prefix + body_len + 1);
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
	lex_push(x, loc, out, (size_t)(o - out), 1);
}

int lex_flush_words(struct lex_extra *x, struct loc *loc)
{
	if (!x->nwords)
		return 0;
	x->nwords = 0;
	*loc = x->words;
	return 1;
}

void lex_comment(struct lex_extra *x, const struct loc *loc, const char *text,
		 size_t len)
{
	build_comment(x->b, loc, text, len);
}

void lex_crlf(struct lex_extra *x, const struct loc *loc)
{
	build_crlf(x->b, loc);
}

void lex_nul(struct lex_extra *x, const struct loc *loc)
{
	/* iptables ignores the rest of the line silently; so do we. */
	(void)x;
	(void)loc;
}
