// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the "uplink" command-line parser. The first byte picks the
 * command (add, set, del, show), the rest is split on blanks and NULs into
 * argv. A parse that succeeds must give a struct whose every present value
 * is in range, and that prints as text and JSON; nothing is ever sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/uplink.h"

#define MAX_ARGS 64

static void check(enum uplink_cmd cmd, const struct uplink *u)
{
	uint32_t p = u->present;
	unsigned int i;

	if (!(p & UPLINK_F_NAME) && cmd != UPLINK_SHOW)
		abort();
	if (cmd == UPLINK_ADD && !(p & UPLINK_F_DEV))
		abort();
	if ((cmd == UPLINK_DEL || cmd == UPLINK_SHOW) && (p & ~UPLINK_F_NAME))
		abort();
	if ((p & UPLINK_F_NAME) && (!u->name[0] || strlen(u->name) >= MWAN_NAME_MAXLEN))
		abort();
	if ((p & UPLINK_F_WEIGHT) && (u->weight < MWAN_WEIGHT_MIN || u->weight > MWAN_WEIGHT_MAX))
		abort();
	if ((p & UPLINK_F_METRIC) && (u->metric < MWAN_METRIC_MIN || u->metric > MWAN_METRIC_MAX))
		abort();
	if ((p & UPLINK_F_TABLE) && (!u->table || (u->table >= 253 && u->table <= 255)))
		abort();
	if ((p & UPLINK_F_INTERVAL) && (u->interval_ms < 10 || u->interval_ms > 60000))
		abort();
	if ((p & UPLINK_F_TIMEOUT) && (u->timeout_ms < 10 || u->timeout_ms > 60000))
		abort();
	if ((p & UPLINK_F_DOWN) && (u->down < 1 || u->down > 100))
		abort();
	if ((p & UPLINK_F_UP) && (u->up < 1 || u->up > 100))
		abort();
	if ((p & UPLINK_F_RELIABILITY) && (u->reliability < 1 || u->reliability > MWAN_TRACK_MAX))
		abort();
	if ((p & UPLINK_F_ADMIN) && (cmd != UPLINK_SET || u->admin > MWAN_ADMIN_MAX))
		abort();
	if ((p & UPLINK_F_TRACK) && (!u->ntrack || u->ntrack > MWAN_TRACK_MAX))
		abort();
	if ((p & UPLINK_F_HANDSHAKE) ? u->handshake_s > MWAN_HANDSHAKE_MAX : u->handshake_s)
		abort();
	for (i = 0; i < u->ntrack; i++)
		if (u->track[i].family != AF_INET && u->track[i].family != AF_INET6)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *buf, *argv[MAX_ARGS];
	enum uplink_cmd cmd;
	struct uplink u;
	int argc;

	if (!size)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	cmd = data[0] % 4;
	argc = fuzz_argv(data, size, &buf, argv, MAX_ARGS);

	if (!uplink_parse(cmd, argc, argv, &u)) {
		check(cmd, &u);
		json_print_init(null, data[0] & 4, data[0] & 8);
		open_json_array(NULL);
		uplink_print(&u, UPLINK_PRINT_STATS);
		close_json_array();
		uplink_print_event(&u, MWAN_CMD_UPLINK_NEW + cmd % 3);
	} else if (!parse_error()[0]) {
		abort();
	}
	free(buf);
	return 0;
}
