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

/* Like mwan_attr_get_str() (tools/lib/netlink.c), which this file must not need. */
static int get_str(const struct nlattr *attr, char *dst, size_t size)
{
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0 ||
	    strlen(mnl_attr_get_str(attr)) >= size)
		return -1;
	strcpy(dst, mnl_attr_get_str(attr));
	return 0;
}

static int get_ep(const struct nlattr *nest, struct wg_ep *ep)
{
	const struct nlattr *attr;
	size_t len;

	memset(ep, 0, sizeof(*ep));
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case MWAN_WG_EP_A_ADDR:
			len = mnl_attr_get_payload_len(attr);
			if (len != 4 && len != 16)
				return -1;
			ep->addr.family = len == 4 ? AF_INET : AF_INET6;
			memcpy(&ep->addr.v4, mnl_attr_get_payload(attr), len);
			break;
		case MWAN_WG_EP_A_PORT:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0 || !mnl_attr_get_u16(attr))
				return -1;
			ep->port = mnl_attr_get_u16(attr);
			break;
		case MWAN_WG_EP_A_UPLINK:
			if (get_str(attr, ep->uplink, sizeof(ep->uplink)))
				return -1;
			break;
		case MWAN_WG_EP_A_USABLE:
			ep->usable = true;
			break;
		}
	}
	return ep->addr.family && ep->port ? 0 : -1;
}

static int set_attr(const struct nlattr *attr, struct wg_set *s, bool *has_peer)
{
	switch (mnl_attr_get_type(attr)) {
	case MWAN_WG_A_IFNAME:
		return get_str(attr, s->ifname, sizeof(s->ifname));
	case MWAN_WG_A_IFINDEX:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return -1;
		s->ifindex = mnl_attr_get_u32(attr);
		return 0;
	case MWAN_WG_A_PEER:
		if (mnl_attr_get_payload_len(attr) != MWAN_WG_KEY_LEN)
			return -1;
		memcpy(s->peer, mnl_attr_get_payload(attr), MWAN_WG_KEY_LEN);
		*has_peer = true;
		return 0;
	case MWAN_WG_A_ENDPOINT:
		if (s->nep == MWAN_WG_ENDPOINTS_MAX ||
		    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return -1;
		return get_ep(attr, &s->ep[s->nep++]);
	case MWAN_WG_A_ACTIVE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return -1;
		s->active = mnl_attr_get_u32(attr);
		s->has_active = true;
		return 0;
	}
	return 0;
}

int wg_set_from_msg(const struct nlmsghdr *nlh, struct wg_set *s)
{
	const struct nlattr *attr;
	bool has_peer = false;

	memset(s, 0, sizeof(*s));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -1;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (set_attr(attr, s, &has_peer))
			return -1;
	if (!s->ifname[0] || !has_peer || (s->has_active && s->active >= s->nep))
		return -1;
	return 0;
}

const struct wg_ep *wg_set_active(const struct wg_set *s)
{
	return s->has_active && s->active < s->nep ? &s->ep[s->active] : NULL;
}

static int get_sockaddr(const struct nlattr *attr, struct wg_ep *ep)
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
		     const struct wg_ep *ep)
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

int uplink_msg_handshake_s(const struct nlmsghdr *nlh, uint32_t *secs)
{
	const struct nlattr *attr;

	*secs = 0;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -1;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != MWAN_UPLINK_A_HANDSHAKE_S)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0 ||
		    mnl_attr_get_u32(attr) > MWAN_HANDSHAKE_MAX)
			return -1;
		*secs = mnl_attr_get_u32(attr);
	}
	return 0;
}

bool wg_ep_equal(const struct wg_ep *a, const struct wg_ep *b)
{
	if (!a->port || !b->port)
		return !a->port && !b->port;
	return a->port == b->port && inet_addr_equal(&a->addr, &b->addr);
}

const char *wg_ep_str(const struct wg_ep *ep, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	if (!ep->port)
		snprintf(buf, len, "none");
	else if (ep->addr.family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", format_addr(&ep->addr, addr, sizeof(addr)),
			 ep->port);
	else
		snprintf(buf, len, "%s:%u", format_addr(&ep->addr, addr, sizeof(addr)),
			 ep->port);
	return buf;
}

const char *wg_key_short(const uint8_t *key, char *buf, size_t len)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char s[9];
	unsigned int i;
	uint32_t v;

	/* 8 characters are the first 6 bytes, 4 characters per 3 bytes. */
	for (i = 0; i < 2; i++) {
		v = key[3 * i] << 16 | key[3 * i + 1] << 8 | key[3 * i + 2];
		s[4 * i] = b64[v >> 18 & 63];
		s[4 * i + 1] = b64[v >> 12 & 63];
		s[4 * i + 2] = b64[v >> 6 & 63];
		s[4 * i + 3] = b64[v & 63];
	}
	s[8] = 0;
	snprintf(buf, len, "%s\u2026", s);
	return buf;
}

bool wg_should_write(const struct wg_set *s, const struct wg_ep *cur, bool changed,
		     bool start)
{
	const struct wg_ep *active = wg_set_active(s);
	unsigned int i;

	if (!active || wg_ep_equal(active, cur))
		return false;
	if (!start)
		return changed;
	if (!cur->port)
		return true;
	for (i = 0; i < s->nep; i++)
		if (wg_ep_equal(&s->ep[i], cur))
			return true;
	return false;
}
