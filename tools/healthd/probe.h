/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP and ICMPv6 echo over raw sockets, each bound to one uplink's device
 * and carrying its mark, so that a probe leaves through that uplink (its
 * "ip rule fwmark" table) whatever the main table says. Needs CAP_NET_RAW
 * (the socket) and CAP_NET_ADMIN (SO_MARK).
 */
#ifndef MWAN_HEALTHD_PROBE_H
#define MWAN_HEALTHD_PROBE_H

#include <stdint.h>

#include "utils.h"

/* A non-blocking raw socket that receives only echo replies; -errno on failure. */
int probe_open(int family, uint32_t ifindex, uint32_t mark);

/* Sends an echo request; 0 or -errno (the probe is then lost). */
int probe_send(int fd, const struct inet_addr *dst, uint16_t ident, uint16_t seq);

/*
 * Reads one datagram: 1 and its source, identifier and sequence if it is
 * an echo reply, 0 if it is something else, -EAGAIN when none is left,
 * another -errno on failure.
 */
int probe_recv(int fd, int family, struct inet_addr *from, uint16_t *ident,
	       uint16_t *seq);

#endif
