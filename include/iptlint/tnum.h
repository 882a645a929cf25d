/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_TNUM_H
#define IPTLINT_TNUM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Known-bits values for 32-bit marks, after the eBPF verifier's tnum
 * (kernel/bpf/tnum.c): a bit is unknown where @mask is 1, else it equals
 * the bit of @value. @value has no bit where @mask has one; the one value
 * breaking that rule, TNUM_EMPTY, is the empty set (an infeasible edge).
 *
 * Every operation is exact on the set it represents, except tnum_join()
 * (the smallest tnum holding both) and the false edge of a test whose
 * complement is not a tnum (tnum_refine_ne()), which over-approximate.
 */
struct tnum {
	uint32_t value;
	uint32_t mask;
};

#define TNUM_EMPTY	((struct tnum){ .value = 1, .mask = 1 })

enum tnum_truth {
	TNUM_FALSE = 1,
	TNUM_TRUE = 2,
	TNUM_MAYBE = TNUM_FALSE | TNUM_TRUE,
};

static inline struct tnum tnum_const(uint32_t v)
{
	return (struct tnum){ .value = v, .mask = 0 };
}

static inline struct tnum tnum_unknown(void)
{
	return (struct tnum){ .value = 0, .mask = 0xffffffffu };
}

static inline bool tnum_is_empty(struct tnum t)
{
	return (t.value & t.mask) != 0;
}

static inline bool tnum_is_const(struct tnum t)
{
	return !tnum_is_empty(t) && t.mask == 0;
}

static inline bool tnum_equal(struct tnum a, struct tnum b)
{
	return a.value == b.value && a.mask == b.mask;
}

/* Bits known in every value of @t. */
static inline uint32_t tnum_known(struct tnum t)
{
	return ~t.mask;
}

struct tnum tnum_join(struct tnum a, struct tnum b);
struct tnum tnum_meet(struct tnum a, struct tnum b);
bool tnum_contains(struct tnum t, uint32_t v);

/* The kernel's xmark: m = (m & ~mask) ^ value (xt_MARK, CONNMARK set). */
struct tnum tnum_xmark(struct tnum t, uint32_t value, uint32_t mask);
struct tnum tnum_and(struct tnum t, uint32_t mask);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_lshift(struct tnum t, unsigned int shift);
struct tnum tnum_rshift(struct tnum t, unsigned int shift);
/* dst with the bits of @bits taken from @src: (dst & ~bits) | (src & bits). */
struct tnum tnum_splice(struct tnum dst, struct tnum src, uint32_t bits);

/* (m & mask) == value, for every / no / some m in @t. */
enum tnum_truth tnum_test(struct tnum t, uint32_t value, uint32_t mask);
/* @t restricted to (m & mask) == value: exact (TNUM_EMPTY if none). */
struct tnum tnum_refine_eq(struct tnum t, uint32_t value, uint32_t mask);
/*
 * @t restricted to (m & mask) != value: exact when one bit of @mask is
 * unknown in @t, else @t itself (its complement is not a tnum).
 */
struct tnum tnum_refine_ne(struct tnum t, uint32_t value, uint32_t mask);

/* "0x1e (30)", or "0x1?/0xf..." style "value 0x10 with bits 0xf unknown". */
void tnum_format(char *buf, unsigned int size, struct tnum t);

#endif
