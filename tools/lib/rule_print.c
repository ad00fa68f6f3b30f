// SPDX-License-Identifier: GPL-2.0
/*
 * Rules as "ip rule" prints them ("1000:\tfrom 10.250.250.0/29 dport 443
 * proto tcp policy balanced sticky 600") or as JSON objects with a key for
 * each match that is set, from one print path.
 */
#include <inttypes.h>
#include <stdio.h>
#include <sys/socket.h>

#include "json_print.h"
#include "rule.h"

static const char *const attr_names[] = {
	[MWAN_RULE_A_PREF] = "pref",
	[MWAN_RULE_A_FAMILY] = "family",
	[MWAN_RULE_A_SRC] = "from",
	[MWAN_RULE_A_SRC_LEN] = "from",
	[MWAN_RULE_A_DST] = "to",
	[MWAN_RULE_A_DST_LEN] = "to",
	[MWAN_RULE_A_PROTO] = "proto",
	[MWAN_RULE_A_SPORT_MIN] = "sport",
	[MWAN_RULE_A_SPORT_MAX] = "sport",
	[MWAN_RULE_A_DPORT_MIN] = "dport",
	[MWAN_RULE_A_DPORT_MAX] = "dport",
	[MWAN_RULE_A_IIFNAME] = "iif",
	[MWAN_RULE_A_STICKY] = "sticky",
	[MWAN_RULE_A_POLICY] = "policy",
	[MWAN_RULE_A_STATS] = "stats",
};

const char *rule_attr_name(unsigned int type)
{
	static char buf[32];

	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "attribute %u", type);
	return buf;
}

static void print_prefix(const char *sep, const char *key, const struct inet_prefix *p)
{
	char buf[PREFIX_STRLEN], fmt[16];

	snprintf(fmt, sizeof(fmt), "%s%s %%s", sep, key);
	print_string(PRINT_ANY, key, fmt, format_prefix(p, buf, sizeof(buf)));
}

static void print_ports(const char *key, const struct port_range *pr)
{
	char buf[16], fmt[16];

	if (pr->min == pr->max)
		snprintf(buf, sizeof(buf), "%u", pr->min);
	else
		snprintf(buf, sizeof(buf), "%u-%u", pr->min, pr->max);
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	print_string(PRINT_ANY, key, fmt, buf);
}

static void print_proto(uint8_t proto)
{
	static const char *const names[] = {
		[IPPROTO_ICMP] = "icmp", [IPPROTO_TCP] = "tcp",
		[IPPROTO_UDP] = "udp", [IPPROTO_ICMPV6] = "icmpv6",
	};

	if (proto < ARRAY_SIZE(names) && names[proto])
		print_string(PRINT_ANY, "proto", " proto %s", names[proto]);
	else
		print_uint(PRINT_ANY, "proto", " proto %u", proto);
}

/* The text starts without a blank: "family inet6 from all ..." or "from ...". */
static void print_body(const struct rule *r, unsigned int flags)
{
	uint32_t p = r->present;
	bool family_text = (p & RULE_F_FAMILY) && !(p & (RULE_F_SRC | RULE_F_DST));
	const char *sep = family_text ? " " : "";

	if (p & RULE_F_FAMILY)
		print_string(family_text ? PRINT_ANY : PRINT_JSON, "family", "family %s",
			     r->family == AF_INET6 ? "inet6" : "inet");
	if (p & RULE_F_SRC)
		print_prefix(sep, "from", &r->src);
	else
		print_text("%sfrom all", sep);
	if (p & RULE_F_DST)
		print_prefix(" ", "to", &r->dst);
	if (p & RULE_F_IIF)
		print_string(PRINT_ANY, "iif", " iif %s", r->iif);
	if (p & RULE_F_SPORT)
		print_ports("sport", &r->sport);
	if (p & RULE_F_DPORT)
		print_ports("dport", &r->dport);
	if (p & RULE_F_PROTO)
		print_proto(r->proto);
	if (p & RULE_F_POLICY)
		print_string(PRINT_ANY, "policy", " policy %s", r->policy);
	if (p & RULE_F_STICKY)
		print_uint(PRINT_ANY, "sticky", " sticky %u", r->sticky);
	if ((flags & RULE_PRINT_STATS) && (p & RULE_F_STATS))
		print_u64(PRINT_ANY, "packets", " packets %" PRIu64, r->packets);
}

void rule_print(const struct rule *r, unsigned int flags)
{
	open_json_object(NULL);
	print_uint(PRINT_ANY, "pref", "%u:\t", r->pref);
	print_body(r, flags);
	close_json_object();
	print_nl();
}

void rule_print_event(const struct rule *r, unsigned int cmd)
{
	static const struct {
		const char *json, *text;
	} events[] = {
		[MWAN_CMD_RULE_NEW] = { "new", "added" },
		[MWAN_CMD_RULE_DEL] = { "del", "deleted" },
	};

	if (cmd >= ARRAY_SIZE(events) || !events[cmd].json)
		return;
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, events[cmd].json);
	print_string(PRINT_JSON, "object", NULL, "rule");
	print_uint(PRINT_ANY, "pref", "rule %u", r->pref);
	print_string(PRINT_FP, NULL, " %s", events[cmd].text);
	if (cmd != MWAN_CMD_RULE_DEL || is_json_context()) {
		print_text(": ");
		print_body(r, 0);
	}
	close_json_object();
	print_nl();
	fflush(print_output());
}
