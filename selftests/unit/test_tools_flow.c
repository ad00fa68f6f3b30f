// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl's "policy" and "rule" on the host: prefixes (host bits, lengths),
 * whole command lines into struct policy and struct rule with every error
 * message (family agreement, port ranges and the protocols that carry
 * them, members, duplicates, last resorts), the text and JSON that "show"
 * and "monitor" print, and each struct through its netlink attributes and
 * back. The _nl sources are included as test_tools_nl.c does. TAP output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "../../tools/lib/batch.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/netlink.c"
#include "../../tools/lib/policy_nl.c"
#include "../../tools/lib/rule_nl.c"

#include "tap.h"

static void is_str(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
}

static int split(const char *line, char *buf, size_t size, char **argv)
{
	snprintf(buf, size, "%s", line);
	return batch_split(buf, argv, BATCH_MAX_ARGS);
}

static int parse_policy(enum policy_cmd cmd, const char *line, struct policy *p)
{
	char buf[2048], *argv[BATCH_MAX_ARGS];
	int argc = split(line, buf, sizeof(buf), argv);

	return policy_parse(cmd, argc, argv, p);
}

static int parse_rule(enum rule_cmd cmd, const char *line, struct rule *r)
{
	char buf[1024], *argv[BATCH_MAX_ARGS];
	int argc = split(line, buf, sizeof(buf), argv);

	return rule_parse(cmd, argc, argv, r);
}

static void test_prefix(void)
{
	static const struct {
		const char *arg;
		const char *out;	/* NULL: fails with error */
		const char *error;
	} cases[] = {
		{ "10.250.250.0/29", "10.250.250.0/29", NULL },
		{ "10.0.0.1", "10.0.0.1/32", NULL },
		{ "0.0.0.0/0", "0.0.0.0/0", NULL },
		{ "2001:db8::/32", "2001:db8::/32", NULL },
		{ "2001:db8::1", "2001:db8::1/128", NULL },
		{ "::/0", "::/0", NULL },
		{ "10.0.0.128/25", "10.0.0.128/25", NULL },
		{ "10.0.0.1/24", NULL, "argument \"10.0.0.1/24\" is wrong: prefix has host bits set" },
		{ "10.0.0.64/25", NULL, "argument \"10.0.0.64/25\" is wrong: prefix has host bits set" },
		{ "2001:db8::1/64", NULL, "argument \"2001:db8::1/64\" is wrong: prefix has host bits set" },
		{ "2001:db8:8000::/33", "2001:db8:8000::/33", NULL },
		{ "2001:db8:4000::/33", NULL, "argument \"2001:db8:4000::/33\" is wrong: prefix has host bits set" },
		{ "10.0.0.0/33", NULL, "argument \"10.0.0.0/33\" is wrong: IPv4 prefix length must be 0-32" },
		{ "::/129", NULL, "argument \"::/129\" is wrong: IPv6 prefix length must be 0-128" },
		{ "10.0.0.0/", NULL, "argument \"10.0.0.0/\" is wrong: IPv4 prefix length must be 0-32" },
		{ "10.0.0.0/-1", NULL, "argument \"10.0.0.0/-1\" is wrong: IPv4 prefix length must be 0-32" },
		{ "10.0.0/8", NULL, "argument \"10.0.0/8\" is wrong: from must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN" },
		{ "any", NULL, "argument \"any\" is wrong: from must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN" },
		{ "/8", NULL, "argument \"/8\" is wrong: from must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN" },
		{ "0000:0000:0000:0000:0000:0000:0000:0000:0/8", NULL,
		  "argument \"0000:0000:0000:0000:0000:0000:0000:0000:0/8\" is wrong: from must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN" },
	};
	struct inet_prefix p;
	char buf[PREFIX_STRLEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].out)
			ok(!get_prefix(&p, cases[i].arg, "from") &&
			   !strcmp(format_prefix(&p, buf, sizeof(buf)), cases[i].out),
			   "prefix \"%s\" is %s", cases[i].arg, cases[i].out);
		else
			ok(get_prefix(&p, cases[i].arg, "from") == -1 &&
			   !strcmp(parse_error(), cases[i].error),
			   "prefix \"%s\": %s", cases[i].arg, cases[i].error);
	}
}

static void test_policy_ok(void)
{
	struct policy p;
	char line[2048];
	int i;

	ok(!parse_policy(POLICY_ADD, "balanced member wan1 weight 3 member wan2", &p) &&
	   p.present == (POLICY_F_NAME | POLICY_F_MEMBERS) && !strcmp(p.name, "balanced") &&
	   p.nmembers == 2 && !strcmp(p.members[0].uplink, "wan1") &&
	   p.members[0].present == MEMBER_F_WEIGHT && p.members[0].weight == 3 &&
	   !strcmp(p.members[1].uplink, "wan2") && !p.members[1].present,
	   "policy add: weight belongs to the member before it; none inherits");
	ok(!parse_policy(POLICY_REPLACE, "failover member att metric 1 member webpass metric 2 weight 1000 "
			 "last-resort blackhole", &p) &&
	   p.members[0].metric == 1 && p.members[1].metric == 2 && p.members[1].weight == 1000 &&
	   p.members[1].present == (MEMBER_F_WEIGHT | MEMBER_F_METRIC) &&
	   (p.present & POLICY_F_LAST_RESORT) && p.last_resort == MWAN_LAST_RESORT_BLACKHOLE,
	   "policy replace: metrics, weight and last resort");
	ok(!parse_policy(POLICY_ADD, "p last-resort default member a", &p) &&
	   p.last_resort == MWAN_LAST_RESORT_DEFAULT && p.nmembers == 1,
	   "policy add: last-resort may come first");
	ok(!parse_policy(POLICY_ADD, "p member a last-resort unreachable", &p) &&
	   p.last_resort == MWAN_LAST_RESORT_UNREACHABLE, "policy add: last-resort unreachable");
	strcpy(line, "p");
	for (i = 0; i < MWAN_MEMBERS_MAX; i++)
		sprintf(line + strlen(line), " member u%d weight %d", i, i + 1);
	ok(!parse_policy(POLICY_ADD, line, &p) && p.nmembers == MWAN_MEMBERS_MAX &&
	   p.members[31].weight == 32, "policy add: %d members", MWAN_MEMBERS_MAX);
	strcat(line, " member u32");
	ok(parse_policy(POLICY_ADD, line, &p) == -1 &&
	   !strcmp(parse_error(), "argument \"u32\" is wrong: a policy has at most 32 members"),
	   "policy add: member 33 fails");
	ok(!parse_policy(POLICY_DEL, "balanced", &p) && p.present == POLICY_F_NAME,
	   "policy del NAME");
	ok(!parse_policy(POLICY_SHOW, "", &p) && !p.present, "policy show: all");
	ok(!parse_policy(POLICY_SHOW, "balanced", &p) && p.present == POLICY_F_NAME,
	   "policy show NAME");
	ok(!strcmp(last_resort_name(MWAN_LAST_RESORT_DEFAULT), "default") &&
	   !last_resort_name(MWAN_LAST_RESORT_MAX + 1), "last resort names");
}

static const struct {
	enum policy_cmd cmd;
	const char *line;
	const char *error;
} bad_policy[] = {
	{ POLICY_ADD, "", "policy name required: policy add NAME member UPLINK ..." },
	{ POLICY_REPLACE, "", "policy name required: policy replace NAME member UPLINK ..." },
	{ POLICY_DEL, "", "policy name required: policy del NAME" },
	{ POLICY_ADD, "p", "at least one \"member\" is required: policy add NAME member UPLINK ..." },
	{ POLICY_REPLACE, "p last-resort default", "at least one \"member\" is required: policy replace NAME member UPLINK ..." },
	{ POLICY_ADD, "p member", "\"member\" needs an argument" },
	{ POLICY_ADD, "p member a weight", "\"weight\" needs an argument" },
	{ POLICY_ADD, "p weight 3 member a", "\"weight\" must follow the \"member\" it belongs to" },
	{ POLICY_ADD, "p metric 3 member a", "\"metric\" must follow the \"member\" it belongs to" },
	{ POLICY_ADD, "p member a weight 0", "argument \"0\" is wrong: weight must be 1-1000" },
	{ POLICY_ADD, "p member a weight 1001", "argument \"1001\" is wrong: weight must be 1-1000" },
	{ POLICY_ADD, "p member a metric 256", "argument \"256\" is wrong: metric must be 1-255" },
	{ POLICY_ADD, "p member a metric x", "argument \"x\" is wrong: metric must be 1-255" },
	{ POLICY_ADD, "p member a weight 2 weight 3", "duplicate \"weight\": \"3\" is the second value" },
	{ POLICY_ADD, "p member a metric 2 member b metric 2 metric 3", "duplicate \"metric\": \"3\" is the second value" },
	{ POLICY_ADD, "p member a member b member a", "argument \"a\" is wrong: uplink \"a\" is a member twice" },
	{ POLICY_ADD, "p member a/b", "argument \"a/b\" is wrong: uplink name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ POLICY_ADD, "abcdefghijklmnop member a", "argument \"abcdefghijklmnop\" is wrong: policy name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ POLICY_ADD, "p member a last-resort drop", "argument \"drop\" is wrong: last-resort must be unreachable, blackhole or default" },
	{ POLICY_ADD, "p member a last-resort Default", "argument \"Default\" is wrong: last-resort must be unreachable, blackhole or default" },
	{ POLICY_ADD, "p member a last-resort default last-resort blackhole", "duplicate \"last-resort\": \"blackhole\" is the second value" },
	{ POLICY_ADD, "p member a last-resort", "\"last-resort\" needs an argument" },
	{ POLICY_ADD, "p member a wieght 3", "unknown keyword \"wieght\"" },
	{ POLICY_ADD, "p members a", "unknown keyword \"members\"" },
	{ POLICY_DEL, "p member a", "unknown keyword \"member\"" },
	{ POLICY_SHOW, "p q", "unknown keyword \"q\"" },
};

static void test_policy_errors(void)
{
	static const char *const names[] = { "add", "replace", "del", "show" };
	struct policy p;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_policy); i++) {
		ret = parse_policy(bad_policy[i].cmd, bad_policy[i].line, &p);
		ok(ret == -1 && !strcmp(parse_error(), bad_policy[i].error),
		   "policy %s error: \"%s\"", names[bad_policy[i].cmd], bad_policy[i].line);
		if (ret != -1 || strcmp(parse_error(), bad_policy[i].error))
			printf("#   got:  %d '%s'\n#   want: '%s'\n", ret,
			       ret ? parse_error() : "", bad_policy[i].error);
	}
}

static void test_rule_ok(void)
{
	struct rule r;
	char buf[INET6_ADDRSTRLEN];

	ok(!parse_rule(RULE_ADD, "pref 1000 from 10.250.250.0/29 proto tcp dport 443 sticky 600 policy balanced", &r) &&
	   r.present == (RULE_F_PREF | RULE_F_FAMILY | RULE_F_SRC | RULE_F_PROTO | RULE_F_DPORT |
			 RULE_F_STICKY | RULE_F_POLICY) &&
	   r.pref == 1000 && r.family == AF_INET && r.src.len == 29 && r.proto == IPPROTO_TCP &&
	   r.dport.min == 443 && r.dport.max == 443 && r.sticky == 600 &&
	   !strcmp(r.policy, "balanced"), "rule add: the seed's rule; family from the prefix");
	ok(!strcmp(inet_ntop(AF_INET, &r.src.addr.v4, buf, sizeof(buf)), "10.250.250.0"),
	   "rule add: from address");
	ok(!parse_rule(RULE_ADD, "policy p", &r) && r.present == RULE_F_POLICY,
	   "rule add: policy alone matches everything, no family");
	ok(!parse_rule(RULE_ADD, "family inet6 proto udp sport 1000-2000 dport 0-65535 iif lan0 policy p", &r) &&
	   r.family == AF_INET6 && r.sport.min == 1000 && r.sport.max == 2000 &&
	   r.dport.min == 0 && r.dport.max == 65535 && !strcmp(r.iif, "lan0"),
	   "rule add: family, port ranges, iif");
	ok(!parse_rule(RULE_ADD, "family inet6 from 2001:db8::/32 to 2001:db8:1::/48 policy p", &r) &&
	   r.src.addr.family == AF_INET6 && r.dst.len == 48, "rule add: IPv6 from and to with family");
	ok(!parse_rule(RULE_ADD, "proto icmp policy p", &r) && r.family == AF_INET &&
	   (r.present & RULE_F_FAMILY), "rule add: proto icmp implies inet");
	ok(!parse_rule(RULE_ADD, "proto icmpv6 policy p", &r) && r.family == AF_INET6,
	   "rule add: proto icmpv6 implies inet6");
	ok(!parse_rule(RULE_ADD, "proto 132 dport 5060 policy p", &r) && r.proto == 132,
	   "rule add: ports with proto 132 (sctp)");
	ok(!parse_rule(RULE_ADD, "proto 33 sport 1 policy p", &r) &&
	   !parse_rule(RULE_ADD, "proto 136 sport 1 policy p", &r) &&
	   !parse_rule(RULE_ADD, "proto 6 sport 1 policy p", &r) &&
	   !parse_rule(RULE_ADD, "proto 17 sport 1 policy p", &r),
	   "rule add: ports with 33, 136, 6, 17");
	ok(!parse_rule(RULE_ADD, "proto 47 policy p", &r) && r.proto == 47 && !r.family,
	   "rule add: proto by number, no family");
	ok(!parse_rule(RULE_ADD, "sticky 16777215 pref 4294967295 policy p", &r) &&
	   r.sticky == MWAN_STICKY_MAX && r.pref == UINT32_MAX, "rule add: limits");
	ok(!parse_rule(RULE_DEL, "pref 1000", &r) && r.present == RULE_F_PREF && r.pref == 1000,
	   "rule del pref N");
	ok(!parse_rule(RULE_SHOW, "", &r) && !r.present, "rule show");
	ok(proto_has_ports(IPPROTO_TCP) && !proto_has_ports(IPPROTO_ICMP) && !proto_has_ports(47),
	   "protocols with ports");
}

static const struct {
	enum rule_cmd cmd;
	const char *line;
	const char *error;
} bad_rule[] = {
	{ RULE_ADD, "", "\"policy\" is required: rule add [ MATCHES ] policy NAME" },
	{ RULE_ADD, "from 10.0.0.0/8", "\"policy\" is required: rule add [ MATCHES ] policy NAME" },
	{ RULE_ADD, "policy", "\"policy\" needs an argument" },
	{ RULE_ADD, "from 10.0.0.1/24 policy p", "argument \"10.0.0.1/24\" is wrong: prefix has host bits set" },
	{ RULE_ADD, "to 2001:db8::1/32 policy p", "argument \"2001:db8::1/32\" is wrong: prefix has host bits set" },
	{ RULE_ADD, "to 10.0.0.0/40 policy p", "argument \"10.0.0.0/40\" is wrong: IPv4 prefix length must be 0-32" },
	{ RULE_ADD, "to nowhere policy p", "argument \"nowhere\" is wrong: to must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN" },
	{ RULE_ADD, "from 10.0.0.0/8 to 2001:db8::/32 policy p", "argument \"2001:db8::/32\" is wrong: IPv6, but \"from 10.0.0.0/8\" is IPv4" },
	{ RULE_ADD, "to 2001:db8::/32 from 10.0.0.0/8 policy p", "argument \"10.0.0.0/8\" is wrong: IPv4, but \"to 2001:db8::/32\" is IPv6" },
	{ RULE_ADD, "family inet6 from 10.0.0.0/8 policy p", "argument \"10.0.0.0/8\" is wrong: IPv4, but \"family inet6\" is IPv6" },
	{ RULE_ADD, "from 10.0.0.0/8 family inet6 policy p", "argument \"inet6\" is wrong: IPv6, but \"from 10.0.0.0/8\" is IPv4" },
	{ RULE_ADD, "family inet proto icmpv6 policy p", "argument \"icmpv6\" is wrong: IPv6, but \"family inet\" is IPv4" },
	{ RULE_ADD, "proto icmp to 2001:db8::/32 policy p", "argument \"2001:db8::/32\" is wrong: IPv6, but \"proto icmp\" is IPv4" },
	{ RULE_ADD, "proto 58 family inet policy p", "argument \"inet\" is wrong: IPv4, but \"proto 58\" is IPv6" },
	{ RULE_ADD, "family ipv4 policy p", "argument \"ipv4\" is wrong: family must be inet or inet6" },
	{ RULE_ADD, "family inet family inet policy p", "duplicate \"family\": \"inet\" is the second value" },
	{ RULE_ADD, "from 10.0.0.0/8 from 10.0.0.0/8 policy p", "duplicate \"from\": \"10.0.0.0/8\" is the second value" },
	{ RULE_ADD, "proto gre policy p", "argument \"gre\" is wrong: proto must be tcp, udp, icmp, icmpv6 or 1-255" },
	{ RULE_ADD, "proto 0 policy p", "argument \"0\" is wrong: proto must be tcp, udp, icmp, icmpv6 or 1-255" },
	{ RULE_ADD, "proto 256 policy p", "argument \"256\" is wrong: proto must be tcp, udp, icmp, icmpv6 or 1-255" },
	{ RULE_ADD, "proto TCP policy p", "argument \"TCP\" is wrong: proto must be tcp, udp, icmp, icmpv6 or 1-255" },
	{ RULE_ADD, "dport 443 policy p", "\"dport\" needs a protocol with ports: proto tcp, udp, 33 (dccp), 132 (sctp) or 136 (udplite)" },
	{ RULE_ADD, "sport 1 dport 443 policy p", "\"sport\" needs a protocol with ports: proto tcp, udp, 33 (dccp), 132 (sctp) or 136 (udplite)" },
	{ RULE_ADD, "proto icmp dport 443 policy p", "\"dport\" needs a protocol with ports: proto tcp, udp, 33 (dccp), 132 (sctp) or 136 (udplite)" },
	{ RULE_ADD, "proto 47 sport 1 policy p", "\"sport\" needs a protocol with ports: proto tcp, udp, 33 (dccp), 132 (sctp) or 136 (udplite)" },
	{ RULE_ADD, "proto tcp dport 65536 policy p", "argument \"65536\" is wrong: dport must be PORT or PORT-PORT, each 0-65535" },
	{ RULE_ADD, "proto tcp dport 2000-1000 policy p", "argument \"2000-1000\" is wrong: dport range must be LOW-HIGH" },
	{ RULE_ADD, "proto tcp dport 1000- policy p", "argument \"1000-\" is wrong: dport must be PORT or PORT-PORT, each 0-65535" },
	{ RULE_ADD, "proto tcp dport -1000 policy p", "argument \"-1000\" is wrong: dport must be PORT or PORT-PORT, each 0-65535" },
	{ RULE_ADD, "proto tcp sport 1-2-3 policy p", "argument \"1-2-3\" is wrong: sport must be PORT or PORT-PORT, each 0-65535" },
	{ RULE_ADD, "proto tcp sport https policy p", "argument \"https\" is wrong: sport must be PORT or PORT-PORT, each 0-65535" },
	{ RULE_ADD, "proto tcp sport 123456789 policy p", "argument \"123456789\" is wrong: sport must be PORT or PORT-PORT, each 0-65535" },
	{ RULE_ADD, "pref 0 policy p", "argument \"0\" is wrong: pref must be 1-4294967295" },
	{ RULE_ADD, "pref 4294967296 policy p", "argument \"4294967296\" is wrong: pref must be 1-4294967295" },
	{ RULE_ADD, "sticky 0 policy p", "argument \"0\" is wrong: sticky must be 1-16777215" },
	{ RULE_ADD, "sticky 16777216 policy p", "argument \"16777216\" is wrong: sticky must be 1-16777215" },
	{ RULE_ADD, "iif a:b policy p", "argument \"a:b\" is wrong: device name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ RULE_ADD, "policy abcdefghijklmnop", "argument \"abcdefghijklmnop\" is wrong: policy name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ RULE_ADD, "policy p policy q", "duplicate \"policy\": \"q\" is the second value" },
	{ RULE_ADD, "lookup p", "unknown keyword \"lookup\"" },
	{ RULE_ADD, "policy p ipproto tcp", "unknown keyword \"ipproto\"" },
	{ RULE_DEL, "", "\"pref\" is required: rule del pref N" },
	{ RULE_DEL, "1000", "unknown keyword \"1000\"" },
	{ RULE_DEL, "pref 1000 policy p", "unknown keyword \"policy\"" },
	{ RULE_DEL, "pref", "\"pref\" needs an argument" },
	{ RULE_SHOW, "pref 1000", "unknown keyword \"pref\"" },
};

static void test_rule_errors(void)
{
	static const char *const names[] = { "add", "del", "show" };
	struct rule r;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_rule); i++) {
		ret = parse_rule(bad_rule[i].cmd, bad_rule[i].line, &r);
		ok(ret == -1 && !strcmp(parse_error(), bad_rule[i].error),
		   "rule %s error: \"%s\"", names[bad_rule[i].cmd], bad_rule[i].line);
		if (ret != -1 || strcmp(parse_error(), bad_rule[i].error))
			printf("#   got:  %d '%s'\n#   want: '%s'\n", ret,
			       ret ? parse_error() : "", bad_rule[i].error);
	}
}

/* What fn printed, as text or JSON; the caller frees it. */
static char *capture(void (*fn)(const void *, unsigned int), const void *obj,
		     unsigned int arg, bool json, bool array)
{
	char *buf = NULL;
	size_t size;
	FILE *fp = open_memstream(&buf, &size);

	json_print_init(fp, json, false);
	if (array)
		open_json_array(NULL);
	fn(obj, arg);
	if (array) {
		close_json_array();
		if (json)
			print_nl();
	}
	fclose(fp);
	json_print_init(NULL, false, false);
	return buf;
}

static void policy_show(const void *p, unsigned int arg)
{
	(void)arg;
	policy_print(p);
}

static void policy_event(const void *p, unsigned int cmd)
{
	policy_print_event(p, cmd);
}

static void rule_show(const void *r, unsigned int flags)
{
	rule_print(r, flags);
}

static void rule_event(const void *r, unsigned int cmd)
{
	rule_print_event(r, cmd);
}

static struct policy sample_policy(void)
{
	struct policy p = {
		.present = POLICY_F_NAME | POLICY_F_MEMBERS | POLICY_F_LAST_RESORT,
		.name = "balanced", .nmembers = 2,
		.members = {
			{ .present = MEMBER_F_WEIGHT | MEMBER_F_METRIC | MEMBER_F_OWN_WEIGHT |
				     MEMBER_F_STATE,
			  .uplink = "wan1", .weight = 3, .metric = 1, .state = MWAN_STATE_UP },
			{ .present = MEMBER_F_WEIGHT | MEMBER_F_METRIC | MEMBER_F_STATE,
			  .uplink = "wan2", .weight = 1, .metric = 2, .state = MWAN_STATE_DOWN },
		},
		.last_resort = MWAN_LAST_RESORT_UNREACHABLE,
	};

	return p;
}

static void test_policy_print(void)
{
	struct policy p = sample_policy();
	char *s;

	s = capture(policy_show, &p, 0, false, true);
	is_str(s, "balanced: member wan1 weight 3 metric 1* (up) member wan2 weight 1* metric 2* (down) last-resort unreachable\n",
	       "policy show text: own values plain, the uplink's with *");
	free(s);
	s = capture(policy_show, &p, 0, true, true);
	is_str(s, "[{\"name\":\"balanced\",\"members\":["
		  "{\"uplink\":\"wan1\",\"weight\":3,\"own_weight\":true,\"metric\":1,\"own_metric\":false,\"state\":\"up\"},"
		  "{\"uplink\":\"wan2\",\"weight\":1,\"own_weight\":false,\"metric\":2,\"own_metric\":false,\"state\":\"down\"}],"
		  "\"last_resort\":\"unreachable\"}]\n", "policy show JSON: every key");
	free(s);
	s = capture(policy_event, &p, MWAN_CMD_POLICY_SET, false, false);
	is_str(s, "policy balanced replaced: member wan1 weight 3 metric 1* (up) member wan2 weight 1* metric 2* (down) last-resort unreachable\n",
	       "monitor text: policy replaced");
	free(s);
	s = capture(policy_event, &p, MWAN_CMD_POLICY_DEL, false, false);
	is_str(s, "policy balanced deleted\n", "monitor text: policy deleted");
	free(s);
	s = capture(policy_event, &p, MWAN_CMD_POLICY_NEW, true, false);
	ok(!strncmp(s, "{\"event\":\"new\",\"object\":\"policy\",\"name\":\"balanced\",\"members\":[", 62) &&
	   !strchr(s, '\n')[1], "monitor JSON: policy event, one line");
	free(s);
	p.last_resort = 7;
	s = capture(policy_show, &p, 0, false, true);
	ok(strstr(s, "last-resort unknown\n") != NULL, "policy show: unknown last resort");
	free(s);
	is_str(policy_attr_name(MWAN_POLICY_A_MEMBER), "members", "policy attribute names");
}

static struct rule sample_rule(void)
{
	struct rule r;

	parse_rule(RULE_ADD, "pref 1000 from 10.250.250.0/29 proto tcp dport 443 sticky 600 policy balanced", &r);
	return r;
}

static void test_rule_print(void)
{
	struct rule r = sample_rule();
	char *s;

	s = capture(rule_show, &r, 0, false, true);
	is_str(s, "1000:\tfrom 10.250.250.0/29 dport 443 proto tcp policy balanced sticky 600\n",
	       "rule show text: as ip rule");
	free(s);
	r.present |= RULE_F_STATS;
	r.packets = 42;
	s = capture(rule_show, &r, RULE_PRINT_STATS, true, true);
	is_str(s, "[{\"pref\":1000,\"family\":\"inet\",\"from\":\"10.250.250.0/29\",\"dport\":\"443\","
		  "\"proto\":\"tcp\",\"policy\":\"balanced\",\"sticky\":600,\"packets\":42}]\n",
	       "rule show JSON: the set matches and packets with -s");
	free(s);
	s = capture(rule_show, &r, 0, true, true);
	ok(!strstr(s, "packets"), "rule show JSON: no packets without -s");
	free(s);
}

static void test_rule_print_more(void)
{
	struct rule r;
	char *s;

	parse_rule(RULE_ADD, "pref 7 family inet6 proto udp sport 1000-2000 iif lan0 policy p", &r);
	s = capture(rule_show, &r, 0, false, true);
	is_str(s, "7:\tfamily inet6 from all iif lan0 sport 1000-2000 proto udp policy p\n",
	       "rule show text: family without prefixes, from all, ranges");
	free(s);
	s = capture(rule_show, &r, 0, true, true);
	is_str(s, "[{\"pref\":7,\"family\":\"inet6\",\"iif\":\"lan0\",\"sport\":\"1000-2000\","
		  "\"proto\":\"udp\",\"policy\":\"p\"}]\n", "rule show JSON: no from when unset");
	free(s);
	parse_rule(RULE_ADD, "pref 8 to 2001:db8::/32 proto 47 policy p", &r);
	s = capture(rule_show, &r, 0, false, true);
	is_str(s, "8:\tfrom all to 2001:db8::/32 proto 47 policy p\n", "rule show text: proto number");
	free(s);
	s = capture(rule_show, &r, 0, true, true);
	ok(strstr(s, "\"proto\":47,") != NULL, "rule show JSON: proto number");
	free(s);
	s = capture(rule_event, &r, MWAN_CMD_RULE_NEW, false, false);
	is_str(s, "rule 8 added: from all to 2001:db8::/32 proto 47 policy p\n", "monitor text: rule added");
	free(s);
	s = capture(rule_event, &r, MWAN_CMD_RULE_DEL, false, false);
	is_str(s, "rule 8 deleted\n", "monitor text: rule deleted");
	free(s);
	s = capture(rule_event, &r, MWAN_CMD_RULE_DEL, true, false);
	is_str(s, "{\"event\":\"del\",\"object\":\"rule\",\"pref\":8,\"family\":\"inet6\","
		  "\"to\":\"2001:db8::/32\",\"proto\":47,\"policy\":\"p\"}\n",
	       "monitor JSON: rule deleted, with its keys");
	free(s);
	is_str(rule_attr_name(MWAN_RULE_A_DPORT_MAX), "dport", "rule attribute names");
}

static struct nlmsghdr *msg(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = MWAN_GENL_VERSION;
	return nlh;
}

static void test_policy_nl(void)
{
	static const char *const lines[] = {
		"balanced member wan1 weight 3 member wan2",
		"failover member att metric 1 member webpass metric 2 weight 7 last-resort default",
		"one member x last-resort blackhole",
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct policy in, out;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		parse_policy(POLICY_ADD, lines[i], &in);
		nlh = msg(buf, MWAN_CMD_POLICY_NEW);
		policy_put(nlh, &in);
		ok(!policy_from_msg(nlh, &out) && !memcmp(&in, &out, sizeof(in)),
		   "policy roundtrip: %s", lines[i]);
	}
	nlh = msg(buf, MWAN_CMD_POLICY_GET);
	mnl_attr_put_strz(nlh, MWAN_POLICY_A_NAME, "p");
	nest = mnl_attr_nest_start(nlh, MWAN_POLICY_A_MEMBER);
	mnl_attr_put_strz(nlh, MWAN_MEMBER_A_UPLINK, "wan1");
	mnl_attr_put_u32(nlh, MWAN_MEMBER_A_WEIGHT, 3);
	mnl_attr_put(nlh, MWAN_MEMBER_A_OWN_WEIGHT, 0, NULL);
	mnl_attr_put_u8(nlh, MWAN_MEMBER_A_STATE, MWAN_STATE_UP);
	mnl_attr_put_u32(nlh, 99, 1);
	mnl_attr_nest_end(nlh, nest);
	ok(!policy_from_msg(nlh, &out) && out.nmembers == 1 &&
	   out.members[0].present == (MEMBER_F_WEIGHT | MEMBER_F_OWN_WEIGHT | MEMBER_F_STATE),
	   "policy reply: own flag and state; unknown member attribute skipped");

	nlh = msg(buf, MWAN_CMD_POLICY_GET);
	mnl_attr_put_strz(nlh, MWAN_POLICY_A_NAME, "p");
	nest = mnl_attr_nest_start(nlh, MWAN_POLICY_A_MEMBER);
	mnl_attr_put_u32(nlh, MWAN_MEMBER_A_WEIGHT, 3);
	mnl_attr_nest_end(nlh, nest);
	errno = 0;
	ok(policy_from_msg(nlh, &out) == -1 && errno == EPROTO, "policy reply: member without uplink refused");

	nlh = msg(buf, MWAN_CMD_POLICY_GET);
	mnl_attr_put_strz(nlh, MWAN_POLICY_A_NAME, "p");
	for (i = 0; i <= MWAN_MEMBERS_MAX; i++) {
		nest = mnl_attr_nest_start(nlh, MWAN_POLICY_A_MEMBER);
		mnl_attr_put_strz(nlh, MWAN_MEMBER_A_UPLINK, "u");
		mnl_attr_nest_end(nlh, nest);
	}
	ok(policy_from_msg(nlh, &out) == -1, "policy reply: 33 members refused");

	nlh = msg(buf, MWAN_CMD_POLICY_GET);
	mnl_attr_put_strz(nlh, MWAN_POLICY_A_NAME, "p");
	mnl_attr_put_u32(nlh, MWAN_POLICY_A_LAST_RESORT, 1);
	ok(policy_from_msg(nlh, &out) == -1, "policy reply: u32 last resort refused");

	nlh = msg(buf, MWAN_CMD_POLICY_GET);
	mnl_attr_put_u8(nlh, MWAN_POLICY_A_LAST_RESORT, 1);
	ok(policy_from_msg(nlh, &out) == -1, "policy reply: no name refused");
}

static void test_rule_nl(void)
{
	static const char *const lines[] = {
		"pref 1000 from 10.250.250.0/29 proto tcp dport 443 sticky 600 policy balanced",
		"pref 1 family inet6 from 2001:db8::/32 to ::/0 proto udp sport 1-2 dport 3-4 iif lan0 policy p",
		"pref 4294967295 policy p",
		"pref 5 proto icmp policy p",
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct rule in, out;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t addr[16] = {};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		parse_rule(RULE_ADD, lines[i], &in);
		nlh = msg(buf, MWAN_CMD_RULE_NEW);
		rule_put(nlh, &in);
		ok(!rule_from_msg(nlh, &out) && !memcmp(&in, &out, sizeof(in)),
		   "rule roundtrip: %s", lines[i]);
	}
	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put_strz(nlh, MWAN_RULE_A_POLICY, "p");
	nest = mnl_attr_nest_start(nlh, MWAN_RULE_A_STATS);
	mnl_attr_put_u64(nlh, MWAN_STATS_A_PACKETS, 77);
	mnl_attr_nest_end(nlh, nest);
	ok(!rule_from_msg(nlh, &out) && (out.present & RULE_F_STATS) && out.packets == 77,
	   "rule reply: packets");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put(nlh, MWAN_RULE_A_SRC, 4, addr);
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: address without length refused");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put(nlh, MWAN_RULE_A_DST, 4, addr);
	mnl_attr_put_u8(nlh, MWAN_RULE_A_DST_LEN, 33);
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: /33 refused");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put(nlh, MWAN_RULE_A_DST, 5, addr);
	mnl_attr_put_u8(nlh, MWAN_RULE_A_DST_LEN, 8);
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: 5-byte address refused");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put_u16(nlh, MWAN_RULE_A_DPORT_MIN, 10);
	mnl_attr_put_u16(nlh, MWAN_RULE_A_DPORT_MAX, 9);
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: backwards port range refused");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put_u16(nlh, MWAN_RULE_A_SPORT_MIN, 10);
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: half a port range refused");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_u32(nlh, MWAN_RULE_A_PREF, 9);
	mnl_attr_put_u8(nlh, MWAN_RULE_A_FAMILY, 7);
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: unknown family refused");

	nlh = msg(buf, MWAN_CMD_RULE_GET);
	mnl_attr_put_strz(nlh, MWAN_RULE_A_POLICY, "p");
	ok(rule_from_msg(nlh, &out) == -1, "rule reply: no pref refused");
}

int main(void)
{
	test_prefix();
	test_policy_ok();
	test_policy_errors();
	test_rule_ok();
	test_rule_errors();
	test_policy_print();
	test_rule_print();
	test_rule_print_more();
	test_policy_nl();
	test_rule_nl();
	return tap_done();
}
