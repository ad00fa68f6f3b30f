#!/bin/bash
# Changing uplinks needs CAP_NET_ADMIN over the netns's user namespace:
# a process without it cannot add, set or delete (mwanctl prints "Error:
# ... Operation not permitted", exit 1) but can show; root of a user
# namespace that owns its netns manages that netns's uplinks, and no
# other's.
#
#   netns a:  eth1 (dummy)
. "$(dirname "$0")/lib.sh"

require_module dummy
require_cmd setpriv unshare
ns_add a
n a ip link add eth1 type dummy
n a ip link set eth1 up
mw()
{
	mwanctl -n "$(ns a)" "$@"
}
# Filters "show" JSON on stdin: without since_ms, which is a clock.
noclock()
{
	python3 -c 'import json, sys; j = json.load(sys.stdin); [u.pop("since_ms", None) for u in j]; print(json.dumps(j))'
}
# Runs CMD in netns a as root but without CAP_NET_ADMIN anywhere.
unpriv()
{
	n a setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-net_admin "$@"
}

mw uplink add wan1 dev eth1 weight 2
before=$(mw -j uplink show | noclock)

eff=$(unpriv awk '/^CapEff:/ { print $2 }' /proc/self/status)
check_eq "$(( 0x$eff >> 12 & 1 ))" 0 "CAP_NET_ADMIN (bit 12) in CapEff $eff"
check_eq "$(( 0x$eff >> 21 & 1 ))" 1 "CAP_SYS_ADMIN (bit 21) kept in CapEff $eff"

expect_fail -m "Operation not permitted" unpriv mwanctl uplink add wan2 dev eth1
expect_fail -m "Operation not permitted" unpriv mwanctl uplink set wan1 weight 9
expect_fail -m "Operation not permitted" unpriv mwanctl uplink del wan1
check_eq "$(unpriv mwanctl -j uplink show | noclock)" "$before" "unprivileged show"
check_eq "$(unpriv mwanctl -j uplink show wan1 | noclock)" "$before" "unprivileged show NAME"
unpriv mwanctl uplink show > /dev/null
check_eq "$(mw -j uplink show | noclock)" "$before" "configuration after the refusals"

# User namespaces cannot be made from a chroot, which the test VM is.
if ! unshare -U -r true 2> /dev/null; then
	log "no user namespaces here (chroot?): their checks are left out"
	exit 0
fi

# Root in a user namespace: not over netns a (owned by the initial one) ...
expect_fail -m "Operation not permitted" n a unshare -U -r mwanctl uplink add wan2 dev eth1
check_eq "$(n a unshare -U -r mwanctl -j uplink show | noclock)" "$before" "user-namespace root shows"

# ... but over a netns of its own: a container manages its own uplinks.
out=$(unshare -U -r -n sh -c '
	ip link add eth1 type dummy && ip link set eth1 up &&
	mwanctl uplink add own dev eth1 &&
	mwanctl -j uplink show | python3 -c "import json, sys; print([u[\"name\"] for u in json.load(sys.stdin)])" &&
	mwanctl uplink del own')
check_eq "$out" "['own']" "uplinks in the user namespace's own netns"
check_eq "$(mw -j uplink show | noclock)" "$before" "netns a after all that"
