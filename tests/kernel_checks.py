#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""iptlint's error verdicts against the real iptables-restore (needs root).

Every example under testdata/checks/*/ (and testdata/checks-pending/*/) is
loaded for real, not with --test (the kernel's checkentry only runs on a
commit), with iptables-legacy-restore -c and iptables-nft-restore -c, each
into a fresh network namespace of its own (ip6tables-* for IPv6 files: a
"# iptlint-args: --family=6" first line or IPv6 addresses in the rules).
iptlint runs on the same file (--format=json plus the file's
iptlint-args), and the two must agree:

- iptlint reports an error  => at least one backend refuses the file, and
  a backend that an error message names as refusing it refuses it
  ("iptables-legacy-restore: ...", "... for iptables-legacy",
  "cannot be loaded by iptables-nft-restore"), while a backend the
  message says accepts it ("iptables-nft accepts it") loads it;
- no error                  => both backends load the file (only the
  backend of a "--backend=legacy|nft" iptlint-arg is asked then);
- and backend by backend: iptlint --backend=legacy reports an error if
  and only if iptables-legacy-restore refuses the file, the same for
  --backend=nft (files without a --backend iptlint-arg);
  warnings and notes are about rules that load. One exception: a file on
  which iptlint says it does not model a module (unknown-extension) may
  be refused, iptlint cannot know.

Files listed in testdata/checks/KNOWN-ISSUES.md and those under
testdata/checks-pending/ are cases iptlint gets wrong today: a
disagreement there is expected (XFAIL; many are listed for a wrong
message or a wrong unreachable-rule claim, and agree here). Any other
disagreement fails the test.

    sudo tests/kernel_checks.py --iptlint build/tools/iptlint [-v] [FILE...]

Exit status: 0 all agree, 1 a disagreement, 77 skipped (not root, no
'ip netns', no iptables-legacy-restore).
"""
import concurrent.futures
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402

BACKENDS = ("legacy", "nft")
MENTION_RE = re.compile(r"iptables-(legacy|nft)(?:-restore)?")


def backend_claims(message):
    """{backend: 'refuses'|'accepts'} from what an error message says."""
    claims = {}
    for clause in re.split(r"[;()]", message):
        for m in MENTION_RE.finditer(clause):
            b = m.group(1)
            accepts = re.search(r"\baccepts?\b|only checks builtin", clause)
            claims.setdefault(b, "accepts" if accepts else "refuses")
    return claims


class Result:
    def __init__(self, path, rel):
        self.path, self.rel = path, rel
        self.family = 4
        self.diags = []
        self.verdict = {}       # backend -> (rc, first stderr line)
        self.problems = []
        self.known = False
        self.error = None

    @property
    def worst(self):
        for sev in ("error", "warning", "note"):
            if any(d["severity"] == sev for d in self.diags):
                return sev
        return "-"

    def checks(self):
        seen = []
        for d in self.diags:
            if d["check"] not in seen:
                seen.append(d["check"])
        return seen


def judge(res, only_backend):
    errors = [d for d in res.diags if d["severity"] == "error"]
    loaded = {b: res.verdict[b][0] == 0 for b in res.verdict}
    asked = [only_backend] if only_backend else list(BACKENDS)
    if errors:
        if not any(not loaded[b] for b in asked):
            res.problems.append(
                "iptlint reports %d error(s) (first: %s:%d: %s [%s]) but %s "
                "load%s the file" % (len(errors), res.rel, errors[0]["line"],
                                     errors[0]["message"], errors[0]["check"],
                                     " and ".join(asked),
                                     "" if len(asked) > 1 else "s"))
        for d in errors:
            for b, claim in backend_claims(d["message"]).items():
                if b not in asked:
                    continue
                if claim == "refuses" and loaded[b]:
                    res.problems.append(
                        "line %d [%s] says iptables-%s refuses the file, "
                        "but it loads it" % (d["line"], d["check"], b))
                if claim == "accepts" and not loaded[b]:
                    res.problems.append(
                        "line %d [%s] says iptables-%s accepts the file, "
                        "but it refuses it: %s" % (d["line"], d["check"], b,
                                                   res.verdict[b][1]))
    else:
        unmodelled = any(d["check"] == "unknown-extension" for d in res.diags)
        for b in asked:
            if not loaded[b] and not unmodelled:
                res.problems.append(
                    "iptlint reports no error, but iptables-%s-restore "
                    "refuses the file: %s" % (b, res.verdict[b][1]))


def judge_backend(res, backend, diags):
    """iptlint --backend=@backend against that backend alone."""
    errors = [d for d in diags if d["severity"] == "error"]
    loaded = res.verdict[backend][0] == 0
    unmodelled = any(d["check"] == "unknown-extension" for d in diags)
    if errors and loaded:
        res.problems.append(
            "iptlint --backend=%s reports an error (line %d: %s [%s]), but "
            "iptables-%s-restore loads the file" % (
                backend, errors[0]["line"], errors[0]["message"],
                errors[0]["check"], backend))
    if not errors and not loaded and not unmodelled:
        res.problems.append(
            "iptlint --backend=%s reports no error, but iptables-%s-restore "
            "refuses the file: %s" % (backend, backend,
                                      res.verdict[backend][1]))


def examine(path, root, iptlint, known_text):
    rel = os.path.relpath(path, root)
    res = Result(path, rel)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8", "replace")
        args = kernlib.iptlint_args(text)
        res.family = kernlib.family_of(text, args)
        res.diags = kernlib.iptlint_json(iptlint, rel, args, cwd=root)
        only = None
        for a in args:
            if a.startswith("--backend="):
                only = a.split("=", 1)[1]
                if only not in BACKENDS:
                    only = None
        for b in BACKENDS:
            rc, err = kernlib.load_fresh(data, b, res.family, "kc")
            first = ""
            for line in err.splitlines():
                if line.strip():
                    first = line.strip()
                    break
            res.verdict[b] = (rc, first)
        judge(res, only)
        if only is None:
            for b in BACKENDS:
                judge_backend(res, b, kernlib.iptlint_json(
                    iptlint, rel, args + ["--backend=" + b], cwd=root))
    except Exception as e:  # report, do not stop the other files
        res.error = "%s: %s" % (type(e).__name__, e)
        res.problems.append(res.error)
    res.known = rel in known_text or "checks-pending" in Path(rel).parts
    return res


def main():
    def own_args(ap):
        ap.add_argument("-j", "--jobs", type=int, default=8)
        ap.add_argument("-v", "--verbose", action="store_true",
                        help="show iptables' messages")

    opts, root, iptlint = kernlib.example_args(__doc__, own_args)
    kernlib.require(legacy=True, nft=True)
    kernlib.install_signal_handlers()
    if opts.files:
        files = opts.files
    else:
        files = sorted(root.glob("testdata/checks/*/*.rules")) + \
            sorted(root.glob("testdata/checks-pending/*/*.rules"))
    ki = root / "testdata" / "checks" / "KNOWN-ISSUES.md"
    known_text = ki.read_text() if ki.exists() else ""

    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        results = list(pool.map(
            lambda p: examine(p, root, iptlint, known_text), files))

    width = max([len(r.rel) for r in results] + [10])
    print("%-*s  fam  %-7s  %-6s  %-6s  %s" % (
        width, "example", "iptlint", "legacy", "nft", "verdict"))
    fails = xfails = xpasses = 0
    for r in results:
        lv = r.verdict.get("legacy", ("?", ""))[0]
        nv = r.verdict.get("nft", ("?", ""))[0]
        fmt = lambda rc: "?" if rc == "?" else ("loads" if rc == 0 else
                                                "REFUSE")
        if r.problems and r.known:
            verdict, xfails = "XFAIL (known)", xfails + 1
        elif r.problems:
            verdict, fails = "FAIL", fails + 1
        elif r.known and "checks-pending" in Path(r.rel).parts:
            verdict, xpasses = "ok (pending for another reason)", \
                xpasses + 1
        elif r.known:
            verdict = "ok (KNOWN-ISSUES.md lists it for another reason)"
        else:
            verdict = "ok"
        print("%-*s  v%d   %-7s  %-6s  %-6s  %s  %s" % (
            width, r.rel, r.family, r.worst, fmt(lv), fmt(nv), verdict,
            ",".join(r.checks())))
        for p in r.problems:
            print("%*s  - %s" % (width, "", p))
        if opts.verbose:
            for b in BACKENDS:
                if b in r.verdict and r.verdict[b][1]:
                    print("%*s    %s: %s" % (width, "", b, r.verdict[b][1]))
    print("kernel_checks: %d examples, %d agree, %d disagree, %d known "
          "disagreements (xfail; %d pending examples agree here)" % (
              len(results), len(results) - fails - xfails, fails, xfails,
              xpasses))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
