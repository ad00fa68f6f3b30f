// SPDX-License-Identifier: GPL-2.0
/*
 * "uplink add|set|del|show" command lines into struct uplink. Every value
 * is range-checked here, so that a bad command line never reaches the
 * kernel; the kernel checks again.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "uplink.h"

static int parse_via(struct uplink *u, const char *arg)
{
	struct inet_addr a;

	if (get_addr(&a, arg, "gateway"))
		return -1;
	if (a.family == AF_INET) {
		if (u->present & UPLINK_F_GW4)
			return parse_fail("duplicate \"via\": \"%s\" is a second IPv4 gateway", arg);
		u->gw4 = a.v4;
		u->present |= UPLINK_F_GW4;
	} else {
		if (u->present & UPLINK_F_GW6)
			return parse_fail("duplicate \"via\": \"%s\" is a second IPv6 gateway", arg);
		u->gw6 = a.v6;
		u->present |= UPLINK_F_GW6;
	}
	return 0;
}

static int parse_table(struct uplink *u, const char *arg)
{
	uint32_t t;

	/* 253-255 are the default, main and local tables, owned by the system. */
	if (get_u32(&t, arg) || !t || (t >= 253 && t <= 255))
		return invarg(arg, "table must be 1-4294967295, except 253-255 (default, main, local)");
	u->table = t;
	return 0;
}

static int parse_admin(struct uplink *u, const char *arg)
{
	if (!strcmp(arg, "auto"))
		u->admin = MWAN_ADMIN_AUTO;
	else if (!strcmp(arg, "up"))
		u->admin = MWAN_ADMIN_UP;
	else if (!strcmp(arg, "down"))
		u->admin = MWAN_ADMIN_DOWN;
	else
		return invarg(arg, "state must be auto, up or down");
	return 0;
}

static int parse_dev(struct uplink *u, const char *arg)
{
	return get_ifname(u->dev, sizeof(u->dev), arg, "device name");
}

static int parse_loss_max(struct uplink *u, const char *arg)
{
	uint32_t pct;

	if (get_u32_range(&pct, arg, 0, 100, "loss-max"))
		return -1;
	u->loss_max_pct = (uint8_t)pct;
	return 0;
}

static int parse_track(struct uplink *u, const char *arg)
{
	return get_addr_list(u->track, &u->ntrack, MWAN_TRACK_MAX, arg, "track");
}

/*
 * The keywords of "add" and "set", their flag and how to read their value.
 * "via" has no flag of its own: it may come twice, once per family.
 */
static const struct option {
	const char *keyword;
	uint32_t flag;
	bool set_only;
	uint32_t min, max;
	size_t offset;		/* of the uint32_t, when parse is NULL */
	int (*parse)(struct uplink *u, const char *arg);
} options[] = {
#define RANGE(kw, f, lo, hi, member) \
	{ .keyword = kw, .flag = f, .min = lo, .max = hi, \
	  .offset = offsetof(struct uplink, member) }
	{ .keyword = "dev", .flag = UPLINK_F_DEV, .parse = parse_dev },
	{ .keyword = "via", .parse = parse_via },
	{ .keyword = "table", .flag = UPLINK_F_TABLE, .parse = parse_table },
	RANGE("weight", UPLINK_F_WEIGHT, MWAN_WEIGHT_MIN, MWAN_WEIGHT_MAX, weight),
	RANGE("metric", UPLINK_F_METRIC, MWAN_METRIC_MIN, MWAN_METRIC_MAX, metric),
	{ .keyword = "track", .flag = UPLINK_F_TRACK, .parse = parse_track },
	RANGE("interval", UPLINK_F_INTERVAL, UPLINK_INTERVAL_MIN, UPLINK_INTERVAL_MAX,
	      interval_ms),
	RANGE("timeout", UPLINK_F_TIMEOUT, UPLINK_INTERVAL_MIN, UPLINK_INTERVAL_MAX,
	      timeout_ms),
	RANGE("down", UPLINK_F_DOWN, UPLINK_COUNT_MIN, UPLINK_COUNT_MAX, down),
	RANGE("up", UPLINK_F_UP, UPLINK_COUNT_MIN, UPLINK_COUNT_MAX, up),
	RANGE("reliability", UPLINK_F_RELIABILITY, 1, MWAN_TRACK_MAX, reliability),
	RANGE("rtt-max", UPLINK_F_RTT_MAX, 0, UPLINK_RTT_MAX_MAX, rtt_max_ms),
	{ .keyword = "loss-max", .flag = UPLINK_F_LOSS_MAX, .parse = parse_loss_max },
	{ .keyword = "state", .flag = UPLINK_F_ADMIN, .set_only = true,
	  .parse = parse_admin },
#undef RANGE
};

static int parse_option(struct uplink *u, const struct option *o, const char *arg)
{
	if (o->flag && (u->present & o->flag))
		return duparg(o->keyword, arg);
	if (o->parse ? o->parse(u, arg) :
	    get_u32_range((uint32_t *)((char *)u + o->offset), arg,
			  o->min, o->max, o->keyword))
		return -1;
	u->present |= o->flag;
	return 0;
}

/*
 * "track handshake [ SECONDS ]": the next word is SECONDS when it starts with
 * a digit (no keyword does); *argv is left on the last word consumed.
 */
static int parse_handshake(struct uplink *u, int *argc, char ***argv)
{
	uint32_t secs = UPLINK_HANDSHAKE_DEFAULT;
	const char *next = *argc > 1 ? (*argv)[1] : NULL;

	if (u->present & UPLINK_F_HANDSHAKE)
		return duparg("track", "handshake");
	if (next && *next >= '0' && *next <= '9') {
		if (get_u32_range(&secs, next, 0, MWAN_HANDSHAKE_MAX,
				  "track handshake"))
			return -1;
		(*argc)--;
		(*argv)++;
	}
	u->handshake_s = secs;
	u->present |= UPLINK_F_HANDSHAKE;
	return 0;
}

static int parse_name(struct uplink *u, const char *arg)
{
	if (get_ifname(u->name, sizeof(u->name), arg, "uplink name"))
		return -1;
	u->present |= UPLINK_F_NAME;
	return 0;
}

static int parse_settings(enum uplink_cmd cmd, int argc, char **argv,
			  struct uplink *u)
{
	const struct option *o;
	size_t i;

	for (; argc > 0; argc--, argv++) {
		for (i = 0, o = NULL; i < ARRAY_SIZE(options); i++)
			if (!strcmp(*argv, options[i].keyword) &&
			    (cmd == UPLINK_SET || !options[i].set_only))
				o = &options[i];
		if (!o)
			return unknownkw(*argv);
		NEXT_ARG();
		if (!strcmp(o->keyword, "track") && !strcmp(*argv, "handshake")) {
			if (parse_handshake(u, &argc, &argv))
				return -1;
			continue;
		}
		if (parse_option(u, o, *argv))
			return -1;
	}
	return 0;
}

/* Only the command line as a whole can tell these. */
static int check_settings(enum uplink_cmd cmd, struct uplink *u)
{
	if (cmd == UPLINK_ADD && !(u->present & UPLINK_F_DEV))
		return parse_fail("\"dev\" is required: uplink add NAME dev IFNAME ...");
	if ((u->present & UPLINK_F_TRACK) && (u->present & UPLINK_F_RELIABILITY) &&
	    u->reliability > u->ntrack)
		return parse_fail("reliability %u is more than the %u track address%s given",
				  u->reliability, u->ntrack, u->ntrack == 1 ? "" : "es");
	return 0;
}

int uplink_parse(enum uplink_cmd cmd, int argc, char **argv, struct uplink *u)
{
	static const char *const usage[] = {
		[UPLINK_ADD] = "uplink add NAME dev IFNAME ...",
		[UPLINK_SET] = "uplink set NAME ...",
		[UPLINK_DEL] = "uplink del NAME",
		[UPLINK_SHOW] = "uplink show [ NAME ]",
	};

	memset(u, 0, sizeof(*u));
	if (argc <= 0) {
		if (cmd == UPLINK_SHOW)
			return 0;
		return parse_fail("uplink name required: %s", usage[cmd]);
	}
	if (parse_name(u, *argv))
		return -1;
	argc--;
	argv++;
	if (cmd == UPLINK_DEL || cmd == UPLINK_SHOW)
		return argc > 0 ? unknownkw(*argv) : 0;
	if (parse_settings(cmd, argc, argv, u))
		return -1;
	return check_settings(cmd, u);
}
