#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The CLI end to end: exit statuses, byte-identical traces, replay, bad input.
set -u
B=${1:?usage: cli.sh BBMSIM}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() { # expect_rc RC what... -- command
	local want=$1; shift
	"$@" >"$T/out" 2>"$T/err"; local rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else bad "exit $rc, wanted $want: $*"; cat "$T/err"; fi
}
one_line_error() { # the last command's stderr is exactly one line naming the problem
	if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "$1" "$T/err"; then ok; else bad "stderr not one line with '$1':"; cat "$T/err"; fi
}

# A finding is exit 1; the same seed gives the same trace and digest.
expect_rc 1 "$B" run demo-counter --sched random --seed 7 --record "$T/a.trace"
cp "$T/out" "$T/a.out"
expect_rc 1 "$B" run demo-counter --sched random --seed 7 --record "$T/b.trace"
cmp -s "$T/a.trace" "$T/b.trace" && ok || bad "traces of the same seed differ"
cmp -s "$T/a.out" "$T/out" && ok || bad "outputs of the same seed differ"
grep -q '^digest: [0-9a-f]\{64\}$' "$T/a.out" && ok || bad "no digest line"

# Replay gives the same digest and exit status.
expect_rc 1 "$B" replay "$T/a.trace"
[ "$(grep digest: "$T/out")" = "$(grep digest: "$T/a.out")" ] && ok || bad "replay digest differs"

# Clean is exit 0; JSON has the documented keys.
expect_rc 0 "$B" explore demo-counter-atomic --schedules 50 --json
for k in '"scenario"' '"seed"' '"sched"' '"schedules":50' '"findings":\[\]'; do
	grep -q "$k" "$T/out" && ok || bad "explore --json lacks $k"
done
expect_rc 1 "$B" explore demo-counter --schedules 50 --out "$T/found" --json
ls "$T"/found/demo-counter-seed*.trace >/dev/null 2>&1 && ok || bad "explore saved no trace"
grep -q '"kind":"assertion"' "$T/out" && ok || bad "explore --json lacks the finding"
expect_rc 0 "$B" list
grep -q '^demo-counter ' "$T/out" && ok || bad "list lacks demo-counter"

# Perfetto timeline: one track per CPU.
expect_rc 1 "$B" run demo-counter --seed 7 --perfetto "$T/p.json"
grep -q '"traceEvents"' "$T/p.json" && grep -q '"cpu1"' "$T/p.json" && ok || bad "perfetto JSON"

# Bad input: one line, exit 2, never a crash.
expect_rc 2 "$B"; 
expect_rc 2 "$B" frobnicate; one_line_error "unknown command"
expect_rc 2 "$B" run nosuch; one_line_error "unknown scenario 'nosuch'"
expect_rc 2 "$B" run demo-counter --warp; one_line_error "Unknown option"
expect_rc 2 "$B" run demo-counter --cpus 0x1z; one_line_error "bad value"
expect_rc 2 "$B" run demo-counter --cpus 100000; one_line_error "out of range"
expect_rc 2 "$B" run demo-counter --sched fifo; one_line_error "fifo"
expect_rc 2 "$B" explore demo-counter --schedules 0; one_line_error "out of range"
printf 'warp = 1\n' >"$T/c"; expect_rc 2 "$B" run demo-counter --costs "$T/c"; one_line_error "unknown cost"
expect_rc 2 "$B" run demo-counter --costs "$T/nofile"; one_line_error "nofile"
expect_rc 2 "$B" run demo-counter --record /nonexistent/dir/t; one_line_error "cannot write"
expect_rc 2 "$B" replay "$T/nofile"; one_line_error "nofile"
head -c 200 "$T/a.trace" >"$T/trunc"; expect_rc 2 "$B" replay "$T/trunc"; one_line_error "trunc"
head -c 4096 /dev/urandom >"$T/bin"; expect_rc 2 "$B" replay "$T/bin"; one_line_error "bin"
sed 's/^bbmsim 0\..*/bbmsim 0.0.1/' "$T/a.trace" >"$T/old"; expect_rc 2 "$B" replay "$T/old"; one_line_error "recorded by bbmsim 0.0.1"
sed 's/^scenario .*/scenario gone/' "$T/a.trace" >"$T/other"; expect_rc 2 "$B" replay "$T/other"; one_line_error "scenario 'gone'"
awk '/^---$/{print; print "tlb-fill 0"; next}1' "$T/a.trace" >"$T/div"; expect_rc 2 "$B" replay "$T/div"; one_line_error "diverged at step 0: wanted cpu, trace has tlb-fill"
sed 's/^option cpus=2/option cpus=3/' "$T/a.trace" >"$T/cpus"; expect_rc 2 "$B" replay "$T/cpus"; one_line_error "diverged"
# A failed write leaves no partial file behind.
ls "$T"/*.tmp.* >/dev/null 2>&1 && bad "temporary file left behind" || ok

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
