// SPDX-License-Identifier: GPL-2.0-or-later
/* Canonical rule keys (include/iptlint/rulekey.h). */
#include <stdlib.h>
#include <string.h>

#include "iptlint/rulekey.h"

static void key_grow(struct rule_key *k, size_t n)
{
	k->cap = (k->len + n) * 2 + 64;
	k->p = realloc(k->p, k->cap);
	if (!k->p)
		abort();
}

/*
 * duplicate-rule builds the key of every rule of a dump (half a million)
 * out of a few dozen small pieces each: the common path is inline.
 */
static inline void key_put(struct rule_key *k, const void *data, size_t n)
{
	if (k->len + n > k->cap)
		key_grow(k, n);
	memcpy(k->p + k->len, data, n);
	k->len += n;
}

void rule_key_append(struct rule_key *k, const void *data, size_t n)
{
	key_put(k, data, n);
}

static inline void put_u32(struct rule_key *k, uint32_t v)
{
	key_put(k, &v, sizeof(v));
}

static void put_value(struct rule_key *k, const struct ast_opt *o)
{
	put_u32(k, o->kind);
	switch (o->kind) {
	case VAL_ADDRS:
	case VAL_ADDR_RANGE:
		if (o->v.addrs) {
			put_u32(k, o->v.addrs->n);
			for (uint32_t i = 0; i < o->v.addrs->n; i++) {
				const struct val_addr *a = &o->v.addrs->v[i];

				static const uint8_t none[sizeof(a->addr)];
				const char *host = val_addr_host(a);

				key_put(k, &a->family, 1);
				/* A host name's address bytes hold its pointer. */
				key_put(k, host ? none : a->addr, sizeof(a->addr));
				key_put(k, a->mask, sizeof(a->mask));
				if (host)
					key_put(k, host, strlen(host));
			}
		}
		break;
	case VAL_PORTS:
		if (o->v.ports) {
			put_u32(k, o->v.ports->n);
			key_put(k, o->v.ports->v, o->v.ports->n * sizeof(o->v.ports->v[0]));
		}
		break;
	case VAL_NAT:
		if (o->v.nat)
			key_put(k, o->v.nat, sizeof(*o->v.nat));
		break;
	case VAL_IFACE:
	case VAL_STR:
		put_u32(k, o->v.str.len);
		key_put(k, o->v.str.s, o->v.str.len);
		break;
	default:
		key_put(k, &o->v, sizeof(o->v.u) * 2);
		break;
	}
}

static void put_opt(struct rule_key *k, const struct ast_rule *r,
		    const struct source *src, const struct ast_opt *o)
{
	put_u32(k, ast_opt_def(o) ? ast_opt_id(o) : 0xffffffffu);
	put_u32(k, o->invert);
	if (!ast_opt_def(o)) {
		/* Unknown module: compare the words as written. */
		size_t len;
		const char *line = source_line(src, r->loc.line, &len);
		uint32_t end = o->nargs ? o->arg.end_col : o->name.end_col;

		if (end - 1 <= len && o->name.col >= 1)
			key_put(k, line + o->name.col - 1, end - o->name.col);
		return;
	}
	put_value(k, o);
}

void rule_key_build(struct rule_key *k, const struct ast_rule *r,
		    const struct source *src)
{
	const struct ast_match *base = &r->matches[0];
	const struct ast_opt *bopts = ast_match_opts(r, base);
	uint32_t nbase = ast_match_nopts(r, base);

	k->len = 0;
	/* The header options appear once each: order them by id. */
	for (uint32_t done = 0, last = 0; done < nbase; done++) {
		const struct ast_opt *next = NULL;

		for (uint32_t i = 0; i < nbase; i++) {
			uint32_t id = ast_opt_id(&bopts[i]);

			if (id > last && (!next || id < ast_opt_id(next)))
				next = &bopts[i];
		}
		if (!next)
			break;
		last = ast_opt_id(next);
		if (last != OPT_ip_SET_COUNTERS && last != OPT_ip_VERBOSE)
			put_opt(k, r, src, next);
	}
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];
		const struct ast_opt *opts = ast_match_opts(r, am);
		const char *name = am->name;

		/* After -E, "-j old" and "-j new" can be the same chain. */
		if ((int32_t)m == r->target && r->jump && r->table->renamed)
			name = r->jump->name;
		put_u32(k, (int32_t)m == r->target ? 0x7a7a7a7au : 0x6d6d6d6du);
		key_put(k, name, strlen(name) + 1);
		for (uint32_t i = 0; i < ast_match_nopts(r, am); i++)
			put_opt(k, r, src, &opts[i]);
	}
	put_u32(k, r->is_goto);
}

/* A multiply-xorshift over 8-byte words: the keys are long and many. */
uint64_t rule_key_hash(const struct rule_key *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ k->len;
	size_t i = 0;

	for (; i + 8 <= k->len; i += 8) {
		uint64_t w;

		memcpy(&w, k->p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; i < k->len; i++)
		h = (h ^ (unsigned char)k->p[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

bool rule_key_equal(const struct rule_key *a, const struct rule_key *b)
{
	return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

void rule_key_free(struct rule_key *k)
{
	free(k->p);
	k->p = NULL;
	k->len = k->cap = 0;
}
