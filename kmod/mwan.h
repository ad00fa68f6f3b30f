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
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct dentry;
struct mwan_uplink;

struct mwan_net {
	struct net *net;
	/* Serializes configuration; taken after rtnl_lock when both are held. */
	struct mutex lock;
	/* Of struct mwan_uplink: written under lock, read under lock or RCU. */
	struct list_head uplinks;
	/* Mark indexes in use (1..mwan_mark_index_max(mwan_mark_mask)). */
	struct ida marks;
	/* Bumped under lock on every change that a dump can see; never 0. */
	unsigned int generation;
	struct dentry *debugfs;
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
/* Announces up on the events group; rtnl and mn->lock held. */
void mwan_netlink_notify(struct mwan_net *mn, const struct mwan_uplink *up,
			 u8 cmd);

void mwan_debugfs_init(void);
void mwan_debugfs_uninit(void);
void mwan_debugfs_net_init(struct mwan_net *mn);
void mwan_debugfs_net_exit(struct mwan_net *mn);

#endif /* _MWAN_H */
