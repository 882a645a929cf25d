/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PKTSET_H
#define IPTLINT_PKTSET_H

#include <stdbool.h>
#include <stdint.h>

#include <bdd.h>

/*
 * Packet sets as BDDs (BuDDy) over the header fields iptlint models.
 *
 * Why BDDs: a rule is blocked when the *union* of earlier rules covers it
 * (10.0.0.0/9 + 10.128.0.0/9 before 10.1.2.0/24), with "!" anywhere,
 * non-contiguous masks, interface wildcards and mark bits. A BDD over the
 * header bits represents all of these exactly, unions and complements
 * included, and a subset test is one operation; interval or prefix lists
 * would need a case split per field and grow with every "!".
 *
 * Variables, most significant bit first so that prefixes share nodes:
 * protocol, non-first fragment, conntrack state, input and output
 * interface names (16 bytes each, NUL padded), destination, source,
 * destination port, source port, ICMP type and code, TCP flags, nfmark,
 * ctmark.
 *
 * BuDDy keeps one BDD manager per process: one struct pktset may exist at
 * a time. The struct holds everything else; there is no global of ours.
 */

/* Conntrack states as the 3-bit value of the ctstate field. */
enum ps_ctstate {
	PS_CT_INVALID = 0,
	PS_CT_ESTABLISHED = 1,
	PS_CT_RELATED = 2,
	PS_CT_NEW = 3,
	PS_CT_UNTRACKED = 4,
};

/*
 * The enum order is the BDD variable order. Interfaces come before
 * addresses: rulesets say "-i ethX -s prefix -j chain", and with the
 * interface first the union of such rules stays a sum of their sizes
 * instead of a product.
 */
enum ps_field {
	PS_PROTO,
	PS_FRAG,
	PS_CTSTATE,
	PS_IIF,
	PS_OIF,
	PS_DST,
	PS_SRC,
	PS_DPORT,
	PS_SPORT,
	PS_ICMP_TYPE,
	PS_ICMP_CODE,
	PS_TCPFLAGS,
	PS_NFMARK,
	PS_CTMARK,
	PS__FIELDS
};

/**
 * struct pktset - the variable layout and a few constant sets.
 * @first, @width: per field, its first BDD variable and its bit count
 * @marks:  variable set of nfmark and ctmark (for "forget the marks")
 * @universe: all packets that exist (ctstate is one of five values)
 */
struct pktset {
	int first[PS__FIELDS];
	int width[PS__FIELDS];
	int nvars;
	int addr_bytes;
	BDD marks;
	BDD universe;
};

/*
 * Live BDD nodes above which an analysis gives up (and claims nothing):
 * about 400 MB of BuDDy node table. Checked between operations.
 */
#define PS_NODE_BUDGET	(20 * 1000 * 1000)
bool ps_over_budget(void);

/* Set up BuDDy for @family (4 or 6). Returns false when BuDDy fails. */
bool pktset_init(struct pktset *ps, int family);
void pktset_fini(struct pktset *ps);

/*
 * Reference discipline: BuDDy may collect any node without a reference
 * during any operation, including an operation's own operands. So every
 * function below takes referenced operands and returns a referenced
 * result, which the caller releases with ps_unref().
 */
static inline BDD ps_ref(BDD b)
{
	return bdd_addref(b);
}

static inline void ps_unref(BDD b)
{
	bdd_delref(b);
}


static inline BDD ps_and(BDD a, BDD b)
{
	return bdd_addref(bdd_and(a, b));
}

static inline BDD ps_or(BDD a, BDD b)
{
	return bdd_addref(bdd_or(a, b));
}

/* a and not b */
static inline BDD ps_diff(BDD a, BDD b)
{
	return bdd_addref(bdd_apply(a, b, bddop_diff));
}

static inline BDD ps_not(BDD a)
{
	return bdd_addref(bdd_not(a));
}

/* *dst = *dst op b, dropping the old value. */
static inline void ps_and_in(BDD *dst, BDD b)
{
	BDD v = ps_and(*dst, b);

	bdd_delref(*dst);
	*dst = v;
}

static inline void ps_or_in(BDD *dst, BDD b)
{
	BDD v = ps_or(*dst, b);

	bdd_delref(*dst);
	*dst = v;
}

static inline void ps_diff_in(BDD *dst, BDD b)
{
	BDD v = ps_diff(*dst, b);

	bdd_delref(*dst);
	*dst = v;
}

/* field == value on the bits where mask is 1 (integer fields up to 64 bits). */
BDD ps_uint_masked(const struct pktset *ps, enum ps_field f, uint64_t value,
		   uint64_t mask);
/* lo <= field <= hi. */
BDD ps_uint_range(const struct pktset *ps, enum ps_field f, uint64_t lo,
		  uint64_t hi);
/* Byte fields (addresses, interface names): bytes equal where mask bits are 1. */
BDD ps_bytes_masked(const struct pktset *ps, enum ps_field f,
		    const uint8_t *value, const uint8_t *mask, int nbytes);
/* lo <= field <= hi for byte fields (iprange), big-endian byte order. */
BDD ps_bytes_range(const struct pktset *ps, enum ps_field f,
		   const uint8_t *lo, const uint8_t *hi, int nbytes);
/* Forget what a set says about the marks (a rule may have rewritten them). */
BDD ps_forget_marks(const struct pktset *ps, BDD set);
/* The variable set of fields @f[0..n) (for bdd_exist/bdd_forall), referenced. */
BDD ps_fields_varset(const struct pktset *ps, const enum ps_field *f, int n);

#endif
