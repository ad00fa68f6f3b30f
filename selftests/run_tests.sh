#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the mwan selftests and print TAP. Meant for the test VM:
#
#	selftests/vm/run -- selftests/run_tests.sh [ -t SECONDS ] [ TEST ... ]
#
# Runs TEST_PROGS of selftests/Makefile, or the TESTs named (file names in
# selftests/, e.g. vm_sanity.sh), one after the other. A test passes with
# exit 0 and skips with exit 4, the reason being its last line of output;
# anything else, or running longer than SECONDS (default 300, or
# $MWAN_TEST_TIMEOUT), fails it. The tests' output appears as "# " lines.
# Exits 0 if no test failed.
set -uo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
timeout=${MWAN_TEST_TIMEOUT:-300}

usage()
{
	echo "Usage: selftests/run_tests.sh [ -t SECONDS ] [ -x TEST ]... [ TEST ... ]"
}

exclude=()
while getopts t:x:h opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	x) exclude+=("${OPTARG#selftests/}") ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ $# -gt 0 ]; then
	tests=("$@")
else
	mapfile -t tests < <(make -s --no-print-directory -C "$dir" list)
fi
for x in "${exclude[@]}"; do
	for i in "${!tests[@]}"; do
		[ "${tests[$i]#selftests/}" != "$x" ] || unset 'tests[i]'
	done
done
tests=("${tests[@]}")

if [ ! -d /sys/module/mwan ]; then
	echo "run_tests.sh: mwan.ko is not loaded; run the tests in the VM:" >&2
	echo "  selftests/vm/run -- selftests/run_tests.sh $*" >&2
	exit 1
fi

cd "$dir" || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "TAP version 13"
echo "1..${#tests[@]}"
num=0
failed=0
for test in "${tests[@]}"; do
	test=${test#selftests/}
	num=$((num + 1))
	echo "# selftests: $test"
	if [ ! -x "$test" ]; then
		echo "not ok $num selftests: $test # not an executable in selftests/"
		failed=$((failed + 1))
		continue
	fi
	netns_before=$(ip netns list | sort)
	t0=$SECONDS
	timeout -k 10 "$timeout" "./$test" < /dev/null 2>&1 |
		tee "$out" | sed -u '/^#/!s/^/# /'
	rc=${PIPESTATUS[0]}
	echo "# $test took $((SECONDS - t0)) s"
	leftover=$(comm -13 <(echo "$netns_before") <(ip netns list | sort))
	if [ -n "$leftover" ]; then
		echo "# $test left network namespaces behind:" $leftover
	fi
	case $rc in
	0)
		echo "ok $num selftests: $test"
		;;
	4)
		reason=$(tail -n 1 "$out")
		echo "ok $num selftests: $test # SKIP ${reason:-no reason given}"
		;;
	124)
		echo "not ok $num selftests: $test # TIMEOUT $timeout seconds"
		failed=$((failed + 1))
		;;
	*)
		echo "not ok $num selftests: $test # exit=$rc"
		failed=$((failed + 1))
		;;
	esac
done
[ "$failed" -eq 0 ]
