// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: what mwan-healthd reads about WireGuard, from raw bytes after
 * a generic netlink header: an mwan endpoint set (wg_set_from_msg() must
 * refuse it or give a set whose strings end, whose endpoint list fits and
 * whose active index is in it), the peers of a WireGuard GET_DEVICE reply
 * (every peer has a key, every endpoint a known family), and an uplink's
 * HANDSHAKE_S (within MWAN_HANDSHAKE_MAX). The first byte picks which.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "../../tools/healthd/wgmsg.h"

static void peer_cb(const struct wg_peer *p, void *data)
{
	char s[WG_EP_STRLEN];

	(void)data;
	if (!p->has_key || (p->ep.port && p->ep.addr.family != AF_INET &&
			    p->ep.addr.family != AF_INET6))
		abort();
	wg_ep_str(&p->ep, s, sizeof(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[16384] __attribute__((aligned(8)));
	char s[WG_EP_STRLEN], k[WG_KEY_SHORTLEN];
	const struct wg_ep *active;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct wg_set set;
	uint32_t secs;
	unsigned int i;

	if (!size || size - 1 > sizeof(buf) - MNL_NLMSG_HDRLEN - GENL_HDRLEN)
		return 0;
	memset(buf, 0, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	memcpy((char *)genl + GENL_HDRLEN, data + 1, size - 1);
	nlh->nlmsg_len += size - 1;

	switch (data[0] % 3) {
	case 0:
		if (wg_set_from_msg(nlh, &set))
			return 0;
		if (!memchr(set.ifname, 0, sizeof(set.ifname)) || !set.ifname[0] ||
		    set.nep > MWAN_WG_ENDPOINTS_MAX)
			abort();
		for (i = 0; i < set.nep; i++)
			if (!memchr(set.ep[i].uplink, 0, sizeof(set.ep[i].uplink)) ||
			    !set.ep[i].port || (set.ep[i].addr.family != AF_INET &&
						set.ep[i].addr.family != AF_INET6))
				abort();
		active = wg_set_active(&set);
		if (active && (active < set.ep || active >= set.ep + set.nep))
			abort();
		if (active)
			wg_ep_str(active, s, sizeof(s));
		wg_key_short(set.peer, k, sizeof(k));
		wg_should_write(&set, &set.ep[0], data[0] & 4, data[0] & 8);
		break;
	case 1:
		wg_dev_peers(nlh, peer_cb, NULL);
		break;
	case 2:
		if (!uplink_msg_handshake_s(nlh, &secs) && secs > MWAN_HANDSHAKE_MAX)
			abort();
		break;
	}
	return 0;
}
