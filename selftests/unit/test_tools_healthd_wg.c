// SPDX-License-Identifier: GPL-2.0
/*
 * mwan-healthd and WireGuard on the host: the endpoint sets (tools/lib's
 * wg_from_msg(), as healthd relies on it) and WireGuard device messages it
 * reads (round trips through libmnl, malformed ones refused),
 * the SET_DEVICE request it writes (update-only, one peer, the endpoint
 * and nothing else), the roaming rule (when an endpoint is written), and
 * the "track handshake" arithmetic and how it combines with ICMP.
 * TAP output.
 */
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>

#include "../../tools/lib/netlink.c"
#include "../../tools/lib/wg_nl.c"
#include "../../tools/healthd/verdict.h"
#include "../../tools/healthd/wgmsg.h"

#include "tap.h"

static char buf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *start(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	return nlh;
}

static struct wg_endpoint ep(const char *addr, uint16_t port, const char *via)
{
	struct wg_endpoint e = { .port = port };

	e.addr.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(e.addr.family, addr, &e.addr.v4);
	if (via) {
		strcpy(e.via, via);
		e.has_via = true;
	}
	return e;
}

static void put_ep(struct nlmsghdr *nlh, const struct wg_endpoint *e, bool usable)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, MWAN_WG_A_ENDPOINT);

	mnl_attr_put(nlh, MWAN_WG_EP_A_ADDR, e->addr.family == AF_INET ? 4 : 16, &e->addr.v4);
	mnl_attr_put_u16(nlh, MWAN_WG_EP_A_PORT, e->port);
	if (e->has_via)
		mnl_attr_put_strz(nlh, MWAN_WG_EP_A_UPLINK, e->via);
	if (usable)
		mnl_attr_put(nlh, MWAN_WG_EP_A_USABLE, 0, NULL);
	mnl_attr_nest_end(nlh, n);
}

static const uint8_t key[32] = { 0xfb, 0xef, 0xff, 0x00, 0x10, 0x83, 1, 2, 3 };

/* A set of wg0/key: 192.0.2.2:51820 via wan1, [2001:db8:f2::2]:51820 via wan2. */
static struct nlmsghdr *set_msg(int active)
{
	struct nlmsghdr *nlh = start(MWAN_CMD_WG_SET);
	struct wg_endpoint a = ep("192.0.2.2", 51820, "wan1"), b = ep("2001:db8:f2::2", 51820, "wan2");

	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put_u32(nlh, MWAN_WG_A_IFINDEX, 7);
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, key);
	put_ep(nlh, &a, active == 0);
	put_ep(nlh, &b, true);
	if (active >= 0)
		mnl_attr_put_u32(nlh, MWAN_WG_A_ACTIVE, active);
	return nlh;
}

static void test_set_msg(void)
{
	struct wg_endpoint v6 = ep("2001:db8:f2::2", 51820, "wan2");
	struct nlmsghdr *nlh;
	char s[WG_ENDPOINT_STRLEN], k[WG_KEY_SHORTLEN];
	struct wg_set set;

	ok(!wg_from_msg(set_msg(1), &set), "set: parsed");
	ok(!strcmp(set.dev, "wg0") && set.ifindex == 7 && !memcmp(set.peer, key, 32),
	   "set: device, index and peer");
	ok(set.n == 2 && set.ep[0].port == 51820 && !strcmp(set.ep[1].via, "wan2") &&
	   !set.ep[0].usable && set.ep[1].usable, "set: endpoints in order, usable flags");
	ok(wg_set_active(&set) == &set.ep[1] && wg_ep_equal(&set.ep[1], &v6), "set: active is #1");
	ok(!strcmp(wg_ep_str(&set.ep[0], s, sizeof(s)), "192.0.2.2:51820"), "set: %s", s);
	ok(!strcmp(wg_ep_str(&set.ep[1], s, sizeof(s)), "[2001:db8:f2::2]:51820"), "set: %s", s);
	ok(!strcmp(wg_key_short(key, k, sizeof(k)), "++//ABCD\u2026"), "key: %s", k);

	ok(!wg_from_msg(set_msg(-1), &set) && !wg_set_active(&set),
	   "set: no ACTIVE, no active endpoint");
	ok(wg_from_msg(set_msg(2), &set), "set: ACTIVE beyond the list refused");

	nlh = start(MWAN_CMD_WG_DEL);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, key);
	ok(!wg_from_msg(nlh, &set) && !set.n, "set: DEL without endpoints");
	nlh = start(MWAN_CMD_WG_DEL);
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, key);
	ok(wg_from_msg(nlh, &set), "set: no device refused");
	nlh = start(MWAN_CMD_WG_DEL);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 31, key);
	ok(wg_from_msg(nlh, &set), "set: 31-byte peer refused");
	nlh = start(MWAN_CMD_WG_SET);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, key);
	{
		struct nlattr *n = mnl_attr_nest_start(nlh, MWAN_WG_A_ENDPOINT);

		mnl_attr_put(nlh, MWAN_WG_EP_A_ADDR, 5, "abcde");
		mnl_attr_put_u16(nlh, MWAN_WG_EP_A_PORT, 1);
		mnl_attr_nest_end(nlh, n);
	}
	ok(wg_from_msg(nlh, &set), "set: 5-byte address refused");
}

/* The peers a GET_DEVICE reply part holds, as cb sees them. */
struct seen {
	unsigned int n;
	struct wg_peer p[4];
};

static void seen_cb(const struct wg_peer *p, void *data)
{
	struct seen *s = data;

	if (s->n < 4)
		s->p[s->n++] = *p;
}

static void put_peer(struct nlmsghdr *nlh, uint8_t first, const void *sa, size_t salen,
		     int64_t sec, int64_t nsec)
{
	struct __kernel_timespec ts = { .tv_sec = sec, .tv_nsec = nsec };
	struct nlattr *peer = mnl_attr_nest_start(nlh, 0), *aips;
	uint8_t k[32] = { first };

	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k);
	if (sa)
		mnl_attr_put(nlh, WGPEER_A_ENDPOINT, salen, sa);
	mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(ts), &ts);
	mnl_attr_put_u64(nlh, WGPEER_A_RX_BYTES, 1);
	aips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	mnl_attr_nest_end(nlh, aips);
	mnl_attr_nest_end(nlh, peer);
}

static void test_dev_msg(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(51820) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(4500) };
	struct wg_endpoint want4 = ep("192.0.2.2", 51820, NULL), want6 = ep("2001:db8::9", 4500, NULL);
	struct nlmsghdr *nlh;
	struct nlattr *peers;
	struct seen s = { 0 };
	uint64_t newest = 0;
	unsigned int i;

	inet_pton(AF_INET, "192.0.2.2", &sin.sin_addr);
	inet_pton(AF_INET6, "2001:db8::9", &sin6.sin6_addr);
	nlh = start(WG_CMD_GET_DEVICE);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, "wg0");
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	put_peer(nlh, 1, &sin, sizeof(sin), 1700000000, 250000000);
	put_peer(nlh, 2, &sin6, sizeof(sin6), 1700000100, 0);
	put_peer(nlh, 3, NULL, 0, 0, 0);
	mnl_attr_nest_end(nlh, peers);
	ok(!wg_dev_peers(nlh, seen_cb, &s) && s.n == 3, "device: three peers");
	ok(s.p[0].key[0] == 1 && wg_ep_equal(&s.p[0].ep, &want4) &&
	   s.p[0].handshake_ms == 1700000000250ull, "device: IPv4 endpoint, handshake in ms");
	ok(wg_ep_equal(&s.p[1].ep, &want6), "device: IPv6 endpoint");
	ok(!s.p[2].ep.port && !s.p[2].handshake_ms, "device: no endpoint, never handshaken");
	for (i = 0; i < s.n; i++)
		if (s.p[i].handshake_ms > newest)
			newest = s.p[i].handshake_ms;
	ok(newest == 1700000100000ull, "device: the newest handshake");

	nlh = start(WG_CMD_GET_DEVICE);
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	put_peer(nlh, 1, &sin, sizeof(sin), 1, -1);
	mnl_attr_nest_end(nlh, peers);
	s.n = 0;
	ok(wg_dev_peers(nlh, seen_cb, &s), "device: negative nanoseconds refused");
	nlh = start(WG_CMD_GET_DEVICE);
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	put_peer(nlh, 1, &sin, 4, 1, 0);
	mnl_attr_nest_end(nlh, peers);
	ok(wg_dev_peers(nlh, seen_cb, &s), "device: truncated sockaddr refused");
}

static int put_cb(const struct nlattr *attr, void *data)
{
	unsigned int *types = data;

	*types |= 1u << mnl_attr_get_type(attr);
	return MNL_CB_OK;
}

static void test_put(void)
{
	struct wg_endpoint e = ep("198.51.100.2", 51820, "wan2");
	const struct nlattr *attr, *peers = NULL, *peer;
	struct sockaddr_in sin;
	struct nlmsghdr *nlh;
	unsigned int types = 0, n = 0;
	const struct nlattr *epa = NULL, *flags = NULL;

	nlh = start(WG_CMD_SET_DEVICE);
	wg_put_endpoint(nlh, "wg0", key, &e);
	mnl_attr_parse(nlh, GENL_HDRLEN, put_cb, &types);
	ok(types == (1u << WGDEVICE_A_IFNAME | 1u << WGDEVICE_A_PEERS),
	   "put: the device's name and peers, nothing else (0x%x)", types);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == WGDEVICE_A_PEERS)
			peers = attr;
	types = 0;
	mnl_attr_for_each_nested(peer, peers) {
		n++;
		mnl_attr_parse_nested(peer, put_cb, &types);
		mnl_attr_for_each_nested(attr, peer) {
			if (mnl_attr_get_type(attr) == WGPEER_A_ENDPOINT)
				epa = attr;
			if (mnl_attr_get_type(attr) == WGPEER_A_FLAGS)
				flags = attr;
		}
	}
	ok(n == 1 && types == (1u << WGPEER_A_PUBLIC_KEY | 1u << WGPEER_A_FLAGS |
			       1u << WGPEER_A_ENDPOINT),
	   "put: one peer with key, flags, endpoint only (0x%x)", types);
	ok(flags && mnl_attr_get_u32(flags) == WGPEER_F_UPDATE_ONLY, "put: update only");
	ok(epa && mnl_attr_get_payload_len(epa) == sizeof(sin), "put: a sockaddr_in");
	memcpy(&sin, mnl_attr_get_payload(epa), sizeof(sin));
	ok(sin.sin_family == AF_INET && ntohs(sin.sin_port) == 51820 &&
	   sin.sin_addr.s_addr == e.addr.v4.s_addr, "put: address and port in network order");
}

static void test_roaming(void)
{
	struct wg_endpoint none = { 0 }, a = ep("192.0.2.2", 51820, NULL),
		     b = ep("2001:db8:f2::2", 51820, NULL), roamed = ep("203.0.113.77", 9999, NULL);
	struct wg_set s;

	wg_from_msg(set_msg(1), &s);
	ok(wg_should_write(&s, &a, true, false), "rule: change, WireGuard on the old one: write");
	ok(wg_should_write(&s, &roamed, true, false), "rule: change, peer roamed: write (a change)");
	ok(!wg_should_write(&s, &roamed, false, false), "rule: no change, peer roamed: leave it");
	ok(!wg_should_write(&s, &b, true, false), "rule: WireGuard has it already: no write");
	ok(wg_should_write(&s, &none, false, true), "rule: start, no endpoint: write");
	ok(wg_should_write(&s, &a, false, true), "rule: start, another of the set: write");
	ok(!wg_should_write(&s, &roamed, false, true), "rule: start, roamed: leave it");
	wg_from_msg(set_msg(-1), &s);
	ok(!wg_should_write(&s, &a, true, false) && !wg_should_write(&s, &none, false, true),
	   "rule: nothing usable: no write");
}

static void test_handshake(void)
{
	const uint64_t sec = 1000000, t0 = 5 * sec, real = 1700000000000ull;
	struct handshake h = { 0 };

	handshake_track(&h, 10, t0);
	ok(h.limit_s == 10 && h.state == HS_WAIT && h.age_ms == -1, "hs: tracking starts waiting");
	ok(!handshake_poll(&h, 0, real, t0 + 9 * sec) && h.state == HS_WAIT,
	   "hs: never handshaken, 9 s of 10: still waiting");
	ok(handshake_poll(&h, 0, real, t0 + 10 * sec) && h.state == HS_STALE,
	   "hs: never handshaken, 10 s: stale");
	ok(handshake_poll(&h, real - 9999, real, t0 + 11 * sec) && h.state == HS_FRESH &&
	   h.age_ms == 9999, "hs: 9.999 s old: fresh");
	ok(handshake_poll(&h, real - 10000, real, t0 + 12 * sec) && h.state == HS_STALE,
	   "hs: 10.000 s old: stale (up while younger than N)");
	ok(handshake_poll(&h, real + 5000, real, t0 + 13 * sec) && h.state == HS_FRESH &&
	   h.age_ms == 0, "hs: in the future (clock set back): fresh, age 0");
	handshake_track(&h, 10, t0 + 20 * sec);
	ok(h.state == HS_FRESH, "hs: the same limit again changes nothing");
	handshake_track(&h, 20, t0 + 20 * sec);
	ok(h.state == HS_WAIT && h.since_us == t0 + 20 * sec, "hs: a new limit starts over");
	handshake_track(&h, 0, t0);
	ok(!handshake_poll(&h, 0, real, t0 + 100 * sec), "hs: not tracked: polls change nothing");

	/* Combined with ICMP: down if either says down. */
	ok(health_combine(&h, MWAN_HEALTH_DOWN, true, MWAN_HEALTH_UP) == MWAN_HEALTH_DOWN,
	   "combine: untracked follows ICMP");
	ok(health_combine(&h, MWAN_HEALTH_DOWN, false, MWAN_HEALTH_UP) == MWAN_HEALTH_UP,
	   "combine: untracked, unprobed keeps what it had");
	h = (struct handshake){ .limit_s = 10, .state = HS_STALE };
	ok(health_combine(&h, MWAN_HEALTH_UP, true, MWAN_HEALTH_UP) == MWAN_HEALTH_DOWN,
	   "combine: stale handshake, ICMP up: down");
	h.state = HS_FRESH;
	ok(health_combine(&h, MWAN_HEALTH_DOWN, true, MWAN_HEALTH_UP) == MWAN_HEALTH_DOWN,
	   "combine: fresh handshake, ICMP down: down");
	ok(health_combine(&h, MWAN_HEALTH_DEGRADED, true, MWAN_HEALTH_UP) == MWAN_HEALTH_DEGRADED,
	   "combine: fresh handshake, ICMP degraded: degraded");
	ok(health_combine(&h, MWAN_HEALTH_UNKNOWN, false, MWAN_HEALTH_DOWN) == MWAN_HEALTH_UP,
	   "combine: fresh handshake alone: up");
	h.state = HS_WAIT;
	ok(health_combine(&h, MWAN_HEALTH_UNKNOWN, false, MWAN_HEALTH_DOWN) == MWAN_HEALTH_DOWN &&
	   health_combine(&h, MWAN_HEALTH_UNKNOWN, false, MWAN_HEALTH_UNKNOWN) ==
	   MWAN_HEALTH_UNKNOWN, "combine: waiting alone keeps what it had");
}

int main(void)
{
	test_set_msg();
	test_dev_msg();
	test_put();
	test_roaming();
	test_handshake();
	return tap_done();
}
