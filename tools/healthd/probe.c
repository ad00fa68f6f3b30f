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
#include <time.h>

#include "echo.h"
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
	int fd, idx = ifindex, err, one = 1;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (set_filter(fd, family) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
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

static uint64_t rx_time(struct msghdr *m)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS ||
		    c->cmsg_len < CMSG_LEN(sizeof(ts)))
			continue;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
	}
	return 0;
}

int probe_recv_batch(int fd, int family, struct probe_reply *r, unsigned int max)
{
	/* Headers and the echo header are all we read: the rest is cut (MSG_TRUNC). */
	uint8_t buf[PROBE_BATCH][128] __attribute__((aligned(8)));
	union {
		char b[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl[PROBE_BATCH];
	struct sockaddr_storage ss[PROBE_BATCH];
	struct mmsghdr mm[PROBE_BATCH];
	struct iovec iov[PROBE_BATCH];
	unsigned int i;
	int n;

	if (max > PROBE_BATCH)
		max = PROBE_BATCH;
	memset(mm, 0, sizeof(mm[0]) * max);
	for (i = 0; i < max; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = sizeof(buf[i]) };
		mm[i].msg_hdr.msg_name = &ss[i];
		mm[i].msg_hdr.msg_namelen = sizeof(ss[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = ctl[i].b;
		mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].b);
	}
	n = recvmmsg(fd, mm, max, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	for (i = 0; i < (unsigned int)n; i++) {
		size_t len = mm[i].msg_len < sizeof(buf[i]) ? mm[i].msg_len : sizeof(buf[i]);

		memset(&r[i], 0, sizeof(r[i]));
		if (ss[i].ss_family != family ||
		    !echo_reply_parse(buf[i], len, family, &r[i].ident, &r[i].seq))
			continue;
		r[i].echo = true;
		r[i].from.family = family;
		if (family == AF_INET)
			r[i].from.v4 = ((const struct sockaddr_in *)&ss[i])->sin_addr;
		else
			r[i].from.v6 = ((const struct sockaddr_in6 *)&ss[i])->sin6_addr;
		r[i].rx_real_us = rx_time(&mm[i].msg_hdr);
	}
	return n;
}
