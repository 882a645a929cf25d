#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test of "iptlint trace" against the kernel, on random
rulesets (needs root, iptables-legacy, nft and conntrack).

For each seed, tests/diff_reach.py's generator (diff_reach.Gen: raw,
mangle, nat and filter with user chains, jumps, gotos, RETURN, MARK,
CONNMARK, NOTRACK, NAT targets, -m mark, ports, protocols, interfaces,
ctstate, -m limit ...) gives a ruleset; the ones with an injected mistake
(and any the kernel refuses) are left out. Cases are drawn, most aimed at
a random rule (kerntraffic.template), in the address space of a
kernlib.Lab (dut interfaces eth0, eth1, vb0):

  path "in"   the peer sends to the dut: iptlint --path local-in with
              "in IF" (the Lab takes every packet that arrives on a veth
              as local, whatever its destination);
  path "out"  the dut sends to a peer address: --path local-out with
              "out IF" and "mark V" (SO_MARK, on every packet the dut
              sends in that direction);

and a case is a single packet (any TCP flags, ICMP type, UDP, GRE), a
flow of 2-4 packets (--flow N: the first packet, the reply, then
alternating), or a UDP datagram / TCP SYN answered by an ICMP port
unreachable quoting it (traced as a second packet of its own: "icmp B ->
A type 3/3 state related ctmark C" on the way back, C the connection's
mark; left out after NAT, which the single packet cannot carry).

For every case the ruleset is loaded afresh into the dut (counters 0,
conntrack flushed) and the packets are sent one at a time, every one of
them hand-made (a raw IP_HDRINCL socket bound to the interface) so that
the kernel sees exactly the packets iptlint follows: a later packet is
the reply only once the first one was confirmed (conntrack -L lists it;
else the first packet goes again, as in iptlint's flow model), a reply
uses the kernel's own reply tuple (NAT included), TCP sequence numbers
make a real handshake. After each packet the test reads
  - the rule counters (iptables-save -c): the difference to the previous
    packet is the packet's multiset of rules;
  - the verdict: an nft table of the test in the dut counts, per IP ID,
    the packets that reached the end of their path, in base chains that
    run after every iptables table (input and postrouting, priority 500):
    a packet counted there was accepted by every table of every hook of
    its path, one not counted was dropped (REJECT included). Counting in
    the kernel itself does not depend on timing or on what a socket of
    the other side would make of the packet;
  - the connection (conntrack -L): confirmed or not, the reply tuple,
    the ctmark.
The same nft table has a chain at output priority -500, before raw, that
drops what the kernel sends by itself (TCP resets, ICMP errors and echo
replies, IGMP: packets of no user socket, "meta skuid"), and the peer has
one too, so no stray packet ever crosses the dut's rules; its "ct state"
rule also keeps conntrack on in the dut (a ruleset without any conntrack
rule would otherwise run untracked, unlike a real host; see
netfilter-semantics.md section 6).

iptlint's answer (trace --format=json) has several "branches" when it
cannot decide a match (-m limit, an address it cannot know after
REDIRECT or MASQUERADE, ...): a case agrees when one branch matches the
kernel packet by packet: the same direction (reply or not), the same
multiset of rules (by line), the same verdict and, where iptlint knows it
and the kernel has a connection, the same ctmark. Left out (and counted):
cases whose answer was truncated with no shown branch matching, cases
where iptlint calls a verdict UNKNOWN or QUEUE, cases the dut cannot send
for a reason other than a netfilter drop, and cases where a REDIRECT in
nat OUTPUT fired (the kernel sends the packet to 127.0.0.1, over lo for a
real socket; the lab's bound socket puts it on the veth and the peer's
answer from 127.0.0.1 is a martian; iptlint's local-out path ends at
POSTROUTING either way). A DNAT in nat OUTPUT to one of the dut's own
addresses is compared: the bound socket keeps the packet on its
interface, which is iptlint's model too (an unbound one would take lo).
With --backend nft, rulesets with an inverted full port range ("! --sport
0:65535") are left out: iptables-nft 1.8.9 loads the rule without that
test (it then matches every packet; iptables-legacy's never does).

    sudo tests/diff_trace.py --iptlint build/tools/iptlint        # 60 seeds
    sudo tests/diff_trace.py --iptlint ... --seeds 2000 --start 100
    sudo tests/diff_trace.py --iptlint ... --seed-case 17:3 -vv   # one case

Exit status: 0, 1 on a disagreement, 77 skipped.
"""
import collections
import errno
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402
import kerntraffic  # noqa: E402
from diff_reach import (Gen, PEER_ADDRS, DUT_ADDRS, IFNAMES, PORTS,  # noqa
                        MARKS)

DEFAULT_SEEDS = 60
CASES_PER_SEED = 8
ID_BASE = 40001                 # IP ID of a case's packet k: ID_BASE + k
MAX_PACKETS = 6
PROTO_NAME = {6: "tcp", 17: "udp", 1: "icmp", 47: "gre"}
TCP_LETTERS = "FSRPAUEC"


# ---------------------------------------------------------------- cases

class Case:
    """One packet or one flow of a seed."""

    def __init__(self, path, proto, src, dst, sport, dport, dev, mark,
                 flags, icmp, n, related=False):
        self.path, self.proto = path, proto
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.dev, self.mark, self.flags, self.icmp = dev, mark, flags, icmp
        self.n = n
        self.related = related  # n == 2: the datagram, then an ICMP error

    def spec(self):
        """iptlint's --packet."""
        ports = self.proto in (6, 17)
        s = "%s %s%s -> %s%s" % (
            PROTO_NAME[self.proto], self.src,
            ":%d" % self.sport if ports else "", self.dst,
            ":%d" % self.dport if ports else "")
        if self.path == "in":
            s += " in %s" % self.dev
        else:
            s += " out %s mark %d" % (self.dev, self.mark or 0)
        if self.proto == 6:
            s += " flags %s" % (flags_word(self.flags) or "NONE")
        if self.proto == 1:
            s += " type %d/%d" % self.icmp
        return s

    def args(self):
        return ["--packet", self.spec(), "--path",
                "local-in" if self.path == "in" else "local-out",
                "--flow", str(1 if self.related else self.n)]

    def error_args(self, rep, ctmark):
        """The ICMP error about the first packet, from the other side: a
        packet of its own, RELATED to the connection (no NAT)."""
        s = "icmp %s -> %s type 3/3 state related ctmark %d %s %s" % (
            rep["src"], rep["dst"], ctmark,
            "in" if self.path == "out" else "out", self.dev)
        return ["--packet", s, "--path",
                "local-in" if self.path == "out" else "local-out"]

    def __repr__(self):
        return "%s %s%s" % (self.path, self.spec(),
                            " + ICMP error" if self.related else
                            " --flow %d" % self.n if self.n > 1 else "")


def flags_word(f):
    return "".join(TCP_LETTERS[b] for b in range(8) if f & (1 << b))


def make_cases(rules, vals, rng, count):
    """@count cases, most of them aimed at a rule of a reached chain."""
    hooks = kerntraffic.chain_hooks(rules)
    aims = []
    for r in rules:
        paths = set()
        for h in hooks.get((r.table, r.chain), ()):
            paths.update(p for p in kerntraffic.HOOK_PATHS[h]
                         if p in ("in", "out"))
        if paths:
            aims.append((r, sorted(paths)))
    out = []
    for _ in range(count):
        rule, path = None, rng.choice(("in", "out"))
        if aims and rng.random() < 0.8:
            rule, paths = rng.choice(aims)
            path = rng.choice(paths)
        e = kerntraffic.template(rule, path, vals, rng)
        dev = e.dev if e.dev in IFNAMES else rng.choice(IFNAMES)
        proto = e.proto if e.proto in PROTO_NAME else rng.choice((6, 17, 1))
        flow = e.kind in ("flow", "related") or rng.random() < 0.25
        related = e.kind == "related" or (flow and rng.random() < 0.15)
        if flow and proto not in (6, 17, 1):
            flow = False
        if related:
            flow, proto = True, rng.choice((17, 17, 6))
        n = 2 if related else rng.randint(2, 4) if flow else 1
        src, dst = e.src, e.dst
        if path == "out" and dst in DUT_ADDRS:
            dst = rng.choice(PEER_ADDRS)    # else the dut sends it over lo
        if path == "in" and flow and src in DUT_ADDRS:
            src = rng.choice(PEER_ADDRS)    # else the reply goes over lo
        if flow and src == dst and (proto == 1 or e.sport == e.dport):
            # A tuple that is its own reply: conntrack may take a packet
            # of either direction for the other.
            dst = rng.choice([a for a in (PEER_ADDRS if path == "out" else
                                          PEER_ADDRS + DUT_ADDRS)
                              if a != src])
        flags = e.flags if e.flags is not None else 0x02
        icmp = tuple(e.icmp) if e.icmp else (8, 0)
        if flow:
            flags, icmp = 0x02, (8, 0)
        out.append(Case(path, proto, src, dst, e.sport or 0, e.dport or 0,
                        dev, (e.mark or 0) if path == "out" else None,
                        flags, icmp, n, related))
    return out


# ------------------------------------------------------------- iptlint

def trace(iptlint, path, args):
    p = subprocess.run([iptlint, "trace", path] + args +
                       ["--format=json"], capture_output=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("iptlint trace %s exited %d: %s" % (
            " ".join(args), p.returncode,
            p.stderr.decode("utf-8", "replace")))
    return json.loads(p.stdout)


def worlds_of(res):
    return res.get("branches") or [res["packets"]]


def world_has_branch(world):
    return any(s["branch"] for p in world for s in p["steps"])


# -------------------------------------------------------------- the lab

DUT_NFT = """table ip iptl_difftrace {
%(counters)s
  counter guard_drops {}
  chain guard {
    type filter hook output priority -500; policy accept;
    meta skuid 0 accept
    counter name guard_drops drop
  }
  chain end_in {
    type filter hook input priority 500; policy accept;
%(in_rules)s
    ct state untracked accept
  }
  chain end_post {
    type filter hook postrouting priority 500; policy accept;
%(post_rules)s
  }
}
"""
PEER_NFT = """table ip iptl_difftrace {
  chain guard {
    type filter hook output priority -500; policy accept;
    meta skuid 0 accept
    drop
  }
}
"""


def nft(ns, script):
    kernlib.run(["ip", "netns", "exec", ns, "nft", "-f", "-"],
                input=script.encode())


def setup_nft(lab):
    ids = range(ID_BASE, ID_BASE + MAX_PACKETS)
    nft(lab.dut, DUT_NFT % {
        "counters": "\n".join("  counter in%d {}\n  counter post%d {}" % (
            i, i) for i in ids),
        "in_rules": "\n".join("    ip id %d counter name in%d" % (i, i)
                              for i in ids),
        "post_rules": "\n".join("    ip id %d counter name post%d" % (i, i)
                                for i in ids)})
    nft(lab.peer, PEER_NFT)


def reached_end(lab):
    """{(which, ip id): packets} since the last call ("in"/"post")."""
    p = kernlib.run(["ip", "netns", "exec", lab.dut, "nft", "-j", "reset",
                     "counters", "table", "ip", "iptl_difftrace"])
    out = {}
    for o in json.loads(p.stdout)["nftables"]:
        c = o.get("counter")
        if not c:
            continue
        m = re.match(r"^(in|post)(\d+)$", c["name"])
        if m:
            out[(m.group(1), int(m.group(2)))] = c["packets"]
    return out


CT_RE = re.compile(r"(\w+)=(\S+)")


def conntrack_list(lab):
    """[(proto number, [original fields], [reply fields], mark)]."""
    p = subprocess.run(["ip", "netns", "exec", lab.dut, "conntrack", "-L"],
                       capture_output=True, timeout=60)
    out = []
    for line in p.stdout.decode().splitlines():
        words = line.split()
        if len(words) < 2 or not words[1].isdigit():
            continue
        kv = CT_RE.findall(line)
        # the second src= starts the reply tuple
        starts = [i for i, (k, _) in enumerate(kv) if k == "src"]
        if len(starts) < 2:
            continue
        orig = dict(kv[starts[0]:starts[1]])
        rep = {k: v for k, v in kv[starts[1]:] if k not in ("mark", "use",
                                                            "zone")}
        mark = dict(kv).get("mark")
        out.append((int(words[1]), orig, rep,
                    int(mark, 0) if mark is not None else 0))
    return out


def find_conn(conns, case, ident):
    for proto, orig, rep, mark in conns:
        if proto != case.proto or orig.get("src") != case.src or \
                orig.get("dst") != case.dst:
            continue
        if case.proto in (6, 17) and (
                int(orig.get("sport", -1)) != case.sport or
                int(orig.get("dport", -1)) != case.dport):
            continue
        if case.proto == 1 and int(orig.get("id", -1)) != ident:
            continue
        return rep, mark
    return None


def build(case, kind, k, rep, seqs, ident, first_reply):
    """The IPv4 packet @k of @case (@kind: first, reply, orig or error)."""
    if kind == "error":
        # What the other side received, quoted by its port unreachable.
        a, b = rep["dst"], rep["src"]
        pa, pb = int(rep.get("dport", 0)), int(rep.get("sport", 0))
        l4 = kernlib.udp(a, b, pa, pb) if case.proto == 17 else \
            kernlib.tcp(a, b, pa, pb, case.flags, seq=seqs[0])
        inner = kernlib.ip4(a, b, case.proto, l4, ident=1)
        return kernlib.ip4(b, a, 1, kernlib.icmp(3, 3, 0, 0, inner[:28]),
                           ident=ID_BASE + k)
    reply = kind == "reply"
    if reply:
        src, dst = rep["src"], rep["dst"]
        sport = int(rep.get("sport", 0))
        dport = int(rep.get("dport", 0))
    else:
        src, dst, sport, dport = case.src, case.dst, case.sport, case.dport
    if case.proto == 6:
        s_seq, r_seq = seqs
        if kind == "first":
            seg = kernlib.tcp(src, dst, sport, dport, case.flags, seq=s_seq,
                              ack=0 if not case.flags & 0x10 else r_seq)
        elif reply:
            fl = 0x12 if first_reply else 0x10
            seg = kernlib.tcp(src, dst, sport, dport, fl,
                              seq=r_seq if fl == 0x12 else r_seq + 1,
                              ack=s_seq + 1)
        else:
            seg = kernlib.tcp(src, dst, sport, dport, 0x10, seq=s_seq + 1,
                              ack=r_seq + 1)
    elif case.proto == 17:
        seg = kernlib.udp(src, dst, sport, dport)
    elif case.proto == 1:
        if reply:
            seg = kernlib.icmp(0, 0, int(rep.get("id", ident)), k + 1)
        elif case.icmp[0] == 8:
            seg = kernlib.icmp(8, 0, ident, k + 1)
        else:
            seg = kernlib.icmp(case.icmp[0], case.icmp[1], ident, 1)
    else:
        seg = b"\x00" * 16
    return kernlib.ip4(src, dst, case.proto, seg, ident=ID_BASE + k)


def send(lab, side, pkt, dev, mark):
    """0 sent, else the errno (EPERM: a netfilter drop in OUTPUT)."""
    try:
        s = lab._sock(side, socket.SOCK_RAW, socket.IPPROTO_RAW, dev, mark)
    except OSError as e:
        return e.errno or -1
    try:
        s.setsockopt(socket.IPPROTO_IP, kernlib.IP_HDRINCL, 1)
        s.sendto(pkt, (socket.inet_ntoa(pkt[16:20]), 0))
        return 0
    except OSError as e:
        return e.errno or -1
    finally:
        s.close()


class Obs:
    """What the kernel did with one packet."""

    def __init__(self, kind, reply, passed, counts, ct, rep):
        self.kind, self.reply, self.passed = kind, reply, passed
        self.counts = counts    # {line: packets}
        self.ct = ct            # ctmark of the connection, or None
        self.rep = rep          # its reply tuple (conntrack -L), or None


def line_counts(lab, backend, refs):
    counts, _ = lab.counters(backend)
    out = {}
    for line, r in refs.items():
        c = counts.get((r.table, r.chain), [])
        out[line] = c[r.index] if r.index < len(c) else 0
    return out


NFT_DROPS_RE = re.compile(r"! --(?:source-port|sport|destination-port|dport)"
                          r" (?:0)?:(?:65535)?(?=\s|$)", re.M)


def nft_translation(text):
    """Rules iptables-nft loads other than the file says: iptables-nft
    1.8.9 drops an inverted full port range ("! --sport 0:65535") from a
    tcp/udp match, so the rule matches every packet where the kernel's
    xt_tcpudp (iptables-legacy) matches none."""
    return [l for l in text.splitlines() if NFT_DROPS_RE.search(l)][:3]


def run_kernel(lab, backend, text, refs, case, rng):
    """[Obs] for the packets of @case, or a reason it could not run."""
    lab.flush_conntrack()
    rc, err = lab.load(text.encode(), backend)
    if rc != 0:
        return "load failed: " + err
    reached_end(lab)
    ident = rng.randrange(1, 65535)
    seqs = (rng.randrange(1 << 31), rng.randrange(1 << 31))
    prev = dict.fromkeys(refs, 0)
    obs = []
    confirmed, reply_next, rep = False, False, None
    for k in range(case.n):
        if k == 0 or not confirmed:
            if case.related and k:
                break           # no connection, no ICMP error about it
            kind = "first"
        elif case.related:
            kind = "error"
        else:
            kind = "reply" if reply_next else "orig"
        reply = kind in ("reply", "error")
        pkt = build(case, kind, k, rep, seqs, ident,
                    reply and not any(o.reply for o in obs))
        # the dut's packets: path "out" forward, path "in" replies
        from_dut = (case.path == "out") != reply
        mark = case.mark if from_dut and not reply else None
        rc = send(lab, "dut" if from_dut else "peer", pkt, case.dev,
                  mark if from_dut else None)
        if rc and not (rc == errno.EPERM and from_dut):
            return "packet %d: send failed: %s" % (k + 1, os.strerror(rc))
        ends = reached_end(lab)
        passed = ends.get(("post" if from_dut else "in", ID_BASE + k), 0) > 0
        now = line_counts(lab, backend, refs)
        delta = {l: now[l] - prev[l] for l in refs if now[l] != prev[l]}
        prev = now
        conn = find_conn(conntrack_list(lab), case, ident)
        obs.append(Obs(kind, reply, passed, delta,
                       conn[1] if conn else None, conn[0] if conn else None))
        if not confirmed:
            if conn:
                confirmed, reply_next, rep = True, True, conn[0]
        else:
            reply_next = not reply_next
    return obs


# ------------------------------------------------------------ comparing

def step_counts(packet):
    c = collections.Counter(s["line"] for s in packet["steps"])
    return dict(c)


def compare_world(world, obs):
    """None when @world is what the kernel did, else the first difference."""
    if len(world) != len(obs):
        return "iptlint has %d packets, the kernel %d" % (len(world),
                                                          len(obs))
    for k, (p, o) in enumerate(zip(world, obs), 1):
        if p["reply"] != o.reply:
            return "packet %d: iptlint sends %s, the kernel %s" % (
                k, "a reply" if p["reply"] else "the original direction",
                "a reply" if o.reply else "the original direction")
        want = step_counts(p)
        if want != o.counts:
            extra = sorted(set(want) - set(o.counts))
            missing = sorted(set(o.counts) - set(want))
            diff = sorted(l for l in set(want) & set(o.counts)
                          if want[l] != o.counts[l])
            parts = []
            if extra:
                parts.append("iptlint only: lines %s" % extra)
            if missing:
                parts.append("kernel only: lines %s" % missing)
            if diff:
                parts.append("counts differ: %s" % ", ".join(
                    "line %d iptlint %d kernel %d" % (l, want[l], o.counts[l])
                    for l in diff))
            return "packet %d (%s): %s" % (k, p["packet"], "; ".join(parts))
        if (p["verdict"] == "ACCEPT") != o.passed:
            return "packet %d (%s): iptlint %s, the kernel %s" % (
                k, p["packet"], p["verdict"],
                "let it through" if o.passed else "dropped it")
        if o.ct is not None and p["ctmark"] is not None and \
                p["ctmark"] != o.ct and p["state"] != "UNTRACKED":
            return "packet %d (%s): ctmark iptlint %#x, the kernel %#x" % (
                k, p["packet"], p["ctmark"], o.ct)
    return None


def nat_output(world, rule_text, target):
    """Whether a rule of nat OUTPUT with -j @target fired in @world."""
    for p in world:
        for s in p["steps"]:
            if s["table"] == "nat" and s["hook"] == "OUTPUT" and \
                    re.search(r"-j %s\b" % target,
                              rule_text.get(s["line"], "")):
                return True
    return False


def judge_part(res, obs, rule_text, stats):
    """"agree", "disagree: why" or "skip: why" for one iptlint answer."""
    worlds = worlds_of(res)
    if any(nat_output(w, rule_text, "REDIRECT") for w in worlds):
        return "skip: REDIRECT in nat OUTPUT (to 127.0.0.1: over lo only)"
    diffs = []
    for w in worlds:
        d = compare_world(w, obs)
        if d is None:
            return "agree"
        diffs.append(d)
    for w in worlds:
        for p in w:
            if p["verdict"] in ("UNKNOWN", "QUEUE"):
                return "skip: iptlint says %s" % p["verdict"]
    if res.get("truncated"):
        return "skip: truncated (%d branches shown)" % len(worlds)
    if len(worlds) > 1:
        return "disagree: none of the %d branches is the kernel's; " \
            "branch 1: %s" % (len(worlds), diffs[0])
    return "disagree: " + diffs[0]


def judge(parts, rule_text, stats):
    """The case's verdict: every part (iptlint answer, kernel packets)."""
    verdicts = [judge_part(res, obs, rule_text, stats) for res, obs in parts]
    for v in verdicts:
        if v.startswith("disagree"):
            return v
    for v in verdicts:
        if v.startswith("skip"):
            return v
    return "agree"


def describe(parts):
    out = []
    for res, obs in parts:
        out.append("  iptlint trace RULES %s" % " ".join(
            "'%s'" % a if " " in a else a for a in res["args"]))
        for k, o in enumerate(obs, 1):
            out.append("    kernel packet %d (%s): %s, ctmark %s, rules %s"
                       % (k, o.kind, "through" if o.passed else "dropped",
                          "%#x" % o.ct if o.ct is not None else "-",
                          ", ".join("%d%s" % (l, "" if c == 1 else "x%d" % c)
                                    for l, c in sorted(o.counts.items()))
                          or "none"))
        worlds = worlds_of(res)
        for wi, w in enumerate(worlds, 1):
            for k, p in enumerate(w, 1):
                out.append("    iptlint%s packet %d: %s [%s%s] %s ctmark %s, "
                           "rules %s" % (
                               " branch %d" % wi if len(worlds) > 1 else "",
                               k, p["packet"], p["state"],
                               ", reply" if p["reply"] else "", p["verdict"],
                               p["ctmark"], ", ".join(
                                   "%d%s" % (s["line"], "?" if s["branch"]
                                             else "") for s in p["steps"])
                               or "none"))
    return out


def no_nat(case, rep):
    """Whether conntrack's reply tuple is the first packet turned round."""
    if rep.get("src") != case.dst or rep.get("dst") != case.src:
        return False
    return case.proto not in (6, 17) or (
        int(rep.get("sport", -1)) == case.dport and
        int(rep.get("dport", -1)) == case.sport)


# ------------------------------------------------------------------ main

def seed_ruleset(seed, opts=None):
    if opts is not None and opts.rules:
        with open(opts.rules) as f:
            return f.read(), None
    g = Gen(seed)
    return g.ruleset(), g.defect


def values(rules, rng, own=False):
    vals = kerntraffic.Values(rules, ifnames=IFNAMES, rng=rng)
    addrs = set(PEER_ADDRS + DUT_ADDRS)
    if own:                     # a ruleset of the user's: its addresses too
        addrs |= set(vals.src) | set(vals.dst)
    vals.src = sorted(addrs, key=kerntraffic._addr_key)
    vals.dst = vals.src
    vals.ports = sorted(set(PORTS + [0, 65535]))
    vals.marks = MARKS
    return vals


def run_seed(seed, lab, iptlint, backend, stats, opts, tmpdir, only=None):
    text, defect = seed_ruleset(seed, opts)
    stats["seeds"] += 1
    if defect:
        stats["defect"] += 1
        return []
    rc, err = lab.load(text.encode(), backend)
    if rc != 0:
        stats["refused"] += 1
        return []
    if backend == "nft":
        diff = nft_translation(text)
        if diff:
            stats["nft_translation"] += 1
            if opts.verbose:
                print("seed %d: left out, iptables-nft does not load "
                      "these as written: %s" % (seed, "; ".join(diff)))
            return []
    stats["rulesets"] += 1
    path = os.path.join(tmpdir, "seed%d.rules" % seed)
    with open(path, "w") as f:
        f.write(text)
    refs = kernlib.rule_lines(text)
    rule_text = {l: r.text for l, r in refs.items()}
    rules = kerntraffic.parse_rules(text)
    rng = random.Random(seed * 104729 + 7)
    cases = make_cases(rules, values(rules, rng, bool(opts.rules)), rng,
                       opts.cases)
    failures = []
    for ci, case in enumerate(cases, 1):
        if only is not None and ci != only:
            continue
        res = trace(iptlint, path, case.args())
        res["args"] = case.args()
        obs = run_kernel(lab, backend, text, refs, case, rng)
        stats["cases"] += 1
        parts = []
        if isinstance(obs, str):
            stats["skip"] += 1
            stats["skip: " + obs.split(":")[0]] += 1
            verdict = "skip: " + obs
        else:
            parts = [(res, obs[:1] if case.related else obs)]
            if case.related and len(obs) == 2:
                err = obs[1]
                if no_nat(case, obs[0].rep):
                    args = case.error_args(obs[0].rep, obs[0].ct or 0)
                    res2 = trace(iptlint, path, args)
                    res2["args"] = args
                    err.reply = False   # a first packet of its own trace
                    parts.append((res2, [err]))
                else:
                    stats["related_nat"] += 1
            stats["packets"] += sum(len(o) for _, o in parts)
            stats["related" if case.related else
                  "flows" if case.n > 1 else "singles"] += 1
            if any(len(worlds_of(r)) > 1 or world_has_branch(worlds_of(r)[0])
                   for r, _ in parts):
                stats["with_branches"] += 1
            if any(nat_output(w, rule_text, "DNAT")
                   for r, _ in parts for w in worlds_of(r)):
                stats["dnat_output"] += 1
            verdict = judge(parts, rule_text, stats)
            if verdict == "agree":
                stats["agree"] += 1
                stats["agree_packets"] += sum(len(o) for _, o in parts)
                if any(len(worlds_of(r)) > 1 for r, _ in parts):
                    stats["agree_branch"] += 1
            elif verdict.startswith("skip"):
                stats["skip"] += 1
                stats[verdict.split(" (")[0]] += 1
            else:
                stats["disagree"] += 1
        if opts.verbose or verdict.startswith("disagree"):
            print("seed %d case %d: %s: %s" % (seed, ci, case, verdict))
            if parts and (opts.verbose > 1 or verdict.startswith("disagree")):
                print("\n".join(describe(parts)))
        if verdict.startswith("disagree"):
            failures.append((ci, case, verdict))
    return failures


def main():
    ap = kernlib.arg_parser(__doc__, seeds=DEFAULT_SEEDS)
    ap.add_argument("--cases", type=int, default=CASES_PER_SEED,
                    help="cases per seed (default %d)" % CASES_PER_SEED)
    ap.add_argument("--seed-case", metavar="SEED:CASE",
                    help="run one case of one seed")
    ap.add_argument("--rules", metavar="FILE",
                    help="an IPv4 iptables-restore file of all four tables "
                    "instead of the generated rulesets (each seed draws "
                    "other cases)")
    ap.add_argument("--backend", choices=("legacy", "nft"),
                    default="legacy")
    ap.add_argument("--keep-going", action="store_true",
                    help="do not stop at the first failing seed")
    ap.add_argument("-v", "--verbose", action="count", default=0)
    opts = ap.parse_args()
    if not opts.iptlint:
        ap.error("--iptlint is required")
    kernlib.require(legacy=True, nft=opts.backend == "nft")
    for tool in ("nft", "conntrack"):
        if not shutil.which(tool):
            kernlib.skip("no '%s' (the test counts verdicts with nft and "
                         "reads connections with conntrack)" % tool)
    kernlib.install_signal_handlers()
    iptlint = os.path.abspath(opts.iptlint)
    seeds = range(opts.start, opts.start + opts.seeds)
    only = None
    if opts.seed_case:
        s, _, c = opts.seed_case.partition(":")
        seeds, only = [int(s)], int(c) if c else None
    stats = collections.Counter()
    failed = []
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="iptl-difftrace-") as tmpdir, \
            kernlib.Lab("dt", IFNAMES,
                        [a + "/32" for a in DUT_ADDRS]) as lab:
        try:
            setup_nft(lab)
        except subprocess.CalledProcessError as e:
            kernlib.skip("nft cannot load the test's tables: %s" %
                         e.stderr.decode("utf-8", "replace").strip())
        lab.after_load()
        for seed in seeds:
            fails = run_seed(seed, lab, iptlint, opts.backend, stats, opts,
                             tmpdir, only)
            if fails:
                failed.append(seed)
                text, _ = seed_ruleset(seed, opts)
                print("FAIL seed %d (tests/diff_reach.py --show %d; "
                      "tests/diff_trace.py --seed-case %d:N -vv):" % (
                          seed, seed, seed))
                for n, line in enumerate(text.splitlines(), 1):
                    print("  %3d  %s" % (n, line))
                if not opts.keep_going:
                    break
    dt = time.time() - t0
    print("diff_trace: seeds %d..%d: %d rulesets traced (%d with an "
          "injected mistake and %d refused left out), %.1fs" % (
              seeds[0], seeds[-1], stats["rulesets"], stats["defect"],
              stats["refused"], dt))
    print("diff_trace: %d cases: %d single packets, %d flows, %d "
          "datagrams with an ICMP error (RELATED; %d of them NATed, error "
          "not traced); %d packets compared" % (
              stats["cases"], stats["singles"], stats["flows"],
              stats["related"], stats["related_nat"], stats["packets"]))
    print("diff_trace: %d cases agree (%d packets); %d cases had branch "
          "points (%d agree with one of several branches); %d had a DNAT "
          "in nat OUTPUT; %d disagree; %d skipped" % (
              stats["agree"], stats["agree_packets"], stats["with_branches"],
              stats["agree_branch"], stats["dnat_output"],
              stats["disagree"], stats["skip"]))
    if stats["nft_translation"]:
        print("diff_trace: %d rulesets left out: iptables-nft loads a rule "
              "of theirs otherwise (! --sport 0:65535; -v shows them)" %
              stats["nft_translation"])
    skips = sorted((k, v) for k, v in stats.items()
                   if k.startswith("skip: "))
    for k, v in skips:
        print("diff_trace:   %-60s %d" % (k, v))
    if failed:
        print("diff_trace: FAILED seeds: %s" % " ".join(map(str, failed)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
