#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Each folder includes only what docs/layout.md allows it.
set -u
cd "$(dirname "$0")/.."
fails=0
check() { # folder, forbidden include prefixes (regex)
	local hits
	hits=$(grep -n "#include \"\($2\)" "$1"/*.[ch] "$1"/*.def 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layers: $1 includes what docs/layout.md forbids:"; echo "$hits"
		fails=$((fails + 1))
	fi
}
check sim 'sim/arm/\|gic/\|smp/\|mm/\|cli/\|arm/\|mmu\|checker\|litmus/'
check sim/arm 'gic/\|smp/\|mm/\|cli/'
check gic 'smp/\|mm/\|cli/'
check smp 'mm/\|cli/'
check mm 'cli/\|litmus/'
check litmus 'smp/\|mm/\|cli/'
[ "$fails" -eq 0 ] && echo "layers: every folder keeps its rule"
[ "$fails" -eq 0 ]
