/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A policy as the tools see it: its members (uplinks with an optional weight
 * and metric of their own) and what happens when none is up. Presence is a
 * flag bit, as in struct uplink.
 */
#ifndef MWAN_TOOLS_POLICY_H
#define MWAN_TOOLS_POLICY_H

#include <stdint.h>
#include "../../uapi/linux/mwan.h"

#include "utils.h"

enum {
	MEMBER_F_WEIGHT		= 1u << 0,
	MEMBER_F_METRIC		= 1u << 1,
	MEMBER_F_OWN_WEIGHT	= 1u << 2,	/* reply: the weight is the member's own */
	MEMBER_F_OWN_METRIC	= 1u << 3,
	MEMBER_F_STATE		= 1u << 4,
};

struct member {
	uint32_t present;
	char uplink[MWAN_NAME_MAXLEN];
	uint32_t weight;
	uint32_t metric;
	uint8_t state;		/* enum mwan_state */
};

enum {
	POLICY_F_NAME		= 1u << 0,
	POLICY_F_MEMBERS	= 1u << 1,
	POLICY_F_LAST_RESORT	= 1u << 2,
};

struct policy {
	uint32_t present;
	char name[MWAN_NAME_MAXLEN];
	unsigned int nmembers;
	struct member members[MWAN_MEMBERS_MAX];
	uint8_t last_resort;	/* enum mwan_last_resort */
};

enum policy_cmd {
	POLICY_ADD,
	POLICY_REPLACE,
	POLICY_DEL,
	POLICY_SHOW,
};

/*
 * Parses the arguments after "policy add|replace|del|show" into *p;
 * on failure parse_error() says why.
 */
int policy_parse(enum policy_cmd cmd, int argc, char **argv, struct policy *p);

/* "unreachable", "blackhole" or "default"; NULL if out of range. */
const char *last_resort_name(uint8_t last_resort);

const char *policy_attr_name(unsigned int type);

/* "NAME: member UPLINK weight W metric M (up) ... last-resort X" or a JSON object. */
void policy_print(const struct policy *p);

/* A monitor line; cmd is MWAN_CMD_POLICY_NEW, _SET or _DEL. */
void policy_print_event(const struct policy *p, unsigned int cmd);

#endif
