/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP and ICMPv6 echo over one raw socket per family for all uplinks.
 * Each request carries its uplink's mark and device as control messages
 * (SO_MARK, IP_PKTINFO/IPV6_PKTINFO), so that it leaves through that
 * uplink (its "ip rule fwmark" table) whatever the main table says; each
 * reply comes with the device it arrived on. Needs CAP_NET_RAW (the
 * socket) and CAP_NET_ADMIN (the mark).
 */
#ifndef MWAN_HEALTHD_PROBE_H
#define MWAN_HEALTHD_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "utils.h"

/*
 * A non-blocking raw socket that receives only echo replies, each with the
 * time the kernel received it (SO_TIMESTAMPNS: replies may be read late,
 * their RTT stays exact) and its device; -errno on failure.
 */
int probe_open(int family);

/* A datagram as read from a probe socket. */
struct probe_reply {
	bool echo;			/* an echo reply: the fields below are set */
	struct inet_addr from;
	uint16_t ident, seq;
	uint64_t rx_real_us;		/* kernel receive time, CLOCK_REALTIME; 0 if not given */
	uint32_t ifindex;		/* the device it came in on; 0 if not given */
};

/* Datagrams sent by one probe_flush() or read by one probe_recv_batch() at most. */
#define PROBE_BATCH		64

/* An echo request to send: to dst, out of ifindex with mark. */
struct probe_req {
	struct inet_addr dst;
	uint32_t ifindex, mark;
	uint16_t ident, seq;
};

/*
 * Echo requests queued for one socket, to go out with one sendmmsg():
 * those of every uplink whose round is due at the same wake-up.
 */
struct probe_out {
	unsigned int n;			/* queued */
	struct probe_req req[PROBE_BATCH];
	int err[PROBE_BATCH];		/* after probe_flush(): 0, or -errno (that probe is lost) */
};

/*
 * Queues an echo request to dst out of ifindex with mark; false (nothing
 * queued) when PROBE_BATCH are queued already: flush them first.
 */
bool probe_queue(struct probe_out *o, const struct inet_addr *dst, uint32_t ifindex,
		 uint32_t mark, uint16_t ident, uint16_t seq);

/*
 * Sends the queued requests, as few system calls as errors allow: a request
 * the kernel refuses is lost (its err[] set), the ones after it still go.
 * Returns how many there were (their results in err[]) and empties the queue.
 */
unsigned int probe_flush(int fd, struct probe_out *o);

/*
 * Reads up to max (at most PROBE_BATCH) waiting datagrams with one system
 * call: how many were read (0 when none was waiting), or -errno.
 */
int probe_recv_batch(int fd, int family, struct probe_reply *r, unsigned int max);

#endif
