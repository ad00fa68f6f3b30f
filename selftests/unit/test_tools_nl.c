// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl's netlink side without a kernel: a parsed command line survives
 * uplink_put() and uplink_from_msg() unchanged, malformed replies are
 * refused, and the extended acks a kernel would send (message, attribute
 * offset, missing attribute, capped or not) become the one "Error: " line
 * the user sees. The sources are included to reach their static callbacks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/lib/netlink.c"
#include "../../tools/lib/uplink_nl.c"
#include "../../tools/lib/batch.h"

#include "tap.h"

static struct nlmsghdr *msg(void *buf, uint8_t cmd)
{
	struct mwan_nl nl = { .family = 0x20 };

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	return mwan_nl_msg(&nl, buf, cmd, NLM_F_ACK);
}

static int parse(enum uplink_cmd cmd, const char *line, struct uplink *u)
{
	char buf[512], *argv[64];

	snprintf(buf, sizeof(buf), "%s", line);
	return uplink_parse(cmd, batch_split(buf, argv, 64), argv, u);
}

static void test_roundtrip(void)
{
	static const struct {
		enum uplink_cmd cmd;
		const char *line;
	} lines[] = {
		{ UPLINK_ADD, "att dev eth1.3242 via 192.0.2.1 via 2001:db8::1 table 1001 "
			      "weight 3 metric 2 track 1.1.1.1,2606:4700::1111 interval 500 "
			      "timeout 1000 down 3 up 5 reliability 2" },
		{ UPLINK_ADD, "webpass dev eth2" },
		{ UPLINK_SET, "att state down" },
		{ UPLINK_SET, "att state auto weight 1000 track 9.9.9.9" },
		{ UPLINK_DEL, "att" },
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct uplink in, out;
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		if (parse(lines[i].cmd, lines[i].line, &in)) {
			ok(0, "roundtrip: %s (%s)", lines[i].line, parse_error());
			continue;
		}
		nlh = msg(buf, MWAN_CMD_UPLINK_NEW);
		uplink_put(nlh, &in);
		ok(!uplink_from_msg(nlh, &out) && !memcmp(&in, &out, sizeof(in)),
		   "roundtrip: %s", lines[i].line);
	}
}

static void test_reply(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	struct nlattr *nest;
	struct uplink u;

	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, "att");
	mnl_attr_put_u32(nlh, MWAN_UPLINK_A_MARK, 0x10000);
	mnl_attr_put_u8(nlh, MWAN_UPLINK_A_STATE, MWAN_STATE_DOWN);
	mnl_attr_put_u8(nlh, MWAN_UPLINK_A_REASON, MWAN_REASON_LINK);
	mnl_attr_put_u64(nlh, MWAN_UPLINK_A_SINCE_MS, 1ULL << 40);
	mnl_attr_put_u32(nlh, 200, 7);
	nest = mnl_attr_nest_start(nlh, MWAN_UPLINK_A_STATS);
	mnl_attr_put_u64(nlh, MWAN_STATS_A_PACKETS, 5);
	mnl_attr_put_u64(nlh, MWAN_STATS_A_FLOWS, 1);
	mnl_attr_nest_end(nlh, nest);
	ok(!uplink_from_msg(nlh, &u) &&
	   u.present == (UPLINK_F_NAME | UPLINK_F_MARK | UPLINK_F_STATE |
			 UPLINK_F_REASON | UPLINK_F_SINCE | UPLINK_F_STATS) &&
	   u.mark == 0x10000 && u.reason == MWAN_REASON_LINK &&
	   u.since_ms == 1ULL << 40 && u.stats.packets == 5 && u.stats.flows == 1 &&
	   !u.stats.bytes, "reply: output attributes, stats nest; unknown ones skipped");
}

static void test_bad_reply(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct uplink u;
	uint8_t junk[5] = {};

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, "att");
	mnl_attr_put_u16(nlh, MWAN_UPLINK_A_WEIGHT, 3);
	errno = 0;
	ok(uplink_from_msg(nlh, &u) == -1 && errno == EPROTO, "bad reply: u16 weight");

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, "att");
	mnl_attr_put(nlh, MWAN_UPLINK_A_GATEWAY4, 3, junk);
	ok(uplink_from_msg(nlh, &u) == -1, "bad reply: 3-byte gateway4");

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, "att");
	nest = mnl_attr_nest_start(nlh, MWAN_UPLINK_A_TRACK);
	mnl_attr_put(nlh, MWAN_TRACK_A_ADDR, 5, junk);
	mnl_attr_nest_end(nlh, nest);
	ok(uplink_from_msg(nlh, &u) == -1, "bad reply: 5-byte track address");

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, "att");
	nest = mnl_attr_nest_start(nlh, MWAN_UPLINK_A_TRACK);
	for (int i = 0; i <= MWAN_TRACK_MAX; i++)
		mnl_attr_put(nlh, MWAN_TRACK_A_ADDR, 4, junk);
	mnl_attr_nest_end(nlh, nest);
	ok(uplink_from_msg(nlh, &u) == -1, "bad reply: 9 track addresses");

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put_strz(nlh, MWAN_UPLINK_A_NAME, "abcdefghijklmnopq");
	ok(uplink_from_msg(nlh, &u) == -1, "bad reply: 17-byte name");

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put(nlh, MWAN_UPLINK_A_NAME, 3, "att");
	ok(uplink_from_msg(nlh, &u) == -1, "bad reply: name without its NUL");

	nlh = msg(buf, MWAN_CMD_UPLINK_GET);
	mnl_attr_put_u32(nlh, MWAN_UPLINK_A_WEIGHT, 3);
	ok(uplink_from_msg(nlh, &u) == -1, "bad reply: no name");
}

/* Runs error_cb() on an ack built from req and returns what it printed. */
static const char *ack(const struct nlmsghdr *req, int error, bool capped,
		       const char *text, int offs, int miss, int *cb_ret)
{
	static char out[512];
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct talk t = { .req = req, .names = uplink_attr_name };
	struct nlmsgerr *e;
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t len;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = mnl_nlmsg_put_extra_header(nlh, capped ? sizeof(*e) :
				       sizeof(*e) - sizeof(*req) + req->nlmsg_len);
	e->error = error;
	memcpy(&e->msg, req, capped ? sizeof(*req) : req->nlmsg_len);
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	if (miss >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, miss);

	fflush(stderr);
	dup2(fileno(tmp), 2);
	*cb_ret = error_cb(nlh, &t);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	len = fread(out, 1, sizeof(out) - 1, tmp);
	out[len] = '\0';
	fclose(tmp);
	return out;
}

static void check_ack(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
}

static void test_extack(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req = msg(buf, MWAN_CMD_UPLINK_NEW);
	struct nlattr *weight;
	int off, ret;

	mnl_attr_put_strz(req, MWAN_UPLINK_A_NAME, "att");
	mnl_attr_put_strz(req, MWAN_UPLINK_A_IFNAME, "eth1");
	weight = mnl_nlmsg_get_payload_tail(req);
	mnl_attr_put_u32(req, MWAN_UPLINK_A_WEIGHT, 5000);
	off = (char *)weight - (char *)req;

	check_ack(ack(req, -ERANGE, true, "integer out of range", off, -1, &ret),
		  "Error: integer out of range (attribute weight)\n",
		  "extack: message and attribute offset, capped");
	ok(ret == MNL_CB_ERROR && errno == ERANGE, "extack: an error stops with its errno");
	check_ack(ack(req, -ERANGE, false, "integer out of range", off, -1, &ret),
		  "Error: integer out of range (attribute weight)\n",
		  "extack: message and attribute offset, request echoed");
	check_ack(ack(req, -ERANGE, true, "integer out of range", off + 4, -1, &ret),
		  "Error: integer out of range (attribute weight)\n",
		  "extack: an offset inside the attribute names it too");
	check_ack(ack(req, -EEXIST, true, "uplink name already exists", 20, -1, &ret),
		  "Error: uplink name already exists (attribute name)\n",
		  "extack: semantic message on the name");
	check_ack(ack(req, -EINVAL, true, NULL, -1, MWAN_UPLINK_A_IFNAME, &ret),
		  "Error: Invalid argument (attribute dev)\n",
		  "extack: missing attribute without a message");
	check_ack(ack(req, -EPERM, true, NULL, -1, -1, &ret),
		  "Error: Operation not permitted\n", "extack: EPERM alone");
	check_ack(ack(req, -EPERM, true, "need CAP_NET_ADMIN", -1, -1, &ret),
		  "Error: Operation not permitted: need CAP_NET_ADMIN\n",
		  "extack: EPERM keeps strerror before the message");
	check_ack(ack(req, -ENOENT, true, "no such uplink", 4000, -1, &ret),
		  "Error: no such uplink\n", "extack: an offset outside the request is ignored");
	check_ack(ack(req, 0, true, NULL, -1, -1, &ret), "", "ack: silent");
	ok(ret == MNL_CB_STOP, "ack: stops the receive loop");
	check_ack(ack(req, 0, true, "deprecated", -1, -1, &ret),
		  "Warning: deprecated\n", "ack: a message is a warning");
}

int main(void)
{
	test_roundtrip();
	test_reply();
	test_bad_reply();
	test_extack();
	return tap_done();
}
