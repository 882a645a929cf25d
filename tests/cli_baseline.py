#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--write-baseline and --baseline from the command line: a baseline hides
every old finding; after blank lines and a new bug are inserted, only the
new bug is reported, in every format, and the exit status counts only new
findings. The fingerprints are SARIF's.

    tests/cli_baseline.py --iptlint build/tools/iptlint
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tally import Tally

OLD = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:unused - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -s 10.0.0.0/8 -j ACCEPT
-A INPUT -s 10.1.0.0/16 -j DROP
-A INPUT -j LOG
-A unused -j ACCEPT
COMMIT
"""

# Blank lines everywhere and one new bug (a warning) in the middle.
NEW_WARNING = """*filter

:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]

:unused - [0:0]
-A INPUT -i lo -j ACCEPT

-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT


-A INPUT -s 10.0.0.0/8 -j ACCEPT
-A INPUT -s 10.1.0.0/16 -j DROP
-A INPUT -s 10.2.0.0/16 -j DROP
-A INPUT -j LOG
-A unused -j ACCEPT
COMMIT
"""
NEW_WARNING_LINE = 17

# Only a note is new: the old warnings are hidden, so the exit status is 0.
NEW_NOTE = OLD.replace("-A INPUT -j LOG\n",
                       "\n\n-A INPUT -j LOG\n-A OUTPUT -p udp -j LOG\n")


class T(Tally):
    def __init__(self, iptlint, tmp):
        super().__init__()
        self.iptlint = iptlint
        self.tmp = Path(tmp)

    def run(self, args):
        p = subprocess.run([self.iptlint, "--no-config"] + args, cwd=self.tmp,
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iptlint", required=True)
    opts = ap.parse_args()
    iptlint = os.path.abspath(opts.iptlint)
    with tempfile.TemporaryDirectory(prefix="iptlint-baseline-") as tmp:
        t = T(iptlint, tmp)
        rules = t.tmp / "rules.v4"
        rules.write_text(OLD)
        rc, out, _ = t.run(["--format=json", "--fail-on=never", "rules.v4"])
        old = json.loads(out)["diagnostics"]
        t.check("the old ruleset has findings of several checks",
                len({d["check"] for d in old}) >= 4, out)

        # Recording: nothing on stdout, exit 0, a readable file.
        rc, out, err = t.run(["--write-baseline", "baseline.json", "rules.v4"])
        t.check("--write-baseline: exit 0", rc == 0, "rc=%d %s" % (rc, err))
        t.check("--write-baseline: nothing on stdout", out == "", out)
        t.check("--write-baseline: says how many",
                "%d findings recorded in the baseline baseline.json" % len(old)
                in err, err)
        doc = json.loads((t.tmp / "baseline.json").read_text())
        t.check("baseline: version and tool",
                doc.get("version") == 1 and doc.get("tool") == "iptlint")
        rec = doc["findings"]
        t.check("baseline: one record per finding", len(rec) == len(old))
        t.check("baseline: check, file, line, message, fingerprint",
                all(set(r) == {"check", "file", "line", "message",
                               "fingerprint"} for r in rec) and
                [(r["check"], r["line"], r["message"]) for r in rec] ==
                [(d["check"], d["line"], d["message"]) for d in old] and
                all(r["file"] == "rules.v4" for r in rec) and
                all(re.fullmatch(r"[0-9a-f]{16}", r["fingerprint"])
                    for r in rec), json.dumps(rec, indent=1))
        rc, out, _ = t.run(["--format=sarif", "--fail-on=never", "rules.v4"])
        sarif_fps = [r["partialFingerprints"]["iptlintRule/v1"]
                     for r in json.loads(out)["runs"][0]["results"]]
        t.check("baseline fingerprints are SARIF's",
                sarif_fps == [r["fingerprint"] for r in rec])

        # The same ruleset against its baseline: nothing left.
        for fmt in ("text", "gcc", "json", "sarif"):
            rc, out, err = t.run(["--baseline", "baseline.json",
                                  "--format=" + fmt, "rules.v4"])
            t.check("unchanged (%s): exit 0" % fmt, rc == 0, "rc=%d" % rc)
            t.check("unchanged (%s): hidden count on stderr" % fmt,
                    "%d findings hidden by the baseline baseline.json" %
                    len(old) in err, err)
            if fmt in ("text", "gcc"):
                t.check("unchanged (%s): no finding" % fmt, out == "", out)
            elif fmt == "json":
                t.check("unchanged (json): no finding",
                        json.loads(out)["diagnostics"] == [], out)
            else:
                t.check("unchanged (sarif): no result",
                        json.loads(out)["runs"][0]["results"] == [], out)

        # Lines moved and a new bug: only the new bug (its note, the rule that
        # takes its packets, is an old line: it comes with it).
        rules.write_text(NEW_WARNING)
        rc, out, err = t.run(["--baseline", "baseline.json", "--format=gcc",
                              "rules.v4"])
        lines = [l for l in out.splitlines() if ": note: " not in l]
        t.check("new bug: only it is reported",
                len(lines) == 1 and lines[0].startswith(
                    "rules.v4:%d:" % NEW_WARNING_LINE) and
                lines[0].endswith("[unreachable-rule]"), out)
        t.check("new bug: exit 1", rc == 1, "rc=%d" % rc)
        t.check("new bug: old ones counted as hidden",
                "%d findings hidden" % len(old) in err, err)
        rc, out, err = t.run(["--baseline", "baseline.json", "--format=sarif",
                              "rules.v4"])
        res = json.loads(out)["runs"][0]["results"]
        t.check("new bug (sarif): one result, not in the baseline",
                len(res) == 1 and res[0]["ruleId"] == "unreachable-rule" and
                res[0]["partialFingerprints"]["iptlintRule/v1"] not in
                {r["fingerprint"] for r in rec}, out)
        rc, out, err = t.run(["--baseline", "baseline.json",
                              "--fail-on=never", "rules.v4"])
        t.check("new bug: --fail-on=never still exits 0", rc == 0)

        # A new note only: old warnings do not make the exit status 1.
        rules.write_text(NEW_NOTE)
        rc, out, err = t.run(["--format=gcc", "rules.v4"])
        t.check("without the baseline: exit 1 (old warnings)", rc == 1)
        rc, out, err = t.run(["--baseline", "baseline.json", "--format=gcc",
                              "rules.v4"])
        t.check("new note: only it is reported",
                len(out.splitlines()) == 1 and
                out.endswith("[log-without-limit]\n") and
                out.startswith("rules.v4:15:"), out)
        t.check("new note: exit 0 (fail-on warning)", rc == 0, "rc=%d" % rc)
        rc, out, err = t.run(["--baseline", "baseline.json",
                              "--fail-on=note", "rules.v4"])
        t.check("new note: exit 1 with --fail-on=note", rc == 1)

        # Trouble: bad or missing baseline, unwritable path.
        (t.tmp / "bad.json").write_text("{\"version\": 1,\n")
        rc, out, err = t.run(["--baseline", "bad.json", "rules.v4"])
        t.check("bad baseline: exit 2, nothing linted",
                rc == 2 and out == "" and "bad.json:2:1: error:" in err, err)
        rc, out, err = t.run(["--baseline", "missing.json", "rules.v4"])
        t.check("missing baseline: exit 2", rc == 2 and out == "", err)
        rc, out, err = t.run(["--write-baseline", "no/such/dir/b.json",
                              "rules.v4"])
        t.check("unwritable baseline: exit 2", rc == 2 and
                "no/such/dir/b.json" in err, err)
        rc, out, err = t.run(["--write-baseline", "partial.json", "rules.v4",
                              "missing.rules"])
        t.check("unreadable input: no baseline written", rc == 2 and
                not (t.tmp / "partial.json").exists(), err)

        print("cli_baseline: %d passed, %d failed" % (t.passed, t.failed))
        return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
