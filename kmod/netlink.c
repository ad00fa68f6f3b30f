// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "mwan": its operations and multicast group,
 * events, and the name checks the per-object files (nl_uplink.c,
 * nl_policy.c, nl_rule.c, nl_xlate.c, nl_wg.c) share.
 *
 * Permissions: NEW, SET and DEL need CAP_NET_ADMIN over the user namespace
 * that owns the request's network namespace (GENL_UNS_ADMIN_PERM), so a
 * container root manages its own uplinks and nobody else's. GET, dumps and
 * the events group are open to every process in the namespace, as the
 * routing table is: uplinks hold no secrets, and mwan-healthd and
 * monitoring tools then need no privilege to read them.
 *
 * Locking: requests that change anything take rtnl_lock (devices are looked
 * up by name) and then the per-netns lock; reads take only the latter.
 */
#include "netlink.h"
#include "mwan.h"
#include "lib/name.h"

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/* Set under rtnl before the family goes away: no event may use it after. */
static bool mwan_nl_closed;

/*
 * Names are NLA_NUL_STRING in the policies (terminated, not too long) and
 * their characters are checked here: a validation function in the policy of
 * a string or integer attribute is misread by the policy dump of 6.1.
 */
int mwan_nl_name(const struct nlattr *attr, char *name, bool policy,
		 struct netlink_ext_ack *extack)
{
	if (!mwan_uplink_name_valid(nla_data(attr), nla_len(attr))) {
		if (policy)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "invalid policy name: letters, digits, '_', '.' and '-', starting with a letter or digit");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "invalid uplink name: letters, digits, '_', '.' and '-', starting with a letter or digit");
		return -EINVAL;
	}
	nla_strscpy(name, attr, MWAN_NAME_MAXLEN);
	return 0;
}

int mwan_nl_ifname(const struct nlattr *attr, char *name,
		   struct netlink_ext_ack *extack)
{
	if (!mwan_ifname_valid(nla_data(attr), nla_len(attr))) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "invalid device name");
		return -EINVAL;
	}
	nla_strscpy(name, attr, IFNAMSIZ);
	return 0;
}

/* Listeners see ENOBUFS on their socket and know to resync. */
static void event_lost(struct mwan_net *mn)
{
	genl_set_err(&mwan_family, mn->net, 0, MWAN_NL_GRP_EVENTS, -ENOBUFS);
}

struct sk_buff *mwan_nl_event_new(struct mwan_net *mn, size_t size)
{
	struct sk_buff *skb;

	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);
	if (mwan_nl_closed ||
	    !genl_has_listeners(&mwan_family, mn->net, MWAN_NL_GRP_EVENTS))
		return NULL;
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		event_lost(mn);
	return skb;
}

void mwan_nl_event_send(struct mwan_net *mn, struct sk_buff *skb, int err)
{
	if (err) {
		nlmsg_free(skb);
		event_lost(mn);
		return;
	}
	genlmsg_multicast_netns(&mwan_family, mn->net, skb, 0,
				MWAN_NL_GRP_EVENTS, GFP_KERNEL);
}

static const struct genl_ops mwan_nl_ops[] = {
	{
		.cmd = MWAN_CMD_UPLINK_GET,
		.doit = mwan_nl_uplink_get,
		.dumpit = mwan_nl_uplink_dump,
		.policy = mwan_uplink_key_policy,
		.maxattr = MWAN_UPLINK_A_NAME,
	},
	{
		.cmd = MWAN_CMD_UPLINK_NEW,
		.doit = mwan_nl_uplink_new,
		.policy = mwan_uplink_policy,
		.maxattr = MWAN_UPLINK_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_UPLINK_SET,
		.doit = mwan_nl_uplink_set,
		.policy = mwan_uplink_policy,
		.maxattr = MWAN_UPLINK_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_UPLINK_DEL,
		.doit = mwan_nl_uplink_del,
		.policy = mwan_uplink_key_policy,
		.maxattr = MWAN_UPLINK_A_NAME,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_POLICY_GET,
		.doit = mwan_nl_policy_get,
		.dumpit = mwan_nl_policy_dump,
		.policy = mwan_policy_key_policy,
		.maxattr = MWAN_POLICY_A_NAME,
	},
	{
		.cmd = MWAN_CMD_POLICY_NEW,
		.doit = mwan_nl_policy_new,
		.policy = mwan_policy_policy,
		.maxattr = MWAN_POLICY_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_POLICY_SET,
		.doit = mwan_nl_policy_set,
		.policy = mwan_policy_policy,
		.maxattr = MWAN_POLICY_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_POLICY_DEL,
		.doit = mwan_nl_policy_del,
		.policy = mwan_policy_key_policy,
		.maxattr = MWAN_POLICY_A_NAME,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_RULE_GET,
		.doit = mwan_nl_rule_get,
		.dumpit = mwan_nl_rule_dump,
		.policy = mwan_rule_key_policy,
		.maxattr = MWAN_RULE_A_PREF,
	},
	{
		.cmd = MWAN_CMD_RULE_NEW,
		.doit = mwan_nl_rule_new,
		.policy = mwan_rule_policy,
		.maxattr = MWAN_RULE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_RULE_DEL,
		.doit = mwan_nl_rule_del,
		.policy = mwan_rule_key_policy,
		.maxattr = MWAN_RULE_A_PREF,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_NPT_GET,
		.doit = mwan_nl_xlate_get,
		.dumpit = mwan_nl_xlate_dump,
		.policy = mwan_npt_policy,
		.maxattr = MWAN_NPT_A_INSIDE_LEN,
	},
	{
		.cmd = MWAN_CMD_NPT_NEW,
		.doit = mwan_nl_xlate_new,
		.policy = mwan_npt_policy,
		.maxattr = MWAN_NPT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_NPT_SET,
		.doit = mwan_nl_xlate_set,
		.policy = mwan_npt_policy,
		.maxattr = MWAN_NPT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_NPT_DEL,
		.doit = mwan_nl_xlate_del,
		.policy = mwan_npt_policy,
		.maxattr = MWAN_NPT_A_INSIDE_LEN,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_NAT_GET,
		.doit = mwan_nl_xlate_get,
		.dumpit = mwan_nl_xlate_dump,
		.policy = mwan_nat_policy,
		.maxattr = MWAN_NAT_A_INSIDE_LEN,
	},
	{
		.cmd = MWAN_CMD_NAT_NEW,
		.doit = mwan_nl_xlate_new,
		.policy = mwan_nat_policy,
		.maxattr = MWAN_NAT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_NAT_SET,
		.doit = mwan_nl_xlate_set,
		.policy = mwan_nat_policy,
		.maxattr = MWAN_NAT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_NAT_DEL,
		.doit = mwan_nl_xlate_del,
		.policy = mwan_nat_policy,
		.maxattr = MWAN_NAT_A_INSIDE_LEN,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_WG_GET,
		.doit = mwan_nl_wg_get,
		.dumpit = mwan_nl_wg_dump,
		.policy = mwan_wg_policy,
		.maxattr = MWAN_WG_A_PEER,
	},
	{
		.cmd = MWAN_CMD_WG_NEW,
		.doit = mwan_nl_wg_new,
		.policy = mwan_wg_policy,
		.maxattr = MWAN_WG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_WG_SET,
		.doit = mwan_nl_wg_set,
		.policy = mwan_wg_policy,
		.maxattr = MWAN_WG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MWAN_CMD_WG_DEL,
		.doit = mwan_nl_wg_del,
		.policy = mwan_wg_policy,
		.maxattr = MWAN_WG_A_PEER,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group mwan_nl_mcgrps[] = {
	[MWAN_NL_GRP_EVENTS] = { .name = MWAN_MCGRP_EVENTS },
};

struct genl_family mwan_family __ro_after_init = {
	.name = MWAN_GENL_NAME,
	.version = MWAN_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	/* Requests serialize on the per-netns lock, not on genl_mutex. */
	.parallel_ops = true,
	/*
	 * Zero, as for every new family: all operations get strict policy
	 * validation and must have zero reserved header bytes.
	 */
	.resv_start_op = 0,
	.ops = mwan_nl_ops,
	.n_ops = ARRAY_SIZE(mwan_nl_ops),
	.mcgrps = mwan_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mwan_nl_mcgrps),
};

int __init mwan_netlink_init(void)
{
	return genl_register_family(&mwan_family);
}

void mwan_netlink_uninit(void)
{
	/* Device events announce under rtnl: once this is set, none will. */
	rtnl_lock();
	mwan_nl_closed = true;
	rtnl_unlock();
	genl_unregister_family(&mwan_family);
}
