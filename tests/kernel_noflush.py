#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--noflush against the real iptables-restore (needs root).

Each testdata/noflush/<case>/ is loaded for real, with
iptables-legacy-restore and iptables-nft-restore (ip6tables-* for IPv6
files), two ways, each in a fresh network namespace:

- as one ruleset: the files one after the other with --noflush, as ufw
  and firewalld do; iptlint --noflush --backend=B must report an error in
  a file if and only if restoring that file fails;
- as separate rulesets: each file in a namespace of its own; iptlint
  without --noflush likewise, file by file.

    sudo tests/kernel_noflush.py --iptlint build/tools/iptlint

Exit status: 0 all agree, 1 a disagreement, 77 skipped (not root, no
'ip netns', no iptables-legacy-restore).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# kernlib, kerntraffic: shared with tools/oracle/iptlint-oracle
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" /
                       "oracle"))
import kernlib  # noqa: E402


def restore(ns, path, backend, noflush):
    text = path.read_text()
    cmd = ["ip", "netns", "exec", ns,
           kernlib.restore_cmd(backend, kernlib.family_of(text))]
    if noflush:
        cmd.append("--noflush")
    p = subprocess.run(cmd, input=text.encode(), capture_output=True,
                       timeout=120)
    return p.returncode == 0, p.stderr.decode("utf-8", "replace").strip()


def iptlint_errors(iptlint, root, files, backend, noflush):
    """{file: [error messages]} as iptlint reports them."""
    cmd = [iptlint, "--no-config", "--format=json", "--fail-on=never",
           "--backend=" + backend] + (["--noflush"] if noflush else []) + \
        [str(f.relative_to(root)) for f in files]
    p = subprocess.run(cmd, cwd=root, capture_output=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("iptlint exited %d: %s" % (p.returncode, p.stderr))
    out = {}
    for d in json.loads(p.stdout)["diagnostics"]:
        if d["severity"] == "error":
            out.setdefault(d["file"], []).append(d["message"])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iptlint", required=True)
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent)
    opts = ap.parse_args()
    kernlib.require(legacy=True)
    kernlib.install_signal_handlers()
    iptlint = os.path.abspath(opts.iptlint)
    root = opts.source_root.resolve()
    backends = [b for b in ("legacy", "nft")
                if shutil.which("iptables-%s-restore" % b)]
    cases = sorted(d for d in (root / "testdata" / "noflush").iterdir()
                   if d.is_dir())
    agree = disagree = 0
    for case in cases:
        files = sorted(case.glob("*.rules"))
        for backend in backends:
            for noflush in (True, False):
                errors = iptlint_errors(iptlint, root, files, backend, noflush)
                loaded = {}
                if noflush:
                    with kernlib.netns_scope("nf") as ns:
                        for f in files:
                            loaded[f] = restore(ns, f, backend, True)
                else:
                    for f in files:
                        with kernlib.netns_scope("sep") as ns:
                            loaded[f] = restore(ns, f, backend, False)
                for f in files:
                    ok, why = loaded[f]
                    said = errors.get(str(f.relative_to(root)), [])
                    if ok == (not said):
                        agree += 1
                        continue
                    disagree += 1
                    print("DISAGREE: %s %s %s: kernel %s, iptlint %s" % (
                        f.relative_to(root), backend,
                        "--noflush" if noflush else "alone",
                        "loads it" if ok else "refuses it (%s)" % why,
                        "; ".join(said) if said else "reports no error"))
    print("kernel_noflush: %d passed, %d failed" % (agree, disagree))
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
