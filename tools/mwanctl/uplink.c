// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl uplink: add, set, del and show uplinks, and keep each uplink's
 * policy routing (route.h) in step with it. The command line is parsed
 * completely (uplink_parse()) before anything is sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"
#include "mwanctl.h"
#include "uplink_nl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl uplink add NAME dev IFNAME [ via ADDR ] [ via ADDR6 ] [ table ID ]\n"
		"               [ weight W ] [ metric M ] [ track ADDR[,ADDR...] ] [ interval MS ]\n"
		"               [ timeout MS ] [ down N ] [ up N ] [ reliability N ]\n"
		"               [ rtt-max MS ] [ loss-max PCT ] [ track handshake [ SECONDS ] ]\n"
		"       mwanctl uplink set NAME [ state { auto | up | down } ] [ any option of add ]\n"
		"               (without options: install the uplink's routing again)\n"
		"       mwanctl uplink del NAME\n"
		"       mwanctl uplink show [ NAME ]\n"
		"       mwanctl uplink help\n"
		"where  W := 1-%u (default 1), M := 1-%u (default 1, lower is preferred)\n"
		"       ID := 1-4294967295 except 253-255 (default 1000 + mark index)\n"
		"       MS := %u-%u (interval default 100, timeout default 250)\n"
		"       down N, up N := %u-%u (default 5 and 10), reliability N := 1-%u (default 1)\n"
		"       at most %u track addresses (default: the gateway)\n"
		"       rtt-max MS := 0-%u, loss-max PCT := 0-100: over it the uplink is\n"
		"       degraded, used only while no member is healthy (default 0: no limit)\n"
		"       track handshake: WireGuard devices only, healthy while the latest\n"
		"       handshake is younger than SECONDS := 0-%u (default %u; 0: off)\n",
		MWAN_WEIGHT_MAX, MWAN_METRIC_MAX, UPLINK_INTERVAL_MIN, UPLINK_INTERVAL_MAX,
		UPLINK_COUNT_MIN, UPLINK_COUNT_MAX, MWAN_TRACK_MAX, MWAN_TRACK_MAX,
		UPLINK_RTT_MAX_MAX, MWAN_HANDSHAKE_MAX, UPLINK_HANDSHAKE_DEFAULT);
}

static int from_msg(const struct nlmsghdr *nlh, void *u)
{
	return uplink_from_msg(nlh, u);
}

static struct nlmsghdr *get_req(struct mwan_nl *nl, void *buf, const void *req)
{
	const struct uplink *u = req;
	struct nlmsghdr *nlh;

	if (!(u->present & UPLINK_F_NAME))
		return mwan_nl_msg(nl, buf, MWAN_CMD_UPLINK_GET, NLM_F_DUMP);
	nlh = mwan_nl_msg(nl, buf, MWAN_CMD_UPLINK_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, u->name);
	return nlh;
}

/* All uplinks, or the one req names. */
static int fetch(struct mwan_nl *nl, const struct uplink *req, struct mwan_list *l)
{
	l->elem_size = sizeof(struct uplink);
	l->from_msg = from_msg;
	return mwan_nl_fetch(nl, get_req, req, l, uplink_attr_name, "uplinks");
}

/* The uplink named in req, as the kernel has it now. */
static int fetch_one(struct mwan_nl *nl, const struct uplink *req, struct uplink *u)
{
	struct mwan_list l = {};
	int ret = -1;

	if (fetch(nl, req, &l))
		goto out;
	if (l.n == 1) {
		*u = *(struct uplink *)l.v;
		ret = 0;
	} else {
		pr_err("the kernel did not return uplink %s", req->name);
	}
out:
	free(l.v);
	return ret;
}

static int show(const struct uplink *req)
{
	struct mwan_list l = {};
	struct mwan_nl *nl;
	struct uplink *v;
	size_t i;
	int ret = 1;

	nl = mwanctl_nl();
	if (!nl || fetch(nl, req, &l))
		goto out;
	v = l.v;
	json_print_init(stdout, json, pretty);
	open_json_array(NULL);
	for (i = 0; i < l.n; i++)
		uplink_print(&v[i], show_stats ? UPLINK_PRINT_STATS : 0);
	close_json_array();
	if (json)
		print_nl();
	ret = 0;
out:
	free(l.v);
	return ret;
}

static int send_cmd(struct mwan_nl *nl, uint8_t cmd, const struct uplink *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = mwan_nl_msg(nl, buf, cmd, NLM_F_ACK);
	uplink_put(nlh, req);
	return mwan_nl_talk(nl, nlh, NULL, NULL, uplink_attr_name);
}

/* One line for the default routes the device's state keeps out for now. */
static void warn_missing(const struct uplink *u, const struct route_result *res)
{
	const char *routes, *why;

	if (!res->missing)
		return;
	if (res->missing == (ROUTING_ROUTE4 | ROUTING_ROUTE6))
		routes = "IPv4 and IPv6 default routes";
	else if (res->missing == ROUTING_ROUTE4)
		routes = "IPv4 default route";
	else
		routes = "IPv6 default route";
	why = res->missing_err == ENETDOWN ? "is down" :
	      res->missing_err == ENODEV ? "does not exist" : "has IPv6 disabled";
	fprintf(stderr, "Warning: device %s %s: uplink %s has no %s in table %u until "
		"\"mwanctl uplink set %s\" or mwan-healthd installs %s\n",
		u->dev, why, u->name, routes, u->table, u->name,
		res->missing == (ROUTING_ROUTE4 | ROUTING_ROUTE6) ? "them" : "it");
}

static struct uplink name_only(const char *name)
{
	struct uplink u = { .present = UPLINK_F_NAME };

	snprintf(u.name, sizeof(u.name), "%s", name);
	return u;
}

/*
 * Adds the uplink, reads back the mark and table the kernel gave it and
 * installs its routing. If that fails, the uplink goes again, so that a
 * failed add leaves nothing behind.
 */
static int add(struct mwan_nl *nl, struct route_nl *rt, const struct uplink *req)
{
	struct uplink u, key = name_only(req->name);
	struct route_result res, undo;

	if (send_cmd(nl, MWAN_CMD_UPLINK_NEW, req))
		return 1;
	if (fetch_one(nl, &key, &u))
		goto err;
	if (routing_install(rt, &u, &res)) {
		routing_remove(rt, &u, res.added, &undo);
		pr_err("uplink %s not added: %s", u.name, res.msg);
		goto err;
	}
	warn_missing(&u, &res);
	return 0;
err:
	send_cmd(nl, MWAN_CMD_UPLINK_DEL, &key);
	return 1;
}

/* The routing of the uplink differs in where it sends packets. */
static bool moved(const struct uplink *a, const struct uplink *b)
{
	return a->table != b->table || a->mark != b->mark || a->mark_mask != b->mark_mask;
}

/*
 * Changes the uplink and brings its routing along: rules and routes of an
 * old table or mark go, the new ones come. If the routing cannot follow,
 * the settings given go back to their old values, and the old routing
 * with them. Without settings, only the routing is installed again.
 */
static int set(struct mwan_nl *nl, struct route_nl *rt, const struct uplink *req)
{
	struct uplink old, new, key = name_only(req->name);
	struct route_result res, undo;

	if (fetch_one(nl, &key, &old))
		return 1;
	if (req->present & ~UPLINK_F_NAME) {
		if (send_cmd(nl, MWAN_CMD_UPLINK_SET, req) || fetch_one(nl, &key, &new))
			return 1;
	} else {
		new = old;
	}
	if (moved(&old, &new) && routing_remove(rt, &old, ROUTING_ALL, &res))
		goto err;
	if (!routing_install(rt, &new, &res)) {
		warn_missing(&new, &res);
		return 0;
	}
	routing_remove(rt, &new, res.added, &undo);
err:
	pr_err("uplink %s not changed: %s", req->name, res.msg);
	if (req->present & ~UPLINK_F_NAME) {
		old.present &= req->present;
		send_cmd(nl, MWAN_CMD_UPLINK_SET, &old);
	}
	routing_install(rt, &old, &undo);
	return 1;
}

/* Deletes the uplink first: its routing goes only once the kernel agreed. */
static int del(struct mwan_nl *nl, struct route_nl *rt, const struct uplink *req)
{
	struct route_result res;
	struct uplink u;

	if (fetch_one(nl, req, &u) || send_cmd(nl, MWAN_CMD_UPLINK_DEL, req))
		return 1;
	if (routing_remove(rt, &u, ROUTING_ALL, &res)) {
		pr_err("uplink %s deleted, but its routing is left: %s", u.name, res.msg);
		return 1;
	}
	return 0;
}

static int modify(enum uplink_cmd cmd, const struct uplink *req)
{
	struct mwan_nl *nl;
	struct route_nl *rt;

	nl = mwanctl_nl();
	if (!nl)
		return 1;
	rt = mwanctl_rt();
	if (!rt)
		return 1;
	if (cmd == UPLINK_ADD)
		return add(nl, rt, req);
	if (cmd == UPLINK_SET)
		return set(nl, rt, req);
	return del(nl, rt, req);
}

int uplink_main(int argc, char **argv)
{
	/* In matching order: "s" is show, as in "mwanctl u s". */
	static const struct {
		const char *name;
		enum uplink_cmd cmd;
	} cmds[] = {
		{ "add", UPLINK_ADD },
		{ "show", UPLINK_SHOW },
		{ "list", UPLINK_SHOW },
		{ "set", UPLINK_SET },
		{ "delete", UPLINK_DEL },
	};
	struct uplink req;
	size_t i;

	if (argc < 1)
		return show(&(struct uplink){});
	if (matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!matches(argv[0], cmds[i].name))
			continue;
		if (uplink_parse(cmds[i].cmd, argc - 1, argv + 1, &req)) {
			pr_err("%s", parse_error());
			return 1;
		}
		if (cmds[i].cmd == UPLINK_SHOW)
			return show(&req);
		return modify(cmds[i].cmd, &req);
	}
	pr_err("unknown command \"%s\", try \"mwanctl uplink help\"", argv[0]);
	return 1;
}
