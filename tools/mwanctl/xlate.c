// SPDX-License-Identifier: GPL-2.0
/*
 * What "mwanctl npt" and "mwanctl nat" share: the commands (add, replace,
 * del, show) over one struct xlate. npt.c and nat.c hold each object's
 * usage and name its kind.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json_print.h"
#include "mwanctl.h"
#include "xlate_nl.h"

static const struct xlate_kind *cur;

static int from_msg(const struct nlmsghdr *nlh, void *x)
{
	return xlate_from_msg(cur, nlh, x);
}

static struct nlmsghdr *dump_req(struct mwan_nl *nl, void *buf, const void *req)
{
	(void)req;
	return mwan_nl_msg(nl, buf, cur->cmd_get, NLM_F_DUMP);
}

static attr_name_t names(const struct xlate_kind *k)
{
	return k == &xlate_npt ? npt_attr_name : nat_attr_name;
}

static int show(const struct xlate_kind *k)
{
	struct mwan_list l = { .elem_size = sizeof(struct xlate), .from_msg = from_msg };
	struct mwan_nl *nl;
	struct xlate *v;
	size_t i;
	int ret = 1;

	cur = k;
	nl = mwanctl_nl();
	if (!nl || mwan_nl_fetch(nl, dump_req, NULL, &l, names(k),
				 k == &xlate_npt ? "NPT mappings" : "NAT mappings"))
		goto out;
	v = l.v;
	json_print_init(stdout, json, pretty);
	open_json_array(NULL);
	for (i = 0; i < l.n; i++)
		xlate_print(&v[i], show_stats ? XLATE_PRINT_STATS : 0);
	close_json_array();
	if (json)
		print_nl();
	ret = 0;
out:
	free(l.v);
	return ret;
}

static int modify(const struct xlate_kind *k, uint8_t cmd, const struct xlate *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct mwan_nl *nl;

	nl = mwanctl_nl();
	if (!nl)
		return 1;
	nlh = mwan_nl_msg(nl, buf, cmd, NLM_F_ACK);
	xlate_put(nlh, req);
	return mwan_nl_talk(nl, nlh, NULL, NULL, names(k)) ? 1 : 0;
}

int xlate_main(const struct xlate_kind *k, void (*usage)(FILE *fp), int argc, char **argv)
{
	/* In matching order: "del" is delete, "re" replace, "s" show. */
	const struct {
		const char *name;
		enum xlate_cmd cmd;
		uint8_t nl_cmd;
	} cmds[] = {
		{ "add", XLATE_ADD, k->cmd_new },
		{ "show", XLATE_SHOW, k->cmd_get },
		{ "list", XLATE_SHOW, k->cmd_get },
		{ "replace", XLATE_ADD, k->cmd_set },
		{ "delete", XLATE_DEL, k->cmd_del },
	};
	struct xlate req;
	size_t i;

	if (argc < 1)
		return show(k);
	if (matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!matches(argv[0], cmds[i].name))
			continue;
		if (xlate_parse(k, cmds[i].cmd, argc - 1, argv + 1, &req)) {
			pr_err("%s", parse_error());
			return 1;
		}
		if (cmds[i].cmd == XLATE_SHOW)
			return show(k);
		return modify(k, cmds[i].nl_cmd, &req);
	}
	pr_err("unknown command \"%s\", try \"mwanctl %s help\"", argv[0], k->name);
	return 1;
}
