#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""JSON and SARIF output of many findings, in bounded memory.

A file of N identical rules has about 2N findings (duplicate-rule and
unreachable-rule on every rule after the first). The JSON and SARIF
renderers write one finding at a time (render_json_stream()), so their
peak RSS stays close to the gcc format's; building the whole document as
one jansson tree first took 6x (JSON) and 12x (SARIF) the gcc format's
memory at 400,000 findings. Also checks that both documents parse and
hold every finding. Under a sanitizer (IPTLINT_SANITIZED set, as
tools/run-tests.sh does) memory is not judged: ASan keeps freed blocks.

    tests/output_memory.py --iptlint build/tools/iptlint [--rules N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

# Peak RSS of a format over the gcc format's, on the same file.
MAX_RATIO = 1.5


def run(iptlint, fmt, path):
    """Exit status and peak RSS (KB) of one iptlint run, its output in
    PATH.FMT. A fork's ru_maxrss counts the memory it had before exec:
    run everything before this process reads any big output."""
    pid = os.fork()
    if pid == 0:
        out = os.open(path + "." + fmt, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.execv(iptlint, [iptlint, "--format=" + fmt, "--fail-on=never", path])
    _, status, ru = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), ru.ru_maxrss


def output(path, fmt):
    with open(path + "." + fmt, "rb") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iptlint", required=True)
    ap.add_argument("--rules", type=int, default=40000)
    opts = ap.parse_args()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dups.rules")
        with open(path, "w") as f:
            f.write("*filter\n:INPUT ACCEPT [0:0]\n")
            f.write("-A INPUT -s 10.0.0.1/32 -j DROP\n" * opts.rules)
            f.write("COMMIT\n")
        runs = {fmt: run(opts.iptlint, fmt, path)
                for fmt in ("gcc", "json", "sarif")}
        rc, base = runs["gcc"]
        ngcc = output(path, "gcc").count(b"\n")
        if rc != 0 or ngcc < opts.rules:
            print("output_memory: gcc exited %d with %d lines" % (rc, ngcc))
            return 1
        print("output_memory: %d rules, %d gcc lines, gcc peak RSS %d KB"
              % (opts.rules, ngcc, base))
        for fmt in ("json", "sarif"):
            rc, rss = runs[fmt]
            try:
                doc = json.loads(output(path, fmt))
            except ValueError as e:
                failed.append("%s: not JSON: %s" % (fmt, e))
                continue
            n = len(doc["diagnostics"]) if fmt == "json" else \
                len(doc["runs"][0]["results"])
            print("output_memory: %s: exit %d, %d findings, peak RSS %d KB "
                  "(x%.2f gcc)" % (fmt, rc, n, rss, rss / base))
            if rc != 0:
                failed.append("%s: exit status %d" % (fmt, rc))
            if fmt == "json":
                nlines = sum(1 + len(d["notes"]) for d in doc["diagnostics"])
                if nlines != ngcc:
                    failed.append("json: %d findings and notes, gcc %d lines"
                                  % (nlines, ngcc))
            # ASan keeps freed memory in quarantine: judge the plain build.
            if rss > MAX_RATIO * base and not os.environ.get("IPTLINT_SANITIZED"):
                failed.append("%s: peak RSS %d KB is over x%.1f the gcc "
                              "format's %d KB" % (fmt, rss, MAX_RATIO, base))
    for f in failed:
        print("FAIL " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
