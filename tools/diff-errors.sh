#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Long run of the differential error test (tests/diff_errors.py, needs
# root): thousands of random rulesets loaded for real with both backends
# against iptlint --backend=legacy / --backend=nft. Every disagreement is
# printed shrunk (--minimize), with what iptlint and the kernel say.
#
#   sudo tools/diff-errors.sh [-n SEEDS] [-s START] [-j JOBS] [-b IPTLINT]
#
# Defaults: 5000 seeds from 1000 (meson test runs 1..500), 2 jobs,
# build/tools/iptlint. Exit status 0 all agree, 1 disagreements, 77 skipped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seeds=5000
start=1000
jobs=2
iptlint=$root/build/tools/iptlint
while getopts "n:s:j:b:h" opt; do
	case $opt in
	n) seeds=$OPTARG ;;
	s) start=$OPTARG ;;
	j) jobs=$OPTARG ;;
	b) iptlint=$OPTARG ;;
	*) sed -n '3,11p' "$0"; exit 2 ;;
	esac
done
exec python3 "$root/tests/diff_errors.py" --iptlint "$iptlint" \
	--seeds "$seeds" --start "$start" --jobs "$jobs" --keep-going --minimize
