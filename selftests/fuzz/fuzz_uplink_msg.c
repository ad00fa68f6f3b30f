// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: an uplink message as mwan-healthd reads it from a dump or
 * an event, from raw bytes after a generic netlink header: uplink_from_msg()
 * must refuse it or give a struct whose strings end and whose track list
 * fits, and the daemon's reading of it (targets, verdict settings) must
 * stay within bounds.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "../../tools/lib/netlink.c"
#include "../../tools/lib/uplink_nl.c"
#include "../../tools/healthd/verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[16384] __attribute__((aligned(8)));
	struct inet_addr t[TARGETS_MAX];
	struct verdict_cfg cfg;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct uplink u;
	unsigned int i, n;

	if (size > sizeof(buf) - MNL_NLMSG_HDRLEN - GENL_HDRLEN)
		return 0;
	memset(buf, 0, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = MWAN_CMD_UPLINK_SET;
	memcpy((char *)genl + GENL_HDRLEN, data, size);
	nlh->nlmsg_len += size;

	if (uplink_from_msg(nlh, &u))
		return 0;
	if (!(u.present & UPLINK_F_NAME) || !memchr(u.name, 0, sizeof(u.name)) ||
	    !memchr(u.dev, 0, sizeof(u.dev)) || u.ntrack > MWAN_TRACK_MAX)
		abort();
	n = verdict_targets(&u, t);
	if (n > TARGETS_MAX)
		abort();
	for (i = 0; i < n; i++)
		if (t[i].family != AF_INET && t[i].family != AF_INET6)
			abort();
	verdict_cfg_from_uplink(&cfg, &u);
	if (!cfg.down || !cfg.up || !cfg.reliability)
		abort();
	return 0;
}
