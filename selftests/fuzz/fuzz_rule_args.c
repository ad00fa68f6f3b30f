// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the "rule" command-line parser. The first byte picks the
 * command (add, del, show), the rest is split on blanks and NULs into argv.
 * A parse that succeeds must give a rule whose prefixes have no host bits
 * and agree with its family, whose ports come with a protocol that has
 * them and whose every value is in range, and that prints as text and
 * JSON; nothing is ever sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "argv.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/rule.h"

#define MAX_ARGS 64

static void check_prefix(const struct rule *r, const struct inet_prefix *p)
{
	const uint8_t *b = (const uint8_t *)&p->addr.v4;
	unsigned int bits = p->addr.family == AF_INET ? 32 : 128, i;

	if (p->addr.family != r->family || p->len > bits)
		abort();
	for (i = p->len; i < bits; i++)
		if (b[i / 8] & (0x80 >> (i % 8)))
			abort();
}

static void check(enum rule_cmd cmd, const struct rule *r)
{
	uint32_t p = r->present;

	if (cmd == RULE_SHOW && p)
		abort();
	if (cmd == RULE_DEL && p != RULE_F_PREF)
		abort();
	if (cmd == RULE_ADD && !(p & RULE_F_POLICY))
		abort();
	if ((p & RULE_F_PREF) && !r->pref)
		abort();
	if ((p & RULE_F_FAMILY) && r->family != AF_INET && r->family != AF_INET6)
		abort();
	if ((p & (RULE_F_SRC | RULE_F_DST)) && !(p & RULE_F_FAMILY))
		abort();
	if (p & RULE_F_SRC)
		check_prefix(r, &r->src);
	if (p & RULE_F_DST)
		check_prefix(r, &r->dst);
	if ((p & RULE_F_PROTO) && !r->proto)
		abort();
	if ((p & RULE_F_PROTO) && r->proto == IPPROTO_ICMP && r->family != AF_INET)
		abort();
	if ((p & RULE_F_PROTO) && r->proto == IPPROTO_ICMPV6 && r->family != AF_INET6)
		abort();
	if ((p & (RULE_F_SPORT | RULE_F_DPORT)) &&
	    (!(p & RULE_F_PROTO) || !proto_has_ports(r->proto)))
		abort();
	if (((p & RULE_F_SPORT) && r->sport.min > r->sport.max) ||
	    ((p & RULE_F_DPORT) && r->dport.min > r->dport.max))
		abort();
	if ((p & RULE_F_STICKY) && (!r->sticky || r->sticky > MWAN_STICKY_MAX))
		abort();
	if ((p & RULE_F_IIF) && (!r->iif[0] || strlen(r->iif) >= MWAN_NAME_MAXLEN))
		abort();
	if ((p & RULE_F_POLICY) && (!r->policy[0] || strlen(r->policy) >= MWAN_NAME_MAXLEN))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *buf, *argv[MAX_ARGS];
	enum rule_cmd cmd;
	struct rule r;
	int argc;

	if (!size)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	cmd = data[0] % 3;
	argc = fuzz_argv(data, size, &buf, argv, MAX_ARGS);

	if (!rule_parse(cmd, argc, argv, &r)) {
		check(cmd, &r);
		json_print_init(null, data[0] & 4, data[0] & 8);
		open_json_array(NULL);
		rule_print(&r, RULE_PRINT_STATS);
		close_json_array();
		rule_print_event(&r, data[0] & 16 ? MWAN_CMD_RULE_NEW : MWAN_CMD_RULE_DEL);
	} else if (!parse_error()[0]) {
		abort();
	}
	free(buf);
	return 0;
}
