// SPDX-License-Identifier: GPL-2.0
/*
 * mwan-healthd and the kernel: two generic netlink sockets, one for
 * requests (the uplink dump, verdict writes) and one that listens to the
 * "events" group and to nlctrl's notifications (the family going away
 * when the module is unloaded).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>
#include <sys/epoll.h>

#include "healthd.h"
#include "log.h"
#include "uplink_nl.h"
#include "wg_nl.h"

static int set_from_msg(const struct nlmsghdr *nlh, void *obj)
{
	return wg_from_msg(nlh, obj);
}

static struct nlmsghdr *dump_req(struct mwan_nl *nl, void *buf, const void *req)
{
	return mwan_nl_msg(nl, buf, *(const uint8_t *)req, NLM_F_DUMP);
}

static int fetch(struct mwan_nl *nl, uint8_t cmd, struct mwan_list *l)
{
	memset(l, 0, sizeof(*l));
	if (cmd == MWAN_CMD_UPLINK_GET) {
		l->elem_size = sizeof(struct uplink);
		l->from_msg = (int (*)(const struct nlmsghdr *, void *))uplink_from_msg;
		return mwan_nl_fetch(nl, dump_req, &cmd, l, uplink_attr_name, "uplinks");
	}
	l->elem_size = sizeof(struct wg_set);
	l->from_msg = set_from_msg;
	return mwan_nl_fetch(nl, dump_req, &cmd, l, wg_attr_name, "WireGuard endpoint sets");
}

static int dump_wg(struct hd *hd)
{
	struct mwan_list l;
	unsigned int i;

	/* Not fatal: the uplinks are probed all the same. */
	if (fetch(&hd->req, MWAN_CMD_WG_GET, &l)) {
		log_msg(LOG_WARNING, "cannot read the WireGuard endpoint sets: not switching endpoints");
		free(l.v);
		return 0;
	}
	hd_wg_mark(hd);
	for (i = 0; i < l.n; i++)
		hd_wg_apply(hd, (struct wg_set *)l.v + i, true);
	hd_wg_sweep(hd);
	free(l.v);
	return 0;
}

int hd_dump(struct hd *hd)
{
	struct mwan_list l;
	uint64_t now = now_us();
	unsigned int i;

	if (fetch(&hd->req, MWAN_CMD_UPLINK_GET, &l)) {
		free(l.v);
		return -1;
	}
	for (i = 0; i < hd->n; i++)
		hd->up[i]->seen = false;
	for (i = 0; i < l.n; i++)
		hd_uplink_apply(hd, (struct uplink *)l.v + i, now);
	for (i = 0; i < hd->n; ) {
		if (hd->up[i]->seen)
			i++;
		else
			hd_uplink_del(hd, hd->up[i]->k.name);
	}
	free(l.v);
	hd->next_us = 0;
	return dump_wg(hd);
}

int hd_attach(struct hd *hd)
{
	int ret, group = GENL_ID_CTRL;	/* nlctrl's "notify" group has the family's id */
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	ret = mwan_nl_try_open(&hd->req);
	if (ret)
		return ret;
	if (mwan_nl_open(&hd->ev))
		goto err_req;
	if (mwan_nl_join_events(&hd->ev))
		goto err_ev;
	if (mnl_socket_setsockopt(hd->ev.sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		log_msg(LOG_WARNING, "cannot follow nlctrl notifications: %s; a module "
			"unload is noticed when a write fails", strerror(errno));
	if (epoll_ctl(hd->epfd, EPOLL_CTL_ADD, mnl_socket_get_fd(hd->ev.sock), &ev)) {
		log_msg(LOG_ERR, "epoll: %s", strerror(errno));
		goto err_ev;
	}
	hd->attached = true;
	if (hd_dump(hd)) {
		hd_detach(hd);
		return -1;
	}
	log_msg(LOG_INFO, "attached to the mwan module: %u uplinks, %u WireGuard endpoint sets",
		hd->n, hd->nwg);
	return 0;
err_ev:
	mwan_nl_close(&hd->ev);
err_req:
	mwan_nl_close(&hd->req);
	return -1;
}

void hd_detach(struct hd *hd)
{
	hd_uplink_clear(hd);
	hd_wg_clear(hd);
	mwan_nl_close(&hd->ev);
	mwan_nl_close(&hd->req);
	hd->attached = false;
	hd->reattach_us = now_us() + USEC_PER_SEC;
}

bool hd_family_gone(struct hd *hd)
{
	struct mwan_nl nl;
	bool gone;
	int ret;

	hd->check_family = false;
	ret = mwan_nl_try_open(&nl);
	if (ret)
		return ret == -ENOENT;
	/* Unloaded and loaded again: the family has a new id. */
	gone = nl.family != hd->req.family;
	mwan_nl_close(&nl);
	return gone;
}

struct ev_ctx {
	struct hd *hd;
	bool gone;
	bool wg_new;			/* the wireguard family appeared */
};

/* The nlctrl notification's command if it is about family name, else 0. */
static uint8_t ctrl_family(const struct nlmsghdr *nlh, const char *name)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (genl->cmd != CTRL_CMD_DELFAMILY && genl->cmd != CTRL_CMD_NEWFAMILY)
		return 0;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_NAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0 &&
		    !strcmp(mnl_attr_get_str(attr), name))
			return genl->cmd;
	return 0;
}

static void ctrl_event(const struct nlmsghdr *nlh, struct ev_ctx *c)
{
	if (ctrl_family(nlh, MWAN_GENL_NAME) == CTRL_CMD_DELFAMILY)
		c->gone = true;
	switch (ctrl_family(nlh, WG_GENL_NAME)) {
	case CTRL_CMD_NEWFAMILY:
		c->wg_new = true;
		/* fall through */
	case CTRL_CMD_DELFAMILY:
		wg_genl_forget(&c->hd->wg_genl);
		break;
	}
}

static void uplink_event(struct hd *hd, const struct nlmsghdr *nlh, uint8_t cmd)
{
	struct uplink u;

	if (uplink_from_msg(nlh, &u)) {
		log_msg(LOG_WARNING, "malformed uplink event skipped");
		return;
	}
	if (cmd == MWAN_CMD_UPLINK_DEL)
		hd_uplink_del(hd, u.name);
	else
		hd_uplink_apply(hd, &u, now_us());
}

static void wg_event(struct hd *hd, const struct nlmsghdr *nlh, uint8_t cmd)
{
	struct wg_set s;

	if (wg_from_msg(nlh, &s)) {
		log_msg(LOG_WARNING, "malformed WireGuard endpoint set event skipped");
		return;
	}
	if (cmd == MWAN_CMD_WG_DEL)
		hd_wg_del(hd, &s);
	else
		hd_wg_apply(hd, &s, false);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ev_ctx *c = data;
	struct hd *hd = c->hd;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		ctrl_event(nlh, c);
		return MNL_CB_OK;
	}
	if (nlh->nlmsg_type != hd->ev.family)
		return MNL_CB_OK;
	switch (genl->cmd) {
	case MWAN_CMD_UPLINK_NEW:
	case MWAN_CMD_UPLINK_SET:
	case MWAN_CMD_UPLINK_DEL:
		uplink_event(hd, nlh, genl->cmd);
		break;
	case MWAN_CMD_WG_NEW:
	case MWAN_CMD_WG_SET:
	case MWAN_CMD_WG_DEL:
		wg_event(hd, nlh, genl->cmd);
		break;
	}
	return MNL_CB_OK;
}

int hd_events(struct hd *hd)
{
	static char buf[MWAN_NL_RECV_SIZE];
	struct ev_ctx c = { .hd = hd };
	ssize_t len;

	for (;;) {
		len = recv(mnl_socket_get_fd(hd->ev.sock), buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (len < 0 && errno == ENOBUFS) {
			log_msg(LOG_WARNING, "events were lost (receive buffer overrun): "
				"reading the uplinks again");
			if (hd_dump(hd))
				return -1;
			continue;
		}
		if (len < 0) {
			log_msg(LOG_ERR, "cannot read events: %s", strerror(errno));
			return -1;
		}
		if (mnl_cb_run(buf, len, 0, 0, event_cb, &c) < 0)
			log_msg(LOG_WARNING, "bad event message: %s", strerror(errno));
		if (c.wg_new) {
			c.wg_new = false;
			hd_wg_retry(hd);
		}
		if (c.gone) {
			log_msg(LOG_WARNING, "the mwan module went away: waiting for it");
			return -1;
		}
	}
}

void hd_write(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	if (!hd_write_due(hd, u, now))
		return;
	nlh = mwan_nl_msg(&hd->req, buf, MWAN_CMD_UPLINK_SET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, u->k.name);
	mnl_attr_put_u8(nlh, MWAN_UPLINK_A_HEALTH, u->health);
	mnl_attr_put_u32(nlh, MWAN_UPLINK_A_RTT_US, u->rtt_us);
	mnl_attr_put_u8(nlh, MWAN_UPLINK_A_LOSS_PCT, u->loss_pct);
	if (mwan_nl_talk(&hd->req, nlh, NULL, NULL, uplink_attr_name)) {
		/* Deleted meanwhile (its event follows) or the module is gone. */
		u->retry_us = now + USEC_PER_SEC;
		hd->check_family = true;
		return;
	}
	hd_written(u, now);
}
