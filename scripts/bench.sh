#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: each benchmark of selftests/bench/ named in BENCH (default:
# all four) in a VM of its own, one after the other; BENCH_ARGS go to the
# benchmark's script (so name one benchmark when giving them). Results are
# "bench ..." lines; Documentation/performance.md explains them.
#
#	fwd-rate     forwarding rate: no mwan, mwan, the mwan3 way in nftables
#	xlate-rate   NPTv6 against ip6t_NPT, 1 against 10,000 mappings
#	failover     mwan-healthd's failover time against mwan3's defaults
#	healthd-cpu  mwan-healthd's CPU time for 64 uplinks x 2 targets
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
benches=${BENCH:-fwd-rate xlate-rate failover healthd-cpu}
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
	# The guest's CPU times are scaled by the emulation's slowdown,
	# measured against this host.
	[ "$b" = healthd-cpu ] &&
		extra=(-H "$("$top/scripts/cpuref.sh")" -N "$("$top/scripts/netref.sh")")
	echo "# bench: $b"
	"$top/selftests/vm/run" -c 2 -t 3600 -- "selftests/bench/$b.sh" "${extra[@]}" "${args[@]}" ||
		rc=1
done
exit $rc
