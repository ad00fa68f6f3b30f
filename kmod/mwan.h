/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of mwan.ko, and the per network namespace
 * state that everything else hangs from.
 */
#ifndef _MWAN_H
#define _MWAN_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "xlate.h"

struct dentry;
struct mwan_uplink;
struct mwan_policy;
struct mwan_rule;
struct mwan_snap;
struct mwan_wg_set;

struct mwan_net {
	struct net *net;
	/* Serializes configuration; taken after rtnl_lock when both are held. */
	struct mutex lock;
	/* Of struct mwan_uplink: written under lock, read under lock or RCU. */
	struct list_head uplinks;
	/* Mark indexes in use (1..mwan_mark_index_max(mwan_mark_mask)). */
	struct ida marks;
	/* Mark index -> uplink: written under lock, read by the data path. */
	struct xarray by_index;
	/* Of struct mwan_policy, under lock. */
	struct list_head policies;
	/* Of struct mwan_rule in pref order, under lock. */
	struct list_head rules;
	unsigned int nrules;
	/* The data path's view of the rules: replaced under lock, read under RCU. */
	struct mwan_snap __rcu *snap;
	/* NPTv6 and 1:1 NAT mappings (xlate.h). */
	struct mwan_xlate_table xlate[MWAN_XLATE_KINDS];
	/* WireGuard endpoint sets (wg.h), by (ifname, peer), under lock. */
	struct list_head wg_sets;
	unsigned int n_wg;
	/* Their bound endpoints, for the steering hook. */
	struct rhltable wg_eps;
	/* The steering hooks are registered while the netns has sets. */
	bool wg_hooks;
	/* The netfilter hooks are registered while the netns has uplinks. */
	bool hooks;
	/* Drops the conntrack entries of flows pinned to uplinks now down. */
	struct work_struct ct_work;
	/* Bumped under lock on every change that a dump can see; never 0. */
	unsigned int generation;
	struct dentry *debugfs;
#if MWAN_ERRMSG_LEN
	char errmsg[MWAN_ERRMSG_LEN];	/* see compat.h */
#endif
};

extern unsigned int mwan_net_id;
extern unsigned int mwan_mark_mask;

static inline struct mwan_net *mwan_net(const struct net *net)
{
	return net_generic(net, mwan_net_id);
}

static inline void mwan_net_changed(struct mwan_net *mn)
{
	lockdep_assert_held(&mn->lock);
	mn->generation = mn->generation + 1 ?: 1;
}

int mwan_netlink_init(void);
void mwan_netlink_uninit(void);
/* Announce an object on the events group; mn->lock held. */
void mwan_netlink_notify(struct mwan_net *mn, const struct mwan_uplink *up,
			 u8 cmd);
void mwan_netlink_notify_policy(struct mwan_net *mn,
				const struct mwan_policy *pol, u8 cmd);
void mwan_netlink_notify_rule(struct mwan_net *mn, const struct mwan_rule *rule,
			      u8 cmd);
void mwan_netlink_notify_wg(struct mwan_net *mn, const struct mwan_wg_set *set,
			    u8 cmd);

void mwan_debugfs_init(void);
void mwan_debugfs_uninit(void);
void mwan_debugfs_net_init(struct mwan_net *mn);
void mwan_debugfs_net_exit(struct mwan_net *mn);

#endif /* _MWAN_H */
