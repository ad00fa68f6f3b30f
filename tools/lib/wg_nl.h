/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct wg_set to and from MWAN_WG_A_* attributes, and the question put
 * to WireGuard's own generic netlink family: does a device have a peer?
 */
#ifndef MWAN_TOOLS_WG_NL_H
#define MWAN_TOOLS_WG_NL_H

#include <libmnl/libmnl.h>

#include "wg.h"

/* Adds the device, the peer and the endpoints (the fields that are present). */
void wg_put(struct nlmsghdr *nlh, const struct wg_set *w);

/* Fills *w from a NEW/SET/DEL/GET message; -1 with errno EPROTO if malformed. */
int wg_from_msg(const struct nlmsghdr *nlh, struct wg_set *w);

enum wg_peer_answer {
	WG_PEER_UNKNOWN,		/* WireGuard not loaded, no such device, not
					 * a WireGuard device, or no answer */
	WG_PEER_ABSENT,
	WG_PEER_PRESENT,
};

/* Asks WireGuard (WG_CMD_GET_DEVICE) whether device dev has peer key. */
enum wg_peer_answer wg_dev_has_peer(const char *dev, const uint8_t *key);

#endif
