#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: install what is missing, then every test mwan has, each
# result a TAP line in build/results/*.tap, and a summary whose last line
# is "N passed, N failed". A stage that cannot run is a failed test.
#
#	deps		scripts/deps.sh
#	modules		mwan.ko for every Debian kernel, W=1 clean (one test each)
#	tools		mwanctl with -Wall -Wextra -Werror, and the selftest programs
#	unit		selftests/unit, ASan/UBSan (every TAP line)
#	fuzz		selftests/fuzz, FUZZ_SECONDS (5) each, two at a time (one test each)
#	spec		selftests/spec_check.py
#	dkms		a real "dkms build" for every Debian kernel (one test each)
#	vm		selftests/run_tests.sh in VMs per kernel, one CPU and two (every TAP line,
#			plus one per boot for the kernel staying clean)
#
# CHECK_STAGES="unit fuzz" runs only those stages (deps always runs).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top" || exit 1
results=$top/build/results
tap=$top/scripts/tap.sh
stages=${CHECK_STAGES:-modules tools unit fuzz spec dkms vm}
start=$SECONDS

stage()
{
	echo
	echo "# === $1 ($((SECONDS - start)) s)"
}

want()
{
	[[ " $stages " == *" $1 "* ]]
}

rm -rf "$results"
mkdir -p "$results"

stage deps
"$tap" one "$results/deps.tap" "deps: Debian packages installed" scripts/deps.sh

kernels=$(scripts/kernels.sh)
if [ -z "$kernels" ]; then
	"$tap" fail "$results/kernels.tap" "kernels" \
		"no Debian kernel with /boot/vmlinuz and headers"
fi

if want modules; then
	stage modules
	# One build per core.
	for kver in $kernels; do
		"$tap" one "$results/modules-$kver.tap" \
			"modules: mwan.ko for $kver builds with W=1, no warnings" \
			scripts/build-kmod.sh "$kver" > /dev/null &
	done
	wait
	cat "$results"/modules-*.tap
fi

if want tools; then
	stage tools
	"$tap" one "$results/tools.tap" \
		"tools: mwanctl builds with -Wall -Wextra -Werror" make tools
	"$tap" one "$results/selftests-build.tap" \
		"tools: selftest programs build" make selftests
fi

if want unit; then
	stage unit
	if ls selftests/unit/test_*.c > /dev/null 2>&1; then
		make --no-print-directory -C selftests/unit RESULTS="$results" run
	else
		"$tap" fail "$results/unit.tap" "unit" "no selftests/unit/test_*.c"
	fi
fi

if want fuzz; then
	stage fuzz
	if ls selftests/fuzz/fuzz_*.c > /dev/null 2>&1; then
		# Built first, then run two at a time (one per core).
		make --no-print-directory -s -C selftests/fuzz -j2 all > /dev/null 2>&1
		make --no-print-directory -C selftests/fuzz -j2 RESULTS="$results" \
			FUZZ_SECONDS="${FUZZ_SECONDS:-5}" run
	else
		"$tap" fail "$results/fuzz.tap" "fuzz" "no selftests/fuzz/fuzz_*.c"
	fi
fi

if want spec; then
	stage spec
	if [ -f selftests/spec_check.py ]; then
		"$tap" one "$results/spec.tap" \
			"spec: uapi/linux/mwan.h matches Documentation/netlink/specs/mwan.yaml" \
			python3 selftests/spec_check.py
	else
		"$tap" skip "$results/spec.tap" "spec" "selftests/spec_check.py not written yet"
	fi
fi

if want dkms; then
	stage dkms
	# Each kernel has its own DKMS tree: build them side by side.
	for kver in $kernels; do
		"$tap" one "$results/dkms-$kver.tap" "dkms: dkms build for $kver" \
			scripts/dkms.sh build "$kver" > /dev/null &
	done
	wait
	cat "$results"/dkms-*.tap
fi

# Each kernel boots twice: once with one CPU for most selftests, the two
# kernels side by side (two host cores, no guest starved), then with two
# CPUs for the selftests that measure time (they say so with a line
# "# check: two CPUs" and run one kernel at a time). The kernel staying
# clean (no oops, WARN, splat or taint beyond O/E) is one more test per
# boot. selftests/vm/run -h and selftests/vm/keeper say why one CPU is
# the safer guest under QEMU's TCG.
vm()
{
	local kver=$1 part=$2 cpus=$3 rc=0 problem
	local raw=$results/vm-$kver-$part.out log=$results/vm-$kver-$part.log

	shift 3
	selftests/vm/run -k "$kver" -c "$cpus" -t 1800 -- selftests/run_tests.sh "$@" \
		2> "$log" | tee "$raw"
	rc=${PIPESTATUS[0]}
	cat "$log" >&2
	# Only what the check adds (a truncated run) is new on the terminal.
	"$tap" run "$results/vm-$kver-$part.tap" cat "$raw" | tail -n +$(($(wc -l < "$raw") + 1))
	problem=$(grep -E '^selftests/vm/run: (kernel|guest|qemu|build|cannot)' "$log" | head -n 1)
	if [ -z "$problem" ] && [ "$rc" -ne 0 ] && ! grep -qE '^not ok' "$results/vm-$kver-$part.tap"; then
		problem="selftests/vm/run exited with status $rc"
	fi
	{
		echo "1..1"
		if [ -n "$problem" ]; then
			tail -n 40 "$log" | sed 's/^/# /'
			echo "not ok 1 - vm $kver ($cpus CPUs): $problem"
		else
			echo "ok 1 - vm $kver ($cpus CPUs): booted, ran the selftests, kernel clean"
		fi
	} | tee "$results/vm-$kver-$part-kernel.tap"
}

if want vm; then
	stage vm
	# Built once first, so that the guests' own builds have nothing to do.
	if ! make --no-print-directory KVERS="$kernels" modules tools selftests \
		> "$results/vm-build.log" 2>&1; then
		tail -n 40 "$results/vm-build.log"
	fi
	timed=$(grep -l '^# check: two CPUs' selftests/*.sh | xargs -r -n 1 basename)
	skip_timed=()
	for t in $timed; do
		skip_timed+=(-x "$t")
	done
	# lab_selfcheck.sh checks the lab's own tools (no mwan in it): on
	# the first kernel only.
	once=()
	for kver in $kernels; do
		vm "$kver" 1cpu 1 "${once[@]}" "${skip_timed[@]}" 2>&1 | sed -u "s/^/[$kver] /" &
		once=(-x lab_selfcheck.sh)
	done
	wait
	if [ -n "$timed" ]; then
		stage "vm, two CPUs"
		for kver in $kernels; do
			# shellcheck disable=SC2086
			vm "$kver" 2cpus 2 $timed 2>&1 | sed -u "s/^/[$kver] /"
		done
	fi
fi

stage done
"$tap" summary "$results"
