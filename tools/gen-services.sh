#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Regenerate the service-name table in parser/values_tables.c from a
# services(5) file (default /etc/services, Debian netbase).
#
# iptables resolves port names with getservbyname()/getaddrinfo(), so the
# answer depends on the machine.  iptlint is offline and must not depend on
# the host, so the table is generated once and committed as data.  The
# table keeps every name and alias with its port and protocol, sorted by
# name; entries of one name stay in file order, because getservbyname
# returns the first matching line.
#
# usage: tools/gen-services.sh [SERVICES-FILE]   (edits parser/values_tables.c)
set -eu

src=${1:-/etc/services}
dir=$(dirname "$0")/..
out=$dir/parser/values_tables.c
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.tab"' EXIT

LC_ALL=C awk '
	{ sub(/#.*/, "") }
	NF >= 2 {
		split($2, pp, "/")
		if (pp[2] !~ /^(tcp|udp|sctp|ddp|dccp|udplite)$/)
			next
		for (i = 1; i <= NF; i++) {
			if (i == 2)
				continue
			printf "%s\t%08d\t%s\t%s\n", $i, ++n, pp[1], pp[2]
		}
	}' "$src" | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 |
LC_ALL=C awk -F '\t' '{
	printf "\t{ \"%s\", %d, VAL_SP_%s },\n", $1, $3, toupper($4)
}' > "$tmp.tab"

# Replace the lines between the markers.
LC_ALL=C awk -v tab="$tmp.tab" '
	/@@SERVICES-BEGIN@@/ { print; while ((getline l < tab) > 0) print l; skip = 1; next }
	/@@SERVICES-END@@/ { skip = 0 }
	!skip { print }' "$out" > "$tmp"
cat "$tmp" > "$out"
echo "$(wc -l < "$tmp.tab") service entries from $src" >&2
