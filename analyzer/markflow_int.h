/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_ANALYZER_MARKFLOW_INT_H
#define IPTLINT_ANALYZER_MARKFLOW_INT_H

/* Shared by the mark walk (markflow.c) and its witnesses (markwit.c). */

#include "iptlint/arena.h"
#include "iptlint/markflow.h"
#include "iptlint/ptrmap.h"

enum mf_trace_kind {
	TR_START,	/* the packet's class: its ctstate */
	TR_EDGE,	/* a rule matched (@edge) or did not */
	TR_OR,		/* either path */
	TR_NAT,		/* a NAT target rewrote addresses and ports */
};

/*
 * A path's header tests since a provenance began, as a DAG: nodes are
 * created after their operands, so @id orders operands first.
 */
struct mf_trace {
	uint32_t id;
	uint8_t kind;
	uint8_t cls;		/* TR_START: enum mf_class bits */
	bool edge;		/* TR_EDGE */
	bool raw;		/* TR_START: before conntrack, no ctstate */
	const struct ast_rule *rule;
	const struct mf_trace *a, *b;
};

struct mf_cand {
	struct mf_claim claim;
	const struct mf_trace *trace;
	int family;
};

#define MF_MEMO_SLOTS	(1u << 16)

struct memo_ent;

struct mf_ctx {
	struct lint *lint;
	struct markflow *out;
	struct arena arena;	/* trace nodes */
	uint32_t ntrace;
	bool prov_off;		/* trace budget spent: no more provenance */
	struct memo_ent **memo;
	struct ptrmap tests, ctuses, writers;	/* node -> index in out's arrays */
	struct ptrmap entries;			/* chain -> facts it was walked with */
	uint32_t tests_cap, ctuses_cap, writers_cap, claims_cap;
	struct mf_cand *cands;
	uint32_t ncands, cands_cap;
	struct mf_sum_pool *sum_pool;	/* marksum.c: one copy of each summary */
};

/* What the target of @r does to the walk. */
enum mf_effect {
	EF_CONTINUE,
	EF_ACCEPT,
	EF_DROP,
	EF_RETURN,
	EF_QUEUE,	/* accepted later, or dropped */
	EF_TERMINAL,	/* ends the table's walk, or goes on (SYNPROXY) */
	EF_NAT,
	EF_JUMP,
	EF_GOTO,
	EF_UNKNOWN,	/* a target iptlint does not model */
};

enum mf_effect mf_rule_effect(const struct ast_rule *r);
/* MARK (@conn false) or CONNMARK --set-*: the (value, mask) of its xmark form. */
bool mf_xmark_of(const struct ast_rule *r, bool conn, uint32_t *v, uint32_t *m);
/* What a target does to the marks (markops.c). */
enum mf_mark_op {
	MF_OP_NONE,
	MF_OP_NF_SET,		/* xmark on nfmark; *bits: the bits it writes */
	MF_OP_NF_UNKNOWN,	/* nfmark overwritten with an unknown value */
	MF_OP_CT_SET,		/* CONNMARK --set-* */
	MF_OP_SAVE,		/* *bits: nfmask */
	MF_OP_RESTORE,		/* *bits: nfmask, the nfmark bits replaced */
};
enum mf_mark_op mf_mark_effect(const struct ast_rule *r, struct tnum *nf,
			       struct tnum *ct, bool has_ct, uint32_t *bits);
/* CONNMARK's --left-shift-mark / --right-shift-mark applied to @t. */
struct tnum mf_connmark_shift(const struct ast_rule *r, struct tnum t);
/* ctmark bits CONNMARK target @r can change (all when unsure). */
uint32_t mf_ct_written_by(const struct ast_rule *r);

/* Each hook's tables in priority order (legacy INPUT order); 0xff ends. */
extern const uint8_t mf_hook_tables[HOOK__COUNT][6];
/* The builtin chain of @t for hook @h, or NULL. */
const struct ast_chain *mf_hook_chain(const struct ast_table *t, enum hook_kind h);

/* The pktset ctstate value (PS_CT_*) of each class. */
extern const uint8_t mf_class_ctstate[MF__CLASSES];

/* The ctstate bit (ext_ctstate_names order) of each class. */
extern const uint8_t mf_class_state_bit[MF__CLASSES];

#define C(cls)		(1u << (cls))
#define C_TRACKED	(C(MF_FIRST) | C(MF_LATER) | C(MF_RELATED))
#define C_ALL		((1u << MF__CLASSES) - 1)

/*
 * A chain that tests no mark, in closed form: each element is one way
 * through it, with where it ends, the classes that can take it and the
 * xmark it applies to nfmark. @ok is false when the chain must be walked.
 */
enum { MF_EXIT_RET, MF_EXIT_ACC, MF_EXIT_DROP };
struct mf_xf {
	uint8_t exit;
	uint8_t cls;
	uint32_t v, m;
};
struct mf_sum {
	const struct mf_xf *v;	/* shared between chains with the same summary */
	uint32_t n;
	bool ok;
	bool plain;	/* no rule tests anything: each way is taken by every packet */
};

struct cfg_table;
void mf_sum_pool_free(struct mf_ctx *x);
/* Summaries of all chains of @ct (by chain id), in @x->arena. */
struct mf_sum *mf_summarise(struct mf_ctx *x, const struct cfg_table *ct,
			    bool track_writers);

const struct mf_trace *mf_trace_start(struct mf_ctx *x, uint8_t cls, bool raw);
const struct mf_trace *mf_trace_edge(struct mf_ctx *x, const struct mf_trace *prev,
				     const struct ast_rule *r, bool edge);
const struct mf_trace *mf_trace_or(struct mf_ctx *x, const struct mf_trace *a,
				   const struct mf_trace *b);
const struct mf_trace *mf_trace_nat(struct mf_ctx *x, const struct mf_trace *prev);

/* Keep the candidates whose trace has a packet (x->out->claims). */
void mf_witness(struct mf_ctx *x);

#endif
