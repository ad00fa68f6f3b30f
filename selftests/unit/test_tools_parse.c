// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl's parsers and printers on the host: numbers and ranges, addresses,
 * track lists, names, keyword matching, batch lines, whole "uplink" command
 * lines into struct uplink with every error message, and the text and JSON
 * that "uplink show" and "monitor" print. TAP output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "../../tools/lib/batch.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/uplink.h"
#include "../../tools/lib/utils.h"

#include "tap.h"

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void is_str(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
}

static void test_matches(void)
{
	ok(matches("u", "uplink") && matches("uplink", "uplink"),
	   "matches: prefixes of a word match");
	ok(!matches("", "uplink"), "matches: the empty string matches nothing");
	ok(!matches("uplinks", "uplink") && !matches("x", "uplink"),
	   "matches: longer or different strings do not match");
}

static void test_u32(void)
{
	static const struct {
		const char *arg;
		int ret;
		uint32_t val;
	} cases[] = {
		{ "0", 0, 0 }, { "1000", 0, 1000 }, { "4294967295", 0, UINT32_MAX },
		{ "0x10", 0, 16 }, { "0XfF", 0, 255 }, { "010", 0, 10 },
		{ "4294967296", -1, 0 }, { "0x100000000", -1, 0 }, { "-1", -1, 0 },
		{ "+1", -1, 0 }, { " 1", -1, 0 }, { "1 ", -1, 0 }, { "", -1, 0 },
		{ "0x", -1, 0 }, { "0x-1", -1, 0 }, { "1e3", -1, 0 }, { "abc", -1, 0 },
		{ "99999999999999999999999", -1, 0 },
	};
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 12345;
		ok(get_u32(&v, cases[i].arg) == cases[i].ret &&
		   (cases[i].ret || v == cases[i].val),
		   "get_u32(\"%s\") %s", cases[i].arg,
		   cases[i].ret ? "fails" : "parses");
	}
	ok(get_u32_range(&v, "1000", 1, 1000, "weight") == 0 && v == 1000,
	   "get_u32_range: the maximum is in range");
	ok(get_u32_range(&v, "0", 1, 1000, "weight") == -1,
	   "get_u32_range: below the minimum fails");
	is_str(parse_error(), "argument \"0\" is wrong: weight must be 1-1000",
	       "get_u32_range: the message quotes the argument and the range");
}

static void test_addr(void)
{
	struct inet_addr a, b;
	char buf[INET6_ADDRSTRLEN];

	ok(!get_addr(&a, "192.0.2.1", "gateway") && a.family == AF_INET &&
	   a.v4.s_addr == htonl(0xc0000201), "get_addr: IPv4");
	ok(!get_addr(&a, "2001:db8::1", "gateway") && a.family == AF_INET6 &&
	   !strcmp(format_addr(&a, buf, sizeof(buf)), "2001:db8::1"), "get_addr: IPv6");
	ok(!get_addr(&a, "fe80::1", "gateway"), "get_addr: IPv6 link-local gateway");
	ok(get_addr(&a, "192.0.2.256", "gateway") == -1, "get_addr: 256 in IPv4 fails");
	is_str(parse_error(), "argument \"192.0.2.256\" is wrong: gateway must be an IPv4 or IPv6 address",
	       "get_addr: bad address message");
	ok(get_addr(&a, "1.2.3", "gateway") == -1, "get_addr: short IPv4 fails");
	ok(get_addr(&a, "fe80::1%eth0", "gateway") == -1, "get_addr: scope id fails");
	ok(get_addr(&a, "0.0.0.0", "gateway") == -1 &&
	   get_addr(&a, "::", "gateway") == -1, "get_addr: unspecified fails");
	is_str(parse_error(), "argument \"::\" is wrong: gateway must be a unicast address",
	       "get_addr: non-unicast message");
	ok(get_addr(&a, "224.0.0.1", "gateway") == -1 &&
	   get_addr(&a, "ff02::1", "gateway") == -1 &&
	   get_addr(&a, "255.255.255.255", "gateway") == -1,
	   "get_addr: multicast and broadcast fail");
	get_addr(&a, "2001:db8::1", "x");
	get_addr(&b, "2001:db8:0:0::1", "x");
	ok(inet_addr_equal(&a, &b), "inet_addr_equal: two spellings of one IPv6 address");
}

static void test_addr_list(void)
{
	struct inet_addr v[MWAN_TRACK_MAX];
	unsigned int n = 99;

	ok(!get_addr_list(v, &n, MWAN_TRACK_MAX, "1.1.1.1", "track") && n == 1,
	   "track list: one address");
	ok(!get_addr_list(v, &n, MWAN_TRACK_MAX, "1.1.1.1,2606:4700::1111,8.8.8.8", "track") &&
	   n == 3 && v[1].family == AF_INET6, "track list: mixed families");
	ok(!get_addr_list(v, &n, MWAN_TRACK_MAX,
			  "1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,1.0.0.7,1.0.0.8",
			  "track") && n == 8, "track list: eight addresses");
	ok(get_addr_list(v, &n, MWAN_TRACK_MAX,
			 "1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,1.0.0.7,1.0.0.8,1.0.0.9",
			 "track") == -1, "track list: nine addresses fail");
	is_str(parse_error(),
	       "argument \"1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,1.0.0.7,1.0.0.8,1.0.0.9\" is wrong: at most 8 track addresses",
	       "track list: too many message");
	ok(get_addr_list(v, &n, MWAN_TRACK_MAX, "1.1.1.1,", "track") == -1 &&
	   get_addr_list(v, &n, MWAN_TRACK_MAX, ",1.1.1.1", "track") == -1 &&
	   get_addr_list(v, &n, MWAN_TRACK_MAX, "", "track") == -1,
	   "track list: empty elements fail");
	is_str(parse_error(), "argument \"\" is wrong: empty address in track list",
	       "track list: empty element message");
	ok(get_addr_list(v, &n, MWAN_TRACK_MAX, "2001:db8::1,2001:db8:0::1", "track") == -1,
	   "track list: duplicates fail");
	is_str(parse_error(),
	       "argument \"2001:db8::1,2001:db8:0::1\" is wrong: track address \"2001:db8:0::1\" is listed twice",
	       "track list: duplicate message");
	ok(get_addr_list(v, &n, MWAN_TRACK_MAX, "1.1.1.1,foo", "track") == -1,
	   "track list: a bad element fails");
	is_str(parse_error(),
	       "argument \"1.1.1.1,foo\" is wrong: \"foo\" is not a unicast IPv4 or IPv6 address",
	       "track list: bad element message");
	ok(get_addr_list(v, &n, MWAN_TRACK_MAX,
			 "1.1.1.1,0000:0000:0000:0000:0000:0000:0000:0000:0000", "track") == -1,
	   "track list: an overlong element fails");
}

static void test_ifname(void)
{
	char name[MWAN_NAME_MAXLEN];

	ok(!get_ifname(name, sizeof(name), "eth1", "device name") &&
	   !strcmp(name, "eth1"), "ifname: eth1");
	ok(!get_ifname(name, sizeof(name), "enp2s0f0v0.3242", "device name"),
	   "ifname: 15 characters");
	ok(get_ifname(name, sizeof(name), "enp2s0f0v0.32420", "device name") == -1,
	   "ifname: 16 characters fail");
	is_str(parse_error(),
	       "argument \"enp2s0f0v0.32420\" is wrong: device name must be 1-15 characters, without \"/\", \":\" or white space",
	       "ifname: message");
	ok(get_ifname(name, sizeof(name), "", "x") == -1 &&
	   get_ifname(name, sizeof(name), ".", "x") == -1 &&
	   get_ifname(name, sizeof(name), "..", "x") == -1 &&
	   get_ifname(name, sizeof(name), "a b", "x") == -1 &&
	   get_ifname(name, sizeof(name), "a/b", "x") == -1 &&
	   get_ifname(name, sizeof(name), "a:b", "x") == -1 &&
	   get_ifname(name, sizeof(name), "a\tb", "x") == -1,
	   "ifname: empty, dots, blanks, slash and colon fail");
}

static void test_batch(void)
{
	char *argv[BATCH_MAX_ARGS];
	char line[1024];
	int argc;

	strcpy(line, "  uplink add\twan1 dev eth1 # the AT&T uplink\n");
	argc = batch_split(line, argv, BATCH_MAX_ARGS);
	ok(argc == 5 && !strcmp(argv[0], "uplink") && !strcmp(argv[4], "eth1"),
	   "batch: blanks separate words, # starts a comment");
	strcpy(line, "# only a comment\n");
	ok(batch_split(line, argv, BATCH_MAX_ARGS) == 0, "batch: comment line");
	strcpy(line, " \r\n");
	ok(batch_split(line, argv, BATCH_MAX_ARGS) == 0, "batch: blank line");
	strcpy(line, "a \"b c\" 'd#e' \"\" f#g");
	argc = batch_split(line, argv, BATCH_MAX_ARGS);
	ok(argc == 5 && !strcmp(argv[1], "b c") && !strcmp(argv[2], "d#e") &&
	   !strcmp(argv[3], "") && !strcmp(argv[4], "f#g"),
	   "batch: quotes group words; # inside a word is literal");
	strcpy(line, "a \"b c");
	ok(batch_split(line, argv, BATCH_MAX_ARGS) == -1, "batch: unterminated quote fails");
	is_str(parse_error(), "unterminated \" quoted string", "batch: unterminated message");
	strcpy(line, "a \"b\"c");
	ok(batch_split(line, argv, BATCH_MAX_ARGS) == -1, "batch: text after a closing quote fails");
	strcpy(line, "a b c");
	ok(batch_split(line, argv, 2) == -1, "batch: too many words fail");
	is_str(parse_error(), "too many arguments (at most 2)", "batch: too many message");
}

/* Splits cmdline on blanks and runs uplink_parse() on it. */
static int parse(enum uplink_cmd cmd, const char *cmdline, struct uplink *u)
{
	char buf[1024], *argv[64];
	int argc;

	snprintf(buf, sizeof(buf), "%s", cmdline);
	argc = batch_split(buf, argv, 64);
	return uplink_parse(cmd, argc, argv, u);
}

static void test_uplink_add(void)
{
	struct uplink u;
	char buf[INET6_ADDRSTRLEN];
	uint32_t want = UPLINK_F_NAME | UPLINK_F_DEV | UPLINK_F_GW4 | UPLINK_F_GW6 |
			UPLINK_F_TABLE | UPLINK_F_WEIGHT | UPLINK_F_METRIC |
			UPLINK_F_TRACK | UPLINK_F_INTERVAL | UPLINK_F_TIMEOUT |
			UPLINK_F_DOWN | UPLINK_F_UP | UPLINK_F_RELIABILITY;

	ok(!parse(UPLINK_ADD, "att dev eth1", &u) &&
	   u.present == (UPLINK_F_NAME | UPLINK_F_DEV) &&
	   !strcmp(u.name, "att") && !strcmp(u.dev, "eth1"),
	   "uplink add: NAME dev IFNAME alone sets only those");
	ok(!parse(UPLINK_ADD, "att dev eth1.3242 via 2001:db8::1 via 192.0.2.1 table 1001 "
		  "weight 3 metric 2 track 1.1.1.1,2606:4700::1111 interval 500 "
		  "timeout 1000 down 3 up 5 reliability 2", &u) && u.present == want,
	   "uplink add: every option sets its flag");
	ok(u.table == 1001 && u.weight == 3 && u.metric == 2 && u.interval_ms == 500 &&
	   u.timeout_ms == 1000 && u.down == 3 && u.up == 5 && u.reliability == 2,
	   "uplink add: every number lands in its field");
	ok(!strcmp(inet_ntop(AF_INET, &u.gw4, buf, sizeof(buf)), "192.0.2.1") &&
	   !strcmp(inet_ntop(AF_INET6, &u.gw6, buf, sizeof(buf)), "2001:db8::1"),
	   "uplink add: one via of each family");
	ok(u.ntrack == 2 && u.track[0].family == AF_INET && u.track[1].family == AF_INET6,
	   "uplink add: the track list");
	ok(parse(UPLINK_ADD, "w dev e weight 1 weight2 x", &u) == -1 &&
	   !strcmp(parse_error(), "unknown keyword \"weight2\""),
	   "uplink add: keywords are exact (weight2 is unknown)");
	ok(!parse(UPLINK_ADD, "w dev e table 252", &u) &&
	   !parse(UPLINK_ADD, "w dev e table 256", &u) &&
	   !parse(UPLINK_ADD, "w dev e table 4294967295", &u) && u.table == UINT32_MAX,
	   "uplink add: tables around the reserved ones");
	ok(!parse(UPLINK_ADD, "w dev e interval 10 timeout 60000 down 100 up 1 reliability 8", &u),
	   "uplink add: the range limits are accepted");
	ok(!parse(UPLINK_SET, "w rtt-max 150 loss-max 20", &u) &&
	   u.present == (UPLINK_F_NAME | UPLINK_F_RTT_MAX | UPLINK_F_LOSS_MAX) &&
	   u.rtt_max_ms == 150 && u.loss_max_pct == 20,
	   "uplink set: degraded thresholds");
	ok(!parse(UPLINK_SET, "w rtt-max 0 loss-max 0", &u) &&
	   u.present == (UPLINK_F_NAME | UPLINK_F_RTT_MAX | UPLINK_F_LOSS_MAX) &&
	   !u.rtt_max_ms && !u.loss_max_pct,
	   "uplink set: 0 clears a threshold");
	ok(!parse(UPLINK_ADD, "w dev wg0 track handshake", &u) &&
	   u.present == (UPLINK_F_NAME | UPLINK_F_DEV | UPLINK_F_HANDSHAKE) &&
	   u.handshake_s == UPLINK_HANDSHAKE_DEFAULT,
	   "uplink add: track handshake, default 180 s");
	ok(!parse(UPLINK_SET, "w track handshake 30 weight 2", &u) &&
	   u.handshake_s == 30 && u.weight == 2 && (u.present & UPLINK_F_WEIGHT),
	   "uplink set: track handshake SECONDS, then more keywords");
	ok(!parse(UPLINK_SET, "w track 192.0.2.1 track handshake 0", &u) &&
	   u.ntrack == 1 && !u.handshake_s && (u.present & UPLINK_F_HANDSHAKE),
	   "uplink set: track ADDR and track handshake 0 together");
	ok(parse(UPLINK_SET, "w track handshake 86401", &u) == -1 &&
	   !strcmp(parse_error(), "argument \"86401\" is wrong: track handshake must be 0-86400"),
	   "uplink set: track handshake over 86400 refused");
	ok(parse(UPLINK_SET, "w track handshake track handshake", &u) == -1 &&
	   !strcmp(parse_error(), "duplicate \"track\": \"handshake\" is the second value"),
	   "uplink set: track handshake twice refused");
}

static const struct {
	enum uplink_cmd cmd;
	const char *line;
	const char *error;
} bad[] = {
	{ UPLINK_ADD, "", "uplink name required: uplink add NAME dev IFNAME ..." },
	{ UPLINK_SET, "", "uplink name required: uplink set NAME ..." },
	{ UPLINK_DEL, "", "uplink name required: uplink del NAME" },
	{ UPLINK_ADD, "wan1", "\"dev\" is required: uplink add NAME dev IFNAME ..." },
	{ UPLINK_ADD, "wan1 dev", "\"dev\" needs an argument" },
	{ UPLINK_ADD, "wan1 dev eth1 wieght 3", "unknown keyword \"wieght\"" },
	{ UPLINK_ADD, "wan1 dev eth1 Weight 3", "unknown keyword \"Weight\"" },
	{ UPLINK_ADD, "wan1 dev eth1 w 3", "unknown keyword \"w\"" },
	{ UPLINK_ADD, "wan1 dev eth1 weight abc", "argument \"abc\" is wrong: weight must be 1-1000" },
	{ UPLINK_ADD, "wan1 dev eth1 weight 0", "argument \"0\" is wrong: weight must be 1-1000" },
	{ UPLINK_ADD, "wan1 dev eth1 weight 1001", "argument \"1001\" is wrong: weight must be 1-1000" },
	{ UPLINK_ADD, "wan1 dev eth1 weight", "\"weight\" needs an argument" },
	{ UPLINK_ADD, "wan1 dev eth1 weight 2 weight 3", "duplicate \"weight\": \"3\" is the second value" },
	{ UPLINK_ADD, "wan1 dev eth1 dev eth2", "duplicate \"dev\": \"eth2\" is the second value" },
	{ UPLINK_ADD, "wan1 dev eth1 metric 256", "argument \"256\" is wrong: metric must be 1-255" },
	{ UPLINK_ADD, "wan1 dev eth1 metric 0", "argument \"0\" is wrong: metric must be 1-255" },
	{ UPLINK_ADD, "wan1 dev eth1 interval 9", "argument \"9\" is wrong: interval must be 10-60000" },
	{ UPLINK_ADD, "wan1 dev eth1 timeout 60001", "argument \"60001\" is wrong: timeout must be 10-60000" },
	{ UPLINK_ADD, "wan1 dev eth1 down 0", "argument \"0\" is wrong: down must be 1-100" },
	{ UPLINK_ADD, "wan1 dev eth1 up 101", "argument \"101\" is wrong: up must be 1-100" },
	{ UPLINK_ADD, "wan1 dev eth1 reliability 9", "argument \"9\" is wrong: reliability must be 1-8" },
	{ UPLINK_ADD, "wan1 dev eth1 rtt-max 60001", "argument \"60001\" is wrong: rtt-max must be 0-60000" },
	{ UPLINK_ADD, "wan1 dev eth1 loss-max 101", "argument \"101\" is wrong: loss-max must be 0-100" },
	{ UPLINK_ADD, "wan1 dev eth1 loss-max 10 loss-max 20", "duplicate \"loss-max\": \"20\" is the second value" },
	{ UPLINK_ADD, "wan1 dev eth1 table 0", "argument \"0\" is wrong: table must be 1-4294967295, except 253-255 (default, main, local)" },
	{ UPLINK_ADD, "wan1 dev eth1 table 253", "argument \"253\" is wrong: table must be 1-4294967295, except 253-255 (default, main, local)" },
	{ UPLINK_ADD, "wan1 dev eth1 table 255", "argument \"255\" is wrong: table must be 1-4294967295, except 253-255 (default, main, local)" },
	{ UPLINK_ADD, "wan1 dev eth1 table main", "argument \"main\" is wrong: table must be 1-4294967295, except 253-255 (default, main, local)" },
	{ UPLINK_ADD, "wan1 dev eth1 via 192.0.2.1 via 192.0.2.2", "duplicate \"via\": \"192.0.2.2\" is a second IPv4 gateway" },
	{ UPLINK_ADD, "wan1 dev eth1 via fe80::1 via 2001:db8::1", "duplicate \"via\": \"2001:db8::1\" is a second IPv6 gateway" },
	{ UPLINK_ADD, "wan1 dev eth1 via gw", "argument \"gw\" is wrong: gateway must be an IPv4 or IPv6 address" },
	{ UPLINK_ADD, "wan1 dev eth1 via 0.0.0.0", "argument \"0.0.0.0\" is wrong: gateway must be a unicast address" },
	{ UPLINK_ADD, "wan1 dev eth1 track 1.1.1.1 track 8.8.8.8", "duplicate \"track\": \"8.8.8.8\" is the second value" },
	{ UPLINK_ADD, "wan1 dev eth1 track 1.1.1.1 reliability 2", "reliability 2 is more than the 1 track address given" },
	{ UPLINK_ADD, "wan1 dev eth1 reliability 3 track 1.1.1.1,8.8.8.8", "reliability 3 is more than the 2 track addresses given" },
	{ UPLINK_ADD, "wan1 dev eth1 state down", "unknown keyword \"state\"" },
	{ UPLINK_ADD, "wan1 dev eth1 dev", "\"dev\" needs an argument" },
	{ UPLINK_ADD, "wan1 dev eth/1", "argument \"eth/1\" is wrong: device name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ UPLINK_ADD, "abcdefghijklmnop dev eth1", "argument \"abcdefghijklmnop\" is wrong: uplink name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ UPLINK_ADD, "\"\" dev eth1", "argument \"\" is wrong: uplink name must be 1-15 characters, without \"/\", \":\" or white space" },
	{ UPLINK_SET, "wan1 state sideways", "argument \"sideways\" is wrong: state must be auto, up or down" },
	{ UPLINK_SET, "wan1 state UP", "argument \"UP\" is wrong: state must be auto, up or down" },
	{ UPLINK_SET, "wan1 state up state down", "duplicate \"state\": \"down\" is the second value" },
	{ UPLINK_SET, "wan1 state", "\"state\" needs an argument" },
	{ UPLINK_DEL, "wan1 dev eth1", "unknown keyword \"dev\"" },
	{ UPLINK_SHOW, "wan1 wan2", "unknown keyword \"wan2\"" },
};

static void test_uplink_errors(void)
{
	static const char *const cmd_names[] = {
		[UPLINK_ADD] = "add", [UPLINK_SET] = "set",
		[UPLINK_DEL] = "del", [UPLINK_SHOW] = "show",
	};
	struct uplink u;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = parse(bad[i].cmd, bad[i].line, &u);
		ok(ret == -1 && !strcmp(parse_error(), bad[i].error),
		   "uplink %s error: \"%s\"", cmd_names[bad[i].cmd], bad[i].line);
		if (ret != -1 || strcmp(parse_error(), bad[i].error))
			printf("#   got:  %d '%s'\n#   want: '%s'\n", ret,
			       ret ? parse_error() : "", bad[i].error);
	}
}

static void test_uplink_other(void)
{
	struct uplink u;

	ok(!parse(UPLINK_SET, "wan1 state down", &u) &&
	   u.present == (UPLINK_F_NAME | UPLINK_F_ADMIN) && u.admin == MWAN_ADMIN_DOWN,
	   "uplink set: state down");
	ok(!parse(UPLINK_SET, "wan1 state auto weight 7 dev eth9", &u) &&
	   u.admin == MWAN_ADMIN_AUTO && u.weight == 7 && !strcmp(u.dev, "eth9"),
	   "uplink set: state with options of add");
	ok(!parse(UPLINK_SET, "wan1 state up", &u) && u.admin == MWAN_ADMIN_UP,
	   "uplink set: state up");
	ok(!parse(UPLINK_SET, "wan1", &u) && u.present == UPLINK_F_NAME,
	   "uplink set NAME alone: only the name (routing installed again)");
	ok(!parse(UPLINK_DEL, "wan1", &u) && u.present == UPLINK_F_NAME &&
	   !strcmp(u.name, "wan1"), "uplink del NAME");
	ok(!parse(UPLINK_SHOW, "", &u) && !u.present, "uplink show: no name means all");
	ok(!parse(UPLINK_SHOW, "wan1", &u) && u.present == UPLINK_F_NAME,
	   "uplink show NAME");
}

/* Runs fn with output to a string; the caller frees it. */
static char *capture(void (*fn)(const struct uplink *, unsigned int),
		     const struct uplink *u, unsigned int arg, bool json, bool pretty)
{
	char *buf = NULL;
	size_t size;
	FILE *fp = open_memstream(&buf, &size);

	json_print_init(fp, json, pretty);
	open_json_array(NULL);
	fn(u, arg);
	close_json_array();
	if (json)
		print_nl();
	fclose(fp);
	json_print_init(NULL, false, false);
	return buf;
}

static void event_line(const struct uplink *u, unsigned int cmd)
{
	uplink_print_event(u, cmd);
}

static struct uplink sample(void)
{
	struct uplink u = {
		.present = ~UPLINK_F_GW6,
		.name = "wan1", .dev = "eth1", .ifindex = 3,
		.table = 1001, .mark = 0x10000, .mark_mask = 0xff0000,
		.weight = 3, .metric = 1, .admin = MWAN_ADMIN_AUTO,
		.state = MWAN_STATE_UP, .reason = MWAN_REASON_NONE,
		.health = MWAN_HEALTH_UP, .since_ms = 42500, .ntrack = 2,
		.interval_ms = 100, .timeout_ms = 250, .down = 5, .up = 10,
		.reliability = 1, .rtt_us = 12345, .loss_pct = 0,
		.stats = { 10, 1500, 2 },
	};

	inet_pton(AF_INET, "192.0.2.1", &u.gw4);
	get_addr(&u.track[0], "1.1.1.1", "x");
	get_addr(&u.track[1], "2606:4700::1111", "x");
	return u;
}

static void test_print(void)
{
	struct uplink u = sample();
	char *s;

	s = capture(uplink_print, &u, 0, false, false);
	is_str(s, "wan1: dev eth1 via 192.0.2.1 table 1001 mark 0x10000 weight 3 metric 1 state up admin auto\n"
		  "    track 1.1.1.1,2606:4700::1111 interval 100 timeout 250 down 5 up 10 reliability 1 health up rtt 12.3ms loss 0% since 42s\n",
	       "show text: main line and probe line");
	free(s);
	s = capture(uplink_print, &u, UPLINK_PRINT_STATS, false, false);
	ok(strstr(s, "since 42s\n    packets 10 bytes 1500 flows 2\n") != NULL,
	   "show text: -s adds the stats line");
	free(s);
	s = capture(uplink_print, &u, UPLINK_PRINT_STATS, true, false);
	is_str(s, "[{\"name\":\"wan1\",\"dev\":\"eth1\",\"ifindex\":3,\"gateway4\":\"192.0.2.1\","
		  "\"table\":1001,\"mark\":65536,\"mark_mask\":16711680,\"weight\":3,\"metric\":1,"
		  "\"state\":\"up\",\"admin\":\"auto\",\"track\":[\"1.1.1.1\",\"2606:4700::1111\"],"
		  "\"interval_ms\":100,\"timeout_ms\":250,\"down\":5,\"up\":10,\"reliability\":1,"
		  "\"health\":\"up\",\"rtt_us\":12345,\"loss_pct\":0,\"since_ms\":42500,"
		  "\"stats\":{\"packets\":10,\"bytes\":1500,\"flows\":2}}]\n",
	       "show JSON: every key");
	free(s);
	/* Judged by its WireGuard handshake alone: nothing is pinged. */
	u.present &= ~UPLINK_F_GW4;
	u.ntrack = 0;
	u.rtt_us = 0;
	s = capture(uplink_print, &u, 0, true, false);
	ok(!strstr(s, "rtt_us") && !strstr(s, "loss_pct") && strstr(s, "\"health\":\"up\""),
	   "show JSON: no rtt_us or loss_pct for an uplink nothing pings");
	free(s);
	s = capture(uplink_print, &u, 0, false, false);
	ok(!strstr(s, " rtt ") && !strstr(s, " loss ") && strstr(s, " health up"),
	   "show text: no rtt or loss for an uplink nothing pings");
	free(s);
	u = sample();

	u.state = MWAN_STATE_DOWN;
	u.reason = MWAN_REASON_NODEV;
	u.health = MWAN_HEALTH_UNKNOWN;
	u.ntrack = 0;
	u.since_ms = 3725000;
	u.present &= ~UPLINK_F_GW4;
	s = capture(uplink_print, &u, 0, false, false);
	is_str(s, "wan1: dev eth1 table 1001 mark 0x10000 weight 3 metric 1 state down (no device) admin auto\n"
		  "    interval 100 timeout 250 down 5 up 10 reliability 1 since 1h02m\n",
	       "show text: down with its reason, health unknown");
	free(s);
	s = capture(uplink_print, &u, 0, true, false);
	ok(strstr(s, "\"state\":\"down\",\"reason\":\"no_device\",") &&
	   strstr(s, "\"track\":[],") && strstr(s, "\"health\":\"unknown\",\"since_ms\":3725000}") &&
	   !strstr(s, "rtt_us") && !strstr(s, "loss_pct") && !strstr(s, "gateway4") &&
	   !strstr(s, "stats"),
	   "show JSON: reason, empty track, no rtt/loss while health is unknown");
	free(s);
	s = capture(uplink_print, &u, 0, true, true);
	ok(!strncmp(s, "[\n    {\n", 8) && !strcmp(s + strlen(s) - 4, "}\n]\n"),
	   "show JSON -p: one value per line, the array on its own lines");
	ok(strstr(s, "\n        \"name\": \"wan1\",\n") != NULL,
	   "show JSON -p: four spaces per level and \": \"");
	free(s);

	u = sample();
	strcpy(u.dev, "a\"b\\c\x01");
	s = capture(uplink_print, &u, 0, true, false);
	ok(strstr(s, "\"dev\":\"a\\\"b\\\\c\\u0001\"") != NULL, "JSON: strings are escaped");
	free(s);
}

static void test_events(void)
{
	struct uplink u = sample();
	char *s;

	s = capture(event_line, &u, MWAN_CMD_UPLINK_NEW, false, false);
	ok(starts(s, "uplink wan1 added: dev eth1 via 192.0.2.1 table 1001 mark 0x10000 weight 3 metric 1 state up admin auto track 1.1.1.1,2606:4700::1111 interval 100 ") &&
	   strchr(s, '\n') == s + strlen(s) - 1,
	   "monitor text: one line for an added uplink");
	free(s);
	s = capture(event_line, &u, MWAN_CMD_UPLINK_SET, false, false);
	ok(starts(s, "uplink wan1 changed: dev eth1 "), "monitor text: changed");
	free(s);
	s = capture(event_line, &u, MWAN_CMD_UPLINK_DEL, false, false);
	is_str(s, "uplink wan1 deleted\n", "monitor text: deleted");
	free(s);

	json_print_init(NULL, false, false);
	{
		char *buf = NULL;
		size_t size;
		FILE *fp = open_memstream(&buf, &size);

		json_print_init(fp, true, false);
		uplink_print_event(&u, MWAN_CMD_UPLINK_DEL);
		uplink_print_event(&u, MWAN_CMD_UPLINK_NEW);
		fclose(fp);
		ok(starts(buf, "{\"event\":\"del\",\"object\":\"uplink\",\"name\":\"wan1\",\"dev\":\"eth1\","),
		   "monitor JSON: event, object, then the uplink keys");
		ok(strstr(buf, "}\n{\"event\":\"new\",") && buf[strlen(buf) - 1] == '\n' &&
		   !strchr(strchr(buf, '\n') + 1, '\n')[1],
		   "monitor JSON: one object per line");
		free(buf);
		json_print_init(NULL, false, false);
	}
}

static void test_attr_names(void)
{
	is_str(uplink_attr_name(MWAN_UPLINK_A_WEIGHT), "weight", "attribute name: weight");
	is_str(uplink_attr_name(MWAN_UPLINK_A_IFNAME), "dev", "attribute name: ifname is dev");
	is_str(uplink_attr_name(999), "attribute 999", "attribute name: unknown type");
}

int main(void)
{
	test_matches();
	test_u32();
	test_addr();
	test_addr_list();
	test_ifname();
	test_batch();
	test_uplink_add();
	test_uplink_errors();
	test_uplink_other();
	test_print();
	test_events();
	test_attr_names();
	return tap_done();
}
