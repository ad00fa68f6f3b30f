// SPDX-License-Identifier: GPL-2.0
/* Echo requests and replies: see probe.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include "probe.h"

#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif

/* The echo header and a payload that names us to whoever captures it. */
struct echo {
	uint8_t type;
	uint8_t code;
	uint16_t csum;
	uint16_t ident;
	uint16_t seq;
	char data[16];
};

static const char payload[16] = "mwan-healthd";

static uint16_t csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* Only echo replies reach us: the kernel filters the rest. */
static int set_filter(int fd, int family)
{
	if (family == AF_INET) {
		struct icmp_filter f = { .data = ~(1u << ICMP_ECHOREPLY) };

		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;

		memset(&f, 0xff, sizeof(f));
		f.data[ICMPV6_ECHO_REPLY >> 5] &= ~(1u << (ICMPV6_ECHO_REPLY & 31));
		return setsockopt(fd, IPPROTO_ICMPV6, ICMPV6_FILTER, &f, sizeof(f));
	}
}

int probe_open(int family, uint32_t ifindex, uint32_t mark)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int fd, idx = ifindex, err;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (set_filter(fd, family) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, sizeof(idx)) ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int probe_send(int fd, const struct inet_addr *dst, uint16_t ident, uint16_t seq)
{
	struct echo e = {
		.type = dst->family == AF_INET ? ICMP_ECHO : ICMPV6_ECHO_REQUEST,
		.ident = htons(ident),
		.seq = htons(seq),
	};
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const struct sockaddr *sa;
	socklen_t salen;

	memcpy(e.data, payload, sizeof(e.data));
	if (dst->family == AF_INET) {
		/* ICMPv6's checksum covers a pseudo-header: the kernel fills that one in. */
		e.csum = csum(&e, sizeof(e));
		sin.sin_addr = dst->v4;
		sa = (const struct sockaddr *)&sin;
		salen = sizeof(sin);
	} else {
		sin6.sin6_addr = dst->v6;
		sa = (const struct sockaddr *)&sin6;
		salen = sizeof(sin6);
	}
	if (sendto(fd, &e, sizeof(e), 0, sa, salen) < 0)
		return -errno;
	return 0;
}

int probe_recv(int fd, int family, struct inet_addr *from, uint16_t *ident,
	       uint16_t *seq)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	uint8_t buf[1500] __attribute__((aligned(8)));
	const struct echo *e;
	size_t off = 0;
	ssize_t len;

	len = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &sslen);
	if (len < 0)
		return -errno;
	if (family == AF_INET) {
		/* Raw IPv4 sockets see the IP header. */
		if (len < (ssize_t)sizeof(struct iphdr))
			return 0;
		off = (buf[0] & 0x0f) * 4;
		if (off < sizeof(struct iphdr))
			return 0;
	}
	if ((size_t)len < off + 8 || ss.ss_family != family)
		return 0;
	e = (const struct echo *)(buf + off);
	if (e->type != (family == AF_INET ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY) || e->code)
		return 0;
	from->family = family;
	if (family == AF_INET)
		from->v4 = ((const struct sockaddr_in *)&ss)->sin_addr;
	else
		from->v6 = ((const struct sockaddr_in6 *)&ss)->sin6_addr;
	*ident = ntohs(e->ident);
	*seq = ntohs(e->seq);
	return 1;
}
