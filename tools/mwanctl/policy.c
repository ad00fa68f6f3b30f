// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl policy: add, replace, del and show policies. "replace" is one
 * MWAN_CMD_POLICY_SET: the kernel swaps the whole policy at once.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json_print.h"
#include "mwanctl.h"
#include "policy_nl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl policy add NAME member UPLINK [ weight W ] [ metric M ]\n"
		"               [ member UPLINK ... ] [ last-resort { unreachable | blackhole | default } ]\n"
		"       mwanctl policy replace NAME member UPLINK ... (as add, atomically)\n"
		"       mwanctl policy del NAME\n"
		"       mwanctl policy show [ NAME ]\n"
		"       mwanctl policy help\n"
		"where  W := 1-%u, M := 1-%u (default: the uplink's own, followed when it changes)\n"
		"       at most %u members, each uplink once; last-resort default: unreachable\n",
		MWAN_WEIGHT_MAX, MWAN_METRIC_MAX, MWAN_MEMBERS_MAX);
}

static int from_msg(const struct nlmsghdr *nlh, void *p)
{
	return policy_from_msg(nlh, p);
}

static struct nlmsghdr *get_req(struct mwan_nl *nl, void *buf, const void *req)
{
	const struct policy *p = req;
	struct nlmsghdr *nlh;

	if (!(p->present & POLICY_F_NAME))
		return mwan_nl_msg(nl, buf, MWAN_CMD_POLICY_GET, NLM_F_DUMP);
	nlh = mwan_nl_msg(nl, buf, MWAN_CMD_POLICY_GET, NLM_F_ACK);
	policy_put(nlh, p);
	return nlh;
}

static int show(const struct policy *req)
{
	struct mwan_list l = { .elem_size = sizeof(struct policy), .from_msg = from_msg };
	struct policy *v;
	struct mwan_nl *nl;
	size_t i;
	int ret = 1;

	nl = mwanctl_nl();
	if (!nl || mwan_nl_fetch(nl, get_req, req, &l, policy_attr_name, "policies"))
		goto out;
	v = l.v;
	json_print_init(stdout, json, pretty);
	open_json_array(NULL);
	for (i = 0; i < l.n; i++)
		policy_print(&v[i]);
	close_json_array();
	if (json)
		print_nl();
	ret = 0;
out:
	free(l.v);
	return ret;
}

static int modify(uint8_t cmd, const struct policy *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct mwan_nl *nl;

	nl = mwanctl_nl();
	if (!nl)
		return 1;
	nlh = mwan_nl_msg(nl, buf, cmd, NLM_F_ACK);
	policy_put(nlh, req);
	return mwan_nl_talk(nl, nlh, NULL, NULL, policy_attr_name) ? 1 : 0;
}

int policy_main(int argc, char **argv)
{
	/* In matching order, as for uplinks. */
	static const struct {
		const char *name;
		enum policy_cmd cmd;
		uint8_t nl_cmd;
	} cmds[] = {
		{ "add", POLICY_ADD, MWAN_CMD_POLICY_NEW },
		{ "show", POLICY_SHOW, MWAN_CMD_POLICY_GET },
		{ "list", POLICY_SHOW, MWAN_CMD_POLICY_GET },
		{ "replace", POLICY_REPLACE, MWAN_CMD_POLICY_SET },
		{ "delete", POLICY_DEL, MWAN_CMD_POLICY_DEL },
	};
	struct policy req;
	size_t i;

	if (argc < 1)
		return show(&(struct policy){});
	if (matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!matches(argv[0], cmds[i].name))
			continue;
		if (policy_parse(cmds[i].cmd, argc - 1, argv + 1, &req)) {
			pr_err("%s", parse_error());
			return 1;
		}
		if (cmds[i].cmd == POLICY_SHOW)
			return show(&req);
		return modify(cmds[i].nl_cmd, &req);
	}
	pr_err("unknown command \"%s\", try \"mwanctl policy help\"", argv[0]);
	return 1;
}
