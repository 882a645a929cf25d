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

#endif
