// SPDX-License-Identifier: GPL-2.0
/* Echo reply parsing: see echo.h. */
#include <arpa/inet.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include "echo.h"

bool echo_reply_parse(const uint8_t *buf, size_t len, int family, uint16_t *ident,
		      uint16_t *seq)
{
	size_t off = 0;

	if (family == AF_INET) {
		/* IHL counts 32-bit words: 5 to 15. */
		if (len < sizeof(struct iphdr) || buf[0] >> 4 != 4)
			return false;
		off = (buf[0] & 0x0f) * 4;
		if (off < sizeof(struct iphdr))
			return false;
	} else if (family != AF_INET6) {
		return false;
	}
	/* type, code, checksum, identifier, sequence */
	if (len < off + 8)
		return false;
	if (buf[off] != (family == AF_INET ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY) ||
	    buf[off + 1])
		return false;
	*ident = (uint16_t)(buf[off + 4] << 8 | buf[off + 5]);
	*seq = (uint16_t)(buf[off + 6] << 8 | buf[off + 7]);
	return true;
}
