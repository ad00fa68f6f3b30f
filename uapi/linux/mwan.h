/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mwan: per-flow multi-WAN selection, NPTv6 and 1:1 NAT per uplink.
 *
 * Generic netlink family "mwan", version 1. Documentation/netlink/specs/mwan.yaml
 * describes the same ABI; selftests/spec_check.py fails when the two disagree.
 *
 * Every command takes the attribute set of its object at the top level of
 * the message (per-operation policies). New commands and attributes are only
 * ever appended; nothing is renumbered.
 *
 * Changes need CAP_NET_ADMIN over the network namespace's user namespace.
 * GET and dumps are open to any process in the namespace, as for
 * "ip route show".
 *
 * Every create, change and delete is announced on the multicast group
 * MWAN_MCGRP_EVENTS with the command that caused it (..._NEW, ..._SET,
 * ..._DEL) and the object's full attributes as a GET would return them.
 */
#ifndef _UAPI_LINUX_MWAN_H
#define _UAPI_LINUX_MWAN_H

#define MWAN_GENL_NAME		"mwan"
#define MWAN_GENL_VERSION	1
#define MWAN_MCGRP_EVENTS	"events"

#define MWAN_NAME_MAXLEN	16	/* IFNAMSIZ, with the NUL */
#define MWAN_WEIGHT_MIN		1
#define MWAN_WEIGHT_MAX		1000
#define MWAN_METRIC_MIN		1
#define MWAN_METRIC_MAX		255
#define MWAN_TRACK_MAX		8	/* probe targets per uplink */
#define MWAN_MEMBERS_MAX	32	/* members per policy */
#define MWAN_STICKY_MAX		16777215 /* seconds */

enum mwan_cmd {
	MWAN_CMD_UNSPEC,
	MWAN_CMD_UPLINK_GET,	/* doit with NAME, or dump */
	MWAN_CMD_UPLINK_NEW,
	MWAN_CMD_UPLINK_SET,
	MWAN_CMD_UPLINK_DEL,
	MWAN_CMD_POLICY_GET,	/* doit with NAME, or dump */
	MWAN_CMD_POLICY_NEW,
	MWAN_CMD_POLICY_SET,	/* replace members and last resort, atomically */
	MWAN_CMD_POLICY_DEL,
	MWAN_CMD_RULE_GET,	/* doit with PREF, or dump */
	MWAN_CMD_RULE_NEW,
	MWAN_CMD_RULE_DEL,
	MWAN_CMD_NPT_GET,	/* doit with UPLINK and INSIDE/INSIDE_LEN, or dump */
	MWAN_CMD_NPT_NEW,
	MWAN_CMD_NPT_SET,	/* replace the outside prefix, atomically */
	MWAN_CMD_NPT_DEL,
	MWAN_CMD_NAT_GET,	/* doit with UPLINK and INSIDE/INSIDE_LEN, or dump */
	MWAN_CMD_NAT_NEW,
	MWAN_CMD_NAT_SET,	/* replace the outside address, atomically */
	MWAN_CMD_NAT_DEL,
	MWAN_CMD_WG_GET,	/* doit with IFNAME and PEER, or dump */
	MWAN_CMD_WG_NEW,
	MWAN_CMD_WG_SET,	/* replace the endpoint list, atomically; also the
				 * event when the active endpoint changes */
	MWAN_CMD_WG_DEL,
	__MWAN_CMD_MAX,
};
#define MWAN_CMD_MAX (__MWAN_CMD_MAX - 1)

/* Administrative state: who decides whether the uplink carries traffic. */
enum mwan_admin {
	MWAN_ADMIN_AUTO,	/* mwan-healthd's verdict (up until it says otherwise) */
	MWAN_ADMIN_UP,		/* forced up, whatever the probes say */
	MWAN_ADMIN_DOWN,	/* forced down */
	__MWAN_ADMIN_MAX,
};
#define MWAN_ADMIN_MAX (__MWAN_ADMIN_MAX - 1)

/* Operational state: whether new flows may use the uplink now. */
enum mwan_state {
	MWAN_STATE_DOWN,
	MWAN_STATE_UP,
	__MWAN_STATE_MAX,
};
#define MWAN_STATE_MAX (__MWAN_STATE_MAX - 1)

/* Why an uplink is down; MWAN_REASON_NONE while it is up. */
enum mwan_reason {
	MWAN_REASON_NONE,
	MWAN_REASON_ADMIN,	/* admin state down */
	MWAN_REASON_NODEV,	/* its device does not exist (any more) */
	MWAN_REASON_LINK,	/* device administratively down or no carrier */
	MWAN_REASON_HEALTH,	/* mwan-healthd reported it down */
	__MWAN_REASON_MAX,
};
#define MWAN_REASON_MAX (__MWAN_REASON_MAX - 1)

/* mwan-healthd's verdict, written with MWAN_CMD_UPLINK_SET. */
enum mwan_health {
	MWAN_HEALTH_UNKNOWN,	/* not probed (yet): counts as up */
	MWAN_HEALTH_UP,
	MWAN_HEALTH_DOWN,
	MWAN_HEALTH_DEGRADED,	/* over a latency or loss threshold */
	__MWAN_HEALTH_MAX,
};
#define MWAN_HEALTH_MAX (__MWAN_HEALTH_MAX - 1)

enum mwan_uplink_attr {
	MWAN_UPLINK_A_UNSPEC,
	MWAN_UPLINK_A_PAD,
	MWAN_UPLINK_A_NAME,		/* string, 1..15 bytes: the key */
	MWAN_UPLINK_A_IFNAME,		/* string: device name (in: required on NEW) */
	MWAN_UPLINK_A_IFINDEX,		/* u32, out: 0 while the device is gone */
	MWAN_UPLINK_A_GATEWAY4,		/* binary, 4 bytes: IPv4 next hop */
	MWAN_UPLINK_A_GATEWAY6,		/* binary, 16 bytes: IPv6 next hop */
	MWAN_UPLINK_A_TABLE,		/* u32: routing table; default 1000 + mark index */
	MWAN_UPLINK_A_MARK,		/* u32, out: packet mark, within MARK_MASK */
	MWAN_UPLINK_A_MARK_MASK,	/* u32, out: the module's mark mask */
	MWAN_UPLINK_A_WEIGHT,		/* u32, MWAN_WEIGHT_MIN..MAX, default 1 */
	MWAN_UPLINK_A_METRIC,		/* u32, MWAN_METRIC_MIN..MAX, default 1 */
	MWAN_UPLINK_A_ADMIN,		/* u8, enum mwan_admin, default AUTO */
	MWAN_UPLINK_A_STATE,		/* u8, out: enum mwan_state */
	MWAN_UPLINK_A_REASON,		/* u8, out: enum mwan_reason */
	MWAN_UPLINK_A_SINCE_MS,		/* u64, out: ms since STATE last changed */
	MWAN_UPLINK_A_TRACK,		/* nest: MWAN_TRACK_A_ADDR, 0..MWAN_TRACK_MAX */
	MWAN_UPLINK_A_INTERVAL_MS,	/* u32, 10..60000: probe interval */
	MWAN_UPLINK_A_TIMEOUT_MS,	/* u32, 10..60000: probe reply timeout */
	MWAN_UPLINK_A_DOWN,		/* u32, 1..100: failures before down */
	MWAN_UPLINK_A_UP,		/* u32, 1..100: successes before up */
	MWAN_UPLINK_A_RELIABILITY,	/* u32, 1..MWAN_TRACK_MAX: targets that must answer */
	MWAN_UPLINK_A_HEALTH,		/* u8, enum mwan_health: written by mwan-healthd */
	MWAN_UPLINK_A_RTT_US,		/* u32: measured round-trip time */
	MWAN_UPLINK_A_LOSS_PCT,		/* u8, 0..100: measured loss */
	MWAN_UPLINK_A_STATS,		/* nest, out: MWAN_STATS_A_* */
	MWAN_UPLINK_A_RTT_MAX_MS,	/* u32, 0..60000: RTT over this is degraded; 0 = no limit */
	MWAN_UPLINK_A_LOSS_MAX_PCT,	/* u8, 0..100: loss over this is degraded; 0 = no limit */
	MWAN_UPLINK_A_HANDSHAKE_S,	/* u32, 0..MWAN_HANDSHAKE_MAX: WireGuard uplinks only;
					 * healthy while the device's latest peer handshake is
					 * younger than this; 0 = not tracked */
	__MWAN_UPLINK_A_MAX,
};
#define MWAN_UPLINK_A_MAX (__MWAN_UPLINK_A_MAX - 1)

enum mwan_track_attr {
	MWAN_TRACK_A_UNSPEC,
	MWAN_TRACK_A_ADDR,		/* binary, 4 or 16 bytes; repeated */
	__MWAN_TRACK_A_MAX,
};
#define MWAN_TRACK_A_MAX (__MWAN_TRACK_A_MAX - 1)

enum mwan_stats_attr {
	MWAN_STATS_A_UNSPEC,
	MWAN_STATS_A_PAD,
	MWAN_STATS_A_PACKETS,		/* u64 */
	MWAN_STATS_A_BYTES,		/* u64 */
	MWAN_STATS_A_FLOWS,		/* u64: flows given this uplink */
	__MWAN_STATS_A_MAX,
};
#define MWAN_STATS_A_MAX (__MWAN_STATS_A_MAX - 1)

/* What a policy does with a new flow when none of its members is up. */
enum mwan_last_resort {
	MWAN_LAST_RESORT_UNREACHABLE,	/* drop, ICMP(v6) unreachable to the sender */
	MWAN_LAST_RESORT_BLACKHOLE,	/* drop silently */
	MWAN_LAST_RESORT_DEFAULT,	/* not balanced: the main routing table decides */
	__MWAN_LAST_RESORT_MAX,
};
#define MWAN_LAST_RESORT_MAX (__MWAN_LAST_RESORT_MAX - 1)

enum mwan_policy_attr {
	MWAN_POLICY_A_UNSPEC,
	MWAN_POLICY_A_PAD,
	MWAN_POLICY_A_NAME,		/* string, 1..15 bytes: the key */
	MWAN_POLICY_A_MEMBER,		/* nest MWAN_MEMBER_A_*, repeated, 1..MWAN_MEMBERS_MAX */
	MWAN_POLICY_A_LAST_RESORT,	/* u8, enum mwan_last_resort, default UNREACHABLE */
	__MWAN_POLICY_A_MAX,
};
#define MWAN_POLICY_A_MAX (__MWAN_POLICY_A_MAX - 1)

/*
 * A policy member. WEIGHT and METRIC are optional on input (the uplink's own
 * apply, and follow it when it changes); replies give the values in effect
 * and set MWAN_MEMBER_A_OWN_WEIGHT / _OWN_METRIC when the member overrides.
 */
enum mwan_member_attr {
	MWAN_MEMBER_A_UNSPEC,
	MWAN_MEMBER_A_UPLINK,		/* string: uplink name; unique in the policy */
	MWAN_MEMBER_A_WEIGHT,		/* u32, MWAN_WEIGHT_MIN..MAX */
	MWAN_MEMBER_A_METRIC,		/* u32, MWAN_METRIC_MIN..MAX */
	MWAN_MEMBER_A_OWN_WEIGHT,	/* flag, out */
	MWAN_MEMBER_A_OWN_METRIC,	/* flag, out */
	MWAN_MEMBER_A_STATE,		/* u8, out: the uplink's enum mwan_state */
	__MWAN_MEMBER_A_MAX,
};
#define MWAN_MEMBER_A_MAX (__MWAN_MEMBER_A_MAX - 1)

/*
 * A classification rule: the lowest PREF whose every given match holds picks
 * the policy of a new flow. Traffic matching no rule is not balanced.
 */
enum mwan_rule_attr {
	MWAN_RULE_A_UNSPEC,
	MWAN_RULE_A_PAD,
	MWAN_RULE_A_PREF,		/* u32, 1..0xffffffff: the key; NEW without it appends */
	MWAN_RULE_A_FAMILY,		/* u8, AF_INET or AF_INET6; absent: both */
	MWAN_RULE_A_SRC,		/* binary, 4 or 16 bytes, no host bits */
	MWAN_RULE_A_SRC_LEN,		/* u8: prefix length of SRC */
	MWAN_RULE_A_DST,		/* binary, 4 or 16 bytes, no host bits */
	MWAN_RULE_A_DST_LEN,		/* u8: prefix length of DST */
	MWAN_RULE_A_PROTO,		/* u8, IPPROTO_*; absent: any */
	MWAN_RULE_A_SPORT_MIN,		/* u16; with SPORT_MAX, needs a protocol with ports */
	MWAN_RULE_A_SPORT_MAX,		/* u16, >= SPORT_MIN */
	MWAN_RULE_A_DPORT_MIN,		/* u16 */
	MWAN_RULE_A_DPORT_MAX,		/* u16, >= DPORT_MIN */
	MWAN_RULE_A_IIFNAME,		/* string: input device name (matched while it exists) */
	MWAN_RULE_A_STICKY,		/* u32, 1..MWAN_STICKY_MAX seconds */
	MWAN_RULE_A_POLICY,		/* string: policy name (required on NEW) */
	MWAN_RULE_A_STATS,		/* nest, out: MWAN_STATS_A_PACKETS (flows it classified) */
	__MWAN_RULE_A_MAX,
};
#define MWAN_RULE_A_MAX (__MWAN_RULE_A_MAX - 1)

/*
 * Stateless address translation per uplink (RFC 6296 NPTv6, 1:1 IPv4 NAT):
 * source rewritten on packets leaving through the uplink, destination on
 * packets arriving from it. A mapping is keyed by uplink and inside prefix;
 * inside and outside prefixes have the same length, without host bits.
 */
#define MWAN_XLATE_MAX		65536	/* mappings per kind per netns */

enum mwan_npt_attr {
	MWAN_NPT_A_UNSPEC,
	MWAN_NPT_A_PAD,
	MWAN_NPT_A_UPLINK,		/* string: uplink name (key) */
	MWAN_NPT_A_INSIDE,		/* binary, 16 bytes (key) */
	MWAN_NPT_A_INSIDE_LEN,		/* u8, 1..64 (key) */
	MWAN_NPT_A_OUTSIDE,		/* binary, 16 bytes */
	MWAN_NPT_A_OUTSIDE_LEN,		/* u8, equal to INSIDE_LEN */
	MWAN_NPT_A_STATS,		/* nest, out: MWAN_STATS_A_PACKETS */
	__MWAN_NPT_A_MAX,
};
#define MWAN_NPT_A_MAX (__MWAN_NPT_A_MAX - 1)

enum mwan_nat_attr {
	MWAN_NAT_A_UNSPEC,
	MWAN_NAT_A_PAD,
	MWAN_NAT_A_UPLINK,		/* string: uplink name (key) */
	MWAN_NAT_A_INSIDE,		/* binary, 4 bytes (key) */
	MWAN_NAT_A_INSIDE_LEN,		/* u8, 1..32 (key) */
	MWAN_NAT_A_OUTSIDE,		/* binary, 4 bytes */
	MWAN_NAT_A_OUTSIDE_LEN,		/* u8, equal to INSIDE_LEN */
	MWAN_NAT_A_STATS,		/* nest, out: MWAN_STATS_A_PACKETS */
	__MWAN_NAT_A_MAX,
};
#define MWAN_NAT_A_MAX (__MWAN_NAT_A_MAX - 1)

/*
 * WireGuard endpoint sets: for one peer (public key) of one WireGuard
 * device, an ordered list of endpoints, each optionally bound to an uplink.
 * The active endpoint is the first usable one: bound to an uplink that is
 * up, or bound to none and routable. mwan-healthd writes it into WireGuard;
 * the module makes the peer's encapsulated packets to an endpoint bound to
 * an uplink leave through that uplink.
 */
#define MWAN_WG_KEY_LEN		32	/* Curve25519 public key */
#define MWAN_WG_ENDPOINTS_MAX	8	/* endpoints per set */
#define MWAN_WG_SETS_MAX	4096	/* sets per netns */
#define MWAN_HANDSHAKE_MAX	86400	/* seconds */

enum mwan_wg_attr {
	MWAN_WG_A_UNSPEC,
	MWAN_WG_A_PAD,
	MWAN_WG_A_IFNAME,		/* string: WireGuard device name (key) */
	MWAN_WG_A_IFINDEX,		/* u32, out: 0 while the device is gone */
	MWAN_WG_A_PEER,			/* binary, MWAN_WG_KEY_LEN bytes (key) */
	MWAN_WG_A_ENDPOINT,		/* nest MWAN_WG_EP_A_*, repeated in order,
					 * 1..MWAN_WG_ENDPOINTS_MAX (required on NEW/SET) */
	MWAN_WG_A_ACTIVE,		/* u32, out: index of the active endpoint;
					 * absent while none is usable */
	MWAN_WG_A_STATS,		/* nest, out: MWAN_STATS_A_PACKETS (steered) */
	__MWAN_WG_A_MAX,
};
#define MWAN_WG_A_MAX (__MWAN_WG_A_MAX - 1)

enum mwan_wg_ep_attr {
	MWAN_WG_EP_A_UNSPEC,
	MWAN_WG_EP_A_ADDR,		/* binary, 4 or 16 bytes */
	MWAN_WG_EP_A_PORT,		/* u16, 1..65535, host byte order */
	MWAN_WG_EP_A_UPLINK,		/* string: uplink name; absent = any route */
	MWAN_WG_EP_A_USABLE,		/* flag, out: usable now */
	__MWAN_WG_EP_A_MAX,
};
#define MWAN_WG_EP_A_MAX (__MWAN_WG_EP_A_MAX - 1)

#endif /* _UAPI_LINUX_MWAN_H */
