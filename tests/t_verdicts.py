#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Acceptance test: iptlint against the kernel-verified verdicts of
iptables' own .t rule cases (T-VERDICTS.tsv in the shared corpus).

Each case (one rule of an iptables extensions/*.t file, tried in a real
restore file in one table and chain, with the verdict of
iptables-legacy-restore and iptables-nft-restore on a real kernel) is
written as its own "*table / -A CHAIN rule / COMMIT" block; all blocks of
one family go into one file and iptlint runs once per file.

  (i)  cases both backends accept: at most MAX_FALSE_ERRORS of them may
       get an error-severity diagnostic;
  (ii) cases both backends refuse, for the extensions iptlint models in
       full (LISTED), except refusals caused by a kernel module missing on
       the machine that made the verdicts: at least MIN_CAUGHT of them must
       get an error (of any check).

Usage: t_verdicts.py IPTLINT [--verbose]
The corpus is read from $IPTLINT_SHARED (default: ../shared next to the
source tree); when it is absent the test is skipped (exit 77).
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

MAX_FALSE_ERRORS = 0.01
MIN_CAUGHT = 0.90
SKIP = 77

LISTED = set("""
tcp udp icmp icmp6 multiport conntrack state mark connmark comment limit
hashlimit recent set addrtype owner mac iprange length pkttype physdev policy
statistic string u32 socket rpfilter tcpmss helper time ttl hl dscp tos
ACCEPT DROP REJECT RETURN QUEUE NFQUEUE LOG NFLOG TRACE NOTRACK CT MARK
CONNMARK DNAT SNAT MASQUERADE REDIRECT NETMAP TPROXY CLASSIFY TCPMSS TTL HL
DSCP TOS CHECKSUM SET AUDIT SECMARK CONNSECMARK standard
""".split())

MISSING_MODULE = "not supported, missing kernel module"


def shared_dir():
    env = os.environ.get("IPTLINT_SHARED")
    if env:
        return env
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(os.path.dirname(src), "shared")


def extension_of(tfile):
    """libxt_conntrack.t -> conntrack; iptables.t -> standard."""
    name = tfile[:-2] if tfile.endswith(".t") else tfile
    for prefix in ("libxt_", "libipt_", "libip6t_", "libarpt_", "libebt_"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return "standard"


def read_cases(path):
    cases = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        rd = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rd)
        col = {name: i for i, name in enumerate(header)}
        for row in rd:
            if len(row) < len(header) - 1:
                continue
            row += [""] * (len(header) - len(row))
            cases.append({
                "tfile": row[col["tfile"]],
                "line": row[col["line"]],
                "family": row[col["family"]],
                "table": row[col["table"]],
                "chain": row[col["chain"]],
                "rule": row[col["rule"]],
                "legacy_ok": row[col["legacy_ok"]] == "1",
                "nft_ok": row[col["nft_ok"]] == "1",
                "legacy_err": row[col["legacy_err"]],
                "errors": [],
            })
    return cases


def run_family(iptlint, family, cases, tmpdir):
    """Write one restore file for @cases and attach error messages."""
    path = os.path.join(tmpdir, "cases-v%s.rules" % family)
    line_case = {}
    lineno = 0
    with open(path, "w", encoding="utf-8") as f:
        for idx, c in enumerate(cases):
            for text in ("*" + c["table"],
                         "-A %s %s" % (c["chain"], c["rule"]),
                         "COMMIT"):
                lineno += 1
                line_case[lineno] = idx
                f.write(text + "\n")
    proc = subprocess.run([iptlint, "--format=json", "--fail-on=never",
                           "--family=%s" % family, path],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode(errors="replace"))
        raise SystemExit("iptlint failed with status %d" % proc.returncode)
    report = json.loads(proc.stdout.decode(errors="replace"))
    for d in report.get("diagnostics", []):
        if d.get("severity") != "error":
            continue
        idx = line_case.get(d.get("line"))
        if idx is None:
            continue
        cases[idx]["errors"].append("%s [%s]" % (d.get("message"),
                                                 d.get("check")))


def show(c):
    return "%s:%s v%s %s/%s: %s" % (c["tfile"], c["line"], c["family"],
                                   c["table"], c["chain"], c["rule"])


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: t_verdicts.py IPTLINT [--verbose]\n")
        return 2
    iptlint = argv[1]
    verbose = "--verbose" in argv[2:]
    tsv = os.path.join(shared_dir(), "corpus", "netfilter-iptables",
                       "T-VERDICTS.tsv")
    if not os.path.exists(tsv):
        print("SKIP: %s not found (set IPTLINT_SHARED)" % tsv)
        return SKIP
    cases = read_cases(tsv)
    by_family = defaultdict(list)
    for c in cases:
        by_family[c["family"]].append(c)
    with tempfile.TemporaryDirectory(prefix="iptlint-tv-") as tmp:
        for fam, group in sorted(by_family.items()):
            run_family(iptlint, fam, group, tmp)

    ok = [c for c in cases if c["legacy_ok"] and c["nft_ok"]]
    false_errors = [c for c in ok if c["errors"]]
    refused = [c for c in cases if not c["legacy_ok"] and not c["nft_ok"]
               and MISSING_MODULE not in c["legacy_err"]]
    listed = [c for c in refused if extension_of(c["tfile"]) in LISTED]
    unlisted = [c for c in refused if extension_of(c["tfile"]) not in LISTED]
    caught = [c for c in listed if c["errors"]]
    caught_un = [c for c in unlisted if c["errors"]]

    print("(i) accepted by both backends: %d cases, %d with an error (%.2f%%, limit %.0f%%)"
          % (len(ok), len(false_errors), pct(len(false_errors), len(ok)),
             100 * MAX_FALSE_ERRORS))
    for c in false_errors:
        print("  FALSE ERROR %s\n      -> %s" % (show(c), "; ".join(c["errors"])))

    print("(ii) refused by both, listed extensions: %d cases, %d caught (%.2f%%, need %.0f%%)"
          % (len(listed), len(caught), pct(len(caught), len(listed)),
             100 * MIN_CAUGHT))
    for c in listed:
        if not c["errors"]:
            print("  MISSED %s\n      kernel/iptables: %s"
                  % (show(c), c["legacy_err"][:160]))
    print("     (information) unlisted extensions: %d cases, %d caught (%.2f%%)"
          % (len(unlisted), len(caught_un), pct(len(caught_un), len(unlisted))))
    per_ext = defaultdict(lambda: [0, 0])
    for c in unlisted:
        per_ext[extension_of(c["tfile"])][0] += 1
        per_ext[extension_of(c["tfile"])][1] += bool(c["errors"])
    for ext, (n, k) in sorted(per_ext.items()):
        print("       %-12s %3d/%3d" % (ext, k, n))
    if verbose:
        for c in unlisted:
            if not c["errors"]:
                print("  MISSED (unlisted) %s\n      kernel/iptables: %s"
                      % (show(c), c["legacy_err"][:160]))

    good = (pct(len(false_errors), len(ok)) <= 100 * MAX_FALSE_ERRORS and
            pct(len(caught), len(listed)) >= 100 * MIN_CAUGHT)
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
