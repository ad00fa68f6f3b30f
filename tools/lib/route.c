// SPDX-License-Identifier: GPL-2.0
/*
 * An uplink's ip rules and default routes over rtnetlink. Rules are looked
 * up before they are added (the kernel would keep duplicates); routes are
 * added with NLM_F_CREATE | NLM_F_REPLACE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "route.h"

#define ROUTING_PROTO	RTPROT_STATIC
#define STALE_MAX	8

int route_nl_open(struct route_nl *rt)
{
	int one = 1;

	memset(rt, 0, sizeof(*rt));
	rt->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!rt->sock)
		return -1;
	if (mnl_socket_bind(rt->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(rt->sock);
		rt->sock = NULL;
		return -1;
	}
	mnl_socket_setsockopt(rt->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(rt->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	rt->portid = mnl_socket_get_portid(rt->sock);
	rt->seq = time(NULL);
	return 0;
}

void route_nl_close(struct route_nl *rt)
{
	if (rt->sock)
		mnl_socket_close(rt->sock);
	rt->sock = NULL;
}

/* A request's outcome and, while it runs, where its replies go. */
struct ack {
	int err;		/* positive errno, 0 if it succeeded */
	char msg[160];		/* the kernel's extended ack message, if any */
	mnl_cb_t cb;
	void *data;
};

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct ack *a = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(a->msg, sizeof(a->msg), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int tlvs = sizeof(*e);
	struct ack *a = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		a->err = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NETLINK_CAP_ACK the kernel echoes the whole request first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		tlvs += e->msg.nlmsg_len - sizeof(e->msg);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && mnl_nlmsg_get_payload_len(nlh) > tlvs)
		mnl_attr_parse(nlh, tlvs, ack_attr_cb, a);
	a->err = -e->error;
	return e->error ? MNL_CB_ERROR : MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ack *a = data;
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	a->err = -err;
	return MNL_CB_ERROR;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ack *a = data;

	return a->cb ? a->cb(nlh, a->data) : MNL_CB_OK;
}

/* Runs a request to its ack or the end of its dump; -1 with a->err set on failure. */
static int talk(struct route_nl *rt, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		struct ack *a)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_NOOP] = noop_cb,
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
		[NLMSG_OVERRUN] = noop_cb,
	};
	static char buf[32768];	/* as iproute2 reads dumps */
	ssize_t len;
	int ret;

	memset(a, 0, sizeof(*a));
	a->cb = cb;
	a->data = data;
	nlh->nlmsg_seq = ++rt->seq;
	if (mnl_socket_sendto(rt->sock, nlh, nlh->nlmsg_len) < 0) {
		a->err = errno;
		return -1;
	}
	do {
		len = mnl_socket_recvfrom(rt->sock, buf, sizeof(buf));
		if (len < 0) {
			a->err = errno;
			return -1;
		}
		errno = 0;
		ret = mnl_cb_run2(buf, len, nlh->nlmsg_seq, rt->portid, data_cb, a,
				  ctl, ARRAY_SIZE(ctl));
	} while (ret > MNL_CB_STOP);
	if (ret < 0 && !a->err)
		a->err = errno ? errno : EPROTO;
	return ret < 0 ? -1 : 0;
}

uint32_t routing_pref(const struct uplink *u)
{
	if (!u->mark_mask)
		return ROUTING_PREF_BASE;
	return ROUTING_PREF_BASE + (u->mark >> __builtin_ctz(u->mark_mask));
}

static int ipv(int family)
{
	return family == AF_INET ? 4 : 6;
}

/* what: "rule" or "default route" */
static int fail(struct route_result *res, const struct ack *a, const char *what,
		int family, const struct uplink *u)
{
	res->err = a->err;
	snprintf(res->msg, sizeof(res->msg), "IPv%d %s of table %u: %s", ipv(family), what,
		 u->table, a->msg[0] ? a->msg : strerror(a->err));
	return -1;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifi))
		*(unsigned int *)data = ifi->ifi_flags;
	return MNL_CB_OK;
}

static int link_flags(struct route_nl *rt, uint32_t ifindex, unsigned int *flags,
		      struct ack *a)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	*flags = 0;
	return talk(rt, nlh, link_cb, flags, a);
}

/* What a dump of the rules of one family found at the uplink's preference. */
struct rule_scan {
	const struct uplink *u;
	uint32_t pref;
	bool have;			/* our rule, as it should be */
	unsigned int nstale;		/* ours, but for another table */
	uint32_t stale[STALE_MAX];
};

static int rule_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > FRA_MAX)
		return MNL_CB_OK;
	if ((type == FRA_PRIORITY || type == FRA_FWMARK || type == FRA_FWMASK ||
	     type == FRA_TABLE) && mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	if (type == FRA_PROTOCOL && mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int rule_scan_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[FRA_MAX + 1] = {};
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct rule_scan *s = data;
	uint32_t table;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*frh))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*frh), rule_attr_cb, tb);
	if (!tb[FRA_PRIORITY] || mnl_attr_get_u32(tb[FRA_PRIORITY]) != s->pref ||
	    !tb[FRA_FWMARK] || mnl_attr_get_u32(tb[FRA_FWMARK]) != s->u->mark ||
	    !tb[FRA_FWMASK] || mnl_attr_get_u32(tb[FRA_FWMASK]) != s->u->mark_mask)
		return MNL_CB_OK;
	table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
	if (table == s->u->table && frh->action == FR_ACT_TO_TBL && !frh->src_len &&
	    !frh->dst_len)
		s->have = true;
	else if (tb[FRA_PROTOCOL] && mnl_attr_get_u8(tb[FRA_PROTOCOL]) == ROUTING_PROTO &&
		 s->nstale < STALE_MAX)
		s->stale[s->nstale++] = table;
	return MNL_CB_OK;
}

static struct nlmsghdr *rule_msg(void *buf, uint16_t type, uint16_t flags, int family,
				 const struct uplink *u, uint32_t table)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = family;
	if (type == RTM_GETRULE)
		return nlh;
	frh->action = FR_ACT_TO_TBL;
	frh->table = table < 256 ? table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, routing_pref(u));
	mnl_attr_put_u32(nlh, FRA_FWMARK, u->mark);
	mnl_attr_put_u32(nlh, FRA_FWMASK, u->mark_mask);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, ROUTING_PROTO);
	return nlh;
}

/* A kernel without IPv6 has no IPv6 rules or routes to keep. */
static bool no_family(int family, int err)
{
	return family == AF_INET6 && err == EAFNOSUPPORT;
}

static int rule_sync(struct route_nl *rt, const struct uplink *u, int family,
		     unsigned int bit, struct route_result *res)
{
	struct rule_scan s = { .u = u, .pref = routing_pref(u) };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ack a;
	unsigned int i;

	if (talk(rt, rule_msg(buf, RTM_GETRULE, NLM_F_DUMP, family, u, 0),
		 rule_scan_cb, &s, &a))
		return no_family(family, a.err) ? 0 : fail(res, &a, "rule", family, u);
	for (i = 0; i < s.nstale; i++)
		talk(rt, rule_msg(buf, RTM_DELRULE, NLM_F_ACK, family, u, s.stale[i]),
		     NULL, NULL, &a);
	if (s.have)
		return 0;
	if (talk(rt, rule_msg(buf, RTM_NEWRULE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
			      family, u, u->table), NULL, NULL, &a) && a.err != EEXIST)
		return fail(res, &a, "rule", family, u);
	if (!a.err)
		res->added |= bit;
	return 0;
}

static struct nlmsghdr *route_msg(void *buf, uint16_t type, uint16_t flags, int family,
				  uint32_t table)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_table = table < 256 ? table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = ROUTING_PROTO;
	rtm->rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
	rtm->rtm_type = type == RTM_DELROUTE ? RTN_UNSPEC : RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	return nlh;
}

static int route_add(struct route_nl *rt, const struct uplink *u, int family,
		     unsigned int bit, struct route_result *res)
{
	bool v4 = family == AF_INET;
	bool gw = u->present & (v4 ? UPLINK_F_GW4 : UPLINK_F_GW6);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct ack a;

	nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, family, u->table);
	rtm = mnl_nlmsg_get_payload(nlh);
	mnl_attr_put_u32(nlh, RTA_OIF, u->ifindex);
	if (gw) {
		rtm->rtm_flags |= RTNH_F_ONLINK;
		if (v4)
			mnl_attr_put(nlh, RTA_GATEWAY, sizeof(u->gw4), &u->gw4);
		else
			mnl_attr_put(nlh, RTA_GATEWAY, sizeof(u->gw6), &u->gw6);
	} else if (v4) {
		rtm->rtm_scope = RT_SCOPE_LINK;
	}
	if (!talk(rt, nlh, NULL, NULL, &a)) {
		res->added |= bit;
		return 0;
	}
	if (a.err == ENETDOWN || a.err == ENODEV || (!v4 && a.err == EACCES)) {
		res->missing |= bit;
		if (!res->missing_err)
			res->missing_err = a.err;
		return 0;
	}
	if (no_family(family, a.err) && !gw)
		return 0;
	return fail(res, &a, "default route", family, u);
}

static int route_del(struct route_nl *rt, const struct uplink *u, int family,
		     struct route_result *res)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ack a;

	if (!talk(rt, route_msg(buf, RTM_DELROUTE, 0, family, u->table), NULL, NULL, &a) ||
	    a.err == ESRCH || a.err == ENOENT || no_family(family, a.err))
		return 0;
	return fail(res, &a, "default route", family, u);
}

int routing_install(struct route_nl *rt, const struct uplink *u,
		    struct route_result *res)
{
	unsigned int flags = 0;
	bool ptp;
	struct ack a;

	memset(res, 0, sizeof(*res));
	if (rule_sync(rt, u, AF_INET, ROUTING_RULE4, res) ||
	    rule_sync(rt, u, AF_INET6, ROUTING_RULE6, res))
		return -1;
	if (!u->ifindex || link_flags(rt, u->ifindex, &flags, &a)) {
		res->missing = ROUTING_ROUTE4 | ((u->present & UPLINK_F_GW6) ? ROUTING_ROUTE6 : 0);
		res->missing_err = ENODEV;
		return 0;
	}
	/* Without a gateway, only a device with no link-layer neighbours can carry a default route. */
	ptp = flags & (IFF_POINTOPOINT | IFF_NOARP);
	if ((u->present & UPLINK_F_GW4) || ptp ?
	    route_add(rt, u, AF_INET, ROUTING_ROUTE4, res) : route_del(rt, u, AF_INET, res))
		return -1;
	if ((u->present & UPLINK_F_GW6) || ptp ?
	    route_add(rt, u, AF_INET6, ROUTING_ROUTE6, res) : route_del(rt, u, AF_INET6, res))
		return -1;
	return 0;
}

int routing_remove(struct route_nl *rt, const struct uplink *u, unsigned int what,
		   struct route_result *res)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ack a;
	int family;
	unsigned int bit;

	memset(res, 0, sizeof(*res));
	for (bit = ROUTING_RULE4; bit <= ROUTING_ROUTE6; bit <<= 1) {
		if (!(what & bit))
			continue;
		family = bit & (ROUTING_RULE4 | ROUTING_ROUTE4) ? AF_INET : AF_INET6;
		if (bit & (ROUTING_ROUTE4 | ROUTING_ROUTE6)) {
			if (route_del(rt, u, family, res))
				return -1;
			continue;
		}
		if (talk(rt, rule_msg(buf, RTM_DELRULE, NLM_F_ACK, family, u, u->table),
			 NULL, NULL, &a) && a.err != ENOENT && !no_family(family, a.err))
			return fail(res, &a, "rule", family, u);
	}
	return 0;
}
