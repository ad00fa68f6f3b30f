// SPDX-License-Identifier: GPL-2.0
/*
 * struct policy to and from netlink attributes. As for uplinks, unknown
 * attributes in replies are skipped and known ones of the wrong size refused.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "netlink.h"
#include "policy_nl.h"

void policy_put(struct nlmsghdr *nlh, const struct policy *p)
{
	const struct member *m;
	struct nlattr *nest;
	unsigned int i;

	if (p->present & POLICY_F_NAME)
		mnl_attr_put_strz(nlh, MWAN_POLICY_A_NAME, p->name);
	for (i = 0; i < p->nmembers; i++) {
		m = &p->members[i];
		nest = mnl_attr_nest_start(nlh, MWAN_POLICY_A_MEMBER);
		mnl_attr_put_strz(nlh, MWAN_MEMBER_A_UPLINK, m->uplink);
		if (m->present & MEMBER_F_WEIGHT)
			mnl_attr_put_u32(nlh, MWAN_MEMBER_A_WEIGHT, m->weight);
		if (m->present & MEMBER_F_METRIC)
			mnl_attr_put_u32(nlh, MWAN_MEMBER_A_METRIC, m->metric);
		mnl_attr_nest_end(nlh, nest);
	}
	if (p->present & POLICY_F_LAST_RESORT)
		mnl_attr_put_u8(nlh, MWAN_POLICY_A_LAST_RESORT, p->last_resort);
}

static int get_member_attr(const struct nlattr *attr, struct member *m)
{
	switch (mnl_attr_get_type(attr)) {
	case MWAN_MEMBER_A_UPLINK:
		return mwan_attr_get_str(attr, m->uplink, sizeof(m->uplink));
	case MWAN_MEMBER_A_WEIGHT:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return -1;
		m->weight = mnl_attr_get_u32(attr);
		m->present |= MEMBER_F_WEIGHT;
		return 0;
	case MWAN_MEMBER_A_METRIC:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return -1;
		m->metric = mnl_attr_get_u32(attr);
		m->present |= MEMBER_F_METRIC;
		return 0;
	case MWAN_MEMBER_A_OWN_WEIGHT:
		m->present |= MEMBER_F_OWN_WEIGHT;
		return 0;
	case MWAN_MEMBER_A_OWN_METRIC:
		m->present |= MEMBER_F_OWN_METRIC;
		return 0;
	case MWAN_MEMBER_A_STATE:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
			return -1;
		m->state = mnl_attr_get_u8(attr);
		m->present |= MEMBER_F_STATE;
		return 0;
	}
	return 0;
}

static int get_member(const struct nlattr *nest, struct policy *p)
{
	const struct nlattr *attr;
	struct member *m;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 || p->nmembers == MWAN_MEMBERS_MAX)
		return -1;
	m = &p->members[p->nmembers];
	memset(m, 0, sizeof(*m));
	mnl_attr_for_each_nested(attr, nest)
		if (get_member_attr(attr, m))
			return -1;
	if (!m->uplink[0])
		return -1;
	p->nmembers++;
	p->present |= POLICY_F_MEMBERS;
	return 0;
}

static int get_attr(const struct nlattr *attr, struct policy *p)
{
	switch (mnl_attr_get_type(attr)) {
	case MWAN_POLICY_A_NAME:
		p->present |= POLICY_F_NAME;
		return mwan_attr_get_str(attr, p->name, sizeof(p->name));
	case MWAN_POLICY_A_MEMBER:
		return get_member(attr, p);
	case MWAN_POLICY_A_LAST_RESORT:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
			return -1;
		p->last_resort = mnl_attr_get_u8(attr);
		p->present |= POLICY_F_LAST_RESORT;
		return 0;
	}
	return 0;
}

int policy_from_msg(const struct nlmsghdr *nlh, struct policy *p)
{
	const struct nlattr *attr;

	memset(p, 0, sizeof(*p));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		goto bad;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (get_attr(attr, p))
			goto bad;
	if (!(p->present & POLICY_F_NAME))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}
