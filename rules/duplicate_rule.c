// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * duplicate-rule: a rule that repeats an earlier rule of the same chain
 * after normalisation (option order of the rule header, implicit vs
 * explicit -m tcp, address spelling, counters ignored). Rules are keyed by
 * a canonical byte string and found again through a hash table per chain.
 */
#include <stdlib.h>
#include <string.h>

#include "iptlint/lint.h"
#include "rules/checks.h"

struct keybuf {
	char *p;
	size_t len, cap;
};

static void put(struct keybuf *k, const void *data, size_t n)
{
	if (k->len + n > k->cap) {
		k->cap = (k->len + n) * 2 + 64;
		k->p = realloc(k->p, k->cap);
		if (!k->p)
			abort();
	}
	memcpy(k->p + k->len, data, n);
	k->len += n;
}

static void put_u32(struct keybuf *k, uint32_t v)
{
	put(k, &v, sizeof(v));
}

static void put_value(struct keybuf *k, const struct ast_opt *o)
{
	put_u32(k, o->kind);
	switch (o->kind) {
	case VAL_ADDRS:
	case VAL_ADDR_RANGE:
		if (o->v.addrs) {
			put_u32(k, o->v.addrs->n);
			for (uint32_t i = 0; i < o->v.addrs->n; i++) {
				const struct val_addr *a = &o->v.addrs->v[i];

				put(k, &a->family, 1);
				put(k, a->addr, sizeof(a->addr));
				put(k, a->mask, sizeof(a->mask));
				if (a->host)
					put(k, a->host, strlen(a->host));
			}
		}
		break;
	case VAL_PORTS:
		if (o->v.ports) {
			put_u32(k, o->v.ports->n);
			put(k, o->v.ports->v, o->v.ports->n * sizeof(o->v.ports->v[0]));
		}
		break;
	case VAL_NAT:
		if (o->v.nat)
			put(k, o->v.nat, sizeof(*o->v.nat));
		break;
	case VAL_IFACE:
	case VAL_STR:
		put_u32(k, o->v.str.len);
		put(k, o->v.str.s, o->v.str.len);
		break;
	default:
		put(k, &o->v, sizeof(o->v.u) * 2);
		break;
	}
}

static void put_opt(struct keybuf *k, const struct ast_rule *r,
		    const struct source *src, const struct ast_opt *o)
{
	put_u32(k, o->def ? o->def->id : 0xffffffffu);
	put_u32(k, o->invert);
	if (!o->def) {
		/* Unknown module: compare the words as written. */
		size_t len;
		const char *line = source_line(src, r->loc.line, &len);
		uint32_t end = o->nargs ? o->arg.end_col : o->name.end_col;

		if (end - 1 <= len && o->name.col >= 1)
			put(k, line + o->name.col - 1, end - o->name.col);
		return;
	}
	put_value(k, o);
}

static void rule_key(struct keybuf *k, const struct ast_rule *r,
		     const struct source *src)
{
	const struct ast_match *base = &r->matches[0];

	k->len = 0;
	/* The header options appear once each: order them by id. */
	for (uint32_t done = 0, last = 0; done < base->nopts; done++) {
		const struct ast_opt *next = NULL;

		for (uint32_t i = 0; i < base->nopts; i++) {
			uint32_t id = base->opts[i].def ? base->opts[i].def->id : 0;

			if (id > last && (!next || id < next->def->id))
				next = &base->opts[i];
		}
		if (!next)
			break;
		last = next->def->id;
		if (last != OPT_ip_SET_COUNTERS && last != OPT_ip_VERBOSE)
			put_opt(k, r, src, next);
	}
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];

		put_u32(k, (int32_t)m == r->target ? 0x7a7a7a7au : 0x6d6d6d6du);
		put(k, am->name, strlen(am->name) + 1);
		for (uint32_t i = 0; i < am->nopts; i++)
			put_opt(k, r, src, &am->opts[i]);
	}
	put_u32(k, r->is_goto);
}

/* A multiply-xorshift over 8-byte words: the keys are long and many. */
static uint64_t key_hash(const struct keybuf *k)
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

struct seen {
	uint64_t hash;
	const struct ast_rule *rule;
	size_t off, len;	/* key bytes in the arena below */
};

void check_run_DUPLICATE_RULE(struct lint *lint)
{
	struct keybuf k = { 0 }, store = { 0 };
	struct seen *slots = NULL;
	size_t nslots = 0;

	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		for (uint32_t ci = 0; ci < t->nchains; ci++) {
			const struct ast_chain *c = t->chains[ci];
			size_t need = 16;

			if (c->nrules < 2)
				continue;
			while (need < (size_t)c->nrules * 2)
				need *= 2;
			if (need > nslots) {
				free(slots);
				slots = malloc(need * sizeof(*slots));
				if (!slots)
					abort();
				nslots = need;
			}
			memset(slots, 0, need * sizeof(*slots));
			store.len = 0;
			for (const struct ast_rule *r = c->rules; r; r = r->next_in_chain) {
				const struct source *src = lint->sources.v[r->loc.file];
				uint64_t h;
				size_t s;

				rule_key(&k, r, src);
				h = key_hash(&k);
				for (s = h & (need - 1); slots[s].rule; s = (s + 1) & (need - 1)) {
					struct diag *d;

					if (slots[s].hash != h || slots[s].len != k.len ||
					    memcmp(store.p + slots[s].off, k.p, k.len))
						continue;
					d = diag_report(&lint->diags, CHECK_DUPLICATE_RULE,
							&r->loc,
							"this rule repeats an earlier rule of chain %s",
							c->name);
					diag_note(d, &slots[s].rule->loc, "the same rule");
					break;
				}
				if (!slots[s].rule) {
					slots[s] = (struct seen){ h, r, store.len, k.len };
					put(&store, k.p, k.len);
				}
			}
		}
	}
	free(slots);
	free(k.p);
	free(store.p);
}
