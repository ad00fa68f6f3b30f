#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixed network-stack workload, for the benchmarks that run in the
# emulated VM: COUNT (default 20,000) ICMP echo round trips, one at a time
# (ping -f), between two network namespaces joined by a veth pair, on one
# CPU; prints the milliseconds it took. The request, the answer and the
# reply all run on that CPU in the sender's context (veth hands packets
# over synchronously), so on an idle machine the time is CPU time. Timed on
# the host and in the guest, it gives the emulation's slowdown for the
# kind of work mwan-healthd does (raw ICMP sockets, routing, veth), where
# scripts/cpuref.sh gives it for user-space arithmetic.
#
# The namespaces are private to the run (mwanref-*-PID) and deleted after;
# the addresses (192.0.2.0/30, TEST-NET-1) never leave them.
set -euo pipefail
count=${1:-20000}
a=mwanref-a-$$
b=mwanref-b-$$
cleanup() { ip netns del "$a" 2> /dev/null || true; ip netns del "$b" 2> /dev/null || true; }
trap cleanup EXIT
ip netns add "$a"
ip netns add "$b"
ip link add ref0 netns "$a" type veth peer name ref1 netns "$b"
ip -n "$a" addr add 192.0.2.1/30 dev ref0
ip -n "$b" addr add 192.0.2.2/30 dev ref1
ip -n "$a" link set ref0 up
ip -n "$b" link set ref1 up
cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
# Neighbour resolved and caches warm before the clock starts.
ip netns exec "$a" ping -q -c 200 -i 0 -W 1 192.0.2.2 > /dev/null
t0=$EPOCHREALTIME
ip netns exec "$a" taskset -c "$cpu" ping -f -q -c "$count" -W 1 192.0.2.2 > /dev/null
t1=$EPOCHREALTIME
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d\n", (b - a) * 1000 }'
