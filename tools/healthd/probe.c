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

/*
 * Every uplink's replies share the socket: a large receive buffer (with
 * CAP_NET_ADMIN past net.core.rmem_max) holds 64 uplinks' replies between
 * two wake-ups with room to spare.
 */
#define PROBE_RCVBUF		(4 << 20)

int probe_open(int family)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int fd, err, one = 1, rcvbuf = PROBE_RCVBUF;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (set_filter(fd, family) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
	    (family == AF_INET ?
	     setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) :
	     setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static void cmsg_fill(struct cmsghdr *h, int level, int type, const void *data, size_t len)
{
	h->cmsg_level = level;
	h->cmsg_type = type;
	h->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(h), data, len);
}

/* A request's destination. */
union probe_to {
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/* A request's control messages: its uplink's mark and device. */
union probe_cmsg {
	char b[CMSG_SPACE(sizeof(uint32_t)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct cmsghdr align;
};

/* Fills c for a request out of ifindex with mark; returns the length used. */
static size_t probe_cmsg(union probe_cmsg *c, int family, uint32_t ifindex, uint32_t mark)
{
	struct msghdr m = { .msg_control = c->b, .msg_controllen = sizeof(c->b) };
	struct in6_pktinfo pi6 = { .ipi6_ifindex = ifindex };
	struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex };
	struct cmsghdr *h;
	size_t len;

	memset(c, 0, sizeof(*c));
	h = CMSG_FIRSTHDR(&m);
	cmsg_fill(h, SOL_SOCKET, SO_MARK, &mark, sizeof(mark));
	h = CMSG_NXTHDR(&m, h);
	if (family == AF_INET)
		cmsg_fill(h, IPPROTO_IP, IP_PKTINFO, &pi, len = sizeof(pi));
	else
		cmsg_fill(h, IPPROTO_IPV6, IPV6_PKTINFO, &pi6, len = sizeof(pi6));
	return CMSG_SPACE(sizeof(mark)) + CMSG_SPACE(len);
}

bool probe_queue(struct probe_out *o, const struct inet_addr *dst, uint32_t ifindex,
		 uint32_t mark, uint16_t ident, uint16_t seq)
{
	if (o->n == PROBE_BATCH)
		return false;
	o->req[o->n++] = (struct probe_req){
		.dst = *dst, .ifindex = ifindex, .mark = mark, .ident = ident, .seq = seq,
	};
	return true;
}

/* A request's message: m's header pointing to e, to and c. */
static void request_msg(const struct probe_req *q, struct msghdr *m, struct iovec *iov,
			struct echo *e, union probe_to *to, union probe_cmsg *c)
{
	*e = (struct echo){
		.type = q->dst.family == AF_INET ? ICMP_ECHO : ICMPV6_ECHO_REQUEST,
		.ident = htons(q->ident),
		.seq = htons(q->seq),
	};
	memcpy(e->data, payload, sizeof(e->data));
	memset(to, 0, sizeof(*to));
	if (q->dst.family == AF_INET) {
		/* ICMPv6's checksum covers a pseudo-header: the kernel fills that one in. */
		e->csum = csum(e, sizeof(*e));
		to->sin.sin_family = AF_INET;
		to->sin.sin_addr = q->dst.v4;
		m->msg_namelen = sizeof(to->sin);
	} else {
		to->sin6.sin6_family = AF_INET6;
		to->sin6.sin6_addr = q->dst.v6;
		/* A link-local target (a gateway's fe80::) is the device's. */
		if (IN6_IS_ADDR_LINKLOCAL(&q->dst.v6))
			to->sin6.sin6_scope_id = q->ifindex;
		m->msg_namelen = sizeof(to->sin6);
	}
	*iov = (struct iovec){ .iov_base = e, .iov_len = sizeof(*e) };
	m->msg_name = to;
	m->msg_iov = iov;
	m->msg_iovlen = 1;
	m->msg_control = c->b;
	m->msg_controllen = probe_cmsg(c, q->dst.family, q->ifindex, q->mark);
	m->msg_flags = 0;
}

unsigned int probe_flush(int fd, struct probe_out *o)
{
	struct echo e[PROBE_BATCH];
	union probe_to to[PROBE_BATCH];
	union probe_cmsg c[PROBE_BATCH];
	struct mmsghdr mm[PROBE_BATCH];
	struct iovec iov[PROBE_BATCH];
	unsigned int i, n = o->n;
	int ret;

	for (i = 0; i < n; i++)
		request_msg(&o->req[i], &mm[i].msg_hdr, &iov[i], &e[i], &to[i], &c[i]);
	i = 0;
	while (i < n) {
		ret = sendmmsg(fd, &mm[i], n - i, 0);
		if (ret > 0) {
			while (ret--)
				o->err[i++] = 0;
			continue;
		}
		if (ret < 0 && errno == EINTR)
			continue;
		/*
		 * The kernel stops at a request it refuses and tells its error
		 * only when it is the first: this one. It is lost; the rest go.
		 */
		o->err[i++] = ret < 0 ? -errno : -EIO;
	}
	o->n = 0;
	return n;
}

/* The kernel's receive time (CLOCK_REALTIME) and the device the reply came in on. */
static void rx_info(struct msghdr *m, struct probe_reply *r)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(ts))) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			r->rx_real_us = ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
		} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			r->ifindex = (uint32_t)pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			r->ifindex = pi.ipi6_ifindex;
		}
	}
}

int probe_recv_batch(int fd, int family, struct probe_reply *r, unsigned int max)
{
	/* Headers and the echo header are all we read: the rest is cut (MSG_TRUNC). */
	uint8_t buf[PROBE_BATCH][128] __attribute__((aligned(8)));
	union {
		char b[CMSG_SPACE(sizeof(struct timespec)) +
		       CMSG_SPACE(sizeof(struct in6_pktinfo))];
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
		rx_info(&mm[i].msg_hdr, &r[i]);
	}
	return n;
}
