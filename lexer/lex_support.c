// SPDX-License-Identifier: GPL-2.0-or-later
/* Token helpers called from lexer.l actions. */
#include <string.h>

#include "lexer/lex_extra.h"
#include "parser.h"

void lex_word(struct lex_extra *x, void *yylval, const char *text, size_t len)
{
	IPL_YYSTYPE *v = yylval;

	(void)x;
	v->word.s = text;
	v->word.len = (uint32_t)len;
	v->word.quoted = 0;
}

/*
 * A word with a double-quoted part: the unquoted prefix, then the quoted
 * text with backslash escapes resolved (add_param_to_argv). Without
 * escapes and prefix the word points into the source, else into the arena.
 */
void lex_quoted(struct lex_extra *x, void *yylval, const struct loc *loc,
		const char *text, size_t len, int closed)
{
	IPL_YYSTYPE *v = yylval;
	const char *q = memchr(text, '"', len);
	size_t prefix = (size_t)(q - text);
	const char *body = q + 1;
	size_t body_len = len - prefix - 1 - (closed ? 1 : 0);
	char *out, *o;

	(void)loc;
	v->word.quoted = 1;
	if (prefix == 0 && !memchr(body, '\\', body_len)) {
		v->word.s = body;
		v->word.len = (uint32_t)body_len;
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
	v->word.s = out;
	v->word.len = (uint32_t)(o - out);
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
