#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: each benchmark of selftests/bench/ named in BENCH (default:
# all five) in a VM of its own (healthd-host on this machine itself), one
# after the other; BENCH_ARGS go to the benchmark's script (so name one
# benchmark when giving them). Results are "bench ..." lines;
# Documentation/performance.md explains them.
#
#	fwd-rate     forwarding rate: no mwan, mwan, the mwan3 way in nftables
#	xlate-rate   NPTv6 against ip6t_NPT, 1 against 10,000 mappings
#	failover     mwan-healthd's failover time against mwan3's defaults
#	healthd-cpu  mwan-healthd's CPU time for 64 uplinks x 2 targets
#	healthd-host the same probing on this machine's CPU, without the module
#
# fwd-rate and xlate-rate run in a one-CPU guest that counts instructions
# (selftests/vm/run -c 1 -i 0: the guest's clock advances 1 ns per
# instruction), so their rates are instruction counts, the same from run
# to run; the others in a two-CPU guest on the emulator's clock. BENCH_VM
# replaces those run options, e.g. BENCH_VM="-c 2" for the forwarding
# rates on the clock as before 2026-11-23.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
benches=${BENCH:-fwd-rate xlate-rate failover healthd-cpu healthd-host}
read -r -a args <<< "${BENCH_ARGS-}"
rc=0

for b in $benches; do
	case $b in
	fwd|xlate) b=$b-rate ;;
	esac
	script=$top/selftests/bench/$b.sh
	if [ ! -x "$script" ]; then
		echo "bench: no benchmark '$b' (selftests/bench/$b.sh)" >&2
		rc=1
		continue
	fi
	extra=()
	if [ "$b" = healthd-host ]; then
		echo "# bench: $b (on this machine)"
		make -C "$top" --no-print-directory tools > /dev/null &&
			"$script" "${args[@]}" || rc=1
		continue
	fi
	# The guest's CPU times are scaled by the emulation's slowdown,
	# measured against this host.
	[ "$b" = healthd-cpu ] &&
		extra=(-H "$("$top/scripts/cpuref.sh")" -N "$("$top/scripts/netref.sh")")
	vm=(-c 2)
	case $b in fwd-rate|xlate-rate) vm=(-c 1 -i 0) ;; esac
	[ -n "${BENCH_VM-}" ] && read -r -a vm <<< "$BENCH_VM"
	echo "# bench: $b (selftests/vm/run ${vm[*]})"
	"$top/selftests/vm/run" "${vm[@]}" -t 3600 -- "selftests/bench/$b.sh" "${extra[@]}" "${args[@]}" ||
		rc=1
done
exit $rc
