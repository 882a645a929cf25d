// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a rule matches, as two packet sets: @over contains every packet the
 * rule can match, @under only packets it surely matches. They are equal
 * when every match of the rule is modelled; an unmodelled match (limit,
 * recent, an ipset, an unknown module...) makes @under empty, so such a
 * rule never counts as covering a later one, while the later rule's own
 * modelled part still applies. Semantics follow the kernel's match
 * functions (net/netfilter/xt_*.c), e.g. port and ICMP matches never match
 * a non-first fragment, even inverted.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/pred.h"
#include "iptlint/ast.h"

struct pred_acc {
	const struct pktset *ps;
	BDD over;
	bool exact;
	bool raw_ct;	/* conntrack tests in raw are modelled too */
};

/* over &= b; takes the reference of @b. */
static void acc_take(struct pred_acc *a, BDD b)
{
	ps_and_in(&a->over, b);
	ps_unref(b);
}

/* A test iptlint does not model: true for @over, unknown for @under. */
static void acc_unknown(struct pred_acc *a)
{
	a->exact = false;
}

/* Takes the reference of @b, returns a referenced result. */
static BDD inverted(BDD b, bool invert)
{
	BDD n;

	if (!invert)
		return b;
	n = ps_not(b);
	ps_unref(b);
	return n;
}

static BDD addr_list(const struct pktset *ps, enum ps_field f,
		     const struct val_addr_list *l, bool *exact)
{
	BDD acc = ps_ref(bddfalse);

	for (uint32_t i = 0; l && i < l->n; i++) {
		const struct val_addr *a = &l->v[i];
		BDD one;

		if (!a->family || (a->family == 4) != (ps->addr_bytes == 4)) {
			/* An unresolved host name: any address. */
			*exact = false;
			ps_unref(acc);
			return ps_ref(bddtrue);
		}
		one = ps_bytes_masked(ps, f, a->addr, a->mask, ps->addr_bytes);
		ps_or_in(&acc, one);
		ps_unref(one);
	}
	return acc;
}

/* "eth0" is the bytes e,t,h,0,NUL; "eth+" the prefix e,t,h (xt ifname mask). */
static BDD iface(const struct pktset *ps, enum ps_field f, const struct val_str *s)
{
	uint8_t v[16] = { 0 }, m[16] = { 0 };
	size_t n = s->len;

	if (n && s->s[n - 1] == '+') {
		n--;
	} else if (n < 16) {
		m[n] = 0xff;	/* the terminating NUL */
	}
	for (size_t i = 0; i < n && i < 16; i++) {
		v[i] = (uint8_t)s->s[i];
		m[i] = 0xff;
	}
	return ps_bytes_masked(ps, f, v, m, 16);
}

static BDD port_list(const struct pktset *ps, enum ps_field f,
		     const struct val_port_list *l)
{
	BDD acc = ps_ref(bddfalse);

	for (uint32_t i = 0; l && i < l->n; i++) {
		BDD r = ps_uint_range(ps, f, l->v[i].lo, l->v[i].hi);

		ps_or_in(&acc, r);
		ps_unref(r);
	}
	return acc;
}

/* Ports, ICMP and multiport matches never match non-first fragments. */
static void first_fragment_only(struct pred_acc *a)
{
	acc_take(a, ps_ref(bdd_nithvar(a->ps->first[PS_FRAG])));
}

static void mark_test(struct pred_acc *a, enum ps_field f, const struct ast_opt *o)
{
	uint32_t v = o->v.mark.value, m = o->v.mark.mask;
	BDD t;

	/* (mark & m) == v can never hold when v has bits outside m. */
	t = (v & ~m) ? ps_ref(bddfalse) : ps_uint_masked(a->ps, f, v, m);
	acc_take(a, inverted(t, o->invert));
}

/* ctstate bits in ext_ctstate_names order: INVALID ESTABLISHED RELATED NEW UNTRACKED SNAT DNAT. */
static void ctstate_test(struct pred_acc *a, const struct ast_opt *o)
{
	static const int value[] = {
		PS_CT_INVALID, PS_CT_ESTABLISHED, PS_CT_RELATED, PS_CT_NEW,
		PS_CT_UNTRACKED,
	};
	BDD acc;

	if (o->v.u & ~0x1full) {
		acc_unknown(a);	/* SNAT/DNAT are status bits, not states */
		return;
	}
	acc = ps_ref(bddfalse);
	for (int i = 0; i < 5; i++)
		if (o->v.u & (1ull << i)) {
			BDD st = ps_uint_masked(a->ps, PS_CTSTATE,
						(uint64_t)value[i], 7);

			ps_or_in(&acc, st);
			ps_unref(st);
		}
	acc_take(a, inverted(acc, o->invert));
}

static void base_opt(struct pred_acc *a, const struct ast_opt *o)
{
	BDD t;
	bool exact = true;

	switch (ast_opt_id(o)) {
	case OPT_ip_SOURCE:
	case OPT_ip_DESTINATION:
		if (o->kind != VAL_ADDRS)
			break;
		t = addr_list(a->ps, ast_opt_id(o) == OPT_ip_SOURCE ? PS_SRC : PS_DST,
			      o->v.addrs, &exact);
		if (!exact) {
			ps_unref(t);
			break;
		}
		acc_take(a, inverted(t, o->invert));
		return;
	case OPT_ip_PROTOCOL:
		if (o->kind != VAL_UINT || o->v.u > 255)
			break;
		if (o->v.u == 0)
			return;	/* "all" (inverted was refused by the parser) */
		acc_take(a, inverted(ps_uint_masked(a->ps, PS_PROTO, o->v.u, 0xff),
				     o->invert));
		return;
	case OPT_ip_IN_INTERFACE:
	case OPT_ip_OUT_INTERFACE:
		if (o->kind != VAL_IFACE && o->kind != VAL_STR)
			break;
		acc_take(a, inverted(iface(a->ps, ast_opt_id(o) == OPT_ip_IN_INTERFACE ?
					   PS_IIF : PS_OIF, &o->v.str),
				     o->invert));
		return;
	case OPT_ip_FRAGMENT:
		acc_take(a, inverted(ps_ref(bdd_ithvar(a->ps->first[PS_FRAG])),
				     o->invert));
		return;
	case OPT_ip_SET_COUNTERS:
	case OPT_ip_VERBOSE:
	case OPT_ip_IPV4:
	case OPT_ip_IPV6:
		return;	/* not a test */
	default:
		break;
	}
	acc_unknown(a);
}

static void port_opt(struct pred_acc *a, enum ps_field f, const struct ast_opt *o)
{
	if (o->kind != VAL_RANGE) {
		acc_unknown(a);
		return;
	}
	acc_take(a, inverted(ps_uint_range(a->ps, f, o->v.range.lo,
					   o->v.range.hi), o->invert));
}

static void tcp_udp_match(struct pred_acc *a, const struct ast_rule *r,
			  const struct ast_match *m, bool tcp)
{
	const struct ast_opt *opts = ast_match_opts(r, m);
	uint32_t nopts = ast_match_nopts(r, m);

	first_fragment_only(a);
	for (uint32_t k = 0; k < nopts; k++) {
		const struct ast_opt *o = &opts[k];
		int id = ast_opt_id(o);

		if (id == (tcp ? OPT_tcp_SPORT : OPT_udp_SPORT))
			port_opt(a, PS_SPORT, o);
		else if (id == (tcp ? OPT_tcp_DPORT : OPT_udp_DPORT))
			port_opt(a, PS_DPORT, o);
		else if (tcp && id == OPT_tcp_SYN)
			/* --syn is --tcp-flags SYN,RST,ACK,FIN SYN */
			acc_take(a, inverted(ps_uint_masked(a->ps, PS_TCPFLAGS,
							    0x02, 0x17), o->invert));
		else if (tcp && id == OPT_tcp_TCP_FLAGS && o->kind == VAL_TCPFLAGS &&
			 o->nargs == 2)
			/* (flags & mask) == cmp: never, when cmp has bits outside mask */
			acc_take(a, inverted((o->v.flags.cmp & ~o->v.flags.mask) ?
					     ps_ref(bddfalse) :
					     ps_uint_masked(a->ps, PS_TCPFLAGS,
							    o->v.flags.cmp,
							    o->v.flags.mask),
					     o->invert));
		else
			acc_unknown(a);
	}
}

static void multiport_match(struct pred_acc *a, const struct ast_rule *r,
			    const struct ast_match *m)
{
	const struct ast_opt *opts = ast_match_opts(r, m);
	uint32_t nopts = ast_match_nopts(r, m);

	first_fragment_only(a);
	for (uint32_t k = 0; k < nopts; k++) {
		const struct ast_opt *o = &opts[k];
		int id = ast_opt_id(o);
		BDD t;

		if (o->kind != VAL_PORTS) {
			acc_unknown(a);
			continue;
		}
		if (id == OPT_multiport_SPORTS) {
			t = port_list(a->ps, PS_SPORT, o->v.ports);
		} else if (id == OPT_multiport_DPORTS) {
			t = port_list(a->ps, PS_DPORT, o->v.ports);
		} else if (id == OPT_multiport_PORTS) {
			BDD sp = port_list(a->ps, PS_SPORT, o->v.ports);
			BDD dp = port_list(a->ps, PS_DPORT, o->v.ports);

			t = ps_or(sp, dp);
			ps_unref(sp);
			ps_unref(dp);
		} else {
			acc_unknown(a);
			continue;
		}
		acc_take(a, inverted(t, o->invert));
	}
}

static void icmp_match(struct pred_acc *a, const struct ast_rule *r,
		       const struct ast_match *m, bool v6)
{
	const struct ast_opt *opts = ast_match_opts(r, m);
	uint32_t nopts = ast_match_nopts(r, m);

	first_fragment_only(a);
	for (uint32_t k = 0; k < nopts; k++) {
		const struct ast_opt *o = &opts[k];
		BDD t, c;

		if (o->kind != VAL_ICMP) {
			acc_unknown(a);
			continue;
		}
		if (!v6 && o->v.icmp.type == 0xff) {
			t = ps_ref(bddtrue);	/* "any" (ipt_icmp: type 0xFF) */
		} else {
			t = ps_uint_masked(a->ps, PS_ICMP_TYPE, o->v.icmp.type, 0xff);
			c = ps_uint_range(a->ps, PS_ICMP_CODE, o->v.icmp.code_lo,
					  o->v.icmp.code_hi);
			ps_and_in(&t, c);
			ps_unref(c);
		}
		acc_take(a, inverted(t, o->invert));
	}
}

static void iprange_match(struct pred_acc *a, const struct ast_rule *r,
			  const struct ast_match *m)
{
	const struct ast_opt *opts = ast_match_opts(r, m);
	uint32_t nopts = ast_match_nopts(r, m);

	for (uint32_t k = 0; k < nopts; k++) {
		const struct ast_opt *o = &opts[k];
		const struct val_addr *ar;
		int id = ast_opt_id(o);

		if (o->kind != VAL_ADDR_RANGE || !o->v.addrs || o->v.addrs->n != 1 ||
		    (id != OPT_iprange_SRC_RANGE && id != OPT_iprange_DST_RANGE)) {
			acc_unknown(a);
			continue;
		}
		ar = &o->v.addrs->v[0];
		if ((ar->family == 4) != (a->ps->addr_bytes == 4)) {
			acc_unknown(a);
			continue;
		}
		acc_take(a, inverted(ps_bytes_range(a->ps,
				id == OPT_iprange_SRC_RANGE ? PS_SRC : PS_DST,
				ar->addr, ar->mask, a->ps->addr_bytes), o->invert));
	}
}

/* Conntrack-based tests mean nothing before conntrack ran (raw table). */
static bool conntrack_known(const struct ast_rule *r)
{
	return r->table->kind != TABLE_RAW;
}

static void match(struct pred_acc *a, const struct ast_rule *r,
		  const struct ast_match *m)
{
	const struct ext *e = ast_match_ext(m);
	const struct ast_opt *opts = ast_match_opts(r, m);
	uint32_t nopts = ast_match_nopts(r, m);

	if (!e) {
		acc_unknown(a);
		return;
	}
	switch (e->id) {
	case EXT_ID_tcp:
		tcp_udp_match(a, r, m, true);
		return;
	case EXT_ID_udp:
		tcp_udp_match(a, r, m, false);
		return;
	case EXT_ID_multiport:
		multiport_match(a, r, m);
		return;
	case EXT_ID_icmp:
		icmp_match(a, r, m, false);
		return;
	case EXT_ID_icmp6:
		icmp_match(a, r, m, true);
		return;
	case EXT_ID_comment:
		return;
	case EXT_ID_iprange:
		iprange_match(a, r, m);
		return;
	case EXT_ID_mark:
		for (uint32_t k = 0; k < nopts; k++)
			if (opts[k].kind == VAL_MARK)
				mark_test(a, PS_NFMARK, &opts[k]);
			else
				acc_unknown(a);
		return;
	case EXT_ID_connmark:
		if (!conntrack_known(r) && !a->raw_ct)
			break;
		/* No conntrack entry: false, and "!" is not applied (xt_connmark). */
		acc_take(a, ps_uint_range(a->ps, PS_CTSTATE, PS_CT_ESTABLISHED,
					  PS_CT_NEW));
		for (uint32_t k = 0; k < nopts; k++)
			if (opts[k].kind == VAL_MARK)
				mark_test(a, PS_CTMARK, &opts[k]);
			else
				acc_unknown(a);
		return;
	case EXT_ID_conntrack:
	case EXT_ID_state:
		if (!conntrack_known(r) && !a->raw_ct)
			break;
		for (uint32_t k = 0; k < nopts; k++) {
			const struct ast_opt *o = &opts[k];
			int id = ast_opt_id(o);

			if ((id == OPT_conntrack_CTSTATE || id == OPT_state_STATE) &&
			    o->kind == VAL_BITS)
				ctstate_test(a, o);
			else
				acc_unknown(a);
		}
		return;
	default:
		break;
	}
	acc_unknown(a);
}

static void build(const struct pktset *ps, const struct ast_rule *r,
		  struct pred *p, bool raw_ct)
{
	struct pred_acc a = { ps, ps_ref(bddtrue), true, raw_ct };

	const struct ast_opt *bo = ast_match_opts(r, &r->matches[0]);

	for (uint32_t k = 0; k < ast_match_nopts(r, &r->matches[0]); k++)
		if (ast_opt_def(&bo[k]))
			base_opt(&a, &bo[k]);
	for (uint32_t m = 1; m < r->nmatches; m++)
		if ((int32_t)m != r->target)
			match(&a, r, &r->matches[m]);
	p->over = a.over;	/* keeps the reference */
	p->under = ps_ref(a.exact ? a.over : bddfalse);
	p->exact = a.exact;
}

void pred_build(const struct pktset *ps, const struct ast_rule *r,
		struct pred *p)
{
	build(ps, r, p, false);
}

void pred_build_raw_ct(const struct pktset *ps, const struct ast_rule *r,
		       struct pred *p)
{
	build(ps, r, p, true);
}

void pred_free(struct pred *p)
{
	ps_unref(p->over);
	ps_unref(p->under);
	p->over = p->under = bddfalse;
}

/* Matches pred_build() models (in any table: conntrack ones not in raw). */
static bool modelled_match(const struct ast_rule *r, const struct ext *e)
{
	switch (e->id) {
	case EXT_ID_tcp: case EXT_ID_udp: case EXT_ID_multiport:
	case EXT_ID_icmp: case EXT_ID_icmp6: case EXT_ID_iprange:
	case EXT_ID_mark:
		return true;
	case EXT_ID_connmark: case EXT_ID_conntrack: case EXT_ID_state:
		return conntrack_known(r);
	default:
		return false;
	}
}

bool pred_rule_is_unconditional(const struct ast_rule *r)
{
	const struct ast_opt *bo = ast_match_opts(r, &r->matches[0]);

	for (uint32_t k = 0; k < ast_match_nopts(r, &r->matches[0]); k++) {
		const struct ast_opt *o = &bo[k];

		if (ast_opt_def(o) && ast_opt_id(o) != OPT_ip_SET_COUNTERS &&
		    ast_opt_id(o) != OPT_ip_VERBOSE && ast_opt_id(o) != OPT_ip_IPV4 &&
		    ast_opt_id(o) != OPT_ip_IPV6)
			return false;
	}
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];

		if ((int32_t)m != r->target && ast_match_ext(am) &&
		    modelled_match(r, ast_match_ext(am)))
			return false;
	}
	return true;
}

bool pred_rule_is_exact(const struct ast_rule *r)
{
	const struct ast_opt *bo = ast_match_opts(r, &r->matches[0]);

	for (uint32_t k = 0; k < ast_match_nopts(r, &r->matches[0]); k++) {
		const struct ast_opt *o = &bo[k];

		if (o->kind == VAL_ADDRS && o->v.addrs)
			for (uint32_t i = 0; i < o->v.addrs->n; i++)
				if (!o->v.addrs->v[i].family)
					return false;
	}
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];

		if ((int32_t)m == r->target)
			continue;
		if (!ast_match_ext(am))
			return false;
		switch (am->ext_id) {
		case EXT_ID_tcp: case EXT_ID_udp: case EXT_ID_multiport:
		case EXT_ID_icmp: case EXT_ID_icmp6: case EXT_ID_comment:
		case EXT_ID_iprange: case EXT_ID_mark:
			break;
		case EXT_ID_connmark: case EXT_ID_conntrack: case EXT_ID_state:
			if (!conntrack_known(r))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

const struct pred *pred_cache_get(struct pred_cache *c, const struct pktset *ps,
				  const struct ast_rule *r)
{
	bool found;
	uint32_t *idx = ptrmap_get(&c->map, r, &found);
	struct pred *p;

	if (found)
		return &c->v[*idx];
	*idx = c->n;
	p = vec_push((void **)&c->v, &c->n, &c->cap, sizeof(*p));
	if (c->raw_ct)
		pred_build_raw_ct(ps, r, p);
	else
		pred_build(ps, r, p);
	return p;
}

void pred_cache_free(struct pred_cache *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		pred_free(&c->v[i]);
	free(c->v);
	ptrmap_free(&c->map);
	memset(c, 0, sizeof(*c));
}
