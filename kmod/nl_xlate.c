// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on translation mappings, NPTv6 (MWAN_CMD_NPT_*) and 1:1
 * IPv4 NAT (MWAN_CMD_NAT_*): NEW, SET, DEL, GET and dumps, and their events.
 * The two attribute sets differ only in address size and longest prefix,
 * so one set of handlers serves both, with the MWAN_NPT_A_* numbers.
 *
 * SET replaces the outside prefix of a mapping atomically (xlate.h), and
 * creates the mapping when there is none, as "ip route replace" does: a
 * DHCPv6-PD hook then says what it wants without knowing what was there.
 * Its event is MWAN_CMD_*_NEW when it created the mapping.
 */
#include "netlink.h"
#include "mwan.h"
#include "uplink.h"
#include "xlate.h"
#include "lib/npt.h"
#include "lib/ruleset.h"

#include <linux/rtnetlink.h>
#include <net/sock.h>

static_assert((int)MWAN_NAT_A_PAD == (int)MWAN_NPT_A_PAD);
static_assert((int)MWAN_NAT_A_UPLINK == (int)MWAN_NPT_A_UPLINK);
static_assert((int)MWAN_NAT_A_INSIDE == (int)MWAN_NPT_A_INSIDE);
static_assert((int)MWAN_NAT_A_INSIDE_LEN == (int)MWAN_NPT_A_INSIDE_LEN);
static_assert((int)MWAN_NAT_A_OUTSIDE == (int)MWAN_NPT_A_OUTSIDE);
static_assert((int)MWAN_NAT_A_OUTSIDE_LEN == (int)MWAN_NPT_A_OUTSIDE_LEN);
static_assert((int)MWAN_NAT_A_STATS == (int)MWAN_NPT_A_STATS);
static_assert((int)MWAN_NAT_A_MAX == (int)MWAN_NPT_A_MAX);

const struct nla_policy mwan_npt_policy[MWAN_NPT_A_MAX + 1] = {
	[MWAN_NPT_A_PAD] = READ_ONLY("padding"),
	[MWAN_NPT_A_UPLINK] = NAME_POLICY,
	[MWAN_NPT_A_INSIDE] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MWAN_NPT_A_INSIDE_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, MWAN_NPT_LEN_MAX),
	[MWAN_NPT_A_OUTSIDE] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MWAN_NPT_A_OUTSIDE_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, MWAN_NPT_LEN_MAX),
	[MWAN_NPT_A_STATS] = READ_ONLY("stats"),
};

const struct nla_policy mwan_nat_policy[MWAN_NAT_A_MAX + 1] = {
	[MWAN_NAT_A_PAD] = READ_ONLY("padding"),
	[MWAN_NAT_A_UPLINK] = NAME_POLICY,
	[MWAN_NAT_A_INSIDE] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[MWAN_NAT_A_INSIDE_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 32),
	[MWAN_NAT_A_OUTSIDE] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[MWAN_NAT_A_OUTSIDE_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 32),
	[MWAN_NAT_A_STATS] = READ_ONLY("stats"),
};

/* The kind a command is about, and its commands. */
static int cmd_kind(u8 cmd)
{
	return cmd >= MWAN_CMD_NAT_GET ? MWAN_XLATE_NAT : MWAN_XLATE_NPT;
}

static u8 kind_cmd(int kind, u8 npt_cmd)
{
	return kind == MWAN_XLATE_NAT ? npt_cmd - MWAN_CMD_NPT_GET +
					MWAN_CMD_NAT_GET : npt_cmd;
}

static_assert(MWAN_CMD_NAT_DEL - MWAN_CMD_NAT_GET ==
	      MWAN_CMD_NPT_DEL - MWAN_CMD_NPT_GET);

static int put_map(struct sk_buff *skb, int kind, const struct mwan_xlate *map)
{
	const struct mwan_xlate_ver *ver = mwan_xlate_ver(map);
	u8 alen = mwan_xlate_kinds[kind]->alen;
	struct nlattr *nest;

	if (nla_put_string(skb, MWAN_NPT_A_UPLINK, map->up->name) ||
	    nla_put(skb, MWAN_NPT_A_INSIDE, alen, map->node.key.addr) ||
	    nla_put_u8(skb, MWAN_NPT_A_INSIDE_LEN, map->node.key.len) ||
	    nla_put(skb, MWAN_NPT_A_OUTSIDE, alen, ver->node.key.addr) ||
	    nla_put_u8(skb, MWAN_NPT_A_OUTSIDE_LEN, ver->node.key.len))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, MWAN_NPT_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, MWAN_STATS_A_PACKETS,
			      mwan_xlate_packets(map), MWAN_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_map(struct sk_buff *skb, int kind, const struct mwan_xlate *map,
		    u32 portid, u32 seq, int flags, u8 cmd,
		    struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mwan_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put_map(skb, kind, map)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static size_t map_msg_size(void)
{
	return nla_total_size(MWAN_NAME_MAXLEN) +		/* UPLINK */
	       2 * nla_total_size(sizeof(struct in6_addr)) +	/* INSIDE, OUTSIDE */
	       2 * nla_total_size(sizeof(u8)) +			/* lengths */
	       nla_total_size(0) + nla_total_size_64bit(sizeof(u64));
}

static void notify(struct mwan_net *mn, int kind, const struct mwan_xlate *map,
		   u8 npt_cmd)
{
	struct sk_buff *skb = mwan_nl_event_new(mn, map_msg_size());

	if (skb)
		mwan_nl_event_send(mn, skb,
				   fill_map(skb, kind, map, 0, 0, 0,
					    kind_cmd(kind, npt_cmd), NULL));
}

/* A request, checked whole before anything changes. */
struct xlate_req {
	struct mwan_uplink *up;
	u8 inside[16];
	u8 outside[16];
	u8 len;
};

static bool prefix_missing(struct genl_info *info, bool inside)
{
	if (inside)
		return ATTR_MISSING(info, MWAN_NPT_A_INSIDE,
				    "inside prefix required") ||
		       ATTR_MISSING(info, MWAN_NPT_A_INSIDE_LEN,
				    "inside prefix length required");
	return ATTR_MISSING(info, MWAN_NPT_A_OUTSIDE, "outside prefix required") ||
	       ATTR_MISSING(info, MWAN_NPT_A_OUTSIDE_LEN,
			    "outside prefix length required");
}

static int parse_prefix(struct genl_info *info, int kind, bool inside,
			u8 *addr, u8 *len)
{
	u8 family = kind == MWAN_XLATE_NPT ? MWAN_FAMILY_INET6 :
					     MWAN_FAMILY_INET;
	struct nlattr *attr, *len_attr;

	if (prefix_missing(info, inside))
		return -EINVAL;
	attr = info->attrs[inside ? MWAN_NPT_A_INSIDE : MWAN_NPT_A_OUTSIDE];
	len_attr = info->attrs[inside ? MWAN_NPT_A_INSIDE_LEN :
					MWAN_NPT_A_OUTSIDE_LEN];
	memset(addr, 0, 16);
	memcpy(addr, nla_data(attr), nla_len(attr));
	*len = nla_get_u8(len_attr);
	if (mwan_prefix_valid(family, addr, *len))
		return 0;
	if (inside)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "inside prefix has host bits set");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "outside prefix has host bits set");
	return -EINVAL;
}

/* UPLINK, INSIDE and INSIDE_LEN, and with outside the rest; mn->lock held. */
static int parse_req(struct mwan_net *mn, struct genl_info *info, int kind,
		     struct xlate_req *req, bool outside)
{
	struct nlattr *attr = info->attrs[MWAN_NPT_A_UPLINK];
	char name[MWAN_NAME_MAXLEN];
	u8 olen;
	int ret;

	if (ATTR_MISSING(info, MWAN_NPT_A_UPLINK, "uplink name required"))
		return -EINVAL;
	ret = mwan_nl_name(attr, name, false, info->extack);
	if (ret)
		return ret;
	ret = parse_prefix(info, kind, true, req->inside, &req->len);
	if (ret)
		return ret;
	if (outside) {
		ret = parse_prefix(info, kind, false, req->outside, &olen);
		if (ret)
			return ret;
		if (olen != req->len) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[MWAN_NPT_A_OUTSIDE_LEN],
					    "outside prefix length differs from inside prefix length");
			return -EINVAL;
		}
	}
	req->up = mwan_uplink_find(mn, name);
	if (!req->up) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such uplink");
		return -ENOENT;
	}
	return 0;
}

/* Refuses a prefix that overlaps another mapping's on the same side. */
static int check_overlap(struct mwan_net *mn, struct genl_info *info, int kind,
			 const struct xlate_req *req, int side,
			 const struct mwan_xlate *self)
{
	const u8 *addr = side == MWAN_XLATE_INSIDE ? req->inside : req->outside;
	const struct mwan_xlate_node *node;
	const struct mwan_xlate *other;
	struct nlattr *attr;

	node = mwan_xlate_overlap(mn, kind, req->up, side, addr, req->len);
	if (!node)
		return 0;
	if (side == MWAN_XLATE_INSIDE) {
		other = container_of(node, struct mwan_xlate, node);
		attr = info->attrs[MWAN_NPT_A_INSIDE];
	} else {
		other = container_of(node, struct mwan_xlate_ver, node)->map;
		attr = info->attrs[MWAN_NPT_A_OUTSIDE];
	}
	if (other == self)
		return 0;
	if (kind == MWAN_XLATE_NPT)
		mwan_err_fmt(mn, info->extack, attr,
			     "%s prefix overlaps %pI6c/%u on uplink %s",
			     side == MWAN_XLATE_INSIDE ? "inside" : "outside",
			     node->key.addr, node->key.len, req->up->name);
	else
		mwan_err_fmt(mn, info->extack, attr,
			     "%s prefix overlaps %pI4/%u on uplink %s",
			     side == MWAN_XLATE_INSIDE ? "inside" : "outside",
			     node->key.addr, node->key.len, req->up->name);
	return -EEXIST;
}

static int create(struct mwan_net *mn, struct genl_info *info, int kind,
		  const struct xlate_req *req)
{
	struct mwan_xlate *map;
	int ret;

	ret = check_overlap(mn, info, kind, req, MWAN_XLATE_INSIDE, NULL);
	if (!ret)
		ret = check_overlap(mn, info, kind, req, MWAN_XLATE_OUTSIDE,
				    NULL);
	if (ret)
		return ret;
	map = mwan_xlate_add(mn, kind, req->up, req->inside, req->outside,
			     req->len);
	if (IS_ERR(map)) {
		if (PTR_ERR(map) == -ENOSPC)
			NL_SET_ERR_MSG(info->extack,
				       "too many mappings (at most " __stringify(MWAN_XLATE_MAX) ")");
		return PTR_ERR(map);
	}
	notify(mn, kind, map, MWAN_CMD_NPT_NEW);
	return 0;
}

static int replace(struct mwan_net *mn, struct genl_info *info, int kind,
		   struct mwan_xlate *map, const struct xlate_req *req)
{
	int ret;

	ret = check_overlap(mn, info, kind, req, MWAN_XLATE_OUTSIDE, map);
	if (!ret)
		ret = mwan_xlate_replace(mn, kind, map, req->outside);
	if (!ret)
		notify(mn, kind, map, MWAN_CMD_NPT_SET);
	return ret;
}

/* NEW and SET. */
static int modify(struct genl_info *info, bool set)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	int kind = cmd_kind(info->genlhdr->cmd);
	struct xlate_req req;
	struct mwan_xlate *map;
	int ret;

	rtnl_lock();
	mutex_lock(&mn->lock);
	ret = parse_req(mn, info, kind, &req, true);
	if (ret)
		goto out;
	map = mwan_xlate_find(mn, kind, req.up, req.inside, req.len);
	if (map && !set) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MWAN_NPT_A_INSIDE],
				    "mapping already exists");
		ret = -EEXIST;
	} else if (map) {
		ret = replace(mn, info, kind, map, &req);
	} else {
		ret = create(mn, info, kind, &req);
	}
out:
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}

int mwan_nl_xlate_new(struct sk_buff *skb, struct genl_info *info)
{
	return modify(info, false);
}

int mwan_nl_xlate_set(struct sk_buff *skb, struct genl_info *info)
{
	return modify(info, true);
}

static struct mwan_xlate *find_map(struct mwan_net *mn, struct genl_info *info,
				   int kind, struct xlate_req *req)
{
	struct mwan_xlate *map;
	int ret;

	ret = parse_req(mn, info, kind, req, false);
	if (ret)
		return ERR_PTR(ret);
	map = mwan_xlate_find(mn, kind, req->up, req->inside, req->len);
	if (!map) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MWAN_NPT_A_INSIDE],
				    "no such mapping");
		return ERR_PTR(-ENOENT);
	}
	return map;
}

int mwan_nl_xlate_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	int kind = cmd_kind(info->genlhdr->cmd);
	struct xlate_req req;
	struct mwan_xlate *map;
	int ret = 0;

	rtnl_lock();
	mutex_lock(&mn->lock);
	map = find_map(mn, info, kind, &req);
	if (IS_ERR(map)) {
		ret = PTR_ERR(map);
	} else {
		/* Listeners get the mapping as it was last. */
		notify(mn, kind, map, MWAN_CMD_NPT_DEL);
		mwan_xlate_del(mn, kind, map);
	}
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}

int mwan_nl_xlate_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	int kind = cmd_kind(info->genlhdr->cmd);
	struct xlate_req req;
	struct mwan_xlate *map;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(map_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&mn->lock);
	map = find_map(mn, info, kind, &req);
	ret = IS_ERR(map) ? PTR_ERR(map) :
			    fill_map(msg, kind, map, info->snd_portid,
				     info->snd_seq, 0, info->genlhdr->cmd, NULL);
	mutex_unlock(&mn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * In (uplink mark index, inside prefix) order; resumes after the key in
 * cb->args: [0] the index, [1..4] the prefix's words, [5] set once a
 * message was sent.
 */
int mwan_nl_xlate_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mwan_net *mn = mwan_net(sock_net(skb->sk));
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	int kind = cmd_kind(di->op.cmd);
	struct mwan_xlate *map;
	u32 addr[4];
	int i;

	for (i = 0; i < 4; i++)
		addr[i] = (u32)cb->args[1 + i];
	mutex_lock(&mn->lock);
	cb->seq = mn->generation;
	map = mwan_xlate_next(mn, kind, (u32)cb->args[0], (u8 *)addr,
			      cb->args[5]);
	for (; map; map = mwan_xlate_next(mn, kind, map->node.key.index,
					  map->node.key.addr, true)) {
		if (fill_map(skb, kind, map, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI, di->op.cmd, cb))
			break;
		memcpy(addr, map->node.key.addr, sizeof(addr));
		cb->args[0] = map->node.key.index;
		for (i = 0; i < 4; i++)
			cb->args[1 + i] = addr[i];
		cb->args[5] = 1;
	}
	mutex_unlock(&mn->lock);
	return skb->len;
}
