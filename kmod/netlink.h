/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the per-object netlink files share: the family, events, name checks
 * and the handlers that netlink.c lists in the family's operations.
 */
#ifndef _MWAN_NETLINK_H
#define _MWAN_NETLINK_H

#include <linux/mwan.h>
#include <net/genetlink.h>
#include <net/netlink.h>

struct mwan_net;

enum {
	MWAN_NL_GRP_EVENTS,
};

extern struct genl_family mwan_family;

#define READ_ONLY(what) \
	{ .type = NLA_REJECT, .reject_message = what " is read-only" }
#define NAME_POLICY	{ .type = NLA_NUL_STRING, .len = MWAN_NAME_MAXLEN - 1 }
#define IFNAME_POLICY	{ .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

/* True, with msg in the extack, if the request lacks attribute type. */
#define ATTR_MISSING(info, type, msg) ({				\
	bool __missing = !(info)->attrs[type];				\
									\
	if (__missing) {						\
		NL_SET_ERR_MSG((info)->extack, msg);			\
		NL_SET_ERR_ATTR_MISS((info)->extack, NULL, type);	\
	}								\
	__missing;							\
})

/* Copies a checked uplink (or policy) name into name[MWAN_NAME_MAXLEN]. */
int mwan_nl_name(const struct nlattr *attr, char *name, bool policy,
		 struct netlink_ext_ack *extack);
/* Copies a checked device name into name[IFNAMSIZ]. */
int mwan_nl_ifname(const struct nlattr *attr, char *name,
		   struct netlink_ext_ack *extack);

/*
 * An event message of size bytes, or NULL when nobody listens or memory is
 * short (listeners then get ENOBUFS). rtnl and mn->lock held.
 */
struct sk_buff *mwan_nl_event_new(struct mwan_net *mn, size_t size);
/* Sends it, or on err (of filling it) frees it and reports ENOBUFS. */
void mwan_nl_event_send(struct mwan_net *mn, struct sk_buff *skb, int err);

extern const struct nla_policy mwan_uplink_policy[];
extern const struct nla_policy mwan_uplink_key_policy[];
extern const struct nla_policy mwan_policy_policy[];
extern const struct nla_policy mwan_policy_key_policy[];
extern const struct nla_policy mwan_rule_policy[];
extern const struct nla_policy mwan_rule_key_policy[];
extern const struct nla_policy mwan_npt_policy[];
extern const struct nla_policy mwan_nat_policy[];
extern const struct nla_policy mwan_wg_policy[];

int mwan_nl_uplink_get(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_uplink_dump(struct sk_buff *skb, struct netlink_callback *cb);
int mwan_nl_uplink_new(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_uplink_set(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_uplink_del(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_policy_get(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb);
int mwan_nl_policy_new(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_policy_set(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_policy_del(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_rule_get(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb);
int mwan_nl_rule_new(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_rule_del(struct sk_buff *skb, struct genl_info *info);
/* NPT and NAT both: the command says which. */
int mwan_nl_xlate_get(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_xlate_dump(struct sk_buff *skb, struct netlink_callback *cb);
int mwan_nl_xlate_new(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_xlate_set(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_xlate_del(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_wg_get(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_wg_dump(struct sk_buff *skb, struct netlink_callback *cb);
int mwan_nl_wg_new(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_wg_set(struct sk_buff *skb, struct genl_info *info);
int mwan_nl_wg_del(struct sk_buff *skb, struct genl_info *info);

#endif /* _MWAN_NETLINK_H */
