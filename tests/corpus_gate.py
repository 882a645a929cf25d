#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Corpus gate: iptlint over every file of the shared ruleset corpus.

The corpus is $IPTLINT_SHARED/corpus (default: ../shared/corpus next to the
source root); without it the test is skipped (exit 77). Every file in the
corpus tree is linted (the family from KERNEL-VERDICTS.tsv where it is
listed), and:

- iptlint must not die of a signal, and must exit with 0, 1 or 2;
- a file the kernel accepted with both backends (legacy_ok=1, nft_ok=1)
  should get no error-severity diagnostic: each one is printed. One that
  is already in the snapshot is "known" (the count is printed); a new one
  fails the gate. --strict fails on known ones too;
- the findings on the files listed in KERNEL-VERDICTS.tsv (the ones meant
  as restore files; the others, .t specs and such, are only checked for
  crashes), one line each ("path:line:col: severity [check]", sorted),
  must equal the committed snapshot testdata/corpus-findings.txt: any
  change fails with a diff. Past CAP findings of one check in one file
  (the first ones by position), a line "path: +N more severity [check]"
  stands for the rest, so huge dumps keep the file small. Rewrite it with
  --update after checking that the diff is an improvement.

    tests/corpus_gate.py --iptlint build/tools/iptlint [--update] [--strict]
"""
import argparse
import collections
import concurrent.futures
import csv
import difflib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

# Corpus metadata, not rulesets.
SKIP_TOP = {"INDEX.tsv", "KERNEL-VERDICTS.tsv", "STATS.tsv", "README.md"}
# Snapshot lines per (file, severity, check) before "+N more".
CAP = 10


def read_verdicts(corpus):
    verdicts = {}
    path = corpus / "KERNEL-VERDICTS.tsv"
    if not path.exists():
        return verdicts
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t",
                                  quoting=csv.QUOTE_NONE):
            verdicts[row["path"]] = row
    return verdicts


def lint(iptlint, corpus, relpath, family):
    args = [iptlint, "--format=json", "--fail-on=error"]
    if family in ("4", "6"):
        args.append("--family=" + family)
    args.append(relpath)
    t0 = time.monotonic()
    try:
        p = subprocess.run(args, cwd=corpus, capture_output=True,
                           timeout=120)
    except subprocess.TimeoutExpired:
        return relpath, None, None, "timed out", 120.0
    dt = time.monotonic() - t0
    return relpath, p.returncode, p.stdout, \
        p.stderr.decode("utf-8", "replace").strip(), dt


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iptlint", default=os.environ.get("IPTLINT"))
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--update", action="store_true",
                    help="rewrite testdata/corpus-findings.txt")
    ap.add_argument("--strict", action="store_true",
                    help="fail on every error on a kernel-accepted file")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="do not list the known errors on accepted files")
    opts = ap.parse_args()
    if not opts.iptlint:
        ap.error("--iptlint is required")
    root = opts.source_root.resolve()
    shared = Path(os.environ.get("IPTLINT_SHARED", root.parent / "shared"))
    corpus = shared / "corpus"
    if not corpus.is_dir():
        print("corpus_gate: no corpus at %s (set IPTLINT_SHARED); skipped"
              % corpus)
        return 77
    iptlint = os.path.abspath(opts.iptlint)
    snapshot = root / "testdata" / "corpus-findings.txt"
    verdicts = read_verdicts(corpus)

    files = set()
    for p in corpus.rglob("*"):
        if p.is_file():
            r = p.relative_to(corpus).as_posix()
            if r not in SKIP_TOP:
                files.add(r)
    missing = sorted(set(verdicts) - files)
    files = sorted(files)

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        results = list(pool.map(
            lambda r: lint(iptlint, corpus, r,
                           verdicts.get(r, {}).get("family")), files))
    elapsed = time.monotonic() - t0

    failures = []
    findings = []
    counts = collections.Counter()
    accepted_errors = []	# (relpath, line) for accepted files
    slowest = max(results, key=lambda x: x[4], default=("-", 0, b"", "", 0.0))
    for m in missing:
        print("note: %s: listed in KERNEL-VERDICTS.tsv but not in the corpus"
              % m)
    for relpath, rc, out, err, _ in results:
        if rc is None:
            failures.append("%s: iptlint %s" % (relpath, err))
            continue
        if rc < 0:
            failures.append("%s: iptlint killed by signal %d" %
                            (relpath, -rc))
            continue
        if rc > 2:
            failures.append("%s: iptlint exited %d: %s" % (relpath, rc, err))
            continue
        try:
            diags = json.loads(out)["diagnostics"] if out else []
        except (ValueError, KeyError, TypeError) as e:
            failures.append("%s: bad JSON (%s)" % (relpath, e))
            continue
        v = verdicts.get(relpath)
        if v is None:
            continue
        accepted = v["legacy_ok"] == "1" and v["nft_ok"] == "1"
        groups = collections.defaultdict(list)
        for d in diags:
            groups[(d["severity"], d["check"])].append(d)
            if accepted and d["severity"] == "error":
                line = "%s:%d:%d: %s [%s]" % (relpath, d["line"],
                                              d["column"], d["severity"],
                                              d["check"])
                accepted_errors.append((line, d["message"], relpath))
        for (sev, check), ds in groups.items():
            ds.sort(key=lambda d: (d["line"], d["column"]))
            for d in ds[:CAP]:
                findings.append("%s:%d:%d: %s [%s]" % (
                    relpath, d["line"], d["column"], sev, check))
            if len(ds) > CAP:
                findings.append("%s: +%d more %s [%s]" % (
                    relpath, len(ds) - CAP, sev, check))
            counts[sev] += len(ds)
    findings.sort()
    text = "".join(f + "\n" for f in findings)

    old = snapshot.read_text() if snapshot.exists() else ""
    known = set(old.splitlines())
    known_more = {l.split(": +", 1)[0] + l.rsplit(" more", 1)[1]
                  for l in known if ": +" in l}
    # An error past the cap is known when its file had "+N more" of them.
    new_errors = [e for e in accepted_errors if e[0] not in known and
                  e[2] + " error [" + e[0].rsplit(" [", 1)[1]
                  not in known_more]
    if accepted_errors and not opts.quiet:
        print("Errors on files the kernel accepted (legacy and nft):")
        for e in sorted(accepted_errors):
            print("  %s%s: %s" % ("NEW " if e in new_errors else "",
                                  e[0], e[1]))
    if opts.strict and accepted_errors:
        failures.append("%d errors on kernel-accepted files (--strict)"
                        % len(accepted_errors))
    elif new_errors and not opts.update:
        failures.append("%d new errors on kernel-accepted files"
                        % len(new_errors))

    if opts.update:
        if old != text:
            snapshot.write_text(text)
            print("corpus_gate: wrote %s" % snapshot)
    elif old != text:
        diff = difflib.unified_diff(
            old.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=os.path.relpath(snapshot, root), tofile="now")
        print("".join(diff), end="")
        failures.append("findings differ from %s (tests/corpus_gate.py "
                        "--update rewrites it)" % os.path.relpath(snapshot,
                                                                   root))

    for f in failures:
        print("FAIL: " + f)
    print("corpus_gate: %d files in %.1fs (slowest %s %.2fs); %d findings "
          "on the %d verdict files (%s); %d errors on %d kernel-accepted "
          "files"
          % (len(files), elapsed, slowest[0], slowest[4],
             sum(counts.values()), len(verdicts) - len(missing),
             ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items())),
             len(accepted_errors),
             len({e[2] for e in accepted_errors})))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
