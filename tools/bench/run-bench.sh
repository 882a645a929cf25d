#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmark iptlint against the iptables parsers on one large kube-proxy
# ruleset, all in the same run, and report ratios (see README.md).
#
# usage: tools/bench/run-bench.sh [options] [IPTLINT]
#
#   IPTLINT             iptlint binary (default: build/tools/iptlint); a
#                       command name found in PATH also works, e.g. `cat`
#                       together with --lint-args '' as a read-only floor
#   --quick             smoke run: --services 2000
#   --services N        Services in the generated dump (default 50000)
#   --seed N            generator seed (default 1)
#   --runs N            iptlint runs, median reported (default 5)
#   --peer-runs N       iptables-legacy-restore --test runs (default 2)
#   --nft-timeout S     give iptables-nft-restore --test S seconds, else skip
#                       it with a note (default 120; 0 skips it)
#   --lint-args STR     arguments before FILE (default
#                       '--fail-on=never --format=gcc'; word-split)
#   --cache-dir DIR     where the dump is kept (default build/bench)
#   --no-netns          run the iptables peers in the current network
#                       namespace instead of a throwaway one
#
# Exit status is non-zero if any measured command fails (a nft timeout is
# not a failure).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

services=50000
seed=1
runs=5
peer_runs=2
nft_timeout=120
lint_args='--fail-on=never --format=gcc'
cache_dir=$root/build/bench
use_netns=1
iptlint=$root/build/tools/iptlint

die() { echo "run-bench: $*" >&2; exit 2; }
need_arg() { [ "$#" -ge 2 ] || die "$1 needs an argument"; }
is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }

while [ "$#" -gt 0 ]; do
	case $1 in
	--quick) services=2000 ;;
	--services) need_arg "$@"; services=$2; shift ;;
	--seed) need_arg "$@"; seed=$2; shift ;;
	--runs) need_arg "$@"; runs=$2; shift ;;
	--peer-runs) need_arg "$@"; peer_runs=$2; shift ;;
	--nft-timeout) need_arg "$@"; nft_timeout=$2; shift ;;
	--lint-args) need_arg "$@"; lint_args=$2; shift ;;
	--cache-dir) need_arg "$@"; cache_dir=$2; shift ;;
	--no-netns) use_netns=0 ;;
	-h | --help) sed -n '4,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option: $1 (try --help)" ;;
	*) break ;;
	esac
	shift
done
[ "$#" -le 1 ] || die "too many arguments (try --help)"
[ "$#" -eq 1 ] && iptlint=$1
for v in services seed runs peer_runs nft_timeout; do
	is_uint "${!v}" || die "--${v//_/-} must be a non-negative integer"
done
if [ "$runs" -lt 1 ] || [ "$peer_runs" -lt 1 ]; then
	die "--runs and --peer-runs must be >= 1"
fi

# --- tools ---------------------------------------------------------------

if [ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		echo "run-bench: installing GNU time" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y time >&2
	fi
	[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is required"
fi
case $iptlint in
*/*) [ -x "$iptlint" ] || die "iptlint binary not found: $iptlint (build it: meson setup build && ninja -C build)" ;;
*) command -v "$iptlint" >/dev/null || die "command not found: $iptlint" ;;
esac
command -v python3 >/dev/null || die "python3 is required"
legacy=$(command -v iptables-legacy-restore || true)
nft=$(command -v iptables-nft-restore || true)
[ -n "$legacy" ] || die "iptables-legacy-restore is required (apt-get install iptables)"

tmp=$(mktemp -d)
netns=
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	if [ -n "$netns" ]; then ip netns del "$netns" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# Peers run in a fresh network namespace, so the host's own tables neither
# change their work nor get touched.  --test never commits anyway.
peer_prefix=()
if [ "$use_netns" -eq 1 ] && [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null; then
	netns=iptlint-bench-$$
	if ip netns add "$netns" 2>/dev/null; then
		peer_prefix=(ip netns exec "$netns")
	else
		netns=
		echo "run-bench: note: cannot create a network namespace; peers run in the current one" >&2
	fi
fi

# --- the dump -------------------------------------------------------------

mkdir -p "$cache_dir"
gen=$here/gen-kube-dump.py
gen_id=$(sha256sum "$gen" | cut -c1-12)
dump=$cache_dir/kube-${services}svc-seed${seed}-${gen_id}.rules
if [ ! -s "$dump" ]; then
	# Drop dumps made by older generator versions.
	rm -f "$cache_dir/kube-${services}svc-seed${seed}-"*.rules
	echo "run-bench: generating $dump" >&2
	python3 "$gen" --services "$services" --seed "$seed" -o "$dump.tmp"
	mv "$dump.tmp" "$dump"
else
	echo "run-bench: using cached $dump" >&2
fi
size_bytes=$(wc -c <"$dump")
lines=$(wc -l <"$dump")

# --- measuring ------------------------------------------------------------

# measure NAME RUNS TIMEOUT CMD...: runs CMD RUNS times under GNU time, stdout
# to /dev/null; appends "wall_s rss_kb" per run to $tmp/NAME.  TIMEOUT 0
# means none.  Returns 124 on timeout, 1 on failure (stderr shown).
measure() {
	local name=$1 n=$2 limit=$3 i rc t0 t1 wall rss
	shift 3
	: >"$tmp/$name"
	for ((i = 1; i <= n; i++)); do
		rc=0
		# The dump into the page cache first, for every run of every
		# tool: a VM that reclaims cold pages would otherwise time the
		# disk in some runs (iptables-save | iptlint reads from memory).
		cat "$dump" >/dev/null
		t0=${EPOCHREALTIME:-}
		if [ "$limit" -gt 0 ]; then
			timeout -k 10 "$limit" /usr/bin/time -f '%e %M' -o "$tmp/t" \
				"$@" >/dev/null 2>"$tmp/err" || rc=$?
		else
			/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || rc=$?
		fi
		t1=${EPOCHREALTIME:-}
		if [ "$limit" -gt 0 ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
			return 124
		fi
		if [ "$rc" -ne 0 ]; then
			echo "run-bench: FAILED (exit $rc): $*" >&2
			head -n 20 "$tmp/err" >&2
			return 1
		fi
		# GNU time's last output line is "%e %M".  Its %e has 10 ms
		# resolution; bash 5's EPOCHREALTIME (microseconds, includes
		# the ~1 ms fork/exec of time(1)) is used when available.
		read -r wall rss <"$tmp/t"
		if [ -n "$t0" ] && [ -n "$t1" ]; then
			wall=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.3f", b - a }')
		fi
		echo "$wall $rss" >>"$tmp/$name"
		printf '  %-22s run %d/%d: %s s, %s KB\n' "$name" "$i" "$n" "$wall" "$rss" >&2
	done
}

# median and best (lowest) wall seconds, max RSS (KB) of a measure file.
# A busy machine only ever adds time: the best run is the steadiest figure
# of what the program costs, the median says what a user may wait.
best() { sort -n -k1,1 "$1" | awk 'NR == 1 { print $1 }'; }
median() { sort -n -k1,1 "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max_rss() { awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$1"; }

read -r -a lint_argv <<<"$lint_args"
status=0
notes=()

echo "run-bench: $lines lines, $size_bytes bytes; $(nproc) CPUs; kernel $(uname -r)" >&2
echo "run-bench: iptlint: $iptlint ${lint_args} FILE ($runs runs)" >&2
# Fail fast: there is no point in timing the peers without iptlint.
measure iptlint "$runs" 0 "$iptlint" "${lint_argv[@]}" "$dump" || exit 1
# The parser alone (every check off): issue #2's "parse + build the AST".
have_parse=0
if [ "$(basename "$iptlint")" = iptlint ]; then
	echo "run-bench: iptlint --disable=all (parse and AST only, $runs runs)" >&2
	measure parse "$runs" 0 "$iptlint" --disable=all --fail-on=never --format=gcc "$dump" || exit 1
	have_parse=1
	# Issue #4: what the mark analysis adds to the whole run.
	marks=$("$iptlint" --list-checks | awk '/^(restore-overwrites-mark|missing-save-mark|restore-without-save|mark-match-confusion|mark-never-matches|mark-clobber|connmark-untracked|mark-in-nat) / { printf "%s%s", sep, $1; sep = "," }')
	echo "run-bench: iptlint without the mark checks ($runs runs)" >&2
	measure nomark "$runs" 0 "$iptlint" "${lint_argv[@]}" --disable="$marks" "$dump" || exit 1
fi

echo "run-bench: iptables-legacy-restore --test ($peer_runs runs)" >&2
measure legacy "$peer_runs" 0 "${peer_prefix[@]}" "$legacy" --test "$dump" || status=1

have_nft=0
if [ -z "$nft" ]; then
	notes+=("iptables-nft-restore: not installed, skipped")
elif [ "$nft_timeout" -eq 0 ]; then
	notes+=("iptables-nft-restore: skipped (--nft-timeout 0)")
else
	echo "run-bench: iptables-nft-restore --test (1 run, timeout ${nft_timeout}s)" >&2
	rc=0
	measure nft 1 "$nft_timeout" "${peer_prefix[@]}" "$nft" --test "$dump" || rc=$?
	case $rc in
	0) have_nft=1 ;;
	124) notes+=("iptables-nft-restore --test: did not finish within ${nft_timeout}s, skipped") ;;
	*) status=1 ;;
	esac
fi

[ "$status" -eq 0 ] || { echo "run-bench: a measured command failed" >&2; exit 1; }

# --- report ---------------------------------------------------------------

lint_med=$(median "$tmp/iptlint")
lint_name=$(basename "$iptlint")
[ "$lint_name" = iptlint ] || lint_name="$lint_name (stand-in)"
row() { # NAME FILE RUNS [self]
	local med low rss
	med=$(median "$2")
	low=$(best "$2")
	rss=$(max_rss "$2")
	awk -v name="$1" -v runs="$3" -v self="${4:-}" -v med="$med" -v low="$low" \
		-v rss="$rss" -v size="$size_bytes" -v lint="$lint_med" 'BEGIN {
		mb = size / 1048576; rmb = rss / 1024
		ratio = (lint > 0) ? sprintf("%.1fx", med / lint) : "n/a"
		if (self != "") ratio = "1.0x"
		printf "%-26s %4d %10.3f %8.3f %12.1f %10.1f %15s %12.2f\n",
			name, runs, med, low, rmb, mb, ratio, rmb / mb
	}'
}

printf '\nkube-proxy dump: %s services, %s lines, %.1f MiB (%s)\n\n' \
	"$services" "$lines" "$(awk -v s="$size_bytes" 'BEGIN { print s / 1048576 }')" "$dump"
printf '%-26s %4s %10s %8s %12s %10s %15s %12s\n' \
	tool runs 'median s' 'best s' 'peak RSS MiB' 'file MiB' 'peer/iptlint' 'RSS/file'
row "$lint_name" "$tmp/iptlint" "$runs" self
[ "$have_parse" -eq 0 ] || row "iptlint --disable=all" "$tmp/parse" "$runs"
[ "$have_parse" -eq 0 ] || row "iptlint, no mark checks" "$tmp/nomark" "$runs"
row "iptables-legacy-restore -t" "$tmp/legacy" "$peer_runs"
[ "$have_nft" -eq 0 ] || row "iptables-nft-restore -t" "$tmp/nft" 1
if [ "$have_parse" -eq 1 ]; then
	awk -v p="$(median "$tmp/parse")" -v l="$(median "$tmp/legacy")" -v f="$lint_med" \
		-v bp="$(best "$tmp/parse")" -v bl="$(best "$tmp/legacy")" -v bf="$(best "$tmp/iptlint")" \
		'BEGIN { printf "\nlegacy --test / iptlint parse only: %.1fx (best runs: %.1fx); / iptlint whole analysis: %.1fx (best runs: %.1fx)\n", l / p, bl / bp, l / f, bl / bf }'
	# Best runs: a difference of two medians on a busy machine is noise.
	awk -v n="$(best "$tmp/nomark")" -v f="$(best "$tmp/iptlint")" \
		'BEGIN { printf "the mark analysis adds %.0f%% to the whole analysis (best runs: %.3f s -> %.3f s)\n", 100 * (f - n) / n, n, f }'
fi
for n in ${notes[@]+"${notes[@]}"}; do printf 'note: %s\n' "$n"; done
if [ -n "$netns" ]; then
	echo "note: iptables peers ran in a throwaway network namespace"
fi
exit 0
