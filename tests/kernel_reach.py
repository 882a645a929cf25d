#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""unreachable-rule against real traffic (needs root).

For each example that iptlint finds unreachable rules in (every file of
testdata/checks/unreachable-rule/, and any other example under
testdata/checks*/ with an unreachable-rule finding), the ruleset is
loaded into the "dut" namespace of a kernlib.Lab (veth pairs to a "peer"
namespace, named after the interfaces the rules use), packets that
exercise every rule are sent (kerntraffic.plan: for each rule, packets
that satisfy its tests; flows for ESTABLISHED and RELATED; a random spray
on top), and the counters of iptables-save -c are read back:

- every rule iptlint calls unreachable must have counted 0 packets
  (otherwise iptlint is wrong: FAIL);
- the rules its notes name as blockers must have counted packets
  (required for the bad-* examples of unreachable-rule: it shows the
  traffic did reach the chain; reported for the others);
- for good-* examples of unreachable-rule, the rules that counted nothing
  are listed (information).

Runs with iptables-legacy and iptables-nft (--backend to pick one).
Files in testdata/checks-pending/ or KNOWN-ISSUES.md are expected to
disagree (XFAIL). IPv6 files are skipped (the lab is IPv4).

    sudo tests/kernel_reach.py --iptlint build/tools/iptlint [-v] [FILE...]

Exit status: 0, 1 on a disagreement, 77 skipped.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402
import kerntraffic  # noqa: E402


def examine(path, root, iptlint, backend, seed, verbose, known_text):
    rel = os.path.relpath(path, root)
    text = path.read_text(errors="replace")
    args = kernlib.iptlint_args(text)
    out = {"rel": rel, "backend": backend, "problems": [], "info": [],
           "status": "ok", "sent": 0}
    known = rel in known_text or "checks-pending" in Path(rel).parts
    out["known"] = known
    diags = kernlib.iptlint_json(iptlint, rel, args, cwd=root)
    findings = [d for d in diags if d["check"] == "unreachable-rule"]
    in_dir = Path(rel).parent.name == "unreachable-rule"
    if not findings and not in_dir:
        return None
    if kernlib.family_of(text, args) == 6:
        out["status"] = "skip (IPv6: the lab is IPv4)"
        return out
    refs = kernlib.rule_lines(text)
    refused, count, out["sent"] = kerntraffic.exercise(
        text, backend, "%s:%d" % (rel, seed), "kr")
    if refused:
        out["status"] = "skip (%s)" % refused
        return out
    must_block = in_dir and Path(rel).name.startswith("bad-")
    flagged = []
    for d in findings:
        n = count(d["line"])
        flagged.append(d["line"])
        if n is None:
            out["problems"].append("line %d: no counter found" % d["line"])
        elif n:
            out["problems"].append(
                "line %d: iptlint says unreachable, the kernel counted %d "
                "packet(s) on it" % (d["line"], n))
        for note in d.get("notes", []):
            b = count(note["line"])
            if b == 0:
                msg = "line %d: blocker of line %d counted no packet " \
                      "(the traffic did not exercise it)" % (
                          note["line"], d["line"])
                (out["problems"] if must_block else out["info"]).append(msg)
    if in_dir and Path(rel).name.startswith("good-"):
        zero = [ln for ln in sorted(refs) if count(ln) == 0
                and ln not in flagged]
        if zero:
            out["info"].append("rules that counted nothing: lines %s" %
                               ", ".join(map(str, zero)))
    if in_dir and Path(rel).name.startswith("bad-") and not findings:
        out["info"].append("no unreachable-rule finding in a bad example")
    out["flagged"] = flagged
    out["counts"] = {ln: count(ln) for ln in sorted(refs)}
    return out


def main():
    opts, root, iptlint = kernlib.example_args(__doc__, kernlib.backend_args)
    backends = ("legacy", "nft") if opts.backend == "both" else \
        (opts.backend,)
    kernlib.require(legacy="legacy" in backends, nft="nft" in backends)
    kernlib.install_signal_handlers()
    files = opts.files or \
        sorted(root.glob("testdata/checks/*/*.rules")) + \
        sorted(root.glob("testdata/checks-pending/*/*.rules"))
    ki = root / "testdata" / "checks" / "KNOWN-ISSUES.md"
    known_text = ki.read_text() if ki.exists() else ""

    fails = xfails = done = sent = 0
    for path in files:
        for b in backends:
            try:
                r = examine(path, root, iptlint, b, opts.seed, opts.verbose,
                            known_text)
            except Exception as e:
                r = {"rel": os.path.relpath(path, root), "backend": b,
                     "problems": ["%s: %s" % (type(e).__name__, e)],
                     "info": [], "status": "error", "sent": 0,
                     "known": False}
            if r is None:
                continue
            done += 1
            sent += r["sent"]
            if r["problems"] and r["known"]:
                verdict = "XFAIL (known)"
                xfails += 1
            elif r["problems"]:
                verdict = "FAIL"
                fails += 1
            elif r["status"] != "ok":
                verdict = r["status"]
            elif r["known"]:
                verdict = "ok (listed as a known issue for another reason)"
            else:
                verdict = "ok"
            flagged = r.get("flagged", [])
            print("%-62s %-6s %5d pkts  unreachable: %-14s %s" % (
                r["rel"], b, r["sent"],
                ",".join(map(str, flagged)) or "-", verdict))
            for p in r["problems"]:
                print("    - " + p)
            for i in r["info"]:
                print("    . " + i)
            if opts.verbose and "counts" in r:
                print("    counters: " + ", ".join(
                    "%d:%s" % kv for kv in r["counts"].items()))
    print("kernel_reach: %d runs (files x backends), %d packets sent by us, "
          "%d disagree, %d known (xfail)" % (done, sent, fails, xfails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
