// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl uplink: add, set, del and show uplinks. The command line is parsed
 * completely (uplink_parse()) before anything is sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"
#include "mwanctl.h"
#include "uplink_nl.h"

#define DUMP_RETRIES 5

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl uplink add NAME dev IFNAME [ via ADDR ] [ via ADDR6 ] [ table ID ]\n"
		"               [ weight W ] [ metric M ] [ track ADDR[,ADDR...] ] [ interval MS ]\n"
		"               [ timeout MS ] [ down N ] [ up N ] [ reliability N ]\n"
		"       mwanctl uplink set NAME [ state { auto | up | down } ] [ any option of add ]\n"
		"       mwanctl uplink del NAME\n"
		"       mwanctl uplink show [ NAME ]\n"
		"       mwanctl uplink help\n"
		"where  W := 1-%u (default 1), M := 1-%u (default 1, lower is preferred)\n"
		"       ID := 1-4294967295 except 253-255 (default 1000 + mark index)\n"
		"       MS := %u-%u (interval default 100, timeout default 250)\n"
		"       down N, up N := %u-%u (default 5 and 10), reliability N := 1-%u (default 1)\n"
		"       at most %u track addresses (default: the gateway)\n",
		MWAN_WEIGHT_MAX, MWAN_METRIC_MAX, UPLINK_INTERVAL_MIN, UPLINK_INTERVAL_MAX,
		UPLINK_COUNT_MIN, UPLINK_COUNT_MAX, MWAN_TRACK_MAX, MWAN_TRACK_MAX);
}

struct uplink_list {
	struct uplink *v;
	size_t n, size;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct uplink_list *l = data;
	struct uplink *v;

	if (l->n == l->size) {
		v = realloc(l->v, (l->size * 2 + 8) * sizeof(*v));
		if (!v)
			return MNL_CB_ERROR;
		l->v = v;
		l->size = l->size * 2 + 8;
	}
	if (uplink_from_msg(nlh, &l->v[l->n]))
		return MNL_CB_ERROR;
	l->n++;
	return MNL_CB_OK;
}

/* All uplinks (or the one named), from a dump that no change interrupted. */
static int fetch(struct mwan_nl *nl, const struct uplink *req, struct uplink_list *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int tries = 0, ret;

	do {
		l->n = 0;
		if (req->present & UPLINK_F_NAME) {
			nlh = mwan_nl_msg(nl, buf, MWAN_CMD_UPLINK_GET, NLM_F_ACK);
			uplink_put(nlh, req);
		} else {
			nlh = mwan_nl_msg(nl, buf, MWAN_CMD_UPLINK_GET, NLM_F_DUMP);
		}
		ret = mwan_nl_talk(nl, nlh, collect_cb, l, uplink_attr_name);
	} while (ret == -EINTR && ++tries < DUMP_RETRIES);
	if (ret == -EINTR)
		pr_err("the uplinks kept changing during %d dumps, try again", DUMP_RETRIES);
	return ret ? -1 : 0;
}

static int show(const struct uplink *req)
{
	struct uplink_list l = {};
	struct mwan_nl *nl;
	size_t i;
	int ret = 1;

	nl = mwanctl_nl();
	if (!nl || fetch(nl, req, &l))
		goto out;
	json_print_init(stdout, json, pretty);
	open_json_array(NULL);
	for (i = 0; i < l.n; i++)
		uplink_print(&l.v[i], show_stats ? UPLINK_PRINT_STATS : 0);
	close_json_array();
	if (json)
		print_nl();
	ret = 0;
out:
	free(l.v);
	return ret;
}

static int modify(uint8_t cmd, const struct uplink *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct mwan_nl *nl;

	nl = mwanctl_nl();
	if (!nl)
		return 1;
	nlh = mwan_nl_msg(nl, buf, cmd, NLM_F_ACK);
	uplink_put(nlh, req);
	return mwan_nl_talk(nl, nlh, NULL, NULL, uplink_attr_name) ? 1 : 0;
}

int uplink_main(int argc, char **argv)
{
	/* In matching order: "s" is show, as in "mwanctl u s". */
	static const struct {
		const char *name;
		enum uplink_cmd cmd;
		uint8_t nl_cmd;
	} cmds[] = {
		{ "add", UPLINK_ADD, MWAN_CMD_UPLINK_NEW },
		{ "show", UPLINK_SHOW, MWAN_CMD_UPLINK_GET },
		{ "list", UPLINK_SHOW, MWAN_CMD_UPLINK_GET },
		{ "set", UPLINK_SET, MWAN_CMD_UPLINK_SET },
		{ "delete", UPLINK_DEL, MWAN_CMD_UPLINK_DEL },
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
		return modify(cmds[i].nl_cmd, &req);
	}
	pr_err("unknown command \"%s\", try \"mwanctl uplink help\"", argv[0]);
	return 1;
}
