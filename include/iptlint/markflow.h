/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_MARKFLOW_H
#define IPTLINT_MARKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/ast.h"
#include "iptlint/tnum.h"

/*
 * The mark dataflow (analysis-model.md §2-§4): every packet class walked
 * through the hooks and tables of its path, chains as procedures, nfmark
 * and ctmark as known-bits values. The walk over-approximates what
 * packets can carry, so "false on every path" claims hold; claims that
 * something happens on some path (a mark lost, a mark clobbered) are kept
 * only when a packet set of their path is shown non-empty (a witness).
 */

/* Packet classes (analysis-model.md §2). */
enum mf_class {
	MF_FIRST,	/* first packet of a connection: NEW, ctmark 0 */
	MF_LATER,	/* later packets, both directions: ESTABLISHED */
	MF_RELATED,	/* RELATED: ctmark of the master connection */
	MF_INVALID,	/* no conntrack entry */
	MF_UNTRACKED,	/* exempted by CT --notrack / NOTRACK */
	MF__CLASSES
};

const char *mf_class_name(enum mf_class c);
/* "! --mark 0x1/0xff" for messages. */
void mf_format_test(char *buf, size_t size, const struct ast_opt *o);

/**
 * struct mf_test - what the walk saw at one -m mark / -m connmark option.
 * @truth:   OR of enum tnum_truth over the packets that evaluated it
 * @seen:    join of the tested mark over them
 * @other:   join of the other mark (nfmark for connmark, ctmark for mark)
 *           over those that have a conntrack entry
 * @other_truth: the same test on @other (0: no packet with conntrack)
 * @no_ct, @with_ct: some packet reaching it had no / a conntrack entry
 * @classes: MF_* bit set of the classes that reached it
 * @path:    one path reaching it, "PREROUTING → mangle → WAN_IN"
 */
struct mf_test {
	const struct ast_rule *rule;
	const struct ast_opt *opt;
	bool connmark;
	uint8_t truth;
	uint8_t other_truth;
	bool other_true;	/* the test surely holds on the other mark of some packet */
	bool no_ct, with_ct;
	bool no_ct_invalid;	/* some packet without entry was INVALID, not untracked/raw */
	uint8_t classes;
	uint32_t ct_written;	/* ctmark bits some CONNMARK of its ruleset writes */
	struct tnum seen, other;
	char path[96];
};

/* A CONNMARK target: did it ever run with a conntrack entry? */
struct mf_ctuse {
	const struct ast_rule *rule;
	bool no_ct, with_ct;
	bool raw_only;		/* every run without ct was in the raw table */
	bool no_ct_invalid;	/* some run without ct was an INVALID packet */
	char path[96];
};

enum mf_kind {
	MF_OVERWRITE,		/* restore-overwrites-mark */
	MF_CLOBBER,		/* mark-clobber */
	MF_RESTORED_TEST,	/* a mark test reading restored bits (missing-save-mark) */
};

/**
 * struct mf_claim - an existential finding with its witness shown.
 * @a, @b, @c: OVERWRITE: a = restore, b = lost MARK;
 *             CLOBBER: a = wide write, b = masked write, c = the test;
 *             RESTORED_TEST: a = restore, c = the test
 * @bits:   the nfmark bits concerned
 * @before, @after: their value before and after @a (OVERWRITE, CLOBBER)
 * @cls:    the class of the witness packet
 */
struct mf_claim {
	enum mf_kind kind;
	const struct ast_rule *a, *b, *c;
	uint32_t bits;
	struct tnum before, after;
	enum mf_class cls;
	bool may_true;		/* RESTORED_TEST: the test can hold on a restored mark */
	char path[96];
};

/* A MARK-like write and what happened to its bits. */
struct mf_writer {
	const struct ast_rule *rule;
	uint32_t value, mask;	/* its xmark form */
	uint32_t saved;		/* bits some --save-mark stored after it */
};

/*
 * A read of ctmark bits (restore-without-save): a --restore-mark (@opt
 * NULL) or a -m connmark option, with the bits some CONNMARK of its
 * ruleset may write (the others are always 0: a new connection's ctmark
 * is 0).
 */
struct mf_ctread {
	const struct ast_rule *rule;
	const struct ast_opt *opt;
	uint32_t bits;
	uint32_t written;
};

/**
 * struct markflow - result of the walk, shared by the mark checks.
 * @gave_up: a budget was hit: universal observations are incomplete and
 *           the checks claim nothing
 */
struct markflow {
	struct mf_test *tests;
	uint32_t ntests;
	struct mf_ctuse *ctuses;
	uint32_t nctuses;
	struct mf_claim *claims;
	uint32_t nclaims;
	struct mf_writer *writers;
	uint32_t nwriters;
	struct mf_ctread *ctreads;
	uint32_t nctreads;
	const struct ast_rule **unreachable;	/* sorted, built on first use */
	uint32_t nunreachable;
	bool unreachable_done;
	bool gave_up;
};

struct lint;

/*
 * A test never true whose value the other mark can carry (mark-match-
 * confusion), and a connmark test reached only without conntrack
 * (connmark-untracked): the cases mark-never-matches leaves to them.
 */
bool mf_test_confused(const struct mf_test *t);
bool mf_test_untracked(const struct mf_test *t);
/* The rule is an unreachable-rule finding: the mark checks leave it to that. */
bool mf_rule_unreachable(struct lint *lint, const struct ast_rule *r);

/* CONNMARK --save/--restore-mark's ctmask, and whether it shifts. */
uint32_t mf_connmark_ctmask(const struct ast_rule *r);
bool mf_connmark_shifted(const struct ast_rule *r);

/* Built once per run, on first use (needs the BuDDy thread: witnesses). */
const struct markflow *markflow_get(struct lint *lint);
void markflow_free(struct markflow *mf);

#endif
