// SPDX-License-Identifier: GPL-2.0
/*
 * Policies as one text line ("balanced: member wan1 weight 3 metric 1* (up)
 * ... last-resort unreachable", where * marks a value the member takes from
 * its uplink) or as JSON objects, from one print path.
 */
#include <stdio.h>

#include "json_print.h"
#include "policy.h"

static const char *const attr_names[] = {
	[MWAN_POLICY_A_NAME] = "name",
	[MWAN_POLICY_A_MEMBER] = "members",
	[MWAN_POLICY_A_LAST_RESORT] = "last_resort",
};

const char *policy_attr_name(unsigned int type)
{
	static char buf[32];

	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "attribute %u", type);
	return buf;
}

/* " weight 3" for the member's own value, " weight 3*" for its uplink's. */
static void print_value(const struct member *m, const char *key, uint32_t flag,
			uint32_t own_flag, uint32_t value)
{
	bool own = m->present & own_flag;

	if (!(m->present & flag))
		return;
	print_text(" %s", key);
	print_uint(PRINT_ANY, key, own ? " %u" : " %u*", value);
	print_bool(PRINT_JSON, own_flag == MEMBER_F_OWN_WEIGHT ? "own_weight" : "own_metric",
		   NULL, own);
}

static void print_member(const struct member *m)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "uplink", " member %s", m->uplink);
	print_value(m, "weight", MEMBER_F_WEIGHT, MEMBER_F_OWN_WEIGHT, m->weight);
	print_value(m, "metric", MEMBER_F_METRIC, MEMBER_F_OWN_METRIC, m->metric);
	if (m->present & MEMBER_F_STATE)
		print_string(PRINT_ANY, "state", " (%s)",
			     m->state == MWAN_STATE_UP ? "up" : "down");
	close_json_object();
}

static void print_body(const struct policy *p)
{
	const char *lr = last_resort_name(p->last_resort);
	unsigned int i;

	open_json_array("members");
	for (i = 0; i < p->nmembers; i++)
		print_member(&p->members[i]);
	close_json_array();
	if (p->present & POLICY_F_LAST_RESORT)
		print_string(PRINT_ANY, "last_resort", " last-resort %s", lr ? lr : "unknown");
}

void policy_print(const struct policy *p)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%s:", p->name);
	print_body(p);
	close_json_object();
	print_nl();
}

void policy_print_event(const struct policy *p, unsigned int cmd)
{
	static const struct {
		const char *json, *text;
	} events[] = {
		[MWAN_CMD_POLICY_NEW] = { "new", "added" },
		[MWAN_CMD_POLICY_SET] = { "set", "replaced" },
		[MWAN_CMD_POLICY_DEL] = { "del", "deleted" },
	};

	if (cmd >= ARRAY_SIZE(events) || !events[cmd].json)
		return;
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, events[cmd].json);
	print_string(PRINT_JSON, "object", NULL, "policy");
	print_string(PRINT_ANY, "name", "policy %s", p->name);
	print_string(PRINT_FP, NULL, " %s", events[cmd].text);
	if (cmd != MWAN_CMD_POLICY_DEL || is_json_context()) {
		print_text(":");
		print_body(p);
	}
	close_json_object();
	print_nl();
	fflush(print_output());
}
