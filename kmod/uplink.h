/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Uplinks: a named way out of the router (a device, its gateways, a routing
 * table and a packet mark), with the state that decides whether new flows
 * may use it.
 */
#ifndef _MWAN_UPLINK_H
#define _MWAN_UPLINK_H

#include <linux/if.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/mwan.h>

struct mwan_net;

struct mwan_uplink_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t flows;
	struct u64_stats_sync syncp;
};

struct mwan_uplink_counters {
	u64 packets;
	u64 bytes;
	u64 flows;
};

struct mwan_track_addr {
	u8 len;				/* 4 or 16 */
	u8 addr[16];
};

/* What mwan-healthd needs to probe the uplink. */
struct mwan_probe {
	u32 interval_ms;
	u32 timeout_ms;
	u32 down;
	u32 up;
	u32 reliability;		/* <= max(n_track, 1) */
	u32 rtt_max_ms;			/* degraded above; 0: no limit */
	u8 loss_max_pct;		/* degraded above; 0: no limit */
	u32 handshake_s;		/* WireGuard: handshake age limit; 0: none */
	unsigned int n_track;
	struct mwan_track_addr track[MWAN_TRACK_MAX];
};

/* What mwan-healthd last measured and concluded. */
struct mwan_uplink_health {
	u8 verdict;			/* enum mwan_health */
	u8 loss_pct;
	u32 rtt_us;
};

/*
 * Everything a NEW or SET can write, so that a request is built and checked
 * on a copy and applied whole or not at all.
 */
struct mwan_gateways {
	bool has4;
	bool has6;
	__be32 addr4;
	struct in6_addr addr6;
};

struct mwan_uplink_cfg {
	char ifname[IFNAMSIZ];		/* followed through renames */
	struct mwan_gateways gw;
	u32 table;
	u32 weight;			/* data path: WRITE_ONCE */
	u32 metric;			/* data path: WRITE_ONCE */
	u8 admin;			/* enum mwan_admin */
	struct mwan_probe probe;
	struct mwan_uplink_health health;
};

struct mwan_uplink {
	struct list_head list;		/* in mwan_net.uplinks */
	struct rcu_head rcu;
	/* Read by the data path under RCU: written with WRITE_ONCE. */
	int ifindex;			/* 0 while the device is gone */
	u32 mark;			/* fixed for the uplink's lifetime */
	u8 state;			/* enum mwan_state */
	bool degraded;			/* up, but second choice (health) */
	struct mwan_uplink_stats __percpu *stats;
	/* The rest under mwan_net.lock. */
	u8 reason;			/* enum mwan_reason */
	u64 since;			/* boottime ns of the last state change */
	char name[MWAN_NAME_MAXLEN];
	struct mwan_uplink_cfg cfg;
};

/* The caller holds mn->lock for all of these. */
struct mwan_uplink *mwan_uplink_find(struct mwan_net *mn, const char *name);

/*
 * An unlisted uplink with the defaults and a free mark, or ERR_PTR(-ENOSPC)
 * when mark_mask has no free index left. The caller holds mn->lock and
 * either mwan_uplink_add()s or mwan_uplink_free()s it.
 */
struct mwan_uplink *mwan_uplink_alloc(struct mwan_net *mn, const char *name);
void mwan_uplink_free(struct mwan_net *mn, struct mwan_uplink *up);

/* rtnl and mn->lock held; ifindex is that of cfg->ifname in mn's netns. */
void mwan_uplink_add(struct mwan_net *mn, struct mwan_uplink *up,
		     const struct mwan_uplink_cfg *cfg, int ifindex);
void mwan_uplink_change(struct mwan_net *mn, struct mwan_uplink *up,
			const struct mwan_uplink_cfg *cfg, int ifindex);

/* mn->lock held; the memory goes after an RCU grace period. */
void mwan_uplink_del(struct mwan_net *mn, struct mwan_uplink *up);
void mwan_uplink_flush(struct mwan_net *mn);

u64 mwan_uplink_since_ms(const struct mwan_uplink *up);
void mwan_uplink_counters(const struct mwan_uplink *up,
			  struct mwan_uplink_counters *c);

int mwan_uplink_notifier_init(void);
void mwan_uplink_notifier_uninit(void);

#endif /* _MWAN_UPLINK_H */
