/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mwan-healthd reads about WireGuard, with no I/O: the mwan module's
 * endpoint sets (MWAN_CMD_WG_* replies and events), WireGuard's own
 * WG_CMD_GET_DEVICE replies (a peer's endpoint and latest handshake), the
 * WG_CMD_SET_DEVICE request that moves one peer, and the rule that says
 * when healthd writes an endpoint at all.
 */
#ifndef MWAN_HEALTHD_WGMSG_H
#define MWAN_HEALTHD_WGMSG_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "uplink.h"

struct wg_ep {
	struct inet_addr addr;
	uint16_t port;			/* 0: none */
	char uplink[MWAN_NAME_MAXLEN];	/* "": any route */
	bool usable;
};

/* An endpoint set as the mwan module reports it. */
struct wg_set {
	char ifname[IFNAMSIZ];
	uint32_t ifindex;		/* 0: the device is gone */
	uint8_t peer[MWAN_WG_KEY_LEN];
	unsigned int nep;
	struct wg_ep ep[MWAN_WG_ENDPOINTS_MAX];
	bool has_active;
	uint32_t active;		/* < nep when has_active */
};

/* Fills *s from a WG GET/NEW/SET/DEL message; -1 if malformed (no device or peer, bad active). */
int wg_set_from_msg(const struct nlmsghdr *nlh, struct wg_set *s);

/* The set's active endpoint, or NULL while none is usable. */
const struct wg_ep *wg_set_active(const struct wg_set *s);

/* A peer as WireGuard's WG_CMD_GET_DEVICE reports it. */
struct wg_peer {
	uint8_t key[MWAN_WG_KEY_LEN];
	bool has_key;
	struct wg_ep ep;		/* port 0: WireGuard knows no endpoint */
	uint64_t handshake_ms;		/* CLOCK_REALTIME; 0: never */
};

/*
 * Calls cb for every peer of a WG_CMD_GET_DEVICE reply (one part of a
 * dump: a device's peers may span several). Returns -1 if it is malformed.
 */
int wg_dev_peers(const struct nlmsghdr *nlh,
		 void (*cb)(const struct wg_peer *p, void *data), void *data);

/* Appends WGDEVICE_A_IFNAME and one peer nest that moves only its endpoint. */
void wg_put_endpoint(struct nlmsghdr *nlh, const char *ifname,
		     const uint8_t *key, const struct wg_ep *ep);

/*
 * MWAN_UPLINK_A_HANDSHAKE_S of an uplink message (uplink_from_msg() in
 * tools/lib leaves it out): 0 if absent; -1 if malformed.
 */
int uplink_msg_handshake_s(const struct nlmsghdr *nlh, uint32_t *secs);

bool wg_ep_equal(const struct wg_ep *a, const struct wg_ep *b);
/* "ADDR:PORT" or "[ADDR6]:PORT"; "none" without a port. */
#define WG_EP_STRLEN (INET6_ADDRSTRLEN + 8)
const char *wg_ep_str(const struct wg_ep *ep, char *buf, size_t len);
/* The key's first 8 base64 characters and "…", as log lines name a peer. */
#define WG_KEY_SHORTLEN 16
const char *wg_key_short(const uint8_t *key, char *buf, size_t len);

/*
 * Whether healthd writes active (NULL: none usable) into WireGuard, whose
 * peer now has endpoint cur. changed: the active endpoint differs from the
 * one healthd saw last, or the set is new; start: healthd is (re)reading
 * the sets, so nothing is known of what it saw before.
 *
 * The roaming rule: healthd writes on a change only (edge-triggered) and
 * never re-asserts, so a peer that roamed on its own keeps its endpoint
 * until the set's active endpoint next changes. At start it writes only if
 * WireGuard has no endpoint for the peer, or one of the set's other
 * endpoints (a switch it missed while not running). It never writes the
 * endpoint WireGuard already has.
 */
bool wg_should_write(const struct wg_set *s, const struct wg_ep *cur, bool changed,
		     bool start);

#endif
