/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_TRACE_H
#define IPTLINT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/ast.h"
#include "iptlint/markflow.h"
#include "iptlint/tnum.h"

/*
 * iptlint trace: one packet, or the packets of one connection, followed
 * through the ruleset offline with the matches of the packet-set analysis
 * (analyzer/pred.c) and the mark arithmetic of the mark walk
 * (analyzer/markops.c). A test iptlint cannot decide for the packet is a
 * branch point: both outcomes are followed, never guessed.
 */

enum trace_path { TRACE_LOCAL_IN, TRACE_FORWARD, TRACE_LOCAL_OUT };

/**
 * struct trace_packet - "tcp 192.168.1.100:40000 -> 8.8.8.8:80 in eth1".
 * @family: 4 or 6
 * @proto:  IP protocol number (0: not given)
 * @state:  enum mf_class, or -1: a first packet, in the state conntrack
 *          gives it (NEW for a TCP SYN or ACK, an ICMP request, UDP...;
 *          INVALID for a lone SYN-ACK, FIN, RST, ICMP reply or error)
 * @iif, @oif: "" when not given (tests of them are branch points)
 * @mark:   the nfmark entering the first hook (a socket's SO_MARK on
 *          local-out); a flow's later packets of the same direction
 *          carry it too, replies start at 0
 */
struct trace_packet {
	int family;
	uint8_t proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	bool has_sport, has_dport;
	/* a reply's address iptlint cannot know (after REDIRECT, MASQUERADE) */
	bool src_unknown, dst_unknown;
	char iif[16], oif[16];
	uint8_t tcp_flags;
	bool has_flags;
	int icmp_type, icmp_code;	/* -1: not given */
	int state;
	uint32_t mark, ctmark;
	bool has_mark, has_ctmark;
};

/* Parse @spec; 0, or -1 with a message in @err. */
int trace_packet_parse(const char *spec, struct trace_packet *p, char *err,
		       size_t errsize);
void trace_packet_format(const struct trace_packet *p, char *buf, size_t size);
/* The path a packet takes given the host's own addresses (@local, n of them). */
enum trace_path trace_path_infer(const struct trace_packet *p,
				 const uint8_t (*local)[16], size_t n);
const char *trace_path_name(enum trace_path path);

enum trace_verdict {
	TRACE_ACCEPT,	/* through every hook of its path */
	TRACE_DROP,	/* DROP, REJECT, a DROP policy */
	TRACE_QUEUE,	/* to userspace (QUEUE, NFQUEUE) */
	TRACE_UNKNOWN,	/* a target iptlint does not model */
};
const char *trace_verdict_name(enum trace_verdict v);

/**
 * struct trace_step - a rule whose matches held (its counters move).
 * @branch: a test iptlint cannot decide was assumed to hold
 * @nf, @ct: the marks after the rule
 */
struct trace_step {
	const struct ast_rule *rule;
	uint8_t hook;
	bool branch;
	struct tnum nf_before, ct_before;
	struct tnum nf, ct;
};

/* Where a hook left the packet: by a rule's verdict or its chain's policy. */
struct trace_hook {
	uint8_t hook;
	enum trace_verdict verdict;
	const struct ast_rule *rule;	/* NULL: a policy, or no table had a say */
};

/**
 * struct trace_run - one packet along one branch.
 * @state: enum mf_class of the packet (the first packet is MF_FIRST)
 * @reply: the packet goes the connection's reply direction
 * @nobranch: decisions: the branch points passed and what was assumed
 */
struct trace_run {
	struct trace_packet pkt;
	enum trace_path path;
	int state;
	bool reply;
	struct trace_step *steps;
	uint32_t nsteps, steps_cap;
	struct trace_hook hooks[5];
	uint32_t nhooks;
	enum trace_verdict verdict;
	const struct ast_rule *verdict_rule;
	struct tnum nf, ct;
	uint32_t branches;		/* branch points on this packet */
};

/* One way through the flow: a run per packet. */
struct trace_world {
	struct trace_run *runs;
	uint32_t nruns;
};

struct trace_result {
	struct trace_world *worlds;
	uint32_t nworlds;
	bool truncated;			/* more branches than shown */
};

#define TRACE_MAX_WORLDS	16

struct lint;

/*
 * Follow @npackets packets of one connection (1: just @first): the first
 * packet, its reply, then later packets in alternating directions, with
 * conntrack state and ctmark carried over as in the kernel. Returns 0, or
 * -1 when the ruleset cannot be traced (e.g. no table).
 */
int trace_flow(struct lint *lint, const struct trace_packet *first,
	       enum trace_path path, unsigned int npackets,
	       struct trace_result *out);
void trace_result_free(struct trace_result *r);

#endif
