// SPDX-License-Identifier: GPL-2.0
/*
 * struct wg_set to and from netlink attributes, and a peer lookup through
 * WireGuard's generic netlink family "wireguard" (linux/wireguard.h): a
 * WG_CMD_GET_DEVICE dump of one device, whose peers may span several
 * messages.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>

#include "netlink.h"
#include "wg_nl.h"

_Static_assert(WG_KEY_LEN == MWAN_WG_KEY_LEN, "WireGuard key sizes differ");

static void put_endpoint(struct nlmsghdr *nlh, const struct wg_endpoint *ep)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MWAN_WG_A_ENDPOINT);

	mnl_attr_put(nlh, MWAN_WG_EP_A_ADDR, ep->addr.family == AF_INET ? 4 : 16,
		     &ep->addr.v4);
	mnl_attr_put_u16(nlh, MWAN_WG_EP_A_PORT, ep->port);
	if (ep->has_via)
		mnl_attr_put_strz(nlh, MWAN_WG_EP_A_UPLINK, ep->via);
	mnl_attr_nest_end(nlh, nest);
}

void wg_put(struct nlmsghdr *nlh, const struct wg_set *w)
{
	unsigned int i;

	if (w->present & WG_F_DEV)
		mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, w->dev);
	if (w->present & WG_F_PEER)
		mnl_attr_put(nlh, MWAN_WG_A_PEER, MWAN_WG_KEY_LEN, w->peer);
	for (i = 0; i < w->n; i++)
		put_endpoint(nlh, &w->ep[i]);
}

static int get_endpoint(const struct nlattr *nest, struct wg_endpoint *ep)
{
	const struct nlattr *attr;
	bool has_addr = false, has_port = false;
	size_t len;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	memset(ep, 0, sizeof(*ep));
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case MWAN_WG_EP_A_ADDR:
			len = mnl_attr_get_payload_len(attr);
			if (len != 4 && len != 16)
				return -1;
			ep->addr.family = len == 4 ? AF_INET : AF_INET6;
			memcpy(&ep->addr.v4, mnl_attr_get_payload(attr), len);
			has_addr = true;
			break;
		case MWAN_WG_EP_A_PORT:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
				return -1;
			ep->port = mnl_attr_get_u16(attr);
			has_port = true;
			break;
		case MWAN_WG_EP_A_UPLINK:
			if (mwan_attr_get_str(attr, ep->via, sizeof(ep->via)))
				return -1;
			ep->has_via = true;
			break;
		case MWAN_WG_EP_A_USABLE:
			ep->usable = true;
			break;
		}
	}
	return has_addr && has_port ? 0 : -1;
}

static int wg_get_stats(const struct nlattr *nest, struct wg_set *w)
{
	const struct nlattr *attr;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != MWAN_STATS_A_PACKETS)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -1;
		w->packets = mnl_attr_get_u64(attr);
		w->present |= WG_F_STATS;
	}
	return 0;
}

static int get_attr(const struct nlattr *attr, struct wg_set *w)
{
	switch (mnl_attr_get_type(attr)) {
	case MWAN_WG_A_IFNAME:
		if (mwan_attr_get_str(attr, w->dev, sizeof(w->dev)))
			return -1;
		w->present |= WG_F_DEV;
		break;
	case MWAN_WG_A_IFINDEX:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return -1;
		w->ifindex = mnl_attr_get_u32(attr);
		w->present |= WG_F_IFINDEX;
		break;
	case MWAN_WG_A_PEER:
		if (mnl_attr_get_payload_len(attr) != MWAN_WG_KEY_LEN)
			return -1;
		memcpy(w->peer, mnl_attr_get_payload(attr), MWAN_WG_KEY_LEN);
		w->present |= WG_F_PEER;
		break;
	case MWAN_WG_A_ENDPOINT:
		if (w->n == MWAN_WG_ENDPOINTS_MAX ||
		    get_endpoint(attr, &w->ep[w->n]))
			return -1;
		w->n++;
		break;
	case MWAN_WG_A_ACTIVE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return -1;
		w->active = mnl_attr_get_u32(attr);
		w->present |= WG_F_ACTIVE;
		break;
	case MWAN_WG_A_STATS:
		return wg_get_stats(attr, w);
	}
	return 0;
}

int wg_from_msg(const struct nlmsghdr *nlh, struct wg_set *w)
{
	const struct nlattr *attr;

	memset(w, 0, sizeof(*w));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		goto bad;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (get_attr(attr, w))
			goto bad;
	if (!(w->present & WG_F_DEV) || !(w->present & WG_F_PEER) ||
	    ((w->present & WG_F_ACTIVE) && w->active >= w->n))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

struct peer_query {
	const uint8_t *key;
	uint16_t family;
	bool found;
};

static int wg_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct peer_query *q = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			q->family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int wg_device_cb(const struct nlmsghdr *nlh, void *data)
{
	struct peer_query *q = data;
	const struct nlattr *attr, *peer, *pattr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != WGDEVICE_A_PEERS)
			continue;
		mnl_attr_for_each_nested(peer, attr)
			mnl_attr_for_each_nested(pattr, peer)
				if (mnl_attr_get_type(pattr) == WGPEER_A_PUBLIC_KEY &&
				    mnl_attr_get_payload_len(pattr) == WG_KEY_LEN &&
				    !memcmp(mnl_attr_get_payload(pattr), q->key,
					    WG_KEY_LEN))
					q->found = true;
	}
	return MNL_CB_OK;
}

/* One request on sock and its replies through cb; 0 or -1 (errno set). */
static int wg_request(struct mnl_socket *sock, struct nlmsghdr *nlh,
		   mnl_cb_t cb, void *data)
{
	static char buf[MWAN_NL_RECV_SIZE];
	uint32_t portid = mnl_socket_get_portid(sock);
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		len = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (len < 0)
			return -1;
		ret = mnl_cb_run(buf, len, nlh->nlmsg_seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

static struct nlmsghdr *wg_genl_msg(char *buf, uint16_t type, uint8_t cmd,
				 uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	return nlh;
}

enum wg_peer_answer wg_dev_has_peer(const char *dev, const uint8_t *key)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct peer_query q = { .key = key };
	enum wg_peer_answer ret = WG_PEER_UNKNOWN;
	struct mnl_socket *sock;
	struct nlmsghdr *nlh;
	uint32_t seq = time(NULL);

	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!sock)
		return WG_PEER_UNKNOWN;
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	nlh = wg_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK, ++seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	if (wg_request(sock, nlh, wg_family_cb, &q) || !q.family)
		goto out;
	nlh = wg_genl_msg(buf, q.family, WG_CMD_GET_DEVICE, NLM_F_DUMP, ++seq);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, dev);
	if (wg_request(sock, nlh, wg_device_cb, &q))
		goto out;
	ret = q.found ? WG_PEER_PRESENT : WG_PEER_ABSENT;
out:
	mnl_socket_close(sock);
	return ret;
}
