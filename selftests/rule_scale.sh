#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 10,000 rules are a supported configuration: they are added one by one
# with "mwanctl -batch" (each its own request) and listed exactly, a flow
# from the client still gets the policy of the one rule at their end that
# names it (counted at the server and by the rule's counter), that flow
# falls through to the catch-all once half of the rules and then its own are
# deleted, and deleting all of them in random order leaves none. Prints how
# long each step took.
#
#  client 10.250.250.2 --- router(mwan) wan1 --- isp1 --- server
#                                       wan2 --- isp2 ---
#  rules: 10.0.0.1 .. 10.0.39.16 -> only-wan1 (10,000 /32 sources),
#         a few others, then from 10.250.250.2 -> only-wan2, catch-all only-wan1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd jq python3 mwanctl shuf

NRULES=10000
CLIENT_PREF=$((NRULES + 10))
CATCHALL_PREF=$((NRULES + 20))

# SECONDS.NANOSECONDS since the epoch, for the timings.
now()
{
	date +%s.%N
}

# START WHAT: log how long WHAT took since START.
took()
{
	log "$(awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f s", e - s }'): $2"
}

# WANT: one flow from the client to the server, seen at the server via WANT.
flow_via()
{
	local want=$1 out

	out=$(flows_c "$LAB_C" -n 1 -c 1 -d "$LAB_SERVER4" -p 5000)
	check_eq "$(lab_field ok "$out")" 1 "flows that succeeded"
	check_eq "$(lab_field "$want" "$out")" 1 "flows counted at $want"
}

rule_count()
{
	m -j rule show | jq length
}

# PREF: the rule's packet counter.
rule_packets()
{
	m -s -j rule show | jq --argjson p "$1" '.[] | select(.pref == $p) | .packets'
}

dir=$(mktemp -d)
defer rm -rf "$dir"
lab_up
flow_uplinks
m policy add only-wan1 member wan1
m policy add only-wan2 member wan2

# Pref i: source 10.0.(i / 256).(i % 256), appended (no pref given).
awk -v n="$NRULES" 'BEGIN {
	for (i = 1; i <= n - 4; i++)
		printf "rule add from 10.0.%d.%d policy only-wan1\n", i / 256, i % 256
	print "rule add from 2001:db8:100::1 policy only-wan1"
	print "rule add to 198.18.0.0/15 policy only-wan1"
	print "rule add proto udp dport 53 policy only-wan1"
	print "rule add family inet6 proto tcp sport 1-1023 policy only-wan2"
}' > "$dir/add"
{
	echo "rule add pref $CLIENT_PREF from $LAB_CLIENT4 policy only-wan2"
	echo "rule add pref $CATCHALL_PREF policy only-wan1"
} >> "$dir/add"

start=$(now)
m -batch - < "$dir/add"
took "$start" "$((NRULES + 2)) rule adds (mwanctl -batch)"

start=$(now)
m -j rule show > "$dir/show"
took "$start" "rule show of $((NRULES + 2)) rules"
check_eq "$(jq length "$dir/show")" $((NRULES + 2)) "rules listed"
check_eq "$(jq -c '[.[0].pref, .[0].from, .[0].policy]' "$dir/show")" \
	'[1,"10.0.0.1/32","only-wan1"]' "the first rule"
check_eq "$(jq -c '[.[4999].pref, .[4999].from]' "$dir/show")" \
	'[5000,"10.0.19.136/32"]' "rule 5000"
check_eq "$(jq -c '[.[9997].pref, .[9997].to]' "$dir/show")" \
	'[9998,"198.18.0.0/15"]' "the destination rule"
check_eq "$(jq -c '[.[-2].pref, .[-2].from, .[-2].policy]' "$dir/show")" \
	"[$CLIENT_PREF,\"$LAB_CLIENT4/32\",\"only-wan2\"]" "the client's rule"
check_eq "$(jq -c '[.[-1].pref, .[-1].policy, .[-1].from]' "$dir/show")" \
	"[$CATCHALL_PREF,\"only-wan1\",null]" "the catch-all"
expect_fail -m "rule pref already exists" m rule add pref 5000 policy only-wan2

log "the client's rule, after $NRULES others, picks only-wan2"
flow_via isp2
check_eq "$(rule_packets "$CLIENT_PREF")" 1 "packets of the client's rule"
check_eq "$(rule_packets "$CATCHALL_PREF")" 0 "packets of the catch-all"

# Half of the /32 rules, in random order, then the client's own.
seq 1 2 $((NRULES - 4)) | shuf | sed 's/^/rule del pref /' > "$dir/del1"
start=$(now)
m -batch - < "$dir/del1"
took "$start" "$(wc -l < "$dir/del1") rule dels in random order"
log "with half of the rules deleted, the client's rule still matches"
flow_via isp2
m rule del pref "$CLIENT_PREF"
log "without the client's rule, the catch-all takes its flows"
flow_via isp1
check_eq "$(rule_packets "$CATCHALL_PREF")" 1 "packets of the catch-all"

m -j rule show | jq '.[].pref' | shuf | sed 's/^/rule del pref /' > "$dir/del2"
start=$(now)
m -batch - < "$dir/del2"
took "$start" "$(wc -l < "$dir/del2") rule dels in random order"
check_eq "$(rule_count)" 0 "rules left"
expect_fail -m "no such rule" m rule del pref 1
