// SPDX-License-Identifier: GPL-2.0
/* WireGuard's generic netlink family, for mwan-healthd: see wg.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>

#include "wg_genl.h"

/* WireGuard packs a dump part into at most a page or so; room for several. */
#define WG_RECV_SIZE	32768
/* A dump interrupted by a change to the device is run again, this often. */
#define WG_DUMP_TRIES	5

int wg_genl_open(struct wg_genl *w)
{
	memset(w, 0, sizeof(*w));
	w->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!w->sock)
		return -errno;
	if (mnl_socket_bind(w->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		wg_genl_close(w);
		return err;
	}
	w->portid = mnl_socket_get_portid(w->sock);
	w->seq = time(NULL);
	return 0;
}

void wg_genl_close(struct wg_genl *w)
{
	if (w->sock)
		mnl_socket_close(w->sock);
	w->sock = NULL;
	w->family = 0;
}

void wg_genl_forget(struct wg_genl *w)
{
	w->family = 0;
}

/* Whether these messages hold the end of a dump or an ack. */
static bool ends(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

/* Sends nlh and runs cb on the answers to the ack or the dump's end; 0 or -errno. */
static int talk(struct wg_genl *w, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static char buf[WG_RECV_SIZE];
	bool intr = false;
	ssize_t len;
	int ret;

	nlh->nlmsg_seq = ++w->seq;
	if (mnl_socket_sendto(w->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(w->sock, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run(buf, len, nlh->nlmsg_seq, w->portid, cb, data);
		/* Read an interrupted dump to its end: the next request starts clean. */
		if (ret < 0 && errno == EINTR) {
			intr = true;
			ret = ends(buf, len) ? MNL_CB_STOP : MNL_CB_OK;
		}
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? -errno : -EPROTO;
	return intr ? -EINTR : 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;
	uint16_t *id = data;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			*id = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static struct nlmsghdr *msg(void *buf, uint16_t type, uint8_t cmd, uint8_t version,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static int resolve(struct wg_genl *w)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	int ret;

	if (w->family)
		return 0;
	if (!w->sock && (ret = wg_genl_open(w)))
		return ret;
	nlh = msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	ret = talk(w, nlh, family_cb, &id);
	if (ret == -ENOENT)
		return WG_ENOFAMILY;
	if (ret)
		return ret;
	if (!id)
		return -EPROTO;
	w->family = id;
	return 0;
}

/*
 * Builds a request with build(), runs it, and once more after resolving the
 * family again if the id it used is gone (the module was reloaded).
 */
static int request(struct wg_genl *w, void *buf,
		   struct nlmsghdr *(*build)(struct wg_genl *w, void *buf, const void *arg),
		   const void *arg, mnl_cb_t cb, void *data)
{
	int ret, tries;

	for (tries = 0; tries < 2; tries++) {
		ret = resolve(w);
		if (ret)
			return ret;
		ret = talk(w, build(w, buf, arg), cb, data);
		if (ret != -ENOENT || tries)
			return ret;
		wg_genl_forget(w);
	}
	return ret;
}

struct get_ctx {
	const char *ifname;
	uint32_t ifindex;
	void (*cb)(const struct wg_peer *p, void *data);
	void *data;
	int err;
};

static struct nlmsghdr *get_build(struct wg_genl *w, void *buf, const void *arg)
{
	const struct get_ctx *c = arg;
	struct nlmsghdr *nlh;

	nlh = msg(buf, w->family, WG_CMD_GET_DEVICE, WG_GENL_VERSION, NLM_F_DUMP);
	if (c->ifindex)
		mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, c->ifindex);
	else
		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, c->ifname);
	return nlh;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *c = data;

	if (wg_dev_peers(nlh, c->cb, c->data)) {
		c->err = -EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int wg_get_peers(struct wg_genl *w, const char *ifname, uint32_t ifindex,
		 void (*cb)(const struct wg_peer *p, void *data), void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct get_ctx c = { .ifname = ifname, .ifindex = ifindex, .cb = cb, .data = data };
	int ret, tries;

	/* A peer added or removed meanwhile interrupts the dump: the callbacks run again. */
	for (tries = 0; tries < WG_DUMP_TRIES; tries++) {
		c.err = 0;
		ret = request(w, buf, get_build, &c, get_cb, &c);
		if (ret != -EINTR)
			break;
	}
	return c.err ? c.err : ret;
}

struct set_arg {
	const char *ifname;
	const uint8_t *key;
	const struct wg_endpoint *ep;
};

static struct nlmsghdr *set_build(struct wg_genl *w, void *buf, const void *arg)
{
	const struct set_arg *a = arg;
	struct nlmsghdr *nlh;

	nlh = msg(buf, w->family, WG_CMD_SET_DEVICE, WG_GENL_VERSION, NLM_F_ACK);
	wg_put_endpoint(nlh, a->ifname, a->key, a->ep);
	return nlh;
}

int wg_set_endpoint(struct wg_genl *w, const char *ifname, const uint8_t *key,
		    const struct wg_endpoint *ep)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct set_arg a = { .ifname = ifname, .key = key, .ep = ep };

	return request(w, buf, set_build, &a, NULL, NULL);
}

static void newest_cb(const struct wg_peer *p, void *data)
{
	uint64_t *ms = data;

	if (p->handshake_ms > *ms)
		*ms = p->handshake_ms;
}

int wg_newest_handshake(struct wg_genl *w, const char *ifname, uint32_t ifindex,
			uint64_t *ms)
{
	*ms = 0;
	return wg_get_peers(w, ifname, ifindex, newest_cb, ms);
}

const char *wg_strerror(int err)
{
	switch (err) {
	case WG_ENOFAMILY:
		return "the wireguard module is not loaded";
	case -ENODEV:
		return "no such device";
	case -EOPNOTSUPP:
		return "not a WireGuard device";
	case -EPROTO:
		return "malformed answer from WireGuard";
	}
	return strerror(-err);
}
