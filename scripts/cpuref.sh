#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixed CPU-bound workload (SHA-256 of 128 MiB of zeros), and the CPU
# milliseconds (user + system) it took, for the benchmarks that run in the
# emulated VM: the same workload timed on the host and in the guest gives
# the emulation's slowdown, by which a CPU time measured in the guest can
# be scaled to an estimate for the host.
set -euo pipefail
TIMEFORMAT='%U %S'
t=$( { time head -c 134217728 /dev/zero | sha256sum > /dev/null; } 2>&1 )
awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { printf "%d\n", (u + s) * 1000 }'
