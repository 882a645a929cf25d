/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_LEXER_LINES_H
#define IPTLINT_LEXER_LINES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "iptlint/arena.h"
#include "iptlint/loc.h"
#include "parser/build.h"

/*
 * The scanner and the grammar turn the file into line records; the line
 * builder (parser/build.c) turns records into the AST. On a big file the
 * two run as a pipeline on two threads: the reader (flex + bison) fills
 * batches of records, the builder replays them in file order. The reader
 * owns its batch and its arena and never touches the build state, so
 * everything the builder does, diagnostics included, happens in the same
 * order as in a single-threaded run.
 */

/* A token's text (the grammar's semantic value). */
struct lex_text {
	const char *s;
	uint32_t len;
};

enum line_kind {
	LINE_TABLE,		/* "*name": @loc is the '*' */
	LINE_CHAIN,		/* ":name policy [p:b]": @loc is the ':' */
	LINE_RULE,		/* a command line */
	LINE_RULE_COUNTERS,	/* one after "[p:b]" (@text) at @loc */
	LINE_BAD_COUNTERS,	/* "[..." without its ']' at @loc */
	LINE_BLANK,		/* blanks only: @loc is the newline */
	LINE_RESET,		/* end of a line the grammar refused */
	LINE_SYNTAX,		/* a grammar error @text at @loc (no words of its own) */
	LINE_CRLF,		/* a line ending in "\r\n": @loc is the '\r' */
	LINE_COMMENT,		/* "#...": @text */
};

/**
 * struct line_rec - one event of the reader, in file order.
 * @words, @nwords: the line's words (indexes into the batch's words)
 * @wline: the line number of the words
 * @text, @text_len: counters prefix, comment or error message
 */
struct line_rec {
	uint8_t kind;
	uint8_t family_marker;	/* 4/6: the first word of the line that is -4/-6 */
	struct loc loc;
	uint32_t word0;
	uint32_t nwords;
	uint32_t wline;
	uint32_t text_len;
	const char *text;
};

/**
 * struct line_batch - records and the words they refer to.
 * @named: the words the reader hashed as chain names (for prefetching;
 *         room for @wcap)
 * @line_word0: first word of the line being read (words from there on
 *              belong to no record yet)
 * @line: line number of those words
 * @last: the reader's final batch
 */
struct line_batch {
	struct line_rec *recs;
	uint32_t nrecs, rcap;
	struct word *words;
	uint32_t nwords, wcap;
	uint32_t *named;	/* indexes of the words with a hash */
	uint32_t nnamed;
	uint32_t line_word0;
	uint32_t line;
	uint8_t line_marker;	/* family_marker of the line being read */
	bool last;
};

#define LINES_BATCHES	32

/**
 * struct lines - the reader's output: its current batch and arena, and
 * the queue of batches between the two threads.
 * @arena:   the reader's allocations (words rebuilt without their quotes,
 *           messages); it joins the ruleset's arena at the end
 * @b:       the builder, when there is no second thread: each batch is
 *           replayed as soon as it is full
 * @full, @free: batches to replay, and batches to fill (under @lock)
 */
struct lines {
	struct line_batch *cur;
	struct arena arena;
	struct build *b;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct line_batch *full[LINES_BATCHES];
	uint32_t full_head, nfull;
	struct line_batch *free[LINES_BATCHES];
	uint32_t nfree;
	struct line_batch batches[LINES_BATCHES];
};

/* @b non-NULL: no second thread, replay batches into @b as they fill. */
void lines_init(struct lines *l, struct build *b);
void lines_fini(struct lines *l);

/* Reader side. */
void lines_grow_words(struct line_batch *bt);

/* Room for one more word of the line being read. */
static inline struct word *lines_new_word(struct lines *l)
{
	struct line_batch *bt = l->cur;

	if (bt->nwords == bt->wcap)
		lines_grow_words(bt);
	return &bt->words[bt->nwords++];
}

/*
 * Add a record. @take_words: the record owns the pending words (every
 * kind but LINE_SYNTAX, LINE_CRLF and LINE_COMMENT). @text must live as
 * long as the ruleset (the source, or the reader's arena).
 */
void lines_emit(struct lines *l, enum line_kind kind, const struct loc *loc,
		bool take_words, const char *text, uint32_t text_len);
/* The input is over: hand the last batch over. */
void lines_finish(struct lines *l);

/* Builder side: the next batch (waits for it), and giving it back. */
struct line_batch *lines_take(struct lines *l);
void lines_give_back(struct lines *l, struct line_batch *bt);

/* Replay a batch into the builder (parser/build.c). */
void build_replay(struct build *b, const struct line_batch *bt);

#endif
