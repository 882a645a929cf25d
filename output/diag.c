// SPDX-License-Identifier: GPL-2.0-or-later
/* The diagnostic queue: findings are collected here, sorted, then rendered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/diag.h"

/* Like the arena, the queue treats running out of memory as fatal. */
static void diag_oom(void)
{
	fputs("iptlint: out of memory\n", stderr);
	abort();
}

static char *diag_vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		diag_oom();
	return s;
}

void diag_queue_init(struct diag_queue *q, const struct check_set *enabled)
{
	memset(q, 0, sizeof(*q));
	q->enabled = enabled;
}

static void diag_release(struct diag *d)
{
	for (uint32_t i = 0; i < d->nnotes; i++)
		free(d->notes[i].msg);
	free(d->notes);
	free(d->msg);
	free(d->fixit);
}

void diag_queue_free(struct diag_queue *q)
{
	for (uint32_t i = 0; i < q->n; i++)
		diag_release(&q->v[i]);
	free(q->v);
	memset(q, 0, sizeof(*q));
}

void diag_queue_move(struct diag_queue *dst, struct diag_queue *src)
{
	for (uint32_t i = 0; i < src->n; i++) {
		struct diag *d;

		if (dst->n == dst->cap) {
			uint32_t cap = dst->cap ? dst->cap * 2 : 16;
			struct diag *v = realloc(dst->v, cap * sizeof(*v));

			if (!v)
				diag_oom();
			dst->v = v;
			dst->cap = cap;
		}
		d = &dst->v[dst->n];
		*d = src->v[i];
		d->seq = dst->n++;
		dst->count[d->check]++;
	}
	dst->fingerprinted = false;
	free(src->v);
	memset(src, 0, sizeof(*src));
}

uint32_t diag_queue_filter(struct diag_queue *q,
			   bool (*keep)(const struct diag *d, void *arg),
			   void *arg)
{
	uint32_t kept = 0, dropped = 0;

	for (uint32_t i = 0; i < q->n; i++) {
		if (keep(&q->v[i], arg)) {
			q->v[kept++] = q->v[i];
			continue;
		}
		q->count[q->v[i].check]--;
		diag_release(&q->v[i]);
		dropped++;
	}
	q->n = kept;
	return dropped;
}

bool diag_enabled(const struct diag_queue *q, enum check_id id)
{
	if ((unsigned int)id >= CHECK__COUNT)
		return false;
	return !q->enabled || q->enabled->enabled[id];
}

/*
 * The returned pointer points into q->v, which the next report may move:
 * add notes and the fix-it before reporting anything else.
 */
struct diag *diag_vreport(struct diag_queue *q, enum check_id id,
			  const struct loc *loc, const char *fmt, va_list ap)
{
	struct diag *d;

	if (!diag_enabled(q, id))
		return NULL;
	if (q->n == q->cap) {
		uint32_t cap = q->cap ? q->cap * 2 : 16;
		struct diag *v = realloc(q->v, cap * sizeof(*v));

		if (!v)
			diag_oom();
		q->v = v;
		q->cap = cap;
	}
	d = &q->v[q->n];
	memset(d, 0, sizeof(*d));
	d->check = id;
	d->loc = *loc;
	d->msg = diag_vformat(fmt, ap);
	d->seq = q->n++;
	q->count[id]++;
	q->fingerprinted = false;
	return d;
}

struct diag *diag_report(struct diag_queue *q, enum check_id id,
			 const struct loc *loc, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	/* Test first so a disabled check never pays for formatting. */
	if (!diag_enabled(q, id))
		return NULL;
	va_start(ap, fmt);
	d = diag_vreport(q, id, loc, fmt, ap);
	va_end(ap);
	return d;
}

void diag_note(struct diag *d, const struct loc *loc, const char *fmt, ...)
{
	struct diag_note *n;
	va_list ap;

	if (!d)
		return;
	/* Notes are few: grow at powers of two without a capacity field. */
	if ((d->nnotes & (d->nnotes - 1)) == 0) {
		uint32_t cap = d->nnotes ? d->nnotes * 2 : 1;
		struct diag_note *v = realloc(d->notes, cap * sizeof(*v));

		if (!v)
			diag_oom();
		d->notes = v;
	}
	n = &d->notes[d->nnotes++];
	n->loc = *loc;
	va_start(ap, fmt);
	n->msg = diag_vformat(fmt, ap);
	va_end(ap);
}

/* A second fix-it for the same finding replaces the first. */
void diag_fixit(struct diag *d, const struct loc *loc, const char *text)
{
	char *copy;

	if (!d)
		return;
	copy = strdup(text);
	if (!copy)
		diag_oom();
	free(d->fixit);
	d->fixit = copy;
	d->fixit_loc = *loc;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* seq is unique, so this is a total order and qsort's result is stable. */
static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *da = pa, *db = pb;
	const struct loc *a = &da->loc, *b = &db->loc;

	if (a->file != b->file)
		return cmp_u32(a->file, b->file);
	if (a->line != b->line)
		return cmp_u32(a->line, b->line);
	if (a->col != b->col)
		return cmp_u32(a->col, b->col);
	return cmp_u32(da->seq, db->seq);
}

void diag_sort(struct diag_queue *q)
{
	if (q->n > 1)
		qsort(q->v, q->n, sizeof(*q->v), diag_cmp);
}

/* Both walk the per-check counts, not the queue: O(checks), not O(findings). */
int diag_max_severity(const struct diag_queue *q)
{
	int max = -1;

	for (int i = 0; i < CHECK__COUNT; i++)
		if (q->count[i] && (int)check_table[i].severity > max)
			max = (int)check_table[i].severity;
	return max;
}

uint32_t diag_count_at_least(const struct diag_queue *q, enum severity sev)
{
	uint32_t n = 0;

	for (int i = 0; i < CHECK__COUNT; i++)
		if (check_table[i].severity >= sev)
			n += q->count[i];
	return n;
}
