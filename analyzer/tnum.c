// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Known-bits mark values (see include/iptlint/tnum.h). The representation
 * and the join follow the eBPF verifier's tnum; the operations are the
 * few the mark targets and matches need (xt_mark.c, xt_connmark.c).
 */
#include <stdio.h>

#include "iptlint/tnum.h"

struct tnum tnum_join(struct tnum a, struct tnum b)
{
	uint32_t mu;

	if (tnum_is_empty(a))
		return b;
	if (tnum_is_empty(b))
		return a;
	mu = a.mask | b.mask | (a.value ^ b.value);
	return (struct tnum){ .value = a.value & ~mu, .mask = mu };
}

struct tnum tnum_meet(struct tnum a, struct tnum b)
{
	uint32_t both = ~a.mask & ~b.mask;

	if (tnum_is_empty(a) || tnum_is_empty(b) ||
	    ((a.value ^ b.value) & both))
		return TNUM_EMPTY;
	return (struct tnum){ .value = a.value | b.value,
			      .mask = a.mask & b.mask };
}

bool tnum_contains(struct tnum t, uint32_t v)
{
	return !tnum_is_empty(t) && (v & ~t.mask) == t.value;
}

struct tnum tnum_xmark(struct tnum t, uint32_t value, uint32_t mask)
{
	if (tnum_is_empty(t))
		return t;
	/* Bits of @mask become known (those of @value); others are flipped
	 * where @value has a 1, which keeps them as known as they were. */
	t.mask &= ~mask;
	t.value = ((t.value & ~mask) ^ value) & ~t.mask;
	return t;
}

struct tnum tnum_and(struct tnum t, uint32_t mask)
{
	if (tnum_is_empty(t))
		return t;
	return (struct tnum){ .value = t.value & mask, .mask = t.mask & mask };
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint32_t mu;

	if (tnum_is_empty(a) || tnum_is_empty(b))
		return TNUM_EMPTY;
	mu = a.mask | b.mask;
	return (struct tnum){ .value = (a.value ^ b.value) & ~mu, .mask = mu };
}

struct tnum tnum_lshift(struct tnum t, unsigned int shift)
{
	if (tnum_is_empty(t) || shift >= 32)
		return tnum_is_empty(t) ? t : tnum_const(0);
	return (struct tnum){ .value = t.value << shift, .mask = t.mask << shift };
}

struct tnum tnum_rshift(struct tnum t, unsigned int shift)
{
	if (tnum_is_empty(t) || shift >= 32)
		return tnum_is_empty(t) ? t : tnum_const(0);
	return (struct tnum){ .value = t.value >> shift, .mask = t.mask >> shift };
}

struct tnum tnum_splice(struct tnum dst, struct tnum src, uint32_t bits)
{
	if (tnum_is_empty(dst) || tnum_is_empty(src))
		return TNUM_EMPTY;
	return (struct tnum){
		.value = (dst.value & ~bits) | (src.value & bits),
		.mask = (dst.mask & ~bits) | (src.mask & bits),
	};
}

enum tnum_truth tnum_test(struct tnum t, uint32_t value, uint32_t mask)
{
	if (tnum_is_empty(t) || (value & ~mask))
		return TNUM_FALSE;
	/* A known bit under @mask that differs decides it. */
	if ((t.value ^ value) & mask & ~t.mask)
		return TNUM_FALSE;
	return (mask & t.mask) ? TNUM_MAYBE : TNUM_TRUE;
}

struct tnum tnum_refine_eq(struct tnum t, uint32_t value, uint32_t mask)
{
	if (value & ~mask)
		return TNUM_EMPTY;
	return tnum_meet(t, (struct tnum){ .value = value, .mask = ~mask });
}

struct tnum tnum_refine_ne(struct tnum t, uint32_t value, uint32_t mask)
{
	uint32_t open = mask & t.mask;

	switch (tnum_test(t, value, mask)) {
	case TNUM_TRUE:
		return TNUM_EMPTY;
	case TNUM_FALSE:
		return t;
	default:
		break;
	}
	/* All other bits under @mask equal @value: the one open bit must differ. */
	if (open && !(open & (open - 1))) {
		t.mask &= ~open;
		t.value |= ~value & open;
	}
	return t;
}

void tnum_format(char *buf, unsigned int size, struct tnum t)
{
	if (tnum_is_empty(t))
		snprintf(buf, size, "(none)");
	else if (!t.mask)
		snprintf(buf, size, "0x%x (%u)", t.value, t.value);
	else if (t.mask == 0xffffffffu)
		snprintf(buf, size, "any value");
	else
		snprintf(buf, size, "0x%x with bits 0x%x unknown", t.value, t.mask);
}
