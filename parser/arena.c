// SPDX-License-Identifier: GPL-2.0-or-later
/* Bump allocator: chunks grow geometrically, everything is freed at once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void arena_grow(struct arena *a, size_t need)
{
	size_t size = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
	struct arena_chunk *c;

	if (size > ARENA_MAX_CHUNK)
		size = ARENA_MAX_CHUNK;
	if (size < need)
		size = need;
	c = malloc(sizeof(*c) + size);
	if (!c) {
		fputs("iptlint: out of memory\n", stderr);
		abort();
	}
	c->next = a->head;
	c->size = size;
	a->head = c;
	a->cur = c->data;
	a->end = c->data + size;
	a->total += size;
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
