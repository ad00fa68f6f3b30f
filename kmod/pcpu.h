/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A per-CPU packet counter, as a rule, a translation mapping and a
 * WireGuard endpoint set each keep one: counted on the packet path with
 * no lock and no allocation, summed for netlink and debugfs.
 */
#ifndef _MWAN_PCPU_H
#define _MWAN_PCPU_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

struct mwan_pcpu_packets {
	u64_stats_t packets;
	struct u64_stats_sync syncp;
};

static inline struct mwan_pcpu_packets __percpu *mwan_pcpu_packets_alloc(void)
{
	return __netdev_alloc_pcpu_stats(struct mwan_pcpu_packets,
					 GFP_KERNEL_ACCOUNT);
}

static inline void mwan_pcpu_packets_inc(struct mwan_pcpu_packets __percpu *p)
{
	struct mwan_pcpu_packets *s = this_cpu_ptr(p);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_update_end(&s->syncp);
}

static inline u64 mwan_pcpu_packets_sum(const struct mwan_pcpu_packets __percpu *p)
{
	u64 sum = 0, packets;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct mwan_pcpu_packets *s = per_cpu_ptr(p, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = u64_stats_read(&s->packets);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += packets;
	}
	return sum;
}

#endif /* _MWAN_PCPU_H */
