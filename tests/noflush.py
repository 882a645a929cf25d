#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Several files as one ruleset (--noflush) or as separate ones: golden
output of each testdata/noflush/<case>/ directory.

A case is the *.rules files of its directory, linted in name order:

    iptlint --format=gcc --fail-on=never [--noflush] <case>/*.rules

from the source root; the output must equal <case>/noflush.expected (with
--noflush) and <case>/separate.expected (without). Every location must be
a line of the file it names, and the text format (excerpts from each
file) must run too.

    tests/noflush.py --iptlint build/tools/iptlint            # check
    tests/noflush.py --iptlint build/tools/iptlint --update   # rewrite
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

LOC_RE = re.compile(r"^(.+?):(\d+):(\d+): ")


def run(iptlint, root, args):
    p = subprocess.run([iptlint, "--no-config"] + args, cwd=root,
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iptlint", required=True)
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--update", action="store_true")
    opts = ap.parse_args()
    iptlint = os.path.abspath(opts.iptlint)
    root = opts.source_root.resolve()
    cases = sorted(d for d in (root / "testdata" / "noflush").iterdir()
                   if d.is_dir())
    failures = []
    checked = 0
    for case in cases:
        files = [str(f.relative_to(root)) for f in sorted(case.glob("*.rules"))]
        if len(files) < 2:
            failures.append("%s: a case needs two files or more" % case.name)
            continue
        for mode, extra in (("noflush", ["--noflush"]), ("separate", [])):
            rc, out, err = run(iptlint, root, ["--format=gcc", "--fail-on=never"]
                               + extra + files)
            exp = case / (mode + ".expected")
            name = "%s (%s)" % (case.name, mode)
            if rc != 0:
                failures.append("%s: exited %d: %s" % (name, rc, err.strip()))
                continue
            for line in out.splitlines():
                m = LOC_RE.match(line)
                if not m or m.group(1) not in files:
                    failures.append("%s: not a location in the case's files: %s"
                                    % (name, line))
                    continue
                nlines = len((root / m.group(1)).read_text().splitlines())
                if not 1 <= int(m.group(2)) <= nlines:
                    failures.append("%s: no line %s in %s" % (
                        name, m.group(2), m.group(1)))
            rc, text, err = run(iptlint, root, ["--fail-on=never"] + extra +
                                files)
            if rc != 0:
                failures.append("%s: text format exited %d" % (name, rc))
            if opts.update:
                if not exp.exists() or exp.read_text() != out:
                    exp.write_text(out)
                    print("updated %s" % exp.relative_to(root))
                continue
            checked += 1
            want = exp.read_text() if exp.exists() else ""
            if want != out:
                diff = difflib.unified_diff(
                    want.splitlines(True), out.splitlines(True),
                    fromfile=str(exp.relative_to(root)), tofile="iptlint")
                failures.append("%s: output differs\n%s" % (
                    name, "".join(diff).rstrip("\n")))
    for f in failures:
        print("FAIL: " + f)
    print("noflush: %d passed, %d failed" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
