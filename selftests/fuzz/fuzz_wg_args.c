// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the "wg" command-line parser and the base64 key codec. The
 * first byte picks the command (add/replace, del, show) and the output
 * options, the rest is split on blanks and NULs into argv. A parse that
 * succeeds must give a set with the keywords its command needs, 1-8
 * distinct unicast endpoints with ports 1-65535 (add), a key that encodes
 * back to the text it came from, and must print as text and JSON; nothing
 * is ever sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "argv.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/wg.h"

#define MAX_ARGS 64

static void check_key(int argc, char **argv, const struct wg_set *w)
{
	char b64[WG_KEY_B64_LEN + 1];
	uint8_t again[MWAN_WG_KEY_LEN];
	int i;

	wg_key_to_base64(b64, w->peer);
	if (wg_key_from_base64(again, b64) ||
	    memcmp(again, w->peer, sizeof(again)))
		abort();
	for (i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], "peer") && !strcmp(argv[i + 1], b64))
			return;
	abort();
}

static void check(enum wgset_cmd cmd, int argc, char **argv,
		  const struct wg_set *w)
{
	unsigned int i, j;

	if (cmd == WG_SHOW) {
		if (w->present & ~WG_F_DEV || w->n)
			abort();
		return;
	}
	if (w->present != (WG_F_DEV | WG_F_PEER) || !w->dev[0])
		abort();
	check_key(argc, argv, w);
	if (cmd == WG_DEL ? w->n != 0 : !w->n || w->n > MWAN_WG_ENDPOINTS_MAX)
		abort();
	for (i = 0; i < w->n; i++) {
		if (!w->ep[i].port ||
		    (w->ep[i].addr.family != AF_INET && w->ep[i].addr.family != AF_INET6))
			abort();
		for (j = 0; j < i; j++)
			if (w->ep[i].port == w->ep[j].port &&
			    inet_addr_equal(&w->ep[i].addr, &w->ep[j].addr))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *buf, *argv[MAX_ARGS];
	uint8_t key[MWAN_WG_KEY_LEN];
	enum wgset_cmd cmd;
	struct wg_set w;
	int argc, i;

	if (!size)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	cmd = data[0] % 3;
	argc = fuzz_argv(data, size, &buf, argv, MAX_ARGS);
	for (i = 0; i < argc; i++)
		if (!wg_key_from_base64(key, argv[i]) && strlen(argv[i]) != WG_KEY_B64_LEN)
			abort();

	if (!wg_parse(cmd, argc, argv, &w)) {
		check(cmd, argc, argv, &w);
		w.packets = data[0];
		w.present |= (data[0] & 32) ? WG_F_STATS : 0;
		w.present |= (data[0] & 64) && w.n ? WG_F_ACTIVE : 0;
		w.active = w.n ? data[0] % w.n : 0;
		json_print_init(null, data[0] & 4, data[0] & 8);
		open_json_array(NULL);
		wg_print(&w, WG_PRINT_STATS);
		close_json_array();
		wg_print_event(&w, data[0] & 16 ? MWAN_CMD_WG_NEW : MWAN_CMD_WG_SET);
	} else if (!parse_error()[0]) {
		abort();
	}
	free(buf);
	return 0;
}
