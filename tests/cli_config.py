#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The configuration file from the command line's side: .iptlintrc found by
walking up from the first file's directory (the working directory for
standard input), then $XDG_CONFIG_HOME/iptlint/config or
~/.config/iptlint/config; --config FILE; --no-config; options override the
configuration; a bad configuration is a located error with exit status 2;
the entry-mark options parse (--prerouting-mark, --output-mark).

    tests/cli_config.py --iptlint build/tools/iptlint
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

RULES = """*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:unused - [0:0]
-A INPUT -j LOG
-A unused -j ACCEPT
COMMIT
"""


class T(Tally):
    def __init__(self, iptlint, tmp):
        super().__init__()
        self.iptlint = iptlint
        self.tmp = Path(tmp)
        self.env = dict(os.environ)
        self.env.pop("XDG_CONFIG_HOME", None)
        self.env["HOME"] = str(self.tmp / "home")
        (self.tmp / "home").mkdir()

    def run(self, args, cwd=None, stdin=None, env=None):
        p = subprocess.run([self.iptlint] + args, cwd=cwd or self.tmp,
                           input=stdin, capture_output=True, text=True,
                           env=env or self.env, timeout=60)
        return p.returncode, p.stdout, p.stderr


def fmt_of(out):
    """Which format iptlint printed."""
    if out.startswith("{"):
        doc = json.loads(out)
        return "sarif" if "runs" in doc else "json"
    if re.match(r"^\S+:\d+:\d+: (error|warning|note): .*\]$", out.split("\n")[0]) \
            and "^" not in out:
        return "gcc"
    return "text"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iptlint", required=True)
    opts = ap.parse_args()
    iptlint = os.path.abspath(opts.iptlint)
    with tempfile.TemporaryDirectory(prefix="iptlint-cli-") as tmp:
        t = T(iptlint, os.path.realpath(tmp))
        top = t.tmp / "proj"
        rules = write(top / "a" / "b" / "rules.v4", RULES)
        other = write(t.tmp / "elsewhere" / "rules.v4", RULES)

        # No configuration anywhere: the defaults.
        rc, out, _ = t.run([str(rules)])
        t.check("no config: text", fmt_of(out) == "text", out[:200])
        t.check("no config: exit 1 (unused-chain is a warning)", rc == 1)

        # Found by walking up from the file's directory.
        write(top / ".iptlintrc",
              "# project settings\nformat = gcc\ndisable = unused-chain\n")
        for name, args, cwd in (
                ("absolute path", [str(rules)], t.tmp),
                ("relative path", ["a/b/rules.v4"], top),
                ("from below", ["../b/rules.v4"], top / "a" / "b"),
                ("first file decides", [str(rules), str(other)], t.tmp)):
            rc, out, err = t.run(args, cwd=cwd)
            t.check("walk up (%s): gcc" % name, fmt_of(out) == "gcc", out[:200])
            t.check("walk up (%s): unused-chain disabled" % name,
                    "unused-chain" not in out, out)
            t.check("walk up (%s): exit 0 (only a note)" % name, rc == 0,
                    "rc=%d %s" % (rc, err))
        rc, out, _ = t.run([str(other), str(rules)])
        t.check("first file elsewhere: no project config",
                fmt_of(out) == "text", out[:200])

        # Standard input: from the working directory up.
        rc, out, _ = t.run(["-"], cwd=top / "a", stdin=RULES)
        t.check("stdin: config from the working directory", fmt_of(out) == "gcc"
                and "<stdin>:" in out, out[:200])
        rc, out, _ = t.run(["-"], cwd=t.tmp / "elsewhere", stdin=RULES)
        t.check("stdin elsewhere: no config", fmt_of(out) == "text", out[:200])

        # The user's configuration, when no project file is found.
        write(t.tmp / "home" / ".config" / "iptlint" / "config",
              "format = json\n")
        rc, out, _ = t.run([str(other)])
        t.check("~/.config/iptlint/config", fmt_of(out) == "json", out[:200])
        env = dict(t.env, XDG_CONFIG_HOME=str(t.tmp / "xdg"))
        write(t.tmp / "xdg" / "iptlint" / "config", "format = sarif\n")
        rc, out, _ = t.run([str(other)], env=env)
        t.check("$XDG_CONFIG_HOME/iptlint/config", fmt_of(out) == "sarif",
                out[:200])
        rc, out, _ = t.run([str(rules)], env=env)
        t.check("the project's file beats the user's", fmt_of(out) == "gcc",
                out[:200])

        # Options override the configuration.
        rc, out, _ = t.run(["--format=text", str(rules)])
        t.check("--format overrides format", fmt_of(out) == "text", out[:200])
        rc, out, _ = t.run(["--enable=unused-chain", str(rules)])
        t.check("--enable overrides disable", "[unused-chain]" in out and
                fmt_of(out) == "gcc" and rc == 1, "rc=%d %s" % (rc, out))
        write(top / ".iptlintrc", "fail-on = note\nformat = gcc\n")
        rc, out, _ = t.run([str(rules)])
        t.check("fail-on from the config", rc == 1)
        rc, out, _ = t.run(["--fail-on=never", str(rules)])
        t.check("--fail-on overrides fail-on", rc == 0)

        # --no-config and --config.
        rc, out, _ = t.run(["--no-config", str(rules)])
        t.check("--no-config", fmt_of(out) == "text", out[:200])
        explicit = write(t.tmp / "explicit.conf", "format = json\n")
        rc, out, _ = t.run(["--config", str(explicit), str(rules)])
        t.check("--config FILE", fmt_of(out) == "json", out[:200])
        rc, out, err = t.run(["--config=" + str(explicit), "--no-config",
                              str(rules)])
        t.check("--config with --no-config: usage error", rc == 2 and not out,
                err)
        rc, out, err = t.run(["--config", str(t.tmp / "missing"), str(rules)])
        t.check("--config of a missing file: exit 2", rc == 2 and not out and
                "cannot read the configuration" in err, err)

        # A bad configuration: located error, exit 2, nothing linted.
        write(top / ".iptlintrc", "# ok\nformat = gcc\nfromat = json\n")
        rc, out, err = t.run(["a/b/rules.v4"], cwd=top)
        t.check("bad key: exit 2", rc == 2 and not out, "rc=%d" % rc)
        t.check("bad key: located",
                re.search(r"(^|/)\.iptlintrc:3:1: error: unknown key 'fromat'; "
                          r"did you mean 'format'\?$", err.strip()) is not None,
                err)
        write(top / ".iptlintrc", "format = gcc\nfail-on =   sometimes\n")
        rc, out, err = t.run([str(rules)])
        t.check("bad value: located at the value",
                rc == 2 and re.search(r"\.iptlintrc:2:13: error: invalid value "
                                      r"'sometimes' for 'fail-on'", err), err)
        write(top / ".iptlintrc", "format gcc\n")
        rc, out, err = t.run([str(rules)])
        t.check("bad syntax: located",
                rc == 2 and re.search(r"\.iptlintrc:1:8: error: expected '=' "
                                      r"after 'format'", err), err)
        for key in ("list-checks = true", "noflush = true",
                    "baseline = b.json"):
            write(top / ".iptlintrc", key + "\n")
            rc, out, err = t.run([str(rules)])
            t.check("command-line only key refused: " + key,
                    rc == 2 and "can only be given on the command line" in err,
                    err)
        rc, out, err = t.run(["--no-config", str(rules)])
        t.check("--no-config skips a bad config", rc == 1 and out, err)

        # The entry-mark assumptions: options and keys.
        write(top / ".iptlintrc",
              "prerouting-mark = unknown\noutput-mark = zero\n")
        rc, out, err = t.run([str(rules)])
        t.check("mark keys accepted", rc == 1 and not err, err)
        for args in (["--prerouting-mark=zero"], ["--prerouting-mark=unknown"],
                     ["--output-mark=zero"], ["--output-mark=unknown"]):
            rc, out, err = t.run(args + ["--no-config", str(rules)])
            t.check("%s accepted" % args[0], rc == 1 and not err, err)
        for args in (["--prerouting-mark=any"], ["--output-mark=0"]):
            rc, out, err = t.run(args + [str(rules)])
            t.check("%s refused" % args[0], rc == 2 and
                    "Valid arguments are: 'zero', 'unknown'" in err, err)
        write(top / ".iptlintrc", "output-mark = sometimes\n")
        rc, out, err = t.run([str(rules)])
        t.check("bad mark value located", rc == 2 and re.search(
            r"\.iptlintrc:1:15: error: invalid value 'sometimes' for "
            r"'output-mark'", err), err)

        # --help lists every option.
        rc, out, _ = t.run(["--help"])
        for o in ("--config", "--no-config", "--prerouting-mark",
                  "--output-mark", "--baseline", "--write-baseline",
                  "--noflush"):
            t.check("--help lists " + o, o in out)

        print("cli_config: %d passed, %d failed" % (t.passed, t.failed))
        return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
