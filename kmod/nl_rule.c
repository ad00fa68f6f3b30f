// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on rules: NEW (with PREF, or appended after the highest),
 * DEL by pref, GET and dumps, and their events. A request is checked whole
 * (lib/ruleset.c's checks, with a message naming the attribute) before the
 * rule is built, so that a failure changes nothing.
 */
#include "netlink.h"
#include "mwan.h"
#include "policy.h"
#include "rule.h"

#include <linux/in.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>
#include <linux/socket.h>

static struct netlink_range_validation pref_range = {
	.min = 1,
	.max = U32_MAX,
};

static struct netlink_range_validation sticky_range = {
	.min = 1,
	.max = MWAN_STICKY_MAX,
};

const struct nla_policy mwan_rule_key_policy[MWAN_RULE_A_PREF + 1] = {
	[MWAN_RULE_A_PAD] = READ_ONLY("padding"),
	[MWAN_RULE_A_PREF] = NLA_POLICY_FULL_RANGE(NLA_U32, &pref_range),
};

const struct nla_policy mwan_rule_policy[MWAN_RULE_A_MAX + 1] = {
	[MWAN_RULE_A_PAD] = READ_ONLY("padding"),
	[MWAN_RULE_A_PREF] = NLA_POLICY_FULL_RANGE(NLA_U32, &pref_range),
	[MWAN_RULE_A_FAMILY] = { .type = NLA_U8 },
	[MWAN_RULE_A_SRC] = { .type = NLA_BINARY, .len = 16 },
	[MWAN_RULE_A_SRC_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[MWAN_RULE_A_DST] = { .type = NLA_BINARY, .len = 16 },
	[MWAN_RULE_A_DST_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[MWAN_RULE_A_PROTO] = { .type = NLA_U8 },
	[MWAN_RULE_A_SPORT_MIN] = { .type = NLA_U16 },
	[MWAN_RULE_A_SPORT_MAX] = { .type = NLA_U16 },
	[MWAN_RULE_A_DPORT_MIN] = { .type = NLA_U16 },
	[MWAN_RULE_A_DPORT_MAX] = { .type = NLA_U16 },
	[MWAN_RULE_A_IIFNAME] = IFNAME_POLICY,
	[MWAN_RULE_A_STICKY] = NLA_POLICY_FULL_RANGE(NLA_U32, &sticky_range),
	[MWAN_RULE_A_POLICY] = NAME_POLICY,
	[MWAN_RULE_A_STATS] = READ_ONLY("stats"),
};

static int put_prefix(struct sk_buff *skb, const struct mwan_rule_spec *s,
		      int type, int len_type, const u8 *addr, u8 len)
{
	int size = s->family == MWAN_FAMILY_INET ? 4 : 16;

	if (s->family == MWAN_FAMILY_ANY || !len)
		return 0;
	if (nla_put(skb, type, size, addr) || nla_put_u8(skb, len_type, len))
		return -EMSGSIZE;
	return 0;
}

static int put_ports(struct sk_buff *skb, int min_type, u16 lo, u16 hi)
{
	if (lo == 0 && hi == 0xffff)
		return 0;
	if (nla_put_u16(skb, min_type, lo) || nla_put_u16(skb, min_type + 1, hi))
		return -EMSGSIZE;
	return 0;
}

static int put_rule(struct sk_buff *skb, const struct mwan_rule *rule)
{
	const struct mwan_rule_spec *s = &rule->spec;
	struct nlattr *nest;

	if (nla_put_u32(skb, MWAN_RULE_A_PREF, s->pref) ||
	    (s->family != MWAN_FAMILY_ANY &&
	     nla_put_u8(skb, MWAN_RULE_A_FAMILY,
			s->family == MWAN_FAMILY_INET ? AF_INET : AF_INET6)) ||
	    put_prefix(skb, s, MWAN_RULE_A_SRC, MWAN_RULE_A_SRC_LEN, s->src,
		       s->src_len) ||
	    put_prefix(skb, s, MWAN_RULE_A_DST, MWAN_RULE_A_DST_LEN, s->dst,
		       s->dst_len) ||
	    (s->proto && nla_put_u8(skb, MWAN_RULE_A_PROTO, s->proto)) ||
	    put_ports(skb, MWAN_RULE_A_SPORT_MIN, s->sport_lo, s->sport_hi) ||
	    put_ports(skb, MWAN_RULE_A_DPORT_MIN, s->dport_lo, s->dport_hi) ||
	    (rule->iifname[0] &&
	     nla_put_string(skb, MWAN_RULE_A_IIFNAME, rule->iifname)) ||
	    (rule->sticky &&
	     nla_put_u32(skb, MWAN_RULE_A_STICKY, rule->sticky)) ||
	    nla_put_string(skb, MWAN_RULE_A_POLICY, rule->policy->name))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, MWAN_RULE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, MWAN_STATS_A_PACKETS,
			      mwan_rule_packets(rule), MWAN_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_rule(struct sk_buff *skb, const struct mwan_rule *rule,
		     u32 portid, u32 seq, int flags, u8 cmd,
		     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mwan_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put_rule(skb, rule)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static size_t rule_msg_size(void)
{
	return 3 * nla_total_size(sizeof(u32)) +	/* PREF, STICKY */
	       6 * nla_total_size(sizeof(u8)) +		/* FAMILY, lens, PROTO */
	       2 * nla_total_size(16) +			/* SRC, DST */
	       4 * nla_total_size(sizeof(u16)) +	/* ports */
	       nla_total_size(IFNAMSIZ) + nla_total_size(MWAN_NAME_MAXLEN) +
	       nla_total_size(0) + nla_total_size_64bit(sizeof(u64));
}

void mwan_netlink_notify_rule(struct mwan_net *mn, const struct mwan_rule *rule,
			      u8 cmd)
{
	struct sk_buff *skb = mwan_nl_event_new(mn, rule_msg_size());

	if (skb)
		mwan_nl_event_send(mn, skb,
				   fill_rule(skb, rule, 0, 0, 0, cmd, NULL));
}

static int parse_family(struct nlattr **tb, u8 *family,
			struct netlink_ext_ack *extack)
{
	struct nlattr *src = tb[MWAN_RULE_A_SRC], *dst = tb[MWAN_RULE_A_DST];
	struct nlattr *attr = tb[MWAN_RULE_A_FAMILY];
	int alen = 0;

	if (src && dst && nla_len(src) != nla_len(dst)) {
		NL_SET_ERR_MSG_ATTR(extack, dst,
				    "source and destination families differ");
		return -EINVAL;
	}
	if (src || dst) {
		alen = nla_len(src ?: dst);
		if (alen != 4 && alen != 16) {
			NL_SET_ERR_MSG_ATTR(extack, src ?: dst,
					    "address must be 4 (IPv4) or 16 (IPv6) bytes");
			return -EINVAL;
		}
	}
	*family = alen == 4 ? MWAN_FAMILY_INET :
		  alen == 16 ? MWAN_FAMILY_INET6 : MWAN_FAMILY_ANY;
	if (!attr)
		return 0;
	switch (nla_get_u8(attr)) {
	case AF_INET:
		if (alen == 16)
			break;
		*family = MWAN_FAMILY_INET;
		return 0;
	case AF_INET6:
		if (alen == 4)
			break;
		*family = MWAN_FAMILY_INET6;
		return 0;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	NL_SET_ERR_MSG_ATTR(extack, attr, "family and address disagree");
	return -EINVAL;
}

static int parse_prefix(struct nlattr **tb, int type, int len_type,
			u8 *addr, u8 *len, struct netlink_ext_ack *extack)
{
	if (!tb[type] != !tb[len_type]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[type] ?: tb[len_type],
				    "prefix needs both address and length");
		return -EINVAL;
	}
	if (!tb[type])
		return 0;
	memcpy(addr, nla_data(tb[type]), nla_len(tb[type]));
	*len = nla_get_u8(tb[len_type]);
	return 0;
}

static void parse_ports(struct nlattr **tb, int min_type, u16 *lo, u16 *hi)
{
	*lo = tb[min_type] ? nla_get_u16(tb[min_type]) : 0;
	*hi = tb[min_type + 1] ? nla_get_u16(tb[min_type + 1]) : 0xffff;
}

/* Fills and checks spec; the attribute of the first problem gets the blame. */
static int parse_spec(struct nlattr **tb, struct mwan_rule_spec *s,
		      struct netlink_ext_ack *extack)
{
	int ret;

	ret = parse_family(tb, &s->family, extack);
	if (ret)
		return ret;
	if (parse_prefix(tb, MWAN_RULE_A_SRC, MWAN_RULE_A_SRC_LEN, s->src,
			 &s->src_len, extack) ||
	    parse_prefix(tb, MWAN_RULE_A_DST, MWAN_RULE_A_DST_LEN, s->dst,
			 &s->dst_len, extack))
		return -EINVAL;
	if (tb[MWAN_RULE_A_PROTO])
		s->proto = nla_get_u8(tb[MWAN_RULE_A_PROTO]);
	parse_ports(tb, MWAN_RULE_A_SPORT_MIN, &s->sport_lo, &s->sport_hi);
	parse_ports(tb, MWAN_RULE_A_DPORT_MIN, &s->dport_lo, &s->dport_hi);
	switch (mwan_rule_spec_check(s)) {
	case MWAN_RULE_OK:
		return 0;
	case MWAN_RULE_BAD_SRC:
		NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_RULE_A_SRC_LEN],
				    "prefix has host bits set or is too long");
		break;
	case MWAN_RULE_BAD_DST:
		NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_RULE_A_DST_LEN],
				    "prefix has host bits set or is too long");
		break;
	case MWAN_RULE_BAD_SPORT:
		NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_RULE_A_SPORT_MAX],
				    "port range min exceeds max");
		break;
	case MWAN_RULE_BAD_DPORT:
		NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_RULE_A_DPORT_MAX],
				    "port range min exceeds max");
		break;
	case MWAN_RULE_BAD_PROTO:
		NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_RULE_A_PROTO] ?:
				    tb[MWAN_RULE_A_SPORT_MIN] ?:
				    tb[MWAN_RULE_A_SPORT_MAX] ?:
				    tb[MWAN_RULE_A_DPORT_MIN] ?:
				    tb[MWAN_RULE_A_DPORT_MAX],
				    "port range needs a protocol with ports");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[MWAN_RULE_A_FAMILY],
				    "family and prefixes disagree");
		break;
	}
	return -EINVAL;
}

static int rule_pref(struct mwan_net *mn, struct genl_info *info, u32 *pref)
{
	struct nlattr *attr = info->attrs[MWAN_RULE_A_PREF];

	if (!attr) {
		*pref = mwan_rule_next_pref(mn);
		if (*pref)
			return 0;
		NL_SET_ERR_MSG(info->extack,
			       "no pref left after the last rule: give one");
		return -ERANGE;
	}
	*pref = nla_get_u32(attr);
	if (mwan_rule_find(mn, *pref)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "rule pref already exists");
		return -EEXIST;
	}
	return 0;
}

static int rule_policy(struct mwan_net *mn, struct genl_info *info,
		       struct mwan_rule *rule)
{
	struct nlattr *attr = info->attrs[MWAN_RULE_A_POLICY];
	char name[MWAN_NAME_MAXLEN];
	int ret;

	ret = mwan_nl_name(attr, name, true, info->extack);
	if (ret)
		return ret;
	rule->policy = mwan_policy_find(mn, name);
	if (!rule->policy) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such policy");
		return -ENOENT;
	}
	return 0;
}

int mwan_nl_rule_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	struct mwan_rule_spec spec = {};
	struct mwan_rule *rule;
	char iifname[IFNAMSIZ] = "";
	int ret;

	if (ATTR_MISSING(info, MWAN_RULE_A_POLICY, "policy required"))
		return -EINVAL;
	ret = parse_spec(tb, &spec, info->extack);
	if (ret)
		return ret;
	if (tb[MWAN_RULE_A_IIFNAME]) {
		ret = mwan_nl_ifname(tb[MWAN_RULE_A_IIFNAME], iifname,
				     info->extack);
		if (ret)
			return ret;
	}
	rule = mwan_rule_alloc(tb[MWAN_RULE_A_STICKY] ?
			       nla_get_u32(tb[MWAN_RULE_A_STICKY]) : 0);
	if (!rule)
		return -ENOMEM;
	rule->spec = spec;
	memcpy(rule->iifname, iifname, sizeof(iifname));
	rtnl_lock();
	mutex_lock(&mn->lock);
	ret = rule_pref(mn, info, &rule->spec.pref);
	if (!ret)
		ret = rule_policy(mn, info, rule);
	if (!ret)
		ret = mwan_rule_add(mn, rule);
	if (!ret)
		mwan_netlink_notify_rule(mn, rule, MWAN_CMD_RULE_NEW);
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	if (ret)
		mwan_rule_free(rule);
	return ret;
}

static struct mwan_rule *find_rule(struct mwan_net *mn, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[MWAN_RULE_A_PREF];
	struct mwan_rule *rule = mwan_rule_find(mn, nla_get_u32(attr));

	if (!rule)
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such rule");
	return rule;
}

int mwan_nl_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_rule *rule;
	struct sk_buff *ev;
	int ret = -ENOENT, filled = 0;

	if (ATTR_MISSING(info, MWAN_RULE_A_PREF, "rule pref required"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	rule = find_rule(mn, info);
	if (rule) {
		/* Filled while the rule exists, sent only once it is gone. */
		ev = mwan_nl_event_new(mn, rule_msg_size());
		if (ev)
			filled = fill_rule(ev, rule, 0, 0, 0, MWAN_CMD_RULE_DEL,
					   NULL);
		ret = mwan_rule_del(mn, rule);
		if (ev && ret)
			nlmsg_free(ev);
		else if (ev)
			mwan_nl_event_send(mn, ev, filled);
	}
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return ret;
}

int mwan_nl_rule_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mwan_net *mn = mwan_net(genl_info_net(info));
	struct mwan_rule *rule;
	struct sk_buff *msg;
	int ret = -ENOENT;

	if (ATTR_MISSING(info, MWAN_RULE_A_PREF, "rule pref required"))
		return -EINVAL;
	msg = genlmsg_new(rule_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&mn->lock);
	rule = find_rule(mn, info);
	if (rule)
		ret = fill_rule(msg, rule, info->snd_portid, info->snd_seq, 0,
				MWAN_CMD_RULE_GET, NULL);
	mutex_unlock(&mn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* Resumes after pref cb->args[0] (rules are in pref order). */
int mwan_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mwan_net *mn = mwan_net(sock_net(skb->sk));
	struct mwan_rule *rule;

	mutex_lock(&mn->lock);
	cb->seq = mn->generation;
	list_for_each_entry(rule, &mn->rules, list) {
		if (cb->args[1] && rule->spec.pref <= cb->args[0])
			continue;
		if (fill_rule(skb, rule, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      MWAN_CMD_RULE_GET, cb))
			break;
		cb->args[0] = rule->spec.pref;
		cb->args[1] = 1;
	}
	mutex_unlock(&mn->lock);
	return skb->len;
}
