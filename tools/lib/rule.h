/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A classification rule as the tools see it: its preference, the matches
 * that are set (each with its RULE_F_* bit) and the policy it picks.
 */
#ifndef MWAN_TOOLS_RULE_H
#define MWAN_TOOLS_RULE_H

#include <stdint.h>
#include "../../uapi/linux/mwan.h"

#include "utils.h"

enum {
	RULE_F_PREF	= 1u << 0,
	RULE_F_FAMILY	= 1u << 1,
	RULE_F_SRC	= 1u << 2,
	RULE_F_DST	= 1u << 3,
	RULE_F_PROTO	= 1u << 4,
	RULE_F_SPORT	= 1u << 5,
	RULE_F_DPORT	= 1u << 6,
	RULE_F_IIF	= 1u << 7,
	RULE_F_STICKY	= 1u << 8,
	RULE_F_POLICY	= 1u << 9,
	RULE_F_STATS	= 1u << 10,
};

struct port_range {
	uint16_t min;
	uint16_t max;
};

struct rule {
	uint32_t present;
	uint32_t pref;
	uint8_t family;			/* AF_INET or AF_INET6 */
	struct inet_prefix src;
	struct inet_prefix dst;
	uint8_t proto;			/* IPPROTO_* */
	struct port_range sport;
	struct port_range dport;
	char iif[MWAN_NAME_MAXLEN];
	uint32_t sticky;		/* seconds */
	char policy[MWAN_NAME_MAXLEN];
	uint64_t packets;		/* flows the rule classified */
};

enum rule_cmd {
	RULE_ADD,
	RULE_DEL,
	RULE_SHOW,
};

/*
 * Parses the arguments after "rule add|del|show" into *r; on failure
 * parse_error() says why.
 */
int rule_parse(enum rule_cmd cmd, int argc, char **argv, struct rule *r);

/* Whether packets of IP protocol proto carry ports (TCP, UDP, DCCP, SCTP, UDP-Lite). */
bool proto_has_ports(uint8_t proto);

const char *rule_attr_name(unsigned int type);

enum {
	RULE_PRINT_STATS	= 1u << 0,	/* -s: packets */
};

/* "PREF:\tfrom ... policy NAME ..." as ip rule prints, or a JSON object. */
void rule_print(const struct rule *r, unsigned int flags);

/* A monitor line; cmd is MWAN_CMD_RULE_NEW or _DEL. */
void rule_print_event(const struct rule *r, unsigned int cmd);

#endif
