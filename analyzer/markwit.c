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
	struct pred_cache preds;
	/* per evaluation: the DAG's nodes, operands first, and their sets */
	const struct mf_trace **order;
	uint32_t norder, order_cap;
	BDD *val;
};

static int by_id(const void *a, const void *b)
{
	const struct mf_trace *x = *(const struct mf_trace *const *)a;
	const struct mf_trace *y = *(const struct mf_trace *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The DAG's nodes under @root in @w->order, operands first; false when too many. */
static bool collect(struct wit *w, const struct mf_trace *root,
		    struct ptrmap *seen)
{
	const struct mf_trace **stack = NULL;
	uint32_t n = 0, cap = 0;
	bool found;

	w->norder = 0;
	*(const struct mf_trace **)vec_push((void **)&stack, &n, &cap,
					    sizeof(*stack)) = root;
	while (n) {
		const struct mf_trace *t = stack[--n];

		ptrmap_get(seen, t, &found);
		if (found)
			continue;
		*(const struct mf_trace **)vec_push((void **)&w->order, &w->norder,
						    &w->order_cap,
						    sizeof(*w->order)) = t;
		if (w->norder > MF_WITNESS_NODES)
			break;
		if (t->a)
			*(const struct mf_trace **)vec_push((void **)&stack, &n, &cap,
							    sizeof(*stack)) = t->a;
		if (t->b)
			*(const struct mf_trace **)vec_push((void **)&stack, &n, &cap,
							    sizeof(*stack)) = t->b;
	}
	free(stack);
	if (w->norder > MF_WITNESS_NODES)
		return false;
	qsort(w->order, w->norder, sizeof(*w->order), by_id);
	return true;
}

/* The ctstates of a set of classes (enum mf_class bits). */
static BDD class_states(const struct pktset *ps, uint8_t classes)
{
	BDD acc = ps_ref(bddfalse);

	for (int c = 0; c < MF__CLASSES; c++)
		if (classes & (1u << c)) {
			BDD one = ps_uint_masked(ps, PS_CTSTATE, (uint64_t)mf_class_ctstate[c], 7);

			ps_or_in(&acc, one);
			ps_unref(one);
		}
	return acc;
}

static BDD eval_node(struct wit *w, const struct mf_trace *t, struct ptrmap *idx)
{
	bool found;
	BDD a = bddfalse, b = bddfalse, r, p;
	const struct pred *pr;

	if (t->a)
		a = w->val[*ptrmap_get(idx, t->a, &found)];
	if (t->b)
		b = w->val[*ptrmap_get(idx, t->b, &found)];
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
	pr = pred_cache_get(&w->preds, &w->ps, t->rule);
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
	struct ptrmap idx = { 0 };
	bool ok, found, nonempty = false;

	ok = collect(w, root, &idx);
	if (ok) {
		w->val = calloc(w->norder, sizeof(*w->val));
		if (!w->val)
			abort();
		for (uint32_t i = 0; i < w->norder; i++)
			*ptrmap_get(&idx, w->order[i], &found) = i;
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
	ptrmap_free(&idx);
	return ok && nonempty;
}


static void keep_claim(struct mf_ctx *x, const struct mf_claim *c)
{
	*(struct mf_claim *)vec_push((void **)&x->out->claims, &x->out->nclaims,
				     &x->claims_cap, sizeof(*c)) = *c;
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
	w.nat_fields = ps_fields_varset(&w.ps, nat, 4);
	for (uint32_t i = 0; i < x->ncands; i++) {
		const struct mf_cand *c = &x->cands[i];

		if ((c->family == VAL_FAM_V6) != (family == 6))
			continue;
		if (has_witness(&w, c->trace))
			keep_claim(x, &c->claim);
	}
	pred_cache_free(&w.preds);
	free(w.order);
	ps_unref(w.nat_fields);
	pktset_fini(&w.ps);
}

void mf_witness(struct mf_ctx *x)
{
	witness_family(x, 4);
	witness_family(x, 6);
}
