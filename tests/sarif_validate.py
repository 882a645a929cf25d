#!/usr/bin/env python3
"""SARIF output of every testdata ruleset validates against the official
SARIF 2.1.0 schema (testdata/sarif-schema-2.1.0.json, from OASIS), and a
finding keeps its partialFingerprints when blank lines are inserted above
its rule. Needs python3-jsonschema; skipped (77) without it."""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile


def sarif(iptlint, path, cwd):
    out = subprocess.run([iptlint, "--format=sarif", "--fail-on=never",
                          str(path)], cwd=cwd, capture_output=True)
    if out.returncode > 2:
        raise SystemExit("%s: iptlint exited %d" % (path, out.returncode))
    return json.loads(out.stdout)


def fingerprints(doc):
    return sorted((r["ruleId"], r["partialFingerprints"]["iptlintRule/v1"])
                  for r in doc["runs"][0]["results"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iptlint", required=True)
    ap.add_argument("--source-root", required=True)
    opts = ap.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("sarif_validate: skipped: python3-jsonschema is not installed")
        return 77
    root = pathlib.Path(opts.source_root)
    opts.iptlint = os.path.abspath(opts.iptlint)
    schema = json.loads((root / "testdata/sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.FormatChecker())
    files = sorted(root.glob("testdata/**/*.rules"))
    bad = 0
    for f in files:
        doc = sarif(opts.iptlint, f.relative_to(root), root)
        errors = list(validator.iter_errors(doc))
        for e in errors[:3]:
            print("%s: %s at %s" % (f, e.message, list(e.absolute_path)))
        bad += bool(errors)
    # Fingerprints survive lines moving.
    moved = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            text = f.read_text(errors="surrogateescape")
            if not text.startswith("*") and "\n*" not in text:
                continue
            a = pathlib.Path(tmp) / "a.rules"
            b = pathlib.Path(tmp) / "b.rules"
            a.write_text(text, errors="surrogateescape")
            # Blank lines right after each "*table" line move every rule.
            b.write_text("\n".join(l + ("\n\n\n" if l.startswith("*") else "")
                                   for l in text.split("\n")),
                         errors="surrogateescape")
            fa = fingerprints(sarif(opts.iptlint, "a.rules", tmp))
            fb = fingerprints(sarif(opts.iptlint, "b.rules", tmp))
            # Parse errors point at lines, not rules: compare rule findings.
            if [x for x in fa if x[0] != "syntax-error"] != \
               [x for x in fb if x[0] != "syntax-error"]:
                print("%s: fingerprints changed when lines moved" % f)
                moved += 1
    print("sarif_validate: %d files, %d invalid, %d with moving fingerprints"
          % (len(files), bad, moved))
    return 1 if bad or moved else 0


if __name__ == "__main__":
    sys.exit(main())
