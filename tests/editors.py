#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Real editors on iptlint's gcc output, set up as README.md says:

- vim (vim -es): the README's errorformat and makeprg; ":cgetfile" of
  iptlint's output and ":make" on a ruleset give a quickfix list with the
  right file, line, column, type (e error, w warning, n note: a note is an
  entry of its own) and text ("MESSAGE [check]"); ":cc N" puts the cursor
  on the finding's first byte.
- Emacs (emacs --batch): the README's snippet (M-x iptlint, compile) and
  compilation-mode over iptlint's output: file, line, column and level
  (2 error, 1 warning, 0 info for notes) of each line; next-error visits
  the finding's first byte.
- VS Code: the README's problem matcher regexp applied to every line
  (with Python's re: the pattern uses nothing JavaScript reads otherwise).

An editor that is not installed is skipped with a message (exit 77 when
nothing was tested); tools/run-tests.sh installs vim-nox and emacs-nox.

    tests/editors.py --iptlint build/tools/iptlint --source-root . [--only vim]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tally import Tally

GCC_RE = re.compile(r"^(.+?):(\d+):(\d+): (error|warning|note): (.*)$")

# A tab before a span (columns count bytes), a fix-it, notes in another
# file (--noflush), a note-level finding with notes of its own.
FIRST = """*filter
:INPUT DROP [100:1000]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:svc - [0:0]
[50:500] -A INPUT -i lo -j ACCEPT
[50:500] -A INPUT -s 10.0.0.0/8 -j ACCEPT
[0:0] -A svc -j ACCEPT
COMMIT
"""
SECOND = """*filter
-A INPUT -s 10.1.0.0/16 -j DROP
-A INPUT -j svc
-A INPUT -j LOG
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
-A\tPREROUTING -p tcp --dprot 22 -j ACCEPT
COMMIT
"""

TALLY = Tally()
check = TALLY.check
skipped = []


def readme_block(readme, lang, after):
    """The first ```lang block of README.md after the text @after."""
    start = readme.index(after)
    m = re.search(r"```%s\n(.*?)```" % re.escape(lang), readme[start:], re.S)
    return m.group(1)


def expected(out):
    """[(file, line, col, severity, text)] of iptlint's gcc output."""
    res = []
    for line in out.splitlines():
        m = GCC_RE.match(line)
        if m:
            res.append((m.group(1), int(m.group(2)), int(m.group(3)),
                        m.group(4), m.group(5)))
    return res


def token_at(root, f, line, col):
    """The text of @f from (@line, @col) (bytes, from 1) to a blank."""
    data = (Path(root) / f).read_bytes().split(b"\n")[line - 1]
    return re.split(rb"[ \t]", data[col - 1:])[0].decode()


def test_vim(tmp, files, want, env):
    vim = shutil.which("vim")
    if not vim:
        skipped.append("vim (vim-nox) is not installed")
        return
    readme = (ROOT / "README.md").read_text()
    block = readme_block(readme, "vim", "**vim**")
    setup = [l for l in block.splitlines() if l.startswith("set ")]
    check("README: vim block sets errorformat and makeprg",
          any("errorformat" in l for l in setup) and
          any("makeprg" in l for l in setup), block)
    qf_json = tmp / "qf.json"
    dump = ("call writefile([json_encode(map(getqflist(), {_, v -> "
            "{'file': bufname(v.bufnr), 'lnum': v.lnum, 'col': v.col, "
            "'type': v.type, 'text': v.text, 'valid': v.valid}}))], '%s')"
            % qf_json)
    # Where ":cc N" puts the cursor, for every entry.
    jumps = tmp / "jumps.json"
    walk = ("let g:at = [] | for i in range(1, len(getqflist())) | "
            "silent exe 'cc ' . i | call add(g:at, [bufname('%%'), line('.'), "
            "col('.'), getline('.')[col('.') - 1:]]) | endfor | "
            "call writefile([json_encode(g:at)], '%s')" % jumps)

    def run_vim(script_lines, args):
        script = tmp / "t.vim"
        script.write_text("\n".join(script_lines + [dump, walk, "qa!"]) + "\n")
        p = subprocess.run([vim, "-es", "-u", "NONE", "-i", "NONE", "-N"] +
                           args + ["-S", str(script)], cwd=tmp, env=env,
                           capture_output=True, text=True, timeout=120)
        return p.returncode, json.loads(qf_json.read_text()), \
            json.loads(jumps.read_text())

    types = {"error": "e", "warning": "w", "note": "n"}
    for how in ("cgetfile", "make"):
        if how == "cgetfile":
            out = tmp / "out.txt"
            p = subprocess.run([IPTLINT, "--no-config", "--noflush",
                                "--format=gcc"] + files, cwd=tmp, env=env,
                               capture_output=True, text=True)
            out.write_text(p.stdout)
            exp = expected(p.stdout)
            rc, qf, at = run_vim(setup + ["cgetfile " + str(out)], [])
        else:
            # :make as the README sets it up: iptlint on the current file.
            p = subprocess.run([IPTLINT, "--no-config", "--format=gcc",
                                files[1]], cwd=tmp, env=env,
                               capture_output=True, text=True)
            exp = expected(p.stdout)
            rc, qf, at = run_vim(setup + ["silent make!"], [files[1]])
        name = "vim %s" % how
        check(name + ": exit 0", rc == 0)
        check(name + ": every line an entry", len(qf) == len(exp) and
              len(exp) >= 3, "%d entries for %d lines" % (len(qf), len(exp)))
        check(name + ": all entries valid", all(e["valid"] for e in qf), qf)
        got = [(e["file"], e["lnum"], e["col"], e["type"], e["text"])
               for e in qf]
        exp_v = [(f, l, c, types[s], t) for f, l, c, s, t in exp]
        check(name + ": file, line, column, type, text", got == exp_v,
              "\n got %s\nwant %s" % (got, exp_v))
        check(name + ": notes are entries of type n",
              any(e["type"] == "n" for e in qf))
        for (f, l, c, s, t), (bf, bl, bc, rest) in zip(exp, at):
            tok = token_at(tmp, f, l, c)
            check("%s: :cc lands on %s:%d:%d" % (name, f, l, c),
                  (bf, bl, bc) == (f, l, c) and rest.startswith(tok),
                  (bf, bl, bc, rest))


def test_emacs(tmp, files, want, env):
    emacs = shutil.which("emacs")
    if not emacs:
        skipped.append("emacs (emacs-nox) is not installed")
        return
    readme = (ROOT / "README.md").read_text()
    snippet = readme_block(readme, "elisp", "**emacs**")
    check("README: emacs snippet defines iptlint", "(defun iptlint" in snippet)
    p = subprocess.run([IPTLINT, "--no-config", "--noflush", "--format=gcc"] +
                       files, cwd=tmp, env=env, capture_output=True, text=True)
    out = tmp / "out.txt"
    # The command first, as in a *compilation* buffer: next-error starts
    # looking on the line after point.
    out.write_text("iptlint --noflush --format=gcc %s\n" % " ".join(files)
                   + p.stdout)
    exp = expected(p.stdout)
    p1 = subprocess.run([IPTLINT, "--no-config", "--format=gcc", files[1]],
                        cwd=tmp, env=env, capture_output=True, text=True)
    exp1 = expected(p1.stdout)
    result = tmp / "emacs.json"
    (tmp / "snippet.el").write_text(snippet)
    (tmp / "t.el").write_text(r"""
(require 'compile)
(require 'json)
(load (expand-file-name "snippet.el"))
(defun t-messages (buf)
  "Each parsed line of BUF: file, line, column, level; and where
next-error takes point: file, line, column (from 1), text there."
  (let ((res '()) (msgs '()))
    (with-current-buffer buf
      (compilation--ensure-parse (point-max))
      (goto-char (point-min))
      (while (not (eobp))
        (let ((msg (get-text-property (line-beginning-position)
                                      'compilation-message)))
          (when msg
            (let* ((loc (compilation--message->loc msg))
                   (fs (compilation--loc->file-struct loc)))
              (push msg msgs)
              (push (vector (caar fs) (compilation--loc->line loc)
                            (compilation--loc->col loc)
                            (compilation--message->type msg))
                    res))))
        (forward-line 1)))
    (setq res (nreverse res) msgs (nreverse msgs))
    (let ((visits '()) (i 0))
      (dolist (msg msgs)
        (with-current-buffer buf
          (if (= i 0) (first-error) (next-error)))
        (setq i (1+ i))
        ;; where C-x ` took it: the window it shows the file in
        (let ((m (window-point (selected-window))))
          (with-current-buffer (window-buffer (selected-window))
            (save-excursion
              (goto-char m)
              (push (vector (file-name-nondirectory buffer-file-name)
                            (line-number-at-pos)
                            (1+ (- (point) (line-beginning-position)))
                            (buffer-substring-no-properties
                             (point) (line-end-position)))
                    visits)))))
      (vector (vconcat res) (vconcat (nreverse visits))))))
(let (parsed made)
  ;; compilation-mode over iptlint's output
  (with-current-buffer (find-file-noselect "out.txt")
    (compilation-mode)
    ;; as the README's command sets its compilation buffer up
    (setq-local compilation-skip-threshold 0)
    (setq-local compilation-error-screen-columns nil)
    (setq parsed (t-messages (current-buffer))))
  ;; M-x iptlint (the README's snippet) on a ruleset
  (with-current-buffer (find-file-noselect "%s")
    (iptlint)
    (let ((buf (get-buffer "*compilation*")))
      (while (get-buffer-process buf)
        (accept-process-output (get-buffer-process buf) 0.1))
      (setq made (t-messages buf))))
  (with-temp-file "%s"
    (insert (json-encode (vector parsed made)))))
""" % (files[1], result))
    p = subprocess.run([emacs, "--batch", "-Q", "-l", str(tmp / "t.el")],
                       cwd=tmp, env=env, capture_output=True, text=True,
                       timeout=120)
    check("emacs: exit 0", p.returncode == 0, p.stderr[:3000])
    if p.returncode != 0:
        return
    (parsed, visits), (made, made_visits) = json.loads(result.read_text())
    levels = {"error": 2, "warning": 1, "note": 0}
    for name, got, vis, ex in (("compilation-mode", parsed, visits, exp),
                               ("M-x iptlint", made, made_visits, exp1)):
        # M-x iptlint passes the buffer's absolute file name.
        want_l = [[f, l, c, levels[s]] for f, l, c, s, t in ex]
        got_l = [[os.path.basename(g[0]) if os.path.isabs(g[0]) else g[0]]
                 + list(g[1:]) for g in got]
        check("emacs %s: file, line, column, level" % name,
              got_l == want_l and len(ex) >= 2,
              "\n got %s\nwant %s" % (got, want_l))
        check("emacs %s: next-error visits every entry" % name,
              len(vis) == len(ex), vis)
        for (f, l, c, s, t), v in zip(ex, vis):
            tok = token_at(tmp, f, l, c)
            check("emacs %s: next-error lands on %s:%d:%d" % (name, f, l, c),
                  list(v[:3]) == [os.path.basename(f), l, c] and
                  v[3].startswith(tok), v)


def test_vscode(tmp, files, env):
    readme = (ROOT / "README.md").read_text()
    tasks = json.loads(readme_block(readme, "json", "**VS Code**"))
    pm = tasks["tasks"][0]["problemMatcher"]
    pat = pm["pattern"]
    rx = re.compile(pat["regexp"])
    p = subprocess.run([IPTLINT, "--no-config", "--noflush", "--format=gcc"] +
                       files, cwd=tmp, env=env, capture_output=True, text=True)
    exp = expected(p.stdout)
    lines = p.stdout.splitlines()
    check("VS Code: every line matches", all(rx.match(l) for l in lines) and
          lines, lines)
    for line, (f, l, c, s, t) in zip(lines, exp):
        m = rx.match(line)
        if not m:
            continue
        msg, code = t.rsplit(" [", 1)
        check("VS Code: groups of %s" % line[:60],
              (m.group(pat["file"]), int(m.group(pat["line"])),
               int(m.group(pat["column"])), m.group(pat["severity"]),
               m.group(pat["message"]), m.group(pat["code"])) ==
              (f, l, c, s, msg, code.rstrip("]")))


def main():
    global IPTLINT, ROOT
    ap = argparse.ArgumentParser()
    ap.add_argument("--iptlint", required=True)
    ap.add_argument("--source-root", required=True, type=Path)
    ap.add_argument("--only", choices=("vim", "emacs", "vscode"),
                    help="one editor (meson runs each as a test of its own)")
    opts = ap.parse_args()
    IPTLINT = os.path.abspath(opts.iptlint)
    ROOT = opts.source_root.resolve()
    with tempfile.TemporaryDirectory(prefix="iptlint-editors-") as tmp:
        tmp = Path(tmp)
        (tmp / "home").mkdir()
        (tmp / "1-first.rules").write_text(FIRST)
        (tmp / "2-second.rules").write_text(SECOND)
        files = ["1-first.rules", "2-second.rules"]
        env = dict(os.environ, HOME=str(tmp / "home"),
                   PATH=os.path.dirname(IPTLINT) + os.pathsep +
                   os.environ.get("PATH", ""))
        env.pop("XDG_CONFIG_HOME", None)
        env.pop("EMACSLOADPATH", None)
        if opts.only in (None, "vim"):
            test_vim(tmp, files, None, env)
        if opts.only in (None, "emacs"):
            test_emacs(tmp, files, None, env)
        if opts.only in (None, "vscode"):
            test_vscode(tmp, files, env)
    for s in skipped:
        print("SKIP: " + s + " (tools/run-tests.sh installs it)")
    print("editors: %d passed, %d failed" % (TALLY.passed, TALLY.failed))
    if TALLY.failed:
        return 1
    return 77 if skipped and not TALLY.passed else 0


if __name__ == "__main__":
    sys.exit(main())
