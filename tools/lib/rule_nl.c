// SPDX-License-Identifier: GPL-2.0
/*
 * struct rule to and from netlink attributes. A prefix is two attributes
 * (address and length) and a port range two more (low and high): a reply
 * must carry both halves, in agreement, or it is refused.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "netlink.h"
#include "rule_nl.h"

static void put_prefix(struct nlmsghdr *nlh, uint16_t addr, uint16_t len,
		       const struct inet_prefix *p)
{
	mnl_attr_put(nlh, addr, p->addr.family == AF_INET ? 4 : 16, &p->addr.v4);
	mnl_attr_put_u8(nlh, len, p->len);
}

static void put_ports(struct nlmsghdr *nlh, uint16_t min, uint16_t max,
		      const struct port_range *pr)
{
	mnl_attr_put_u16(nlh, min, pr->min);
	mnl_attr_put_u16(nlh, max, pr->max);
}

void rule_put(struct nlmsghdr *nlh, const struct rule *r)
{
	uint32_t p = r->present;

	if (p & RULE_F_PREF)
		mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, r->pref);
	if (p & RULE_F_FAMILY)
		mnl_attr_put_u8(nlh, MWAN_RULE_A_FAMILY, r->family);
	if (p & RULE_F_SRC)
		put_prefix(nlh, MWAN_RULE_A_SRC, MWAN_RULE_A_SRC_LEN, &r->src);
	if (p & RULE_F_DST)
		put_prefix(nlh, MWAN_RULE_A_DST, MWAN_RULE_A_DST_LEN, &r->dst);
	if (p & RULE_F_PROTO)
		mnl_attr_put_u8(nlh, MWAN_RULE_A_PROTO, r->proto);
	if (p & RULE_F_SPORT)
		put_ports(nlh, MWAN_RULE_A_SPORT_MIN, MWAN_RULE_A_SPORT_MAX, &r->sport);
	if (p & RULE_F_DPORT)
		put_ports(nlh, MWAN_RULE_A_DPORT_MIN, MWAN_RULE_A_DPORT_MAX, &r->dport);
	if (p & RULE_F_IIF)
		mnl_attr_put_strz(nlh, MWAN_RULE_A_IIFNAME, r->iif);
	if (p & RULE_F_STICKY)
		mnl_attr_put_u32(nlh, MWAN_RULE_A_STICKY, r->sticky);
	if (p & RULE_F_POLICY)
		mnl_attr_put_strz(nlh, MWAN_RULE_A_POLICY, r->policy);
}

static int get_stats(const struct nlattr *nest, struct rule *r)
{
	const struct nlattr *attr;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != MWAN_STATS_A_PACKETS)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -1;
		r->packets = mnl_attr_get_u64(attr);
		r->present |= RULE_F_STATS;
	}
	return 0;
}

/* The attributes as they came, before the halves are put together. */
struct raw {
	const struct nlattr *tb[MWAN_RULE_A_MAX + 1];
};

static int get_prefix_attrs(const struct raw *raw, uint16_t addr, uint16_t len,
			    struct inet_prefix *p)
{
	const struct nlattr *a = raw->tb[addr], *l = raw->tb[len];
	uint16_t size;

	if (!a || !l || mnl_attr_validate(l, MNL_TYPE_U8) < 0)
		return -1;
	size = mnl_attr_get_payload_len(a);
	if (size != 4 && size != 16)
		return -1;
	p->addr.family = size == 4 ? AF_INET : AF_INET6;
	memcpy(&p->addr.v4, mnl_attr_get_payload(a), size);
	p->len = mnl_attr_get_u8(l);
	return p->len > size * 8 ? -1 : 0;
}

static int get_ports(const struct raw *raw, uint16_t min, uint16_t max,
		     struct port_range *pr)
{
	const struct nlattr *lo = raw->tb[min], *hi = raw->tb[max];

	if (!lo || !hi || mnl_attr_validate(lo, MNL_TYPE_U16) < 0 ||
	    mnl_attr_validate(hi, MNL_TYPE_U16) < 0)
		return -1;
	pr->min = mnl_attr_get_u16(lo);
	pr->max = mnl_attr_get_u16(hi);
	return pr->min > pr->max ? -1 : 0;
}

static int get_u(const struct nlattr *attr, enum mnl_attr_data_type type,
		 uint32_t *val)
{
	if (!attr)
		return 1;
	if (mnl_attr_validate(attr, type) < 0)
		return -1;
	*val = type == MNL_TYPE_U8 ? mnl_attr_get_u8(attr) : mnl_attr_get_u32(attr);
	return 0;
}

static int get_fixed(const struct raw *raw, struct rule *r)
{
	uint32_t v;
	int ret;

	ret = get_u(raw->tb[MWAN_RULE_A_PREF], MNL_TYPE_U32, &r->pref);
	if (ret < 0)
		return -1;
	if (!ret)
		r->present |= RULE_F_PREF;
	ret = get_u(raw->tb[MWAN_RULE_A_FAMILY], MNL_TYPE_U8, &v);
	if (ret < 0 || (!ret && v != AF_INET && v != AF_INET6))
		return -1;
	if (!ret) {
		r->family = v;
		r->present |= RULE_F_FAMILY;
	}
	ret = get_u(raw->tb[MWAN_RULE_A_PROTO], MNL_TYPE_U8, &v);
	if (ret < 0)
		return -1;
	if (!ret) {
		r->proto = v;
		r->present |= RULE_F_PROTO;
	}
	ret = get_u(raw->tb[MWAN_RULE_A_STICKY], MNL_TYPE_U32, &r->sticky);
	if (ret < 0)
		return -1;
	if (!ret)
		r->present |= RULE_F_STICKY;
	return 0;
}

static int get_pairs(const struct raw *raw, struct rule *r)
{
	const struct nlattr *const *tb = raw->tb;

	if ((tb[MWAN_RULE_A_SRC] || tb[MWAN_RULE_A_SRC_LEN]) &&
	    get_prefix_attrs(raw, MWAN_RULE_A_SRC, MWAN_RULE_A_SRC_LEN, &r->src))
		return -1;
	if (tb[MWAN_RULE_A_SRC])
		r->present |= RULE_F_SRC;
	if ((tb[MWAN_RULE_A_DST] || tb[MWAN_RULE_A_DST_LEN]) &&
	    get_prefix_attrs(raw, MWAN_RULE_A_DST, MWAN_RULE_A_DST_LEN, &r->dst))
		return -1;
	if (tb[MWAN_RULE_A_DST])
		r->present |= RULE_F_DST;
	if ((tb[MWAN_RULE_A_SPORT_MIN] || tb[MWAN_RULE_A_SPORT_MAX]) &&
	    get_ports(raw, MWAN_RULE_A_SPORT_MIN, MWAN_RULE_A_SPORT_MAX, &r->sport))
		return -1;
	if (tb[MWAN_RULE_A_SPORT_MIN])
		r->present |= RULE_F_SPORT;
	if ((tb[MWAN_RULE_A_DPORT_MIN] || tb[MWAN_RULE_A_DPORT_MAX]) &&
	    get_ports(raw, MWAN_RULE_A_DPORT_MIN, MWAN_RULE_A_DPORT_MAX, &r->dport))
		return -1;
	if (tb[MWAN_RULE_A_DPORT_MIN])
		r->present |= RULE_F_DPORT;
	return 0;
}

static int get_strings(const struct raw *raw, struct rule *r)
{
	const struct nlattr *const *tb = raw->tb;

	if (tb[MWAN_RULE_A_IIFNAME]) {
		if (mwan_attr_get_str(tb[MWAN_RULE_A_IIFNAME], r->iif, sizeof(r->iif)))
			return -1;
		r->present |= RULE_F_IIF;
	}
	if (tb[MWAN_RULE_A_POLICY]) {
		if (mwan_attr_get_str(tb[MWAN_RULE_A_POLICY], r->policy, sizeof(r->policy)))
			return -1;
		r->present |= RULE_F_POLICY;
	}
	return tb[MWAN_RULE_A_STATS] ? get_stats(tb[MWAN_RULE_A_STATS], r) : 0;
}

int rule_from_msg(const struct nlmsghdr *nlh, struct rule *r)
{
	const struct nlattr *attr;
	struct raw raw = {};
	uint16_t type;

	memset(r, 0, sizeof(*r));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		goto bad;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		type = mnl_attr_get_type(attr);
		if (type <= MWAN_RULE_A_MAX)
			raw.tb[type] = attr;
	}
	if (get_fixed(&raw, r) || get_pairs(&raw, r) || get_strings(&raw, r))
		goto bad;
	if (!(r->present & RULE_F_PREF))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}
