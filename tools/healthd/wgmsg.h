/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mwan-healthd reads from and writes to WireGuard, with no I/O:
 * WG_CMD_GET_DEVICE replies (a peer's endpoint and latest handshake), the
 * WG_CMD_SET_DEVICE request that moves one peer, and the rule that says
 * when healthd writes an endpoint at all. The mwan module's endpoint sets
 * are tools/lib's struct wg_set (wg_nl.h).
 */
#ifndef MWAN_HEALTHD_WGMSG_H
#define MWAN_HEALTHD_WGMSG_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "wg.h"

/* The set's active endpoint, or NULL while none is usable. */
const struct wg_endpoint *wg_set_active(const struct wg_set *s);

/* A peer as WireGuard's WG_CMD_GET_DEVICE reports it. */
struct wg_peer {
	uint8_t key[MWAN_WG_KEY_LEN];
	bool has_key;
	struct wg_endpoint ep;		/* port 0: WireGuard knows no endpoint */
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
		     const uint8_t *key, const struct wg_endpoint *ep);

/* Same address and port; two endpoints without a port (none) are equal. */
bool wg_ep_equal(const struct wg_endpoint *a, const struct wg_endpoint *b);
/* wg_format_endpoint(), or "none" without a port; buf holds WG_ENDPOINT_STRLEN bytes. */
const char *wg_ep_str(const struct wg_endpoint *ep, char *buf, size_t len);
/* The key's first 8 base64 characters and "…", as log lines name a peer. */
#define WG_KEY_SHORTLEN 16
const char *wg_key_short(const uint8_t *key, char *buf, size_t len);

/*
 * Whether healthd writes the set's active endpoint into WireGuard, whose
 * peer now has endpoint cur. changed: the active endpoint differs from the
 * one healthd saw last, or the set is new; start: the set was found by a
 * dump (start-up, SIGHUP), so nothing is known of what came before, or
 * healthd looks again shortly after a switch (wgsets.c).
 *
 * The roaming rule: healthd writes on a change only (edge-triggered) and
 * never re-asserts, so a peer that roamed on its own keeps its endpoint
 * until the set's active endpoint next changes. At start it writes only if
 * WireGuard has no endpoint for the peer, or one of the set's other
 * endpoints (a switch it missed while not running). It never writes the
 * endpoint WireGuard already has, nor anything while no endpoint is usable.
 */
bool wg_should_write(const struct wg_set *s, const struct wg_endpoint *cur, bool changed,
		     bool start);

#endif
