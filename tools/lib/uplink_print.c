// SPDX-License-Identifier: GPL-2.0
/*
 * Uplinks as text ("wan1: dev eth1 via 192.0.2.1 table 1001 ...") and as
 * JSON objects with the stable keys of ARCHITECTURE.md, from one print path.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "json_print.h"
#include "uplink.h"

static const char *const attr_names[] = {
	[MWAN_UPLINK_A_NAME] = "name",
	[MWAN_UPLINK_A_IFNAME] = "dev",
	[MWAN_UPLINK_A_IFINDEX] = "ifindex",
	[MWAN_UPLINK_A_GATEWAY4] = "gateway4",
	[MWAN_UPLINK_A_GATEWAY6] = "gateway6",
	[MWAN_UPLINK_A_TABLE] = "table",
	[MWAN_UPLINK_A_MARK] = "mark",
	[MWAN_UPLINK_A_MARK_MASK] = "mark_mask",
	[MWAN_UPLINK_A_WEIGHT] = "weight",
	[MWAN_UPLINK_A_METRIC] = "metric",
	[MWAN_UPLINK_A_ADMIN] = "admin",
	[MWAN_UPLINK_A_STATE] = "state",
	[MWAN_UPLINK_A_REASON] = "reason",
	[MWAN_UPLINK_A_SINCE_MS] = "since_ms",
	[MWAN_UPLINK_A_TRACK] = "track",
	[MWAN_UPLINK_A_INTERVAL_MS] = "interval_ms",
	[MWAN_UPLINK_A_TIMEOUT_MS] = "timeout_ms",
	[MWAN_UPLINK_A_DOWN] = "down",
	[MWAN_UPLINK_A_UP] = "up",
	[MWAN_UPLINK_A_RELIABILITY] = "reliability",
	[MWAN_UPLINK_A_HEALTH] = "health",
	[MWAN_UPLINK_A_RTT_US] = "rtt_us",
	[MWAN_UPLINK_A_LOSS_PCT] = "loss_pct",
	[MWAN_UPLINK_A_RTT_MAX_MS] = "rtt_max_ms",
	[MWAN_UPLINK_A_LOSS_MAX_PCT] = "loss_max_pct",
	[MWAN_UPLINK_A_HANDSHAKE_S] = "handshake_max_s",
	[MWAN_UPLINK_A_STATS] = "stats",
};

const char *uplink_attr_name(unsigned int type)
{
	static char buf[32];

	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "attribute %u", type);
	return buf;
}

static const char *admin_name(uint8_t admin)
{
	static const char *const names[] = {
		[MWAN_ADMIN_AUTO] = "auto",
		[MWAN_ADMIN_UP] = "up",
		[MWAN_ADMIN_DOWN] = "down",
	};

	return admin < ARRAY_SIZE(names) ? names[admin] : "unknown";
}

static const char *health_name(uint8_t health)
{
	static const char *const names[] = {
		[MWAN_HEALTH_UNKNOWN] = "unknown",
		[MWAN_HEALTH_UP] = "up",
		[MWAN_HEALTH_DOWN] = "down",
		[MWAN_HEALTH_DEGRADED] = "degraded",
	};

	return health < ARRAY_SIZE(names) ? names[health] : "unknown";
}

/* JSON value and text form of each reason. */
static const struct {
	const char *json, *text;
} reasons[] = {
	[MWAN_REASON_ADMIN] = { "admin", "admin" },
	[MWAN_REASON_NODEV] = { "no_device", "no device" },
	[MWAN_REASON_LINK] = { "link", "link" },
	[MWAN_REASON_HEALTH] = { "health", "health" },
};

static void print_state(const struct uplink *u)
{
	bool up = u->state == MWAN_STATE_UP;

	print_string(PRINT_ANY, "state", " state %s", up ? "up" : "down");
	if (!up && (u->present & UPLINK_F_REASON) &&
	    u->reason < ARRAY_SIZE(reasons) && reasons[u->reason].json) {
		print_string(PRINT_JSON, "reason", NULL, reasons[u->reason].json);
		print_string(PRINT_FP, NULL, " (%s)", reasons[u->reason].text);
	}
	}

static void print_since(uint64_t ms)
{
	uint64_t s = ms / 1000;

	print_u64(PRINT_JSON, "since_ms", NULL, ms);
	if (s < 60)
		print_text(" since %" PRIu64 "s", s);
	else if (s < 3600)
		print_text(" since %" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		print_text(" since %" PRIu64 "h%02" PRIu64 "m", s / 3600, s % 3600 / 60);
	else
		print_text(" since %" PRIu64 "d%02" PRIu64 "h", s / 86400, s % 86400 / 3600);
}

static void print_track(const struct uplink *u)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	open_json_array("track");
	for (i = 0; i < u->ntrack; i++)
		print_string(PRINT_ANY, NULL, i ? ",%s" : " track %s",
			     format_addr(&u->track[i], buf, sizeof(buf)));
	close_json_array();
}

/* "dev eth1 via 192.0.2.1 table 1001 mark 0x10000 weight 3 metric 1 state up admin auto" */
static void print_main(const struct uplink *u)
{
	char buf[INET6_ADDRSTRLEN];
	uint32_t p = u->present;

	if (p & UPLINK_F_DEV)
		print_string(PRINT_ANY, "dev", " dev %s", u->dev);
	if (p & UPLINK_F_IFINDEX)
		print_uint(PRINT_JSON, "ifindex", NULL, u->ifindex);
	if (p & UPLINK_F_GW4)
		print_string(PRINT_ANY, "gateway4", " via %s",
			     inet_ntop(AF_INET, &u->gw4, buf, sizeof(buf)));
	if (p & UPLINK_F_GW6)
		print_string(PRINT_ANY, "gateway6", " via %s",
			     inet_ntop(AF_INET6, &u->gw6, buf, sizeof(buf)));
	if (p & UPLINK_F_TABLE)
		print_uint(PRINT_ANY, "table", " table %u", u->table);
	if (p & UPLINK_F_MARK)
		print_uint(PRINT_ANY, "mark", " mark 0x%x", u->mark);
	if (p & UPLINK_F_MARK_MASK)
		print_uint(PRINT_JSON, "mark_mask", NULL, u->mark_mask);
	if (p & UPLINK_F_WEIGHT)
		print_uint(PRINT_ANY, "weight", " weight %u", u->weight);
	if (p & UPLINK_F_METRIC)
		print_uint(PRINT_ANY, "metric", " metric %u", u->metric);
	if (p & UPLINK_F_STATE)
		print_state(u);
	if (p & UPLINK_F_ADMIN)
		print_string(PRINT_ANY, "admin", " admin %s", admin_name(u->admin));
}

/* "track 192.0.2.1 interval 100 timeout 250 down 5 up 10 reliability 1 health up rtt 12.3ms loss 0% since 42s" */
static void print_probe(const struct uplink *u)
{
	uint32_t p = u->present;
	bool known = (p & UPLINK_F_HEALTH) && u->health != MWAN_HEALTH_UNKNOWN;
	/*
	 * mwan-healthd pings the track addresses, else the gateways; an
	 * uplink with neither (a WireGuard uplink judged by its handshake
	 * alone) has no RTT or loss to show.
	 */
	bool pinged = u->ntrack || (p & (UPLINK_F_GW4 | UPLINK_F_GW6));

	print_track(u);
	if (p & UPLINK_F_INTERVAL)
		print_uint(PRINT_ANY, "interval_ms", " interval %u", u->interval_ms);
	if (p & UPLINK_F_TIMEOUT)
		print_uint(PRINT_ANY, "timeout_ms", " timeout %u", u->timeout_ms);
	if (p & UPLINK_F_DOWN)
		print_uint(PRINT_ANY, "down", " down %u", u->down);
	if (p & UPLINK_F_UP)
		print_uint(PRINT_ANY, "up", " up %u", u->up);
	if (p & UPLINK_F_RELIABILITY)
		print_uint(PRINT_ANY, "reliability", " reliability %u", u->reliability);
	/* Thresholds print only when set, as they are given on the command line. */
	if ((p & UPLINK_F_RTT_MAX) && u->rtt_max_ms)
		print_uint(PRINT_ANY, "rtt_max_ms", " rtt-max %u", u->rtt_max_ms);
	if ((p & UPLINK_F_LOSS_MAX) && u->loss_max_pct)
		print_uint(PRINT_ANY, "loss_max_pct", " loss-max %u", u->loss_max_pct);
	if ((p & UPLINK_F_HANDSHAKE) && u->handshake_s)
		print_uint(PRINT_ANY, "handshake_max_s", " track handshake %u",
			   u->handshake_s);
	if (p & UPLINK_F_HEALTH)
		print_string(known ? PRINT_ANY : PRINT_JSON, "health", " health %s",
			     health_name(u->health));
	if (known && pinged && (p & UPLINK_F_RTT)) {
		print_uint(PRINT_JSON, "rtt_us", NULL, u->rtt_us);
		print_text(" rtt %u.%ums", u->rtt_us / 1000, u->rtt_us % 1000 / 100);
	}
	if (known && pinged && (p & UPLINK_F_LOSS))
		print_uint(PRINT_ANY, "loss_pct", " loss %u%%", u->loss_pct);
	if (p & UPLINK_F_SINCE)
		print_since(u->since_ms);
}

static void print_stats(const struct uplink *u)
{
	open_json_object("stats");
	print_u64(PRINT_ANY, "packets", " packets %" PRIu64, u->stats.packets);
	print_u64(PRINT_ANY, "bytes", " bytes %" PRIu64, u->stats.bytes);
	print_u64(PRINT_ANY, "flows", " flows %" PRIu64, u->stats.flows);
	close_json_object();
}

static void print_break(unsigned int flags)
{
	if (!(flags & UPLINK_PRINT_ONELINE))
		print_text("\n   ");
}

static void print_body(const struct uplink *u, unsigned int flags)
{
	print_main(u);
	print_break(flags);
	print_probe(u);
	if ((flags & UPLINK_PRINT_STATS) && (u->present & UPLINK_F_STATS)) {
		print_break(flags);
		print_stats(u);
	}
}

void uplink_print(const struct uplink *u, unsigned int flags)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%s:", u->name);
	print_body(u, flags);
	close_json_object();
	print_nl();
}

void uplink_print_event(const struct uplink *u, unsigned int cmd)
{
	static const struct {
		const char *json, *text;
	} events[] = {
		[MWAN_CMD_UPLINK_NEW] = { "new", "added" },
		[MWAN_CMD_UPLINK_SET] = { "set", "changed" },
		[MWAN_CMD_UPLINK_DEL] = { "del", "deleted" },
	};

	if (cmd >= ARRAY_SIZE(events) || !events[cmd].json)
		return;
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, events[cmd].json);
	print_string(PRINT_JSON, "object", NULL, "uplink");
	print_string(PRINT_ANY, "name", "uplink %s", u->name);
	print_string(PRINT_FP, NULL, " %s", events[cmd].text);
	if (cmd != MWAN_CMD_UPLINK_DEL || is_json_context()) {
		print_text(":");
		print_body(u, UPLINK_PRINT_ONELINE);
	}
	close_json_object();
	print_nl();
	fflush(print_output());
}
