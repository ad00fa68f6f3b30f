// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on policies: NEW, SET (an atomic replace of members and
 * last resort), DEL, GET and dumps, and their events. Members name uplinks,
 * resolved to the uplink objects when the request arrives.
 */
#include "netlink.h"
#include "mwan.h"
#include "policy.h"
#include "rule.h"
#include "uplink.h"

#include <linux/rtnetlink.h>
#include <net/sock.h>

static const struct nla_policy member_policy[MWAN_MEMBER_A_MAX + 1] = {
	[MWAN_MEMBER_A_UPLINK] = NAME_POLICY,
	[MWAN_MEMBER_A_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, MWAN_WEIGHT_MIN,
						  MWAN_WEIGHT_MAX),
	[MWAN_MEMBER_A_METRIC] = NLA_POLICY_RANGE(NLA_U32, MWAN_METRIC_MIN,
						  MWAN_METRIC_MAX),
	[MWAN_MEMBER_A_OWN_WEIGHT] = READ_ONLY("own_weight"),
	[MWAN_MEMBER_A_OWN_METRIC] = READ_ONLY("own_metric"),
	[MWAN_MEMBER_A_STATE] = READ_ONLY("member state"),
};

const struct nla_policy mwan_policy_key_policy[MWAN_POLICY_A_NAME + 1] = {
	[MWAN_POLICY_A_PAD] = READ_ONLY("padding"),
	[MWAN_POLICY_A_NAME] = NAME_POLICY,
};

const struct nla_policy mwan_policy_policy[MWAN_POLICY_A_MAX + 1] = {
	[MWAN_POLICY_A_PAD] = READ_ONLY("padding"),
	[MWAN_POLICY_A_NAME] = NAME_POLICY,
	[MWAN_POLICY_A_MEMBER] = NLA_POLICY_NESTED(member_policy),
	[MWAN_POLICY_A_LAST_RESORT] = NLA_POLICY_MAX(NLA_U8,
						     MWAN_LAST_RESORT_MAX),
};

static int put_member(struct sk_buff *skb, const struct mwan_member *m)
{
	struct nlattr *nest = nla_nest_start(skb, MWAN_POLICY_A_MEMBER);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, MWAN_MEMBER_A_UPLINK, m->up->name) ||
	    nla_put_u32(skb, MWAN_MEMBER_A_WEIGHT, mwan_member_weight(m)) ||
	    nla_put_u32(skb, MWAN_MEMBER_A_METRIC, mwan_member_metric(m)) ||
	    (m->own_weight && nla_put_flag(skb, MWAN_MEMBER_A_OWN_WEIGHT)) ||
	    (m->own_metric && nla_put_flag(skb, MWAN_MEMBER_A_OWN_METRIC)) ||
	    nla_put_u8(skb, MWAN_MEMBER_A_STATE, READ_ONCE(m->up->state))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_policy(struct sk_buff *skb, struct mwan_policy *pol,
		       u32 portid, u32 seq, int flags, u8 cmd,
		       struct netlink_callback *cb)
{
	const struct mwan_policy_ver *ver = mwan_policy_ver(pol);
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mwan_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, MWAN_POLICY_A_NAME, pol->name) ||
	    nla_put_u8(skb, MWAN_POLICY_A_LAST_RESORT, ver->last_resort))
		goto cancel;
	for (i = 0; i < ver->n; i++)
		if (put_member(skb, &ver->members[i]))
			goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static size_t policy_msg_size(void)
{
	return nla_total_size(MWAN_NAME_MAXLEN) + nla_total_size(sizeof(u8)) +
	       MWAN_MEMBERS_MAX * (nla_total_size(0) +
				   nla_total_size(MWAN_NAME_MAXLEN) +
				   2 * nla_total_size(sizeof(u32)) +
				   2 * nla_total_size(0) +
				   nla_total_size(sizeof(u8)));
}

void mwan_netlink_notify_policy(struct mwan_net *mn,
				const struct mwan_policy *pol, u8 cmd)
{
	struct sk_buff *skb = mwan_nl_event_new(mn, policy_msg_size());

	if (skb)
		mwan_nl_event_send(mn, skb,
				   fill_policy(skb, (struct mwan_policy *)pol,
					       0, 0, 0, cmd, NULL));
}

static int parse_member(struct mwan_net *mn, const struct nlattr *nest,
			struct mwan_policy_ver *ver, unsigned int n,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MWAN_MEMBER_A_MAX + 1];
	struct mwan_member *m = &ver->members[n];
	char name[MWAN_NAME_MAXLEN];
	unsigned int i;
	int ret;

	ret = nla_parse_nested(tb, MWAN_MEMBER_A_MAX, nest, member_policy,
			       extack);
	if (ret)
		return ret;
	if (!tb[MWAN_MEMBER_A_UPLINK]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "member needs an uplink");
		return -EINVAL;
	}
	ret = mwan_nl_name(tb[MWAN_MEMBER_A_UPLINK], name, false, extack);
	if (ret)
		return ret;
	m->up = mwan_uplink_find(mn, name);
	if (!m->up) {
		mwan_err_fmt(mn, extack, tb[MWAN_MEMBER_A_UPLINK],
			     "no such uplink %s in member", name);
		return -ENOENT;
	}
	for (i = 0; i < n; i++) {
		if (ver->members[i].up == m->up) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_MEMBER_A_UPLINK],
					    "duplicate member");
			return -EINVAL;
		}
	}
	if (tb[MWAN_MEMBER_A_WEIGHT]) {
		m->weight = nla_get_u32(tb[MWAN_MEMBER_A_WEIGHT]);
		m->own_weight = true;
	}
	if (tb[MWAN_MEMBER_A_METRIC]) {
		m->metric = nla_get_u32(tb[MWAN_MEMBER_A_METRIC]);
		m->own_metric = true;
	}
	return 0;
}

/* A new version from the request, or an ERR_PTR; mn->lock held. */
static struct mwan_policy_ver *parse_policy(struct mwan_net *mn,
					    struct genl_info *info)
{
	struct mwan_policy_ver *ver;
	const struct nlattr *attr;
	unsigned int n = 0;
	int rem, ret;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != MWAN_POLICY_A_MEMBER)
			continue;
		if (++n > MWAN_MEMBERS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many members (at most " __stringify(MWAN_MEMBERS_MAX) ")");
			return ERR_PTR(-EINVAL);
		}
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "policy needs a member");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, MWAN_POLICY_A_MEMBER);
		return ERR_PTR(-EINVAL);
	}
	ver = mwan_policy_ver_alloc(n);
	if (!ver)
		return ERR_PTR(-ENOMEM);
	if (info->attrs[MWAN_POLICY_A_LAST_RESORT])
		ver->last_resort = nla_get_u8(info->attrs[MWAN_POLICY_A_LAST_RESORT]);
	n = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != MWAN_POLICY_A_MEMBER)
			continue;
		ret = parse_member(mn, attr, ver, n++, info->extack);
		if (ret) {
			kfree(ver);
			return ERR_PTR(ret);
		}
	}
	return ver;
}

static struct mwan_policy *find_policy(struct mwan_net *mn,
				       struct genl_info *info)
{
	struct nlattr *attr = info->attrs[MWAN_POLICY_A_NAME];
	char name[MWAN_NAME_MAXLEN];
	struct mwan_policy *pol;

	if (mwan_nl_name(attr, name, true, info->extack))
		return ERR_PTR(-EINVAL);
	pol = mwan_policy_find(mn, name);
	if (!pol) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such policy");
		return ERR_PTR(-ENOENT);
	}
	return pol;
}

int mwan_nl_policy_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_policy *pol;
	struct sk_buff *msg;
	int ret;

	if (ATTR_MISSING(info, MWAN_POLICY_A_NAME, "policy name required"))
		return -EINVAL;
	msg = genlmsg_new(policy_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&mn->lock);
	pol = find_policy(mn, info);
	ret = IS_ERR(pol) ? PTR_ERR(pol) :
			    fill_policy(msg, pol, info->snd_portid,
					info->snd_seq, 0, MWAN_CMD_POLICY_GET,
					NULL);
	mutex_unlock(&mn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

int mwan_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mwan_net *mn = mwan_net(sock_net(skb->sk));
	struct mwan_policy *pol;
	long idx = 0;

	mutex_lock(&mn->lock);
	cb->seq = mn->generation;
	list_for_each_entry(pol, &mn->policies, list) {
		if (idx++ < cb->args[0])
			continue;
		if (fill_policy(skb, pol, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				MWAN_CMD_POLICY_GET, cb))
			break;
		cb->args[0] = idx;
	}
	mutex_unlock(&mn->lock);
	return skb->len;
}

int mwan_nl_policy_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[MWAN_POLICY_A_NAME];
	char name[MWAN_NAME_MAXLEN];
	struct mwan_policy_ver *ver;
	struct mwan_policy *pol;
	int ret = 0;

	if (ATTR_MISSING(info, MWAN_POLICY_A_NAME, "policy name required"))
		return -EINVAL;
	ret = mwan_nl_name(attr, name, true, info->extack);
	if (ret)
		return ret;
	rtnl_lock();
	mutex_lock(&mn->lock);
	if (mwan_policy_find(mn, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "policy name already exists");
		ret = -EEXIST;
		goto out;
	}
	ver = parse_policy(mn, info);
	if (IS_ERR(ver)) {
		ret = PTR_ERR(ver);
		goto out;
	}
	pol = mwan_policy_add(mn, name, ver);
	if (!pol) {
		ret = -ENOMEM;
		goto out;
	}
	mwan_netlink_notify_policy(mn, pol, MWAN_CMD_POLICY_NEW);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}

int mwan_nl_policy_set(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_policy_ver *ver;
	struct mwan_policy *pol;
	int ret = 0;

	if (ATTR_MISSING(info, MWAN_POLICY_A_NAME, "policy name required"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	pol = find_policy(mn, info);
	if (IS_ERR(pol)) {
		ret = PTR_ERR(pol);
		goto out;
	}
	ver = parse_policy(mn, info);
	if (IS_ERR(ver)) {
		ret = PTR_ERR(ver);
		goto out;
	}
	mwan_policy_replace(pol, ver);
	mwan_net_changed(mn);
	mwan_netlink_notify_policy(mn, pol, MWAN_CMD_POLICY_SET);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}

int mwan_nl_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_policy *pol;
	struct mwan_rule *rule;
	int ret = 0;

	if (ATTR_MISSING(info, MWAN_POLICY_A_NAME, "policy name required"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	pol = find_policy(mn, info);
	if (IS_ERR(pol)) {
		ret = PTR_ERR(pol);
		goto out;
	}
	rule = mwan_rule_using(mn, pol);
	if (rule) {
		mwan_err_fmt(mn, info->extack, info->attrs[MWAN_POLICY_A_NAME],
			     "policy in use by rule %u", rule->spec.pref);
		ret = -EBUSY;
		goto out;
	}
	mwan_netlink_notify_policy(mn, pol, MWAN_CMD_POLICY_DEL);
	mwan_policy_del(mn, pol);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}
