/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_ARENA_H
#define IPTLINT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/**
 * struct arena - bump allocator for AST nodes and strings.
 *
 * Everything the parser builds lives until the whole ruleset is freed,
 * so nodes are carved from large chunks and released in one go. This keeps
 * a 750k-line dump to a few allocations and no per-node headers.
 */
struct arena {
	struct arena_chunk *head;
	char *cur;
	char *end;
	size_t total;		/* bytes obtained from malloc, for --stats */
	bool zeroed;		/* the current chunk is known to be all zero */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Zeroed, 8-byte aligned; never returns NULL (aborts on OOM). */
void *arena_alloc(struct arena *a, size_t size);
void *arena_memdup(struct arena *a, const void *p, size_t size);
/* NUL-terminated copy of the first @n bytes of @s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/*
 * Move everything @from holds into @to (which keeps allocating where it
 * was); @from is left empty. For arenas filled on another thread.
 */
void arena_adopt(struct arena *to, struct arena *from);

/*
 * Not from an arena: a zeroed array of @n elements of @size bytes, for
 * free(), whose pages are faulted in for writing now. calloc()'s fresh
 * pages are the shared zero page until written; a table that is read
 * before it is written (per-chain state of a 200,000-chain dump) then
 * takes a copy-on-write fault per page, and while a second thread runs
 * each of those costs a TLB shoot-down on every CPU. Never returns NULL
 * (aborts on OOM); @n 0 gives a valid pointer.
 */
void *arena_heap_zalloc(size_t n, size_t size);

#endif
