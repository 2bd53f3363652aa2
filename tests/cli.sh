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
# Each CPU's life (#18 item 16): valid JSON, every slice closed and nested, SGIs as
# flows from the send to the IRQ that takes them, breaks, makes, TLBIs, DSBs, rounds.
P="python3 $(dirname "$0")/perfetto.py"
expect_rc 1 "$B" run hvo-2m --strategy none --perfetto "$T/pn.json"
$P "$T/pn.json" update bbm-violation && ok || bad "perfetto of hvo-2m none: the failing store or the finding missing"
expect_rc 0 "$B" run hvo-2m --strategy D --perfetto "$T/pd.json"
$P "$T/pd.json" pause_remote_cpus paused resume_remote_cpus irq ICC_SGI1R_EL1 sgi break make \
	'tlbi (broadcast)' 'dsb ish: TLBIs complete' && ok || bad "perfetto of hvo-2m D"
expect_rc 0 "$B" run hvo-2m --strategy B --perfetto "$T/pb.json"
$P "$T/pb.json" stop_machine multi_cpu_stop irq sgi && ok || bad "perfetto of hvo-2m B"
python3 -m json.tool "$T/pd.json" >/dev/null && ok || bad "perfetto JSON does not parse"

# Bad input: one line, exit 2, never a crash.
expect_rc 2 "$B"; 
expect_rc 2 "$B" frobnicate; one_line_error "unknown command"
expect_rc 2 "$B" run nosuch; one_line_error "unknown scenario 'nosuch'"
expect_rc 2 "$B" run demo-counter --warp; one_line_error "unknown option --warp"
expect_rc 2 "$B" run demo-counter --cpus 0x1z; one_line_error "bad value"
expect_rc 2 "$B" run demo-counter --cpus 100000; one_line_error "out of range"
expect_rc 2 "$B" run demo-counter --sched fifo; one_line_error "fifo"
expect_rc 2 "$B" explore demo-counter --schedules 0; one_line_error "out of range"
printf 'warp = 1\n' >"$T/c"; expect_rc 2 "$B" run demo-counter --costs "$T/c"; one_line_error "unknown cost"
expect_rc 2 "$B" run demo-counter --costs "$T/nofile"; one_line_error "nofile"
# Costs that could wrap the picosecond clocks are refused; the JSON's names get a hint.
printf 'dsb = 1000000000000\n' >"$T/c"; expect_rc 2 "$B" run demo-counter --costs "$T/c"; one_line_error "out of range \[0, 1000000000\] ns"
printf 'dsb_ns = 5\n' >"$T/c"; expect_rc 2 "$B" run demo-counter --costs "$T/c"; one_line_error "cost files name it 'dsb'"
expect_rc 2 "$B" run demo-counter --record /nonexistent/dir/t; one_line_error "cannot write"
expect_rc 2 "$B" replay "$T/nofile"; one_line_error "nofile"
head -c 200 "$T/a.trace" >"$T/trunc"; expect_rc 2 "$B" replay "$T/trunc"; one_line_error "trunc"
head -c 4096 /dev/urandom >"$T/bin"; expect_rc 2 "$B" replay "$T/bin"; one_line_error "bin"
sed 's/^bbmsim 0\..*/bbmsim 0.0.1/' "$T/a.trace" >"$T/old"; expect_rc 2 "$B" replay "$T/old"; one_line_error "recorded by bbmsim 0.0.1"
sed 's/^scenario .*/scenario gone/' "$T/a.trace" >"$T/other"; expect_rc 2 "$B" replay "$T/other"; one_line_error "scenario 'gone'"
awk '/^---$/{print; print "tlb-fill 0"; next}1' "$T/a.trace" >"$T/div"; expect_rc 2 "$B" replay "$T/div"; one_line_error "diverged at step 0: wanted cpu, trace has tlb-fill"
sed 's/^option cpus=2/option cpus=3/' "$T/a.trace" >"$T/cpus"; expect_rc 2 "$B" replay "$T/cpus"; one_line_error "diverged"
sed 's/^scenario .*/scenario mmu-bbm-ok/' "$T/a.trace" >"$T/otherscn"; expect_rc 2 "$B" replay "$T/otherscn"; one_line_error "diverged"
# The end line and every option line are part of what a replay must match (#18 item 8).
"$B" run demo-counter-atomic --seed 3 --record "$T/c3.trace" >/dev/null
sed 's/^end steps=\([0-9]*\) findings=0/end steps=\1 findings=1/' "$T/c3.trace" >"$T/endf"
cmp -s "$T/endf" "$T/c3.trace" && bad "the end line was not edited" || ok
expect_rc 2 "$B" replay "$T/endf"; one_line_error "endf: diverged at the end: the trace ends 'end steps=[0-9]* findings=1"
expect_rc 2 "$B" shrink "$T/endf"; one_line_error "diverged at the end"
grep -v '^option tlb_entries=' "$T/c3.trace" >"$T/noopt"
expect_rc 2 "$B" replay "$T/noopt"; one_line_error "noopt: diverged in the header: no 'option tlb_entries=' line"
expect_rc 0 "$B" replay "$T/c3.trace"
expect_rc 2 "$B" shrink "$T/trunc"; one_line_error "trunc"
expect_rc 2 "$B" shrink "$T/bin"; one_line_error "binary"
expect_rc 2 "$B" merge "$T/a.trace"; one_line_error "not JSON"
# Table: command line -- what the one line of stderr must say.
while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	expect_rc 2 "$B" $args; one_line_error "$msg"
done <<EOT
explore demo-counter --jobs 0|out of range
explore demo-counter --jobs 100000|out of range
explore demo-counter --shard 3/2|not K/N with 1 <= K <= N
explore demo-counter --shard 0/2|not K/N with 1 <= K <= N
explore demo-counter --shard x|not K/N
explore demo-counter --max-findings 0|out of range
explore demo-counter --time-budget -1|out of range
explore demo-counter --schedules 100000001|out of range
explore demo-counter --out $T/a.trace/found|cannot write
explore demo-counter --out /dev/null/x|cannot write
explore nosuch|unknown scenario 'nosuch'
explore demo-counter --seed 18446744073709551615 --schedules 3|seeds would pass 18446744073709551615
explore demo-counter --warp|unknown option --warp
explore demo-counter --cpus 1025|out of range
shrink|expected one TRACE
shrink $T/nofile|nofile
shrink $T/a.trace --max-tests 0|out of range
shrink $T/a.trace --warp|unknown option --warp
merge|expected the RESULT
merge $T/nofile|nofile
EOT
# Trace names differ per configuration; a differing trace is never overwritten.
expect_rc 1 "$B" explore hvo-2m --strategy none --schedules 1 --out "$T/tn" --json
expect_rc 1 "$B" explore hvo-2m --strategy none --cpus 3 --schedules 1 --out "$T/tn" --json
expect_rc 1 "$B" explore hvo-2m --strategy none --sched pct --schedules 1 --out "$T/tn" --json
tn=("$T"/tn/hvo-2m-seed1-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f].trace)
[ "${#tn[@]}" -eq 3 ] && [ -e "${tn[0]}" ] && ok || { bad "three configurations, not three traces:"; ls "$T/tn"; }
first=$(ls "$T/tn" | head -1); echo edited >>"$T/tn/$first"; cp "$T/tn/$first" "$T/edited"
expect_rc 1 "$B" explore hvo-2m --strategy none --schedules 1 --out "$T/tn" --json
expect_rc 1 "$B" explore hvo-2m --strategy none --cpus 3 --schedules 1 --out "$T/tn" --json
expect_rc 1 "$B" explore hvo-2m --strategy none --sched pct --schedules 1 --out "$T/tn" --json
cmp -s "$T/tn/$first" "$T/edited" && ok || bad "a differing trace was overwritten"
[ "$(ls "$T/tn" | wc -l)" -eq 4 ] && ok || { bad "same traces rewritten, or the edited one not kept beside:"; ls "$T/tn"; }
for f in $(grep -o '"trace":"[^"]*"' "$T/out" | cut -d'"' -f4); do
	expect_rc 1 "$B" replay "$f"
done
# The last seeds, without wrapping.
expect_rc 0 "$B" explore demo-counter-atomic --seed 18446744073709551614 --schedules 2
grep -q 'seeds 18446744073709551614..18446744073709551615' "$T/out" && ok || bad "the last two seeds"
# --cpus 0 is the scenario's default (documented in sim/options.def).
expect_rc 1 "$B" run demo-counter --cpus 0 --seed 7
grep -q '2 CPUs' "$T/out" && ok || bad "--cpus 0 is not the scenario default"
# A failed write leaves no partial file behind.
ls "$T"/*.tmp.* >/dev/null 2>&1 && bad "temporary file left behind" || ok

# Outputs never lie or destroy (#18 items 1, 2, 7). A device is written through.
types() { (cd "$T" && find . -printf '%y %p\n' | sort); }
expect_rc 2 "$B" run demo-counter --seed 7 --record /dev/full
one_line_error "^bbmsim: cannot write /dev/full: No space left on device$"
[ -c /dev/full ] && ok || bad "--record /dev/full: no longer a character device"
expect_rc 2 "$B" run demo-counter --seed 7 --perfetto /dev/full; one_line_error "cannot write /dev/full"
[ -c /dev/full ] && ok || bad "--perfetto /dev/full: no longer a character device"
# A FIFO is written through and stays a FIFO.
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.out" & reader=$!
expect_rc 1 "$B" run demo-counter --seed 7 --record "$T/fifo"
wait $reader
[ -p "$T/fifo" ] && ok || bad "--record FIFO: no longer a FIFO"
cmp -s "$T/fifo.out" "$T/a.trace" && ok || bad "--record FIFO: the reader got another trace"
# A symlink stays a symlink; what it points to is replaced, dangling or not.
echo old >"$T/target"; ln -s target "$T/link"; ln -s newfile "$T/dangling"
snapshot=$(types) # what is here now keeps its type to the end of the script
expect_rc 1 "$B" run demo-counter --seed 7 --record "$T/link"
[ -L "$T/link" ] && cmp -s "$T/target" "$T/a.trace" && ok || bad "--record symlink: link replaced or target not written"
expect_rc 1 "$B" run demo-counter --seed 7 --record "$T/dangling"
[ -L "$T/dangling" ] && cmp -s "$T/newfile" "$T/a.trace" && ok || bad "--record dangling symlink"
chmod 640 "$T/target"
expect_rc 1 "$B" run demo-counter --seed 8 --record "$T/link"
[ "$(stat -c %a "$T/target")" = 640 ] && ok || bad "a replaced file lost its mode"
# A write that fails midway (file size limit) leaves the old file intact and no temporary.
cp "$T/a.trace" "$T/keep"
before=$(types)
(ulimit -f 1; trap '' XFSZ; exec "$B" run hvo-2m --strategy D --record "$T/keep") >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && ok || bad "a write over the file size limit: exit $rc, wanted 2"
one_line_error "^bbmsim: cannot write $T/keep: File too large$"
cmp -s "$T/keep" "$T/a.trace" && ok || bad "a failed write changed the old file"
after=$(types); [ "$before" = "$after" ] && ok || { bad "a failed write left files behind"; diff <(echo "$before") <(echo "$after"); }
expect_rc 2 "$B" run demo-counter --record "$T"; one_line_error "cannot write $T: Is a directory"
# Output paths are checked before the run: the divergence is never reached.
expect_rc 2 "$B" replay "$T/div" --perfetto /nonexistent/p.json
one_line_error "^bbmsim: cannot write /nonexistent/p.json: No such file or directory$"
expect_rc 2 "$B" run hvo-2m --cpus 1024 --record /nonexistent/x; one_line_error "^bbmsim: cannot write /nonexistent/x: No such file or directory$"
expect_rc 2 "$B" run demo-counter --record "$T/a.trace/x"; one_line_error "cannot write $T/a.trace/x: Not a directory"
expect_rc 2 "$B" shrink "$T/a.trace" -o /nonexistent/m; one_line_error "cannot write /nonexistent/m: No such"
[ -s "$T/out" ] && bad "shrink wrote a report before failing on -o" || ok
# stdout is checked at exit, like coreutils' close_stdout.
expect_rc 2 sh -c "'$B' list >/dev/full"
one_line_error "^bbmsim: write error on standard output: No space left on device$"
sh -c "'$B' run demo-counter --seed 7 --json >/dev/full" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && ok || bad "run --json >/dev/full: exit $rc, wanted 2"
[ -c /dev/full ] && [ -p "$T/fifo" ] && [ -L "$T/link" ] && ok || bad "a special file changed type"

# explore --jobs N: the same report, byte for byte, as --jobs 1.
for args in "demo-counter --schedules 50" "mmu-no-dsb --schedules 200 --keep-going" "demo-counter-atomic --schedules 120"; do
	# shellcheck disable=SC2086
	"$B" explore $args --json --jobs 1 --out "$T/j1" >"$T/j1.json"; r1=$?
	# shellcheck disable=SC2086
	"$B" explore $args --json --jobs 3 --out "$T/j3" >"$T/j3.json"; r3=$?
	sed "s|$T/j3|$T/j1|g" "$T/j3.json" | cmp -s - "$T/j1.json" && [ $r1 = $r3 ] && ok || bad "explore $args: --jobs 3 differs from --jobs 1"
	# Shards, merged, are the single-machine report.
	for k in 1 2 3 4; do
		# shellcheck disable=SC2086
		"$B" explore $args --json --jobs 1 --out "$T/j1" --shard $k/4 >"$T/s$k.json"
	done
	expect_rc "$r1" "$B" merge "$T/s1.json" "$T/s2.json" "$T/s3.json" "$T/s4.json"
	cmp -s "$T/out" "$T/j1.json" && ok || bad "explore $args: merged shards differ from one machine"
done
expect_rc 2 "$B" merge "$T/s1.json" "$T/s2.json"; one_line_error "shard 1 of 4"
expect_rc 2 "$B" merge "$T/s1.json" "$T/s1.json" "$T/s3.json" "$T/s4.json"; one_line_error "given twice"
# --shard K/N is 1-based: 4/4 is the last shard, and the README's example runs.
grep -q '"shard":{"index":4,"count":4' "$T/s4.json" && ok || bad "--shard 4/4 is not shard 4 of 4"
expect_rc 0 "$B" explore demo-counter-atomic --schedules 8 --shard 1/4 --json
grep -q '"schedules":2,.*"next":8' "$T/out" && ok || bad "--shard 1/4 did not run schedules 0 and 4"
# --keep-going collects distinct findings up to --max-findings.
expect_rc 1 "$B" explore hvo-2m --strategy none --schedules 3 --keep-going --max-findings 5 --json --out "$T/kg"
[ "$(grep -o '"kind"' "$T/out" | wc -l)" -eq 5 ] && ok || bad "--max-findings 5 did not give 5 findings"
# --time-budget reports how many ran; --verify-replay replays every trace written.
expect_rc 0 "$B" explore demo-counter-atomic --time-budget 0.3
grep -q '^explored demo-counter-atomic: [0-9]* schedules\?' "$T/out" && ok || bad "--time-budget summary"
expect_rc 1 "$B" explore mmu-no-dsb --schedules 100 --keep-going --verify-replay --out "$T/vr"
grep -q '^verify-replay: [1-9][0-9]* traces\? reproduces\?$' "$T/out" && ok || bad "--verify-replay summary"
# No progress bar on a pipe.
[ -s "$T/err" ] && bad "explore wrote to stderr on a pipe" || ok
expect_rc 1 "$B" run hvo-2m --strategy none --cpus 8
[ -s "$T/err" ] && bad "run wrote to stderr on a pipe" || ok
# Progress on a terminal (script gives the command a tty; a chroot without
# /dev/pts has none to give: skipped there).
if command -v script >/dev/null && script -qc true /dev/null >/dev/null 2>&1; then
	script -qc "'$B' explore demo-counter-atomic --schedules 20 --jobs 1 >/dev/null" /dev/null >"$T/tty" 2>&1
	grep -q '\[#*\.*\] [0-9]*/20 schedules' "$T/tty" && ok || bad "explore shows no progress on a tty"
else
	echo "note: no pseudo-terminal here: the progress bar is not tested"
fi
# A background job of a script starts with SIGINT ignored (bash, no job
# control): wait until bbmsim has installed its own handlers (SigCgt has
# SIGINT and SIGTERM) before signalling it, however loaded the machine is.
wait_handlers() {
	local i
	for i in $(seq 600); do
		local cgt
		cgt=$(awk '/^SigCgt:/ {print $2}' /proc/"$1"/status 2>/dev/null) || return 0
		[ -n "$cgt" ] && (( (16#$cgt & 0x4002) == 0x4002 )) && return 0
		sleep 0.1
	done
}
# SIGINT: the summary so far, exit 130, no partial file.
"$B" explore demo-counter-atomic --schedules 100000000 --jobs 2 --json --out "$T/int" >"$T/int.json" 2>"$T/int.err" &
pid=$!; wait_handlers $pid; sleep 1; kill -INT $pid; wait $pid; rc=$?
[ $rc -eq 130 ] && ok || bad "SIGINT: exit $rc, wanted 130"
grep -q '"interrupted":true' "$T/int.json" && ok || bad "SIGINT: no summary"
# SIGTERM: 143; explore keeps and marks what it did, run writes nothing half-done.
"$B" explore demo-counter-atomic --schedules 100000000 --jobs 1 --out "$T/term" >"$T/term.out" 2>"$T/term.err" &
pid=$!; wait_handlers $pid; sleep 1; kill -TERM $pid; wait $pid; rc=$?
[ $rc -eq 143 ] && ok || bad "explore SIGTERM: exit $rc, wanted 143"
grep -q '^explored demo-counter-atomic: [0-9]* schedules.*(interrupted)$' "$T/term.out" && ok || bad "explore SIGTERM: no summary"
"$B" run hvo-2m --cpus 1024 --record "$T/term.trace" >"$T/out" 2>"$T/err" &
pid=$!; wait_handlers $pid; sleep 1; kill -TERM $pid; wait $pid; rc=$?
[ $rc -eq 143 ] && ok || bad "run SIGTERM: exit $rc, wanted 143"
one_line_error "^bbmsim: interrupted by SIGTERM: the run stopped, nothing written$"
[ -e "$T/term.trace" ] && bad "an interrupted run wrote its trace" || ok
# shrink: the same finding, smaller, replaying strictly.
expect_rc 0 "$B" shrink "$T/a.trace" -o "$T/a.min" --perfetto "$T/min.json"
grep -q '^after : ' "$T/out" && ok || bad "shrink prints no sizes"
expect_rc 1 "$B" replay "$T/a.min"
grep -q '^finding assertion' "$T/out" && ok || bad "shrunk trace lost the finding"
[ "$(grep -c '^cpu' "$T/a.min")" -lt "$(grep -c '^cpu' "$T/a.trace")" ] && ok || bad "shrink did not shrink"
grep -q '"traceEvents"' "$T/min.json" && ok || bad "shrink --perfetto"
expect_rc 0 "$B" shrink "$T/a.trace" -o "$T/a.min2" --json
for k in '"finding":{"kind":"assertion"' '"replays":' '"before":{"choices":' '"after":{' '"trace":"'; do
	grep -q "$k" "$T/out" && ok || bad "shrink --json lacks $k"
done
python3 -m json.tool "$T/out" >/dev/null && ok || bad "shrink --json is not JSON"
# Plurals: one of a thing is singular.
"$B" run hvo-2m --strategy none --cpus 8 --record "$T/h.trace" >/dev/null
expect_rc 0 "$B" run demo-counter-atomic --cpus 1
grep -q '^scenario demo-counter-atomic: seed 1, sched random, 1 CPU$' "$T/out" && ok || bad "1 CPU"
"$B" shrink "$T/h.trace" -o "$T/h.min" | grep -q ' 1 trace line$' && ok || bad "1 trace line"
expect_rc 0 "$B" run demo-counter-atomic --record "$T/clean.trace"
expect_rc 2 "$B" shrink "$T/clean.trace"; one_line_error "no finding"

# compare: the table's shape in JSON and CSV, the plot, bad input.
expect_rc 0 "$B" compare --scale 0.002 --cpus 8 --strategy none,D --verdict-schedules 2 --json --plot "$T/c.svg"
for k in '"rows":\[' '"operation":"alloc-1g"' '"operation":"free-2m"' '"strategy":"D"' '"sim_seconds":' '"per_page_ns":' '"change_pct":' \
	'"counters":\[' '"counter":"pause-rounds","value":' '"verdicts":\[' '"scale":0.002' '"cpus":8' '"interrupted":false' \
	'"costs":{"digest":' '"name":"line_transfer","ns":20.000,"default_ns":20.000,"lo_ns":10.000,"hi_ns":100.000,"basis":"estimate","source":' \
	'"basis":"calibrated"'; do
	grep -q "$k" "$T/out" && ok || bad "compare --json lacks $k"
done
# Every verdict cell by scheduler and kind; the hazard scenarios of each choice.
grep -q '"strategy":"none","scenario":"hvo-2m","sched":"random","hazard":false,"schedules":2,"findings":2,"kinds":{"bbm-violation":2}' "$T/out" && ok || bad "compare: none is not caught in every schedule"
grep -q '"strategy":"D","scenario":"hvo-1g","sched":"pct","hazard":false,"schedules":2,"findings":0' "$T/out" && ok || bad "compare: D is not clean on hvo-1g"
grep -q '"strategy":"D","scenario":"hvo-2m-d-no-nmi","sched":"random","hazard":true,"schedules":2,"findings":2,"kinds":{"deadlock":2}' "$T/out" && ok || bad "compare: D's hazard (no pseudo-NMI) is not in its verdicts"
grep -q '^<svg' "$T/c.svg" && grep -q '</svg>' "$T/c.svg" && grep -q 'hazard hvo-2m-d-no-nmi deadlock' "$T/c.svg" && ok || bad "compare --plot wrote no SVG with verdicts"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" && ok || bad "compare --json is not JSON"
expect_rc 0 "$B" compare --scale 0.002 --cpus 8 --strategy none,A --verdict-schedules 1 --csv
[ "$(head -1 "$T/out")" = "record,strategy,subject,sched,quantity,value" ] && ok || bad "compare --csv header"
[ "$(grep -c '^time,\(none\|A\),[a-z0-9-]*,,sim_seconds,' "$T/out")" -eq 8 ] && ok || bad "compare --csv: 8 times"
grep -q '^verdict,A,hvo-2m-a-irq,pct,schedules,1$' "$T/out" && ok || bad "compare --csv: A's hazard scenario"
grep -q '^counter,none,stop-machine-rounds,,count,0$' "$T/out" && ok || bad "compare --csv: counters"
grep -q '^run,,interrupted,,flag,0$' "$T/out" && ok || bad "compare --csv: interrupted flag"
[ "$(awk -F, 'NF != 6' "$T/out" | wc -l)" -eq 0 ] && ok || bad "compare --csv: one table of 6 columns"
cp "$T/out" "$T/csv1"
expect_rc 0 "$B" compare --scale 0.002 --cpus 8 --strategy none,A --verdict-schedules 1 --csv --jobs 1
cmp -s "$T/out" "$T/csv1" && ok || bad "compare --jobs 1 and --jobs 2 differ"
# --sensitivity: every varied cost at both ends, the change of every cell.
expect_rc 0 "$B" compare --scale 0.002 --cpus 2 --strategy none --verdict-schedules 0 --sensitivity --csv
[ "$(grep -c '^sensitivity,none,.*:change_pct,' "$T/out")" -eq $((26 * 2 * 4)) ] && ok || bad "compare --sensitivity: 26 costs x 2 ends x 4 cells"
grep -q '^sensitivity,none,free-2m,,struct_page_init=10.000:change_pct,[1-9][0-9]*\.' "$T/out" && ok || bad "compare --sensitivity: struct_page_init at 10 ns does not raise free-2m"
grep -q '^sensitivity,none,alloc-1g,,insn=0.150:change_pct,0.00$' "$T/out" && ok || bad "compare --sensitivity: insn moves alloc-1g"
expect_rc 2 "$B" compare --scale 2; one_line_error "out of range"
expect_rc 2 "$B" compare --strategy Z; one_line_error "'Z' is not one of none, A, B"
expect_rc 2 "$B" compare --strategy A,A; one_line_error "given twice"
expect_rc 2 "$B" compare --cpus 1; one_line_error "out of range"
expect_rc 2 "$B" compare --json --csv; one_line_error "exclude"
# An output path that cannot be written fails before the run, not after it.
expect_rc 2 "$B" compare --plot /nonexistent/c.svg; one_line_error "/nonexistent/c.svg"
[ ! -s "$T/out" ] && ok || bad "compare ran (printed its table) before failing on --plot"
# One error style: GLib's option and file messages in ours ('x', lower case).
expect_rc 2 "$B" explore demo-counter --schedules x; one_line_error "^bbmsim: explore: cannot parse integer value 'x' for --schedules$"
expect_rc 2 "$B" replay "$T/nofile"; one_line_error "^bbmsim: cannot read $T/nofile: No such file or directory$"
expect_rc 2 "$B" merge "$T/nofile"; one_line_error "^bbmsim: cannot read $T/nofile: No such file or directory$"
"$B" explore --help | grep -q -- '--time-budget.*0, the default: no time limit' && ok || bad "--time-budget 0 undocumented"

# scripts/bootstrap waits for another apt-get's lock, saying so, instead of failing.
mkdir -p "$T/fakebin"
cat >"$T/fakebin/apt-get" <<EOS
#!/bin/sh
n=\$(cat "$T/apt.n" 2>/dev/null || echo 0); echo \$((n + 1)) >"$T/apt.n"
if [ "\$n" -lt 2 ]; then echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 42 (apt-get)" >&2; exit 100; fi
echo "apt-get \$*" >>"$T/apt.log"
EOS
printf '#!/bin/sh\nexit 1\n' >"$T/fakebin/dpkg-query"
printf '#!/bin/sh\nexec "$@"\n' >"$T/fakebin/sudo"
chmod +x "$T"/fakebin/*
PATH="$T/fakebin:$PATH" BOOTSTRAP_POLL=0 "$(dirname "$0")/../scripts/bootstrap" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && ok || { bad "bootstrap under a held apt lock: exit $rc"; cat "$T/err"; }
grep -q "waiting for it" "$T/err" && ok || bad "bootstrap does not say it waits for the apt lock"
grep -q '^apt-get -o DPkg::Lock::Timeout=60 install .*libglib2.0-dev' "$T/apt.log" && ok || bad "bootstrap did not install after the lock was free"

# make run shows the table: no "Entering directory", the build's progress in a log.
grep -q '^MAKEFLAGS += --no-print-directory' "$(dirname "$0")/../Makefile" && ok || bad "Makefile: sub-makes print their directories"
grep -q '>$(BUILD)/build.log 2>&1' "$(dirname "$0")/../Makefile" && ok || bad "Makefile: the build's progress is not in a log"

# Nothing in the test's own directory changed type (a device, FIFO or symlink replaced).
changed=$(comm -23 <(echo "$snapshot") <(types))
[ -z "$changed" ] && ok || { bad "entries changed type or vanished:"; echo "$changed"; }

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
