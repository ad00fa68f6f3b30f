/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A WireGuard endpoint set as the tools see it: a device, a peer's public
 * key, and an ordered list of endpoints, each optionally bound to an uplink
 * ("via"). Each field is valid only when its WG_F_* bit is set in
 * 'present'.
 */
#ifndef MWAN_TOOLS_WG_H
#define MWAN_TOOLS_WG_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include "../../uapi/linux/mwan.h"

#include "utils.h"

enum {
	WG_F_DEV	= 1u << 0,
	WG_F_IFINDEX	= 1u << 1,
	WG_F_PEER	= 1u << 2,
	WG_F_ACTIVE	= 1u << 3,
	WG_F_STATS	= 1u << 4,
};

struct wg_endpoint {
	struct inet_addr addr;
	uint16_t port;
	bool has_via;
	bool usable;
	char via[MWAN_NAME_MAXLEN];
};

struct wg_set {
	uint32_t present;
	char dev[IFNAMSIZ];
	uint32_t ifindex;
	uint8_t peer[MWAN_WG_KEY_LEN];
	unsigned int n;
	struct wg_endpoint ep[MWAN_WG_ENDPOINTS_MAX];
	uint32_t active;		/* index into ep */
	uint64_t packets;		/* steered */
};

enum wgset_cmd {
	WG_ADD,				/* add and replace */
	WG_DEL,
	WG_SHOW,
};

/* A WireGuard key in base64: 44 characters, the last one '='. */
#define WG_KEY_B64_LEN 44

/* Decodes a canonical base64 key; -1 if s is not one. */
int wg_key_from_base64(uint8_t key[MWAN_WG_KEY_LEN], const char *s);
/* out holds WG_KEY_B64_LEN + 1 bytes. */
void wg_key_to_base64(char *out, const uint8_t key[MWAN_WG_KEY_LEN]);

/* "ADDR:PORT" or "[ADDR6]:PORT", unicast, port 1-65535; -1 via parse_fail(). */
int wg_parse_endpoint(const char *arg, struct inet_addr *addr, uint16_t *port);
/* The same form; buf holds WG_ENDPOINT_STRLEN bytes. */
#define WG_ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 8)
const char *wg_format_endpoint(const struct inet_addr *addr, uint16_t port,
			       char *buf, size_t len);

/*
 * Parses the arguments after "wg add|replace|del|show" into *w; on failure
 * parse_error() says why, quoting the bad token.
 */
int wg_parse(enum wgset_cmd cmd, int argc, char **argv, struct wg_set *w);

/* The attribute names for "(attribute NAME)" in kernel errors. */
const char *wg_attr_name(unsigned int type);

enum {
	WG_PRINT_STATS	= 1u << 0,	/* -s: packets */
};

/* The set as a few lines of text or as one JSON object. */
void wg_print(const struct wg_set *w, unsigned int flags);
/* A monitor line; cmd is MWAN_CMD_WG_NEW, _SET or _DEL. */
void wg_print_event(const struct wg_set *w, unsigned int cmd);

#endif
