#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The mark checks against real traffic (needs root).

Every example of the mark checks (testdata/checks/<mark check>/*.rules),
and any other example or FILE given with a mark finding, is loaded into
the "dut" namespace of a kernlib.Lab (veth pairs to a "peer" namespace,
named after the interfaces the rules use); packets that exercise every
rule are sent (kerntraffic.plan: flows of several packets with their
replies, so conntrack state and ctmark carry over, plus single packets
and a random spray), and the counters of iptables-save -c are read back.

- Soundness, every file: a rule that mark-never-matches,
  mark-match-confusion or connmark-untracked (for -m connmark) says can
  never match must have counted 0 packets.
- Proof, every file that has one: a comment line
      # kernel: L12=0 L9>0 L15=L13 L15<L14
  lists relations between the counters of the rules on those lines (a
  bad example shows its bug this way: "the -m mark rule counts 0" or
  "it counts exactly the first packets"); each must hold.
- A bad-* example of a mark check must have a finding of its check.

Runs with iptables-legacy and iptables-nft (--backend to pick one).
IPv6 files are skipped (the lab is IPv4).

    sudo tests/kernel_marks.py --iptlint build/tools/iptlint [-v] [FILE...]

Exit status: 0, 1 on a disagreement, 77 skipped.
"""
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402
import kerntraffic  # noqa: E402

MARK_CHECKS = {
    "restore-overwrites-mark", "missing-save-mark", "restore-without-save",
    "mark-match-confusion", "mark-never-matches", "mark-clobber",
    "connmark-untracked", "mark-in-nat",
}
NEVER_CHECKS = {"mark-never-matches", "mark-match-confusion"}
PROOF_RE = re.compile(r"^#\s*kernel:\s*(.*)$", re.M)
TERM_RE = re.compile(r"^L(\d+)(=|<|>)(L?)(\d+)$")


def proofs(text):
    """[(line, op, rhs_is_line, rhs)] from the "# kernel:" comments."""
    out = []
    for m in PROOF_RE.finditer(text):
        for term in m.group(1).split():
            t = TERM_RE.match(term)
            if not t:
                raise ValueError("bad proof term %r" % term)
            out.append((int(t.group(1)), t.group(2), bool(t.group(3)),
                        int(t.group(4))))
    return out


def holds(a, op, b):
    return a == b if op == "=" else a < b if op == "<" else a > b


def examine(path, root, iptlint, backend, seed):
    rel = os.path.relpath(path, root)
    text = path.read_text(errors="replace")
    args = kernlib.iptlint_args(text)
    out = {"rel": rel, "backend": backend, "problems": [], "info": [],
           "status": "ok", "sent": 0}
    diags = kernlib.iptlint_json(iptlint, rel, args, cwd=root)
    findings = [d for d in diags if d["check"] in MARK_CHECKS]
    check_dir = Path(rel).parent.name
    in_dir = check_dir in MARK_CHECKS
    terms = proofs(text)
    if not findings and not in_dir and not terms:
        return None
    if kernlib.family_of(text, args) == 6:
        out["status"] = "skip (IPv6: the lab is IPv4)"
        return out
    refs = kernlib.rule_lines(text)
    refused, count, out["sent"] = kerntraffic.exercise(
        text, backend, "%s:%d" % (rel, seed), "km", per_rule=6, spray=60)
    if refused:
        out["status"] = "skip (%s)" % refused
        return out

    flagged = []
    for d in findings:
        never = d["check"] in NEVER_CHECKS or (
            d["check"] == "connmark-untracked" and
            d["message"].startswith("-m connmark"))
        if not never:
            continue
        n = count(d["line"])
        flagged.append(d["line"])
        r = refs.get(d["line"])
        if r is not None and re.search(r"(^|\s)(-c|--set-counters)\s", r.text):
            # "-c P B" loads a counter: it is not a packet we sent.
            out["info"].append("line %d: sets its own counters, not checked"
                               % d["line"])
            continue
        if n is None:
            out["problems"].append("line %d: no counter found" % d["line"])
        elif n:
            out["problems"].append(
                "line %d: iptlint says it never matches [%s], the kernel "
                "counted %d packet(s)" % (d["line"], d["check"], n))
    for line, op, is_line, rhs in terms:
        a = count(line)
        b = count(rhs) if is_line else rhs
        term = "L%d%s%s%d" % (line, op, "L" if is_line else "", rhs)
        if a is None or b is None:
            out["problems"].append("%s: no counter for that line" % term)
        elif not holds(a, op, b):
            out["problems"].append("%s does not hold: %d vs %d" % (term, a, b))
    if in_dir and Path(rel).name.startswith("bad-") and \
            not any(d["check"] == check_dir for d in findings):
        out["problems"].append("bad example without a %s finding" % check_dir)
    out["flagged"] = flagged
    out["proofs"] = len(terms)
    out["counts"] = {ln: count(ln) for ln in sorted(refs)}
    return out


def main():
    opts, root, iptlint = kernlib.example_args(__doc__, kernlib.backend_args)
    backends = ("legacy", "nft") if opts.backend == "both" else \
        (opts.backend,)
    kernlib.require(legacy="legacy" in backends, nft="nft" in backends)
    kernlib.install_signal_handlers()
    files = opts.files or \
        sorted(root.glob("testdata/checks/*/*.rules"))

    fails = done = sent = proved = 0
    for path in files:
        for b in backends:
            try:
                r = examine(path, root, iptlint, b, opts.seed)
            except Exception as e:
                r = {"rel": os.path.relpath(path, root), "backend": b,
                     "problems": ["%s: %s" % (type(e).__name__, e)],
                     "info": [], "status": "error", "sent": 0}
            if r is None:
                continue
            done += 1
            sent += r["sent"]
            if r["problems"]:
                verdict = "FAIL"
                fails += 1
            else:
                verdict = r["status"]
                if r["status"] == "ok":
                    proved += r.get("proofs", 0)
            print("%-62s %-6s %5d pkts  never: %-8s proofs: %-2d %s" % (
                r["rel"], b, r["sent"],
                ",".join(map(str, r.get("flagged", []))) or "-",
                r.get("proofs", 0), verdict))
            for p in r["problems"]:
                print("    - " + p)
            if opts.verbose and "counts" in r:
                print("    counters: " + ", ".join(
                    "%d:%s" % kv for kv in r["counts"].items()))
    print("kernel_marks: %d runs (files x backends), %d packets sent, "
          "%d counter relations proved, %d disagree" % (done, sent, proved,
                                                        fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
