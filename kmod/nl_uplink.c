// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on uplinks: NEW, SET, DEL, GET and dumps, and their
 * events. A request is parsed and checked whole into a struct
 * mwan_uplink_cfg before anything changes.
 */
#include "netlink.h"
#include "flow.h"
#include "mwan.h"
#include "policy.h"
#include "uplink.h"
#include "wg.h"
#include "xlate.h"

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

static int check_table(const struct nlattr *attr,
		       struct netlink_ext_ack *extack)
{
	u32 table;

	if (!attr)
		return 0;
	table = nla_get_u32(attr);
	if (table != RT_TABLE_UNSPEC && table != RT_TABLE_DEFAULT &&
	    table != RT_TABLE_MAIN && table != RT_TABLE_LOCAL)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "table 0, 253 (default), 254 (main) and 255 (local) are reserved");
	return -EINVAL;
}

static int track_addr_validate(const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == sizeof(struct in_addr) ||
	    nla_len(attr) == sizeof(struct in6_addr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "track address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

/*
 * Beyond the s16 bounds that NLA_POLICY_RANGE() can hold. Not const: 6.1's
 * struct nla_policy points to it without const.
 */
static struct netlink_range_validation probe_ms_range = {
	.min = 10,
	.max = 60000,
};

static struct netlink_range_validation rtt_max_range = {
	.max = 60000,
};

static struct netlink_range_validation handshake_range = {
	.max = MWAN_HANDSHAKE_MAX,
};

static const struct nla_policy mwan_track_policy[MWAN_TRACK_A_MAX + 1] = {
	[MWAN_TRACK_A_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						     track_addr_validate,
						     sizeof(struct in6_addr)),
};

/* GET (doit and dump) and DEL: the key only. */
const struct nla_policy mwan_uplink_key_policy[MWAN_UPLINK_A_NAME + 1] = {
	[MWAN_UPLINK_A_PAD] = READ_ONLY("padding"),
	[MWAN_UPLINK_A_NAME] = NAME_POLICY,
};

/* NEW and SET: everything writable; the rest is refused by name. */
const struct nla_policy mwan_uplink_policy[MWAN_UPLINK_A_MAX + 1] = {
	[MWAN_UPLINK_A_PAD] = READ_ONLY("padding"),
	[MWAN_UPLINK_A_NAME] = NAME_POLICY,
	[MWAN_UPLINK_A_IFNAME] = IFNAME_POLICY,
	[MWAN_UPLINK_A_IFINDEX] = READ_ONLY("ifindex"),
	[MWAN_UPLINK_A_GATEWAY4] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[MWAN_UPLINK_A_GATEWAY6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MWAN_UPLINK_A_TABLE] = { .type = NLA_U32 },
	[MWAN_UPLINK_A_MARK] = READ_ONLY("mark"),
	[MWAN_UPLINK_A_MARK_MASK] = READ_ONLY("mark_mask"),
	[MWAN_UPLINK_A_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, MWAN_WEIGHT_MIN,
						  MWAN_WEIGHT_MAX),
	[MWAN_UPLINK_A_METRIC] = NLA_POLICY_RANGE(NLA_U32, MWAN_METRIC_MIN,
						  MWAN_METRIC_MAX),
	[MWAN_UPLINK_A_ADMIN] = NLA_POLICY_MAX(NLA_U8, MWAN_ADMIN_MAX),
	[MWAN_UPLINK_A_STATE] = READ_ONLY("state"),
	[MWAN_UPLINK_A_REASON] = READ_ONLY("reason"),
	[MWAN_UPLINK_A_SINCE_MS] = READ_ONLY("since_ms"),
	[MWAN_UPLINK_A_TRACK] = NLA_POLICY_NESTED(mwan_track_policy),
	[MWAN_UPLINK_A_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &probe_ms_range),
	[MWAN_UPLINK_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &probe_ms_range),
	[MWAN_UPLINK_A_DOWN] = NLA_POLICY_RANGE(NLA_U32, 1, 100),
	[MWAN_UPLINK_A_UP] = NLA_POLICY_RANGE(NLA_U32, 1, 100),
	[MWAN_UPLINK_A_RELIABILITY] = NLA_POLICY_RANGE(NLA_U32, 1,
						       MWAN_TRACK_MAX),
	[MWAN_UPLINK_A_HEALTH] = NLA_POLICY_MAX(NLA_U8, MWAN_HEALTH_MAX),
	[MWAN_UPLINK_A_RTT_US] = { .type = NLA_U32 },
	[MWAN_UPLINK_A_LOSS_PCT] = NLA_POLICY_MAX(NLA_U8, 100),
	[MWAN_UPLINK_A_STATS] = READ_ONLY("stats"),
	[MWAN_UPLINK_A_RTT_MAX_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &rtt_max_range),
	[MWAN_UPLINK_A_LOSS_MAX_PCT] = NLA_POLICY_MAX(NLA_U8, 100),
	[MWAN_UPLINK_A_HANDSHAKE_S] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &handshake_range),
};

static int put_track(struct sk_buff *skb, const struct mwan_probe *probe)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, MWAN_UPLINK_A_TRACK);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < probe->n_track; i++)
		if (nla_put(skb, MWAN_TRACK_A_ADDR, probe->track[i].len,
			    probe->track[i].addr))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int put_stats(struct sk_buff *skb, const struct mwan_uplink *up)
{
	struct mwan_uplink_counters c;
	struct nlattr *nest;

	mwan_uplink_counters(up, &c);
	nest = nla_nest_start(skb, MWAN_UPLINK_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, MWAN_STATS_A_PACKETS, c.packets,
			      MWAN_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, MWAN_STATS_A_BYTES, c.bytes,
			      MWAN_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, MWAN_STATS_A_FLOWS, c.flows,
			      MWAN_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_probe_health(struct sk_buff *skb, const struct mwan_uplink_cfg *c)
{
	const struct mwan_probe *p = &c->probe;

	if (put_track(skb, p) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_INTERVAL_MS, p->interval_ms) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_TIMEOUT_MS, p->timeout_ms) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_DOWN, p->down) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_UP, p->up) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_RELIABILITY, p->reliability) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_RTT_MAX_MS, p->rtt_max_ms) ||
	    nla_put_u8(skb, MWAN_UPLINK_A_LOSS_MAX_PCT, p->loss_max_pct) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_HANDSHAKE_S, p->handshake_s) ||
	    nla_put_u8(skb, MWAN_UPLINK_A_HEALTH, c->health.verdict))
		return -EMSGSIZE;
	if (c->health.verdict == MWAN_HEALTH_UNKNOWN)
		return 0;
	if (nla_put_u32(skb, MWAN_UPLINK_A_RTT_US, c->health.rtt_us) ||
	    nla_put_u8(skb, MWAN_UPLINK_A_LOSS_PCT, c->health.loss_pct))
		return -EMSGSIZE;
	return 0;
}

static int put_uplink(struct sk_buff *skb, const struct mwan_uplink *up)
{
	const struct mwan_uplink_cfg *c = &up->cfg;

	if (nla_put_string(skb, MWAN_UPLINK_A_NAME, up->name) ||
	    nla_put_string(skb, MWAN_UPLINK_A_IFNAME, c->ifname) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_IFINDEX, up->ifindex) ||
	    (c->gw.has4 &&
	     nla_put_in_addr(skb, MWAN_UPLINK_A_GATEWAY4, c->gw.addr4)) ||
	    (c->gw.has6 &&
	     nla_put_in6_addr(skb, MWAN_UPLINK_A_GATEWAY6, &c->gw.addr6)) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_TABLE, c->table) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_MARK, up->mark) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_MARK_MASK, mwan_mark_mask) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_WEIGHT, c->weight) ||
	    nla_put_u32(skb, MWAN_UPLINK_A_METRIC, c->metric) ||
	    nla_put_u8(skb, MWAN_UPLINK_A_ADMIN, c->admin) ||
	    nla_put_u8(skb, MWAN_UPLINK_A_STATE, up->state) ||
	    nla_put_u8(skb, MWAN_UPLINK_A_REASON, up->reason) ||
	    nla_put_u64_64bit(skb, MWAN_UPLINK_A_SINCE_MS,
			      mwan_uplink_since_ms(up), MWAN_UPLINK_A_PAD) ||
	    put_probe_health(skb, c) ||
	    put_stats(skb, up))
		return -EMSGSIZE;
	return 0;
}

/* The most that put_uplink() adds, so that events take no more than that. */
static size_t uplink_msg_size(void)
{
	return nla_total_size(MWAN_NAME_MAXLEN) +		/* NAME */
	       nla_total_size(IFNAMSIZ) +			/* IFNAME */
	       nla_total_size(sizeof(struct in_addr)) +		/* GATEWAY4 */
	       nla_total_size(sizeof(struct in6_addr)) +	/* GATEWAY6 */
	       14 * nla_total_size(sizeof(u32)) +		/* IFINDEX, TABLE, MARK,
								 * MARK_MASK, WEIGHT, METRIC,
								 * probe settings, RTT_MAX_MS,
								 * HANDSHAKE_S, RTT_US */
	       6 * nla_total_size(sizeof(u8)) +			/* ADMIN, STATE, REASON,
								 * LOSS_MAX_PCT, HEALTH,
								 * LOSS_PCT */
	       nla_total_size_64bit(sizeof(u64)) +		/* SINCE_MS */
	       nla_total_size(0) +				/* TRACK */
	       MWAN_TRACK_MAX * nla_total_size(sizeof(struct in6_addr)) +
	       nla_total_size(0) +				/* STATS */
	       3 * nla_total_size_64bit(sizeof(u64));
}

/* One message for up; cb is given for dumps, to mark inconsistent ones. */
static int fill_uplink(struct sk_buff *skb, const struct mwan_uplink *up,
		       u32 portid, u32 seq, int flags, u8 cmd,
		       struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mwan_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put_uplink(skb, up)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

void mwan_netlink_notify(struct mwan_net *mn, const struct mwan_uplink *up,
			 u8 cmd)
{
	struct sk_buff *skb;

	skb = mwan_nl_event_new(mn, uplink_msg_size());
	if (skb)
		mwan_nl_event_send(mn, skb,
				   fill_uplink(skb, up, 0, 0, 0, cmd, NULL));
}

static int parse_dev(struct net *net, const struct nlattr *attr,
		     struct mwan_uplink_cfg *cfg, int *ifindex,
		     struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int ret;

	ASSERT_RTNL();
	ret = mwan_nl_ifname(attr, cfg->ifname, extack);
	if (ret)
		return ret;
	dev = __dev_get_by_name(net, cfg->ifname);
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return -ENODEV;
	}
	*ifindex = dev->ifindex;
	return 0;
}

/* All-zero addresses remove a gateway. */
static void parse_gateways(struct nlattr **tb, struct mwan_gateways *gw)
{
	if (tb[MWAN_UPLINK_A_GATEWAY4]) {
		gw->addr4 = nla_get_in_addr(tb[MWAN_UPLINK_A_GATEWAY4]);
		gw->has4 = gw->addr4 != htonl(INADDR_ANY);
	}
	if (tb[MWAN_UPLINK_A_GATEWAY6]) {
		gw->addr6 = nla_get_in6_addr(tb[MWAN_UPLINK_A_GATEWAY6]);
		gw->has6 = !ipv6_addr_any(&gw->addr6);
	}
}

/* The policy has checked each address; the list as a whole is checked here. */
static int parse_track(const struct nlattr *nest, struct mwan_probe *probe,
		       struct netlink_ext_ack *extack)
{
	struct mwan_track_addr *t;
	const struct nlattr *attr;
	unsigned int n = 0, i;
	int rem;

	memset(probe->track, 0, sizeof(probe->track));
	nla_for_each_nested(attr, nest, rem) {
		if (n == MWAN_TRACK_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "too many track addresses (at most " __stringify(MWAN_TRACK_MAX) ")");
			return -EINVAL;
		}
		t = &probe->track[n];
		t->len = nla_len(attr);
		memcpy(t->addr, nla_data(attr), t->len);
		for (i = 0; i < n; i++) {
			if (probe->track[i].len == t->len &&
			    !memcmp(probe->track[i].addr, t->addr, t->len)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "duplicate track address");
				return -EINVAL;
			}
		}
		n++;
	}
	probe->n_track = n;
	return 0;
}

static void parse_u32(struct nlattr **tb, int type, u32 *val)
{
	if (tb[type])
		*val = nla_get_u32(tb[type]);
}

static void parse_u8(struct nlattr **tb, int type, u8 *val)
{
	if (tb[type])
		*val = nla_get_u8(tb[type]);
}

static int check_reliability(struct nlattr **tb, const struct mwan_probe *p,
			     struct netlink_ext_ack *extack)
{
	if (p->reliability <= max(p->n_track, 1U))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_UPLINK_A_RELIABILITY] ?:
				    tb[MWAN_UPLINK_A_TRACK],
			    "reliability exceeds the number of track addresses");
	return -EINVAL;
}

/*
 * Handshake tracking needs a WireGuard device, checked when either of the two
 * is written; a device replaced later by another kind keeps the setting
 * (mwan-healthd then finds no handshake and reports the uplink down).
 */
static int check_handshake(struct net *net, struct nlattr **tb,
			   const struct mwan_uplink_cfg *cfg,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *attr = tb[MWAN_UPLINK_A_HANDSHAKE_S] ?:
			      tb[MWAN_UPLINK_A_IFNAME];
	struct net_device *dev;

	if (!cfg->probe.handshake_s || !attr)
		return 0;
	dev = __dev_get_by_name(net, cfg->ifname);
	if (dev && mwan_wg_dev_is_wg(dev))
		return 0;
	mwan_err_fmt(mwan_net(net), extack, attr,
		     "handshake tracking needs a WireGuard device: %s is not one",
		     cfg->ifname);
	return -EINVAL;
}

/*
 * Overlays the request on cfg (the uplink's current or default settings) and
 * checks the result; nothing is applied here, so a failure changes nothing.
 */
static int parse_uplink(struct genl_info *info, struct mwan_uplink_cfg *cfg,
			int *ifindex)
{
	struct nlattr **tb = info->attrs;
	int ret;

	ret = check_table(tb[MWAN_UPLINK_A_TABLE], info->extack);
	if (ret)
		return ret;
	if (tb[MWAN_UPLINK_A_IFNAME]) {
		ret = parse_dev(genl_info_net(info), tb[MWAN_UPLINK_A_IFNAME],
				cfg, ifindex, info->extack);
		if (ret)
			return ret;
	}
	if (tb[MWAN_UPLINK_A_TRACK]) {
		ret = parse_track(tb[MWAN_UPLINK_A_TRACK], &cfg->probe,
				  info->extack);
		if (ret)
			return ret;
	}
	parse_gateways(tb, &cfg->gw);
	parse_u32(tb, MWAN_UPLINK_A_TABLE, &cfg->table);
	parse_u32(tb, MWAN_UPLINK_A_WEIGHT, &cfg->weight);
	parse_u32(tb, MWAN_UPLINK_A_METRIC, &cfg->metric);
	parse_u8(tb, MWAN_UPLINK_A_ADMIN, &cfg->admin);
	parse_u32(tb, MWAN_UPLINK_A_INTERVAL_MS, &cfg->probe.interval_ms);
	parse_u32(tb, MWAN_UPLINK_A_TIMEOUT_MS, &cfg->probe.timeout_ms);
	parse_u32(tb, MWAN_UPLINK_A_DOWN, &cfg->probe.down);
	parse_u32(tb, MWAN_UPLINK_A_UP, &cfg->probe.up);
	parse_u32(tb, MWAN_UPLINK_A_RELIABILITY, &cfg->probe.reliability);
	parse_u32(tb, MWAN_UPLINK_A_RTT_MAX_MS, &cfg->probe.rtt_max_ms);
	parse_u8(tb, MWAN_UPLINK_A_LOSS_MAX_PCT, &cfg->probe.loss_max_pct);
	parse_u8(tb, MWAN_UPLINK_A_HEALTH, &cfg->health.verdict);
	parse_u32(tb, MWAN_UPLINK_A_RTT_US, &cfg->health.rtt_us);
	parse_u8(tb, MWAN_UPLINK_A_LOSS_PCT, &cfg->health.loss_pct);
	parse_u32(tb, MWAN_UPLINK_A_HANDSHAKE_S, &cfg->probe.handshake_s);
	ret = check_handshake(genl_info_net(info), tb, cfg, info->extack);
	if (ret)
		return ret;
	return check_reliability(tb, &cfg->probe, info->extack);
}

/* The uplink named by the request, or an ERR_PTR; mn->lock held. */
static struct mwan_uplink *find_uplink(struct mwan_net *mn,
				       struct genl_info *info)
{
	struct nlattr *attr = info->attrs[MWAN_UPLINK_A_NAME];
	char name[MWAN_NAME_MAXLEN];
	struct mwan_uplink *up;

	if (mwan_nl_name(attr, name, false, info->extack))
		return ERR_PTR(-EINVAL);
	up = mwan_uplink_find(mn, name);
	if (!up) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such uplink");
		return ERR_PTR(-ENOENT);
	}
	return up;
}

int mwan_nl_uplink_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_uplink *up;
	struct sk_buff *msg;
	int ret;

	if (ATTR_MISSING(info, MWAN_UPLINK_A_NAME, "uplink name required"))
		return -EINVAL;
	msg = genlmsg_new(uplink_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&mn->lock);
	up = find_uplink(mn, info);
	ret = IS_ERR(up) ? PTR_ERR(up) :
			   fill_uplink(msg, up, info->snd_portid, info->snd_seq,
				       0, MWAN_CMD_UPLINK_GET, NULL);
	mutex_unlock(&mn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* Resumes at index cb->args[0]; cb->seq flags dumps that saw a change. */
int mwan_nl_uplink_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mwan_net *mn = mwan_net(sock_net(skb->sk));
	struct mwan_uplink *up;
	long idx = 0;

	mutex_lock(&mn->lock);
	cb->seq = mn->generation;
	list_for_each_entry(up, &mn->uplinks, list) {
		if (idx++ < cb->args[0])
			continue;
		if (fill_uplink(skb, up, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				MWAN_CMD_UPLINK_GET, cb))
			break;
		cb->args[0] = idx;
	}
	mutex_unlock(&mn->lock);
	return skb->len;
}

int mwan_nl_uplink_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[MWAN_UPLINK_A_NAME];
	char name[MWAN_NAME_MAXLEN];
	struct mwan_uplink_cfg cfg;
	struct mwan_uplink *up;
	int ifindex = 0;
	int ret = 0;

	if (ATTR_MISSING(info, MWAN_UPLINK_A_NAME, "uplink name required") ||
	    ATTR_MISSING(info, MWAN_UPLINK_A_IFNAME, "device required"))
		return -EINVAL;
	ret = mwan_nl_name(attr, name, false, info->extack);
	if (ret)
		return ret;
	rtnl_lock();
	mutex_lock(&mn->lock);
	if (mwan_uplink_find(mn, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "uplink name already exists");
		ret = -EEXIST;
		goto out;
	}
	up = mwan_uplink_alloc(mn, name);
	if (IS_ERR(up)) {
		ret = PTR_ERR(up);
		if (ret == -ENOSPC)
			NL_SET_ERR_MSG(info->extack, "no free mark in mark_mask");
		goto out;
	}
	cfg = up->cfg;
	ret = parse_uplink(info, &cfg, &ifindex);
	if (ret) {
		mwan_uplink_free(mn, up);
		goto out;
	}
	mwan_uplink_add(mn, up, &cfg, ifindex);
	mwan_netlink_notify(mn, up, MWAN_CMD_UPLINK_NEW);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}

int mwan_nl_uplink_set(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_uplink_cfg cfg;
	struct mwan_uplink *up;
	int ifindex;
	int ret;

	if (ATTR_MISSING(info, MWAN_UPLINK_A_NAME, "uplink name required"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	up = find_uplink(mn, info);
	if (IS_ERR(up)) {
		ret = PTR_ERR(up);
		goto out;
	}
	cfg = up->cfg;
	ifindex = up->ifindex;
	ret = parse_uplink(info, &cfg, &ifindex);
	if (ret)
		goto out;
	mwan_uplink_change(mn, up, &cfg, ifindex);
	mwan_netlink_notify(mn, up, MWAN_CMD_UPLINK_SET);
	mwan_wg_refresh(mn);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	/* Flows pinned to an uplink this took down are gone on return. */
	mwan_flow_sync(mn);
	return ret;
}

/* Mappings name their uplink: as with policies, they go first. */
static int check_xlate(struct mwan_net *mn, struct genl_info *info,
		       const struct mwan_uplink *up)
{
	int kind;

	for (kind = 0; kind < MWAN_XLATE_KINDS; kind++) {
		if (!mwan_xlate_using(mn, kind, up))
			continue;
		mwan_err_fmt(mn, info->extack, info->attrs[MWAN_UPLINK_A_NAME],
			     "uplink in use by %s mappings",
			     mwan_xlate_kinds[kind]->name);
		return -EBUSY;
	}
	return 0;
}

int mwan_nl_uplink_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_policy *pol;
	struct mwan_uplink *up;
	int ret = 0;

	if (ATTR_MISSING(info, MWAN_UPLINK_A_NAME, "uplink name required"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	up = find_uplink(mn, info);
	if (IS_ERR(up)) {
		ret = PTR_ERR(up);
		goto out;
	}
	pol = mwan_policy_using(mn, up);
	if (pol) {
		mwan_err_fmt(mn, info->extack, info->attrs[MWAN_UPLINK_A_NAME],
			     "uplink in use by policy %s", pol->name);
		ret = -EBUSY;
		goto out;
	}
	ret = check_xlate(mn, info, up);
	if (ret)
		goto out;
	if (mwan_wg_using(mn, up)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MWAN_UPLINK_A_NAME],
				    "uplink in use by WireGuard endpoint sets");
		ret = -EBUSY;
		goto out;
	}
	/* Listeners get the uplink as it was last. */
	mwan_netlink_notify(mn, up, MWAN_CMD_UPLINK_DEL);
	mwan_uplink_del(mn, up);
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	mwan_flow_sync(mn);
	return ret;
}
