/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PTRMAP_H
#define IPTLINT_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A map from pointers (AST nodes, trace nodes) to 32-bit numbers, usually
 * indexes into an array of per-node data: open addressing, at most half
 * full. Zero-initialise it; ptrmap_free() releases it.
 */
struct ptrmap {
	const void **keys;
	uint32_t *vals;
	uint32_t n, size;
};

/* The value of @key; a key not there yet is added with value 0 (*found false). */
uint32_t *ptrmap_get(struct ptrmap *m, const void *key, bool *found);
void ptrmap_free(struct ptrmap *m);

/*
 * Make room for one more element in the array *@v of *@n elements of
 * @size bytes and capacity *@cap (doubling); returns the new element,
 * zeroed, and counts it. Aborts when memory runs out.
 */
void *vec_push(void **v, uint32_t *n, uint32_t *cap, size_t size);

#endif
