#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Suppressions written as rule comments survive a round trip through the
kernel (needs root).

Each testdata/suppress/*.rules file (and testdata/checks/bad-suppression/
good-*.rules) is loaded into a throwaway network namespace with
iptables-legacy-restore and iptables-nft-restore and dumped again with
iptables-save, which rewrites every line in its canonical form. For every
rule of the dump carrying `-m comment --comment "iptlint: disable=NAME"`:

- iptlint on the dump reports no NAME finding on that rule;
- iptlint on the same dump with that one comment neutralised reports a
  NAME finding there (so the suppression is what silences it), and the
  other findings on the rule are the same either way (it silences exactly
  the named check);
- the findings on every other line are the same as well.

    sudo tests/kernel_suppress.py --iptlint build/tools/iptlint

Exit status: 0, 1 on a disagreement, 77 skipped.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402

DIRECTIVE = re.compile(r'--comment "?iptlint: disable=([a-z0-9,-]+)"?')


def lint(iptlint, text, family):
    p = subprocess.run([iptlint, "--format=json", "--fail-on=never",
                        "-%d" % family, "-"], input=text,
                       capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):
        raise RuntimeError("iptlint exit %d: %s" % (p.returncode, p.stderr))
    return json.loads(p.stdout)["diagnostics"]


def by_line(diags):
    out = {}
    for d in diags:
        out.setdefault(d["line"], set()).add(d["check"])
    return out


def examine(path, root, iptlint, backend):
    rel = os.path.relpath(path, root)
    text = path.read_text()
    family = kernlib.family_of(text)
    problems, checked = [], 0
    with kernlib.netns_scope("ks") as ns:
        rc, err = kernlib.load(ns, text.encode(), backend, family,
                               counters=False)
        if rc != 0:
            return ["%s refuses the file: %s" % (backend, err.strip())], 0
        p = kernlib.run(["ip", "netns", "exec", ns,
                         kernlib.save_cmd(backend, family)])
        dump = p.stdout.decode() if isinstance(p.stdout, bytes) else p.stdout
    lines = dump.splitlines()
    found = by_line(lint(iptlint, dump, family))
    for n, line in enumerate(lines, 1):
        m = DIRECTIVE.search(line)
        if not m or not line.startswith("-A"):
            continue
        names = m.group(1).split(",")
        neutral = list(lines)
        neutral[n - 1] = line.replace("iptlint: disable=", "iptlint-test: ")
        plain = by_line(lint(iptlint, "\n".join(neutral) + "\n", family))
        for name in names:
            checked += 1
            if name in found.get(n, set()):
                problems.append("dump line %d: %s still reported: %s" %
                                (n, name, line))
            if name not in plain.get(n, set()):
                problems.append("dump line %d: without the comment there is "
                                "no %s finding to silence" % (n, name))
        if found.get(n, set()) != plain.get(n, set()) - set(names):
            problems.append("dump line %d: the comment silences %s, not just "
                            "%s" % (n, sorted(plain.get(n, set()) -
                                              found.get(n, set())), names))
        for ln in set(found) | set(plain):
            if ln != n and found.get(ln) != plain.get(ln):
                problems.append("dump line %d: the comment on line %d changes "
                                "its findings" % (ln, n))
    if not checked:
        problems.append("no rule-comment suppression in the dump of %s" % rel)
    return problems, checked


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iptlint", default=os.environ.get("IPTLINT"))
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent)
    ap.add_argument("files", nargs="*", type=Path)
    opts = ap.parse_args()
    kernlib.require(legacy=True, nft=True)
    kernlib.install_signal_handlers()
    root = opts.source_root.resolve()
    iptlint = os.path.abspath(opts.iptlint)
    files = [f.resolve() for f in opts.files] or \
        sorted(root.glob("testdata/suppress/*.rules")) + \
        sorted(root.glob("testdata/checks/bad-suppression/good-*.rules"))
    fails = total = 0
    for path in files:
        for b in ("legacy", "nft"):
            problems, n = examine(path, root, iptlint, b)
            total += n
            print("%-56s %-6s %d suppressions  %s" % (
                os.path.relpath(path, root), b, n,
                "FAIL" if problems else "ok"))
            for p in problems:
                print("    - " + p)
            fails += bool(problems)
    print("kernel_suppress: %d suppressions checked after iptables-save, "
          "%d files disagree" % (total, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
