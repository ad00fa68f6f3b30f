/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stateless translation mapping as the tools see it, for both kinds:
 * NPTv6 (RFC 6296, IPv6 prefixes of 1-64 bits) and 1:1 IPv4 NAT (prefixes
 * of 1-32 bits). Both have the same shape: an uplink and an inside prefix
 * (the key) and an outside prefix of the same length, so one struct, one
 * parser and one printer serve "npt" and "nat"; a struct xlate_kind holds
 * what differs.
 */
#ifndef MWAN_TOOLS_XLATE_H
#define MWAN_TOOLS_XLATE_H

#include <stdint.h>
#include "../../uapi/linux/mwan.h"

#include "utils.h"

enum {
	XLATE_F_UPLINK	= 1u << 0,
	XLATE_F_INSIDE	= 1u << 1,
	XLATE_F_OUTSIDE	= 1u << 2,
	XLATE_F_STATS	= 1u << 3,
};

struct xlate {
	uint32_t present;
	char uplink[MWAN_NAME_MAXLEN];
	struct inet_prefix inside;
	struct inet_prefix outside;
	uint64_t packets;		/* packets translated, both ways */
};

/* What differs between "npt" and "nat"; the attribute numbers are the same. */
struct xlate_kind {
	const char *name;		/* "npt" or "nat" */
	int family;			/* AF_INET6 or AF_INET */
	unsigned int max_len;		/* 64 or 32 */
	bool len_required;		/* NPT: PREFIX; NAT: ADDR[/LEN] */
	uint8_t cmd_get, cmd_new, cmd_set, cmd_del;
};

extern const struct xlate_kind xlate_npt;
extern const struct xlate_kind xlate_nat;

enum xlate_cmd {
	XLATE_ADD,			/* add and replace */
	XLATE_DEL,
	XLATE_SHOW,
};

/*
 * Parses the arguments after "npt|nat add|replace|del|show" into *x; on
 * failure parse_error() says why, quoting the bad token.
 */
int xlate_parse(const struct xlate_kind *k, enum xlate_cmd cmd, int argc,
		char **argv, struct xlate *x);

/* The attribute names for "(attribute NAME)" in kernel errors. */
const char *npt_attr_name(unsigned int type);
const char *nat_attr_name(unsigned int type);

enum {
	XLATE_PRINT_STATS	= 1u << 0,	/* -s: packets */
};

/* "uplink NAME inside PREFIX outside PREFIX [ packets N ]", or a JSON object. */
void xlate_print(const struct xlate *x, unsigned int flags);

/* A monitor line; cmd is the kind's NEW, SET or DEL. */
void xlate_print_event(const struct xlate_kind *k, const struct xlate *x,
		       unsigned int cmd);

#endif
