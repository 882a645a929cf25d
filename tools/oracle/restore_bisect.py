# SPDX-License-Identifier: GPL-2.0-or-later
"""Which line of a restore file makes iptables-restore refuse it: real
loads of ever longer prefixes in fresh namespaces (iptlint-oracle load,
tests/diff_errors.py). Needs root."""
import re

import kernlib

LINE_RE = re.compile(r"\b(line:? )(\d+)\b")


# ------------------------------------------------------- file structure

class Block:
    """One '*table' block: its lines with their numbers in the file."""

    def __init__(self, star):
        self.star = star        # (lineno, text) of the *table line
        self.lines = []         # (lineno, text): declarations and rules
        self.commit = None      # (lineno, text) of its COMMIT, or None

    @property
    def name(self):
        return self.star[1][1:].strip()


def split_blocks(text):
    """(lines before the first table, [Block], lines after the last
    COMMIT) of a restore file; comments and blank lines are dropped
    outside tables and kept inside (they never fail)."""
    pre, blocks, post = [], [], []
    cur = None
    for n, line in enumerate(text.split("\n"), 1):
        if cur is None:
            if line.startswith("*"):
                cur = Block((n, line))
                blocks.append(cur)
            elif line.strip() and not line.startswith("#"):
                (post if blocks else pre).append((n, line))
            continue
        if line.startswith("COMMIT") and line.rstrip("\r") == "COMMIT":
            cur.commit = (n, line)
            cur = None
        elif not line.strip() or line.startswith("#"):
            continue
        else:
            cur.lines.append((n, line))
    return pre, blocks, post


def render(pre, blocks, last=None, upto=None):
    """A restore file: @pre, the complete @blocks, then (optionally) the
    *table line of block @last and its first @upto lines, committed.
    Returns (bytes, the file's line number of each line, None for a
    COMMIT added here)."""
    out = list(pre)
    for b in blocks:
        out.append(b.star)
        out += b.lines
        out.append(b.commit or (None, "COMMIT"))
    if last is not None:
        out.append(last.star)
        out += last.lines[:upto]
        out.append((None, "COMMIT"))
    data = ("\n".join(t for _, t in out) + "\n").encode()
    return data, [n for n, _ in out]


def remap(msg, lines):
    """iptables' "line N" of a rendered file as the line of the input."""
    def one(m):
        n = int(m.group(2))
        if 0 < n <= len(lines):
            return m.group(1) + "%d" % lines[n - 1] if lines[n - 1] else \
                "the COMMIT added after line %d" % max(
                    [x for x in lines[:n - 1] if x] or [0])
        return m.group(0)
    return LINE_RE.sub(one, msg)


# --------------------------------------------------------------- load

def first_line(err):
    for line in err.splitlines():
        line = line.strip()
        if line and not line.startswith("iptables-nft-restore v"):
            return line
    return err.strip()


class Verdict:
    def __init__(self, backend):
        self.backend = backend
        self.rc = None
        self.message = ""
        self.culprit = None     # (lineno, text)
        self.culprit_message = ""
        self.how = ""           # how the culprit was found
        self.loads = 0

    def as_dict(self):
        return {
            "backend": self.backend, "accepted": self.rc == 0,
            "exit_status": self.rc, "message": self.message,
            "culprit_line": self.culprit[0] if self.culprit else None,
            "culprit_text": self.culprit[1] if self.culprit else None,
            "culprit_message": self.culprit_message, "how": self.how,
            "loads": self.loads,
        }


class Loader:
    def __init__(self, backend, family, counters):
        self.backend, self.family, self.counters = backend, family, counters
        self.loads = 0

    def __call__(self, rendered):
        """(exit status, stderr) of a real load in a fresh namespace of
        bytes, or of a render() result (its line numbers mapped back)."""
        data, lines = rendered if isinstance(rendered, tuple) else \
            (rendered, None)
        self.loads += 1
        with kernlib.netns_scope("or") as ns:
            rc, err = kernlib.load(ns, data, self.backend, self.family,
                                   counters=self.counters)
        return rc, remap(err, lines) if lines else err


def smallest_failing(lo, hi, fails):
    """The smallest k in [lo, hi] with fails(k), given fails(hi); loads
    are monotonic enough: a failing prefix keeps failing when it grows."""
    while lo < hi:
        mid = (lo + hi) // 2
        if fails(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def bisect(text, data, load, v):
    """Fill in @v.culprit for a refused load of @text."""
    pre, blocks, post = split_blocks(text)
    ntab = len(blocks)

    # 1. The first table that fails on top of the ones before it.
    def tables_fail(k):
        return load(render(pre, blocks[:k]))[0] != 0

    if ntab and tables_fail(ntab):
        k = smallest_failing(0, ntab, tables_fail)
        if k == 0:
            # Even with no table at all: the lines before the first one.
            v.culprit = pre[0] if pre else (1, text.split("\n", 1)[0])
            v.how = "refused before its first table"
            v.culprit_message = first_line(load(render(pre, []))[1])
            return
        b = blocks[k - 1]
        done = blocks[:k - 1]

        # 2. The first line of that table whose addition makes it fail.
        def lines_fail(m):
            return load(render(pre, done, b, m))[0] != 0

        m = smallest_failing(0, len(b.lines), lines_fail)
        if m == 0:
            v.culprit = b.star
            v.how = "table *%s fails even without its lines" % b.name
        else:
            v.culprit = b.lines[m - 1]
            v.how = ("the first line of table *%s whose addition makes "
                     "the load fail (%d of its %d lines)" % (
                         b.name, m, len(b.lines)))
        v.culprit_message = first_line(load(render(pre, done, b, m))[1])
        return

    # 3. Every table loads on its own, committed cleanly: the refusal is
    # in the file's structure (a COMMIT that is not exactly "COMMIT",
    # one missing, lines outside any table, ...).
    for b in blocks:
        if b.commit is None:
            last = b.lines[-1] if b.lines else b.star
            v.culprit = last
            v.how = "table *%s has no COMMIT after its last line" % b.name
            return
    m = LINE_RE.search(v.message)
    lines = text.split("\n")
    if blocks and not text.endswith("\n") and blocks[-1].commit and \
            blocks[-1].commit[0] == len(lines):
        v.culprit = blocks[-1].commit
        v.how = "the last COMMIT has no newline (legacy compares the " \
                "line with \"COMMIT\\n\")"
    elif m and 0 < int(m.group(2)) <= len(lines):
        n = int(m.group(2))
        v.culprit = (n, lines[n - 1])
        v.how = "named by iptables-restore (every table loads cleanly " \
                "committed)"
    elif post:
        v.culprit = post[0]
        v.how = "a line after the last COMMIT"
    elif pre:
        v.culprit = pre[0]
        v.how = "a line before the first table"
    else:
        v.how = "not found: every table loads on its own"
