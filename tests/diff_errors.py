#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test of iptlint's errors against the kernel, both ways, on
random rulesets (needs root).

For each seed a small ruleset is generated: a random subset of the raw,
mangle, nat and filter tables with their builtin chains (ACCEPT or DROP
policies), up to five user chains, rules with the matches of
tests/diff_reach.py, -j/-g to user chains (loops now and then, a nest of
16+ chains now and then), RETURN, verdicts, and the targets of every
table (MARK, CONNMARK, TCPMSS, DNAT, SNAT, MASQUERADE, REDIRECT, NOTRACK,
CT, REJECT, LOG) placed mostly where they belong and sometimes in a
wrong table or reached from a wrong hook, plus the mistakes the kernel
refuses: undefined chains, jumps to builtin chains, -o in INPUT, -m
owner on input, -j DROP in nat, a user chain declared twice or with a
policy, a bad policy.

It is loaded for real (no --test) with iptables-legacy-restore -c and
iptables-nft-restore -c, each in a fresh network namespace, and linted
with iptlint --backend=legacy and --backend=nft. For each backend:

  - every error iptlint reports must be an error the kernel raises: the
    load with that backend is refused;
  - every refused load must come with an iptlint error.

(tests/kernel_checks.py's judge_backend), and plain iptlint (no backend)
against both: an error needs a refusal by one of them, no error a load
by both, and when the ruleset has a single error, a backend its message
says refuses (or accepts) the file must (kernel_checks.judge). A
disagreement is printed with
the seed, the ruleset (shrunk by removing lines while the disagreement
stays, with --minimize), iptlint's errors and the kernel's message and
culprit line (tools/oracle/restore_bisect.py).

    sudo tests/diff_errors.py --iptlint build/tools/iptlint   # 500 seeds
    sudo tests/diff_errors.py --iptlint ... --seeds 5000 --start 1000 -j 4
    tests/diff_errors.py --show 17                            # one ruleset

Exit status: 0, 1 on a disagreement, 77 skipped.
"""
import concurrent.futures
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, restore_bisect: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import diff_reach  # noqa: E402
import kernel_checks  # noqa: E402
import kernlib  # noqa: E402
import restore_bisect  # noqa: E402

BACKENDS = ("legacy", "nft")
DEFAULT_SEEDS = 500
BUILTINS = {
    "raw": ["PREROUTING", "OUTPUT"],
    "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
    "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
    "filter": ["INPUT", "FORWARD", "OUTPUT"],
}
ADDRS = ["10.99.2.2", "10.99.200.9", "192.0.2.1"]


class ErrGen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.m = diff_reach.Gen(seed)
        self.m.rng = self.rng   # one stream: the matches come from it too
        self.notes = []         # what was put in on purpose

    def chance(self, p):
        return self.rng.random() < p

    # -------------------------------------------------------- targets
    def target_of(self, table, hook, proto):
        """A target that belongs in @table (and usually @hook)."""
        r = self.rng
        tcp = proto == "tcp"
        common = ["-j ACCEPT", "-j RETURN", "", "-j LOG --log-prefix x"]
        if table == "filter":
            opts = ["-j DROP", "-j REJECT",
                    "-j REJECT --reject-with tcp-reset" if tcp else
                    "-j REJECT --reject-with icmp-host-prohibited"]
        elif table == "mangle":
            opts = ["-j MARK --set-mark 0x%x" % r.choice([1, 2, 0x100]),
                    "-j MARK --or-mark 0x4", "-j CONNMARK --save-mark",
                    "-j CONNMARK --restore-mark", "-j DROP",
                    "-j TTL --ttl-set 64", "-j DSCP --set-dscp 10",
                    "-j TCPMSS --clamp-mss-to-pmtu" if tcp else
                    "-j TOS --set-tos 0x10"]
            if tcp and self.chance(0.5):
                opts[-1] = "--tcp-flags SYN,RST SYN -j TCPMSS " \
                           "--clamp-mss-to-pmtu"
        elif table == "nat":
            opts = {"PREROUTING": ["-j DNAT --to-destination %s" %
                                   r.choice(ADDRS), "-j REDIRECT"],
                    "OUTPUT": ["-j DNAT --to-destination %s" %
                               r.choice(ADDRS), "-j REDIRECT"],
                    "POSTROUTING": ["-j SNAT --to-source %s" %
                                    r.choice(ADDRS), "-j MASQUERADE"],
                    "INPUT": ["-j SNAT --to-source %s" % r.choice(ADDRS)],
                    }.get(hook) or ["-j DNAT --to-destination 10.99.2.2",
                                    "-j MASQUERADE"]
            if tcp and self.chance(0.3):
                opts = ["-j REDIRECT --to-ports 8080"
                        if hook in ("PREROUTING", "OUTPUT") else
                        "-j MASQUERADE --to-ports 1024-2048"]
        else:   # raw
            opts = ["-j NOTRACK", "-j CT --notrack", "-j DROP",
                    "-j CT --zone 1"]
        return r.choice(opts + common)

    def wrong_target(self, table, proto):
        """A target of another table (or hook)."""
        others = [t for t in BUILTINS if t != table]
        t = self.rng.choice(others)
        hook = self.rng.choice(BUILTINS[t])
        return self.target_of(t, hook, proto)

    # ---------------------------------------------------------- rules
    def rule(self, table, chain, hook, users, may_loop_to):
        r = self.rng
        match, proto = self.m.match(hook, table)
        k = r.random()
        if users and k < 0.3:
            return "%s %s %s" % (match, r.choice(["-j", "-j", "-g"]),
                                 r.choice(users)), proto
        if k < 0.32:
            tgt = self.wrong_target(table, proto)
            self.notes.append("wrong-table-or-hook target")
        else:
            tgt = self.target_of(table, hook or r.choice(BUILTINS[table]),
                                 proto)
        return ("%s %s" % (match, tgt)).strip(), proto

    def defects(self, table, lines, users):
        """Mistakes the kernel refuses, one or two now and then."""
        r = self.rng
        if not self.chance(0.15):
            return
        kinds = ["undefined", "builtin-jump", "o-in-input", "i-in-output",
                 "owner-in-input", "drop-in-nat", "duplicate-chain",
                 "user-policy", "bad-policy", "rule-in-undeclared",
                 "loop", "deep", "self-jump", "mark-in-filter",
                 "unreachable-loop"]
        for _ in range(r.choice([1, 1, 1, 2])):
            d = r.choice(kinds)
            self.notes.append(d)
            b = BUILTINS[table]
            if d == "undefined":
                lines.append("-A %s -p tcp -j NOSUCH" % r.choice(b))
            elif d == "builtin-jump":
                lines.append("-A %s -j %s" % (r.choice(b), r.choice(b)))
            elif d == "o-in-input" and ("INPUT" in b or "PREROUTING" in b):
                lines.append("-A %s -o eth0 -j ACCEPT" % r.choice(
                    [h for h in ("INPUT", "PREROUTING") if h in b]))
            elif d == "i-in-output" and "OUTPUT" in b:
                lines.append("-A OUTPUT -i eth0 -j ACCEPT")
            elif d == "owner-in-input" and "INPUT" in b:
                lines.append("-A INPUT -m owner --uid-owner 0 -j ACCEPT")
            elif d == "drop-in-nat" and table == "nat":
                lines.append("-A PREROUTING -p udp -j DROP")
            elif d == "duplicate-chain" and users:
                lines.insert(1 + len(b), ":%s - [0:0]" % r.choice(users))
            elif d == "user-policy" and users:
                u = r.choice(users)
                i = next(k for k, x in enumerate(lines)
                         if x.startswith(":%s " % u))
                lines[i] = ":%s DROP [0:0]" % u
            elif d == "bad-policy":
                i = 1 + r.randrange(len(b))
                lines[i] = lines[i].replace(" ACCEPT ", " RETURN ") \
                    .replace(" DROP ", " RETURN ")
            elif d == "rule-in-undeclared":
                lines.append("-A undeclared_%s -j RETURN" % table)
            elif d == "loop" and users:
                a = r.choice(users)
                lines.append("-A %s -j %s" % (r.choice(b), a))
                lines.append("-A %s -p udp -j %s" % (a, a))
            elif d == "self-jump" and users:
                u = r.choice(users)
                lines.append("-A %s -g %s" % (u, u))
            elif d == "unreachable-loop":
                lines.insert(1 + len(b), ":orphan_a - [0:0]")
                lines.insert(1 + len(b), ":orphan_b - [0:0]")
                lines += ["-A orphan_a -j orphan_b", "-A orphan_b -j orphan_a"]
            elif d == "deep":
                n = r.choice([14, 15, 16, 17, 20])
                names = ["deep%02d" % i for i in range(n)]
                for nm in reversed(names):
                    lines.insert(1 + len(b), ":%s - [0:0]" % nm)
                lines.append("-A %s -p tcp -j %s" % (r.choice(b), names[0]))
                lines += ["-A %s -%s %s" % (names[i], r.choice("jg"),
                                            names[i + 1])
                          for i in range(n - 1)]
                lines.append("-A %s -j RETURN" % names[-1])
            elif d == "mark-in-filter":
                lines.append("-A %s -j MARK --set-mark 1" % r.choice(b))

    def table(self, name):
        r = self.rng
        b = BUILTINS[name]
        users = ["%s_u%d" % (name, i) for i in range(r.randint(0, 5))]
        lines = ["*" + name]
        for c in b:
            pol = "DROP" if self.chance(0.12) else "ACCEPT"
            lines.append(":%s %s [0:0]" % (c, pol))
        lines += [":%s - [0:0]" % u for u in users]
        for c in b:
            for _ in range(r.randint(0, 3)):
                lines.append("-A %s %s" % (
                    c, self.rule(name, c, c, users, False)[0]))
        for i, u in enumerate(users):
            # Mostly to later chains (no cycle); now and then anywhere.
            later = users[i + 1:] if not self.chance(0.06) else users
            for _ in range(r.randint(0, 3)):
                lines.append("-A %s %s" % (
                    u, self.rule(name, u, None, later, True)[0]))
        self.defects(name, lines, users)
        lines.append("COMMIT")
        return [" ".join(x.split()) for x in lines]

    def ruleset(self):
        r = self.rng
        names = [t for t in ("raw", "mangle", "nat", "filter")
                 if self.chance(0.6)] or [r.choice(list(BUILTINS))]
        lines = []
        for t in names:
            lines += self.table(t)
        return "\n".join(lines) + "\n"


# ------------------------------------------------------------- judging

def lint(iptlint, text, backend):
    return kernlib.iptlint_json(iptlint, "-", ["--backend=" + backend],
                                data=text.encode())


def verdicts(text):
    data = text.encode()
    out = {}
    for b in BACKENDS:
        rc, err = kernlib.load_fresh(data, b, 4, "de")
        out[b] = (rc, restore_bisect.first_line(err))
    return out


def disagreements(iptlint, text, verdict=None):
    """[(backend, problem)] of iptlint --backend=X against X's load, and
    ("any", problem) of plain iptlint against both (an error needs a
    refusal, a backend its message says refuses or accepts must)."""
    verdict = verdict or verdicts(text)
    res = kernel_checks.Result(None, "ruleset")
    res.verdict = verdict
    out = []
    for b in BACKENDS:
        before = len(res.problems)
        kernel_checks.judge_backend(res, b, lint(iptlint, text, b))
        out += [(b, p) for p in res.problems[before:]]
    # A claim like "iptables-nft accepts it" is about that one mistake:
    # with several in the file, only whether there is an error counts.
    any_res = kernel_checks.Result(None, "ruleset")
    any_res.verdict = verdict
    any_res.diags = lint(iptlint, text, "any")
    errors = [d for d in any_res.diags if d["severity"] == "error"]
    if len(errors) > 1:
        for d in errors:
            d["message"] = ""
    kernel_checks.judge(any_res, None)
    out += [("any", p) for p in any_res.problems]
    return out, verdict


def kind_of(problems):
    """What a disagreement is, to keep while shrinking the ruleset."""
    return sorted({(b, "iptlint-only" if "loads the file" in p
                    else "kernel-only") for b, p in problems})


def minimize(iptlint, text, kinds):
    """Drop rule and declaration lines while the same disagreement stays."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("*") or ln == "COMMIT":
            i += 1
            continue
        trial = "\n".join(lines[:i] + lines[i + 1:]) + "\n"
        probs, _ = disagreements(iptlint, trial)
        if probs and kind_of(probs) == kinds:
            lines = lines[:i] + lines[i + 1:]
        else:
            i += 1
    # Then tables left empty.
    i = 0
    while i + 1 < len(lines):
        if lines[i].startswith("*") and lines[i + 1] == "COMMIT":
            trial = "\n".join(lines[:i] + lines[i + 2:]) + "\n"
            probs, _ = disagreements(iptlint, trial)
            if probs and kind_of(probs) == kinds:
                lines = lines[:i] + lines[i + 2:]
                continue
        i += 1
    return "\n".join(lines) + "\n"


def describe(iptlint, text, verdict):
    """What each side says, for the report."""
    out = []
    for b in BACKENDS:
        errs = [d for d in lint(iptlint, text, b) if d["severity"] == "error"]
        if errs:
            for d in errs:
                out.append("iptlint --backend=%s: line %d: %s [%s]" % (
                    b, d["line"], d["message"], d["check"]))
        else:
            out.append("iptlint --backend=%s: no error" % b)
        rc, msg = verdict[b]
        if rc == 0:
            out.append("iptables-%s-restore: loads it" % b)
        else:
            v = restore_bisect.Verdict(b)
            v.rc, v.message = rc, msg
            restore_bisect.bisect(text, text.encode(),
                                  restore_bisect.Loader(b, 4, True), v)
            out.append("iptables-%s-restore: refuses it (%s); culprit: %s" % (
                b, msg, "line %d: %s" % v.culprit if v.culprit else v.how))
    return out


def run_seed(iptlint, seed):
    gen = ErrGen(seed)
    text = gen.ruleset()
    probs, verdict = disagreements(iptlint, text)
    return seed, text, gen.notes, probs, verdict


def main():
    ap = kernlib.arg_parser(__doc__, seeds=DEFAULT_SEEDS)
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="seeds at a time (default 2)")
    ap.add_argument("--show", type=int, metavar="SEED",
                    help="print the ruleset of SEED and exit")
    ap.add_argument("--minimize", action="store_true",
                    help="shrink each disagreeing ruleset before printing")
    ap.add_argument("--keep-going", action="store_true",
                    help="run every seed even after a disagreement")
    opts = ap.parse_args()
    if opts.show is not None:
        g = ErrGen(opts.show)
        sys.stdout.write(g.ruleset())
        if g.notes:
            print("# put in on purpose: " + ", ".join(g.notes))
        return 0
    if not opts.iptlint:
        ap.error("--iptlint is required")
    kernlib.require(legacy=True, nft=True)
    kernlib.install_signal_handlers()
    iptlint = os.path.abspath(opts.iptlint)
    t0 = time.time()
    seeds = range(opts.start, opts.start + opts.seeds)
    stats = {"refused": {b: 0 for b in BACKENDS}, "flagged": 0, "n": 0}
    failed = []
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        for seed, text, notes, probs, verdict in pool.map(
                lambda s: run_seed(iptlint, s), seeds):
            stats["n"] += 1
            for b in BACKENDS:
                stats["refused"][b] += verdict[b][0] != 0
            if not probs:
                continue
            failed.append(seed)
            if failed and len(failed) > 1 and not opts.keep_going:
                continue
            kinds = kind_of(probs)
            print("FAIL seed %d (%s):" % (seed, ", ".join(
                "%s %s" % k for k in kinds)))
            for b, p in probs:
                print("  - %s" % p)
            if opts.minimize:
                text = minimize(iptlint, text, kinds)
                verdict = verdicts(text)
            print("  %sruleset (tests/diff_errors.py --show %d%s):" % (
                "minimized " if opts.minimize else "", seed,
                " gives the whole one" if opts.minimize else ""))
            for n, line in enumerate(text.splitlines(), 1):
                print("  %3d  %s" % (n, line))
            for d in describe(iptlint, text, verdict):
                print("  " + d)
            sys.stdout.flush()
    print("diff_errors: seeds %d..%d: %d rulesets, refused by legacy %d, "
          "by nft %d; %.0f s" % (opts.start, opts.start + opts.seeds - 1,
                                 stats["n"], stats["refused"]["legacy"],
                                 stats["refused"]["nft"], time.time() - t0))
    if failed:
        print("diff_errors: %d disagreeing seeds: %s" % (
            len(failed), " ".join(map(str, failed))))
        return 1
    print("diff_errors: iptlint's errors and the kernel's refusals agree "
          "on every seed, both backends")
    return 0


if __name__ == "__main__":
    sys.exit(main())
