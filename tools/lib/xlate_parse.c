// SPDX-License-Identifier: GPL-2.0
/*
 * "npt|nat add|replace|del|show" command lines into struct xlate. Each
 * prefix is checked alone (family, length, host bits) and then the pair
 * (equal lengths), so the error quotes the token that is wrong.
 */
#include <string.h>
#include <sys/socket.h>

#include "xlate.h"

const struct xlate_kind xlate_npt = {
	.name = "npt", .family = AF_INET6, .max_len = 64, .len_required = true,
	.cmd_get = MWAN_CMD_NPT_GET, .cmd_new = MWAN_CMD_NPT_NEW,
	.cmd_set = MWAN_CMD_NPT_SET, .cmd_del = MWAN_CMD_NPT_DEL,
};

const struct xlate_kind xlate_nat = {
	.name = "nat", .family = AF_INET, .max_len = 32, .len_required = false,
	.cmd_get = MWAN_CMD_NAT_GET, .cmd_new = MWAN_CMD_NAT_NEW,
	.cmd_set = MWAN_CMD_NAT_SET, .cmd_del = MWAN_CMD_NAT_DEL,
};

static int parse_prefix(const struct xlate_kind *k, const char *key, const char *arg,
			struct inet_prefix *p)
{
	const char *what = k->family == AF_INET6 ? "an IPv6 prefix" : "an IPv4 address or prefix";

	if (k->len_required && !strchr(arg, '/'))
		return parse_fail("argument \"%s\" is wrong: %s must be %s, ADDR/LEN",
				  arg, key, what);
	if (get_prefix(p, arg, key))
		return -1;
	if (p->addr.family != k->family)
		return parse_fail("argument \"%s\" is wrong: %s must be %s for %s",
				  arg, key, what, k->name);
	if (!p->len || p->len > k->max_len)
		return parse_fail("argument \"%s\" is wrong: %s prefix length must be 1-%u",
				  arg, k->name, k->max_len);
	return 0;
}

int xlate_parse(const struct xlate_kind *k, enum xlate_cmd cmd, int argc,
		char **argv, struct xlate *x)
{
	const char *outside_arg = NULL;
	uint32_t flag;

	memset(x, 0, sizeof(*x));
	if (cmd == XLATE_SHOW)
		return argc > 0 ? unknownkw(*argv) : 0;
	for (; argc > 0; argc--, argv++) {
		const char *key = *argv;

		if (!strcmp(key, "uplink"))
			flag = XLATE_F_UPLINK;
		else if (!strcmp(key, "inside"))
			flag = XLATE_F_INSIDE;
		else if (!strcmp(key, "outside") && cmd == XLATE_ADD)
			flag = XLATE_F_OUTSIDE;
		else
			return unknownkw(key);
		NEXT_ARG();
		if (x->present & flag)
			return duparg(key, *argv);
		if (flag == XLATE_F_UPLINK) {
			if (get_ifname(x->uplink, sizeof(x->uplink), *argv, "uplink name"))
				return -1;
		} else if (flag == XLATE_F_INSIDE) {
			if (parse_prefix(k, key, *argv, &x->inside))
				return -1;
		} else {
			if (parse_prefix(k, key, *argv, &x->outside))
				return -1;
			outside_arg = *argv;
		}
		x->present |= flag;
	}
	if (!(x->present & XLATE_F_UPLINK))
		return parse_fail("\"uplink\" is required: %s %s uplink NAME inside PREFIX%s",
				  k->name, cmd == XLATE_ADD ? "add" : "del",
				  cmd == XLATE_ADD ? " outside PREFIX" : "");
	if (!(x->present & XLATE_F_INSIDE))
		return parse_fail("\"inside\" is required: %s %s uplink NAME inside PREFIX%s",
				  k->name, cmd == XLATE_ADD ? "add" : "del",
				  cmd == XLATE_ADD ? " outside PREFIX" : "");
	if (cmd == XLATE_DEL)
		return 0;
	if (!(x->present & XLATE_F_OUTSIDE))
		return parse_fail("\"outside\" is required: %s add uplink NAME inside PREFIX outside PREFIX",
				  k->name);
	if (x->outside.len != x->inside.len)
		return parse_fail("argument \"%s\" is wrong: outside prefix length /%u differs from inside /%u",
				  outside_arg, x->outside.len, x->inside.len);
	return 0;
}
