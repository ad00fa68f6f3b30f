// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on WireGuard endpoint sets (MWAN_CMD_WG_*): NEW, SET,
 * DEL, GET and dumps, and their events. A request is parsed and checked
 * whole into a struct mwan_wg_req before anything changes.
 */
#include "netlink.h"
#include "mwan.h"
#include "uplink.h"
#include "wg.h"

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

static int ep_addr_validate(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == sizeof(struct in_addr) ||
	    nla_len(attr) == sizeof(struct in6_addr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "endpoint address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

static const struct nla_policy wg_ep_policy[MWAN_WG_EP_A_MAX + 1] = {
	[MWAN_WG_EP_A_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						     ep_addr_validate,
						     sizeof(struct in6_addr)),
	[MWAN_WG_EP_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[MWAN_WG_EP_A_UPLINK] = NAME_POLICY,
	[MWAN_WG_EP_A_USABLE] = READ_ONLY("usable"),
};

/* NEW and SET; GET and DEL use it up to MWAN_WG_A_PEER (the key). */
const struct nla_policy mwan_wg_policy[MWAN_WG_A_MAX + 1] = {
	[MWAN_WG_A_PAD] = READ_ONLY("padding"),
	[MWAN_WG_A_IFNAME] = IFNAME_POLICY,
	[MWAN_WG_A_IFINDEX] = READ_ONLY("ifindex"),
	[MWAN_WG_A_PEER] = NLA_POLICY_EXACT_LEN(MWAN_WG_KEY_LEN),
	[MWAN_WG_A_ENDPOINT] = NLA_POLICY_NESTED(wg_ep_policy),
	[MWAN_WG_A_ACTIVE] = READ_ONLY("active"),
	[MWAN_WG_A_STATS] = READ_ONLY("stats"),
};

static int put_ep(struct sk_buff *skb, const struct mwan_wg_ep *ep,
		  bool usable)
{
	struct nlattr *nest = nla_nest_start(skb, MWAN_WG_A_ENDPOINT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, MWAN_WG_EP_A_ADDR, ep->key.family == AF_INET ? 4 : 16,
		    ep->key.addr) ||
	    nla_put_u16(skb, MWAN_WG_EP_A_PORT, ntohs(ep->key.port)) ||
	    (ep->up && nla_put_string(skb, MWAN_WG_EP_A_UPLINK, ep->up->name)) ||
	    (usable && nla_put_flag(skb, MWAN_WG_EP_A_USABLE))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stats(struct sk_buff *skb, const struct mwan_wg_set *set)
{
	struct nlattr *nest = nla_nest_start(skb, MWAN_WG_A_STATS);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, MWAN_STATS_A_PACKETS, mwan_wg_packets(set),
			      MWAN_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* mn->lock held, which keeps the endpoint list. */
static int put_set(struct sk_buff *skb, const struct mwan_wg_set *set)
{
	const struct mwan_wg_ver *ver = rcu_dereference_raw(set->ver);
	unsigned int i;

	if (nla_put_string(skb, MWAN_WG_A_IFNAME, set->ifname) ||
	    nla_put_u32(skb, MWAN_WG_A_IFINDEX, set->ifindex) ||
	    nla_put(skb, MWAN_WG_A_PEER, MWAN_WG_KEY_LEN, set->peer))
		return -EMSGSIZE;
	for (i = 0; i < ver->n; i++)
		if (put_ep(skb, &ver->ep[i], set->usable & BIT(i)))
			return -EMSGSIZE;
	if ((set->active >= 0 &&
	     nla_put_u32(skb, MWAN_WG_A_ACTIVE, set->active)) ||
	    put_stats(skb, set))
		return -EMSGSIZE;
	return 0;
}

static size_t set_msg_size(void)
{
	return nla_total_size(IFNAMSIZ) +			/* IFNAME */
	       2 * nla_total_size(sizeof(u32)) +		/* IFINDEX, ACTIVE */
	       nla_total_size(MWAN_WG_KEY_LEN) +		/* PEER */
	       MWAN_WG_ENDPOINTS_MAX * (nla_total_size(0) +	/* ENDPOINT */
		nla_total_size(sizeof(struct in6_addr)) +	/* ADDR */
		nla_total_size(sizeof(u16)) +			/* PORT */
		nla_total_size(MWAN_NAME_MAXLEN) +		/* UPLINK */
		nla_total_size(0)) +				/* USABLE */
	       nla_total_size(0) + nla_total_size_64bit(sizeof(u64));
}

static int fill_set(struct sk_buff *skb, const struct mwan_wg_set *set,
		    u32 portid, u32 seq, int flags, u8 cmd,
		    struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mwan_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put_set(skb, set)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

void mwan_netlink_notify_wg(struct mwan_net *mn, const struct mwan_wg_set *set,
			    u8 cmd)
{
	struct sk_buff *skb = mwan_nl_event_new(mn, set_msg_size());

	if (skb)
		mwan_nl_event_send(mn, skb,
				   fill_set(skb, set, 0, 0, 0, cmd, NULL));
}

/* Unspecified, multicast and (IPv4) broadcast addresses are refused. */
static bool ep_addr_ok(const struct nlattr *attr)
{
	if (nla_len(attr) == sizeof(struct in_addr)) {
		__be32 a = nla_get_in_addr(attr);

		return !ipv4_is_zeronet(a) && !ipv4_is_multicast(a) &&
		       !ipv4_is_lbcast(a);
	}
	return !ipv6_addr_any(nla_data(attr)) &&
	       !ipv6_addr_is_multicast(nla_data(attr));
}

static int parse_uplink(struct mwan_net *mn, const struct nlattr *attr,
			struct mwan_uplink **up, struct netlink_ext_ack *extack)
{
	char name[MWAN_NAME_MAXLEN];
	int ret;

	*up = NULL;
	if (!attr)
		return 0;
	ret = mwan_nl_name(attr, name, false, extack);
	if (ret)
		return ret;
	*up = mwan_uplink_find(mn, name);
	if (*up)
		return 0;
	mwan_err_fmt(mn, extack, attr, "no such uplink %s", name);
	return -ENOENT;
}

static int parse_ep(struct mwan_net *mn, const struct nlattr *nest,
		    struct mwan_wg_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MWAN_WG_EP_A_MAX + 1];
	struct mwan_wg_key *key = &req->key[req->n];
	const struct nlattr *addr;
	unsigned int i;
	int ret;

	ret = nla_parse_nested(tb, MWAN_WG_EP_A_MAX, nest, wg_ep_policy,
			       extack);
	if (ret)
		return ret;
	addr = tb[MWAN_WG_EP_A_ADDR];
	if (!addr || !tb[MWAN_WG_EP_A_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "endpoint needs an address and a port");
		return -EINVAL;
	}
	if (!ep_addr_ok(addr)) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "endpoint address must be unicast");
		return -EINVAL;
	}
	memset(key, 0, sizeof(*key));
	key->family = nla_len(addr) == 4 ? AF_INET : AF_INET6;
	memcpy(key->addr, nla_data(addr), nla_len(addr));
	key->port = htons(nla_get_u16(tb[MWAN_WG_EP_A_PORT]));
	for (i = 0; i < req->n; i++) {
		if (!memcmp(&req->key[i], key, sizeof(*key))) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "duplicate endpoint");
			return -EINVAL;
		}
	}
	ret = parse_uplink(mn, tb[MWAN_WG_EP_A_UPLINK], &req->up[req->n],
			   extack);
	if (ret)
		return ret;
	req->n++;
	return 0;
}

/* The endpoints, in the order of the message. mn->lock held. */
static int parse_eps(struct mwan_net *mn, struct genl_info *info,
		     struct mwan_wg_req *req)
{
	const struct nlattr *attr;
	int rem, ret;

	memset(req, 0, sizeof(*req));
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != MWAN_WG_A_ENDPOINT)
			continue;
		if (req->n == MWAN_WG_ENDPOINTS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many endpoints (at most " __stringify(MWAN_WG_ENDPOINTS_MAX) ")");
			return -EINVAL;
		}
		ret = parse_ep(mn, attr, req, info->extack);
		if (ret)
			return ret;
	}
	return 0;
}

/* The request's WireGuard device, which must exist now. rtnl held. */
static int parse_dev(struct mwan_net *mn, struct genl_info *info,
		     char *ifname, int *ifindex)
{
	const struct nlattr *attr = info->attrs[MWAN_WG_A_IFNAME];
	struct net_device *dev;
	int ret;

	ret = mwan_nl_ifname(attr, ifname, info->extack);
	if (ret)
		return ret;
	dev = __dev_get_by_name(mn->net, ifname);
	if (!dev) {
		mwan_err_fmt(mn, info->extack, attr, "no such device %s",
			     ifname);
		return -ENODEV;
	}
	if (!mwan_wg_dev_is_wg(dev)) {
		mwan_err_fmt(mn, info->extack, attr,
			     "device %s is not a WireGuard device", ifname);
		return -ENODEV;
	}
	*ifindex = dev->ifindex;
	return 0;
}

/* The set named by the request, or an ERR_PTR; mn->lock held. */
static struct mwan_wg_set *find_set(struct mwan_net *mn, struct genl_info *info)
{
	const struct nlattr *attr = info->attrs[MWAN_WG_A_IFNAME];
	char ifname[IFNAMSIZ];
	struct mwan_wg_set *set;

	if (mwan_nl_ifname(attr, ifname, info->extack))
		return ERR_PTR(-EINVAL);
	set = mwan_wg_find(mn, ifname, nla_data(info->attrs[MWAN_WG_A_PEER]));
	if (!set) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MWAN_WG_A_PEER],
				    "no endpoint set for this device and peer");
		return ERR_PTR(-ENOENT);
	}
	return set;
}

static bool key_missing(struct genl_info *info)
{
	return ATTR_MISSING(info, MWAN_WG_A_IFNAME, "device required") ||
	       ATTR_MISSING(info, MWAN_WG_A_PEER, "peer public key required");
}

int mwan_nl_wg_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_wg_set *set;
	struct sk_buff *msg;
	int ret;

	if (key_missing(info))
		return -EINVAL;
	msg = genlmsg_new(set_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&mn->lock);
	set = find_set(mn, info);
	ret = IS_ERR(set) ? PTR_ERR(set) :
			    fill_set(msg, set, info->snd_portid, info->snd_seq,
				     0, MWAN_CMD_WG_GET, NULL);
	mutex_unlock(&mn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* Resumes at index cb->args[0] of the ordered list; cb->seq flags changes. */
int mwan_nl_wg_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mwan_net *mn = mwan_net(sock_net(skb->sk));
	struct mwan_wg_set *set;

	mutex_lock(&mn->lock);
	cb->seq = mn->generation;
	for (set = mwan_wg_nth(mn, cb->args[0]); set;
	     set = list_is_last(&set->list, &mn->wg_sets) ? NULL :
		   list_next_entry(set, list)) {
		if (fill_set(skb, set, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI, MWAN_CMD_WG_GET,
			     cb))
			break;
		cb->args[0]++;
	}
	mutex_unlock(&mn->lock);
	return skb->len;
}

static bool write_missing(struct genl_info *info)
{
	return key_missing(info) ||
	       ATTR_MISSING(info, MWAN_WG_A_ENDPOINT,
			    "at least one endpoint required");
}

int mwan_nl_wg_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_wg_flush fl = {};
	char ifname[IFNAMSIZ];
	struct mwan_wg_set *set;
	struct mwan_wg_req req;
	const u8 *peer;
	int ifindex;
	int ret;

	if (write_missing(info))
		return -EINVAL;
	peer = nla_data(info->attrs[MWAN_WG_A_PEER]);
	rtnl_lock();
	mutex_lock(&mn->lock);
	ret = parse_dev(mn, info, ifname, &ifindex);
	if (ret)
		goto out;
	if (mwan_wg_find(mn, ifname, peer)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MWAN_WG_A_PEER],
				    "endpoint set for this device and peer already exists");
		ret = -EEXIST;
		goto out;
	}
	if (mn->n_wg >= MWAN_WG_SETS_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "too many endpoint sets (at most " __stringify(MWAN_WG_SETS_MAX) ")");
		ret = -ENOSPC;
		goto out;
	}
	ret = parse_eps(mn, info, &req);
	if (ret)
		goto out;
	set = mwan_wg_add(mn, ifname, ifindex, peer, &req);
	if (IS_ERR(set)) {
		ret = PTR_ERR(set);
		goto out;
	}
	mwan_wg_flush_add(&fl, set);
	mwan_netlink_notify_wg(mn, set, MWAN_CMD_WG_NEW);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	mwan_wg_ct_flush(mn, &fl);
	return ret;
}

int mwan_nl_wg_set(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_wg_flush fl = {};
	char ifname[IFNAMSIZ];
	struct mwan_wg_set *set;
	struct mwan_wg_req req;
	int ifindex;
	int ret;

	if (write_missing(info))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	ret = parse_dev(mn, info, ifname, &ifindex);
	if (ret)
		goto out;
	set = find_set(mn, info);
	if (IS_ERR(set)) {
		ret = PTR_ERR(set);
		goto out;
	}
	ret = parse_eps(mn, info, &req);
	if (ret)
		goto out;
	mwan_wg_flush_add(&fl, set);
	ret = mwan_wg_replace(mn, set, &req);
	if (ret) {
		fl.n = 0;
		goto out;
	}
	mwan_wg_flush_add(&fl, set);
	mwan_netlink_notify_wg(mn, set, MWAN_CMD_WG_SET);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	mwan_wg_ct_flush(mn, &fl);
	return ret;
}

int mwan_nl_wg_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_wg_flush fl = {};
	struct mwan_wg_set *set;
	int ret = 0;

	if (key_missing(info))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	set = find_set(mn, info);
	if (IS_ERR(set)) {
		ret = PTR_ERR(set);
		goto out;
	}
	mwan_wg_flush_add(&fl, set);
	/* Listeners get the set as it was last. */
	mwan_netlink_notify_wg(mn, set, MWAN_CMD_WG_DEL);
	mwan_wg_del(mn, set);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	mwan_wg_ct_flush(mn, &fl);
	return ret;
}
