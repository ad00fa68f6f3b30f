// SPDX-License-Identifier: GPL-2.0
/*
 * Mappings as one line each, in the words that create them ("uplink isp1
 * inside fd00::/48 outside 2001:db8:1::/48"), or as JSON objects with the
 * keys uplink, inside, outside and, with -s, packets.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json_print.h"
#include "xlate.h"

/* The NPT and NAT attributes are numbered alike: one table names both. */
_Static_assert((int)MWAN_NPT_A_UPLINK == (int)MWAN_NAT_A_UPLINK &&
	       (int)MWAN_NPT_A_INSIDE == (int)MWAN_NAT_A_INSIDE &&
	       (int)MWAN_NPT_A_INSIDE_LEN == (int)MWAN_NAT_A_INSIDE_LEN &&
	       (int)MWAN_NPT_A_OUTSIDE == (int)MWAN_NAT_A_OUTSIDE &&
	       (int)MWAN_NPT_A_OUTSIDE_LEN == (int)MWAN_NAT_A_OUTSIDE_LEN &&
	       (int)MWAN_NPT_A_STATS == (int)MWAN_NAT_A_STATS &&
	       (int)MWAN_NPT_A_MAX == (int)MWAN_NAT_A_MAX,
	       "NPT and NAT attributes differ");

static const char *const attr_names[] = {
	[MWAN_NPT_A_UPLINK] = "uplink",
	[MWAN_NPT_A_INSIDE] = "inside",
	[MWAN_NPT_A_INSIDE_LEN] = "inside",
	[MWAN_NPT_A_OUTSIDE] = "outside",
	[MWAN_NPT_A_OUTSIDE_LEN] = "outside",
	[MWAN_NPT_A_STATS] = "stats",
};

static const char *attr_name(unsigned int type)
{
	static char buf[32];

	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "attribute %u", type);
	return buf;
}

const char *npt_attr_name(unsigned int type)
{
	return attr_name(type);
}

const char *nat_attr_name(unsigned int type)
{
	return attr_name(type);
}

static void print_prefix(const char *key, const struct inet_prefix *p)
{
	char buf[PREFIX_STRLEN], fmt[16];

	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	print_string(PRINT_ANY, key, fmt, format_prefix(p, buf, sizeof(buf)));
}

static void print_body(const struct xlate *x, unsigned int flags)
{
	print_string(PRINT_ANY, "uplink", "uplink %s", x->uplink);
	if (x->present & XLATE_F_INSIDE)
		print_prefix("inside", &x->inside);
	if (x->present & XLATE_F_OUTSIDE)
		print_prefix("outside", &x->outside);
	if ((flags & XLATE_PRINT_STATS) && (x->present & XLATE_F_STATS))
		print_u64(PRINT_ANY, "packets", " packets %" PRIu64, x->packets);
}

void xlate_print(const struct xlate *x, unsigned int flags)
{
	open_json_object(NULL);
	print_body(x, flags);
	close_json_object();
	print_nl();
}

void xlate_print_event(const struct xlate_kind *k, const struct xlate *x,
		       unsigned int cmd)
{
	const char *json, *text;

	if (cmd == k->cmd_new) {
		json = "new";
		text = "added";
	} else if (cmd == k->cmd_set) {
		json = "set";
		text = "replaced";
	} else if (cmd == k->cmd_del) {
		json = "del";
		text = "deleted";
	} else {
		return;
	}
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, json);
	print_string(PRINT_JSON, "object", NULL, k->name);
	print_string(PRINT_FP, NULL, "%s ", k->name);
	print_string(PRINT_FP, NULL, "%s: ", text);
	print_body(x, 0);
	close_json_object();
	print_nl();
	fflush(print_output());
}
