// SPDX-License-Identifier: GPL-2.0
/*
 * mwan.ko: module parameters, per network namespace state, and bringing the
 * parts up and down in order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "flow.h"
#include "mwan.h"
#include "policy.h"
#include "rule.h"
#include "uplink.h"
#include "wg.h"
#include "xlate.h"
#include "lib/mark.h"

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/mwan.h>
#include <net/genetlink.h>

unsigned int mwan_mark_mask __read_mostly = 0x00ff0000;
module_param_named(mark_mask, mwan_mark_mask, uint, 0444);
MODULE_PARM_DESC(mark_mask,
		 "packet mark bits that carry the uplink (3 or more contiguous bits; default 0x00ff0000)");

unsigned int mwan_net_id __read_mostly;

static int __net_init mwan_net_init(struct net *net)
{
	struct mwan_net *mn = mwan_net(net);
	int ret;

	mn->net = net;
	mutex_init(&mn->lock);
	INIT_LIST_HEAD(&mn->uplinks);
	INIT_LIST_HEAD(&mn->policies);
	INIT_LIST_HEAD(&mn->rules);
	ida_init(&mn->marks);
	xa_init(&mn->by_index);
	ret = mwan_xlate_net_init(mn);
	if (ret)
		return ret;
	ret = mwan_wg_net_init(mn);
	if (ret) {
		mwan_xlate_net_exit(mn);
		return ret;
	}
	mwan_flow_net_init(mn);
	mn->generation = 1;
	mwan_debugfs_net_init(mn);
	return 0;
}

/*
 * The lock and the (now empty) list stay usable: device events for this
 * netns may still come from subsystems that exit after this one.
 */
static void __net_exit mwan_net_exit(struct net *net)
{
	struct mwan_net *mn = mwan_net(net);

	mwan_debugfs_net_exit(mn);
	mutex_lock(&mn->lock);
	mwan_rule_flush(mn);
	mwan_policy_flush(mn);
	mwan_wg_flush(mn);
	mwan_xlate_flush(mn);
	mwan_uplink_flush(mn);
	mutex_unlock(&mn->lock);
	mwan_flow_net_exit(mn);
	mwan_wg_net_exit(mn);
	mwan_xlate_net_exit(mn);
	ida_destroy(&mn->marks);
	xa_destroy(&mn->by_index);
}

static struct pernet_operations mwan_net_ops = {
	.init = mwan_net_init,
	.exit = mwan_net_exit,
	.id = &mwan_net_id,
	.size = sizeof(struct mwan_net),
};

/*
 * Per-netns state exists before the notifier can report on it, and both
 * before the family lets requests in; unloading goes the other way.
 */
static int __init mwan_init(void)
{
	int ret;

	BUILD_BUG_ON(MWAN_NAME_MAXLEN != IFNAMSIZ);
	if (!mwan_mark_mask_valid(mwan_mark_mask) ||
	    !mwan_mark_index_max(mwan_mark_mask)) {
		pr_err("mark_mask 0x%08x must have at least 3 contiguous bits\n",
		       mwan_mark_mask);
		return -EINVAL;
	}
	mwan_debugfs_init();
	ret = register_pernet_subsys(&mwan_net_ops);
	if (ret)
		goto err_debugfs;
	ret = mwan_uplink_notifier_init();
	if (ret)
		goto err_pernet;
	ret = mwan_netlink_init();
	if (ret)
		goto err_notifier;
	return 0;

err_notifier:
	mwan_uplink_notifier_uninit();
err_pernet:
	unregister_pernet_subsys(&mwan_net_ops);
err_debugfs:
	mwan_debugfs_uninit();
	return ret;
}

static void __exit mwan_exit(void)
{
	mwan_netlink_uninit();
	mwan_uplink_notifier_uninit();
	unregister_pernet_subsys(&mwan_net_ops);
	/* Objects are freed by RCU callbacks in this module's text. */
	rcu_barrier();
	mwan_debugfs_uninit();
}

module_init(mwan_init);
module_exit(mwan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multi-WAN per-flow uplink selection, NPTv6 (RFC 6296) and 1:1 NAT");
MODULE_AUTHOR("mwan developers");
MODULE_VERSION(MWAN_VERSION);
MODULE_ALIAS_GENL_FAMILY(MWAN_GENL_NAME);
