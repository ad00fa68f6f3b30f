#!/bin/bash
# The mwan generic-netlink family conforms to its spec: every command and
# attribute, every kind of malformed request (errno, extack message and
# offset), permissions, resumable dumps and events, checked by
# nl_conformance (libnl, independent of mwanctl) in a netns of its own.
. "$(dirname "$0")/lib.sh"

prog=${MWAN_TOP:-$(cd "$(dirname "$0")/.." && pwd)}/build/selftests/nl_conformance
[ -x "$prog" ] || fail "$prog not built (make selftests)"

require_module dummy wireguard
ns_add c
n c ip link add mwc0 type dummy
n c ip link add mwc1 type dummy
n c ip link add mwcwg0 type wireguard
n c ip link set mwc0 up
n c ip link set mwc1 up
n c "$prog"
