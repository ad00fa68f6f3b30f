// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl's "wg" on the host: the base64 key codec against known vectors
 * and every way a key can be malformed, endpoints in both forms with their
 * errors, whole command lines with every error message (missing and
 * duplicate keywords, too many and duplicate endpoints, misplaced "via"),
 * the text and JSON that "show" and "monitor" print, and sets through
 * their netlink attributes and back, including malformed replies. TAP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "../../tools/lib/batch.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/netlink.c"
#include "../../tools/lib/wg_nl.c"

#include "tap.h"

#define KEY0 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEYF "//////////////////////////////////////////8="

static void is_str(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
}

static int parse(enum wgset_cmd cmd, const char *line, struct wg_set *w)
{
	char buf[2048], *argv[BATCH_MAX_ARGS];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = batch_split(buf, argv, BATCH_MAX_ARGS);
	return wg_parse(cmd, argc, argv, w);
}

static void test_base64(void)
{
	static const char *const bad[] = {
		"", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8==",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",	/* bits past 256 */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+=",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH h8=",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH-8=",	/* base64url */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A",
		"=AECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
	};
	uint8_t key[MWAN_WG_KEY_LEN], want[MWAN_WG_KEY_LEN];
	char out[WG_KEY_B64_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)i;
	ok(!wg_key_from_base64(key, KEY0) && !memcmp(key, want, sizeof(key)),
	   "base64: bytes 0..31 decode");
	wg_key_to_base64(out, want);
	is_str(out, KEY0, "base64: bytes 0..31 encode");
	memset(want, 0xff, sizeof(want));
	ok(!wg_key_from_base64(key, KEYF) && !memcmp(key, want, sizeof(key)),
	   "base64: all ones decode");
	wg_key_to_base64(out, want);
	is_str(out, KEYF, "base64: all ones encode");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ok(wg_key_from_base64(key, bad[i]) == -1, "base64: \"%s\" refused", bad[i]);
	for (i = 0; i < 1000; i++) {
		size_t j;

		for (j = 0; j < sizeof(want); j++)
			want[j] = (uint8_t)rand();
		wg_key_to_base64(out, want);
		if (wg_key_from_base64(key, out) || memcmp(key, want, sizeof(key)))
			break;
	}
	ok(i == 1000, "base64: 1000 random keys round-trip");
}

static void test_endpoint(void)
{
	static const struct {
		const char *arg, *want;
	} good[] = {
		{ "198.51.100.2:51820", "198.51.100.2:51820" },
		{ "[2001:db8::1]:1", "[2001:db8::1]:1" },
		{ "[2001:DB8:0::1]:65535", "[2001:db8::1]:65535" },
	};
	static const struct {
		const char *arg, *error;
	} bad[] = {
		{ "198.51.100.2:0", "argument \"198.51.100.2:0\" is wrong: endpoint port must be 1-65535" },
		{ "198.51.100.2:65536", "argument \"198.51.100.2:65536\" is wrong: endpoint port must be 1-65535" },
		{ "198.51.100.2:", "argument \"198.51.100.2:\" is wrong: endpoint port must be 1-65535" },
		{ "198.51.100.2:-1", "argument \"198.51.100.2:-1\" is wrong: endpoint port must be 1-65535" },
		{ "198.51.100.2", "argument \"198.51.100.2\" is wrong: endpoint must be ADDR:PORT or [ADDR6]:PORT" },
		{ ":51820", "argument \":51820\" is wrong: endpoint must be ADDR:PORT or [ADDR6]:PORT" },
		{ "198.51.100.256:1", "argument \"198.51.100.256:1\" is wrong: endpoint address must be an IPv4 address (IPv6: [ADDR6]:PORT)" },
		{ "2001:db8::1:51820", "argument \"2001:db8::1:51820\" is wrong: endpoint address must be an IPv4 address (IPv6: [ADDR6]:PORT)" },
		{ "[10.0.0.1]:1", "argument \"[10.0.0.1]:1\" is wrong: endpoint address must be an IPv6 address in [ ]" },
		{ "[2001:db8::1]51820", "argument \"[2001:db8::1]51820\" is wrong: endpoint must be ADDR:PORT or [ADDR6]:PORT" },
		{ "0.0.0.0:1", "argument \"0.0.0.0:1\" is wrong: endpoint address must be a unicast address" },
		{ "224.0.0.1:1", "argument \"224.0.0.1:1\" is wrong: endpoint address must be a unicast address" },
		{ "[::]:1", "argument \"[::]:1\" is wrong: endpoint address must be a unicast address" },
		{ "[ff02::1]:1", "argument \"[ff02::1]:1\" is wrong: endpoint address must be a unicast address" },
	};
	char buf[WG_ENDPOINT_STRLEN];
	struct inet_addr a;
	uint16_t port;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		ok(!wg_parse_endpoint(good[i].arg, &a, &port), "endpoint %s parses", good[i].arg);
		is_str(wg_format_endpoint(&a, port, buf, sizeof(buf)), good[i].want,
		       "endpoint prints in canonical form");
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = wg_parse_endpoint(bad[i].arg, &a, &port);

		ok(ret == -1 && !strcmp(parse_error(), bad[i].error), "endpoint error: %s", bad[i].arg);
		if (ret != -1 || strcmp(parse_error(), bad[i].error))
			printf("#   got:  '%s'\n", ret ? parse_error() : "");
	}
}

static void test_lines(void)
{
	static const struct {
		enum wgset_cmd cmd;
		const char *line, *error;
	} bad[] = {
		{ WG_ADD, "peer " KEY0 " endpoint 1.2.3.4:5",
		  "\"dev\" is required: wg add dev WGDEV peer PUBKEY endpoint ADDR:PORT [ via UPLINK ] ..." },
		{ WG_ADD, "dev wg0 endpoint 1.2.3.4:5",
		  "\"peer\" is required: wg add dev WGDEV peer PUBKEY endpoint ADDR:PORT [ via UPLINK ] ..." },
		{ WG_ADD, "dev wg0 peer " KEY0,
		  "\"endpoint\" is required: wg add dev WGDEV peer PUBKEY endpoint ADDR:PORT [ via UPLINK ] ..." },
		{ WG_DEL, "dev wg0", "\"peer\" is required: wg del dev WGDEV peer PUBKEY" },
		{ WG_ADD, "dev wg0 peer abc endpoint 1.2.3.4:5",
		  "argument \"abc\" is wrong: peer must be a public key, 32 bytes in base64 (44 characters)" },
		{ WG_ADD, "dev wg0 dev wg1", "duplicate \"dev\": \"wg1\" is the second value" },
		{ WG_ADD, "dev wg0 peer " KEY0 " via isp1",
		  "argument \"isp1\" is wrong: \"via\" must follow an endpoint" },
		{ WG_ADD, "dev wg0 peer " KEY0 " endpoint 1.2.3.4:5 via a via b",
		  "duplicate \"via\": \"b\" is the second value" },
		{ WG_ADD, "dev wg0 peer " KEY0 " endpoint 1.2.3.4:5 endpoint 1.2.3.4:5",
		  "argument \"1.2.3.4:5\" is wrong: duplicate endpoint" },
		{ WG_ADD, "dev wg0 peer " KEY0 " endpoint 1.0.0.1:1 endpoint 1.0.0.1:2 endpoint 1.0.0.1:3"
		  " endpoint 1.0.0.1:4 endpoint 1.0.0.1:5 endpoint 1.0.0.1:6 endpoint 1.0.0.1:7"
		  " endpoint 1.0.0.1:8 endpoint 1.0.0.1:9",
		  "argument \"1.0.0.1:9\" is wrong: too many endpoints (at most 8)" },
		{ WG_ADD, "dev wg0 peer " KEY0 " endpoint 1.2.3.4:0",
		  "argument \"1.2.3.4:0\" is wrong: endpoint port must be 1-65535" },
		{ WG_ADD, "dev wg0 peer " KEY0 " endpoint", "\"endpoint\" needs an argument" },
		{ WG_DEL, "dev wg0 peer " KEY0 " endpoint 1.2.3.4:5", "unknown keyword \"endpoint\"" },
		{ WG_SHOW, "peer " KEY0, "unknown keyword \"peer\"" },
		{ WG_ADD, "dev wg0 bogus 1", "unknown keyword \"bogus\"" },
	};
	struct wg_set w;
	size_t i;
	int ret;

	ret = parse(WG_ADD, "dev wg0 peer " KEY0 " endpoint 198.51.100.2:51820 via wan2"
		    " endpoint [2001:db8::2]:51820", &w);
	ok(!ret && w.present == (WG_F_DEV | WG_F_PEER) && !strcmp(w.dev, "wg0") &&
	   w.peer[31] == 31 && w.n == 2 && w.ep[0].port == 51820 && w.ep[0].has_via &&
	   !strcmp(w.ep[0].via, "wan2") && w.ep[1].addr.family == AF_INET6 &&
	   !w.ep[1].has_via, "add: two endpoints, in order, the first via wan2");
	ok(!parse(WG_SHOW, "", &w) && !w.present, "show: no filter");
	ok(!parse(WG_SHOW, "dev wg1", &w) && w.present == WG_F_DEV, "show dev wg1");
	ok(!parse(WG_DEL, "peer " KEY0 " dev wg0", &w) && w.present == (WG_F_DEV | WG_F_PEER),
	   "del: keywords in any order");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = parse(bad[i].cmd, bad[i].line, &w);
		ok(ret == -1 && !strcmp(parse_error(), bad[i].error), "error: \"%s\"", bad[i].line);
		if (ret != -1 || strcmp(parse_error(), bad[i].error))
			printf("#   got:  %d '%s'\n#   want: '%s'\n", ret,
			       ret ? parse_error() : "", bad[i].error);
	}
}

static char *capture(const struct wg_set *w, unsigned int flags, bool json, int event)
{
	char *buf = NULL;
	size_t size;
	FILE *fp = open_memstream(&buf, &size);

	json_print_init(fp, json, false);
	if (event) {
		wg_print_event(w, event);
	} else {
		open_json_array(NULL);
		wg_print(w, flags);
		close_json_array();
		if (json)
			print_nl();
	}
	fclose(fp);
	json_print_init(NULL, false, false);
	return buf;
}

static void test_print(void)
{
	struct wg_set w;
	char *s;

	parse(WG_ADD, "dev wg0 peer " KEY0 " endpoint 198.51.100.2:51820 via wan2"
	      " endpoint [2001:db8::2]:51820", &w);
	w.ep[1].usable = true;
	w.present |= WG_F_ACTIVE | WG_F_STATS;
	w.active = 1;
	w.packets = 42;
	s = capture(&w, 0, false, 0);
	is_str(s, "dev wg0 peer " KEY0 " active [2001:db8::2]:51820\n"
		  "    endpoint 198.51.100.2:51820 via wan2\n"
		  "    endpoint [2001:db8::2]:51820 usable\n", "show text");
	free(s);
	s = capture(&w, WG_PRINT_STATS, true, 0);
	is_str(s, "[{\"dev\":\"wg0\",\"peer\":\"" KEY0 "\",\"active\":\"[2001:db8::2]:51820\","
		  "\"packets\":42,\"endpoints\":[{\"endpoint\":\"198.51.100.2:51820\",\"via\":\"wan2\","
		  "\"usable\":false},{\"endpoint\":\"[2001:db8::2]:51820\",\"via\":null,\"usable\":true}]}]\n",
	       "show -s JSON: dev, peer, active, packets, endpoints");
	free(s);
	w.present &= ~WG_F_ACTIVE;
	s = capture(&w, 0, true, 0);
	ok(strstr(s, "\"active\":null") != NULL, "show JSON: active null while none is usable");
	free(s);
	s = capture(&w, 0, false, MWAN_CMD_WG_SET);
	is_str(s, "wg changed: dev wg0 peer " KEY0 " active none endpoint 198.51.100.2:51820 via wan2"
		  " endpoint [2001:db8::2]:51820 usable\n", "monitor text: one line");
	free(s);
	s = capture(&w, 0, true, MWAN_CMD_WG_NEW);
	ok(!strncmp(s, "{\"event\":\"new\",\"object\":\"wg\",\"dev\":\"wg0\"", 40),
	   "monitor JSON: event, object, then the set");
	free(s);
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
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct wg_set in, out;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t a4[8] = { 192, 0, 2, 2 };

	parse(WG_ADD, "dev wg0 peer " KEY0 " endpoint 198.51.100.2:51820 via wan2"
	      " endpoint [2001:db8::2]:51820", &in);
	nlh = msg(buf, MWAN_CMD_WG_NEW);
	wg_put(nlh, &in);
	ok(!wg_from_msg(nlh, &out) && !memcmp(&in, &out, sizeof(in)), "roundtrip: two endpoints");

	mnl_attr_put_u32(nlh, MWAN_WG_A_ACTIVE, 1);
	ok(!wg_from_msg(nlh, &out) && (out.present & WG_F_ACTIVE) && out.active == 1,
	   "reply: active endpoint");
	mnl_attr_put_u32(nlh, MWAN_WG_A_ACTIVE, 2);
	ok(wg_from_msg(nlh, &out) == -1 && errno == EPROTO, "reply: active out of range refused");

	nlh = msg(buf, MWAN_CMD_WG_GET);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	ok(wg_from_msg(nlh, &out) == -1, "reply: no peer refused");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 31, in.peer);
	ok(wg_from_msg(nlh, &out) == -1, "reply: 31-byte key refused");

	nlh = msg(buf, MWAN_CMD_WG_GET);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, in.peer);
	nest = mnl_attr_nest_start(nlh, MWAN_WG_A_ENDPOINT);
	mnl_attr_put(nlh, MWAN_WG_EP_A_ADDR, 4, a4);
	mnl_attr_nest_end(nlh, nest);
	ok(wg_from_msg(nlh, &out) == -1, "reply: endpoint without port refused");

	nlh = msg(buf, MWAN_CMD_WG_GET);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, in.peer);
	nest = mnl_attr_nest_start(nlh, MWAN_WG_A_ENDPOINT);
	mnl_attr_put(nlh, MWAN_WG_EP_A_ADDR, 5, a4);
	mnl_attr_put_u16(nlh, MWAN_WG_EP_A_PORT, 1);
	mnl_attr_nest_end(nlh, nest);
	ok(wg_from_msg(nlh, &out) == -1, "reply: 5-byte address refused");

	nlh = msg(buf, MWAN_CMD_WG_GET);
	mnl_attr_put_strz(nlh, MWAN_WG_A_IFNAME, "wg0");
	mnl_attr_put(nlh, MWAN_WG_A_PEER, 32, in.peer);
	nest = mnl_attr_nest_start(nlh, MWAN_WG_A_ENDPOINT);
	mnl_attr_put(nlh, MWAN_WG_EP_A_ADDR, 4, a4);
	mnl_attr_put_u16(nlh, MWAN_WG_EP_A_PORT, 51820);
	mnl_attr_put(nlh, MWAN_WG_EP_A_USABLE, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, MWAN_WG_A_STATS);
	mnl_attr_put_u64(nlh, MWAN_STATS_A_PACKETS, 9);
	mnl_attr_nest_end(nlh, nest);
	ok(!wg_from_msg(nlh, &out) && out.n == 1 && out.ep[0].usable && !out.ep[0].has_via &&
	   (out.present & WG_F_STATS) && out.packets == 9, "reply: usable flag and packets");
}

int main(void)
{
	test_base64();
	test_endpoint();
	test_lines();
	test_print();
	test_nl();
	return tap_done();
}
