// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Closed forms of the chains that test no mark. Most of a big dump is
 * such chains (kube-proxy's KUBE-SERVICES -> KUBE-SVC-* -> KUBE-SEP-*,
 * whose only mark operation is KUBE-MARK-MASQ's --or-mark): their effect
 * on a fact does not depend on its marks, so it is computed once per
 * chain, callees first, as a small set of (exit, classes, xmark) and then
 * applied to every fact that enters, instead of walking 500,000 rules per
 * fact.
 *
 * Two xmarks compose exactly: xmark(xmark(x, v1, m1), v2, m2) =
 * xmark(x, (v1 & ~m2) ^ v2, m1 | m2). Tests of addresses, ports and the
 * like keep both edges; ctstate tests split the classes. A chain with a
 * mark test, a CONNMARK, CT or unknown target, or too many ways through
 * it, is walked rule by rule instead.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/markflow_int.h"
#include "iptlint/cfg.h"

#define MF_SUM_MAX	32	/* ways through one chain kept in closed form */

struct xfset {
	struct mf_xf v[MF_SUM_MAX];
	uint32_t n;
	bool overflow;
};

/* inline: a kube-proxy dump makes 4.6 million calls */
static inline void xf_add(struct xfset *s, struct mf_xf e)
{
	if (!e.cls)
		return;
	for (uint32_t i = 0; i < s->n; i++)
		if (s->v[i].exit == e.exit && s->v[i].v == e.v && s->v[i].m == e.m) {
			s->v[i].cls |= e.cls;
			return;
		}
	if (s->n == MF_SUM_MAX) {
		s->overflow = true;
		return;
	}
	s->v[s->n++] = e;
}

static struct mf_xf compose(struct mf_xf a, uint32_t v, uint32_t m)
{
	a.v = (a.v & ~m) ^ v;
	a.m |= m;
	return a;
}

/*
 * Whether @r fits a closed form; *yes gets the classes its ctstate tests
 * let through, *cond whether it also tests something else.
 */
static bool rule_fits(const struct ast_rule *r, bool raw, bool track_writers,
		      uint8_t *yes, bool *cond)
{
	const struct ext *te = ast_rule_target_ext(r);

	*yes = C_ALL;
	/* Base options and other matches: AST_TESTS_HEADER says it. */
	*cond = r->tests & AST_TESTS_HEADER;
	if (r->tests & AST_TESTS_MARK)
		return false;
	if (!(r->tests & AST_TESTS_STATE))
		goto target;
	for (uint32_t mi = 1; mi < r->nmatches; mi++) {
		const struct ast_match *m = &r->matches[mi];
		const struct ast_opt *o = ast_match_opts(r, m);

		if ((int32_t)mi == r->target || m->ext_id == EXT_ID_comment)
			continue;
		if (m->ext_id != EXT_ID_conntrack && m->ext_id != EXT_ID_state)
			continue;
		for (uint32_t k = 0; k < ast_match_nopts(r, m); k++) {
			int id = ast_opt_id(&o[k]);
			uint8_t pass = 0;

			if ((id != OPT_conntrack_CTSTATE && id != OPT_state_STATE) ||
			    raw || o[k].kind != VAL_BITS || (o[k].v.u & ~0x1full)) {
				*cond = true;
				continue;
			}
			for (int c = 0; c < MF__CLASSES; c++)
				if (((o[k].v.u >> mf_class_state_bit[c]) & 1) != o[k].invert)
					pass |= (uint8_t)C(c);
			*yes &= pass;
		}
	}
target:
	if (mf_rule_effect(r) == EF_UNKNOWN)
		return false;
	if (!te || r->jump)
		return true;
	switch (te->id) {
	case EXT_ID_MARK:
		return !track_writers;
	case EXT_ID_CONNMARK:
	case EXT_ID_CT:
	case EXT_ID_NOTRACK:
	case EXT_ID_HMARK:
		return false;
	case EXT_ID_SET:
		return !ast_rule_find_opt(r, OPT_SET_MAP_MARK);
	default:
		return true;
	}
}

/* The xmark the true edge of @r applies to nfmark ((0, 0): none). */
static void rule_xmark(const struct ast_rule *r, uint32_t *v, uint32_t *m)
{
	const struct ext *te = ast_rule_target_ext(r);
	const struct ast_opt *o;

	*v = *m = 0;
	if (!te || r->jump)
		return;
	if (te->id == EXT_ID_MARK && !mf_xmark_of(r, false, v, m))
		*v = 0, *m = 0xffffffffu;	/* cannot happen: the parser requires one */
	if (te->id == EXT_ID_TPROXY &&
	    (o = ast_rule_find_opt(r, OPT_TPROXY_TPROXY_MARK)) && o->kind == VAL_MARK) {
		*v = o->v.mark.value;
		*m = o->v.mark.mask;
	}
}

static void take(struct xfset *dst, struct mf_xf e, uint8_t exit)
{
	e.exit = exit;
	xf_add(dst, e);
}

/*
 * One element's true edge through @r, whose effect is @ef and whose xmark
 * is (@v, @m); false when @r's callee has no closed form.
 */
static bool true_edge(const struct mf_sum *sums, const struct ast_rule *r,
		      enum mf_effect ef, uint32_t v, uint32_t m,
		      struct mf_xf t, struct xfset *next, struct xfset *out)
{
	t = compose(t, v, m);
	switch (ef) {
	case EF_CONTINUE:
		take(next, t, MF_EXIT_RET);
		return true;
	case EF_ACCEPT:
		take(out, t, MF_EXIT_ACC);
		return true;
	case EF_DROP:
		take(out, t, MF_EXIT_DROP);
		return true;
	case EF_RETURN:
		take(out, t, MF_EXIT_RET);
		return true;
	case EF_TERMINAL:
		take(next, t, MF_EXIT_RET);
		/* fall through */
	case EF_QUEUE:
	case EF_NAT:
		take(out, t, MF_EXIT_ACC);
		take(out, t, MF_EXIT_DROP);
		return true;
	case EF_JUMP:
	case EF_GOTO: {
		const struct mf_sum *cs = &sums[r->jump_id];

		if (!cs->ok)
			return false;
		for (uint32_t i = 0; i < cs->n; i++) {
			struct mf_xf e = compose(t, cs->v[i].v, cs->v[i].m);

			e.cls &= cs->v[i].cls;
			if (cs->v[i].exit != MF_EXIT_RET)
				take(out, e, cs->v[i].exit);
			else if (ef == EF_GOTO)
				take(out, e, MF_EXIT_RET);
			else
				take(next, e, MF_EXIT_RET);
		}
		return true;
	}
	default:
		return false;
	}
}

/*
 * Most chains of a big dump have the same few summaries (every KUBE-SEP-*
 * chain: the same six ways), so each distinct one is kept once: a table
 * of them, open addressing on a hash of their elements, at most half full.
 */
struct mf_sum_pool {
	struct pooled { uint64_t hash; const struct mf_xf *v; uint32_t n; } *slots;
	uint32_t n, size;
};

static uint64_t xf_hash(const struct mf_xf *v, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;

	/* Field by field: the padding of an mf_xf is not initialised. */
	for (uint32_t i = 0; i < n; i++) {
		uint64_t w = (uint64_t)v[i].exit << 40 ^ (uint64_t)v[i].cls << 32 ^
			     v[i].v ^ (uint64_t)v[i].m << 16;

		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

static bool xf_same(const struct mf_xf *a, const struct mf_xf *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].exit != b[i].exit || a[i].cls != b[i].cls ||
		    a[i].v != b[i].v || a[i].m != b[i].m)
			return false;
	return true;
}

static void pool_put(struct mf_sum_pool *p, struct pooled e)
{
	uint32_t i = (uint32_t)e.hash & (p->size - 1);

	while (p->slots[i].v)
		i = (i + 1) & (p->size - 1);
	p->slots[i] = e;
}

/* The pooled copy of @v[@n] (in @x->arena), made on first sight. */
static const struct mf_xf *pool_intern(struct mf_ctx *x, const struct mf_xf *v,
				       uint32_t n)
{
	struct mf_sum_pool *p = x->sum_pool;
	uint64_t h = xf_hash(v, n);
	struct pooled e;

	if (!p) {
		p = x->sum_pool = calloc(1, sizeof(*p));
		if (!p)
			abort();
	}
	if (2 * (p->n + 1) > p->size) {
		struct mf_sum_pool grown = { NULL, p->n, p->size ? 2 * p->size : 64 };

		grown.slots = calloc(grown.size, sizeof(*grown.slots));
		if (!grown.slots)
			abort();
		for (uint32_t i = 0; i < p->size; i++)
			if (p->slots[i].v)
				pool_put(&grown, p->slots[i]);
		free(p->slots);
		*p = grown;
	}
	for (uint32_t i = (uint32_t)h & (p->size - 1); p->slots[i].v;
	     i = (i + 1) & (p->size - 1))
		if (p->slots[i].hash == h && p->slots[i].n == n &&
		    xf_same(p->slots[i].v, v, n))
			return p->slots[i].v;
	e = (struct pooled){ h, arena_memdup(&x->arena, v, n * sizeof(*v)), n };
	pool_put(p, e);
	p->n++;
	return e.v;
}

void mf_sum_pool_free(struct mf_ctx *x)
{
	if (x->sum_pool)
		free(x->sum_pool->slots);
	free(x->sum_pool);
	x->sum_pool = NULL;
}

static void summarise_chain(struct mf_ctx *x, struct mf_sum *sums,
			    const struct ast_chain *c, bool raw, bool track_writers)
{
	/* Not "= { 0 }": 1 KB of stores per chain, 200,000 chains. */
	struct xfset a, b, out;
	struct xfset *cont = &a, *next = &b;
	struct mf_sum *s = &sums[c->id];
	bool plain = true;

	a.n = b.n = out.n = 0;
	a.overflow = b.overflow = out.overflow = false;
	cont->v[cont->n++] = (struct mf_xf){ .exit = MF_EXIT_RET, .cls = C_ALL };
	cfg_for_each_rule(r, c) {
		enum mf_effect ef;
		uint32_t v, m;
		uint8_t yes;
		bool cond;

		if (!cont->n)
			break;
		if (!rule_fits(r, raw, track_writers, &yes, &cond))
			return;
		ef = mf_rule_effect(r);
		rule_xmark(r, &v, &m);
		plain &= !cond && yes == C_ALL && (!r->jump || sums[r->jump_id].plain);
		next->n = 0;
		for (uint32_t i = 0; i < cont->n; i++) {
			struct mf_xf t = cont->v[i], f = t;

			t.cls &= yes;
			if (t.cls && !true_edge(sums, r, ef, v, m, t, next, &out))
				return;
			if (!cond)
				f.cls &= (uint8_t)~yes;
			xf_add(next, f);
		}
		if (next->overflow || out.overflow)
			return;
		{
			struct xfset *tmp = cont;

			cont = next;
			next = tmp;
		}
	}
	for (uint32_t i = 0; i < cont->n; i++)
		xf_add(&out, cont->v[i]);
	if (out.overflow)
		return;
	s->v = pool_intern(x, out.v, out.n);
	s->n = out.n;
	s->ok = true;
	s->plain = plain;
}

struct mf_sum *mf_summarise(struct mf_ctx *x, const struct cfg_table *ct,
			    bool track_writers)
{
	const struct ast_table *t = ct->table;
	struct mf_sum *sums = arena_alloc(&x->arena, t->nchains * sizeof(*sums) + 1);

	/* Callees first: cfg's order has callers before callees. */
	for (uint32_t i = t->nchains; i-- > 0;)
		summarise_chain(x, sums, cfg_order_chain(ct, i, -1),
				t->kind == TABLE_RAW, track_writers);
	return sums;
}
