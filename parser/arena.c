// SPDX-License-Identifier: GPL-2.0-or-later
/* Bump allocator: chunks grow geometrically, everything is freed at once. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "iptlint/arena.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	bool mapped;		/* from mmap(): zero-filled, munmap()ed */
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

		if (c->mapped)
			munmap(c, sizeof(*c) + c->size);
		else
			free(c);
		c = next;
	}
	memset(a, 0, sizeof(*a));
}

/*
 * Big chunks are not left to fault in page by page as the bump pointer
 * reaches them: @end stops at the edge of a window of ARENA_WINDOW bytes
 * that madvise(MADV_POPULATE_WRITE) has faulted in at once (a kube-proxy
 * dump fills 300 MB of chunks: 75,000 page faults, a tenth of its parse).
 * Memory is entered at most one window ahead of its use. (Transparent huge
 * pages were faster when the kernel had them at hand, and several times
 * slower when it had to zero fresh ones: not a bet worth making.)
 */
#define ARENA_WINDOW	(1u * 1024 * 1024)

static void arena_populate(char *from, char *to)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)from & ~(page - 1);

	/* Best effort: an old kernel says EINVAL, and pages fault as usual. */
	madvise((void *)start, (size_t)((uintptr_t)to - start), MADV_POPULATE_WRITE);
#else
	(void)from;
	(void)to;
#endif
}

/* Move @end of a big chunk's window so that @need bytes fit at @cur. */
static bool arena_extend(struct arena *a, size_t need)
{
	struct arena_chunk *c = a->head;
	char *chunk_end, *end;

	if (!c || c->size < ARENA_WINDOW)
		return false;
	chunk_end = c->data + c->size;
	if ((size_t)(chunk_end - a->cur) < need)
		return false;
	end = a->cur + need + ARENA_WINDOW;
	if (end > chunk_end || end < a->cur)
		end = chunk_end;
	arena_populate(a->end, end);
	a->end = end;
	return true;
}

static void arena_grow(struct arena *a, size_t need)
{
	size_t size = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
	struct arena_chunk *c;

	if (arena_extend(a, need))
		return;
	if (size > ARENA_MAX_CHUNK)
		size = ARENA_MAX_CHUNK;
	if (size < need)
		size = need;
	/*
	 * Big chunks come straight from mmap(): their memory is known to be
	 * zero, so arena_alloc() need not clear it a second time.
	 */
	c = NULL;
	if (size >= ARENA_WINDOW) {
		c = mmap(NULL, sizeof(*c) + size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (c == MAP_FAILED)
			c = NULL;
		else
			c->mapped = true;
	}
	if (!c) {
		c = malloc(sizeof(*c) + size);
		if (!c) {
			fputs("iptlint: out of memory\n", stderr);
			abort();
		}
		c->mapped = false;
	}
	c->next = a->head;
	c->size = size;
	a->head = c;
	a->cur = c->data;
	a->end = c->data;
	a->total += size;
	a->zeroed = c->mapped;
	if (!arena_extend(a, need))
		a->end = c->data + size;
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
	/* malloc()ed chunks are not cleared: zero only what is handed out. */
	if (!a->zeroed)
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

void *arena_heap_zalloc(size_t n, size_t size)
{
	char *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	/* Small blocks come from pages malloc has written already. */
	if (n && size && n * size >= 64 * 1024)
		arena_populate(p, p + n * size);
	return p;
}
