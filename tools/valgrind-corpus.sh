#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iptlint under valgrind memcheck over every file of the shared corpus:
# any memory error or leak fails (valgrind --error-exitcode=99
# --leak-check=full). The files run in parallel (xargs -P). Each file is
# linted with every check enabled, in one output format of four in turn
# (text, gcc, json, sarif), so all renderers run under memcheck.
#
#   tools/valgrind-corpus.sh [-j JOBS] [-s N] [-m KB] [-b IPTLINT] [CORPUS]
#
#   -j JOBS    parallel valgrind processes (default: nproc)
#   -s N       only every Nth file (a sample; default 1: all)
#   -m KB      skip files larger than KB kilobytes (default: none)
#   -b IPTLINT the binary (default build/tools/iptlint; a plain build, not
#              one with -Db_sanitize)
#   CORPUS     default $IPTLINT_SHARED/corpus, else ../shared/corpus next
#              to the source tree
#
# Exit status: 0 clean, 1 errors (each failing file's valgrind log is
# printed), 77 skipped (no valgrind or no corpus).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
step=1
maxkb=
iptlint=$root/build/tools/iptlint
while getopts "j:s:m:b:h" opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	s) step=$OPTARG ;;
	m) maxkb=$OPTARG ;;
	b) iptlint=$OPTARG ;;
	*) sed -n '3,21p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
corpus=${1:-${IPTLINT_SHARED:-$root/../shared}/corpus}

if ! command -v valgrind >/dev/null; then
	echo "SKIP: no valgrind (apt-get install valgrind)"
	exit 77
fi
if [ ! -d "$corpus" ]; then
	echo "SKIP: no corpus at $corpus"
	exit 77
fi
iptlint=$(cd "$(dirname "$iptlint")" && pwd)/$(basename "$iptlint")
logs=$(mktemp -d "${TMPDIR:-/tmp}/iptlint-valgrind.XXXXXX")
trap 'rm -rf "$logs"' EXIT

# One file: "N PATH" on stdin of xargs; the log is kept only on failure.
run_one() {
	local n=$1 rel=$2 fmts=(text gcc json sarif) log rc=0
	local fmt=${fmts[$((n % 4))]}

	log=$LOGS/$n.log
	(cd "$CORPUS" && valgrind --quiet --error-exitcode=99 \
		--leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible \
		--track-origins=yes --log-file="$log" \
		"$IPTLINT" --enable=all --format="$fmt" --fail-on=never \
		"$rel" >/dev/null 2>"$log.stderr") || rc=$?
	if [ "$rc" -ne 0 ]; then
		{
			echo "=== $rel (--format=$fmt): exit status $rc"
			cat "$log" "$log.stderr"
		} >"$LOGS/FAIL-$n"
		echo "FAIL $rel (exit $rc)"
	fi
	rm -f "$log" "$log.stderr"
}
export -f run_one
export LOGS=$logs CORPUS=$corpus IPTLINT=$iptlint

start=$(date +%s)
(cd "$corpus" && find . -type f ! -path './INDEX.tsv' \
	! -path './KERNEL-VERDICTS.tsv' ! -path './STATS.tsv' \
	! -path './README.md' ${maxkb:+-size -$((maxkb + 1))k} | LC_ALL=C sort) |
	awk -v step="$step" '(NR - 1) % step == 0 { print NR - 1, $0 }' \
	>"$logs/files"
total=$(wc -l <"$logs/files")
echo "valgrind-corpus: $total files of $corpus, $jobs at a time"
xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$1"' <"$logs/files"
end=$(date +%s)

fails=$(find "$logs" -name 'FAIL-*' | wc -l)
if [ "$fails" -ne 0 ]; then
	cat "$logs"/FAIL-*
	echo "valgrind-corpus: $fails of $total files with memcheck errors ($((end - start)) s)"
	exit 1
fi
echo "valgrind-corpus: $total files, no memcheck error or leak ($((end - start)) s)"
