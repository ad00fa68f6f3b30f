// SPDX-License-Identifier: GPL-2.0
/*
 * "policy add|replace|del|show" command lines into struct policy. "weight"
 * and "metric" belong to the member named last; a member without them
 * follows its uplink's.
 */
#include <string.h>

#include "policy.h"

static const char *const last_resorts[] = {
	[MWAN_LAST_RESORT_UNREACHABLE] = "unreachable",
	[MWAN_LAST_RESORT_BLACKHOLE] = "blackhole",
	[MWAN_LAST_RESORT_DEFAULT] = "default",
};

const char *last_resort_name(uint8_t last_resort)
{
	return last_resort < ARRAY_SIZE(last_resorts) ? last_resorts[last_resort] : NULL;
}

static int parse_last_resort(struct policy *p, const char *arg)
{
	uint8_t i;

	if (p->present & POLICY_F_LAST_RESORT)
		return duparg("last-resort", arg);
	for (i = 0; i < ARRAY_SIZE(last_resorts); i++) {
		if (!strcmp(arg, last_resorts[i])) {
			p->last_resort = i;
			p->present |= POLICY_F_LAST_RESORT;
			return 0;
		}
	}
	return invarg(arg, "last-resort must be unreachable, blackhole or default");
}

static int parse_member(struct policy *p, const char *arg)
{
	struct member *m = &p->members[p->nmembers];
	unsigned int i;

	if (p->nmembers == MWAN_MEMBERS_MAX)
		return parse_fail("argument \"%s\" is wrong: a policy has at most %u members",
				  arg, MWAN_MEMBERS_MAX);
	memset(m, 0, sizeof(*m));
	if (get_ifname(m->uplink, sizeof(m->uplink), arg, "uplink name"))
		return -1;
	for (i = 0; i < p->nmembers; i++)
		if (!strcmp(p->members[i].uplink, m->uplink))
			return parse_fail("argument \"%s\" is wrong: uplink \"%s\" is a member twice",
					  arg, arg);
	p->nmembers++;
	p->present |= POLICY_F_MEMBERS;
	return 0;
}

/* "weight" or "metric" of the member named last. */
static int parse_member_value(struct policy *p, const char *key, const char *arg)
{
	bool weight = !strcmp(key, "weight");
	uint32_t flag = weight ? MEMBER_F_WEIGHT : MEMBER_F_METRIC;
	struct member *m;

	if (!p->nmembers)
		return parse_fail("\"%s\" must follow the \"member\" it belongs to", key);
	m = &p->members[p->nmembers - 1];
	if (m->present & flag)
		return duparg(key, arg);
	if (weight ? get_u32_range(&m->weight, arg, MWAN_WEIGHT_MIN, MWAN_WEIGHT_MAX, key) :
		     get_u32_range(&m->metric, arg, MWAN_METRIC_MIN, MWAN_METRIC_MAX, key))
		return -1;
	m->present |= flag;
	return 0;
}

static int parse_members(int argc, char **argv, struct policy *p)
{
	const char *key;

	for (; argc > 0; argc--, argv++) {
		key = *argv;
		if (strcmp(key, "member") && strcmp(key, "weight") &&
		    strcmp(key, "metric") && strcmp(key, "last-resort"))
			return unknownkw(key);
		NEXT_ARG();
		if (!strcmp(key, "member") ? parse_member(p, *argv) :
		    !strcmp(key, "last-resort") ? parse_last_resort(p, *argv) :
		    parse_member_value(p, key, *argv))
			return -1;
	}
	return 0;
}

int policy_parse(enum policy_cmd cmd, int argc, char **argv, struct policy *p)
{
	static const char *const usage[] = {
		[POLICY_ADD] = "policy add NAME member UPLINK ...",
		[POLICY_REPLACE] = "policy replace NAME member UPLINK ...",
		[POLICY_DEL] = "policy del NAME",
		[POLICY_SHOW] = "policy show [ NAME ]",
	};

	memset(p, 0, sizeof(*p));
	if (argc <= 0) {
		if (cmd == POLICY_SHOW)
			return 0;
		return parse_fail("policy name required: %s", usage[cmd]);
	}
	if (get_ifname(p->name, sizeof(p->name), *argv, "policy name"))
		return -1;
	p->present |= POLICY_F_NAME;
	argc--;
	argv++;
	if (cmd == POLICY_DEL || cmd == POLICY_SHOW)
		return argc > 0 ? unknownkw(*argv) : 0;
	if (parse_members(argc, argv, p))
		return -1;
	if (!p->nmembers)
		return parse_fail("at least one \"member\" is required: %s", usage[cmd]);
	return 0;
}
