#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test of unreachable-rule, the never-match mark checks
(mark-never-matches, mark-match-confusion, connmark-untracked on
-m connmark) and the error checks
against the kernel, on random rulesets (needs root).

For each seed a small ruleset is generated: filter INPUT/OUTPUT and
mangle PREROUTING/OUTPUT with a few user chains; -j/-g/RETURN,
ACCEPT/DROP/REJECT, MARK (--set-mark/--or-mark/--and-mark/--set-xmark),
CONNMARK save/restore, -m mark, -m multiport, -p tcp/udp/icmp, ports and
port ranges, TCP flags, ICMP types, "!" inversions, -s/-d prefixes in
10.99.0.0/16, -i/-o names with + wildcards, -m conntrack/-m state, and
-m limit as a match iptlint does not model. One seed in eight also gets
one mistake the kernel refuses (undefined chain, loop, wrong table or
hook, -o in INPUT, ...).

Each ruleset is
1. linted: iptlint --format=json;
2. loaded with iptables-legacy-restore and iptables-nft-restore in fresh
   namespaces: every error iptlint reports must come with a refusal (and
   a backend the message names must agree), and a ruleset without an
   error must load on both; iptlint --backend=legacy (nft) must report
   an error exactly when that backend refuses (tests/kernel_checks.py's
   rules);
3. when it loads, put into the dut of a kernlib.Lab (dut interfaces eth0,
   eth1, vb0 and lo; dut addresses 10.99.2.2, 10.99.200.9,
   10.99.255.254; peer addresses 10.99.1.1, 10.99.1.200, 10.99.130.5),
   and a packet set is sent over the small address/port space: every
   source x destination x interface with a UDP datagram, a TCP SYN and
   an ICMP echo request in (a random port each), the same out of the dut
   with each socket mark, a local set over lo, random TCP flag
   combinations, real flows (TCP handshake + data, UDP and ICMP echo
   answered: ESTABLISHED; ICMP errors: RELATED) and, per rule, packets
   made to satisfy it (tests/kerntraffic.py).

It FAILS (printing the seed and the ruleset) if a rule iptlint reports as
unreachable-rule counted a packet, or an error verdict disagrees with
the kernel. Recall is information: of the rules the kernel never
counted, how many iptlint flagged (a rule can count nothing only because
our packets missed it).

    sudo tests/diff_reach.py --iptlint build/tools/iptlint            # 60 seeds
    sudo tests/diff_reach.py --iptlint ... --seeds 2000 --start 100   # long run
    sudo tests/diff_reach.py --iptlint ... --show 17                  # one ruleset

Exit status: 0, 1 on a disagreement, 77 skipped.
"""
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402
import kerntraffic  # noqa: E402
import kernel_checks  # noqa: E402

PEER_ADDRS = ["10.99.1.1", "10.99.1.200", "10.99.130.5"]
DUT_ADDRS = ["10.99.2.2", "10.99.200.9", "10.99.255.254"]
IFNAMES = ["eth0", "eth1", "vb0"]
IF_SPECS = ["eth0", "eth1", "eth+", "vb0", "vb+", "v+", "e+", "lo",
            "wan0", "+"]
PORTS = [22, 53, 80, 443, 1024, 8080, 40000]
MARKS = [0, 1, 2, 3, 0x100]
STATES = ["NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"]
PREFIXES = ["10.99.0.0/16", "10.99.0.0/17", "10.99.128.0/17",
            "10.99.0.0/18", "10.99.1.0/24", "10.99.2.0/24",
            "10.99.200.0/24", "10.99.255.0/24", "10.99.1.1/32",
            "10.99.2.2/32", "10.99.130.5/32", "10.99.200.9/32",
            "10.99.1.128/25", "10.99.192.0/18", "10.99.0.0/20"]
DEFAULT_SEEDS = 60


# ------------------------------------------------------------- generator

class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.defect = None

    def chance(self, p):
        return self.rng.random() < p

    def ports(self):
        r = self.rng
        k = r.random()
        if k < 0.5:
            return str(r.choice(PORTS))
        if k < 0.8:
            a, b = sorted(r.sample(PORTS + [0, 65535], 2))
            return "%d:%d" % (a, b)
        return r.choice(["1024:", ":1023", "0:65535"])

    def mports(self):
        r = self.rng
        items = []
        for _ in range(r.randint(1, 3)):
            if r.random() < 0.3:
                a, b = sorted(r.sample(PORTS + [0, 65535], 2))
                items.append("%d:%d" % (a, b))
            else:
                items.append(str(r.choice(PORTS)))
        return ",".join(items)

    def neg(self, p=0.15):
        return "! " if self.chance(p) else ""

    def match(self, hook_of_chain, table):
        """The match part of one rule."""
        r = self.rng
        parts = []
        proto = None
        if self.chance(0.55):
            proto = r.choice(["tcp", "tcp", "udp", "udp", "icmp"])
            inv = self.chance(0.1)
            parts.append("%s-p %s" % ("! " if inv else "", proto))
            if inv:
                proto = None
        if self.chance(0.3):
            parts.append("%s-s %s" % (self.neg(), r.choice(PREFIXES)))
        if self.chance(0.3):
            parts.append("%s-d %s" % (self.neg(), r.choice(PREFIXES)))
        if self.chance(0.3):
            opt = "-i"
            if hook_of_chain in ("OUTPUT", "POSTROUTING"):
                opt = "-o"
            elif hook_of_chain is None:
                opt = r.choice(["-i", "-o"])
            parts.append("%s%s %s" % (self.neg(), opt, r.choice(IF_SPECS)))
        if proto in ("tcp", "udp"):
            k = r.random()
            if k < 0.35:
                parts.append("%s--dport %s" % (self.neg(), self.ports()))
            elif k < 0.5:
                parts.append("%s--sport %s" % (self.neg(), self.ports()))
            elif k < 0.7:
                parts.append("-m multiport %s--%s %s" % (
                    self.neg(), r.choice(["dports", "dports", "sports",
                                          "ports"]), self.mports()))
            if proto == "tcp" and self.chance(0.25):
                if self.chance(0.3):
                    parts.append("%s--syn" % self.neg())
                else:
                    flags = ["SYN", "ACK", "FIN", "RST", "PSH"]
                    mask = r.sample(flags, r.randint(1, 3))
                    cmp_ = [f for f in mask if self.chance(0.5)]
                    if self.chance(0.1):
                        # MASK and COMP swapped: COMP has a flag outside
                        # MASK and the rule never matches.
                        cmp_.append(r.choice([f for f in flags
                                              if f not in mask]))
                    parts.append("%s--tcp-flags %s %s" % (
                        self.neg(0.1), ",".join(mask),
                        ",".join(cmp_) or "NONE"))
        if proto == "icmp" and self.chance(0.5):
            parts.append("%s--icmp-type %s" % (self.neg(0.1), r.choice(
                ["echo-request", "echo-reply", "destination-unreachable",
                 "port-unreachable", "any", "3/3"])))
        if self.chance(0.2):
            sts = r.sample(STATES, r.randint(1, 3))
            if self.chance(0.2):
                parts.append("-m state %s--state %s" % (
                    self.neg(0.2), ",".join(s for s in sts
                                            if s != "UNTRACKED") or "NEW"))
            else:
                parts.append("-m conntrack %s--ctstate %s" % (
                    self.neg(0.2), ",".join(sts)))
        if self.chance(0.2):
            v = r.choice([0, 1, 2, 3, 0x100])
            m = r.choice([None, 0x1, 0x2, 0x3, 0xff, 0xffff])
            if m is not None:
                v &= m
            parts.append("-m mark %s--mark %s" % (
                self.neg(0.2), hex(v) + ("/" + hex(m) if m else "")))
        if self.chance(0.08):
            parts.append("-m limit --limit %s" % r.choice(
                ["1000/second", "1/hour --limit-burst 1"]))
        if self.chance(0.03) and proto not in ("tcp", "udp", "icmp"):
            parts.append("%s-f" % self.neg(0.3))
        return " ".join(parts), proto

    def derived(self, seen):
        """Now and then an earlier rule's matches narrowed by one more
        test: such rules are often covered by the earlier ones, which
        puts iptlint's coverage claims to the test."""
        r = self.rng
        if not seen or not self.chance(0.3):
            return None
        m, proto = r.choice(seen)
        if "--tcp-flags" in m and self.chance(0.4):
            # A sibling: the same rule with another TCP flag test.
            return re.sub(r"(! )?--tcp-flags \S+ \S+", r.choice(
                ["--syn", "--tcp-flags SYN,ACK SYN", "--tcp-flags SYN SYN"]),
                m), proto
        extra = []
        if " -s " not in " " + m:
            extra.append("-s %s" % r.choice(PREFIXES))
        if " -d " not in " " + m:
            extra.append("-d %s" % r.choice(PREFIXES))
        extra.append("-m mark --mark %s/0x3" % r.choice(["0x0", "0x1",
                                                          "0x2", "0x3"]))
        extra.append("-m conntrack --ctstate %s" % ",".join(
            r.sample(STATES, r.randint(1, 2))))
        if proto in ("tcp", "udp") and "port" not in m:
            extra.append("--dport %s" % self.ports())
        if proto == "tcp" and "--syn" not in m and "--tcp-flags" not in m:
            extra.append(r.choice(["--syn", "--tcp-flags SYN,ACK ACK",
                                   "--tcp-flags SYN SYN,ACK"]))
        extra.append("-m limit --limit 1000/second")
        return (m + " " + r.choice(extra)).strip(), proto

    def target(self, table, chain, users, proto, depth_ok):
        r = self.rng
        choices = ["ACCEPT", "DROP", "RETURN", "MARK", "none"]
        if table == "filter":
            choices += ["REJECT", "ACCEPT", "DROP"]
        if users:
            choices += ["jump", "jump", "goto"]
        if table == "mangle":
            choices += ["MARK", "CONNMARK"]
        if table == "raw":
            choices = ["NOTRACK", "NOTRACK", "ACCEPT", "RETURN", "none",
                       "MARK"] + (["jump"] if users else [])
        if table == "nat":
            choices = ["ACCEPT", "RETURN", "none", "MARK"] + \
                (["jump", "goto"] if users else [])
            nat = {"PREROUTING": ["DNAT", "REDIRECT"],
                   "OUTPUT": ["DNAT", "REDIRECT"],
                   "POSTROUTING": ["SNAT", "MASQUERADE"],
                   "INPUT": ["SNAT"]}.get(chain, [])
            choices += nat * 2
        t = r.choice(choices)
        if t == "none":
            return ""
        if t == "NOTRACK":
            return r.choice(["-j NOTRACK", "-j CT --notrack"])
        if t == "DNAT":
            return "-j DNAT --to-destination %s" % r.choice(DUT_ADDRS)
        if t == "REDIRECT":
            return "-j REDIRECT" if proto not in ("tcp", "udp") else \
                "-j REDIRECT --to-ports %d" % r.choice(PORTS)
        if t == "SNAT":
            return "-j SNAT --to-source %s" % r.choice(DUT_ADDRS)
        if t == "MASQUERADE":
            return "-j MASQUERADE"
        if t == "REJECT":
            if proto == "tcp" and self.chance(0.5):
                return "-j REJECT --reject-with tcp-reset"
            return "-j REJECT"
        if t == "MARK":
            v = r.choice([1, 2, 3, 0x100])
            return "-j MARK " + r.choice([
                "--set-mark %s" % hex(v), "--or-mark %s" % hex(v),
                "--and-mark %s" % hex(r.choice([0x1, 0x2, 0xfe])),
                "--set-xmark %s/%s" % (hex(v), hex(r.choice([0x1, 0x3,
                                                             0xff])))])
        if t == "CONNMARK":
            return "-j CONNMARK " + r.choice(["--save-mark",
                                              "--restore-mark",
                                              "--set-mark 0x2"])
        if t in ("jump", "goto"):
            return "%s %s" % ("-j" if t == "jump" else "-g",
                              r.choice(users))
        return "-j " + t

    def table(self, name, hooks):
        r = self.rng
        n_user = r.randint(0, 3)
        users = ["%s_%s%d" % (name, "u", i) for i in range(n_user)]
        if name in ("raw", "nat"):
            users = users[:1]
        lines = ["*" + name]
        builtins = {"filter": ["INPUT", "FORWARD", "OUTPUT"],
                    "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT",
                               "POSTROUTING"],
                    "raw": ["PREROUTING", "OUTPUT"],
                    "nat": ["PREROUTING", "INPUT", "OUTPUT",
                            "POSTROUTING"]}[name]
        for b in builtins:
            pol = "DROP" if b in hooks and name in ("filter", "mangle") \
                and self.chance(0.1) else "ACCEPT"
            lines.append(":%s %s [0:0]" % (b, pol))
        for u in users:
            lines.append(":%s - [0:0]" % u)
        per = (0, 3) if name in ("raw", "nat") else (2, 7)
        for b in hooks:
            seen = []
            for _ in range(r.randint(*per)):
                m, proto = self.derived(seen) or self.match(b, name)
                seen.append((m, proto))
                t = self.target(name, b, users, proto, True)
                lines.append(("-A %s %s %s" % (b, m, t)).rstrip()
                             .replace("  ", " "))
        for i, u in enumerate(users):
            later = users[i + 1:]
            seen = []
            for _ in range(r.randint(1, 4)):
                m, proto = self.derived(seen) or self.match(None, name)
                seen.append((m, proto))
                t = self.target(name, u, later, proto, True)
                lines.append(("-A %s %s %s" % (u, m, t)).rstrip()
                             .replace("  ", " "))
        lines.append("COMMIT")
        return lines

    def ruleset(self):
        # Every table every time: the lab namespace is reused, and a
        # restore only replaces the tables it names.
        lines = self.table("raw", ["PREROUTING", "OUTPUT"]) + \
            self.table("mangle", ["PREROUTING", "OUTPUT"]) + \
            self.table("nat", ["PREROUTING", "OUTPUT", "POSTROUTING",
                               "INPUT"]) + \
            self.table("filter", ["INPUT", "OUTPUT"])
        if self.chance(1 / 8):
            lines = self.inject_defect(lines)
        return "\n".join(lines) + "\n"

    def inject_defect(self, lines):
        r = self.rng
        kinds = ["undefined", "loop", "dnat-in-filter", "o-in-input",
                 "reject-in-mangle", "builtin-jump", "drop-in-nat",
                 "owner-in-input", "duplicate-chain"]
        self.defect = r.choice(kinds)
        fi = lines.index("*filter")
        end = len(lines) - 1            # filter's COMMIT
        if self.defect == "undefined":
            lines.insert(end, "-A INPUT -p tcp --dport 22 -j NOSUCHCHAIN")
        elif self.defect == "loop":
            lines.insert(fi + 4, ":loop_a - [0:0]")
            lines.insert(fi + 5, ":loop_b - [0:0]")
            end = len(lines) - 1
            lines[end:end] = ["-A INPUT -p udp -j loop_a",
                              "-A loop_a -j loop_b", "-A loop_b -j loop_a"]
        elif self.defect == "dnat-in-filter":
            lines.insert(end, "-A INPUT -p tcp -j DNAT --to-destination "
                         "10.99.2.2")
        elif self.defect == "o-in-input":
            lines.insert(end, "-A INPUT -o eth0 -j DROP")
        elif self.defect == "reject-in-mangle":
            lines.insert(lines.index("*mangle") + 6 +
                         sum(1 for x in lines if x.startswith(":m_")),
                         "-A PREROUTING -p udp -j REJECT")
        elif self.defect == "builtin-jump":
            lines.insert(end, "-A INPUT -p icmp -j OUTPUT")
        elif self.defect == "drop-in-nat":
            lines.insert(lines.index("*nat") + 5,
                         "-A PREROUTING -p tcp --dport 23 -j DROP")
        elif self.defect == "owner-in-input":
            lines.insert(end, "-A INPUT -m owner --uid-owner 0 -j ACCEPT")
        elif self.defect == "duplicate-chain":
            lines.insert(fi + 4, ":dup - [0:0]")
            lines.insert(fi + 5, ":dup - [0:0]")
        return lines


# -------------------------------------------------------------- traffic

def grid(rng):
    """The fixed packet set over the small address/port space."""
    E = kerntraffic.Emission
    out = []
    for src in PEER_ADDRS + DUT_ADDRS[:1]:
        for dst in DUT_ADDRS + PEER_ADDRS[:1]:
            for dev in IFNAMES:
                for proto in (17, 6, 1):
                    out.append(E(path="in", kind="raw", src=src, dst=dst,
                                 proto=proto, dev=dev,
                                 sport=rng.choice(PORTS),
                                 dport=rng.choice(PORTS), flags=0x02,
                                 icmp=(8, 0)))
    for src in DUT_ADDRS:
        for dst in PEER_ADDRS:
            for dev in IFNAMES:
                for mark in MARKS:
                    for proto in (17, 6, 1):
                        out.append(E(path="out", kind="raw", src=src,
                                     dst=dst, proto=proto, dev=dev,
                                     mark=mark, sport=rng.choice(PORTS),
                                     dport=rng.choice(PORTS), flags=0x02,
                                     icmp=(8, 0)))
    for src in DUT_ADDRS:
        for dst in DUT_ADDRS:
            for mark in MARKS[:3]:
                for proto in (17, 6, 1):
                    out.append(E(path="local", kind="raw", src=src, dst=dst,
                                 proto=proto, mark=mark,
                                 sport=rng.choice(PORTS),
                                 dport=rng.choice(PORTS), flags=0x02,
                                 icmp=(8, 0)))
    # every port as destination and as source, TCP flag combinations
    for port in PORTS + [0, 65535]:
        for proto in (6, 17):
            out.append(E(path="in", kind="raw", src=rng.choice(PEER_ADDRS),
                         dst=rng.choice(DUT_ADDRS), proto=proto,
                         dev=rng.choice(IFNAMES), sport=rng.choice(PORTS),
                         dport=port, flags=0x02))
            out.append(E(path="in", kind="raw", src=rng.choice(PEER_ADDRS),
                         dst=rng.choice(DUT_ADDRS), proto=proto,
                         dev=rng.choice(IFNAMES), sport=port,
                         dport=rng.choice(PORTS), flags=0x10))
            out.append(E(path="out", kind="raw", src=rng.choice(DUT_ADDRS),
                         dst=rng.choice(PEER_ADDRS), proto=proto,
                         dev=rng.choice(IFNAMES), mark=rng.choice(MARKS),
                         sport=rng.choice(PORTS), dport=port, flags=0x02))
    for flags in range(0, 64, 3):
        out.append(E(path=rng.choice(("in", "out")), kind="raw",
                     src=rng.choice(PEER_ADDRS), dst=rng.choice(DUT_ADDRS),
                     proto=6, dev=rng.choice(IFNAMES),
                     mark=rng.choice(MARKS), sport=rng.choice(PORTS),
                     dport=rng.choice(PORTS), flags=flags))
    # flows: ESTABLISHED and RELATED packets both ways
    for dev in IFNAMES:
        for src, dst in ((PEER_ADDRS[0], DUT_ADDRS[0]),
                         (PEER_ADDRS[2], DUT_ADDRS[1])):
            for proto in (6, 17, 1):
                out.append(E(path="in", kind="flow", src=src, dst=dst,
                             proto=proto, dev=dev, sport=rng.choice(PORTS),
                             dport=rng.choice([22, 80, 443])))
                out.append(E(path="out", kind="flow", src=dst, dst=src,
                             proto=proto, dev=dev, mark=rng.choice(MARKS),
                             sport=rng.choice(PORTS),
                             dport=rng.choice([22, 80, 443])))
            out.append(E(path="in", kind="related", src=src, dst=dst,
                         proto=17, dev=dev, sport=53, dport=40000))
            out.append(E(path="out", kind="related", src=dst, dst=src,
                         proto=17, dev=dev, mark=0, sport=53, dport=40000))
    out.append(E(path="local", kind="flow", src=DUT_ADDRS[0],
                 dst=DUT_ADDRS[1], proto=6, sport=40001, dport=80, mark=0))
    return out


# ------------------------------------------------------------------ main

def lint(iptlint, text, args=()):
    return kernlib.iptlint_json(iptlint, "-", list(args), data=text.encode())


def error_agreement(iptlint, diags, text):
    """kernel_checks' rules on a generated ruleset: [problem, ...]. Also
    iptlint --backend=legacy / --backend=nft against that backend alone."""
    res = kernel_checks.Result(None, "ruleset")
    res.diags = diags
    data = text.encode()
    for b in kernel_checks.BACKENDS:
        rc, err = kernlib.load_fresh(data, b, 4, "dr")
        res.verdict[b] = (rc, (err.splitlines() or [""])[0])
    kernel_checks.judge(res, None)
    for b in kernel_checks.BACKENDS:
        kernel_checks.judge_backend(
            res, b, lint(iptlint, text, ["--backend=" + b]))
    return res.problems, res.verdict


def run_seed(seed, lab, iptlint, backend, stats, verbose):
    gen = Gen(seed)
    text = gen.ruleset()
    diags = lint(iptlint, text)
    problems, verdict = error_agreement(iptlint, diags, text)
    stats["rulesets"] += 1
    if gen.defect:
        stats["defects"] += 1
    if verdict[backend][0] != 0:
        stats["refused"] += 1
        return problems, text, gen.defect
    refs = kernlib.rule_lines(text)
    rules = kerntraffic.parse_rules(text)
    rng = random.Random(seed * 7919 + 1)
    vals = kerntraffic.Values(rules, ifnames=IFNAMES, rng=rng)
    vals.src = sorted(set(PEER_ADDRS + DUT_ADDRS), key=kerntraffic._addr_key)
    vals.dst = vals.src
    vals.ports = sorted(set(PORTS + [0, 65535]))
    vals.marks = MARKS
    emissions = grid(rng) + kerntraffic.plan(rules, vals, rng, per_rule=3,
                                             spray=60)
    # dut-local destinations stay local; others leave through a veth
    for e in emissions:
        if e.path == "local" and e.dst not in DUT_ADDRS:
            e.dst = rng.choice(DUT_ADDRS)
        if e.path == "out" and e.dst in DUT_ADDRS:
            e.dst = rng.choice(PEER_ADDRS)
    lab.flush_conntrack()
    rc, err = lab.load(text.encode(), backend)
    if rc != 0:
        problems.append("%s refused the ruleset in the lab but not in a "
                        "fresh namespace: %s" % (backend, err))
        return problems, text, gen.defect
    lab.after_load()
    before = lab.sent
    kerntraffic.send_all(lab, emissions)
    stats["packets"] += lab.sent - before
    counts, _ = lab.counters(backend)
    count = kernlib.line_counter(refs, counts)

    flagged = set()
    for d in diags:
        if not never_claim(d):
            continue
        flagged.add(d["line"])
        n = count(d["line"])
        stats["flagged"] += 1
        stats.setdefault("by_check", {}).setdefault(d["check"], 0)
        stats["by_check"][d["check"]] += 1
        if n:
            problems.append(
                "line %d: iptlint says [%s] %s (notes: lines %s), "
                "the kernel counted %d packet(s) on it" % (
                    d["line"], d["check"], d["message"],
                    ",".join(str(x["line"]) for x in d["notes"]), n))
    hooks = kerntraffic.chain_hooks(rules)
    for line, r in refs.items():
        if not hooks.get((r.table, r.chain)):
            continue            # chains no hook reaches: nothing to count
        stats["rules"] += 1
        if count(line) == 0:
            stats["zero"] += 1
            if line in flagged:
                stats["zero_flagged"] += 1
    if verbose:
        print("seed %d: %d rules, %d flagged, %d packets" % (
            seed, len(refs), len(flagged), lab.sent - before))
    return problems, text, gen.defect


def never_claim(d):
    """A finding that says its rule can never match (count 0 packets)."""
    if d["check"] in ("unreachable-rule", "mark-never-matches",
                      "mark-match-confusion"):
        return True
    # connmark-untracked on a -m connmark test (a CONNMARK target still
    # counts the packets it does nothing to).
    return d["check"] == "connmark-untracked" and \
        d["message"].startswith("-m connmark")


def main():
    ap = kernlib.arg_parser(__doc__, seeds=DEFAULT_SEEDS)
    ap.add_argument("--backend", choices=("legacy", "nft"),
                    default="legacy", help="the one that carries traffic")
    ap.add_argument("--show", type=int, metavar="SEED",
                    help="print the ruleset of SEED and exit")
    ap.add_argument("--keep-going", action="store_true",
                    help="do not stop at the first failing seed")
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    if opts.show is not None:
        g = Gen(opts.show)
        sys.stdout.write(g.ruleset())
        if g.defect:
            print("# defect: " + g.defect)
        return 0
    if not opts.iptlint:
        ap.error("--iptlint is required")
    kernlib.require(legacy=True, nft=True)
    kernlib.install_signal_handlers()
    iptlint = os.path.abspath(opts.iptlint)
    stats = dict.fromkeys(("rulesets", "defects", "refused", "packets",
                           "flagged", "rules", "zero", "zero_flagged"), 0)
    failed = []
    t0 = time.time()
    with kernlib.Lab("dr", IFNAMES, [a + "/32" for a in DUT_ADDRS]) as lab:
        for seed in range(opts.start, opts.start + opts.seeds):
            problems, text, defect = run_seed(seed, lab, iptlint,
                                              opts.backend, stats,
                                              opts.verbose)
            if problems:
                failed.append(seed)
                print("FAIL seed %d%s:" % (seed, " (defect: %s)" % defect
                                           if defect else ""))
                for p in problems:
                    print("  - " + p)
                print("  ruleset (tests/diff_reach.py --show %d):" % seed)
                for n, line in enumerate(text.splitlines(), 1):
                    print("  %3d  %s" % (n, line))
                if not opts.keep_going:
                    break
    dt = time.time() - t0
    print("diff_reach: seeds %d..%d, %d rulesets (%d with an injected "
          "mistake, %d refused by the kernel), %d packets sent, %.1fs" % (
              opts.start, opts.start + opts.seeds - 1, stats["rulesets"],
              stats["defects"], stats["refused"], stats["packets"], dt))
    print("diff_reach: %d never-match findings (%s), none may count a "
          "packet; recall (info): the kernel counted nothing on %d of %d "
          "reachable-chain rules, iptlint flagged %d of those" % (
              stats["flagged"], ", ".join(
                  "%s %d" % kv for kv in sorted(
                      stats.get("by_check", {}).items())) or "-",
              stats["zero"], stats["rules"], stats["zero_flagged"]))
    if failed:
        print("diff_reach: FAILED seeds: %s" % " ".join(map(str, failed)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
