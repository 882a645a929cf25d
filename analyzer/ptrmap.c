// SPDX-License-Identifier: GPL-2.0-or-later
/* Pointer maps and growing arrays for the analyses (see ptrmap.h). */
#include <stdlib.h>
#include <string.h>

#include "iptlint/ptrmap.h"

static uint32_t ptr_hash(const void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;

	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (uint32_t)v;
}

static uint32_t slot_of(const struct ptrmap *m, const void *key)
{
	uint32_t i = ptr_hash(key) & (m->size - 1);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->size - 1);
	return i;
}

static void grow(struct ptrmap *m)
{
	struct ptrmap old = *m;

	m->size = old.size ? 2 * old.size : 64;
	m->keys = calloc(m->size, sizeof(*m->keys));
	m->vals = calloc(m->size, sizeof(*m->vals));
	if (!m->keys || !m->vals)
		abort();
	for (uint32_t i = 0; i < old.size; i++)
		if (old.keys[i]) {
			uint32_t s = slot_of(m, old.keys[i]);

			m->keys[s] = old.keys[i];
			m->vals[s] = old.vals[i];
		}
	free(old.keys);
	free(old.vals);
}

uint32_t *ptrmap_get(struct ptrmap *m, const void *key, bool *found)
{
	uint32_t s;

	if (2 * (m->n + 1) > m->size)
		grow(m);
	s = slot_of(m, key);
	*found = m->keys[s] != NULL;
	if (!*found) {
		m->keys[s] = key;
		m->vals[s] = 0;
		m->n++;
	}
	return &m->vals[s];
}

void ptrmap_free(struct ptrmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

void *vec_push(void **v, uint32_t *n, uint32_t *cap, size_t size)
{
	char *e;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = realloc(*v, (size_t)*cap * size);
		if (!*v)
			abort();
	}
	e = (char *)*v + (size_t)(*n)++ * size;
	memset(e, 0, size);
	return e;
}
