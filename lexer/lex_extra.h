/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_LEX_EXTRA_H
#define IPTLINT_LEX_EXTRA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iptlint/arena.h"
#include "iptlint/ast.h"
#include "iptlint/ext.h"
#include "iptlint/loc.h"
#include "lexer/lines.h"

/**
 * struct lex_extra - the reentrant scanner's state (yyextra).
 * @out:  where words and line records go (the reader's own state only)
 * @line, @col: where the next token starts (1-based)
 */
struct lex_extra {
	struct lines *out;
	uint32_t file;
	uint32_t line;
	uint32_t col;
	/* words read since the last T_WORDS token */
	uint32_t nwords;
	/* the next word is likely a chain name (after ':', -A, -j, ...) */
	bool name_next;
	/* the next word names an extension of this kind (after -m, -j), or 0 */
	uint8_t ext_next;
	struct ext_index ext_index;
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
	x->name_next = false;
	x->ext_next = 0;
}

/* 4 for a word -4/--ipv4, 6 for -6/--ipv6, else 0 (parser/command.c). */
static inline uint8_t lex_family_marker(const char *s, size_t len)
{
	if (len == 2)
		return s[1] == '4' ? 4 : s[1] == '6' ? 6 : 0;
	if (len == 6 && !memcmp(s, "--ipv", 5))
		return s[5] == '4' ? 4 : s[5] == '6' ? 6 : 0;
	return 0;
}

/* Does an extension name follow this word (-m, -j)? Its kind, or 0. */
static inline uint8_t lex_names_ext(const char *s, size_t len)
{
	if (len == 2 && s[0] == '-')
		return s[1] == 'm' ? EXT_MATCH : s[1] == 'j' ? EXT_TARGET : 0;
	if (len == 7 && !memcmp(s, "--match", 7))
		return EXT_MATCH;
	if (len == 6 && !memcmp(s, "--jump", 6))
		return EXT_TARGET;
	return 0;
}

/*
 * Does a chain name follow this word? Only a hint: the builder hashes the
 * words marked so (for its chain index) before it needs them, and looks
 * at the others itself.
 */
static inline bool lex_names_chain(const char *s, size_t len)
{
	if (len == 2)
		return s[0] == '-' && (s[1] == 'A' || s[1] == 'j' || s[1] == 'g' ||
				       s[1] == 'I' || s[1] == 'N' || s[1] == 'D' ||
				       s[1] == 'R');
	return (len == 6 && !memcmp(s, "--jump", 6)) ||
	       (len == 6 && !memcmp(s, "--goto", 6)) ||
	       (len == 8 && !memcmp(s, "--append", 8)) ||
	       (len == 8 && !memcmp(s, "--insert", 8)) ||
	       (len == 11 && !memcmp(s, "--new-chain", 11));
}

/* The T_EOL token keeps the location of the newline itself. */
static inline void lex_newline_token(struct lex_extra *x)
{
	lex_newline(x);
}

/*
 * Words go straight into the line records (struct lines), and the grammar
 * sees one T_WORDS token per line: a kube-proxy dump has millions of
 * words, and a parser shift per word would cost more than the scanning.
 */
static inline __attribute__((always_inline))
void lex_push(struct lex_extra *x, uint32_t line, uint32_t col,
	      uint32_t end_col, const char *s, size_t len, uint8_t quoted)
{
	struct word *w = lines_new_word(x->out);

	w->s = s;
	w->len = (uint32_t)len;
	w->col = col;
	w->end_col = end_col;
	w->quoted = quoted;
	w->hashed = x->name_next;
	if (x->name_next) {
		struct line_batch *bt = x->out->cur;

		w->hash = build_name_hash(s, len);
		bt->named[bt->nnamed++] = (uint32_t)(w - bt->words);
	}
	w->ext_kind = x->ext_next;
	if (x->ext_next) {
		const struct ext *e = ext_index_find(&x->ext_index, x->ext_next,
						     s, len);

		w->ext_id = e ? e->id : AST_EXT_NONE;
	}
	x->name_next = lex_names_chain(s, len);
	x->ext_next = lex_names_ext(s, len);
	if (!x->out->cur->line_marker && (len == 2 || len == 6) && s[0] == '-')
		x->out->cur->line_marker = lex_family_marker(s, len);
	x->out->cur->line = line;
	x->nwords++;
}

/* A plain word; the pattern starts with the blanks before it. */
static inline __attribute__((always_inline))
void lex_word(struct lex_extra *x, const struct loc *loc,
			    const char *text, size_t len)
{
	size_t n = 0;

	while (text[n] == ' ' || text[n] == '\t')
		n++;
	lex_push(x, loc->line, loc->col + (uint32_t)n, loc->end_col, text + n,
		 len - n, 0);
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
