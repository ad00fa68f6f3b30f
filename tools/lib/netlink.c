// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink requests over libmnl with extended acks: the kernel's
 * message and, from NLMSGERR_ATTR_OFFS, the name of the attribute of our
 * request that it refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include "../../uapi/linux/mwan.h"

#include "netlink.h"
#include "utils.h"

struct talk {
	const struct nlmsghdr *req;
	attr_name_t names;
	mnl_cb_t cb;
	void *data;
	bool intr;
	bool reported;
};

/* Which top-level attribute of the request covers byte offset off. */
static const char *attr_at(const struct nlmsghdr *req, uint32_t off,
			   attr_name_t names)
{
	const struct nlattr *attr;
	uint32_t pos;

	if (!names)
		return NULL;
	mnl_attr_for_each(attr, req, GENL_HDRLEN) {
		pos = (const char *)attr - (const char *)req;
		if (off >= pos && off < pos + attr->nla_len)
			return names(mnl_attr_get_type(attr));
	}
	return NULL;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > NLMSGERR_ATTR_MAX)
		return MNL_CB_OK;
	if (type == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	if ((type == NLMSGERR_ATTR_OFFS || type == NLMSGERR_ATTR_MISS_TYPE) &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * Prints the error (err < 0) or warning (err == 0, only if the kernel said
 * something) of an ack whose TLVs start at offset tlvs of its payload.
 */
static void report(const struct nlmsghdr *nlh, unsigned int tlvs, int err,
		   struct talk *t)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	const char *msg = NULL, *attr = NULL;
	char what[64] = "";

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_get_payload_len(nlh) > tlvs)
		mnl_attr_parse(nlh, tlvs, extack_attr_cb, tb);
	if (tb[NLMSGERR_ATTR_MSG])
		msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS])
		attr = attr_at(t->req, mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]), t->names);
	else if (tb[NLMSGERR_ATTR_MISS_TYPE] && t->names)
		attr = t->names(mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	if (attr)
		snprintf(what, sizeof(what), " (attribute %s)", attr);

	t->reported = true;
	if (!err) {
		if (msg && *msg)
			fprintf(stderr, "Warning: %s%s\n", msg, what);
		return;
	}
	if (!msg || !*msg)
		pr_err("%s%s", strerror(-err), what);
	else if (err == -EPERM || err == -EACCES)
		pr_err("%s: %s%s", strerror(-err), msg, what);
	else
		pr_err("%s%s", msg, what);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int tlvs = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		pr_err("truncated netlink error message");
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NETLINK_CAP_ACK the kernel echoes the whole request first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		tlvs += e->msg.nlmsg_len - sizeof(e->msg);
	report(nlh, tlvs, e->error, data);
	if (!e->error)
		return MNL_CB_STOP;
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	report(nlh, sizeof(err), err, data);
	errno = -err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = true;
	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* Whether the dump ends in these messages. */
static bool dump_ends(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

int mwan_nl_talk(struct mwan_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		 void *data, attr_name_t names)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_NOOP] = noop_cb,
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
		[NLMSG_OVERRUN] = noop_cb,
	};
	static char buf[MWAN_NL_RECV_SIZE];
	struct talk t = { .req = req, .names = names, .cb = cb, .data = data };
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		pr_err("cannot talk to the kernel: %s", strerror(errno));
		return -1;
	}
	do {
		len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (len < 0) {
			pr_err("cannot read the kernel's answer: %s", strerror(errno));
			return -1;
		}
		errno = 0;
		ret = mnl_cb_run2(buf, len, req->nlmsg_seq, nl->portid, data_cb,
				  &t, ctl, ARRAY_SIZE(ctl));
		/*
		 * libmnl stops with EINTR at the first message flagged
		 * NLM_F_DUMP_INTR: read the dump to its end so that nothing of
		 * it is left for the next request, and let the caller run it again.
		 */
		if (ret < 0 && errno == EINTR && (req->nlmsg_flags & NLM_F_DUMP)) {
			t.intr = true;
			ret = dump_ends(buf, len) ? MNL_CB_STOP : MNL_CB_OK;
		}
	} while (ret > MNL_CB_STOP);
	if (ret < 0) {
		if (!t.reported)
			pr_err("bad answer from the kernel: %s", strerror(errno));
		return -1;
	}
	return t.intr ? -EINTR : 0;
}

struct nlmsghdr *mwan_nl_msg(struct mwan_nl *nl, void *buf, uint8_t cmd,
			     uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = MWAN_GENL_VERSION;
	return nlh;
}

static int group_cb(const struct nlattr *grp, struct mwan_nl *nl)
{
	const struct nlattr *attr, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(attr, grp) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			name = attr;
		else if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			id = attr;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), MWAN_MCGRP_EVENTS))
		nl->events_group = mnl_attr_get_u32(id);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mwan_nl *nl = data;
	const struct nlattr *attr, *grp;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
				nl->family = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, attr)
				group_cb(grp, nl);
			break;
		}
	}
	return MNL_CB_OK;
}

static int resolve_family(struct mwan_nl *nl, bool quiet_absent)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	ssize_t len;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MWAN_GENL_NAME);

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		goto err;
	do {
		len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (len < 0)
			goto err;
		ret = mnl_cb_run(buf, len, nl->seq, nl->portid, family_cb, nl);
	} while (ret > MNL_CB_STOP);
	if (ret < 0 && errno == ENOENT) {
		if (quiet_absent)
			return -ENOENT;
		pr_err("the mwan kernel module is not loaded (try: modprobe mwan)");
		return -1;
	}
	if (ret < 0)
		goto err;
	if (!nl->family) {
		errno = EPROTO;
		goto err;
	}
	return 0;
err:
	pr_err("cannot resolve the generic netlink family \"%s\": %s",
	       MWAN_GENL_NAME, strerror(errno));
	return -1;
}

static int nl_open(struct mwan_nl *nl, bool quiet_absent)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		pr_err("cannot open a generic netlink socket: %s", strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		pr_err("cannot bind the netlink socket: %s", strerror(errno));
		goto err;
	}
	/* Both are best effort: old kernels simply give no extended ack. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	ret = resolve_family(nl, quiet_absent);
	if (ret)
		goto err_close;
	return 0;
err:
	ret = -1;
err_close:
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
	return ret;
}

int mwan_nl_open(struct mwan_nl *nl)
{
	return nl_open(nl, false);
}

int mwan_nl_try_open(struct mwan_nl *nl)
{
	return nl_open(nl, true);
}

void mwan_nl_close(struct mwan_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int mwan_nl_join_events(struct mwan_nl *nl)
{
	int group = nl->events_group;

	if (!group) {
		pr_err("the mwan module has no \"%s\" multicast group", MWAN_MCGRP_EVENTS);
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		pr_err("cannot join the \"%s\" group: %s", MWAN_MCGRP_EVENTS,
		       strerror(errno));
		return -1;
	}
	return 0;
}

int mwan_attr_get_str(const struct nlattr *attr, char *dst, size_t size)
{
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0 ||
	    strlen(mnl_attr_get_str(attr)) >= size)
		return -1;
	strcpy(dst, mnl_attr_get_str(attr));
	return 0;
}

#define FETCH_TRIES 10

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mwan_list *l = data;
	size_t size;
	void *v;

	if (l->n == l->size) {
		size = l->size * 2 + 8;
		v = realloc(l->v, size * l->elem_size);
		if (!v)
			return MNL_CB_ERROR;
		l->v = v;
		l->size = size;
	}
	if (l->from_msg(nlh, (char *)l->v + l->n * l->elem_size))
		return MNL_CB_ERROR;
	l->n++;
	return MNL_CB_OK;
}

int mwan_nl_fetch(struct mwan_nl *nl, mwan_req_t build, const void *req,
		  struct mwan_list *l, attr_name_t names, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int tries = 0, ret;

	do {
		l->n = 0;
		ret = mwan_nl_talk(nl, build(nl, buf, req), collect_cb, l, names);
	} while (ret == -EINTR && ++tries < FETCH_TRIES);
	if (ret == -EINTR)
		pr_err("the %s kept changing during %d dumps, try again", what, FETCH_TRIES);
	return ret ? -1 : 0;
}
