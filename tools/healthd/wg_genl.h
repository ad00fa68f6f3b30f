/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client of WireGuard's own generic netlink family ("wireguard"): read a
 * device's peers, move one peer's endpoint. The family is resolved on first
 * use and again whenever a request finds it gone (the module loaded later,
 * or reloaded). Nothing here prints: every call returns 0 or -errno, and
 * the caller says what it means, once.
 */
#ifndef MWAN_HEALTHD_WG_H
#define MWAN_HEALTHD_WG_H

#include "wgmsg.h"

struct wg_genl {
	struct mnl_socket *sock;	/* NULL: not open */
	uint32_t portid;
	uint32_t seq;
	uint16_t family;		/* 0: not resolved */
};

/* -EPROTONOSUPPORT: the wireguard module is not loaded. */
#define WG_ENOFAMILY	(-EPROTONOSUPPORT)

/* The socket only; the family is looked up by the first request. */
int wg_genl_open(struct wg_genl *w);
void wg_genl_close(struct wg_genl *w);
/* Forget the family's id (nlctrl said it went away or came anew). */
void wg_genl_forget(struct wg_genl *w);

/*
 * Calls cb for every peer of the device named ifname (or with ifindex, if
 * not 0). -ENODEV: no such device; -EOPNOTSUPP: not a WireGuard device.
 */
int wg_get_peers(struct wg_genl *w, const char *ifname, uint32_t ifindex,
		 void (*cb)(const struct wg_peer *p, void *data), void *data);

/* Sets the endpoint of an existing peer (WGPEER_F_UPDATE_ONLY): nothing else changes. */
int wg_set_endpoint(struct wg_genl *w, const char *ifname, const uint8_t *key,
		    const struct wg_endpoint *ep);

/* The device's newest peer handshake (CLOCK_REALTIME ms; 0: none ever). */
int wg_newest_handshake(struct wg_genl *w, const char *ifname, uint32_t ifindex,
			uint64_t *ms);

/* What an error of the calls above means, for a log line. */
const char *wg_strerror(int err);

#endif
