// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a rule's target does to the walk and to the marks: the kernel's
 * arithmetic of MARK (xt_MARK.c), CONNMARK set/save/restore with masks
 * and shifts (xt_connmark.c), TPROXY --tproxy-mark, HMARK, SET
 * --map-mark, on known-bits values. Shared by the mark walk (markflow.c)
 * and the packet tracer (trace.c): one interpretation of the targets.
 */
#include "analyzer/markflow_int.h"
#include "iptlint/pktset.h"

enum mf_effect mf_rule_effect(const struct ast_rule *r)
{
	const struct ext *te = ast_rule_target_ext(r);

	if (r->target < 0)
		return EF_CONTINUE;
	if (r->jump)
		return r->is_goto ? EF_GOTO : EF_JUMP;
	if (!te)
		return EF_UNKNOWN;
	switch (te->verdict) {
	case VERDICT_ACCEPT:
		return EF_ACCEPT;
	case VERDICT_DROP:
		return EF_DROP;
	case VERDICT_QUEUE:
		return EF_QUEUE;
	case VERDICT_RETURN:
		return EF_RETURN;
	case VERDICT_NAT:
		return EF_NAT;
	case VERDICT_TERMINAL:
		return EF_TERMINAL;
	default:
		return EF_CONTINUE;
	}
}

/* MARK or CONNMARK set: the (value, mask) of its xmark form. */
bool mf_xmark_of(const struct ast_rule *r, bool conn, uint32_t *v, uint32_t *m)
{
	static const enum opt_id ids[2][5] = {
		{ OPT_MARK_SET_XMARK, OPT_MARK_SET_MARK, OPT_MARK_AND_MARK,
		  OPT_MARK_OR_MARK, OPT_MARK_XOR_MARK },
		{ OPT_CONNMARK_SET_XMARK, OPT_CONNMARK_SET_MARK,
		  OPT_CONNMARK_AND_MARK, OPT_CONNMARK_OR_MARK,
		  OPT_CONNMARK_XOR_MARK },
	};
	for (int i = 0; i < 5; i++) {
		const struct ast_opt *o = ast_rule_find_opt(r, ids[conn][i]);
		uint32_t b;

		if (!o)
			continue;
		if (o->kind == VAL_MARK) {
			*v = o->v.mark.value;
			*m = o->v.mark.mask;
			/* --set-mark v/m is xmark (v, v|m) (libxt_MARK.c). */
			if (i == 1)
				*m |= *v;
			return true;
		}
		b = (uint32_t)o->v.u;
		switch (i) {
		case 2:	*v = 0; *m = ~b; return true;	/* and */
		case 3:	*v = b; *m = b; return true;	/* or */
		case 4:	*v = b; *m = 0; return true;	/* xor */
		default: return false;
		}
	}
	return false;
}

static uint32_t opt_u32(const struct ast_rule *r, enum opt_id id, uint32_t dflt)
{
	const struct ast_opt *o = ast_rule_find_opt(r, id);

	return o ? (uint32_t)o->v.u : dflt;
}

struct tnum mf_connmark_shift(const struct ast_rule *r, struct tnum t)
{
	uint32_t l = opt_u32(r, OPT_CONNMARK_LEFT_SHIFT, 0);
	uint32_t rs = opt_u32(r, OPT_CONNMARK_RIGHT_SHIFT, 0);

	if (l)
		return tnum_lshift(t, l);
	if (rs)
		return tnum_rshift(t, rs);
	return t;
}

/* The ctmask of a CONNMARK --save-mark/--restore-mark. */
uint32_t mf_connmark_ctmask(const struct ast_rule *r)
{
	const struct ast_opt *o = ast_rule_find_opt(r, OPT_CONNMARK_CTMASK);

	if (!o)
		o = ast_rule_find_opt(r, OPT_CONNMARK_MASK);
	return o ? (uint32_t)o->v.u : 0xffffffffu;
}

bool mf_connmark_shifted(const struct ast_rule *r)
{
	const struct ast_opt *l = ast_rule_find_opt(r, OPT_CONNMARK_LEFT_SHIFT);
	const struct ast_opt *s = ast_rule_find_opt(r, OPT_CONNMARK_RIGHT_SHIFT);

	return (l && l->v.u) || (s && s->v.u);
}

/* ctmark bits CONNMARK target @r can change (all of them when unsure). */
uint32_t mf_ct_written_by(const struct ast_rule *r)
{
	const struct ast_opt *o;

	if (mf_connmark_shifted(r))
		return 0xffffffffu;
	if (ast_rule_find_opt(r, OPT_CONNMARK_SAVE_MARK))
		return mf_connmark_ctmask(r);
	if (ast_rule_find_opt(r, OPT_CONNMARK_RESTORE_MARK))
		return 0;
	if ((o = ast_rule_find_opt(r, OPT_CONNMARK_SET_XMARK)) ||
	    (o = ast_rule_find_opt(r, OPT_CONNMARK_SET_MARK)))
		return o->kind == VAL_MARK ? o->v.mark.value | o->v.mark.mask :
		       0xffffffffu;
	if ((o = ast_rule_find_opt(r, OPT_CONNMARK_OR_MARK)) ||
	    (o = ast_rule_find_opt(r, OPT_CONNMARK_XOR_MARK)))
		return (uint32_t)o->v.u;
	if ((o = ast_rule_find_opt(r, OPT_CONNMARK_AND_MARK)))
		return ~(uint32_t)o->v.u;
	return 0xffffffffu;
}

enum mf_mark_op mf_mark_effect(const struct ast_rule *r, struct tnum *nf,
			       struct tnum *ct, bool has_ct, uint32_t *bits)
{
	const struct ast_opt *o;
	uint32_t v, m, nfmask, ctmask;

	*bits = 0;
	switch (r->target_ext) {
	case EXT_ID_MARK:
		if (!mf_xmark_of(r, false, &v, &m)) {
			*nf = tnum_unknown();
			*bits = ~0u;
			return MF_OP_NF_UNKNOWN;
		}
		*nf = tnum_xmark(*nf, v, m);
		*bits = m | v;
		return MF_OP_NF_SET;
	case EXT_ID_TPROXY:
		o = ast_rule_find_opt(r, OPT_TPROXY_TPROXY_MARK);
		if (!o || o->kind != VAL_MARK)
			return MF_OP_NONE;
		*nf = tnum_xmark(*nf, o->v.mark.value, o->v.mark.mask);
		*bits = o->v.mark.value | o->v.mark.mask;
		return MF_OP_NF_SET;
	case EXT_ID_HMARK:
		*nf = tnum_unknown();
		*bits = ~0u;
		return MF_OP_NF_UNKNOWN;
	case EXT_ID_SET:
		if (!ast_rule_find_opt(r, OPT_SET_MAP_MARK))
			return MF_OP_NONE;
		*nf = tnum_unknown();
		*bits = ~0u;
		return MF_OP_NF_UNKNOWN;
	case EXT_ID_CONNMARK:
		break;
	default:
		return MF_OP_NONE;
	}
	/* CONNMARK without a conntrack entry: XT_CONTINUE, nothing changes. */
	if (!has_ct)
		return MF_OP_NONE;
	o = ast_rule_find_opt(r, OPT_CONNMARK_MASK);
	nfmask = opt_u32(r, OPT_CONNMARK_NFMASK, o ? (uint32_t)o->v.u : ~0u);
	ctmask = opt_u32(r, OPT_CONNMARK_CTMASK, o ? (uint32_t)o->v.u : ~0u);
	if (ast_rule_find_opt(r, OPT_CONNMARK_SAVE_MARK)) {
		/* ct = (ct & ~ctmask) ^ shift(nf & nfmask) */
		*ct = tnum_xor(tnum_and(*ct, ~ctmask),
			       mf_connmark_shift(r, tnum_and(*nf, nfmask)));
		*bits = nfmask;
		return MF_OP_SAVE;
	}
	if (ast_rule_find_opt(r, OPT_CONNMARK_RESTORE_MARK)) {
		/* nf = (nf & ~nfmask) ^ shift(ct & ctmask) */
		*nf = tnum_xor(tnum_and(*nf, ~nfmask),
			       mf_connmark_shift(r, tnum_and(*ct, ctmask)));
		*bits = nfmask;
		return MF_OP_RESTORE;
	}
	/* set: the whole result is shifted (connmark_tg_shift) */
	if (mf_xmark_of(r, true, &v, &m))
		*ct = mf_connmark_shift(r, tnum_xmark(*ct, v, m));
	else
		*ct = tnum_unknown();
	return MF_OP_CT_SET;
}

/* Each hook's tables in priority order (analysis-model.md §1); 0xff ends. */
const uint8_t mf_hook_tables[HOOK__COUNT][6] = {
	[HOOK_PREROUTING] = { TABLE_RAW, TABLE_MANGLE, TABLE_NAT, 0xff },
	[HOOK_INPUT] = { TABLE_MANGLE, TABLE_FILTER, TABLE_SECURITY, TABLE_NAT, 0xff },
	[HOOK_FORWARD] = { TABLE_MANGLE, TABLE_FILTER, TABLE_SECURITY, 0xff },
	[HOOK_OUTPUT] = { TABLE_RAW, TABLE_MANGLE, TABLE_NAT, TABLE_FILTER,
			  TABLE_SECURITY, 0xff },
	[HOOK_POSTROUTING] = { TABLE_MANGLE, TABLE_NAT, 0xff },
};

const struct ast_chain *mf_hook_chain(const struct ast_table *t, enum hook_kind h)
{
	for (uint32_t i = 0; i < t->nchains; i++)
		if (t->chains[i]->builtin && t->chains[i]->hook == h)
			return t->chains[i];
	return NULL;
}

const uint8_t mf_class_ctstate[MF__CLASSES] = {
	[MF_FIRST] = PS_CT_NEW, [MF_LATER] = PS_CT_ESTABLISHED,
	[MF_RELATED] = PS_CT_RELATED, [MF_INVALID] = PS_CT_INVALID,
	[MF_UNTRACKED] = PS_CT_UNTRACKED,
};
