/* SPDX-License-Identifier: GPL-2.0 */
/* Echo replies as a raw ICMP or ICMPv6 socket returns them (no I/O here). */
#ifndef MWAN_HEALTHD_ECHO_H
#define MWAN_HEALTHD_ECHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A datagram read from a raw socket of family AF_INET (it starts with the
 * IPv4 header) or AF_INET6 (it starts with the ICMPv6 header): true and
 * its identifier and sequence if it is an echo reply with code 0.
 */
bool echo_reply_parse(const uint8_t *buf, size_t len, int family, uint16_t *ident,
		      uint16_t *seq);

#endif
