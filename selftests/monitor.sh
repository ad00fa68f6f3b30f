#!/bin/bash
# "mwanctl monitor" (text and -j) started in the background prints one
# line per change that another process makes, in order: add, set, an
# operational change caused by the device going down, del; JSON lines
# parse and carry the event, the name and the new values.
#
#   netns a:  eth1 (the uplink's), eth2 (a marker uplink's), dummy
. "$(dirname "$0")/lib.sh"

require_module dummy
ns_add a
for dev in eth1 eth2; do
	n a ip link add "$dev" type dummy
	n a ip link set "$dev" up
done
mw()
{
	mwanctl -n "$(ns a)" "$@"
}
dir=$(mktemp -d)
defer rm -rf "$dir"

mwanctl -n "$(ns a)" monitor > "$dir/text" 2> "$dir/text.err" &
defer kill $!
mwanctl -n "$(ns a)" -j monitor > "$dir/json" 2> "$dir/json.err" &
defer kill $!

# Both listen once a marker change shows in both outputs.
i=0
until [ -s "$dir/json" ] && grep -q '^uplink mark' "$dir/text"; do
	i=$((i + 1))
	[ "$i" -le 50 ] || fail "monitors show nothing"
	mw uplink add "mark$i" dev eth2
	sleep 0.2
done
skip_text=$(wc -l < "$dir/text")
skip_json=$(wc -l < "$dir/json")

mw uplink add wan1 dev eth1 weight 2
mw uplink set wan1 weight 4 metric 3
n a ip link set eth1 down
mw uplink del wan1
wait_for -t 5 test "$(wc -l < "$dir/json")" -ge "$((skip_json + 4))"
wait_for -t 5 test "$(wc -l < "$dir/text")" -ge "$((skip_text + 4))"
sleep 0.5

text=$(tail -n +"$((skip_text + 1))" "$dir/text")
json=$(tail -n +"$((skip_json + 1))" "$dir/json")
log "text:"$'\n'"$text"
check_eq "$(wc -l <<< "$text")" 4 "text lines"
check_eq "$(wc -l <<< "$json")" 4 "JSON lines"

mapfile -t lines <<< "$text"
case ${lines[0]} in
"uplink wan1 added: dev eth1 "*" weight 2 metric 1 state up admin auto"*) ;;
*) fail "add line: ${lines[0]}" ;;
esac
case ${lines[1]} in
"uplink wan1 changed: dev eth1 "*" weight 4 metric 3 state up admin auto"*) ;;
*) fail "set line: ${lines[1]}" ;;
esac
case ${lines[2]} in
"uplink wan1 changed: dev eth1 "*" weight 4 metric 3 state down (link) admin auto"*) ;;
*) fail "link down line: ${lines[2]}" ;;
esac
check_eq "${lines[3]}" "uplink wan1 deleted" "del line"

got=$(python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    print(e["event"], e["object"], e["name"], e.get("weight"), e.get("metric"),
          e.get("state"), e.get("reason", "-"))' <<< "$json")
want="new uplink wan1 2 1 up -
set uplink wan1 4 3 up -
set uplink wan1 4 3 down link
del uplink wan1 4 3 down link"
check_eq "$got" "$want" "JSON events"
check_eq "$(cat "$dir/text.err" "$dir/json.err")" "" "monitor stderr"
