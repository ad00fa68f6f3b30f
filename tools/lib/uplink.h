/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An uplink as the tools see it: what a command line asks for, and what the
 * kernel reports. Each field is valid only when its UPLINK_F_* bit is set in
 * 'present', so "not given" never needs a sentinel value.
 */
#ifndef MWAN_TOOLS_UPLINK_H
#define MWAN_TOOLS_UPLINK_H

#include <stdint.h>
#include "../../uapi/linux/mwan.h"

#include "utils.h"

#define UPLINK_INTERVAL_MIN	10
#define UPLINK_INTERVAL_MAX	60000
#define UPLINK_COUNT_MIN	1	/* down and up */
#define UPLINK_COUNT_MAX	100
#define UPLINK_RTT_MAX_MAX	60000	/* rtt-max, ms */

enum {
	UPLINK_F_NAME		= 1u << 0,
	UPLINK_F_DEV		= 1u << 1,
	UPLINK_F_IFINDEX	= 1u << 2,
	UPLINK_F_GW4		= 1u << 3,
	UPLINK_F_GW6		= 1u << 4,
	UPLINK_F_TABLE		= 1u << 5,
	UPLINK_F_MARK		= 1u << 6,
	UPLINK_F_MARK_MASK	= 1u << 7,
	UPLINK_F_WEIGHT		= 1u << 8,
	UPLINK_F_METRIC		= 1u << 9,
	UPLINK_F_ADMIN		= 1u << 10,
	UPLINK_F_STATE		= 1u << 11,
	UPLINK_F_REASON		= 1u << 12,
	UPLINK_F_SINCE		= 1u << 13,
	UPLINK_F_TRACK		= 1u << 14,
	UPLINK_F_INTERVAL	= 1u << 15,
	UPLINK_F_TIMEOUT	= 1u << 16,
	UPLINK_F_DOWN		= 1u << 17,
	UPLINK_F_UP		= 1u << 18,
	UPLINK_F_RELIABILITY	= 1u << 19,
	UPLINK_F_HEALTH		= 1u << 20,
	UPLINK_F_RTT		= 1u << 21,
	UPLINK_F_LOSS		= 1u << 22,
	UPLINK_F_STATS		= 1u << 23,
	UPLINK_F_RTT_MAX	= 1u << 24,
	UPLINK_F_LOSS_MAX	= 1u << 25,
	UPLINK_F_HANDSHAKE	= 1u << 26,
};

struct uplink_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t flows;
};

struct uplink {
	uint32_t present;
	char name[MWAN_NAME_MAXLEN];
	char dev[MWAN_NAME_MAXLEN];
	uint32_t ifindex;
	struct in_addr gw4;
	struct in6_addr gw6;
	uint32_t table;
	uint32_t mark;
	uint32_t mark_mask;
	uint32_t weight;
	uint32_t metric;
	uint8_t admin;		/* enum mwan_admin */
	uint8_t state;		/* enum mwan_state */
	uint8_t reason;		/* enum mwan_reason */
	uint8_t health;		/* enum mwan_health */
	uint64_t since_ms;
	unsigned int ntrack;
	struct inet_addr track[MWAN_TRACK_MAX];
	uint32_t interval_ms;
	uint32_t timeout_ms;
	uint32_t down;
	uint32_t up;
	uint32_t reliability;
	uint32_t rtt_max_ms;	/* 0: no limit */
	uint8_t loss_max_pct;	/* 0: no limit */
	uint32_t handshake_s;	/* WireGuard handshake age limit; 0: none */
	uint32_t rtt_us;
	uint8_t loss_pct;
	struct uplink_stats stats;
};

/* "track handshake" without SECONDS. */
#define UPLINK_HANDSHAKE_DEFAULT 180

enum uplink_cmd {
	UPLINK_ADD,
	UPLINK_SET,
	UPLINK_DEL,
	UPLINK_SHOW,
};

/*
 * Parses the arguments after "uplink add|set|del|show" into *u and checks
 * every value; on failure parse_error() says why.
 */
int uplink_parse(enum uplink_cmd cmd, int argc, char **argv, struct uplink *u);

/* The attribute's JSON key (or "attribute N"), for error messages. */
const char *uplink_attr_name(unsigned int type);

enum {
	UPLINK_PRINT_STATS	= 1u << 0,	/* -s: the stats line */
	UPLINK_PRINT_ONELINE	= 1u << 1,	/* monitor: no line breaks */
};

/* One uplink as a JSON object or as "NAME: dev ..." lines; print_nl() ends it. */
void uplink_print(const struct uplink *u, unsigned int flags);

/* A monitor line for an event; cmd is MWAN_CMD_UPLINK_NEW, _SET or _DEL. */
void uplink_print_event(const struct uplink *u, unsigned int cmd);

#endif
