/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer: an "npt" or "nat" command-line parser, the one of KIND
 * (xlate_npt or xlate_nat), which the including file defines. The first
 * byte picks the command (add/replace, del, show) and the output options,
 * the rest is split on blanks and NULs into argv. A parse that succeeds
 * must give a mapping whose prefixes are of the kind's family, 1-MAX bits
 * long, equal in length and without host bits, with the keywords its
 * command needs, that prints as text and JSON; nothing is ever sent.
 */
#ifndef MWAN_FUZZ_XLATE_ARGS_H
#define MWAN_FUZZ_XLATE_ARGS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "argv.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/xlate.h"

#define MAX_ARGS 64

static void check_prefix(const struct inet_prefix *p)
{
	const uint8_t *b = (const uint8_t *)&p->addr.v4;
	unsigned int bits = p->addr.family == AF_INET ? 32 : 128, i;

	if (p->addr.family != KIND.family || !p->len || p->len > KIND.max_len)
		abort();
	for (i = p->len; i < bits; i++)
		if (b[i / 8] & (0x80 >> (i % 8)))
			abort();
}

static void check(enum xlate_cmd cmd, const struct xlate *x)
{
	uint32_t want = cmd == XLATE_SHOW ? 0 :
			cmd == XLATE_DEL ? XLATE_F_UPLINK | XLATE_F_INSIDE :
			XLATE_F_UPLINK | XLATE_F_INSIDE | XLATE_F_OUTSIDE;

	if (x->present != want)
		abort();
	if (cmd == XLATE_SHOW)
		return;
	if (!x->uplink[0] || strlen(x->uplink) >= MWAN_NAME_MAXLEN)
		abort();
	check_prefix(&x->inside);
	if (cmd == XLATE_ADD) {
		check_prefix(&x->outside);
		if (x->outside.len != x->inside.len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *buf, *argv[MAX_ARGS];
	enum xlate_cmd cmd;
	struct xlate x;
	int argc;

	if (!size)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	cmd = data[0] % 3;
	argc = fuzz_argv(data, size, &buf, argv, MAX_ARGS);

	if (!xlate_parse(&KIND, cmd, argc, argv, &x)) {
		check(cmd, &x);
		x.packets = data[0];
		x.present |= (data[0] & 32) ? XLATE_F_STATS : 0;
		json_print_init(null, data[0] & 4, data[0] & 8);
		open_json_array(NULL);
		xlate_print(&x, XLATE_PRINT_STATS);
		close_json_array();
		xlate_print_event(&KIND, &x, data[0] & 16 ? KIND.cmd_new : KIND.cmd_del);
	} else if (!parse_error()[0]) {
		abort();
	}
	free(buf);
	return 0;
}

#endif
