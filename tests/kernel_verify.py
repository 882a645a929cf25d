#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check the golden examples against the real iptables (needs root).

Each file is loaded for real (not --test: the kernel's checkentry only runs
on commit) into a throwaway network namespace, so the host's rules are
never touched. The severity of a check (rules/checks.def) says what its
examples must do:

- bad-*.rules of an error check: refused by iptables-legacy-restore or
  iptables-nft-restore (ip6tables-* for IPv6 files): iptlint's default
  backend reports what either refuses;
- bad-*.rules of a warning check: loads with both backends (the rules load
  but do not do what they say);
- bad-*.rules of a note check: no requirement;
- good-*.rules: loads with both the legacy and the nft backend.

A "# iptlint-args: --backend=nft" (or legacy) first line narrows this to
that backend: the bad example must be refused by it, the good one must
load with it.

testdata/examples/rules.v6 must load with both backends; rules.v4 must be
refused as it is (it has a typo'd option for the README demo) and load
once the typo is fixed.

Not part of `meson test` (it needs root and iptables); run it by hand when
adding or changing examples:

    sudo tests/kernel_verify.py            # all of testdata/checks
    sudo tests/kernel_verify.py FILE...    # some files (expect bad-/good-)
"""
import argparse
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS_RE = re.compile(r"^# iptlint-args:(.*)$")

CHECK_RE = re.compile(r'^CHECK\(\s*\w+\s*,\s*"([a-z0-9-]+)"\s*,\s*SEV_(\w+)',
                      re.M)
# testdata/examples: (file, must load as is, (typo, fix) that makes it load)
EXAMPLES = [
    ("testdata/examples/rules.v4", False, (b"--dprot", b"--dport")),
    ("testdata/examples/rules.v6", True, None),
]


def severities():
    text = (ROOT / "rules" / "checks.def").read_text()
    return {m.group(1): m.group(2).lower() for m in CHECK_RE.finditer(text)}


def iptlint_args(path):
    with open(path, "rb") as f:
        first = f.readline().decode("utf-8", "replace").rstrip("\r\n")
    m = ARGS_RE.match(first)
    return m.group(1).split() if m else []


def family(path):
    args = iptlint_args(path)
    if "-6" in args or "--family=6" in args:
        return 6
    name = path.name
    if any(s in name for s in (".v6", "ip6", "ipv6", "rules6")):
        return 6
    return 4


def load(path, backend, fam, data=None):
    """Load @path (or @data) in a fresh namespace: (exit status, stderr)."""
    prog = ("ip6tables" if fam == 6 else "iptables") + "-%s-restore" % backend
    ns = "iptlint-kv-" + uuid.uuid4().hex[:8]
    if data is None:
        data = path.read_bytes()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        # -c: counters in the file are parsed and must be well-formed.
        p = subprocess.run(["ip", "netns", "exec", ns, prog, "-c"],
                           input=data, capture_output=True, timeout=60)
        return p.returncode, p.stderr.decode("utf-8", "replace").strip()
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=True)


def verify_examples(verbose):
    bad = 0
    for rel, loads, fix in EXAMPLES:
        path = ROOT / rel
        if not path.exists():
            continue
        fam = 6 if rel.endswith("6") else 4
        res = [load(path, b, fam) for b in ("legacy", "nft")]
        ok = all(rc == 0 for rc, _ in res) if loads else \
            all(rc != 0 for rc, _ in res)
        if fix:
            fixed = path.read_bytes().replace(*fix)
            res += [load(path, b, fam, fixed) for b in ("legacy", "nft")]
            ok = ok and all(rc == 0 for rc, _ in res[2:])
        if not ok or verbose:
            print("%s %s: %s" % ("ok  " if ok else "FAIL", rel,
                                 " ".join(str(rc) for rc, _ in res)))
        bad += not ok
    return bad


def backend(path):
    for a in iptlint_args(path):
        if a.startswith("--backend="):
            return a.split("=", 1)[1]
    return "any"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    if os.geteuid() != 0:
        print("kernel_verify: needs root (ip netns)", file=sys.stderr)
        return 77
    sev = severities()
    files = opts.files or sorted((ROOT / "testdata" / "checks").rglob("*.rules"))
    bad = 0 if opts.files else verify_examples(opts.verbose)
    for path in files:
        path = path.resolve()
        kind = path.name.split("-", 1)[0]
        check = path.parent.name
        fam = family(path)
        rc_l, err_l = load(path, "legacy", fam)
        rc_n, err_n = load(path, "nft", fam)
        rel = os.path.relpath(path, ROOT)
        be = backend(path)
        refused = {"legacy": rc_l != 0, "nft": rc_n != 0,
                   "any": rc_l != 0 or rc_n != 0}[be]
        loads = {"legacy": rc_l == 0, "nft": rc_n == 0,
                 "any": rc_l == 0 and rc_n == 0}[be]
        if kind == "bad" and sev.get(check) == "error":
            ok = refused
        elif kind == "bad" and sev.get(check) == "warning":
            ok = loads
        elif kind == "good":
            ok = loads
        else:
            ok = True
        status = "ok  " if ok else "FAIL"
        if not ok or opts.verbose:
            print("%s %s (IPv%d) legacy=%d nft=%d" % (status, rel, fam,
                                                       rc_l, rc_n))
            for e in (err_l, err_n):
                if e:
                    print("     " + e.splitlines()[0])
        bad += not ok
    print("kernel_verify: %d files, %d unexpected verdicts" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
