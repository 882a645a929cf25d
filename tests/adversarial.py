#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Adversarial inputs: no crash, no deep recursion, time and memory linear.

Each case generates a ruleset at two sizes, a quarter of the full size and
the full size (the files are written to a temporary directory at test
time, never committed), runs iptlint --format=gcc on both and measures the
CPU time (user + system) and the peak RSS of that one process (wait4).
A case fails when iptlint crashes (a signal, exit status other than 0/1,
anything on stderr), when an expected finding is missing (the located
error where iptables-restore itself refuses the input), or when the
growth from the small to the full size is clearly superlinear: with the
size x4, time x8 or more (judged only when the full size takes over
0.25 s; the small one counts as at least 0.02 s) or RSS x8 or more. A
quadratic algorithm shows up as x16. The full size must also finish
within --max-seconds (default 60 s of CPU). iptlint runs with a 1 MB
stack (--stack-kb; its reader thread gets the same), so recursion on the
depth of the input would crash rather than pass by luck. The RSS
includes this script's own (~15 MB, the fork before exec), so small
inputs show a floor.

The cases (full size):
  deep-jumps     a 100,000-deep chain of jumps C0 -j C1 -j C2 ...
  deep-mangle    100,000 mangle chains, each testing a mark, setting one
                 and going on with -g (reachability has work to do)
  deep-loops     100,000 chains in a path, each also jumping back to C0
                 (100,000 reachable cycles, refused by the kernel)
  many-chains    1,000,000 chains declared, every 10th jumped to from
                 INPUT and jumping on to its neighbour
  dense-dag      1,000 chains each jumping to 1,000 later ones
                 (a jump graph with 1,000,000 edges, no cycle)
  many-tables    100,000 '*filter ... COMMIT' blocks of two rules
  many-rules     40,000 distinct rules in one chain
  cover-growth   20,000 host+port drops, then 20,000 port accepts
  shadowed-ports 20,000 port drops, then 20,000 host+port accepts that
                 each of them shadows (20,000 unreachable-rule findings)
  shadowed-marks 10,000 mark drops, then 10,000 shadowed mark accepts
  fan-out        40,000 rules jumping to 40,000 chains of their own
  line-options   a 10 MB line of '-s 1.2.3.4' repeated (a finding each)
  line-matches   a 10 MB line of '-m state --state NEW' repeated
  line-word      a 10 MB line that is one 10 MB comment word
  nul-file       10 MB of NUL bytes
  nul-lines      1,000,000 rule lines with NUL bytes inside

    tests/adversarial.py --iptlint build/tools/iptlint            # all
    tests/adversarial.py --iptlint ... --only deep-jumps,nul-file
    tests/adversarial.py --iptlint ... --keep /tmp/adv           # keep files

Exit status: 0 all pass, 1 a failure.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

FINDING_RE = re.compile(r"^[^:]+:(\d+):(\d+): (error|warning|note): (.*) "
                        r"\[([a-z-]+)\]$")

TIME_RATIO = 8.0        # size x4: linear is x4, quadratic x16
RSS_RATIO = 8.0
TIME_FLOOR = 0.02       # s: the small run counts as at least this
TIME_JUDGE = 0.25       # s: below this the full run is fast whatever


# ----------------------------------------------------------- generators
# Each writes the file for size @n and returns what must be found:
# a list of (line or None, col or None, check, message regex, min count).

def _write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines))
        f.write("\n")


def gen_deep_jumps(path, n):
    L = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]",
         ":OUTPUT ACCEPT [0:0]"]
    L += [":C%d - [0:0]" % i for i in range(n)]
    L.append("-A INPUT -p tcp -j C0")
    L += ["-A C%d -j C%d" % (i, i + 1) for i in range(n - 1)]
    L.append("COMMIT")
    _write(path, L)
    # nft's jump stack: the 16th nested user chain is refused.
    first = 4 + n + 1 + 15
    return [(first, 8, "chain-loop", r"nests user chains 16 deep", 1)]


def gen_deep_mangle(path, n):
    L = ["*mangle", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]",
         ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
         ":POSTROUTING ACCEPT [0:0]"]
    L += [":C%d - [0:0]" % i for i in range(n)]
    L.append("-A PREROUTING -j C0")
    for i in range(n - 1):
        L += ["-A C%d -m mark --mark %d -j RETURN" % (i, i),
              "-A C%d -j MARK --set-mark %d" % (i, i + 1),
              "-A C%d -g C%d" % (i, i + 1)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "chain-loop", r"nests user chains 16 deep", 1)]


def gen_deep_loops(path, n):
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += [":C%d - [0:0]" % i for i in range(n)]
    L.append("-A INPUT -j C0")
    for i in range(n - 1):
        L += ["-A C%d -j C%d" % (i, i + 1), "-A C%d -j C0" % (i + 1)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "chain-loop", r"^jump loop C0 -> C1 -> C0:", 1),
            (None, None, "chain-loop", r"\(%d chains\)" % n, 1),
            (None, None, "chain-loop", r"^jump loop", n - 1)]


def gen_many_chains(path, n):
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += [":C%d - [0:0]" % i for i in range(n)]
    for i in range(0, n - 9, 10):
        # C(i) jumped to, jumping on to C(i+1); C(i+5) has a rule but
        # nothing jumps to it (unused-chain).
        L += ["-A INPUT -s 10.%d.%d.0/24 -j C%d" % (i >> 16 & 255,
                                                    i >> 8 & 255, i),
              "-A C%d -p udp -j C%d" % (i, i + 1),
              "-A C%d -j DROP" % (i + 5)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "unused-chain", r"", n // 10)]


def gen_dense_dag(path, n):
    k = int(round(n ** 0.5))    # k chains, k edges each
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += [":C%d - [0:0]" % i for i in range(2 * k)]
    L.append("-A INPUT -j C0")
    for i in range(k):
        L += ["-A C%d -p tcp --dport %d -j C%d" % (i, j % 65536, j)
              for j in range(i + 1, i + 1 + k)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "chain-loop", r"nests user chains 16 deep", 1)]


def gen_many_tables(path, n):
    L = []
    for i in range(n):
        L += ["*filter",
              "-A INPUT -s 10.%d.%d.%d -j ACCEPT" % (i >> 16 & 255,
                                                     i >> 8 & 255, i & 255),
              "-A INPUT -s 10.0.0.0/8 -p tcp -j DROP",
              "COMMIT"]
    _write(path, L)
    return []


def gen_many_rules(path, n):
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += ["-A INPUT -s 10.%d.%d.%d -p tcp --dport %d -j ACCEPT" % (
        i >> 16 & 255, i >> 8 & 255, i & 255, i % 65536) for i in range(n)]
    L.append("-A INPUT -s 10.0.0.0 -p tcp --dport 0 -j DROP")
    L.append("COMMIT")
    _write(path, L)
    return [(n + 3, 1, "unreachable-rule", r"", 1)]


def _host(j):
    return "10.%d.%d.%d" % (j >> 16 & 255, j >> 8 & 255, j & 255)


def gen_cover_growth(path, n):
    """Host+port drops, then port accepts: each accept's cover would be
    every earlier pair (was quadratic: 20,000 rules, 59 s)."""
    k = n // 2
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += ["-A INPUT -s %s -p tcp --dport %d -j DROP" % (_host(j), j % 65536)
          for j in range(k)]
    L += ["-A INPUT -p tcp --dport %d -j ACCEPT" % (j % 65536)
          for j in range(k)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "unreachable-rule", r"", -1)]


def gen_shadowed_ports(path, n):
    """Port drops, then host+port accepts, each shadowed by one drop:
    naming it looked at every earlier rule (20,000 rules: 200 s)."""
    k = n // 2
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += ["-A INPUT -p tcp --dport %d -j DROP" % (j % 65536)
          for j in range(k)]
    L += ["-A INPUT -s %s -p tcp --dport %d -j ACCEPT" % (_host(j),
                                                          j % 65536)
          for j in range(k)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "unreachable-rule", r"takes every packet", k)]


def gen_shadowed_marks(path, n):
    """The same with marks, which index nothing: the names of the
    blockers have a budget per chain, the claims stay."""
    k = n // 2
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += ["-A INPUT -m mark --mark %d -j DROP" % j for j in range(k)]
    L += ["-A INPUT -s %s -m mark --mark %d -j ACCEPT" % (_host(j), j)
          for j in range(k)]
    L.append("COMMIT")
    _write(path, L)
    return [(None, None, "unreachable-rule", r"^rule is unreachable", k),
            (None, None, "unreachable-rule", r"not named: the chain has "
             r"too many findings", 1)]


def gen_fan_out(path, n):
    """n rules jumping to n chains of their own (T() of each)."""
    L = ["*filter", ":INPUT ACCEPT [0:0]"]
    L += [":L%d - [0:0]" % j for j in range(n)]
    L += ["-A INPUT -p tcp --dport %d -j L%d" % (j % 65536, j)
          for j in range(n)]
    L += ["-A L%d -s %s -j DROP" % (j, _host(j)) for j in range(n)]
    L.append("COMMIT")
    _write(path, L)
    return []


def _long_line(path, unit, nbytes, head="-A INPUT ", tail="-j ACCEPT"):
    reps = max(1, (nbytes - len(head) - len(tail)) // len(unit))
    with open(path, "w") as f:
        f.write("*filter\n:INPUT ACCEPT [0:0]\n")
        f.write(head + unit * reps + tail + "\n")
        f.write("COMMIT\n")
    length = len(head) + len(unit) * reps + len(tail)
    return [(3, 10240, "syntax-error",
             r"^line of %d bytes: iptables-restore reads at most 10239 "
             r"bytes per line" % length, 1)], reps


def gen_line_options(path, n):
    want, reps = _long_line(path, "-s 1.2.3.4 ", n)
    return want + [(3, None, "syntax-error", r"^multiple -s flags", reps - 1)]


def gen_line_matches(path, n):
    want, _ = _long_line(path, "-m state --state NEW ", n)
    return want


def gen_line_word(path, n):
    want, _ = _long_line(path, "x", n, head='-A INPUT -m comment --comment "',
                         tail='" -j ACCEPT')
    return want + [(3, None, "syntax-error",
                    r"^argument of \d+ bytes: iptables-restore refuses", 1)]


def gen_nul_file(path, n):
    with open(path, "wb") as f:
        f.write(b"\0" * n)
    return [(1, 10240, "syntax-error", r"^line of %d bytes" % n, 1)]


def gen_nul_lines(path, n):
    with open(path, "wb") as f:
        f.write(b"*filter\n:INPUT ACCEPT [0:0]\n")
        for i in range(n):
            f.write(b"-A INPUT -s 10.0.%d.%d\0\0 -j NOSUCH\0 junk\n" % (
                i >> 8 & 255, i & 255))
        f.write(b"\0\0\0 comment? no\n# a comment\0 -A INPUT -j NOSUCH\n")
        f.write(b"COMMIT\n")
    # Nothing after a NUL counts: the -j NOSUCH is never seen.
    return [(None, None, "undefined-chain", r"", -1)]


CASES = [
    # name, generator, full size
    ("deep-jumps", gen_deep_jumps, 100000),
    ("deep-mangle", gen_deep_mangle, 100000),
    ("deep-loops", gen_deep_loops, 100000),
    ("many-chains", gen_many_chains, 1000000),
    ("dense-dag", gen_dense_dag, 1000000),
    ("many-tables", gen_many_tables, 100000),
    # BuDDy's node table and garbage collections grow a little faster
    # than the rules: x5.8-6.6 measured, so a wider margin here.
    ("many-rules", gen_many_rules, 40000, 10.0),
    ("cover-growth", gen_cover_growth, 40000),
    ("shadowed-ports", gen_shadowed_ports, 40000),
    ("shadowed-marks", gen_shadowed_marks, 20000),
    ("fan-out", gen_fan_out, 40000),
    ("line-options", gen_line_options, 10 * 1024 * 1024),
    ("line-matches", gen_line_matches, 10 * 1024 * 1024),
    ("line-word", gen_line_word, 10 * 1024 * 1024),
    ("nul-file", gen_nul_file, 10 * 1024 * 1024),
    ("nul-lines", gen_nul_lines, 1000000),
]


# ------------------------------------------------------------ running

class Run:
    def __init__(self, rc, cpu, rss_kb, nfindings, hits, stderr):
        self.rc, self.cpu, self.rss_kb = rc, cpu, rss_kb
        self.nfindings, self.hits, self.stderr = nfindings, hits, stderr


def _matches(w, f):
    line, col, check, rx, _ = w
    return f[4] == check and (line is None or f[0] == line) and \
        (col is None or f[1] == col) and re.search(rx, f[3]) is not None


STACK_KB = 1024
STACK = [STACK_KB]      # --stack-kb


def _small_stack():
    """In the child: a small stack (the reader thread's too), so that
    recursion as deep as the input is a crash, not a near miss."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    want = STACK[0] * 1024
    if hard != resource.RLIM_INFINITY and hard < want:
        want = hard
    resource.setrlimit(resource.RLIMIT_STACK, (want, hard))


def run_iptlint(iptlint, path, want, timeout):
    """iptlint --format=gcc on @path: its exit status, CPU seconds, peak
    RSS (KB, of that process and its fork of this one), the number of
    findings and how many match each of @want (with a sample). The output
    (up to 100 MB) is matched as it comes, not kept."""
    hits = [[0, None] for _ in want]
    nfindings = 0
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen([iptlint, "--format=gcc", "--fail-on=never",
                              path], stdout=subprocess.PIPE, stderr=err,
                             preexec_fn=_small_stack)
        deadline = time.monotonic() + timeout
        timed_out = False
        for raw in p.stdout:
            m = FINDING_RE.match(raw.decode("utf-8", "replace").rstrip("\n"))
            if m:
                f = (int(m.group(1)), int(m.group(2)), m.group(3),
                     m.group(4), m.group(5))
                nfindings += 1
                for k, w in enumerate(want):
                    if _matches(w, f):
                        hits[k][0] += 1
                        hits[k][1] = hits[k][1] or f
            if time.monotonic() > deadline:
                p.kill()
                timed_out = True
                break
        p.stdout.close()
        _, status, ru = os.wait4(p.pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if timed_out:
        stderr = "timed out after %ds\n%s" % (timeout, stderr)
    return Run(rc, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, nfindings, hits,
               stderr)


def check_findings(run, want):
    problems = []
    for (line, col, check, rx, minimum), (n, sample) in zip(want, run.hits):
        if minimum < 0 and n:
            problems.append("unexpected [%s] finding: %s" % (check,
                                                             sample[3]))
        elif minimum >= 0 and n < minimum:
            problems.append("expected %d x [%s] /%s/%s, found %d" % (
                minimum, check, rx,
                "" if line is None else " at line %d%s" % (
                    line, "" if col is None else ":%d" % col), n))
    return problems


def generate(name, n, path):
    """Write case @name at size @n in a process of its own (this one's
    RSS is part of the measured child's: it must stay small)."""
    p = subprocess.run([sys.executable, os.path.abspath(__file__),
                        "--generate", name, str(n), path],
                       capture_output=True, check=True)
    return json.loads(p.stdout)


def run_case(iptlint, name, gen, full, tmp, max_seconds, time_ratio):
    problems = []
    runs = []
    for n in (full // 4, full):
        path = os.path.join(tmp, "%s-%d.rules" % (name, n))
        want = generate(name, n, path)
        size = os.path.getsize(path)
        r = run_iptlint(iptlint, path, want, max_seconds * 3)
        runs.append((n, size, r))
        if r.rc not in (0, 1) or r.stderr.strip():
            problems.append("size %d: exit status %d%s" % (
                n, r.rc, ": " + r.stderr.strip()[:500] if r.stderr.strip()
                else ""))
        else:
            problems += ["size %d: %s" % (n, p)
                         for p in check_findings(r, want)]
        if not os.environ.get("IPTLINT_ADV_KEEP"):
            os.unlink(path)
    (n1, s1, a), (n2, s2, b) = runs
    size_ratio = s2 / s1
    t_ratio = b.cpu / max(a.cpu, TIME_FLOOR)
    m_ratio = b.rss_kb / max(a.rss_kb, 1)
    print("%-14s n=%-8d %9d B  %7.2f s  %8d KB  %7d findings" % (
        name, n1, s1, a.cpu, a.rss_kb, a.nfindings))
    print("%-14s n=%-8d %9d B  %7.2f s  %8d KB  %7d findings  "
          "(x%.1f size: time x%.1f, RSS x%.1f)" % (
              "", n2, s2, b.cpu, b.rss_kb, b.nfindings, size_ratio,
              t_ratio, m_ratio))
    limit_t = time_ratio * size_ratio / 4
    limit_m = RSS_RATIO * size_ratio / 4
    # Sanitizer builds time their own checks and the allocator's: their
    # run checks for crashes and leaks, the plain build for linear time.
    if b.cpu > TIME_JUDGE and t_ratio > limit_t and \
            not os.environ.get("IPTLINT_SANITIZED"):
        problems.append("CPU time grows x%.1f for x%.1f input (%.2f s -> "
                        "%.2f s): superlinear" % (t_ratio, size_ratio,
                                                  a.cpu, b.cpu))
    if m_ratio > limit_m:
        problems.append("peak RSS grows x%.1f for x%.1f input (%d KB -> "
                        "%d KB): superlinear" % (m_ratio, size_ratio,
                                                 a.rss_kb, b.rss_kb))
    if b.cpu > max_seconds:
        problems.append("full size took %.1f s of CPU (limit %d s)" % (
            b.cpu, max_seconds))
    return problems


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iptlint", default=os.environ.get("IPTLINT"))
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--keep", metavar="DIR",
                    help="write the inputs to DIR and keep them")
    ap.add_argument("--max-seconds", type=float, default=60)
    ap.add_argument("--stack-kb", type=int,
                    help="iptlint's stack limit (default: %d KB)" % STACK_KB)
    ap.add_argument("--generate", nargs=3, metavar=("CASE", "N", "FILE"),
                    help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.generate:
        name, n, path = opts.generate
        gen = {c[0]: c[1] for c in CASES}[name]
        json.dump(gen(path, int(n)), sys.stdout)
        return 0
    if not opts.iptlint:
        ap.error("--iptlint is required")
    iptlint = os.path.abspath(opts.iptlint)
    if opts.stack_kb:
        STACK[0] = opts.stack_kb
    cases = CASES
    if opts.only:
        names = opts.only.split(",")
        unknown = set(names) - {c[0] for c in CASES}
        if unknown:
            ap.error("unknown case(s): %s" % ", ".join(sorted(unknown)))
        cases = [c for c in CASES if c[0] in names]
    print("%-14s %-10s %11s  %9s  %11s" % ("case", "size", "bytes",
                                           "CPU", "peak RSS"))
    failed = []
    t0 = time.time()
    if opts.keep:
        os.makedirs(opts.keep, exist_ok=True)
        os.environ["IPTLINT_ADV_KEEP"] = "1"
        tmpctx = None
        tmp = opts.keep
    else:
        tmpctx = tempfile.TemporaryDirectory(prefix="iptlint-adv-")
        tmp = tmpctx.name
    try:
        for case in cases:
            name, gen, full = case[:3]
            limit = case[3] if len(case) > 3 else TIME_RATIO
            problems = run_case(iptlint, name, gen, full, tmp,
                                opts.max_seconds, limit)
            sys.stdout.flush()
            if problems:
                failed.append(name)
                for p in problems:
                    print("  FAIL %s: %s" % (name, p))
    finally:
        if tmpctx:
            tmpctx.cleanup()
    print("adversarial: %d cases, %d failed, %.0f s" % (
        len(cases), len(failed), time.time() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
