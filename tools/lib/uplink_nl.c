// SPDX-License-Identifier: GPL-2.0
/*
 * struct uplink to and from netlink attributes. Replies are checked attribute
 * by attribute: a kernel newer than the tool may add attributes, which are
 * skipped, but a known attribute of the wrong size is refused.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/genetlink.h>

#include "netlink.h"
#include "uplink_nl.h"

static void put_u32(struct nlmsghdr *nlh, const struct uplink *u, uint32_t flag,
		    uint16_t type, uint32_t val)
{
	if (u->present & flag)
		mnl_attr_put_u32(nlh, type, val);
}

void uplink_put(struct nlmsghdr *nlh, const struct uplink *u)
{
	struct nlattr *nest;
	unsigned int i;

	if (u->present & UPLINK_F_NAME)
		mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, u->name);
	if (u->present & UPLINK_F_DEV)
		mnl_attr_put_strz(nlh, MWAN_UPLINK_A_IFNAME, u->dev);
	if (u->present & UPLINK_F_GW4)
		mnl_attr_put(nlh, MWAN_UPLINK_A_GATEWAY4, sizeof(u->gw4), &u->gw4);
	if (u->present & UPLINK_F_GW6)
		mnl_attr_put(nlh, MWAN_UPLINK_A_GATEWAY6, sizeof(u->gw6), &u->gw6);
	put_u32(nlh, u, UPLINK_F_TABLE, MWAN_UPLINK_A_TABLE, u->table);
	put_u32(nlh, u, UPLINK_F_WEIGHT, MWAN_UPLINK_A_WEIGHT, u->weight);
	put_u32(nlh, u, UPLINK_F_METRIC, MWAN_UPLINK_A_METRIC, u->metric);
	if (u->present & UPLINK_F_ADMIN)
		mnl_attr_put_u8(nlh, MWAN_UPLINK_A_ADMIN, u->admin);
	if (u->present & UPLINK_F_TRACK) {
		nest = mnl_attr_nest_start(nlh, MWAN_UPLINK_A_TRACK);
		for (i = 0; i < u->ntrack; i++)
			mnl_attr_put(nlh, MWAN_TRACK_A_ADDR,
				     u->track[i].family == AF_INET ? 4 : 16,
				     &u->track[i].v4);
		mnl_attr_nest_end(nlh, nest);
	}
	put_u32(nlh, u, UPLINK_F_INTERVAL, MWAN_UPLINK_A_INTERVAL_MS, u->interval_ms);
	put_u32(nlh, u, UPLINK_F_TIMEOUT, MWAN_UPLINK_A_TIMEOUT_MS, u->timeout_ms);
	put_u32(nlh, u, UPLINK_F_DOWN, MWAN_UPLINK_A_DOWN, u->down);
	put_u32(nlh, u, UPLINK_F_UP, MWAN_UPLINK_A_UP, u->up);
	put_u32(nlh, u, UPLINK_F_RELIABILITY, MWAN_UPLINK_A_RELIABILITY, u->reliability);
	put_u32(nlh, u, UPLINK_F_RTT_MAX, MWAN_UPLINK_A_RTT_MAX_MS, u->rtt_max_ms);
	if (u->present & UPLINK_F_LOSS_MAX)
		mnl_attr_put_u8(nlh, MWAN_UPLINK_A_LOSS_MAX_PCT, u->loss_max_pct);
	put_u32(nlh, u, UPLINK_F_HANDSHAKE, MWAN_UPLINK_A_HANDSHAKE_S, u->handshake_s);
}

static int get_track(const struct nlattr *nest, struct uplink *u)
{
	const struct nlattr *attr;
	struct inet_addr *a;
	uint16_t len;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != MWAN_TRACK_A_ADDR)
			continue;
		len = mnl_attr_get_payload_len(attr);
		if ((len != 4 && len != 16) || u->ntrack == MWAN_TRACK_MAX)
			return -1;
		a = &u->track[u->ntrack++];
		a->family = len == 4 ? AF_INET : AF_INET6;
		memcpy(&a->v4, mnl_attr_get_payload(attr), len);
	}
	return 0;
}

static int get_stats(const struct nlattr *nest, struct uplink_stats *s)
{
	const struct nlattr *attr;
	uint64_t *dst;

	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case MWAN_STATS_A_PACKETS:
			dst = &s->packets;
			break;
		case MWAN_STATS_A_BYTES:
			dst = &s->bytes;
			break;
		case MWAN_STATS_A_FLOWS:
			dst = &s->flows;
			break;
		default:
			continue;
		}
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -1;
		*dst = mnl_attr_get_u64(attr);
	}
	return 0;
}

/* Where each fixed-size attribute goes, and its size. */
static const struct field {
	uint32_t flag;
	enum mnl_attr_data_type type;
	size_t offset;
} fields[MWAN_UPLINK_A_MAX + 1] = {
#define F(attr, f, t, member) \
	[attr] = { f, t, offsetof(struct uplink, member) }
	F(MWAN_UPLINK_A_IFINDEX, UPLINK_F_IFINDEX, MNL_TYPE_U32, ifindex),
	F(MWAN_UPLINK_A_TABLE, UPLINK_F_TABLE, MNL_TYPE_U32, table),
	F(MWAN_UPLINK_A_MARK, UPLINK_F_MARK, MNL_TYPE_U32, mark),
	F(MWAN_UPLINK_A_MARK_MASK, UPLINK_F_MARK_MASK, MNL_TYPE_U32, mark_mask),
	F(MWAN_UPLINK_A_WEIGHT, UPLINK_F_WEIGHT, MNL_TYPE_U32, weight),
	F(MWAN_UPLINK_A_METRIC, UPLINK_F_METRIC, MNL_TYPE_U32, metric),
	F(MWAN_UPLINK_A_ADMIN, UPLINK_F_ADMIN, MNL_TYPE_U8, admin),
	F(MWAN_UPLINK_A_STATE, UPLINK_F_STATE, MNL_TYPE_U8, state),
	F(MWAN_UPLINK_A_REASON, UPLINK_F_REASON, MNL_TYPE_U8, reason),
	F(MWAN_UPLINK_A_SINCE_MS, UPLINK_F_SINCE, MNL_TYPE_U64, since_ms),
	F(MWAN_UPLINK_A_INTERVAL_MS, UPLINK_F_INTERVAL, MNL_TYPE_U32, interval_ms),
	F(MWAN_UPLINK_A_TIMEOUT_MS, UPLINK_F_TIMEOUT, MNL_TYPE_U32, timeout_ms),
	F(MWAN_UPLINK_A_DOWN, UPLINK_F_DOWN, MNL_TYPE_U32, down),
	F(MWAN_UPLINK_A_UP, UPLINK_F_UP, MNL_TYPE_U32, up),
	F(MWAN_UPLINK_A_RELIABILITY, UPLINK_F_RELIABILITY, MNL_TYPE_U32, reliability),
	F(MWAN_UPLINK_A_HEALTH, UPLINK_F_HEALTH, MNL_TYPE_U8, health),
	F(MWAN_UPLINK_A_RTT_US, UPLINK_F_RTT, MNL_TYPE_U32, rtt_us),
	F(MWAN_UPLINK_A_LOSS_PCT, UPLINK_F_LOSS, MNL_TYPE_U8, loss_pct),
	F(MWAN_UPLINK_A_RTT_MAX_MS, UPLINK_F_RTT_MAX, MNL_TYPE_U32, rtt_max_ms),
	F(MWAN_UPLINK_A_LOSS_MAX_PCT, UPLINK_F_LOSS_MAX, MNL_TYPE_U8, loss_max_pct),
	F(MWAN_UPLINK_A_HANDSHAKE_S, UPLINK_F_HANDSHAKE, MNL_TYPE_U32, handshake_s),
#undef F
};

static int get_field(const struct nlattr *attr, const struct field *f,
		     struct uplink *u)
{
	char *dst = (char *)u + f->offset;

	if (mnl_attr_validate(attr, f->type) < 0)
		return -1;
	switch (f->type) {
	case MNL_TYPE_U8:
		*(uint8_t *)dst = mnl_attr_get_u8(attr);
		break;
	case MNL_TYPE_U32:
		*(uint32_t *)dst = mnl_attr_get_u32(attr);
		break;
	default:
		*(uint64_t *)dst = mnl_attr_get_u64(attr);
		break;
	}
	u->present |= f->flag;
	return 0;
}

static int get_attr(const struct nlattr *attr, struct uplink *u)
{
	uint16_t type = mnl_attr_get_type(attr);

	switch (type) {
	case MWAN_UPLINK_A_NAME:
		u->present |= UPLINK_F_NAME;
		return mwan_attr_get_str(attr, u->name, sizeof(u->name));
	case MWAN_UPLINK_A_IFNAME:
		u->present |= UPLINK_F_DEV;
		return mwan_attr_get_str(attr, u->dev, sizeof(u->dev));
	case MWAN_UPLINK_A_GATEWAY4:
		if (mnl_attr_get_payload_len(attr) != sizeof(u->gw4))
			return -1;
		memcpy(&u->gw4, mnl_attr_get_payload(attr), sizeof(u->gw4));
		u->present |= UPLINK_F_GW4;
		return 0;
	case MWAN_UPLINK_A_GATEWAY6:
		if (mnl_attr_get_payload_len(attr) != sizeof(u->gw6))
			return -1;
		memcpy(&u->gw6, mnl_attr_get_payload(attr), sizeof(u->gw6));
		u->present |= UPLINK_F_GW6;
		return 0;
	case MWAN_UPLINK_A_TRACK:
		u->present |= UPLINK_F_TRACK;
		return mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ? -1 : get_track(attr, u);
	case MWAN_UPLINK_A_STATS:
		u->present |= UPLINK_F_STATS;
		return mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ? -1 :
		       get_stats(attr, &u->stats);
	}
	if (type < ARRAY_SIZE(fields) && fields[type].flag)
		return get_field(attr, &fields[type], u);
	return 0;
}

int uplink_from_msg(const struct nlmsghdr *nlh, struct uplink *u)
{
	const struct nlattr *attr;

	memset(u, 0, sizeof(*u));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		goto bad;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (get_attr(attr, u))
			goto bad;
	if (!(u->present & UPLINK_F_NAME))
		goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}
