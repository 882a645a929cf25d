#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Golden tests of "iptlint trace": for each testdata/trace/NAME.rules,
NAME.args holds the rest of the command line and NAME.expected the
output. --update rewrites the .expected files (read them after)."""
import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iptlint", default=os.environ.get("IPTLINT"))
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--update", action="store_true")
    opts = ap.parse_args()
    root = opts.source_root.resolve()
    iptlint = os.path.abspath(opts.iptlint)
    fails = n = 0
    for rules in sorted((root / "testdata" / "trace").glob("*.rules")):
        if not rules.with_suffix(".args").exists():
            continue            # an input of diff_trace.py, not a case
        args = shlex.split(rules.with_suffix(".args").read_text())
        rel = os.path.relpath(rules, root)
        p = subprocess.run([iptlint, "trace", rel] + args, cwd=root,
                           capture_output=True, text=True, timeout=60)
        out = p.stdout + (p.stderr and "stderr: " + p.stderr)
        exp = rules.with_suffix(".expected")
        n += 1
        if p.returncode != 0:
            print("FAIL: %s: exit %d %s" % (rel, p.returncode, p.stderr))
            fails += 1
        elif opts.update:
            exp.write_text(out)
        elif not exp.exists() or exp.read_text() != out:
            print("FAIL: %s: output differs from %s" % (
                rel, os.path.relpath(exp, root)))
            fails += 1
    # A bad packet description is a usage error.
    p = subprocess.run([iptlint, "trace", "testdata/trace/dnat-flow.rules",
                        "--packet", "tcp 1.2.3.4 => 5.6.7.8"], cwd=root,
                       capture_output=True, text=True)
    if p.returncode != 2 or "--packet" not in p.stderr:
        print("FAIL: a bad --packet must exit 2 with a message, got %d %r"
              % (p.returncode, p.stderr))
        fails += 1
    print("trace_golden: %d cases, %d failures" % (n, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
