#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs (Debian),
# builds twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer)
# and runs every meson test in both. Kernel tests need root and network
# namespaces; without them they report "skipped" with the reason.
#
#   tools/run-tests.sh            everything
#   tools/run-tests.sh --quick    plain build only
set -euo pipefail

cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true

packages=(meson ninja-build flex bison pkg-config gcc python3 python3-jsonschema python3-yaml
	  libcmocka-dev libjansson-dev libbdd-dev valgrind
	  iptables iproute2 conntrack nftables iputils-ping netcat-openbsd
	  vim-nox emacs-nox)
missing=()
for p in "${packages[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "run-tests: installing ${missing[*]}"
	sudo_cmd=()
	[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
	"${sudo_cmd[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

setup() {
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir"
}

setup build-test
meson test -C build-test --print-errorlogs

if ! $quick; then
	# BuDDy and libc are not instrumented: b_lundef=false lets the
	# sanitizer runtime resolve at run time.
	setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
	IPTLINT_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs --no-suite kernel \
		--no-suite valgrind
fi
