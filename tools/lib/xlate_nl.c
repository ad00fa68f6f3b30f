// SPDX-License-Identifier: GPL-2.0
/*
 * struct xlate to and from netlink attributes. NPT and NAT attributes are
 * numbered alike (xlate_print.c asserts it); only the address size and the
 * longest prefix differ, and those come from the kind.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "netlink.h"
#include "xlate_nl.h"

static void put_prefix(struct nlmsghdr *nlh, uint16_t addr, uint16_t len,
		       const struct inet_prefix *p)
{
	mnl_attr_put(nlh, addr, p->addr.family == AF_INET ? 4 : 16, &p->addr.v4);
	mnl_attr_put_u8(nlh, len, p->len);
}

void xlate_put(struct nlmsghdr *nlh, const struct xlate *x)
{
	if (x->present & XLATE_F_UPLINK)
		mnl_attr_put_strz(nlh, MWAN_NPT_A_UPLINK, x->uplink);
	if (x->present & XLATE_F_INSIDE)
		put_prefix(nlh, MWAN_NPT_A_INSIDE, MWAN_NPT_A_INSIDE_LEN, &x->inside);
	if (x->present & XLATE_F_OUTSIDE)
		put_prefix(nlh, MWAN_NPT_A_OUTSIDE, MWAN_NPT_A_OUTSIDE_LEN, &x->outside);
}

static int get_prefix_attrs(const struct xlate_kind *k, const struct nlattr *a,
			    const struct nlattr *l, struct inet_prefix *p)
{
	size_t size = k->family == AF_INET ? 4 : 16;

	if (!a || !l || mnl_attr_validate(l, MNL_TYPE_U8) < 0 ||
	    mnl_attr_get_payload_len(a) != size)
		return -1;
	p->addr.family = k->family;
	memcpy(&p->addr.v4, mnl_attr_get_payload(a), size);
	p->len = mnl_attr_get_u8(l);
	return !p->len || p->len > k->max_len ? -1 : 0;
}

static int get_stats(const struct nlattr *nest, struct xlate *x)
{
	const struct nlattr *attr;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != MWAN_STATS_A_PACKETS)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -1;
		x->packets = mnl_attr_get_u64(attr);
		x->present |= XLATE_F_STATS;
	}
	return 0;
}

int xlate_from_msg(const struct xlate_kind *k, const struct nlmsghdr *nlh,
		   struct xlate *x)
{
	const struct nlattr *tb[MWAN_NPT_A_MAX + 1] = {}, *attr;
	uint16_t type;

	memset(x, 0, sizeof(*x));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		goto bad;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		type = mnl_attr_get_type(attr);
		if (type <= MWAN_NPT_A_MAX)
			tb[type] = attr;
	}
	if (!tb[MWAN_NPT_A_UPLINK] ||
	    mwan_attr_get_str(tb[MWAN_NPT_A_UPLINK], x->uplink, sizeof(x->uplink)))
		goto bad;
	x->present |= XLATE_F_UPLINK;
	if (get_prefix_attrs(k, tb[MWAN_NPT_A_INSIDE], tb[MWAN_NPT_A_INSIDE_LEN], &x->inside))
		goto bad;
	x->present |= XLATE_F_INSIDE;
	if (tb[MWAN_NPT_A_OUTSIDE] || tb[MWAN_NPT_A_OUTSIDE_LEN]) {
		if (get_prefix_attrs(k, tb[MWAN_NPT_A_OUTSIDE], tb[MWAN_NPT_A_OUTSIDE_LEN],
				     &x->outside))
			goto bad;
		x->present |= XLATE_F_OUTSIDE;
	}
	if (tb[MWAN_NPT_A_STATS] && get_stats(tb[MWAN_NPT_A_STATS], x))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}
