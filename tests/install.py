#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Packaging: "meson install --destdir" puts the binary, the man page and
the docs in place (docs/checks/*.md under share/doc/iptlint/checks, where
SARIF's helpUri points); the installed binary runs; the pre-commit hook
(.pre-commit-hooks.yaml) and the example CI workflow
(docs/examples/github-workflow.yml) are well formed and do what they say.

    tests/install.py --meson meson --build-root build --source-root .
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from tally import Tally

TALLY = Tally()
check = TALLY.check


def introspect(meson, build_root, what):
    p = subprocess.run(meson + ["introspect", str(build_root), what],
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", required=True)
    ap.add_argument("--build-root", required=True, type=Path)
    ap.add_argument("--source-root", required=True, type=Path)
    opts = ap.parse_args()
    meson = shlex.split(opts.meson)
    root = opts.source_root.resolve()
    opts_list = introspect(meson, opts.build_root, "--buildoptions")
    o = {x["name"]: x["value"] for x in opts_list}
    prefix, datadir = o["prefix"], o["datadir"]
    bindir, mandir = o["bindir"], o["mandir"]
    version = introspect(meson, opts.build_root, "--projectinfo")["version"]

    with tempfile.TemporaryDirectory(prefix="iptlint-install-") as dest:
        dest = Path(dest)
        p = subprocess.run(meson + ["install", "-C", str(opts.build_root),
                                    "--destdir", str(dest), "--no-rebuild",
                                    "--quiet"],
                           capture_output=True, text=True)
        check("meson install --destdir", p.returncode == 0, p.stderr)

        def at(*parts):
            path = Path(parts[0])
            for x in parts[1:]:
                path = path / x
            return dest / str(path).lstrip("/")

        exe = at(prefix, bindir, "iptlint")
        check("binary installed", exe.is_file() and os.access(exe, os.X_OK),
              str(exe))
        if not exe.is_file():
            print("install: %d passed, %d failed" % (TALLY.passed, TALLY.failed))
            return 1
        p = subprocess.run([str(exe), "--version"], capture_output=True,
                           text=True)
        check("--version is the project's", p.stdout.strip() ==
              "iptlint " + version, p.stdout)
        man = at(prefix, mandir, "man1", "iptlint.1")
        check("man page installed", man.is_file(), str(man))
        if man.is_file():
            check("man page is the source's", man.read_bytes() ==
                  (root / "docs" / "iptlint.1").read_bytes())
        docdir = at(prefix, datadir, "doc", "iptlint")
        check("README installed", (docdir / "README.md").is_file())
        p = subprocess.run([str(exe), "--list-checks"], capture_output=True,
                           text=True)
        names = [l.split()[0] for l in p.stdout.splitlines() if l.strip()]
        check("checks listed", len(names) >= 10, p.stdout)
        for n in names:
            page = docdir / "checks" / (n + ".md")
            check("page of %s installed" % n, page.is_file() and
                  page.read_bytes() ==
                  (root / "docs" / "checks" / (n + ".md")).read_bytes(),
                  str(page))

        # SARIF's links point at the installed pages.
        ruleset = root / "testdata" / "examples" / "rules.v4"
        p = subprocess.run([str(exe), "--no-config", "--format=sarif",
                            "--fail-on=never", str(ruleset)],
                           capture_output=True, text=True)
        driver = json.loads(p.stdout)["runs"][0]["tool"]["driver"]
        uris = [r["helpUri"] for r in driver["rules"]]
        uris.append(driver["informationUri"])
        for u in uris:
            check("SARIF link %s is installed" % u, u.startswith("file:///")
                  and (dest / u[len("file:///"):]).is_file())

        # The pre-commit hook: what pre-commit would run, with the
        # installed iptlint first on PATH.
        try:
            import yaml
        except ImportError:
            yaml = None
            print("install: python3-yaml missing: YAML files not parsed")
        hooks_text = (root / ".pre-commit-hooks.yaml").read_text()
        if yaml:
            hooks = yaml.safe_load(hooks_text)
            check("hooks: a list with the iptlint hook",
                  isinstance(hooks, list) and hooks and
                  hooks[0].get("id") == "iptlint", hooks_text)
            hook = hooks[0]
            for key in ("id", "name", "entry", "language", "files"):
                check("hook has %s" % key, key in hook)
            check("hook: language system (the installed binary)",
                  hook.get("language") == "system")
            files_re = re.compile(hook.get("files", "^$"))
            for name, want in (("rules.v4", True), ("etc/iptables/rules.v6", True),
                               ("ufw/before.rules", True), ("README.md", False),
                               ("rules.v4.bak", False)):
                check("hook files: %s %s" % (name, "matched" if want else
                                             "not matched"),
                      bool(files_re.search(name)) == want)
            env = dict(os.environ, PATH=str(exe.parent) + os.pathsep +
                       os.environ.get("PATH", ""))
            argv = shlex.split(hook["entry"]) + [str(ruleset)]
            p = subprocess.run(argv, env=env, capture_output=True, text=True)
            check("hook entry runs (findings: exit 1)", p.returncode == 1 and
                  re.search(r":\d+:\d+: (error|warning|note): ", p.stdout),
                  "%d %s %s" % (p.returncode, p.stdout[:200], p.stderr))
            clean = root / "testdata" / "checks" / "bad-value" / \
                "good-counters-max.rules"
            if clean.exists():
                p = subprocess.run(shlex.split(hook["entry"]) + [str(clean)],
                                   env=env, capture_output=True, text=True)
                check("hook entry on a clean file: exit 0",
                      p.returncode == 0, p.stdout)

            # The example workflow: lint to SARIF, upload it.
            wf_text = (root / "docs" / "examples" /
                       "github-workflow.yml").read_text()
            wf = yaml.safe_load(wf_text)
            steps = [s for j in wf["jobs"].values() for s in j["steps"]]
            up = [s for s in steps if str(s.get("uses", "")).startswith(
                "github/codeql-action/upload-sarif@")]
            check("workflow uploads SARIF", len(up) == 1, wf_text)
            if up:
                sarif = up[0]["with"]["sarif_file"]
                check("workflow writes what it uploads", any(
                    "--format=sarif" in s.get("run", "") and
                    "> " + sarif in s.get("run", "") for s in steps))
                check("workflow uploads even after findings",
                      up[0].get("if") == "always()")
            check("workflow may write security events",
                  wf.get("permissions", {}).get("security-events") == "write")

        # The README shows each of them.
        readme = (root / "README.md").read_text()
        for what in (".pre-commit-config.yaml", "id: iptlint",
                     "docs/examples/github-workflow.yml",
                     "meson install"):
            check("README mentions %s" % what, what in readme)
    print("install: %d passed, %d failed" % (TALLY.passed, TALLY.failed))
    return 1 if TALLY.failed else 0


if __name__ == "__main__":
    sys.exit(main())
