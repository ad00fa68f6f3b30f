// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl's "npt" and "nat" on the host: whole command lines into struct
 * xlate with every error message (family, prefix length limits, host bits,
 * unequal lengths, missing and duplicate keywords), the text and JSON that
 * "show" and "monitor" print, and each struct through its netlink
 * attributes and back, including malformed replies. TAP output.
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
#include "../../tools/lib/xlate_nl.c"

#include "tap.h"

static void is_str(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
}

static int parse(const struct xlate_kind *k, enum xlate_cmd cmd, const char *line,
		 struct xlate *x)
{
	char buf[1024], *argv[BATCH_MAX_ARGS];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = batch_split(buf, argv, BATCH_MAX_ARGS);
	return xlate_parse(k, cmd, argc, argv, x);
}

static const char *fmt(const struct inet_prefix *p)
{
	static char buf[2][PREFIX_STRLEN];
	static int i;

	i ^= 1;
	return format_prefix(p, buf[i], sizeof(buf[i]));
}

static void test_good(void)
{
	static const struct {
		const struct xlate_kind *k;
		enum xlate_cmd cmd;
		const char *line, *uplink, *inside, *outside;
	} good[] = {
		{ &xlate_npt, XLATE_ADD, "uplink isp1 inside fd01:203:405::/48 outside 2001:db8:1::/48",
		  "isp1", "fd01:203:405::/48", "2001:db8:1::/48" },
		{ &xlate_npt, XLATE_ADD, "outside 2001:db8::/32 inside fd00::/32 uplink x",
		  "x", "fd00::/32", "2001:db8::/32" },
		{ &xlate_npt, XLATE_ADD, "uplink a inside fd00:0:0:1::/64 outside 2001:db8:0:ff::/64",
		  "a", "fd00:0:0:1::/64", "2001:db8:0:ff::/64" },
		{ &xlate_npt, XLATE_ADD, "uplink a inside fd00:0:0:10::/60 outside 2001:db8:0:20::/60",
		  "a", "fd00:0:0:10::/60", "2001:db8:0:20::/60" },
		{ &xlate_npt, XLATE_ADD, "uplink a inside 8000::/1 outside ::/1",
		  "a", "8000::/1", "::/1" },
		{ &xlate_npt, XLATE_DEL, "uplink isp1 inside fd00::/56", "isp1", "fd00::/56", NULL },
		{ &xlate_nat, XLATE_ADD, "uplink isp1 inside 10.250.250.10 outside 203.0.113.10",
		  "isp1", "10.250.250.10/32", "203.0.113.10/32" },
		{ &xlate_nat, XLATE_ADD, "uplink isp2 inside 10.1.0.0/24 outside 198.51.100.0/24",
		  "isp2", "10.1.0.0/24", "198.51.100.0/24" },
		{ &xlate_nat, XLATE_ADD, "uplink isp2 inside 10.0.0.5/32 outside 198.51.100.9",
		  "isp2", "10.0.0.5/32", "198.51.100.9/32" },
		{ &xlate_nat, XLATE_ADD, "uplink u inside 0.0.0.0/1 outside 128.0.0.0/1",
		  "u", "0.0.0.0/1", "128.0.0.0/1" },
		{ &xlate_nat, XLATE_DEL, "inside 10.0.0.5 uplink isp2", "isp2", "10.0.0.5/32", NULL },
	};
	struct xlate x;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		int ret = parse(good[i].k, good[i].cmd, good[i].line, &x);
		uint32_t want = XLATE_F_UPLINK | XLATE_F_INSIDE |
				(good[i].outside ? XLATE_F_OUTSIDE : 0);

		ok(!ret && x.present == want && !strcmp(x.uplink, good[i].uplink) &&
		   !strcmp(fmt(&x.inside), good[i].inside) &&
		   (!good[i].outside || !strcmp(fmt(&x.outside), good[i].outside)),
		   "%s %s: %s", good[i].k->name, good[i].cmd == XLATE_ADD ? "add" : "del",
		   good[i].line);
		if (ret)
			printf("#   error: %s\n", parse_error());
	}
	ok(!parse(&xlate_npt, XLATE_SHOW, "", &x) && !x.present, "npt show: no arguments");
}

static const struct {
	const struct xlate_kind *k;
	enum xlate_cmd cmd;
	const char *line, *error;
} bad[] = {
	/* unequal prefix lengths */
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::/48 outside 2001:db8::/56",
	  "argument \"2001:db8::/56\" is wrong: outside prefix length /56 differs from inside /48" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 10.0.0.0/24 outside 192.0.2.1",
	  "argument \"192.0.2.1\" is wrong: outside prefix length /32 differs from inside /24" },
	/* too long */
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::/65 outside 2001:db8::/65",
	  "argument \"fd00::/65\" is wrong: npt prefix length must be 1-64" },
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::/48 outside 2001:db8::/128",
	  "argument \"2001:db8::/128\" is wrong: npt prefix length must be 1-64" },
	{ &xlate_npt, XLATE_DEL, "uplink a inside fd00::/80",
	  "argument \"fd00::/80\" is wrong: npt prefix length must be 1-64" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 10.0.0.1/33 outside 192.0.2.1",
	  "argument \"10.0.0.1/33\" is wrong: IPv4 prefix length must be 0-32" },
	{ &xlate_npt, XLATE_ADD, "uplink a inside ::/0 outside ::/0",
	  "argument \"::/0\" is wrong: npt prefix length must be 1-64" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 0.0.0.0/0 outside 0.0.0.0/0",
	  "argument \"0.0.0.0/0\" is wrong: nat prefix length must be 1-32" },
	/* host bits */
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::1/48 outside 2001:db8::/48",
	  "argument \"fd00::1/48\" is wrong: prefix has host bits set" },
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::/48 outside 2001:db8:0:1::/48",
	  "argument \"2001:db8:0:1::/48\" is wrong: prefix has host bits set" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 10.0.0.1/24 outside 192.0.2.0/24",
	  "argument \"10.0.0.1/24\" is wrong: prefix has host bits set" },
	/* wrong family */
	{ &xlate_npt, XLATE_ADD, "uplink a inside 10.0.0.0/8 outside 2001:db8::/8",
	  "argument \"10.0.0.0/8\" is wrong: inside must be an IPv6 prefix for npt" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 10.0.0.1 outside 2001:db8::1",
	  "argument \"2001:db8::1\" is wrong: outside must be an IPv4 address or prefix for nat" },
	/* NPT prefixes need their length */
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00:: outside 2001:db8::/48",
	  "argument \"fd00::\" is wrong: inside must be an IPv6 prefix, ADDR/LEN" },
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::/48 outside bogus/48",
	  "argument \"bogus/48\" is wrong: outside must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 10.0.0.1/x outside 192.0.2.1",
	  "argument \"10.0.0.1/x\" is wrong: IPv4 prefix length must be 0-32" },
	/* missing keywords and arguments */
	{ &xlate_npt, XLATE_ADD, "inside fd00::/48 outside 2001:db8::/48",
	  "\"uplink\" is required: npt add uplink NAME inside PREFIX outside PREFIX" },
	{ &xlate_npt, XLATE_ADD, "uplink a outside 2001:db8::/48",
	  "\"inside\" is required: npt add uplink NAME inside PREFIX outside PREFIX" },
	{ &xlate_nat, XLATE_ADD, "uplink a inside 10.0.0.1",
	  "\"outside\" is required: nat add uplink NAME inside PREFIX outside PREFIX" },
	{ &xlate_nat, XLATE_DEL, "uplink a",
	  "\"inside\" is required: nat del uplink NAME inside PREFIX" },
	{ &xlate_npt, XLATE_ADD, "uplink a inside",
	  "\"inside\" needs an argument" },
	/* unknown and duplicate keywords */
	{ &xlate_npt, XLATE_DEL, "uplink a inside fd00::/48 outside 2001:db8::/48",
	  "unknown keyword \"outside\"" },
	{ &xlate_npt, XLATE_ADD, "uplink a inside fd00::/48 outside 2001:db8::/48 weight 3",
	  "unknown keyword \"weight\"" },
	{ &xlate_npt, XLATE_SHOW, "uplink a", "unknown keyword \"uplink\"" },
	{ &xlate_nat, XLATE_ADD, "uplink a uplink b", "duplicate \"uplink\": \"b\" is the second value" },
	{ &xlate_nat, XLATE_ADD, "uplink a/b inside 10.0.0.1 outside 192.0.2.1",
	  "argument \"a/b\" is wrong: uplink name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ &xlate_nat, XLATE_ADD, "uplink abcdefghijklmnop inside 10.0.0.1 outside 192.0.2.1",
	  "argument \"abcdefghijklmnop\" is wrong: uplink name must be 1-15 characters, without \"/\", \":\" or white space" },
};

static void test_bad(void)
{
	struct xlate x;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = parse(bad[i].k, bad[i].cmd, bad[i].line, &x);
		ok(ret == -1 && !strcmp(parse_error(), bad[i].error),
		   "%s error: \"%s\"", bad[i].k->name, bad[i].line);
		if (ret != -1 || strcmp(parse_error(), bad[i].error))
			printf("#   got:  %d '%s'\n#   want: '%s'\n", ret,
			       ret ? parse_error() : "", bad[i].error);
	}
}

static char *capture_show(const struct xlate *x, unsigned int flags, bool json)
{
	char *buf = NULL;
	size_t size;
	FILE *fp = open_memstream(&buf, &size);

	json_print_init(fp, json, false);
	open_json_array(NULL);
	xlate_print(x, flags);
	close_json_array();
	if (json)
		print_nl();
	fclose(fp);
	json_print_init(NULL, false, false);
	return buf;
}

static char *capture_event(const struct xlate_kind *k, const struct xlate *x,
			   unsigned int cmd, bool json)
{
	char *buf = NULL;
	size_t size;
	FILE *fp = open_memstream(&buf, &size);

	json_print_init(fp, json, false);
	xlate_print_event(k, x, cmd);
	fclose(fp);
	json_print_init(NULL, false, false);
	return buf;
}

static void test_print(void)
{
	struct xlate x;
	char *s;

	parse(&xlate_npt, XLATE_ADD, "uplink isp1 inside fd01:203:405::/48 outside 2001:db8:1::/48", &x);
	x.packets = 1234;
	x.present |= XLATE_F_STATS;
	s = capture_show(&x, 0, false);
	is_str(s, "uplink isp1 inside fd01:203:405::/48 outside 2001:db8:1::/48\n",
	       "npt show text: the words that create it");
	free(s);
	s = capture_show(&x, XLATE_PRINT_STATS, false);
	is_str(s, "uplink isp1 inside fd01:203:405::/48 outside 2001:db8:1::/48 packets 1234\n",
	       "npt show -s text: packets");
	free(s);
	s = capture_show(&x, XLATE_PRINT_STATS, true);
	is_str(s, "[{\"uplink\":\"isp1\",\"inside\":\"fd01:203:405::/48\",\"outside\":\"2001:db8:1::/48\","
		  "\"packets\":1234}]\n", "npt show -s JSON: uplink, inside, outside, packets");
	free(s);
	s = capture_show(&x, 0, true);
	ok(!strstr(s, "packets"), "npt show JSON: no packets without -s");
	free(s);

	parse(&xlate_nat, XLATE_ADD, "uplink isp2 inside 10.250.250.10 outside 203.0.113.10", &x);
	s = capture_show(&x, XLATE_PRINT_STATS, false);
	is_str(s, "uplink isp2 inside 10.250.250.10/32 outside 203.0.113.10/32\n",
	       "nat show text: /32 printed; no packets when the kernel sent none");
	free(s);
	s = capture_event(&xlate_nat, &x, MWAN_CMD_NAT_NEW, false);
	is_str(s, "nat added: uplink isp2 inside 10.250.250.10/32 outside 203.0.113.10/32\n",
	       "nat event text: added");
	free(s);
	s = capture_event(&xlate_nat, &x, MWAN_CMD_NAT_SET, true);
	is_str(s, "{\"event\":\"set\",\"object\":\"nat\",\"uplink\":\"isp2\",\"inside\":\"10.250.250.10/32\","
		  "\"outside\":\"203.0.113.10/32\"}\n", "nat event JSON: set");
	free(s);
	x.present &= ~XLATE_F_OUTSIDE;
	s = capture_event(&xlate_npt, &x, MWAN_CMD_NPT_DEL, false);
	is_str(s, "npt deleted: uplink isp2 inside 10.250.250.10/32\n",
	       "npt event text: deleted, without outside");
	free(s);
	s = capture_event(&xlate_npt, &x, MWAN_CMD_NAT_DEL, false);
	is_str(s, "", "npt event: another kind's command prints nothing");
	free(s);

	is_str(npt_attr_name(MWAN_NPT_A_INSIDE_LEN), "inside", "attribute name: inside length is inside");
	is_str(nat_attr_name(MWAN_NAT_A_OUTSIDE), "outside", "attribute name: outside");
	is_str(nat_attr_name(42), "attribute 42", "attribute name: unknown by number");
}

static struct nlmsghdr *msg(void *buf, uint8_t cmd)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = MWAN_GENL_VERSION;
	return nlh;
}

static void test_nl(void)
{
	static const struct {
		const struct xlate_kind *k;
		enum xlate_cmd cmd;
		const char *line;
	} lines[] = {
		{ &xlate_npt, XLATE_ADD, "uplink isp1 inside fd01:203:405::/48 outside 2001:db8:1::/48" },
		{ &xlate_npt, XLATE_ADD, "uplink a inside fd00:0:0:10::/60 outside 2001:db8:0:20::/60" },
		{ &xlate_npt, XLATE_DEL, "uplink a inside fd00::/64" },
		{ &xlate_nat, XLATE_ADD, "uplink isp2 inside 10.1.0.0/24 outside 198.51.100.0/24" },
		{ &xlate_nat, XLATE_DEL, "uplink isp2 inside 10.1.0.7" },
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct xlate in, out;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t a16[16] = { 0xfd }, a4[4] = { 10 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		parse(lines[i].k, lines[i].cmd, lines[i].line, &in);
		nlh = msg(buf, lines[i].k->cmd_new);
		xlate_put(nlh, &in);
		ok(!xlate_from_msg(lines[i].k, nlh, &out) && !memcmp(&in, &out, sizeof(in)),
		   "%s roundtrip: %s", lines[i].k->name, lines[i].line);
	}

	nlh = msg(buf, MWAN_CMD_NPT_GET);
	mnl_attr_put_strz(nlh, MWAN_NPT_A_UPLINK, "u");
	mnl_attr_put(nlh, MWAN_NPT_A_INSIDE, 16, a16);
	mnl_attr_put_u8(nlh, MWAN_NPT_A_INSIDE_LEN, 8);
	mnl_attr_put(nlh, MWAN_NPT_A_OUTSIDE, 16, a16);
	mnl_attr_put_u8(nlh, MWAN_NPT_A_OUTSIDE_LEN, 8);
	nest = mnl_attr_nest_start(nlh, MWAN_NPT_A_STATS);
	mnl_attr_put_u64(nlh, MWAN_STATS_A_PACKETS, 77);
	mnl_attr_put_u64(nlh, 99, 1);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, 99, 1);
	ok(!xlate_from_msg(&xlate_npt, nlh, &out) && out.packets == 77 &&
	   out.present == (XLATE_F_UPLINK | XLATE_F_INSIDE | XLATE_F_OUTSIDE | XLATE_F_STATS),
	   "npt reply: stats read, unknown attributes skipped");

	nlh = msg(buf, MWAN_CMD_NPT_GET);
	mnl_attr_put_strz(nlh, MWAN_NPT_A_UPLINK, "u");
	mnl_attr_put(nlh, MWAN_NPT_A_INSIDE, 4, a4);
	mnl_attr_put_u8(nlh, MWAN_NPT_A_INSIDE_LEN, 8);
	errno = 0;
	ok(xlate_from_msg(&xlate_npt, nlh, &out) == -1 && errno == EPROTO,
	   "npt reply: a 4-byte inside prefix refused");

	nlh = msg(buf, MWAN_CMD_NAT_GET);
	mnl_attr_put_strz(nlh, MWAN_NAT_A_UPLINK, "u");
	mnl_attr_put(nlh, MWAN_NAT_A_INSIDE, 4, a4);
	mnl_attr_put_u8(nlh, MWAN_NAT_A_INSIDE_LEN, 33);
	ok(xlate_from_msg(&xlate_nat, nlh, &out) == -1, "nat reply: length 33 refused");

	nlh = msg(buf, MWAN_CMD_NPT_GET);
	mnl_attr_put_strz(nlh, MWAN_NPT_A_UPLINK, "u");
	mnl_attr_put(nlh, MWAN_NPT_A_INSIDE, 16, a16);
	mnl_attr_put_u8(nlh, MWAN_NPT_A_INSIDE_LEN, 65);
	ok(xlate_from_msg(&xlate_npt, nlh, &out) == -1, "npt reply: length 65 refused");

	nlh = msg(buf, MWAN_CMD_NAT_GET);
	mnl_attr_put_strz(nlh, MWAN_NAT_A_UPLINK, "u");
	mnl_attr_put(nlh, MWAN_NAT_A_INSIDE, 4, a4);
	mnl_attr_put_u8(nlh, MWAN_NAT_A_INSIDE_LEN, 8);
	mnl_attr_put(nlh, MWAN_NAT_A_OUTSIDE, 4, a4);
	ok(xlate_from_msg(&xlate_nat, nlh, &out) == -1, "nat reply: outside without its length refused");

	nlh = msg(buf, MWAN_CMD_NAT_GET);
	mnl_attr_put(nlh, MWAN_NAT_A_INSIDE, 4, a4);
	mnl_attr_put_u8(nlh, MWAN_NAT_A_INSIDE_LEN, 8);
	ok(xlate_from_msg(&xlate_nat, nlh, &out) == -1, "nat reply: no uplink refused");

	nlh = msg(buf, MWAN_CMD_NAT_GET);
	mnl_attr_put_strz(nlh, MWAN_NAT_A_UPLINK, "u");
	ok(xlate_from_msg(&xlate_nat, nlh, &out) == -1, "nat reply: no inside prefix refused");
}

int main(void)
{
	test_good();
	test_bad();
	test_print();
	test_nl();
	return tap_done();
}
