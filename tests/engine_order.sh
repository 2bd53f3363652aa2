#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# docs/engine.md: the engine's core files call one way, top to bottom:
# the run uses the scheduler, the scheduler asks the trace, and findings
# are recorded without calling back up. A file may call the non-static
# functions of the files below it, never of one above.
set -u
cd "$(dirname "$0")/../sim" || exit 2
order="sim cpu sched baton fiber events findings trace"
fail=0
# The functions a file defines for others: a definition at the start of a line.
defined() {
	grep -E '^[a-z_][a-z_0-9 ]*[ *]([a-z_][a-z_0-9]*)\(' "$1.c" | grep -v '^static' |
		sed -E 's/^[^(]*[ *]([a-z_][a-z_0-9]*)\(.*/\1/' | sort -u
}
above=
for f in $order; do
	for a in $above; do
		fns=$(defined "$a" | paste -sd'|')
		[ -n "$fns" ] || continue
		grep -noE "(^|[^a-z_0-9])($fns)\(" "$f.c" | sed -E 's/^([0-9]+):[^a-z_]?/\1 /; s/\($//' |
			while read -r line fn; do
				echo "engine_order: sim/$f.c:$line calls $fn() of sim/$a.c, a file above it" >&2
				echo x
			done | grep -q x && fail=1
	done
	above="$above $f"
done
exit $fail
