# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the mwan selftests. A test starts with
#
#	#!/bin/bash
#	# What this test proves, in one or two lines.
#	. "$(dirname "$0")/lib.sh"
#
# and runs as root in the test VM (selftests/vm/run) with mwan.ko loaded.
# Sourcing this turns on "set -eEu -o pipefail", reports the command that
# ended the test if one fails, and installs an EXIT trap
# that deletes every network namespace the test made with ns_add and runs
# what it registered with defer. Exit 0 passes, skip REASON skips, any
# other exit (a failed command, fail, a failed check) fails the test.
#
# Helpers:
#	ns_add NAME...		make netns NAME (really "mwan-$$-NAME")
#	ns NAME			print the real name, for "mwanctl -n" or "ip -n"
#	n NAME CMD...		run CMD in netns NAME
#	defer CMD...		run CMD at exit (last registered, first run)
#	log MSG...		diagnostic line "# MSG..."
#	fail MSG...		fail the test with MSG
#	skip REASON...		skip the test (exit 4) with REASON
#	check_eq GOT WANT WHAT	fail unless GOT = WANT
#	expect_fail [-m TEXT] CMD...
#				CMD must exit 1 and print exactly one line on
#				stderr, starting "Error: " (and containing TEXT)
#	wait_for [-t SECONDS] CMD...
#				run CMD every 0.1 s until it succeeds; fail
#				after SECONDS (default 10)
#	require_cmd CMD...	skip unless each CMD is on PATH
#	require_module MOD...	modprobe each MOD or skip
#	uplink_fan N ROUTER FAR	N uplinks' links: veth hI in netns ROUTER
#				(10.99.I.1/29) to rI in FAR (10.99.I.2 and
#				.3/29: a gateway and a second target), up

set -eu -o pipefail

KSFT_SKIP=4

# A command that fails under set -e ends the test: say which one.
__on_err()
{
	echo "# FAIL: ${BASH_SOURCE[1]##*/} line $1: $2 (exit status $3)"
}
set -E
trap '__on_err "$LINENO" "$BASH_COMMAND" "$?"' ERR

__ns_prefix="mwan-$$"
__ns_made=()
__deferred=()

log()
{
	echo "# $*"
}

fail()
{
	echo "# FAIL: $*"
	exit 1
}

# bench_stats COL: the median (the lower middle one for an even count), min and
# max of column COL of the lines on stdin, as "MEDIAN MIN MAX" (benchmarks).
bench_stats()
{
	sort -g -k "$1,$1" | awk -v c="$1" '{ v[NR] = $c } END { printf "%s %s %s", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

skip()
{
	echo "$*"
	exit "$KSFT_SKIP"
}

ns()
{
	echo "$__ns_prefix-$1"
}

ns_add()
{
	local name

	for name; do
		ip netns add "$(ns "$name")"
		__ns_made+=("$(ns "$name")")
		ip -n "$(ns "$name")" link set lo up
	done
}

n()
{
	local name=$1

	shift
	ip netns exec "$(ns "$name")" "$@"
}

defer()
{
	local cmd

	printf -v cmd '%q ' "$@"
	__deferred=("$cmd" "${__deferred[@]}")
}

__cleanup()
{
	local rc=$? cmd netns

	# Cleanup failures (a netns already gone) are not the test's.
	trap - ERR
	set +e
	for cmd in "${__deferred[@]}"; do
		eval "$cmd" > /dev/null 2>&1
	done
	for netns in "${__ns_made[@]}"; do
		ip netns del "$netns" 2> /dev/null
	done
	exit "$rc"
}
trap __cleanup EXIT
# run_tests.sh's timeout sends TERM: clean up on the way out then too.
trap 'exit 143' TERM
trap 'exit 130' INT

uplink_fan()
{
	local n=$1 router=$2 far=$3 i

	for ((i = 0; i < n; i++)); do
		echo "link add h$i netns $router type veth peer name r$i netns $far"
	done | ip -batch -
	for ((i = 0; i < n; i++)); do
		echo "addr add 10.99.$i.1/29 dev h$i"
		echo "link set h$i up"
	done | ip -n "$router" -batch -
	for ((i = 0; i < n; i++)); do
		echo "addr add 10.99.$i.2/29 dev r$i"
		echo "addr add 10.99.$i.3/29 dev r$i"
		echo "link set r$i up"
	done | ip -n "$far" -batch -
}

check_eq()
{
	if [ "$1" != "$2" ]; then
		fail "$3: got '$1', want '$2'"
	fi
}

expect_fail()
{
	local text= err rc=0 lines

	if [ "${1-}" = -m ]; then
		text=$2
		shift 2
	fi
	err=$("$@" 2>&1 > /dev/null) || rc=$?
	if [ "$rc" -ne 1 ]; then
		fail "'$*' exited $rc, want 1 (stderr: $err)"
	fi
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ -z "$err" ] || [ "$lines" -ne 1 ]; then
		fail "'$*' printed $lines lines on stderr, want one: $err"
	fi
	case $err in
	"Error: "*) ;;
	*) fail "'$*' printed '$err', want 'Error: ...'" ;;
	esac
	case $err in
	*"$text"*) ;;
	*) fail "'$*' printed '$err', want it to contain '$text'" ;;
	esac
}

wait_for()
{
	local seconds=10 tries

	if [ "${1-}" = -t ]; then
		seconds=$2
		shift 2
	fi
	for ((tries = seconds * 10; tries > 0; tries--)); do
		if "$@" > /dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	fail "gave up after $seconds s waiting for: $*"
}

require_cmd()
{
	local cmd

	for cmd; do
		command -v "$cmd" > /dev/null || skip "$cmd not installed"
	done
}

require_module()
{
	local mod

	for mod; do
		modprobe -q "$mod" 2> /dev/null || skip "kernel module $mod not available"
	done
}
