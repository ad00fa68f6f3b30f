// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl wg: WireGuard endpoint sets, an ordered list of endpoints per
 * peer of a WireGuard device, each optionally bound to an uplink.
 *
 * Before "add" and "replace", mwanctl asks WireGuard itself whether the
 * device has the peer, and refuses a peer it does not have ("Error: device
 * wg0 has no peer KEY"): sets are not kept waiting for peers that may never
 * come. When WireGuard cannot answer (the module is not loaded, there is no
 * such device, it is not a WireGuard device), the request goes to the
 * kernel, which refuses it with its own message for these cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"
#include "mwanctl.h"
#include "wg_nl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl wg { add | replace } dev WGDEV peer PUBKEY\n"
		"               endpoint ENDPOINT [ via UPLINK ] [ endpoint ENDPOINT [ via UPLINK ] ... ]\n"
		"       mwanctl wg del dev WGDEV peer PUBKEY\n"
		"       mwanctl wg show [ dev WGDEV ]\n"
		"       mwanctl wg help\n"
		"where  PUBKEY := the peer's public key in base64 (44 characters), a peer of WGDEV\n"
		"       ENDPOINT := ADDR:PORT | [ADDR6]:PORT, PORT := 1-65535\n"
		"       at most %u endpoints, in order of preference: the active endpoint is\n"
		"       the first whose uplink is up (without via: the first with a route)\n"
		"       replace sets the endpoint list of a set, atomically\n",
		MWAN_WG_ENDPOINTS_MAX);
}

static int from_msg(const struct nlmsghdr *nlh, void *w)
{
	return wg_from_msg(nlh, w);
}

static struct nlmsghdr *dump_req(struct mwan_nl *nl, void *buf, const void *req)
{
	(void)req;
	return mwan_nl_msg(nl, buf, MWAN_CMD_WG_GET, NLM_F_DUMP);
}

static int show(const struct wg_set *filter)
{
	struct mwan_list l = { .elem_size = sizeof(struct wg_set), .from_msg = from_msg };
	struct mwan_nl *nl;
	struct wg_set *v;
	size_t i;
	int ret = 1;

	nl = mwanctl_nl();
	if (!nl || mwan_nl_fetch(nl, dump_req, NULL, &l, wg_attr_name,
				 "WireGuard endpoint sets"))
		goto out;
	v = l.v;
	json_print_init(stdout, json, pretty);
	open_json_array(NULL);
	for (i = 0; i < l.n; i++)
		if (!(filter->present & WG_F_DEV) || !strcmp(v[i].dev, filter->dev))
			wg_print(&v[i], show_stats ? WG_PRINT_STATS : 0);
	close_json_array();
	if (json)
		print_nl();
	ret = 0;
out:
	free(l.v);
	return ret;
}

static int check_peer(const struct wg_set *req)
{
	char key[WG_KEY_B64_LEN + 1];

	if (wg_dev_has_peer(req->dev, req->peer) != WG_PEER_ABSENT)
		return 0;
	wg_key_to_base64(key, req->peer);
	pr_err("device %s has no peer %s", req->dev, key);
	return -1;
}

static int modify(uint8_t cmd, const struct wg_set *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct mwan_nl *nl;

	if (cmd != MWAN_CMD_WG_DEL && check_peer(req))
		return 1;
	nl = mwanctl_nl();
	if (!nl)
		return 1;
	nlh = mwan_nl_msg(nl, buf, cmd, NLM_F_ACK);
	wg_put(nlh, req);
	return mwan_nl_talk(nl, nlh, NULL, NULL, wg_attr_name) ? 1 : 0;
}

int wg_main(int argc, char **argv)
{
	/* In matching order: "del" is delete, "re" replace, "s" show. */
	static const struct {
		const char *name;
		enum wgset_cmd cmd;
		uint8_t nl_cmd;
	} cmds[] = {
		{ "add", WG_ADD, MWAN_CMD_WG_NEW },
		{ "show", WG_SHOW, MWAN_CMD_WG_GET },
		{ "list", WG_SHOW, MWAN_CMD_WG_GET },
		{ "replace", WG_ADD, MWAN_CMD_WG_SET },
		{ "delete", WG_DEL, MWAN_CMD_WG_DEL },
	};
	struct wg_set req = { 0 };
	size_t i;

	if (argc < 1)
		return show(&req);
	if (matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!matches(argv[0], cmds[i].name))
			continue;
		if (wg_parse(cmds[i].cmd, argc - 1, argv + 1, &req)) {
			pr_err("%s", parse_error());
			return 1;
		}
		if (cmds[i].cmd == WG_SHOW)
			return show(&req);
		return modify(cmds[i].nl_cmd, &req);
	}
	pr_err("unknown command \"%s\", try \"mwanctl wg help\"", argv[0]);
	return 1;
}
