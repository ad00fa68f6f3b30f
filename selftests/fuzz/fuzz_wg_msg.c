// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: what mwan-healthd reads about WireGuard, from raw bytes after
 * a generic netlink header: an mwan endpoint set as healthd uses it
 * (wg_from_msg() must refuse it or give a set whose strings end, whose
 * endpoint list fits and whose active endpoint is in it; the roaming rule
 * and the log helpers must stay in bounds), or the peers of a WireGuard
 * GET_DEVICE reply (every peer has a key, every endpoint a known family).
 * The first byte picks which.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "../../tools/lib/netlink.c"
#include "../../tools/lib/wg_nl.c"
#include "../../tools/healthd/wgmsg.h"

static void peer_cb(const struct wg_peer *p, void *data)
{
	char s[WG_ENDPOINT_STRLEN];

	(void)data;
	if (!p->has_key || (p->ep.port && p->ep.addr.family != AF_INET &&
			    p->ep.addr.family != AF_INET6))
		abort();
	wg_ep_str(&p->ep, s, sizeof(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[16384] __attribute__((aligned(8)));
	char s[WG_ENDPOINT_STRLEN], k[WG_KEY_SHORTLEN];
	const struct wg_endpoint *active;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct wg_set set;
	unsigned int i;

	if (!size || size - 1 > sizeof(buf) - MNL_NLMSG_HDRLEN - GENL_HDRLEN)
		return 0;
	memset(buf, 0, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	memcpy((char *)genl + GENL_HDRLEN, data + 1, size - 1);
	nlh->nlmsg_len += size - 1;

	switch (data[0] % 2) {
	case 0:
		if (wg_from_msg(nlh, &set))
			return 0;
		if (!memchr(set.dev, 0, sizeof(set.dev)) || set.n > MWAN_WG_ENDPOINTS_MAX)
			abort();
		for (i = 0; i < set.n; i++)
			if (!memchr(set.ep[i].via, 0, sizeof(set.ep[i].via)) ||
			    (set.ep[i].addr.family != AF_INET && set.ep[i].addr.family != AF_INET6))
				abort();
		active = wg_set_active(&set);
		if (active && (active < set.ep || active >= set.ep + set.n))
			abort();
		if (active)
			wg_ep_str(active, s, sizeof(s));
		wg_key_short(set.peer, k, sizeof(k));
		wg_should_write(&set, &set.ep[0], data[0] & 4, data[0] & 8);
		break;
	case 1:
		wg_dev_peers(nlh, peer_cb, NULL);
		break;
	}
	return 0;
}
