#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs every command of docs/howto.md, so that the guide and the tool cannot
# drift apart.
#   howto.sh BBMSIM        the ```sh blocks, in a scratch directory where
#                          build/ is BBMSIM's build directory (seconds)
#   howto.sh --build SRC   the ```sh build blocks, from the top of a copy of
#                          SRC's tree: configure, build, run (minutes)
# A command is one line (or lines joined by a trailing backslash); it must
# exit 0, or N when the line ends with the comment "# exit N". Commands of a
# block run in one shell, in order, so cd and variables carry over.
set -u
here=$(dirname "$(readlink -f "$0")")
doc="$here/../docs/howto.md"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
if [ "${1:-}" = --build ]; then
	kind="sh build"
	src=$(readlink -f "$2")
	mkdir "$t/bbmsim"
	tar -C "$src" --exclude='./build*' --exclude=./.git --exclude=./bbmsim-findings -cf - . |
		tar -C "$t/bbmsim" -xf -
	top="$t/bbmsim"
	# The first configure's default build type (CMake reads it from the
	# environment): no optimisation, no debug info, so the build takes a
	# third of the time; what is checked does not depend on it.
	export CMAKE_BUILD_TYPE=howto
else
	kind="sh"
	mkdir "$t/work"
	ln -s "$(dirname "$(readlink -f "$1")")" "$t/work/build"
	top="$t/work"
fi

# The script: each command, then a check of its exit status against the doc's.
awk -v kind="$kind" -v doc="$doc" '
	/^```/ {
		if (inblock) { inblock = 0; next }
		info = substr($0, 4)
		inblock = 1
		run = info == kind
		next
	}
	!inblock || !run { next }
	{
		if (cmd == "") start = FNR
		line = $0
		if (line ~ /\\$/) { cmd = cmd line "\n"; next }
		cmd = cmd line
		if (cmd ~ /^[ \t]*(#.*)?$/) { cmd = ""; next }
		want = 0
		if (match(cmd, /# exit [0-9]+[ \t]*$/))
			want = substr(cmd, RSTART + 7) + 0
		q = cmd
		gsub(/\x27/, "\x27\\\x27\x27", q)
		printf "printf \x27%%s\\n\x27 \x27$ %s\x27\n", q
		printf "%s\n", cmd
		printf "check %d %d $?\n", start, want
		cmd = ""
		n++
	}
	END { printf "echo \"howto: %d commands\"\n", n }
' "$doc" >"$t/cmds"
# shellcheck disable=SC2016
{
	echo 'fails=0'
	echo 'check() { [ "$3" -eq "$2" ] && return; echo "FAIL: docs/howto.md:$1: exit $3, want $2"; fails=$((fails + 1)); }'
	echo "cd '$top'"
	cat "$t/cmds"
	echo '[ $fails -eq 0 ]'
} >"$t/run.sh"
PATH="$top/build:$PATH" sh "$t/run.sh"
