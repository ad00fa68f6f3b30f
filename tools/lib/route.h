/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy routing of an uplink, over rtnetlink (libmnl): for IPv4 and
 * IPv6 an "ip rule fwmark MARK/MASK lookup TABLE pref 1000+INDEX" and, in
 * TABLE, a default route via the uplink's gateway (on-link, so it does not
 * wait for DHCP) or, on a point-to-point device without one, through the
 * device alone. Routes are installed with protocol "static" and replaced in
 * place, so installing again is harmless; removing takes only those.
 * Nothing here prints: failures are described in struct route_result.
 */
#ifndef MWAN_TOOLS_ROUTE_H
#define MWAN_TOOLS_ROUTE_H

#include <libmnl/libmnl.h>

#include "uplink.h"

#define ROUTING_PREF_BASE	1000

struct route_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
};

/* Opens and binds a NETLINK_ROUTE socket in the current network namespace. */
int route_nl_open(struct route_nl *rt);
void route_nl_close(struct route_nl *rt);

enum {
	ROUTING_RULE4	= 1u << 0,
	ROUTING_RULE6	= 1u << 1,
	ROUTING_ROUTE4	= 1u << 2,
	ROUTING_ROUTE6	= 1u << 3,
	ROUTING_ALL	= ROUTING_RULE4 | ROUTING_RULE6 | ROUTING_ROUTE4 | ROUTING_ROUTE6,
};

struct route_result {
	unsigned int added;	/* ROUTING_*: what this call created or replaced */
	unsigned int missing;	/* default routes the device's state prevents for now */
	int missing_err;	/* why: ENETDOWN, ENODEV, or EACCES (IPv6 disabled) */
	int err;		/* the failure, when a call returned -1 ... */
	char msg[256];		/* ... described */
};

/* The ip rule preference of an uplink: 1000 + its mark index. */
uint32_t routing_pref(const struct uplink *u);

/*
 * Brings u's rules and default routes to what u says (u as the kernel
 * reports it: mark, mark_mask, table, ifindex and gateways). A default
 * route the device's state prevents is left out and counted in missing;
 * any other failure returns -1 with res->err and res->msg set, after
 * which res->added says what to take back with routing_remove().
 */
int routing_install(struct route_nl *rt, const struct uplink *u,
		    struct route_result *res);

/* Removes what of u's routing what names; what is already gone is no error. */
int routing_remove(struct route_nl *rt, const struct uplink *u, unsigned int what,
		   struct route_result *res);

#endif
