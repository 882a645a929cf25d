# SPDX-License-Identifier: GPL-2.0-or-later
"""The passed/failed count of a test script that makes many small checks."""


class Tally:
    """Counts checks; a failed one is printed as it happens."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s %s" % (name, detail))
        return ok
