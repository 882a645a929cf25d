// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Witnesses for the mark walk's existential claims. A claim's trace lists
 * the header tests its path passed (and how); it becomes a packet set:
 *   START    the class's ctstate;
 *   EDGE +   the packets the rule surely matches, marks aside
 *            (its "under" set: empty when it has a test iptlint does not
 *            model, so such a path never proves anything);
 *   EDGE -   the packets it cannot match whatever their marks;
 *   OR       either set; NAT: addresses and ports forgotten.
 * Each set is a subset of the packets that really take that path, so a
 * non-empty result is a packet on which the claim happens.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/markflow_int.h"
#include "analyzer/pred.h"
#include "iptlint/lint.h"
#include "iptlint/pktset.h"

/* Trace nodes evaluated for one claim at most; beyond, no claim. */
#define MF_WITNESS_NODES	(400u * 1000)

static const struct mf_trace *node(struct mf_ctx *x, struct mf_trace t)
{
	struct mf_trace *n = arena_alloc(&x->arena, sizeof(*n));

	*n = t;
	n->id = ++x->ntrace;
	return n;
}

const struct mf_trace *mf_trace_start(struct mf_ctx *x, uint8_t cls, bool raw)
{
	return node(x, (struct mf_trace){ .kind = TR_START, .cls = cls, .raw = raw });
}

const struct mf_trace *mf_trace_edge(struct mf_ctx *x, const struct mf_trace *prev,
				     const struct ast_rule *r, bool edge)
{
	if (!prev)
		return NULL;
	return node(x, (struct mf_trace){ .kind = TR_EDGE, .rule = r, .edge = edge,
					  .a = prev });
}

const struct mf_trace *mf_trace_or(struct mf_ctx *x, const struct mf_trace *a,
				   const struct mf_trace *b)
{
	if (!a || !b)
		return a ? a : b;
	if (a == b)
		return a;
	return node(x, (struct mf_trace){ .kind = TR_OR, .a = a, .b = b });
}

const struct mf_trace *mf_trace_nat(struct mf_ctx *x, const struct mf_trace *prev)
{
	if (!prev)
		return NULL;
	return node(x, (struct mf_trace){ .kind = TR_NAT, .a = prev });
}

/* ---------------------------------------------------------- evaluation */

struct wit {
	struct pktset ps;
	BDD nat_fields;
	struct mf_pmap preds;	/* rule -> index in pv */
	struct pred *pv;
	uint32_t npv, pv_cap;
	/* per evaluation */
	const struct mf_trace **order;
	BDD *val;
	uint32_t norder, order_cap;
};

static uint32_t hash_ptr(const void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;

	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (uint32_t)v;
}

/* Slot of @key in @m (size a power of two, kept at most half full). */
static uint32_t map_slot(struct mf_pmap *m, const void *key, bool *found)
{
	uint32_t i;

	if (2 * (m->n + 1) > m->size) {
		struct mf_pmap old = *m;

		m->size = m->size ? 2 * m->size : 256;
		m->keys = calloc(m->size, sizeof(*m->keys));
		m->vals = calloc(m->size, sizeof(*m->vals));
		if (!m->keys || !m->vals)
			abort();
		m->n = 0;
		for (uint32_t k = 0; k < old.size; k++)
			if (old.keys[k]) {
				bool f;
				uint32_t s = map_slot(m, old.keys[k], &f);

				m->keys[s] = old.keys[k];
				m->vals[s] = old.vals[k];
				m->n++;
			}
		free(old.keys);
		free(old.vals);
	}
	for (i = hash_ptr(key) & (m->size - 1); m->keys[i];
	     i = (i + 1) & (m->size - 1))
		if (m->keys[i] == key) {
			*found = true;
			return i;
		}
	*found = false;
	return i;
}

static const struct pred *rule_pred(struct wit *w, const struct ast_rule *r)
{
	bool found;
	uint32_t s = map_slot(&w->preds, r, &found);

	if (found)
		return &w->pv[w->preds.vals[s]];
	if (w->npv == w->pv_cap) {
		w->pv_cap = w->pv_cap ? 2 * w->pv_cap : 64;
		w->pv = realloc(w->pv, w->pv_cap * sizeof(*w->pv));
		if (!w->pv)
			abort();
	}
	pred_build(&w->ps, r, &w->pv[w->npv]);
	w->preds.keys[s] = r;
	w->preds.vals[s] = w->npv;
	w->preds.n++;
	return &w->pv[w->npv++];
}

static int by_id(const void *a, const void *b)
{
	const struct mf_trace *x = *(const struct mf_trace *const *)a;
	const struct mf_trace *y = *(const struct mf_trace *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void order_push(struct wit *w, const struct mf_trace *t)
{
	if (w->norder == w->order_cap) {
		w->order_cap = w->order_cap ? 2 * w->order_cap : 256;
		w->order = realloc(w->order, w->order_cap * sizeof(*w->order));
		if (!w->order)
			abort();
	}
	w->order[w->norder++] = t;
}

/* The DAG's nodes under @root, operands first; false when too many. */
static bool collect(struct wit *w, const struct mf_trace *root,
		    struct mf_pmap *seen)
{
	const struct mf_trace **stack = NULL;
	uint32_t n = 0, cap = 0;
	bool ok = true, found;

	w->norder = 0;
	stack = malloc(64 * sizeof(*stack));
	cap = 64;
	if (!stack)
		abort();
	stack[n++] = root;
	while (n && ok) {
		const struct mf_trace *t = stack[--n];
		uint32_t s = map_slot(seen, t, &found);

		if (found)
			continue;
		seen->keys[s] = t;
		seen->n++;
		order_push(w, t);
		if (w->norder > MF_WITNESS_NODES)
			ok = false;
		if (n + 2 > cap) {
			cap *= 2;
			stack = realloc(stack, cap * sizeof(*stack));
			if (!stack)
				abort();
		}
		if (t->a)
			stack[n++] = t->a;
		if (t->b)
			stack[n++] = t->b;
	}
	free(stack);
	if (ok)
		qsort(w->order, w->norder, sizeof(*w->order), by_id);
	return ok;
}

/* The ctstates of a set of classes (enum mf_class bits). */
static BDD class_states(const struct pktset *ps, uint8_t classes)
{
	static const int state[MF__CLASSES] = {
		[MF_FIRST] = PS_CT_NEW, [MF_LATER] = PS_CT_ESTABLISHED,
		[MF_RELATED] = PS_CT_RELATED, [MF_INVALID] = PS_CT_INVALID,
		[MF_UNTRACKED] = PS_CT_UNTRACKED,
	};
	BDD acc = ps_ref(bddfalse);

	for (int c = 0; c < MF__CLASSES; c++)
		if (classes & (1u << c)) {
			BDD one = ps_uint_masked(ps, PS_CTSTATE, (uint64_t)state[c], 7);

			ps_or_in(&acc, one);
			ps_unref(one);
		}
	return acc;
}

static BDD eval_node(struct wit *w, const struct mf_trace *t, struct mf_pmap *idx)
{
	bool found;
	BDD a = bddfalse, b = bddfalse, r, p;
	const struct pred *pr;

	if (t->a)
		a = w->val[idx->vals[map_slot(idx, t->a, &found)]];
	if (t->b)
		b = w->val[idx->vals[map_slot(idx, t->b, &found)]];
	switch (t->kind) {
	case TR_START:
		if (t->raw)
			return ps_ref(w->ps.universe);
		return class_states(&w->ps, t->cls);
	case TR_OR:
		return ps_or(a, b);
	case TR_NAT:
		return ps_ref(bdd_exist(a, w->nat_fields));
	default:
		break;
	}
	pr = rule_pred(w, t->rule);
	if (t->edge) {
		p = ps_forget_marks(&w->ps, pr->under);
		r = ps_and(a, p);
	} else {
		p = ps_forget_marks(&w->ps, pr->over);
		r = ps_diff(a, p);
	}
	ps_unref(p);
	return r;
}

/* Whether some packet takes the path @root describes. */
static bool has_witness(struct wit *w, const struct mf_trace *root)
{
	struct mf_pmap idx = { 0 };
	bool ok, found, nonempty = false;

	ok = collect(w, root, &idx);
	if (ok) {
		w->val = calloc(w->norder, sizeof(*w->val));
		if (!w->val)
			abort();
		for (uint32_t i = 0; i < w->norder; i++) {
			uint32_t s = map_slot(&idx, w->order[i], &found);

			idx.vals[s] = i;
		}
		for (uint32_t i = 0; i < w->norder && ok; i++) {
			w->val[i] = eval_node(w, w->order[i], &idx);
			if (ps_over_budget())
				ok = false;
		}
		if (ok)
			nonempty = w->val[w->norder - 1] != bddfalse;
		for (uint32_t i = 0; i < w->norder; i++)
			if (w->val[i])
				ps_unref(w->val[i]);
		free(w->val);
		w->val = NULL;
	}
	free(idx.keys);
	free(idx.vals);
	return ok && nonempty;
}

static BDD field_vars(const struct pktset *ps, const enum ps_field *f, int nf)
{
	int vars[512], n = 0;

	for (int k = 0; k < nf; k++)
		for (int i = 0; i < ps->width[f[k]] && n < 512; i++)
			vars[n++] = ps->first[f[k]] + i;
	return ps_ref(bdd_makeset(vars, n));
}

static void keep_claim(struct markflow *out, const struct mf_claim *c)
{
	out->claims = realloc(out->claims, (out->nclaims + 1) * sizeof(*out->claims));
	if (!out->claims)
		abort();
	out->claims[out->nclaims++] = *c;
}

static void witness_family(struct mf_ctx *x, int family)
{
	static const enum ps_field nat[] = { PS_SRC, PS_SPORT, PS_DST, PS_DPORT };
	struct wit w = { 0 };
	bool any = false;

	for (uint32_t i = 0; i < x->ncands && !any; i++)
		any = (x->cands[i].family == VAL_FAM_V6) == (family == 6);
	if (!any)
		return;
	if (!pktset_init(&w.ps, family))
		return;
	w.nat_fields = field_vars(&w.ps, nat, 4);
	for (uint32_t i = 0; i < x->ncands; i++) {
		const struct mf_cand *c = &x->cands[i];

		if ((c->family == VAL_FAM_V6) != (family == 6))
			continue;
		if (has_witness(&w, c->trace))
			keep_claim(x->out, &c->claim);
	}
	for (uint32_t i = 0; i < w.npv; i++)
		pred_free(&w.pv[i]);
	free(w.pv);
	free(w.preds.keys);
	free(w.preds.vals);
	free(w.order);
	ps_unref(w.nat_fields);
	pktset_fini(&w.ps);
}

void mf_witness(struct mf_ctx *x)
{
	witness_family(x, 4);
	witness_family(x, 6);
}
