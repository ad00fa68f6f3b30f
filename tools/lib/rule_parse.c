// SPDX-License-Identifier: GPL-2.0
/*
 * "rule add|del|show" command lines into struct rule. The address family
 * may come from "family", "from", "to" or an ICMP protocol: whichever comes
 * first fixes it, and a later one that disagrees is quoted in the error.
 */
#include <string.h>
#include <sys/socket.h>

#include "rule.h"

struct ctx {
	struct rule *r;
	const char *family_key;		/* what fixed the family first ... */
	const char *family_arg;		/* ... and its argument */
};

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP },
	{ "icmpv6", IPPROTO_ICMPV6 },
};

bool proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_DCCP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

static int ipv(int family)
{
	return family == AF_INET ? 4 : 6;
}

/* Records that key arg says family, unless an earlier argument said otherwise. */
static int set_family(struct ctx *c, int family, const char *key, const char *arg)
{
	struct rule *r = c->r;

	if (c->family_key && r->family != family)
		return parse_fail("argument \"%s\" is wrong: IPv%d, but \"%s %s\" is IPv%d",
				  arg, ipv(family), c->family_key, c->family_arg,
				  ipv(r->family));
	if (!c->family_key) {
		c->family_key = key;
		c->family_arg = arg;
		r->family = family;
	}
	return 0;
}

static int parse_pref(struct ctx *c, const char *key, const char *arg)
{
	return get_u32_range(&c->r->pref, arg, 1, UINT32_MAX, key);
}

static int parse_family(struct ctx *c, const char *key, const char *arg)
{
	if (!strcmp(arg, "inet"))
		return set_family(c, AF_INET, key, arg);
	if (!strcmp(arg, "inet6"))
		return set_family(c, AF_INET6, key, arg);
	return invarg(arg, "family must be inet or inet6");
}

static int parse_prefix(struct ctx *c, const char *key, const char *arg)
{
	struct inet_prefix *p = !strcmp(key, "from") ? &c->r->src : &c->r->dst;

	if (get_prefix(p, arg, key))
		return -1;
	return set_family(c, p->addr.family, key, arg);
}

static int parse_proto(struct ctx *c, const char *key, const char *arg)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(proto_names); i++)
		if (!strcmp(arg, proto_names[i].name))
			break;
	if (i < ARRAY_SIZE(proto_names))
		v = proto_names[i].proto;
	else if (get_u32(&v, arg) || !v || v > 255)
		return invarg(arg, "proto must be tcp, udp, icmp, icmpv6 or 1-255");
	c->r->proto = v;
	if (v == IPPROTO_ICMP)
		return set_family(c, AF_INET, key, arg);
	if (v == IPPROTO_ICMPV6)
		return set_family(c, AF_INET6, key, arg);
	return 0;
}

static int parse_port(struct ctx *c, const char *key, const char *arg)
{
	struct port_range *pr = !strcmp(key, "sport") ? &c->r->sport : &c->r->dport;
	const char *dash = strchr(arg, '-');
	char low[8];
	uint32_t lo, hi;
	size_t len = dash ? (size_t)(dash - arg) : strlen(arg);

	if (len >= sizeof(low))
		goto bad;
	memcpy(low, arg, len);
	low[len] = '\0';
	if (get_u32(&lo, low) || lo > 65535)
		goto bad;
	hi = lo;
	if (dash && (get_u32(&hi, dash + 1) || hi > 65535))
		goto bad;
	if (hi < lo)
		return parse_fail("argument \"%s\" is wrong: %s range must be LOW-HIGH", arg, key);
	pr->min = lo;
	pr->max = hi;
	return 0;
bad:
	return parse_fail("argument \"%s\" is wrong: %s must be PORT or PORT-PORT, each 0-65535",
			  arg, key);
}

static int parse_iif(struct ctx *c, const char *key, const char *arg)
{
	(void)key;
	return get_ifname(c->r->iif, sizeof(c->r->iif), arg, "device name");
}

static int parse_sticky(struct ctx *c, const char *key, const char *arg)
{
	return get_u32_range(&c->r->sticky, arg, 1, MWAN_STICKY_MAX, key);
}

static int parse_policy(struct ctx *c, const char *key, const char *arg)
{
	(void)key;
	return get_ifname(c->r->policy, sizeof(c->r->policy), arg, "policy name");
}

static const struct option {
	const char *keyword;
	uint32_t flag;
	int (*parse)(struct ctx *c, const char *key, const char *arg);
} options[] = {
	{ "pref", RULE_F_PREF, parse_pref },
	{ "family", RULE_F_FAMILY, parse_family },
	{ "from", RULE_F_SRC, parse_prefix },
	{ "to", RULE_F_DST, parse_prefix },
	{ "proto", RULE_F_PROTO, parse_proto },
	{ "sport", RULE_F_SPORT, parse_port },
	{ "dport", RULE_F_DPORT, parse_port },
	{ "iif", RULE_F_IIF, parse_iif },
	{ "sticky", RULE_F_STICKY, parse_sticky },
	{ "policy", RULE_F_POLICY, parse_policy },
};

static int parse_options(enum rule_cmd cmd, int argc, char **argv, struct ctx *c)
{
	const struct option *o;
	size_t i;

	for (; argc > 0; argc--, argv++) {
		for (i = 0, o = NULL; i < ARRAY_SIZE(options); i++)
			if (!strcmp(*argv, options[i].keyword) &&
			    (cmd == RULE_ADD || options[i].flag == RULE_F_PREF))
				o = &options[i];
		if (!o)
			return unknownkw(*argv);
		NEXT_ARG();
		if (c->r->present & o->flag)
			return duparg(o->keyword, *argv);
		if (o->parse(c, o->keyword, *argv))
			return -1;
		c->r->present |= o->flag;
	}
	return 0;
}

static int check_add(struct rule *r)
{
	const char *key = (r->present & RULE_F_SPORT) ? "sport" : "dport";

	if ((r->present & (RULE_F_SPORT | RULE_F_DPORT)) &&
	    (!(r->present & RULE_F_PROTO) || !proto_has_ports(r->proto)))
		return parse_fail("\"%s\" needs a protocol with ports: proto tcp, udp, 33 (dccp), 132 (sctp) or 136 (udplite)",
				  key);
	if (!(r->present & RULE_F_POLICY))
		return parse_fail("\"policy\" is required: rule add [ MATCHES ] policy NAME");
	return 0;
}

int rule_parse(enum rule_cmd cmd, int argc, char **argv, struct rule *r)
{
	struct ctx c = { .r = r };

	memset(r, 0, sizeof(*r));
	if (cmd == RULE_SHOW)
		return argc > 0 ? unknownkw(*argv) : 0;
	if (parse_options(cmd, argc, argv, &c))
		return -1;
	if (cmd == RULE_DEL)
		return (r->present & RULE_F_PREF) ? 0 :
		       parse_fail("\"pref\" is required: rule del pref N");
	/* A prefix or an ICMP protocol implies the family: send it explicitly. */
	if (c.family_key)
		r->present |= RULE_F_FAMILY;
	return check_add(r);
}
