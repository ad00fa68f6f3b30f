#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP bookkeeping for make check. Every result of every stage is a TAP
# line in a file build/results/*.tap.
#
# scripts/tap.sh run FILE CMD...
#	Run CMD, a program that prints TAP. Its output goes to the terminal
#	and to FILE, lines that are not TAP as "# " comments. A crash, a
#	non-zero exit without a failed test, or fewer or more tests than its
#	plan adds a failing line, so a broken program cannot pass by saying
#	little. Exits 1 if FILE has a failure.
# scripts/tap.sh one FILE NAME CMD...
#	Run CMD as the single test NAME: it passes if CMD exits 0. CMD's
#	output goes to FILE with .log instead of .tap; a failure shows its end.
# scripts/tap.sh skip FILE NAME REASON
# scripts/tap.sh fail FILE NAME REASON
#	Record NAME as skipped or failed without running anything.
# scripts/tap.sh summary DIR
#	Count every TAP line in DIR/*.tap; the last line printed is
#	"N passed, N failed" (", N skipped" when there are skips, each skip
#	listed above it with its reason; each failure after the checks its
#	test reported failing). Exits 1 if anything failed.
set -uo pipefail

tap_lines()
{
	grep -E '^(not )?ok( |$)' "$1"
}

# Append a failing line numbered after the ones already in FILE.
add_failure()
{
	local file=$1 count

	shift
	count=$(tap_lines "$file" | wc -l)
	echo "not ok $((count + 1)) - $*" | tee -a "$file"
}

run()
{
	local file=$1 name rc plan count

	shift
	name=$(basename "$file" .tap)
	mkdir -p "$(dirname "$file")"
	"$@" 2>&1 | sed -u -E '/^(TAP version|1\.\.|ok( |$)|not ok( |$)|#)/!s/^/# /' |
		tee "$file"
	rc=${PIPESTATUS[0]}
	count=$(tap_lines "$file" | wc -l)
	plan=$(sed -nE 's/^1\.\.([0-9]+).*/\1/p' "$file" | head -n 1)
	if [ "$count" -eq 0 ] && [ -z "$plan" ]; then
		add_failure "$file" "$name printed no TAP (exit status $rc)"
	elif [ -n "$plan" ] && [ "$plan" -ne "$count" ]; then
		add_failure "$file" "$name planned $plan tests but ran $count (exit status $rc)"
	elif [ "$rc" -ne 0 ] && ! grep -qE '^not ok( |$)' "$file"; then
		add_failure "$file" "$name exited with status $rc"
	fi
	! grep -qE '^not ok( |$)' "$file"
}

one()
{
	local file=$1 name=$2 log rc=0

	shift 2
	log=${file%.tap}.log
	mkdir -p "$(dirname "$file")"
	"$@" > "$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		printf '1..1\nok 1 - %s\n' "$name" | tee "$file"
		return 0
	fi
	{
		echo "1..1"
		tail -n 30 "$log" | sed 's/^/# /'
		echo "# exit status $rc; full output in $log"
		echo "not ok 1 - $name"
	} | tee "$file"
	return 1
}

skip()
{
	mkdir -p "$(dirname "$1")"
	printf '1..1\nok 1 - %s # SKIP %s\n' "$2" "$3" | tee "$1"
}

fail()
{
	mkdir -p "$(dirname "$1")"
	printf '1..1\nnot ok 1 - %s # %s\n' "$2" "$3" | tee "$1"
	return 1
}

# Each failing line of FILE, after what its test said about why: the
# lines "# FAIL: ..." and "# not ok ..." printed since the test before it
# (the last 8 of them), so that the end of a log names the failed check.
failures()
{
	awk '/^ok( |$)/ { n = 0; next }
	     /^# (FAIL|not ok)/ { why[n++ % 8] = $0; next }
	     /^not ok( |$)/ {
		for (i = (n > 8 ? n - 8 : 0); i < n; i++)
			print "#       " substr(why[i % 8], 3)
		print "#     " $0
		n = 0
	     }' "$1"
}

summary()
{
	local dir=$1 passed=0 failed=0 skipped=0 file p f s

	echo
	echo "# Results (TAP in $dir/):"
	for file in "$dir"/*.tap; do
		[ -e "$file" ] || continue
		p=$(tap_lines "$file" | grep -E '^ok' | grep -cviE '#[[:space:]]*skip')
		s=$(tap_lines "$file" | grep -E '^ok' | grep -ciE '#[[:space:]]*skip')
		f=$(tap_lines "$file" | grep -cE '^not ok')
		printf '#   %-44s %3d passed, %d failed%s\n' "$(basename "$file" .tap)" \
			"$p" "$f" "$([ "$s" -gt 0 ] && echo ", $s skipped")"
		failures "$file"
		tap_lines "$file" | grep -E '^ok' | grep -iE '#[[:space:]]*skip' |
			sed 's/^/#     /'
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
	done
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}

usage()
{
	echo "usage: scripts/tap.sh { run FILE CMD... | one FILE NAME CMD... |" \
		"skip FILE NAME REASON | fail FILE NAME REASON | summary DIR }" >&2
	exit 2
}

cmd=${1-}
shift || usage
case $cmd:$# in
run:[2-9]*|run:[1-9][0-9]*) run "$@" ;;
one:[3-9]*|one:[1-9][0-9]*) one "$@" ;;
skip:3|fail:3|summary:1) "$cmd" "$@" ;;
*) usage ;;
esac
