// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl rule: add, del and show classification rules, listed by
 * preference as "ip rule" lists its own.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json_print.h"
#include "mwanctl.h"
#include "rule_nl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl rule add [ pref N ] [ family { inet | inet6 } ] [ from PREFIX ]\n"
		"               [ to PREFIX ] [ proto { tcp | udp | icmp | icmpv6 | NUM } ]\n"
		"               [ sport PORT[-PORT] ] [ dport PORT[-PORT] ] [ iif IFNAME ]\n"
		"               [ sticky SECONDS ] policy NAME\n"
		"       mwanctl rule del pref N\n"
		"       mwanctl rule show\n"
		"       mwanctl rule help\n"
		"where  N := 1-4294967295 (default: after the last rule), NUM := 1-255\n"
		"       PREFIX := ADDR[/LEN] without host bits, PORT := 0-65535\n"
		"       ports need proto tcp, udp, 33 (dccp), 132 (sctp) or 136 (udplite)\n"
		"       SECONDS := 1-%u\n",
		MWAN_STICKY_MAX);
}

static int from_msg(const struct nlmsghdr *nlh, void *r)
{
	return rule_from_msg(nlh, r);
}

static struct nlmsghdr *dump_req(struct mwan_nl *nl, void *buf, const void *req)
{
	(void)req;
	return mwan_nl_msg(nl, buf, MWAN_CMD_RULE_GET, NLM_F_DUMP);
}

static int show(void)
{
	struct mwan_list l = { .elem_size = sizeof(struct rule), .from_msg = from_msg };
	struct mwan_nl *nl;
	struct rule *v;
	size_t i;
	int ret = 1;

	nl = mwanctl_nl();
	if (!nl || mwan_nl_fetch(nl, dump_req, NULL, &l, rule_attr_name, "rules"))
		goto out;
	v = l.v;
	json_print_init(stdout, json, pretty);
	open_json_array(NULL);
	for (i = 0; i < l.n; i++)
		rule_print(&v[i], show_stats ? RULE_PRINT_STATS : 0);
	close_json_array();
	if (json)
		print_nl();
	ret = 0;
out:
	free(l.v);
	return ret;
}

static int modify(uint8_t cmd, const struct rule *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct mwan_nl *nl;

	nl = mwanctl_nl();
	if (!nl)
		return 1;
	nlh = mwan_nl_msg(nl, buf, cmd, NLM_F_ACK);
	rule_put(nlh, req);
	return mwan_nl_talk(nl, nlh, NULL, NULL, rule_attr_name) ? 1 : 0;
}

int rule_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		enum rule_cmd cmd;
		uint8_t nl_cmd;
	} cmds[] = {
		{ "add", RULE_ADD, MWAN_CMD_RULE_NEW },
		{ "show", RULE_SHOW, MWAN_CMD_RULE_GET },
		{ "list", RULE_SHOW, MWAN_CMD_RULE_GET },
		{ "delete", RULE_DEL, MWAN_CMD_RULE_DEL },
	};
	struct rule req;
	size_t i;

	if (argc < 1)
		return show();
	if (matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!matches(argv[0], cmds[i].name))
			continue;
		if (rule_parse(cmds[i].cmd, argc - 1, argv + 1, &req)) {
			pr_err("%s", parse_error());
			return 1;
		}
		if (cmds[i].cmd == RULE_SHOW)
			return show();
		return modify(cmds[i].nl_cmd, &req);
	}
	pr_err("unknown command \"%s\", try \"mwanctl rule help\"", argv[0]);
	return 1;
}
