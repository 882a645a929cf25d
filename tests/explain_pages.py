#!/usr/bin/env python3
"""Every registered check has its page compiled in (--explain), with a
bad and a good example; an unknown name is a usage error (exit 2)."""
import subprocess
import sys


def main():
    iptlint = sys.argv[1]
    names = [l.split()[0] for l in subprocess.run(
        [iptlint, "--list-checks"], capture_output=True, text=True,
        check=True).stdout.splitlines() if l.strip()]
    bad = 0
    for n in names:
        r = subprocess.run([iptlint, "--explain", n], capture_output=True,
                           text=True)
        missing = [s for s in ("# " + n, "## Bad", "## Good", "## How to fix")
                   if s not in r.stdout]
        if r.returncode != 0 or missing:
            print("%s: exit %d, missing %s" % (n, r.returncode, missing))
            bad += 1
    r = subprocess.run([iptlint, "--explain", "no-such-check"],
                       capture_output=True, text=True)
    if r.returncode != 2:
        print("--explain no-such-check: exit %d, want 2" % r.returncode)
        bad += 1
    print("explain_pages: %d checks, %d problems" % (len(names), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
