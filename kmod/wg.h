/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WireGuard endpoint sets: for one peer of one WireGuard device, an ordered
 * list of endpoints, each optionally bound to an uplink, and the active one
 * (the first usable). The steering hook (wg.c) sends the encapsulated UDP
 * packets of the device to an endpoint bound to an uplink out of that
 * uplink.
 *
 * The endpoint list of a set (struct mwan_wg_ver) is immutable once
 * published: SET hashes the new version's endpoints, unhashes the old ones
 * and frees them after a grace period. The data path finds endpoints in one
 * rhltable per netns keyed by (family, port, address) and checks that the
 * packet's socket belongs to the set's device. Config goes under
 * mwan_net.lock (and rtnl, for device lookups).
 */
#ifndef _MWAN_WG_H
#define _MWAN_WG_H

#include <linux/if.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/mwan.h>

#include "pcpu.h"

struct mwan_net;
struct mwan_uplink;
struct net_device;

struct mwan_wg_key {
	u8 family;			/* AF_INET or AF_INET6 */
	u8 pad;				/* zero */
	__be16 port;
	u8 addr[16];			/* IPv4: bytes 0..3, the rest zero */
};

struct mwan_wg_set;

struct mwan_wg_ep {
	struct rhlist_head node;	/* in mwan_net.wg_eps while bound */
	struct mwan_wg_key key;
	struct mwan_wg_set *set;
	struct mwan_uplink *up;		/* NULL: any route */
	u32 mark;			/* up->mark, for the data path */
};

/* An endpoint list, immutable once published. */
struct mwan_wg_ver {
	struct rcu_head rcu;
	unsigned int n;
	struct mwan_wg_ep ep[MWAN_WG_ENDPOINTS_MAX];
};

struct mwan_wg_set {
	struct list_head list;		/* in mwan_net.wg_sets, by (ifname, peer) */
	struct rcu_head rcu;
	int ifindex;			/* 0 while the device is gone; data path */
	char ifname[IFNAMSIZ];		/* followed through renames */
	u8 peer[MWAN_WG_KEY_LEN];
	struct mwan_wg_ver __rcu *ver;
	int active;			/* index, -1 while none is usable */
	u32 usable;			/* bit i: endpoint i usable */
	struct mwan_pcpu_packets __percpu *stats;
};

/* A parsed NEW or SET request: the endpoints, not yet hashed. */
struct mwan_wg_req {
	unsigned int n;
	struct mwan_wg_key key[MWAN_WG_ENDPOINTS_MAX];
	struct mwan_uplink *up[MWAN_WG_ENDPOINTS_MAX];
};

int mwan_wg_net_init(struct mwan_net *mn);
void mwan_wg_net_exit(struct mwan_net *mn);

/* Whether dev is a WireGuard device. */
bool mwan_wg_dev_is_wg(const struct net_device *dev);

/* The caller holds mn->lock for all of these. */
struct mwan_wg_set *mwan_wg_find(struct mwan_net *mn, const char *ifname,
				 const u8 *peer);
/* The set at position idx of the dump order, or NULL. */
struct mwan_wg_set *mwan_wg_nth(struct mwan_net *mn, long idx);
/* Creates (rtnl held) or replaces; the active endpoint is computed anew. */
struct mwan_wg_set *mwan_wg_add(struct mwan_net *mn, const char *ifname,
				int ifindex, const u8 *peer,
				const struct mwan_wg_req *req);
int mwan_wg_replace(struct mwan_net *mn, struct mwan_wg_set *set,
		    const struct mwan_wg_req *req);
/* Unlists the set; its memory goes after an RCU grace period. */
void mwan_wg_del(struct mwan_net *mn, struct mwan_wg_set *set);
void mwan_wg_flush(struct mwan_net *mn);
bool mwan_wg_using(struct mwan_net *mn, const struct mwan_uplink *up);
u64 mwan_wg_packets(const struct mwan_wg_set *set);

/*
 * rtnl and mn->lock held: recomputes every set's active endpoint after an
 * uplink or route change, and announces the sets whose active endpoint or
 * usable endpoints changed.
 */
void mwan_wg_refresh(struct mwan_net *mn);
/* A device event, from the uplinks' notifier (rtnl and mn->lock held). */
void mwan_wg_netdev_event(struct mwan_net *mn, struct net_device *dev,
			  unsigned long event);

/* Endpoints whose conntrack entries go after a change (old and new ones). */
struct mwan_wg_flush {
	unsigned int n;
	struct mwan_wg_key key[2 * MWAN_WG_ENDPOINTS_MAX];
};

/* mn->lock held: adds the endpoints of set (as it is now) to fl. */
void mwan_wg_flush_add(struct mwan_wg_flush *fl, const struct mwan_wg_set *set);
/*
 * Drops the conntrack entries of the router's UDP flows to the endpoints in
 * fl: their masquerade binding may hold the address of an uplink that they
 * no longer leave through. No locks held.
 */
void mwan_wg_ct_flush(struct mwan_net *mn, const struct mwan_wg_flush *fl);

#endif /* _MWAN_WG_H */
