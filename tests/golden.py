#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Golden-output tests: run iptlint over testdata/ and compare with .expected.

Every testdata/**/X.expected goes with the input X.rules next to it (or X
itself when there is no X.rules, e.g. examples/rules.v4.expected). The
input is linted from the source root with its path relative to it:

    iptlint --format=gcc --fail-on=never [ARGS] testdata/.../X.rules

where ARGS come from a first line "# iptlint-args: --family=6 ...". Standard
output must equal the .expected file byte for byte.

testdata/checks/<check>/ holds the examples of one check: bad-*.rules must
produce that check ("[<check>]" in the expected output), good-*.rules must
not. A directory needs at least one bad example, so a check cannot silently
stop being tested. A .rules file there without .expected is a case iptlint
gets wrong today; it must be listed in testdata/checks/KNOWN-ISSUES.md.

The exit status contract is checked on every input as well: with the
default --fail-on (warning) iptlint exits 1 when an error or warning is
reported and 0 otherwise; --fail-on=error and --fail-on=note likewise; 2
for an unreadable input.

    tests/golden.py --iptlint build/tools/iptlint            # check
    tests/golden.py --iptlint build/tools/iptlint --update   # rewrite all
    tests/golden.py --iptlint ... --update testdata/x/bad-y.rules
                                      # write (or create) these only
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ARGS_RE = re.compile(rb"^# iptlint-args:(.*)$")
SEVERITIES = ("note", "warning", "error")


class Ctx:
    def __init__(self, iptlint, root):
        self.iptlint = iptlint
        self.root = root
        self.failures = []
        self.checked = 0

    def fail(self, msg):
        self.failures.append(msg)

    def run(self, args, timeout=60):
        p = subprocess.run([self.iptlint] + args, cwd=self.root,
                           capture_output=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr


def extra_args(path):
    with open(path, "rb") as f:
        first = f.readline().rstrip(b"\r\n")
    m = ARGS_RE.match(first)
    return m.group(1).decode().split() if m else []


def input_for(expected):
    """The input that @expected belongs to, or None (testdata/trace/ is
    tests/trace_golden.py's)."""
    if expected.parent.name == "trace":
        return None
    stem = expected.with_suffix("")
    rules = stem.with_name(stem.name + ".rules")
    if rules.is_file():
        return rules
    if stem.is_file():
        return stem
    return None


def expected_for(inp):
    if inp.suffix == ".rules":
        return inp.with_suffix(".expected")
    return inp.with_name(inp.name + ".expected")


def rel(ctx, path):
    return os.path.relpath(path, ctx.root)


def lint_gcc(ctx, inp):
    args = ["--format=gcc", "--fail-on=never"] + extra_args(inp) + \
        [rel(ctx, inp)]
    return ctx.run(args)


def check_exit_contract(ctx, inp):
    """Exit status under each --fail-on against the severities reported."""
    base = [a for a in extra_args(inp)
            if not a.startswith(("--format", "--color"))] + [rel(ctx, inp)]
    rc, out, err = ctx.run(["--format=json", "--fail-on=never"] + base)
    if rc != 0:
        return "%s: --format=json --fail-on=never exited %d" % (
            rel(ctx, inp), rc)
    try:
        doc = json.loads(out)
        sevs = [d["severity"] for d in doc["diagnostics"]]
    except (ValueError, KeyError, TypeError) as e:
        return "%s: bad JSON output (%s)" % (rel(ctx, inp), e)
    worst = max((SEVERITIES.index(s) for s in sevs), default=-1)
    for fail_on, level in (("", 1), ("--fail-on=error", 2),
                           ("--fail-on=note", 0)):
        args = ["--format=gcc"] + ([fail_on] if fail_on else []) + base
        rc, _, _ = ctx.run(args)
        want = 1 if worst >= level else 0
        if rc != want:
            return "%s: %s exited %d, expected %d (worst severity %s)" % (
                rel(ctx, inp), fail_on or "default --fail-on", rc, want,
                SEVERITIES[worst] if worst >= 0 else "none")
    return None


def compare(ctx, inp, update):
    exp = expected_for(inp)
    rc, out, err = lint_gcc(ctx, inp)
    name = rel(ctx, inp)
    if rc < 0:
        return "%s: iptlint killed by signal %d" % (name, -rc), None
    if rc != 0:
        return "%s: iptlint exited %d with --fail-on=never: %s" % (
            name, rc, err.decode("utf-8", "replace").strip()), None
    if update:
        old = exp.read_bytes() if exp.exists() else None
        if old != out:
            exp.write_bytes(out)
            return None, "updated " + rel(ctx, exp)
        return None, None
    want = exp.read_bytes()
    if want == out:
        return None, None
    diff = difflib.unified_diff(
        want.decode("utf-8", "replace").splitlines(keepends=True),
        out.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=rel(ctx, exp), tofile="iptlint " + name)
    return "%s: output differs from %s\n%s" % (
        name, rel(ctx, exp), "".join(diff).rstrip("\n")), None


def known_checks(ctx):
    rc, out, _ = ctx.run(["--list-checks"])
    if rc != 0:
        ctx.fail("iptlint --list-checks exited %d" % rc)
        return set()
    return {line.split()[0] for line in out.decode().splitlines() if line}


def check_layout(ctx, checks_dir, checks):
    """The testdata/checks/<check>/ contract."""
    known_issues = ""
    ki = checks_dir / "KNOWN-ISSUES.md"
    if ki.exists():
        known_issues = ki.read_text()
    pending = []
    for d in sorted(p for p in checks_dir.iterdir() if p.is_dir()):
        name = d.name
        if name not in checks:
            ctx.fail("%s: no check is called '%s' (see iptlint --list-checks)"
                     % (rel(ctx, d), name))
            continue
        bad = 0
        for f in sorted(d.iterdir()):
            if f.suffix not in (".rules", ".expected"):
                continue
            kind = f.name.split("-", 1)[0]
            if kind not in ("bad", "good"):
                ctx.fail("%s: example names start with bad- or good-"
                         % rel(ctx, f))
                continue
            if f.suffix == ".expected":
                if not f.with_suffix(".rules").exists():
                    ctx.fail("%s: no %s next to it" % (
                        rel(ctx, f), f.with_suffix(".rules").name))
                continue
            exp = f.with_suffix(".expected")
            if not exp.exists():
                if rel(ctx, f) in known_issues:
                    pending.append(rel(ctx, f))
                else:
                    ctx.fail("%s: no .expected file, and not listed in %s"
                             % (rel(ctx, f), rel(ctx, ki)))
                continue
            text = exp.read_text(errors="replace")
            tag = "[%s]" % name
            if kind == "bad":
                bad += 1
                if tag not in text:
                    ctx.fail("%s: bad example whose expected output has no %s"
                             % (rel(ctx, f), tag))
            elif tag in text:
                ctx.fail("%s: good example that reports %s"
                         % (rel(ctx, f), tag))
        if not bad:
            ctx.fail("%s: no bad example (bad-*.rules with .expected) for "
                     "check '%s'" % (rel(ctx, d), name))
    return pending


def check_unreadable(ctx):
    for args in (["testdata/does-not-exist.rules"], ["testdata"]):
        rc, _, _ = ctx.run(args)
        if rc != 2:
            ctx.fail("iptlint %s exited %d, expected 2" % (" ".join(args), rc))
    rc, _, _ = ctx.run(["--no-such-option"])
    if rc != 2:
        ctx.fail("iptlint --no-such-option exited %d, expected 2" % rc)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iptlint", default=os.environ.get("IPTLINT"),
                    help="the iptlint executable (default: $IPTLINT)")
    ap.add_argument("--source-root", type=Path,
                    default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--update", action="store_true",
                    help="rewrite the .expected files instead of comparing")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("files", nargs="*", type=Path,
                    help="with --update: only these inputs (created if new)")
    opts = ap.parse_args()
    if not opts.iptlint:
        ap.error("--iptlint is required")
    root = opts.source_root.resolve()
    ctx = Ctx(os.path.abspath(opts.iptlint), root)
    testdata = root / "testdata"
    if not testdata.is_dir():
        print("golden: no %s" % testdata, file=sys.stderr)
        return 77

    if opts.files:
        if not opts.update:
            ap.error("FILEs are only for --update")
        inputs = [f.resolve() for f in opts.files]
    else:
        inputs = sorted(filter(None, (input_for(e) for e in
                                      testdata.rglob("*.expected"))))
    checks = known_checks(ctx)
    pending = []
    if (testdata / "checks").is_dir() and not opts.files:
        pending = check_layout(ctx, testdata / "checks", checks)

    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        results = list(pool.map(lambda i: compare(ctx, i, opts.update),
                                inputs))
        for err, info in results:
            if err:
                ctx.fail(err)
            if info:
                print(info)
        if not opts.update:
            for err in pool.map(lambda i: check_exit_contract(ctx, i),
                                inputs):
                if err:
                    ctx.fail(err)
    if not opts.update:
        check_unreadable(ctx)

    for f in ctx.failures:
        print("FAIL: " + f)
    print("golden: %d inputs, %d pending (KNOWN-ISSUES.md), %d failures"
          % (len(inputs), len(pending), len(ctx.failures)))
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    sys.exit(main())
