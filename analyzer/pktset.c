// SPDX-License-Identifier: GPL-2.0-or-later
/* Packet sets over header bits, with BuDDy: the field encoders. */
#include <string.h>

#include "iptlint/pktset.h"

static const int field_width[PS__FIELDS] = {
	[PS_PROTO] = 8, [PS_FRAG] = 1, [PS_CTSTATE] = 3,
	[PS_DST] = 0, [PS_SRC] = 0,	/* 32 or 128: set at init */
	[PS_DPORT] = 16, [PS_SPORT] = 16,
	[PS_ICMP_TYPE] = 8, [PS_ICMP_CODE] = 8, [PS_TCPFLAGS] = 8,
	[PS_IIF] = 128, [PS_OIF] = 128,
	[PS_NFMARK] = 32, [PS_CTMARK] = 32,
};

/* BuDDy reports garbage collections on stdout unless told not to. */
static void ps_quiet_gbc(int pre, bddGbcStat *stat)
{
	(void)pre;
	(void)stat;
}

bool pktset_init(struct pktset *ps, int family)
{
	int v = 0, marks[64];

	memset(ps, 0, sizeof(*ps));
	ps->addr_bytes = family == 4 ? 4 : 16;
	for (int f = 0; f < PS__FIELDS; f++) {
		ps->first[f] = v;
		ps->width[f] = field_width[f] ? field_width[f] : ps->addr_bytes * 8;
		v += ps->width[f];
	}
	ps->nvars = v;
	if (bdd_isrunning())
		return false;	/* one BuDDy manager per process */
	if (bdd_init(1 << 16, 1 << 14) < 0)
		return false;
	bdd_gbc_hook(ps_quiet_gbc);
	bdd_setmaxincrease(1 << 22);
	bdd_setcacheratio(4);
	if (bdd_setvarnum(ps->nvars) < 0) {
		bdd_done();
		return false;
	}
	for (int i = 0; i < 32; i++) {
		marks[i] = ps->first[PS_NFMARK] + i;
		marks[32 + i] = ps->first[PS_CTMARK] + i;
	}
	ps->marks = ps_ref(bdd_makeset(marks, 64));
	ps->universe = ps_uint_range(ps, PS_CTSTATE, 0, PS_CT_UNTRACKED);
	return true;
}

void pktset_fini(struct pktset *ps)
{
	if (bdd_isrunning())
		bdd_done();
	memset(ps, 0, sizeof(*ps));
}

bool ps_over_budget(void)
{
	return bdd_getnodenum() > PS_NODE_BUDGET;
}

/* Bit @i (0 = most significant) of field @f. */
static int var(const struct pktset *ps, enum ps_field f, int i)
{
	return ps->first[f] + i;
}

BDD ps_uint_masked(const struct pktset *ps, enum ps_field f, uint64_t value,
		   uint64_t mask)
{
	int w = ps->width[f];
	BDD acc = bddtrue;

	/* Build from the last variable up: each step adds one node. */
	for (int i = w - 1; i >= 0; i--) {
		uint64_t bit = 1ull << (w - 1 - i);
		BDD lit, next;

		if (!(mask & bit))
			continue;
		lit = value & bit ? bdd_ithvar(var(ps, f, i)) : bdd_nithvar(var(ps, f, i));
		next = bdd_addref(bdd_and(lit, acc));
		bdd_delref(acc);
		acc = next;
	}
	return acc;
}

static BDD bytes_cmp(const struct pktset *ps, enum ps_field f,
		     const uint8_t *c, int nbits, bool le);

/* x <= c (or x >= c) for an integer field: its bits as big-endian bytes. */
static BDD uint_cmp(const struct pktset *ps, enum ps_field f, uint64_t c,
		    bool le)
{
	int w = ps->width[f];
	uint8_t bytes[8] = { 0 };

	/* Left-align the w value bits in the byte string, MSB first. */
	c <<= 64 - w;
	for (int i = 0; i < 8; i++)
		bytes[i] = (uint8_t)(c >> (56 - 8 * i));
	return bytes_cmp(ps, f, bytes, w, le);
}

BDD ps_uint_range(const struct pktset *ps, enum ps_field f, uint64_t lo,
		  uint64_t hi)
{
	BDD a, b, r;
	uint64_t max = ps->width[f] >= 64 ? ~0ull : (1ull << ps->width[f]) - 1;

	if (lo > hi)
		return bddfalse;
	if (lo == 0 && hi >= max)
		return bddtrue;
	a = uint_cmp(ps, f, lo, false);
	b = uint_cmp(ps, f, hi, true);
	r = bdd_addref(bdd_and(a, b));
	bdd_delref(a);
	bdd_delref(b);
	return r;
}

BDD ps_bytes_masked(const struct pktset *ps, enum ps_field f,
		    const uint8_t *value, const uint8_t *mask, int nbytes)
{
	BDD acc = bddtrue;

	for (int i = nbytes * 8 - 1; i >= 0; i--) {
		int byte = i / 8, bit = 7 - i % 8;
		BDD lit, next;

		if (i >= ps->width[f] || !((mask[byte] >> bit) & 1))
			continue;
		lit = (value[byte] >> bit) & 1 ? bdd_ithvar(var(ps, f, i))
					       : bdd_nithvar(var(ps, f, i));
		next = bdd_addref(bdd_and(lit, acc));
		bdd_delref(acc);
		acc = next;
	}
	return acc;
}

/*
 * x <= c (or x >= c) over the first @nbits bits of field @f, with c as
 * big-endian bytes, built from the least significant bit upwards.
 */
static BDD bytes_cmp(const struct pktset *ps, enum ps_field f,
		     const uint8_t *c, int nbits, bool le)
{
	BDD acc = bddtrue;

	for (int i = nbits - 1; i >= 0; i--) {
		int cbit = (c[i / 8] >> (7 - i % 8)) & 1;
		BDD x = bdd_ithvar(var(ps, f, i)), nx = bdd_nithvar(var(ps, f, i));
		BDD next;

		if (le)
			next = cbit ? bdd_or(nx, acc) : bdd_and(nx, acc);
		else
			next = cbit ? bdd_and(x, acc) : bdd_or(x, acc);
		bdd_addref(next);
		bdd_delref(acc);
		acc = next;
	}
	return acc;
}

BDD ps_bytes_range(const struct pktset *ps, enum ps_field f,
		   const uint8_t *lo, const uint8_t *hi, int nbytes)
{
	BDD a = bytes_cmp(ps, f, lo, nbytes * 8, false);
	BDD b = bytes_cmp(ps, f, hi, nbytes * 8, true);
	BDD r = bdd_addref(bdd_and(a, b));

	bdd_delref(a);
	bdd_delref(b);
	return r;
}

BDD ps_forget_marks(const struct pktset *ps, BDD set)
{
	return bdd_addref(bdd_exist(set, ps->marks));
}

BDD ps_fields_varset(const struct pktset *ps, const enum ps_field *f, int n)
{
	int vars[768], k = 0;	/* every field of an IPv6 set: 644 */

	for (int j = 0; j < n; j++)
		for (int i = 0; i < ps->width[f[j]] &&
		     k < (int)(sizeof(vars) / sizeof(vars[0])); i++)
			vars[k++] = ps->first[f[j]] + i;
	return ps_ref(bdd_makeset(vars, k));
}
