// SPDX-License-Identifier: GPL-2.0
/* WireGuard messages and the roaming rule for mwan-healthd: see wgmsg.h. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>

#include "wgmsg.h"

const struct wg_endpoint *wg_set_active(const struct wg_set *s)
{
	return (s->present & WG_F_ACTIVE) && s->active < s->n ? &s->ep[s->active] : NULL;
}

static int get_sockaddr(const struct nlattr *attr, struct wg_endpoint *ep)
{
	const void *p = mnl_attr_get_payload(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	sa_family_t family;

	if (len < sizeof(family))
		return -1;
	memcpy(&family, p, sizeof(family));
	if (family == AF_INET && len >= sizeof(sin)) {
		memcpy(&sin, p, sizeof(sin));
		ep->addr.family = AF_INET;
		ep->addr.v4 = sin.sin_addr;
		ep->port = ntohs(sin.sin_port);
	} else if (family == AF_INET6 && len >= sizeof(sin6)) {
		memcpy(&sin6, p, sizeof(sin6));
		ep->addr.family = AF_INET6;
		ep->addr.v6 = sin6.sin6_addr;
		ep->port = ntohs(sin6.sin6_port);
	} else if (family != AF_UNSPEC) {
		return -1;
	}
	return 0;
}

static int get_peer(const struct nlattr *nest, struct wg_peer *p)
{
	struct __kernel_timespec ts;
	const struct nlattr *attr;

	memset(p, 0, sizeof(*p));
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case WGPEER_A_PUBLIC_KEY:
			if (mnl_attr_get_payload_len(attr) != WG_KEY_LEN)
				return -1;
			memcpy(p->key, mnl_attr_get_payload(attr), WG_KEY_LEN);
			p->has_key = true;
			break;
		case WGPEER_A_ENDPOINT:
			if (get_sockaddr(attr, &p->ep))
				return -1;
			break;
		case WGPEER_A_LAST_HANDSHAKE_TIME:
			if (mnl_attr_get_payload_len(attr) != sizeof(ts))
				return -1;
			memcpy(&ts, mnl_attr_get_payload(attr), sizeof(ts));
			if (ts.tv_sec < 0 || ts.tv_sec > INT64_MAX / 1000 - 1 ||
			    ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
				return -1;
			p->handshake_ms = ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
			break;
		}
	}
	return p->has_key ? 0 : -1;
}

int wg_dev_peers(const struct nlmsghdr *nlh,
		 void (*cb)(const struct wg_peer *p, void *data), void *data)
{
	const struct nlattr *attr, *peer;
	struct wg_peer p;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -1;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != WGDEVICE_A_PEERS)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return -1;
		mnl_attr_for_each_nested(peer, attr) {
			if (mnl_attr_validate(peer, MNL_TYPE_NESTED) < 0 || get_peer(peer, &p))
				return -1;
			cb(&p, data);
		}
	}
	return 0;
}

void wg_put_endpoint(struct nlmsghdr *nlh, const char *ifname, const uint8_t *key,
		     const struct wg_endpoint *ep)
{
	struct nlattr *peers, *peer;
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;

	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, ifname);
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	peer = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, key);
	/* Never creates the peer; its keys, allowed IPs and session stay. */
	mnl_attr_put_u32(nlh, WGPEER_A_FLAGS, WGPEER_F_UPDATE_ONLY);
	if (ep->addr.family == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(ep->port);
		sin.sin_addr = ep->addr.v4;
		mnl_attr_put(nlh, WGPEER_A_ENDPOINT, sizeof(sin), &sin);
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(ep->port);
		sin6.sin6_addr = ep->addr.v6;
		mnl_attr_put(nlh, WGPEER_A_ENDPOINT, sizeof(sin6), &sin6);
	}
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, peers);
}

bool wg_ep_equal(const struct wg_endpoint *a, const struct wg_endpoint *b)
{
	if (!a->port || !b->port)
		return !a->port && !b->port;
	return a->port == b->port && inet_addr_equal(&a->addr, &b->addr);
}

const char *wg_ep_str(const struct wg_endpoint *ep, char *buf, size_t len)
{
	if (!ep->port) {
		snprintf(buf, len, "none");
		return buf;
	}
	return wg_format_endpoint(&ep->addr, ep->port, buf, len);
}

const char *wg_key_short(const uint8_t *key, char *buf, size_t len)
{
	char b64[WG_KEY_B64_LEN + 1];

	wg_key_to_base64(b64, key);
	snprintf(buf, len, "%.8s\u2026", b64);
	return buf;
}

bool wg_should_write(const struct wg_set *s, const struct wg_endpoint *cur, bool changed,
		     bool start)
{
	const struct wg_endpoint *active = wg_set_active(s);
	unsigned int i;

	if (!active || wg_ep_equal(active, cur))
		return false;
	if (!start)
		return changed;
	if (!cur->port)
		return true;
	for (i = 0; i < s->n; i++)
		if (wg_ep_equal(&s->ep[i], cur))
			return true;
	return false;
}
