#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: mwan balancing a LAN's flows over two uplinks, and failing
# over when one of them silently stops forwarding. Runs inside the test VM
# (the Makefile starts it with selftests/vm/run) on selftests/lab.sh's lab:
# a client on the LAN, the router running mwan, two carriers, a server.
#
# usage: scripts/demo.sh [ -w W1:W2 ] [ -f FLOWS ]
#   -w  weights of wan1 and wan2 (1:1)
#   -f  new flows per traffic round (200)
top=$(cd "$(dirname "$0")/.." && pwd -P)
. "$top/selftests/lib.sh"
. "$top/selftests/lab.sh"

weights=1:1
flows=200
while getopts w:f:h opt; do
	case $opt in
	w) weights=$OPTARG ;;
	f) flows=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/(200)$/p' "$0"; exit 2 ;;
	esac
done
w1=${weights%%:*}
w2=${weights#*:}

step=0
say()
{
	step=$((step + 1))
	printf '\n== %d. %s\n' "$step" "$*"
}

# Print a command as the user would type it, then run it.
show()
{
	printf '  $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/    /'
}

mwan()
{
	show mwanctl -n "$LAB_R" "$@"
}

# Run FLOWS new flows from the client; print where the server saw them.
traffic()
{
	local out4 out6

	out4=$(lab_py "$LAB_C" flows -d "$LAB_SERVER4+32" -p "$LAB_PORTS" -n "$flows" -c 20) || true
	out6=$(lab_py "$LAB_C" flows -d "$LAB_SERVER6+32" -p "$LAB_PORTS" -n "$((flows / 2))" -c 20 -u) || true
	printf '  %-28s seen at isp1: %4s   at isp2: %4s   failed: %s\n' \
		"$flows TCP flows over IPv4" "$(lab_field isp1 "$out4")" \
		"$(lab_field isp2 "$out4")" "$(lab_field fail "$out4")"
	printf '  %-28s seen at isp1: %4s   at isp2: %4s   failed: %s\n' \
		"$((flows / 2)) UDP flows over IPv6" "$(lab_field isp1 "$out6")" \
		"$(lab_field isp2 "$out6")" "$(lab_field fail "$out6")"
}

command -v mwanctl > /dev/null || skip "mwanctl not found (make tools)"
[ -d /sys/module/mwan ] || skip "mwan.ko is not loaded (run me in selftests/vm/run)"

cat <<'EOF'
mwan demo: one LAN, two uplinks, per-flow balancing and failover.

  client 10.250.250.2 --lan0-- router (mwan) --wan1-- isp1 --\
         fd00:250:250::2                     --wan2-- isp2 ---- server 203.0.113.10
                                                                       2001:db8:ff::10
Both carriers masquerade, so the server tells the uplinks apart: every
count below is what the server saw, not what mwan says it did.
EOF

say "Building the lab (five network namespaces)"
lab_up

say "Configuring mwan on the router: two uplinks, one policy, one rule per family"
mwan uplink add wan1 dev wan1 via "$LAB_GW1" via "$LAB_GW1_6" weight "$w1"
mwan uplink add wan2 dev wan2 via "$LAB_GW2" via "$LAB_GW2_6" weight "$w2"
mwan policy add balanced member wan1 member wan2
mwan rule add from 10.250.250.0/29 policy balanced
mwan rule add from fd00:250:250::/64 policy balanced
healthd=
if command -v mwan-healthd > /dev/null; then
	mwan-healthd -n "$LAB_R" --foreground > "$LAB_TMP/healthd.log" 2>&1 &
	healthd=$!
	LAB_PIDS+=("$healthd")
	echo "  mwan-healthd probes each uplink's gateway every 100 ms"
fi
mwan -s uplink show

say "Real traffic from the LAN, weights $w1:$w2"
traffic
mwan -s uplink show

say "A long TCP stream on wan2, and a probe waiting to time the failover"
lab_bg "$LAB_TMP/stream.out" "$LAB_C" stream -d "$LAB_SERVER4" -W isp2 -s 1000
stream=$LAB_BG_PID
lab_bg "$LAB_TMP/probe.out" "$LAB_C" probe -d "$LAB_SERVER4+32" -p "$LAB_PORTS" -k 20 -t 30
probe=$LAB_BG_PID
lab_wait_line "$LAB_TMP/stream.out" "# streaming"
lab_wait_line "$LAB_TMP/probe.out" "# armed"
echo "  the stream runs via isp2; after the cut the probe opens a new flow every 20 ms"

say "Cutting wan1: isp1 silently drops everything, the link stays up"
lab_cut wan1
kill -USR1 "$probe"
if [ -z "$healthd" ]; then
	echo "  (no mwan-healthd here: doing by hand what it would decide)"
	mwan uplink set wan1 state down
fi
wait "$probe" || true
out=$(tail -n 1 "$LAB_TMP/probe.out")
if [ "$(lab_field ok "$out")" = 1 ]; then
	echo "  every new flow succeeds (20 in a row, via $(lab_field via "$out"))" \
		"$(lab_field secs "$out") s after the cut"
else
	echo "  no new flow succeeded within 30 s of the cut: $out"
fi
traffic
mwan -s uplink show

say "Restoring wan1"
lab_bg "$LAB_TMP/probe.out" "$LAB_C" probe -d "$LAB_SERVER4+32" -p "$LAB_PORTS" -W isp1 -t 30
probe=$LAB_BG_PID
lab_wait_line "$LAB_TMP/probe.out" "# armed"
lab_restore wan1
kill -USR1 "$probe"
[ -n "$healthd" ] || mwan uplink set wan1 state auto
wait "$probe" || true
out=$(tail -n 1 "$LAB_TMP/probe.out")
if [ "$(lab_field ok "$out")" = 1 ]; then
	echo "  new flows use wan1 again $(lab_field secs "$out") s after the repair"
else
	echo "  no new flow went through wan1 within 30 s of the repair: $out"
fi
traffic
mwan -s uplink show

say "The stream on wan2 through all of it"
kill -TERM "$stream"
wait "$stream" || true
out=$(tail -n 1 "$LAB_TMP/stream.out")
echo "  longest time without data: $(lab_field max_gap_ms "$out") ms," \
	"stalls over 1 s: $(lab_field stalls "$out"), resets: $(lab_field resets "$out")"
printf '\nDone.\n'
