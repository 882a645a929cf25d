// SPDX-License-Identifier: GPL-2.0-or-later
/* Bump allocator: chunks grow geometrically, everything is freed at once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "iptlint/arena.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	/* followed by the usable bytes, 16-byte aligned */
	_Alignas(16) char data[];
};

#define ARENA_MIN_CHUNK	(64u * 1024)
#define ARENA_MAX_CHUNK	(16u * 1024 * 1024)

void arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	memset(a, 0, sizeof(*a));
}

#define ARENA_HUGE	(2u * 1024 * 1024)

/*
 * Chunks of 2 MiB and more are 2 MiB aligned and asked to be backed by
 * huge pages: a kube-proxy dump fills hundreds of MB of chunks, and
 * faulting them in 4 KiB pages was a tenth of the run. Their size is
 * rounded up to whole huge pages (the header comes out of it), so no huge
 * page is entered for a few bytes. Small files keep small chunks.
 */
static struct arena_chunk *arena_chunk_new(size_t size)
{
	size_t total = sizeof(struct arena_chunk) + size;
	struct arena_chunk *c;

	if (total < ARENA_HUGE) {
		c = malloc(total);
	} else {
		total = (total + ARENA_HUGE - 1) & ~(size_t)(ARENA_HUGE - 1);
		c = aligned_alloc(ARENA_HUGE, total);
#ifdef MADV_HUGEPAGE
		if (c)
			madvise(c, total, MADV_HUGEPAGE);
#endif
	}
	if (!c) {
		fputs("iptlint: out of memory\n", stderr);
		abort();
	}
	c->size = total - sizeof(*c);
	return c;
}

static void arena_grow(struct arena *a, size_t need)
{
	size_t size = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
	struct arena_chunk *c;

	if (size > ARENA_MAX_CHUNK)
		size = ARENA_MAX_CHUNK;
	if (size < need)
		size = need;
	c = arena_chunk_new(size);
	c->next = a->head;
	a->head = c;
	a->cur = c->data;
	a->end = c->data + c->size;
	a->total += c->size;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (!size)
		size = 8;
	if (!a->cur || (size_t)(a->end - a->cur) < size)
		arena_grow(a, size);
	p = a->cur;
	a->cur += size;
	/* Chunks come from malloc (not calloc): zero only what is handed out. */
	memset(p, 0, size);
	return p;
}

void *arena_memdup(struct arena *a, const void *p, size_t size)
{
	void *q = arena_alloc(a, size);

	if (size)
		memcpy(q, p, size);
	return q;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *q = arena_alloc(a, n + 1);

	if (n)
		memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

void arena_adopt(struct arena *to, struct arena *from)
{
	struct arena_chunk *tail = from->head;

	if (!tail)
		return;
	if (!to->head) {
		*to = *from;
	} else {
		while (tail->next)
			tail = tail->next;
		/* Behind the current chunk: its free room stays in use. */
		tail->next = to->head->next;
		to->head->next = from->head;
		to->total += from->total;
	}
	arena_init(from);
}
