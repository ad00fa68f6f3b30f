// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: echo replies as raw ICMP and ICMPv6 sockets return them
 * (mwan-healthd reads whatever arrives on an uplink). The first byte picks
 * the family; a datagram that parses is an echo reply with code 0 whose
 * identifier and sequence are the two 16-bit words after the checksum, at
 * the offset the IPv4 header length says.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "../../tools/healthd/echo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t ident, seq;
	size_t off = 0;
	int family;

	if (!size)
		return 0;
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	data++;
	size--;
	if (!echo_reply_parse(data, size, family, &ident, &seq))
		return 0;
	if (family == AF_INET) {
		off = (data[0] & 0x0f) * 4;
		if (size < 20 || data[0] >> 4 != 4 || off < 20)
			abort();
	}
	if (size < off + 8 || data[off + 1] ||
	    data[off] != (family == AF_INET ? 0 : 129) ||
	    ident != (data[off + 4] << 8 | data[off + 5]) ||
	    seq != (data[off + 6] << 8 | data[off + 7]))
		abort();
	return 0;
}
