// SPDX-License-Identifier: GPL-2.0
/*
 * Endpoint sets in the words that create them, one line for the set and one
 * per endpoint:
 *
 *   dev wg0 peer KEY active 198.51.100.2:51820
 *       endpoint 198.51.100.2:51820 via wan2 usable
 *       endpoint 192.0.2.2:51820 via wan1
 *
 * or as JSON objects with the keys dev, peer, active (the endpoint, or null
 * while none is usable), endpoints (endpoint, via or null, usable) and, with
 * -s, packets (the encapsulated packets steered).
 */
#include <inttypes.h>
#include <stdio.h>

#include "json_print.h"
#include "wg.h"

static const char *const attr_names[] = {
	[MWAN_WG_A_IFNAME] = "dev",
	[MWAN_WG_A_IFINDEX] = "ifindex",
	[MWAN_WG_A_PEER] = "peer",
	[MWAN_WG_A_ENDPOINT] = "endpoint",
	[MWAN_WG_A_ACTIVE] = "active",
	[MWAN_WG_A_STATS] = "stats",
};

const char *wg_attr_name(unsigned int type)
{
	static char buf[32];

	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "attribute %u", type);
	return buf;
}

/* One per line in "show", all on the set's line in events. */
static void print_endpoint(const struct wg_endpoint *ep, bool oneline)
{
	char buf[WG_ENDPOINT_STRLEN];

	open_json_object(NULL);
	print_string(PRINT_ANY, "endpoint",
		     oneline ? " endpoint %s" : "\n    endpoint %s",
		     wg_format_endpoint(&ep->addr, ep->port, buf, sizeof(buf)));
	if (ep->has_via)
		print_string(PRINT_ANY, "via", " via %s", ep->via);
	else
		print_null(PRINT_JSON, "via", NULL, NULL);
	print_bool(PRINT_JSON, "usable", NULL, ep->usable);
	if (ep->usable)
		print_text(" usable");
	close_json_object();
}

static void print_body(const struct wg_set *w, unsigned int flags, bool oneline)
{
	char key[WG_KEY_B64_LEN + 1], buf[WG_ENDPOINT_STRLEN];
	const struct wg_endpoint *ep;
	unsigned int i;

	print_string(PRINT_ANY, "dev", "dev %s", w->dev);
	wg_key_to_base64(key, w->peer);
	print_string(PRINT_ANY, "peer", " peer %s", key);
	if ((w->present & WG_F_ACTIVE) && w->active < w->n) {
		ep = &w->ep[w->active];
		print_string(PRINT_ANY, "active", " active %s",
			     wg_format_endpoint(&ep->addr, ep->port, buf,
						sizeof(buf)));
	} else {
		print_null(PRINT_ANY, "active", " active %s", "none");
	}
	if ((flags & WG_PRINT_STATS) && (w->present & WG_F_STATS))
		print_u64(PRINT_ANY, "packets", " packets %" PRIu64, w->packets);
	open_json_array("endpoints");
	for (i = 0; i < w->n; i++)
		print_endpoint(&w->ep[i], oneline);
	close_json_array();
}

void wg_print(const struct wg_set *w, unsigned int flags)
{
	open_json_object(NULL);
	print_body(w, flags, false);
	close_json_object();
	print_nl();
}

void wg_print_event(const struct wg_set *w, unsigned int cmd)
{
	const char *json, *text;

	if (cmd == MWAN_CMD_WG_NEW) {
		json = "new";
		text = "added";
	} else if (cmd == MWAN_CMD_WG_SET) {
		json = "set";
		text = "changed";
	} else if (cmd == MWAN_CMD_WG_DEL) {
		json = "del";
		text = "deleted";
	} else {
		return;
	}
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, json);
	print_string(PRINT_JSON, "object", NULL, "wg");
	print_string(PRINT_FP, NULL, "wg %s: ", text);
	print_body(w, 0, true);
	close_json_object();
	print_nl();
	fflush(print_output());
}
