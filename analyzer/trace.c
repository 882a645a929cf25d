// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptlint trace: concrete packets through the ruleset, hook by hook and
 * table by table (markops.c's table order), chains as procedures.
 *
 * Whether a rule matches is asked of the packet-set analysis: the packet
 * is a point (or, for fields not given, a set) of the BuDDy space of
 * analyzer/pred.c, with its marks and conntrack state; the rule matches
 * when the point lies in the packets it surely matches, does not when it
 * lies outside those it may match, and is a branch point otherwise (an
 * unmodelled match, an interface the packet description leaves open).
 * Targets change the marks through markops.c, as in the mark walk.
 *
 * Branch points are explored as "worlds": a run takes a decision for each
 * branch point in order; runs are repeated with the untried decisions
 * until every combination (up to TRACE_MAX_WORLDS) has been followed.
 *
 * Conntrack as far as a traced flow needs it, as tests/diff_trace.py
 * checks against the kernel: the first packet's state from its header
 * (first_class()), later packets of the original direction NEW until
 * conntrack has seen a reply, the TCP tracker's first states, the nat
 * chains once per connection, the ctmark carried over.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/markflow_int.h"
#include "analyzer/pred.h"
#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "iptlint/pktset.h"
#include "iptlint/trace.h"

#define TRACE_MAX_DEPTH		64
#define TRACE_MAX_DECISIONS	64

/* The header of the packet as the rules see it, NAT rewrites included. */
struct hdrvals {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	bool src_known, dst_known, sport_known, dport_known;
	char iif[16], oif[16];
};

/* nf_conntrack_proto_tcp.c's states a traced flow can be in. */
enum { TCP_NONE, TCP_SYN_SENT, TCP_SYN_RECV, TCP_ESTABLISHED };

/* What a connection remembers between its packets. */
struct conn {
	bool confirmed;
	bool seen_reply;		/* IPS_SEEN_REPLY: conntrack saw a reply */
	uint8_t tcp;			/* TCP_*: the TCP tracker's state */
	struct tnum ct;
	struct trace_packet orig;	/* the first packet as sent */
	struct hdrvals dnat;		/* after DNAT (dst) and SNAT (src) */
	bool did_dnat, did_snat;
};

struct tctx {
	struct lint *lint;
	const struct ast_table *t[TABLE__COUNT];
	struct pktset ps;
	struct pred_cache preds;
	/* the world being run */
	uint8_t dec[TRACE_MAX_DECISIONS];
	uint32_t ndec, pos;
	uint8_t taken[TRACE_MAX_DECISIONS];
	bool too_many;
	/* the packet being run */
	struct trace_run *run;
	struct hdrvals h;
	struct tnum nf, ct;
	int cls;
	bool has_ct, notrack, nat_done_dst, nat_done_src;
	bool existing;		/* a later packet of a confirmed connection */
	enum hook_kind hook;
	enum table_kind table;
	struct conn *conn;
	bool reply;
};

/* ------------------------------------------------------ the packet set */

static void and_field(struct tctx *x, BDD *acc, enum ps_field f, uint64_t v,
		      uint64_t m)
{
	BDD b = ps_uint_masked(&x->ps, f, v, m);

	ps_and_in(acc, b);
	ps_unref(b);
}

static void and_bytes(struct tctx *x, BDD *acc, enum ps_field f,
		      const uint8_t *v, size_t n)
{
	uint8_t m[16];
	BDD b;

	memset(m, 0xff, sizeof(m));
	b = ps_bytes_masked(&x->ps, f, v, m, n);
	ps_and_in(acc, b);
	ps_unref(b);
}

/* The packet, as a set of the analysis' space, at this point of its walk. */
static BDD packet_set(struct tctx *x)
{
	const struct trace_packet *p = &x->run->pkt;
	uint8_t name[16];
	BDD acc = ps_ref(x->ps.universe);
	bool in_dev = x->hook != HOOK_OUTPUT && x->hook != HOOK_POSTROUTING;
	bool out_dev = x->hook != HOOK_PREROUTING && x->hook != HOOK_INPUT;
	size_t alen = x->ps.addr_bytes;

	and_field(x, &acc, PS_PROTO, p->proto, 0xff);
	and_field(x, &acc, PS_FRAG, 0, 1);
	/*
	 * Before conntrack (the raw table) no packet has an entry yet:
	 * xt_conntrack and xt_state say INVALID, UNTRACKED after NOTRACK.
	 */
	if (x->table == TABLE_RAW)
		and_field(x, &acc, PS_CTSTATE, x->notrack ? PS_CT_UNTRACKED :
			  PS_CT_INVALID, 7);
	else
		and_field(x, &acc, PS_CTSTATE, (uint64_t)mf_class_ctstate[x->cls], 7);
	if (x->h.src_known)
		and_bytes(x, &acc, PS_SRC, x->h.src, alen);
	if (x->h.dst_known)
		and_bytes(x, &acc, PS_DST, x->h.dst, alen);
	if (p->proto == 6 || p->proto == 17 || p->proto == 132 || p->proto == 136) {
		if (x->h.sport_known)
			and_field(x, &acc, PS_SPORT, x->h.sport, 0xffff);
		if (x->h.dport_known)
			and_field(x, &acc, PS_DPORT, x->h.dport, 0xffff);
	}
	if (p->proto == 6)
		and_field(x, &acc, PS_TCPFLAGS, x->run->pkt.tcp_flags, 0xff);
	if ((p->proto == 1 || p->proto == 58) && x->run->pkt.icmp_type >= 0) {
		and_field(x, &acc, PS_ICMP_TYPE, (uint64_t)x->run->pkt.icmp_type, 0xff);
		and_field(x, &acc, PS_ICMP_CODE, (uint64_t)x->run->pkt.icmp_code, 0xff);
	}
	/* The kernel passes no device for the side a hook does not have. */
	memset(name, 0, sizeof(name));
	if (!in_dev || x->h.iif[0]) {
		if (in_dev)
			memcpy(name, x->h.iif, strlen(x->h.iif));
		and_bytes(x, &acc, PS_IIF, name, 16);
	}
	memset(name, 0, sizeof(name));
	if (!out_dev || x->h.oif[0]) {
		if (out_dev)
			memcpy(name, x->h.oif, strlen(x->h.oif));
		and_bytes(x, &acc, PS_OIF, name, 16);
	}
	and_field(x, &acc, PS_NFMARK, x->nf.value, ~x->nf.mask & 0xffffffffu);
	and_field(x, &acc, PS_CTMARK, x->ct.value, ~x->ct.mask & 0xffffffffu);
	return acc;
}

/* 1 the rule matches, 0 it does not, -1 iptlint cannot tell. */
static int decide(struct tctx *x, const struct ast_rule *r)
{
	const struct pred *pr;
	BDD pkt, t;
	int res;

	if (!(r->tests & (AST_TESTS_HEADER | AST_TESTS_MARK | AST_TESTS_STATE)))
		return 1;
	pr = pred_cache_get(&x->preds, &x->ps, r);
	pkt = packet_set(x);
	t = ps_diff(pkt, pr->under);
	if (t == bddfalse) {
		res = 1;
	} else {
		ps_unref(t);
		t = ps_and(pkt, pr->over);
		res = t == bddfalse ? 0 : -1;
	}
	ps_unref(t);
	ps_unref(pkt);
	return res;
}

/* A branch point: the world's decision, or "holds" for a new one. */
static bool choose(struct tctx *x)
{
	bool yes;

	if (x->pos >= TRACE_MAX_DECISIONS) {
		x->too_many = true;
		return true;
	}
	yes = x->pos < x->ndec ? x->dec[x->pos] : true;
	x->taken[x->pos++] = yes;
	x->run->branches++;
	return yes;
}

/* ------------------------------------------------------------ targets */

static void step_push(struct tctx *x, const struct ast_rule *r, bool branch)
{
	struct trace_run *run = x->run;

	*(struct trace_step *)vec_push((void **)&run->steps, &run->nsteps,
				       &run->steps_cap, sizeof(*run->steps)) =
	(struct trace_step){
		.rule = r, .hook = (uint8_t)x->hook, .branch = branch,
		.nf_before = x->nf, .ct_before = x->ct, .nf = x->nf, .ct = x->ct,
	};
}

static void set_addr(struct tctx *x, bool dst, const struct val_addr *a)
{
	uint8_t *to = dst ? x->h.dst : x->h.src;

	if (a && a->family) {
		memcpy(to, a->addr, 16);
		if (dst)
			x->h.dst_known = true;
		else
			x->h.src_known = true;
	} else if (dst) {
		x->h.dst_known = false;
	} else {
		x->h.src_known = false;
	}
}

/*
 * The port a NAT port range gives (nf_nat_core.c get_unique_tuple(),
 * nf_nat_l4proto_unique_tuple()), assuming the tuple is not taken by
 * another connection: a port already in the range stays; else a
 * destination rewrite takes the first port of the range and a source
 * rewrite a random one; "lo-hi/base" shifts the port into the range.
 */
static void nat_port(uint16_t *port, bool *known, bool dst,
		     const struct val_nat *n)
{
	uint16_t size = (uint16_t)(n->port_hi - n->port_lo + 1);

	if (n->port_lo == n->port_hi) {
		*port = n->port_lo;
		*known = true;
	} else if (!*known) {
		return;
	} else if (n->has_base) {
		*port = (uint16_t)(n->port_lo +
				   (uint16_t)(*port - n->port_base) % (size ? size : 65536));
	} else if (*port < n->port_lo || *port > n->port_hi) {
		if (dst)
			*port = n->port_lo;
		else
			*known = false;
	}
}

/* Whether a known address lies in the range of @n. */
static bool nat_addr_in(const struct tctx *x, const uint8_t *a, bool known,
			const struct val_nat *n)
{
	size_t len = x->ps.addr_bytes;

	return known && memcmp(a, n->lo.addr, len) >= 0 &&
	       memcmp(a, n->hi.addr, len) <= 0;
}

/* DNAT/SNAT/MASQUERADE/REDIRECT/NETMAP: the header after the rewrite. */
static void apply_nat(struct tctx *x, const struct ast_rule *r)
{
	const struct ast_opt *o;
	bool dst = r->target_ext == EXT_ID_DNAT || r->target_ext == EXT_ID_REDIRECT ||
		   (r->target_ext == EXT_ID_NETMAP &&
		    (x->hook == HOOK_PREROUTING || x->hook == HOOK_OUTPUT));

	o = ast_rule_find_opt(r, dst ? OPT_DNAT_TO_DESTINATION : OPT_SNAT_TO_SOURCE);
	if (o && o->kind == VAL_NAT) {
		const struct val_nat *n = o->v.nat;
		bool one = !memcmp(n->lo.addr, n->hi.addr, x->ps.addr_bytes);

		/*
		 * A single address is taken; out of a range of several
		 * find_best_ips_proto() hashes one: unknown here. A source
		 * rewrite first keeps a tuple that lies in the range.
		 */
		if (!dst && n->has_addr && !one &&
		    nat_addr_in(x, x->h.src, x->h.src_known, n) &&
		    (!n->has_port || n->has_base ||
		     (x->h.sport_known && x->h.sport >= n->port_lo &&
		      x->h.sport <= n->port_hi)))
			;
		else if (n->has_addr)
			set_addr(x, dst, one ? &n->lo : NULL);
		if (n->has_port) {
			if (dst)
				nat_port(&x->h.dport, &x->h.dport_known, true, n);
			else
				nat_port(&x->h.sport, &x->h.sport_known, false, n);
		}
	} else {
		struct val_addr lo = { .family = x->ps.addr_bytes == 4 ? 4 : 6 };

		/*
		 * REDIRECT sends the host's own packets to loopback and others
		 * to the incoming interface's address (nf_nat_redirect.c),
		 * MASQUERADE uses the outgoing one's: unknown here.
		 */
		if (lo.family == 4) {
			lo.addr[0] = 127;
			lo.addr[3] = 1;
		} else {
			lo.addr[15] = 1;
		}
		set_addr(x, dst, r->target_ext == EXT_ID_REDIRECT &&
			 x->hook == HOOK_OUTPUT ? &lo : NULL);
		o = ast_rule_find_opt(r, r->target_ext == EXT_ID_REDIRECT ?
				      OPT_REDIRECT_TO_PORTS :
				      OPT_MASQUERADE_TO_PORTS);
		if (o && o->kind == VAL_NAT && o->v.nat->has_port &&
		    (r->target_ext == EXT_ID_REDIRECT ||
		     r->target_ext == EXT_ID_MASQUERADE)) {
			if (dst)
				nat_port(&x->h.dport, &x->h.dport_known, true, o->v.nat);
			else
				nat_port(&x->h.sport, &x->h.sport_known, false, o->v.nat);
		}
	}
	if (dst) {
		x->conn->did_dnat = true;
		x->conn->dnat.dst_known = x->h.dst_known;
		memcpy(x->conn->dnat.dst, x->h.dst, 16);
		x->conn->dnat.dport = x->h.dport;
		x->conn->dnat.dport_known = x->h.dport_known;
	} else {
		x->conn->did_snat = true;
		x->conn->dnat.src_known = x->h.src_known;
		memcpy(x->conn->dnat.src, x->h.src, 16);
		x->conn->dnat.sport = x->h.sport;
		x->conn->dnat.sport_known = x->h.sport_known;
	}
}

enum res { RES_CONT, RES_ACCEPT, RES_DROP, RES_QUEUE, RES_RETURN, RES_UNKNOWN };

static enum res walk_chain(struct tctx *x, const struct ast_chain *c, int depth,
			   const struct ast_rule **last);

/* The target of a matching rule. */
static enum res take(struct tctx *x, const struct ast_rule *r, int depth,
		     const struct ast_rule **last)
{
	struct trace_step *st = &x->run->steps[x->run->nsteps - 1];
	uint32_t bits;
	enum res sub;

	*last = r;
	if (r->target_ext == EXT_ID_NOTRACK || r->target_ext == EXT_ID_CT) {
		/* Only a packet without conntrack yet (xt_CT.c). */
		if (!x->has_ct && (r->target_ext == EXT_ID_NOTRACK ||
				   ast_rule_find_opt(r, OPT_CT_NOTRACK)))
			x->notrack = true;
	} else {
		mf_mark_effect(r, &x->nf, &x->ct, x->has_ct, &bits);
	}
	st->nf = x->nf;
	st->ct = x->ct;
	switch (mf_rule_effect(r)) {
	case EF_CONTINUE:
		return RES_CONT;
	case EF_ACCEPT:
		return RES_ACCEPT;
	case EF_DROP:
		return RES_DROP;
	case EF_RETURN:
		return RES_RETURN;
	case EF_QUEUE:
		return RES_QUEUE;
	case EF_NAT:
		apply_nat(x, r);
		return RES_ACCEPT;
	case EF_TERMINAL:
		/* TPROXY: ACCEPT when a socket is found, else DROP. */
		if (r->target_ext == EXT_ID_TPROXY)
			return choose(x) ? RES_ACCEPT : RES_DROP;
		return RES_UNKNOWN;
	case EF_JUMP:
	case EF_GOTO:
		if (depth >= TRACE_MAX_DEPTH)
			return RES_UNKNOWN;
		sub = walk_chain(x, r->jump, depth + 1, last);
		if (sub == RES_CONT || sub == RES_RETURN)
			return mf_rule_effect(r) == EF_GOTO ? RES_RETURN : RES_CONT;
		return sub;
	default:
		return RES_UNKNOWN;
	}
}

static enum res walk_chain(struct tctx *x, const struct ast_chain *c, int depth,
			   const struct ast_rule **last)
{
	cfg_for_each_rule(r, c) {
		int m = decide(x, r);
		bool branch = m < 0;
		enum res res;

		if (branch)
			m = choose(x);
		if (!m)
			continue;
		/* -m socket --restore-skmark: the socket's mark, unknown here. */
		step_push(x, r, branch);
		if ((r->tests & AST_TESTS_MARK) && ast_rule_find_match(r, EXT_ID_socket) &&
		    ast_rule_find_opt(r, OPT_socket_RESTORE_SKMARK))
			x->nf = tnum_unknown();
		res = take(x, r, depth, last);
		if (res != RES_CONT)
			return res;
	}
	return RES_CONT;
}

/* ------------------------------------------------------- hooks, paths */

static const int8_t path_hooks[3][4] = {
	[TRACE_LOCAL_IN] = { HOOK_PREROUTING, HOOK_INPUT, -1 },
	[TRACE_FORWARD] = { HOOK_PREROUTING, HOOK_FORWARD, HOOK_POSTROUTING, -1 },
	[TRACE_LOCAL_OUT] = { HOOK_OUTPUT, HOOK_POSTROUTING, -1 },
};

/* Conntrack, right after raw: the entry (or none) the packet has. */
static void conntrack_in(struct tctx *x)
{
	if (x->notrack && !x->has_ct)
		x->cls = MF_UNTRACKED;
	x->has_ct = x->cls == MF_FIRST || x->cls == MF_LATER || x->cls == MF_RELATED;
}

/*
 * A later packet of a NATed connection is rewritten by conntrack at the
 * nat hook, without the nat chains: the original direction gets the DNAT
 * destination (PREROUTING/OUTPUT), a reply its original destination back.
 */
static void nat_binding(struct tctx *x)
{
	const struct conn *c = x->conn;

	if (x->hook != HOOK_PREROUTING && x->hook != HOOK_OUTPUT)
		return;
	if (!x->reply && c->did_dnat) {
		x->h.dst_known = c->dnat.dst_known;
		memcpy(x->h.dst, c->dnat.dst, 16);
		x->h.dport = c->dnat.dport;
		x->h.dport_known = c->dnat.dport_known;
	} else if (x->reply && c->did_snat) {
		x->h.dst_known = true;
		memcpy(x->h.dst, c->orig.src, 16);
		x->h.dport = c->orig.sport;
		x->h.dport_known = c->orig.has_sport;
	}
}

static void run_hook(struct tctx *x, enum hook_kind h, bool *stop)
{
	struct trace_run *run = x->run;
	struct trace_hook *th = &run->hooks[run->nhooks++];

	x->hook = h;
	th->hook = (uint8_t)h;
	th->verdict = TRACE_ACCEPT;
	th->rule = NULL;
	for (int k = 0; mf_hook_tables[h][k] != 0xff; k++) {
		enum table_kind tk = mf_hook_tables[h][k];
		const struct ast_table *t = x->t[tk];
		const struct ast_chain *c = t ? mf_hook_chain(t, h) : NULL;
		const struct ast_rule *last = NULL;
		enum res res;

		if (tk == TABLE_NAT) {
			/*
			 * Once per connection (nf_nat_initialized()); an ICMP
			 * error (RELATED) is translated with its connection
			 * instead (nf_nat_ipv4_fn(), nf_nat_ipv6_fn()).
			 */
			bool icmp = x->run->pkt.proto == 1 || x->run->pkt.proto == 58;
			bool nat_now = x->has_ct && !x->existing &&
				       (x->cls == MF_FIRST ||
					(x->cls == MF_RELATED && !icmp));

			if (!nat_now) {
				if (x->has_ct)
					nat_binding(x);
				continue;
			}
		}
		if (c) {
			x->table = tk;
			res = walk_chain(x, c, 0, &last);
			if (res == RES_CONT || res == RES_RETURN) {
				last = NULL;
				res = c->policy && !strcmp(c->policy, "DROP") ?
				      RES_DROP : RES_ACCEPT;
			}
			if (res != RES_ACCEPT) {
				th->verdict = res == RES_DROP ? TRACE_DROP :
					      res == RES_QUEUE ? TRACE_QUEUE :
					      TRACE_UNKNOWN;
				th->rule = last;
				run->verdict = th->verdict;
				run->verdict_rule = last;
				*stop = true;
				return;
			}
		}
		if (tk == TABLE_RAW)
			conntrack_in(x);
	}
}

static void header_of(struct hdrvals *h, const struct trace_packet *p)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->src, p->src, 16);
	memcpy(h->dst, p->dst, 16);
	h->src_known = !p->src_unknown;
	h->dst_known = !p->dst_unknown;
	h->sport = p->sport;
	h->dport = p->dport;
	h->sport_known = p->has_sport;
	h->dport_known = p->has_dport;
	memcpy(h->iif, p->iif, sizeof(h->iif));
	memcpy(h->oif, p->oif, sizeof(h->oif));
}

/*
 * What conntrack learnt from a later packet of @c that reached it (not
 * dropped in raw, not NOTRACKed): a reply sets IPS_SEEN_REPLY, and the TCP
 * tracker moves on (tcp_conntracks[]: the SYN-ACK takes SYN_SENT to
 * SYN_RECV, the client's ACK then to ESTABLISHED).
 */
static void conn_learn(struct conn *c, const struct trace_run *run)
{
	uint8_t f = run->pkt.tcp_flags & 0x17;	/* FIN SYN RST ACK */

	if (run->reply)
		c->seen_reply = true;
	if (run->pkt.proto != 6)
		return;
	if (run->reply && c->tcp == TCP_SYN_SENT && f == 0x12)
		c->tcp = TCP_SYN_RECV;
	else if (!run->reply && c->tcp == TCP_SYN_RECV && f == 0x10)
		c->tcp = TCP_ESTABLISHED;
}

/*
 * The state of a later packet of @c: a reply finds the entry
 * (ESTABLISHED); the original direction is NEW until conntrack has seen a
 * reply (resolve_normal_ct()), and for TCP an ACK while the tracker still
 * waits for the SYN-ACK is invalid (SYN_SENT + ACK: sIV).
 */
static int later_class(const struct conn *c, const struct trace_run *run)
{
	if (run->reply)
		return MF_LATER;
	if (run->pkt.proto == 6 && c->tcp == TCP_SYN_SENT)
		return MF_INVALID;
	return c->seen_reply ? MF_LATER : MF_FIRST;
}

static void run_packet(struct tctx *x, struct trace_run *run, struct conn *c,
		       bool existing)
{
	bool stop = false;
	const int8_t *hooks = path_hooks[run->path];

	x->run = run;
	x->conn = c;
	x->reply = run->reply;
	x->existing = existing;
	header_of(&x->h, &run->pkt);
	x->cls = run->state;
	x->has_ct = false;
	x->notrack = false;
	x->nf = tnum_const(run->pkt.has_mark ? run->pkt.mark : 0);
	if (run->pkt.has_ctmark)
		x->ct = tnum_const(run->pkt.ctmark);
	else if (existing || run->state != MF_FIRST)
		x->ct = c->ct;
	else
		x->ct = tnum_const(0);	/* a new entry's mark */
	run->verdict = TRACE_ACCEPT;
	/* conntrack_in() runs at the raw slot of the first hook. */
	for (int k = 0; hooks[k] >= 0 && !stop; k++)
		run_hook(x, (enum hook_kind)hooks[k], &stop);
	run->nf = x->nf;
	run->ct = x->ct;
	if (!existing && run->state == MF_FIRST && run->verdict == TRACE_ACCEPT &&
	    x->has_ct) {
		c->confirmed = true;
		c->ct = x->ct;
		/* tcp_new(): a SYN opens, a plain ACK picks the connection up. */
		c->tcp = run->pkt.proto != 6 ? TCP_NONE :
			 run->pkt.tcp_flags & 0x02 ? TCP_SYN_SENT : TCP_ESTABLISHED;
		/* The reply goes back to where the first packet really went. */
		c->dnat.dst_known = x->h.dst_known;
		memcpy(c->dnat.dst, x->h.dst, 16);
		c->dnat.dport = x->h.dport;
		c->dnat.dport_known = x->h.dport_known;
		if (!c->did_snat) {
			memcpy(c->dnat.src, run->pkt.src, 16);
			c->dnat.src_known = true;
			c->dnat.sport = run->pkt.sport;
			c->dnat.sport_known = run->pkt.has_sport;
		}
	} else if ((existing || run->state != MF_FIRST) && x->has_ct) {
		/* A confirmed connection keeps its ctmark, dropped or not. */
		c->ct = x->ct;
		if (existing)
			conn_learn(c, run);
	}
}

/* The reply to @c's first packet, or a later packet of either direction. */
static void next_packet(const struct conn *c, bool reply, enum trace_path path,
			struct trace_run *run, bool first_reply)
{
	const struct trace_packet *o = &c->orig;
	struct trace_packet *p = &run->pkt;

	*p = *o;
	p->state = MF_LATER;
	p->has_ctmark = false;
	/* The sender's mark (a socket's SO_MARK) stays; a reply starts at 0. */
	if (reply) {
		p->has_mark = false;
		p->mark = 0;
	}
	run->state = MF_LATER;
	run->reply = reply;
	run->path = path;
	if (reply) {
		/* Seen on the wire: the NATed tuple, turned around. */
		memcpy(p->src, c->dnat.dst, 16);
		p->src_unknown = !c->dnat.dst_known;
		p->dst_unknown = !c->dnat.src_known;
		p->sport = c->dnat.dport;
		p->has_sport = c->dnat.dport_known;
		memcpy(p->dst, c->dnat.src, 16);
		p->dport = c->dnat.sport;
		p->has_dport = c->dnat.sport_known;
		memcpy(p->iif, o->oif, sizeof(p->iif));
		memcpy(p->oif, o->iif, sizeof(p->oif));
		run->path = path == TRACE_LOCAL_IN ? TRACE_LOCAL_OUT :
			    path == TRACE_LOCAL_OUT ? TRACE_LOCAL_IN : TRACE_FORWARD;
	}
	if (p->proto == 6)
		p->tcp_flags = reply && first_reply ? 0x12 : 0x10;	/* SA, A */
	if (p->proto == 1 && reply)
		p->icmp_type = 0;	/* echo reply */
	if (p->proto == 58 && reply)
		p->icmp_type = 129;
}

/*
 * The state conntrack gives a connection's first packet, when the packet
 * description names none. TCP (nf_conntrack_proto_tcp.c): tcp_error()
 * refuses flag combinations outside tcp_valid_flags[] (ECE, CWR and PSH
 * aside), tcp_new() makes an entry for a SYN and, picking a connection up
 * midway (nf_conntrack_tcp_loose, on by default), for a plain ACK; a
 * SYN-ACK, FIN or RST gets none. ICMP (nf_conntrack_proto_icmp.c): only
 * requests have an entry (echo, timestamp, info, address mask: valid_new[]),
 * an error without its connection has none. ICMPv6 likewise (echo and
 * node information queries), and neighbour discovery and MLD are untracked
 * (noct_valid_new[]). A packet without an entry is INVALID.
 */
static int first_class(const struct trace_packet *p)
{
	static const bool tcp_valid[0x40] = {
		[0x02] = true, [0x22] = true, [0x12] = true,	/* S, SU, SA */
		[0x04] = true, [0x14] = true,			/* R, RA */
		[0x11] = true, [0x31] = true,			/* FA, FAU */
		[0x10] = true, [0x30] = true,			/* A, AU */
	};
	uint8_t f = p->tcp_flags & 0x37;	/* FIN SYN RST ACK URG */
	int t = p->icmp_type;

	if (p->state >= 0)
		return p->state;
	switch (p->proto) {
	case 6:
		if (!tcp_valid[f] || (f & 0x05))
			return MF_INVALID;
		return f == 0x12 ? MF_INVALID : MF_FIRST;
	case 1:
		return t == 8 || t == 13 || t == 15 || t == 17 ? MF_FIRST : MF_INVALID;
	case 58:
		if ((t >= 130 && t <= 136) || t == 143)
			return MF_UNTRACKED;
		return t == 128 || t == 139 ? MF_FIRST : MF_INVALID;
	default:
		return MF_FIRST;
	}
}

static void run_world(struct tctx *x, const struct trace_packet *first,
		      enum trace_path path, unsigned int npackets,
		      struct trace_world *w)
{
	struct conn c = { 0 };
	bool reply_next = false, first_reply = true;

	c.orig = *first;
	c.ct = tnum_const(first->has_ctmark ? first->ctmark : 0);
	w->runs = calloc(npackets, sizeof(*w->runs));
	if (!w->runs)
		abort();
	for (unsigned int i = 0; i < npackets; i++) {
		struct trace_run *run = &w->runs[w->nruns++];
		bool existing = i > 0 && c.confirmed;

		if (!existing) {
			/* The first packet, or its retry after a drop. */
			run->pkt = *first;
			run->path = path;
			run->state = first_class(first);
			c.did_dnat = c.did_snat = false;
		} else {
			next_packet(&c, reply_next, path, run, first_reply);
			run->state = later_class(&c, run);
			if (reply_next)
				first_reply = false;
		}
		run_packet(x, run, &c, existing);
		/* A packet given as part of a connection: there is one. */
		if ((run->state == MF_LATER || run->state == MF_RELATED) && i == 0 &&
		    run->verdict == TRACE_ACCEPT) {
			c.confirmed = c.seen_reply = true;
			c.tcp = TCP_ESTABLISHED;
		}
		reply_next = c.confirmed ? !run->reply : false;
		if (run->state == MF_FIRST && run->verdict == TRACE_ACCEPT)
			reply_next = true;
	}
}

int trace_flow(struct lint *lint, const struct trace_packet *first,
	       enum trace_path path, unsigned int npackets,
	       struct trace_result *out)
{
	struct tctx x = { .lint = lint };
	uint8_t stack[TRACE_MAX_WORLDS * 2][TRACE_MAX_DECISIONS];
	uint32_t stack_n[TRACE_MAX_WORLDS * 2], nstack = 1;
	bool any = false;

	memset(out, 0, sizeof(*out));
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		if (t->kind >= 0) {
			x.t[t->kind] = t;	/* the last block of each table */
			any = true;
		}
	if (!any || !npackets)
		return -1;
	x.preds.raw_ct = true;
	if (!pktset_init(&x.ps, first->family == 6 ? 6 : 4))
		return -1;
	stack_n[0] = 0;
	while (nstack && out->nworlds < TRACE_MAX_WORLDS) {
		struct trace_world *w;

		nstack--;
		x.ndec = stack_n[nstack];
		memcpy(x.dec, stack[nstack], x.ndec);
		x.pos = 0;
		out->worlds = realloc(out->worlds,
				      (out->nworlds + 1) * sizeof(*out->worlds));
		if (!out->worlds)
			abort();
		w = &out->worlds[out->nworlds++];
		memset(w, 0, sizeof(*w));
		run_world(&x, first, path, npackets, w);
		/* Every new branch point also had the other outcome. */
		for (uint32_t k = x.pos; k-- > x.ndec;) {
			if (nstack == TRACE_MAX_WORLDS * 2) {
				out->truncated = true;
				break;
			}
			memcpy(stack[nstack], x.taken, k);
			stack[nstack][k] = !x.taken[k];
			stack_n[nstack++] = k + 1;
		}
	}
	if (nstack || x.too_many)
		out->truncated = true;
	pred_cache_free(&x.preds);
	pktset_fini(&x.ps);
	return 0;
}

void trace_result_free(struct trace_result *r)
{
	for (uint32_t i = 0; i < r->nworlds; i++) {
		for (uint32_t k = 0; k < r->worlds[i].nruns; k++)
			free(r->worlds[i].runs[k].steps);
		free(r->worlds[i].runs);
	}
	free(r->worlds);
	memset(r, 0, sizeof(*r));
}
