# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What the mwan-healthd selftests (selftests/healthd_*.sh) share, sourced
# after lab.sh and lab/flow.sh.
#
#   healthd_start [ ARGS... ]     mwan-healthd -f for the router's namespace, in the
#                                 background ($HEALTHD_PID), log in $HEALTHD_LOG
#   healthd_stop [ SIGNAL ]       signal it (TERM) and wait for it
#   ujq NAME FILTER               jq FILTER on "mwanctl -j uplink show NAME"'s object
#   state_is NAME STATE           the uplink's state is STATE (up, down)
#   health_is NAME HEALTH         the uplink's health is HEALTH (up, down, degraded)
#   uplink_has NAME FILTER        jq FILTER holds for the uplink's object
#   healthd_watch FILE            "mwanctl -j monitor" in the background, each line
#                                 prefixed with the CLOCK_REALTIME it was read at
#   changed_at FILE NAME STATE T  the time of the first event in FILE at or after T
#                                 that shows uplink NAME in STATE ("" if none)
#   event_seen FILE NAME STATE T  there is such an event
#   cutter_start UPLINK           a persistent "tc -batch -" in UPLINK's carrier, then
#   cut_now | restore_now         what lab_cut / lab_restore do, without a process start

HEALTHD_PID=
HEALTHD_LOG=

healthd_start()
{
	HEALTHD_LOG=${HEALTHD_LOG:-$LAB_TMP/healthd.log}
	mwan-healthd -n "$LAB_R" -f "$@" >> "$HEALTHD_LOG" 2>&1 &
	HEALTHD_PID=$!
	LAB_PIDS+=("$HEALTHD_PID")
}

healthd_stop()
{
	kill "-${1:-TERM}" "$HEALTHD_PID"
	wait "$HEALTHD_PID" || true
}

ujq()
{
	m -j uplink show "$1" | jq -e -r ".[0] | $2"
}

state_is()
{
	ujq "$1" ".state == \"$2\"" > /dev/null
}

# NAME FILTER: the jq FILTER on the uplink's object holds.
uplink_has()
{
	ujq "$1" "$2" > /dev/null
}

health_is()
{
	ujq "$1" ".health == \"$2\"" > /dev/null
}

healthd_watch()
{
	# $! is mwanctl's own pid (not a subshell's: killing that would leave
	# mwanctl behind); the reader ends with it. Python, not a shell loop:
	# bash reads a pipe a byte at a time, and lags under TCG.
	mwanctl -n "$LAB_R" -j monitor > >("$LAB_PY" -BSu -c 'import sys, time
for line in sys.stdin:
    sys.stdout.write("%.6f %s" % (time.time(), line))
    sys.stdout.flush()' > "$1") 2>&1 &
	LAB_PIDS+=("$!")
}

changed_at()
{
	awk -v t="$4" -v n="\"name\":\"$2\"" -v st="\"state\":\"$3\"" \
		'$1 >= t && index($0, n) && index($0, st) { print $1; exit }' "$1"
}

event_seen()
{
	[ -n "$(changed_at "$@")" ]
}

# UPLINK: a running "tc -batch -" in UPLINK's carrier, so that cut_now and
# restore_now take effect within milliseconds of the time the test notes:
# lab_cut starts nft, which costs a third of a second and more under TCG,
# and when its rules apply within that time is unknown ("nft -i" is no
# better: it reads its whole ruleset before each command). The cut drops
# everything at cust0's ingress and egress, where lab_cut's chains hook.
cutter_start()
{
	_lab_isp "$1" || return 1
	coproc LAB_TC { exec ip netns exec "$_lab_ns" tc -batch - > /dev/null 2>&1; }
	LAB_PIDS+=("$LAB_TC_PID")
	exec {CUT_FD}>&"${LAB_TC[1]}"
	echo "qdisc add dev cust0 clsact" >&"$CUT_FD"
}

cut_now()
{
	printf '%s\n' "filter add dev cust0 ingress pref 1 matchall action drop" \
		"filter add dev cust0 egress pref 1 matchall action drop" >&"$CUT_FD"
}

restore_now()
{
	printf '%s\n' "filter del dev cust0 ingress pref 1" \
		"filter del dev cust0 egress pref 1" >&"$CUT_FD"
}
