/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_LEX_EXTRA_H
#define IPTLINT_LEX_EXTRA_H

#include <stddef.h>
#include <stdint.h>

#include "iptlint/arena.h"
#include "iptlint/loc.h"
#include "parser/build.h"

/**
 * struct lex_extra - the reentrant scanner's state (yyextra).
 * @line, @col: where the next token starts (1-based)
 */
struct lex_extra {
	struct build *b;
	struct arena *arena;
	uint32_t file;
	uint32_t line;
	uint32_t col;
	/* words of the current line already handed to the builder */
	uint32_t nwords;
};

/* Called from YY_USER_ACTION: every token gets file:line:col-end. */
static inline void lex_advance(struct lex_extra *x, struct loc *l, int len)
{
	l->file = x->file;
	l->line = x->line;
	l->col = x->col;
	x->col += (uint32_t)len;
	l->end_col = x->col;
}

static inline void lex_unadvance(struct lex_extra *x, const struct loc *l)
{
	x->col = l->col;
}

static inline void lex_newline(struct lex_extra *x)
{
	x->line++;
	x->col = 1;
}

/* The T_EOL token keeps the location of the newline itself. */
static inline void lex_newline_token(struct lex_extra *x)
{
	lex_newline(x);
}

/*
 * Words go straight to the builder (struct build), and the grammar sees
 * one T_WORDS token per line: a kube-proxy dump has millions of words,
 * and a parser shift per word would cost more than the scanning.
 */
static inline void lex_push(struct lex_extra *x, uint32_t line, uint32_t col,
			    const char *s, size_t len, uint8_t quoted)
{
	x->nwords++;
	build_push_word(x->b, s, (uint32_t)len, line, col,
			col + (uint32_t)len, quoted);
}

/* A plain word; the pattern starts with the blanks before it. */
static inline void lex_word(struct lex_extra *x, const struct loc *loc,
			    const char *text, size_t len)
{
	size_t n = 0;

	while (text[n] == ' ' || text[n] == '\t')
		n++;
	lex_push(x, loc->line, loc->col + (uint32_t)n, text + n, len - n, 0);
}
void lex_quoted(struct lex_extra *x, const struct loc *loc, const char *text,
		size_t len, int closed);
/* At the end of a line: true (and @loc spans the words) if words are pending. */
int lex_flush_words(struct lex_extra *x, struct loc *loc);
void lex_comment(struct lex_extra *x, const struct loc *loc, const char *text,
		 size_t len);
void lex_crlf(struct lex_extra *x, const struct loc *loc);
void lex_nul(struct lex_extra *x, const struct loc *loc);

#endif
