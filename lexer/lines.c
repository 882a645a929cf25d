// SPDX-License-Identifier: GPL-2.0-or-later
/* Line records between the reader (flex + bison) and the line builder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer/lines.h"

/*
 * A batch is handed over at the first record boundary past these: small
 * enough to stay in the caches of both cores, big enough that the
 * hand-over (a lock and a signal) is rare.
 */
#define BATCH_RECS	256
#define BATCH_WORDS	4096

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fputs("iptlint: out of memory\n", stderr);
		abort();
	}
	return p;
}

void lines_init(struct lines *l, struct build *b)
{
	memset(l, 0, sizeof(*l));
	arena_init(&l->arena);
	l->b = b;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	l->cur = &l->batches[0];
	for (uint32_t i = 1; i < LINES_BATCHES; i++)
		l->free[l->nfree++] = &l->batches[i];
}

void lines_fini(struct lines *l)
{
	for (uint32_t i = 0; i < LINES_BATCHES; i++) {
		free(l->batches[i].recs);
		free(l->batches[i].words);
		free(l->batches[i].named);
	}
	arena_free(&l->arena);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
}

void lines_grow_words(struct line_batch *bt)
{
	bt->wcap = bt->wcap ? bt->wcap * 2 : BATCH_WORDS;
	bt->words = xrealloc(bt->words, bt->wcap * sizeof(*bt->words));
	bt->named = xrealloc(bt->named, bt->wcap * sizeof(*bt->named));
}

static void batch_reset(struct line_batch *bt)
{
	bt->nrecs = 0;
	bt->nwords = 0;
	bt->nnamed = 0;
	bt->line_word0 = 0;
	bt->line_marker = 0;
	bt->last = false;
}

/* Reader: queue the current batch and continue in a free one. */
static void lines_publish(struct lines *l)
{
	struct line_batch *bt = l->cur;

	if (l->b) {
		/* One thread: replay now, and fill the same batch again. */
		build_replay(l->b, bt);
		batch_reset(bt);
		return;
	}
	pthread_mutex_lock(&l->lock);
	l->full[(l->full_head + l->nfull) % LINES_BATCHES] = bt;
	l->nfull++;
	pthread_cond_broadcast(&l->cond);
	if (!bt->last) {
		while (!l->nfree)
			pthread_cond_wait(&l->cond, &l->lock);
		l->cur = l->free[--l->nfree];
	}
	pthread_mutex_unlock(&l->lock);
	if (!bt->last)
		batch_reset(l->cur);
}

void lines_emit(struct lines *l, enum line_kind kind, const struct loc *loc,
		bool take_words, const char *text, uint32_t text_len)
{
	struct line_batch *bt = l->cur;
	struct line_rec *r;

	if (bt->nrecs == bt->rcap) {
		bt->rcap = bt->rcap ? bt->rcap * 2 : BATCH_RECS;
		bt->recs = xrealloc(bt->recs, bt->rcap * sizeof(*bt->recs));
	}
	r = &bt->recs[bt->nrecs++];
	r->kind = (uint8_t)kind;
	r->loc = *loc;
	r->word0 = bt->line_word0;
	r->nwords = 0;
	r->wline = bt->line;
	r->text = text;
	r->text_len = text_len;
	r->family_marker = 0;
	if (take_words) {
		r->nwords = bt->nwords - bt->line_word0;
		r->family_marker = bt->line_marker;
		bt->line_word0 = bt->nwords;
		bt->line_marker = 0;
	}
	/* Hand over only between lines: no record may lose its words. */
	if (bt->line_word0 == bt->nwords &&
	    (bt->nrecs >= BATCH_RECS || bt->nwords >= BATCH_WORDS))
		lines_publish(l);
}

void lines_finish(struct lines *l)
{
	l->cur->last = true;
	lines_publish(l);
}

struct line_batch *lines_take(struct lines *l)
{
	struct line_batch *bt;

	pthread_mutex_lock(&l->lock);
	while (!l->nfull)
		pthread_cond_wait(&l->cond, &l->lock);
	bt = l->full[l->full_head];
	l->full_head = (l->full_head + 1) % LINES_BATCHES;
	l->nfull--;
	pthread_mutex_unlock(&l->lock);
	return bt;
}

void lines_give_back(struct lines *l, struct line_batch *bt)
{
	pthread_mutex_lock(&l->lock);
	l->free[l->nfree++] = bt;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
}
