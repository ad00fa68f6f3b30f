// SPDX-License-Identifier: GPL-2.0
/*
 * nl_conformance: the "mwan" generic-netlink family checked from outside,
 * with libnl-genl-3 and no code of mwanctl. It proves that
 *
 *  - the family, its version, its operations with their permission flags
 *    and the "events" group are registered as uapi/linux/mwan.h and
 *    Documentation/netlink/specs/mwan.yaml say;
 *  - NEW and SET take every attribute the spec gives them, with the values
 *    at both ends of every range, and GET, dumps and events return them
 *    all, with the documented defaults for those not given;
 *  - every malformed request (wrong lengths, strings too long or not
 *    terminated, values out of range, unknown or output-only attributes,
 *    bad nests, missing attributes, unknown names, trailing bytes, short
 *    headers, oversized messages) is refused with the right errno, extack
 *    message and attribute offset, and changes nothing;
 *  - NEW, SET and DEL need CAP_NET_ADMIN; GET and dumps do not;
 *  - a dump of as many uplinks as the mark mask allows resumes over many
 *    small messages, returns each uplink once, and is flagged
 *    NLM_F_DUMP_INTR when the uplinks change under it;
 *  - each change, and nothing else, is announced on "events".
 *
 * Run as root in a network namespace of its own that holds the devices
 * mwc0 and mwc1 (up) and no uplinks: nl_conformance.sh sets that up.
 * Prints TAP; exits 1 if any check failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <linux/mwan.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define DEV0		"mwc0"
#define DEV1		"mwc1"
#define WGDEV		"mwcwg0"	/* a WireGuard device, for the WG commands */
#define NO_OFFS		(-1L)
#define REPLY_MAX	16384
#define TIMEOUT_MS	3000

/* The kernel's own policy messages (lib/nlattr.c, the same in 6.1 and 6.12). */
#define M_LENGTH	"invalid attribute length"
#define M_RANGE		"integer out of range"
#define M_BINARY	"binary attribute size out of range"
#define M_POLICY	"Attribute failed policy validation"
#define M_UNKNOWN	"Unknown attribute type"
#define M_NESTED	"NLA_F_NESTED is missing"
#define M_NOT_NESTED	"NLA_F_NESTED not expected"
#define M_LEFTOVER	"bytes leftover after parsing attributes"
/* net/netlink/genetlink.c */
#define M_RESERVED	"genlmsghdr.reserved field is not 0"

/* mwan's own messages (kmod/netlink.c). */
#define M_EXISTS	"uplink name already exists"
#define M_NOENT		"no such uplink"
#define M_NODEV		"no such device"
#define M_NAME_REQ	"uplink name required"
#define M_DEV_REQ	"device required"
#define M_NAME_BAD	"invalid uplink name: letters, digits, '_', '.' and '-', " \
			"starting with a letter or digit"
#define M_IFNAME_BAD	"invalid device name"
#define M_NOMARK	"no free mark in mark_mask"
#define M_TRACK_MANY	"too many track addresses (at most 8)"
#define M_TRACK_DUP	"duplicate track address"
#define M_TRACK_LEN	"track address must be 4 (IPv4) or 16 (IPv6) bytes"
#define M_RELIABILITY	"reliability exceeds the number of track addresses"
#define M_TABLE		"table 0, 253 (default), 254 (main) and 255 (local) " \
			"are reserved"

/* ------------------------------------------------------------------ TAP */

static unsigned int tests, failures;
static char why[8192];

static void whyf(const char *fmt, ...)
{
	size_t len = strlen(why);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why + len, sizeof(why) - len, fmt, ap);
	va_end(ap);
	len = strlen(why);
	if (len + 1 < sizeof(why)) {
		why[len] = '\n';
		why[len + 1] = '\0';
	}
}

/* One TAP line; on failure, what whyf() collected since the last one. */
static bool report(bool ok, const char *fmt, ...)
{
	char *line, *next;
	va_list ap;

	tests++;
	failures += !ok;
	printf("%s %u - ", ok ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	for (line = why; !ok && *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		printf("# %s\n", line);
	}
	why[0] = '\0';
	fflush(stdout);
	return ok;
}

static void bail_out(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

/* ------------------------------------------------------------- netlink */

static int family;
static int events_group;
static uint32_t mark_mask;
static unsigned int ifindex0, ifindex1;

/* What came back for one request. */
struct reply {
	int error;			/* from NLMSG_ERROR: 0 or -errno */
	bool acked;			/* an NLMSG_ERROR arrived */
	char msg[256];			/* NLMSGERR_ATTR_MSG, or "" */
	long offs;			/* NLMSGERR_ATTR_OFFS, or NO_OFFS */
	long miss_type;			/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	uint8_t cmd;			/* of the data message */
	bool has_data;
	unsigned char data[REPLY_MAX];
	struct nlattr *tb[MWAN_UPLINK_A_MAX + 1];
};

static struct nl_sock *sock_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;

	if (!sk || genl_connect(sk))
		bail_out("cannot open a generic netlink socket");
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)))
		bail_out("NETLINK_EXT_ACK: %s", strerror(errno));
	return sk;
}

static struct nl_msg *request_size(uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *m = nlmsg_alloc_size(size);

	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			       cmd, MWAN_GENL_VERSION))
		bail_out("cannot build a message");
	return m;
}

static struct nl_msg *request(uint8_t cmd, int flags)
{
	return request_size(cmd, flags, REPLY_MAX * 4);
}

/* Where the next attribute put into m will start, from the nlmsghdr. */
static long next_offs(struct nl_msg *m)
{
	return NLMSG_ALIGN(nlmsg_hdr(m)->nlmsg_len);
}

/* Waits for one datagram; returns its length, 0 on timeout, -errno. */
static int sock_recv(struct nl_sock *sk, void *buf, size_t len, int timeout)
{
	struct pollfd p = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	n = poll(&p, 1, timeout);
	if (n <= 0)
		return n < 0 ? -errno : 0;
	n = recvmsg(p.fd, &mh, 0);
	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	return n;
}

static void parse_error(struct nlmsghdr *nlh, struct reply *r)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t payload = sizeof(*e);
	int len;

	r->acked = true;
	r->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(payload);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + NLMSG_ALIGN(payload)), len,
		      NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(r->msg, sizeof(r->msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		r->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		r->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

/* Keeps a copy of a data message; parses it if it is an mwan one. */
static bool parse_uplink(struct nlmsghdr *nlh, struct reply *r)
{
	if (nlh->nlmsg_len > sizeof(r->data)) {
		whyf("a reply of %u bytes", nlh->nlmsg_len);
		return false;
	}
	memcpy(r->data, nlh, nlh->nlmsg_len);
	nlh = (struct nlmsghdr *)r->data;
	r->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	r->has_data = true;
	if (nlh->nlmsg_type != family)
		return true;
	if (genlmsg_parse(nlh, 0, r->tb, MWAN_UPLINK_A_MAX, NULL)) {
		whyf("reply attributes do not parse");
		return false;
	}
	return true;
}

static void reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
	r->offs = NO_OFFS;
	r->miss_type = -1;
}

/* Sends m (consumed) on sk and collects the answer into r. */
static bool transact(struct nl_sock *sk, struct nl_msg *m, struct reply *r)
{
	static unsigned char buf[REPLY_MAX * 4];
	struct nlmsghdr *nlh;
	uint32_t seq;
	int n, err;

	reply_init(r);
	err = nl_send_auto(sk, m);
	seq = nlmsg_hdr(m)->nlmsg_seq;
	nlmsg_free(m);
	if (err < 0) {
		whyf("send: %s", nl_geterror(err));
		return false;
	}
	for (;;) {
		n = sock_recv(sk, buf, sizeof(buf), TIMEOUT_MS);
		if (n <= 0) {
			whyf("no reply: %s", n ? strerror(-n) : "timeout");
			return false;
		}
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_error(nlh, r);
				return true;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return true;
			if (!parse_uplink(nlh, r))
				return false;
		}
	}
}

/* Uplink commands are named by their verb alone, as in the uplink checks. */
static const char *cmd_name(uint8_t cmd)
{
	static const char *const names[MWAN_CMD_MAX + 1] = {
		[MWAN_CMD_UPLINK_GET] = "GET",
		[MWAN_CMD_UPLINK_NEW] = "NEW",
		[MWAN_CMD_UPLINK_SET] = "SET",
		[MWAN_CMD_UPLINK_DEL] = "DEL",
		[MWAN_CMD_POLICY_GET] = "POLICY_GET",
		[MWAN_CMD_POLICY_NEW] = "POLICY_NEW",
		[MWAN_CMD_POLICY_SET] = "POLICY_SET",
		[MWAN_CMD_POLICY_DEL] = "POLICY_DEL",
		[MWAN_CMD_RULE_GET] = "RULE_GET",
		[MWAN_CMD_RULE_NEW] = "RULE_NEW",
		[MWAN_CMD_RULE_DEL] = "RULE_DEL",
		[MWAN_CMD_NPT_GET] = "NPT_GET",
		[MWAN_CMD_NPT_NEW] = "NPT_NEW",
		[MWAN_CMD_NPT_SET] = "NPT_SET",
		[MWAN_CMD_NPT_DEL] = "NPT_DEL",
		[MWAN_CMD_NAT_GET] = "NAT_GET",
		[MWAN_CMD_NAT_NEW] = "NAT_NEW",
		[MWAN_CMD_NAT_SET] = "NAT_SET",
		[MWAN_CMD_NAT_DEL] = "NAT_DEL",
		[MWAN_CMD_WG_GET] = "WG_GET",
		[MWAN_CMD_WG_NEW] = "WG_NEW",
		[MWAN_CMD_WG_SET] = "WG_SET",
		[MWAN_CMD_WG_DEL] = "WG_DEL",
	};

	return cmd <= MWAN_CMD_MAX && names[cmd] ? names[cmd] : "?";
}

/* ------------------------------------------------------------- events */

static struct nl_sock *ev;

static void events_open(void)
{
	int err;

	ev = sock_open();
	err = nl_socket_add_membership(ev, events_group);
	if (err)
		bail_out("joining events: %s", nl_geterror(err));
}

/* The next event must be cmd; its attributes land in r. */
static bool event_recv(uint8_t cmd, struct reply *r)
{
	static unsigned char buf[REPLY_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	int n;

	reply_init(r);
	n = sock_recv(ev, buf, sizeof(buf), TIMEOUT_MS);
	if (n <= 0) {
		whyf("no event (%s), expected %s",
		     n ? strerror(-n) : "timeout", cmd_name(cmd));
		return false;
	}
	if (!nlmsg_ok(nlh, n) || nlh->nlmsg_type != family) {
		whyf("event of type %u", nlh->nlmsg_type);
		return false;
	}
	if (nlmsg_next(nlh, &n), n > 0) {
		whyf("several messages in one event datagram");
		return false;
	}
	if (!parse_uplink(nlh, r))
		return false;
	if (r->cmd != cmd) {
		whyf("event %s, expected %s", cmd_name(r->cmd), cmd_name(cmd));
		return false;
	}
	if (nlh->nlmsg_pid || nlh->nlmsg_seq) {
		whyf("event with portid %u seq %u", nlh->nlmsg_pid,
		     nlh->nlmsg_seq);
		return false;
	}
	return true;
}

/* Uplinks and policies both have their name, the key, at attribute 2. */
_Static_assert((int)MWAN_UPLINK_A_NAME == (int)MWAN_POLICY_A_NAME,
	       "name attributes");

/* The next event must be cmd for the uplink or policy name. */
static bool event_next(uint8_t cmd, const char *name, struct reply *r)
{
	if (!event_recv(cmd, r))
		return false;
	if (!r->tb[MWAN_UPLINK_A_NAME] ||
	    strcmp(nla_get_string(r->tb[MWAN_UPLINK_A_NAME]), name)) {
		whyf("event %s for %s, expected it for %s", cmd_name(cmd),
		     r->tb[MWAN_UPLINK_A_NAME] ?
		     nla_get_string(r->tb[MWAN_UPLINK_A_NAME]) : "(no name)",
		     name);
		return false;
	}
	return true;
}

/* The next event must be cmd for the rule pref. */
static bool event_rule(uint8_t cmd, uint32_t pref, struct reply *r)
{
	if (!event_recv(cmd, r))
		return false;
	if (!r->tb[MWAN_RULE_A_PREF] || nla_len(r->tb[MWAN_RULE_A_PREF]) != 4 ||
	    nla_get_u32(r->tb[MWAN_RULE_A_PREF]) != pref) {
		whyf("event %s not for rule %u", cmd_name(cmd), pref);
		return false;
	}
	return true;
}

/* Events are queued before the request is answered: none may be pending. */
static bool event_none(void)
{
	unsigned char buf[REPLY_MAX];
	int n = sock_recv(ev, buf, sizeof(buf), 50);

	if (n) {
		whyf("unexpected event (%d bytes, cmd %u)", n,
		     n > 0 ? ((struct genlmsghdr *)NLMSG_DATA(buf))->cmd : 0);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ uplinks */

struct track {
	unsigned int len;		/* 4 or 16 */
	unsigned char addr[16];
};

/* An uplink's configuration, as sent and as it must come back. */
struct uplink {
	const char *name;
	const char *dev;
	bool has_gw4, has_gw6;
	struct in_addr gw4;
	struct in6_addr gw6;
	uint32_t table, weight, metric, interval, timeout, down, up;
	uint32_t reliability;
	uint8_t admin;
	unsigned int ntrack;
	struct track track[MWAN_TRACK_MAX + 1];
};

static void track_v4(struct track *t, const char *s)
{
	t->len = 4;
	inet_pton(AF_INET, s, t->addr);
}

static void track_v6(struct track *t, const char *s)
{
	t->len = 16;
	inet_pton(AF_INET6, s, t->addr);
}

/* The defaults of an uplink created with a name and a device only. */
static void uplink_defaults(struct uplink *u, const char *name,
			    const char *dev)
{
	memset(u, 0, sizeof(*u));
	u->name = name;
	u->dev = dev;
	u->weight = 1;
	u->metric = 1;
	u->interval = 100;
	u->timeout = 250;
	u->down = 5;
	u->up = 10;
	u->reliability = 1;
	u->admin = MWAN_ADMIN_AUTO;
}

/* An uplink with every attribute away from its default. */
static void uplink_full(struct uplink *u, const char *name)
{
	uplink_defaults(u, name, DEV0);
	u->has_gw4 = true;
	inet_pton(AF_INET, "192.0.2.1", &u->gw4);
	u->has_gw6 = true;
	inet_pton(AF_INET6, "2001:db8::1", &u->gw6);
	u->table = 4242;
	u->weight = 7;
	u->metric = 3;
	u->admin = MWAN_ADMIN_UP;
	u->interval = 500;
	u->timeout = 400;
	u->down = 3;
	u->up = 4;
	u->reliability = 2;
	u->ntrack = 3;
	track_v4(&u->track[0], "198.51.100.1");
	track_v6(&u->track[1], "2001:db8:1::1");
	track_v4(&u->track[2], "203.0.113.9");
}

/* libnl drops empty nests; an empty track list is sent by hand. */
static void put_track(struct nl_msg *m, const struct uplink *u)
{
	struct nlattr *nest;
	unsigned int i;

	if (!u->ntrack) {
		nla_put(m, MWAN_UPLINK_A_TRACK | NLA_F_NESTED, 0, NULL);
		return;
	}
	nest = nla_nest_start(m, MWAN_UPLINK_A_TRACK | NLA_F_NESTED);
	for (i = 0; i < u->ntrack; i++)
		nla_put(m, MWAN_TRACK_A_ADDR, u->track[i].len, u->track[i].addr);
	nla_nest_end(m, nest);
}

/* Every configuration attribute of u (the table only when non-zero). */
static void put_config(struct nl_msg *m, const struct uplink *u)
{
	nla_put_string(m, MWAN_UPLINK_A_NAME, u->name);
	nla_put_string(m, MWAN_UPLINK_A_IFNAME, u->dev);
	if (u->has_gw4)
		nla_put(m, MWAN_UPLINK_A_GATEWAY4, 4, &u->gw4);
	if (u->has_gw6)
		nla_put(m, MWAN_UPLINK_A_GATEWAY6, 16, &u->gw6);
	if (u->table)
		nla_put_u32(m, MWAN_UPLINK_A_TABLE, u->table);
	nla_put_u32(m, MWAN_UPLINK_A_WEIGHT, u->weight);
	nla_put_u32(m, MWAN_UPLINK_A_METRIC, u->metric);
	nla_put_u8(m, MWAN_UPLINK_A_ADMIN, u->admin);
	put_track(m, u);
	nla_put_u32(m, MWAN_UPLINK_A_INTERVAL_MS, u->interval);
	nla_put_u32(m, MWAN_UPLINK_A_TIMEOUT_MS, u->timeout);
	nla_put_u32(m, MWAN_UPLINK_A_DOWN, u->down);
	nla_put_u32(m, MWAN_UPLINK_A_UP, u->up);
	nla_put_u32(m, MWAN_UPLINK_A_RELIABILITY, u->reliability);
}

/* The payload lengths of the attributes replies carry (0: a nest). */
static const struct {
	int len;			/* -1: string */
	bool always;			/* in every GET reply */
} reply_attrs[MWAN_UPLINK_A_MAX + 1] = {
	[MWAN_UPLINK_A_PAD] = { 0, false },
	[MWAN_UPLINK_A_NAME] = { -1, true },
	[MWAN_UPLINK_A_IFNAME] = { -1, true },
	[MWAN_UPLINK_A_IFINDEX] = { 4, true },
	[MWAN_UPLINK_A_GATEWAY4] = { 4, false },
	[MWAN_UPLINK_A_GATEWAY6] = { 16, false },
	[MWAN_UPLINK_A_TABLE] = { 4, true },
	[MWAN_UPLINK_A_MARK] = { 4, true },
	[MWAN_UPLINK_A_MARK_MASK] = { 4, true },
	[MWAN_UPLINK_A_WEIGHT] = { 4, true },
	[MWAN_UPLINK_A_METRIC] = { 4, true },
	[MWAN_UPLINK_A_ADMIN] = { 1, true },
	[MWAN_UPLINK_A_STATE] = { 1, true },
	[MWAN_UPLINK_A_REASON] = { 1, true },
	[MWAN_UPLINK_A_SINCE_MS] = { 8, true },
	[MWAN_UPLINK_A_TRACK] = { 0, false },
	[MWAN_UPLINK_A_INTERVAL_MS] = { 4, true },
	[MWAN_UPLINK_A_TIMEOUT_MS] = { 4, true },
	[MWAN_UPLINK_A_DOWN] = { 4, true },
	[MWAN_UPLINK_A_UP] = { 4, true },
	[MWAN_UPLINK_A_RELIABILITY] = { 4, true },
	[MWAN_UPLINK_A_HEALTH] = { 1, true },
	[MWAN_UPLINK_A_RTT_US] = { 4, false },
	[MWAN_UPLINK_A_LOSS_PCT] = { 1, false },
	[MWAN_UPLINK_A_STATS] = { 0, true },
	[MWAN_UPLINK_A_RTT_MAX_MS] = { 4, true },
	[MWAN_UPLINK_A_LOSS_MAX_PCT] = { 1, true },
	[MWAN_UPLINK_A_HANDSHAKE_S] = { 4, true },
};

/* Every attribute of the reply has the spec's type, and none is missing. */
static bool check_reply_types(struct reply *r)
{
	struct nlattr *tb[MWAN_STATS_A_MAX + 1];
	bool ok = true;
	unsigned int t;

	for (t = 1; t <= MWAN_UPLINK_A_MAX; t++) {
		struct nlattr *a = r->tb[t];

		if (!a) {
			if (reply_attrs[t].always) {
				whyf("attribute %u missing from the reply", t);
				ok = false;
			}
			continue;
		}
		if (reply_attrs[t].len > 0 && nla_len(a) != reply_attrs[t].len) {
			whyf("attribute %u: %d bytes, want %d", t, nla_len(a),
			     reply_attrs[t].len);
			ok = false;
		}
		if (reply_attrs[t].len < 0 &&
		    (nla_len(a) < 2 || nla_len(a) > MWAN_NAME_MAXLEN ||
		     memchr(nla_data(a), '\0', nla_len(a)) !=
		     (char *)nla_data(a) + nla_len(a) - 1)) {
			whyf("attribute %u: not a string of 1..%d characters", t,
			     MWAN_NAME_MAXLEN - 1);
			ok = false;
		}
		if (reply_attrs[t].len == 0 && t != MWAN_UPLINK_A_PAD &&
		    !(a->nla_type & NLA_F_NESTED)) {
			whyf("attribute %u: nest without NLA_F_NESTED", t);
			ok = false;
		}
	}
	if (r->tb[MWAN_UPLINK_A_STATS]) {
		if (nla_parse_nested(tb, MWAN_STATS_A_MAX,
				     r->tb[MWAN_UPLINK_A_STATS], NULL)) {
			whyf("stats do not parse");
			return false;
		}
		for (t = MWAN_STATS_A_PACKETS; t <= MWAN_STATS_A_FLOWS; t++) {
			if (!tb[t] || nla_len(tb[t]) != 8) {
				whyf("stats attribute %u missing or not u64", t);
				ok = false;
			}
		}
	}
	return ok;
}

static uint32_t get_u32(struct reply *r, int t)
{
	return r->tb[t] ? nla_get_u32(r->tb[t]) : 0;
}

static uint8_t get_u8(struct reply *r, int t)
{
	return r->tb[t] ? nla_get_u8(r->tb[t]) : 0xff;
}

#define CHECK_EQ(got, want, what) do {					\
	unsigned long long __g = (got), __w = (want);			\
	if (__g != __w) {						\
		whyf("%s: got %llu, want %llu", what, __g, __w);	\
		ok = false;						\
	}								\
} while (0)

static bool check_track(struct reply *r, const struct uplink *u)
{
	struct nlattr *a;
	unsigned int n = 0;
	bool ok = true;
	int rem;

	if (!r->tb[MWAN_UPLINK_A_TRACK]) {
		CHECK_EQ(0, u->ntrack, "track addresses");
		return ok;
	}
	nla_for_each_nested(a, r->tb[MWAN_UPLINK_A_TRACK], rem) {
		if (nla_type(a) != MWAN_TRACK_A_ADDR) {
			whyf("track: attribute %d", nla_type(a));
			return false;
		}
		if (n >= u->ntrack || (unsigned int)nla_len(a) !=
		    u->track[n].len ||
		    memcmp(nla_data(a), u->track[n].addr, u->track[n].len)) {
			whyf("track address %u differs", n);
			return false;
		}
		n++;
	}
	CHECK_EQ(n, u->ntrack, "track addresses");
	return ok;
}

/* The reply describes u, in state 'state' for 'reason'. */
static bool check_uplink(struct reply *r, const struct uplink *u,
			 uint8_t state, uint8_t reason)
{
	uint32_t mark, index;
	bool ok = check_reply_types(r);

	if (!ok)
		return false;
	if (strcmp(nla_get_string(r->tb[MWAN_UPLINK_A_NAME]), u->name) ||
	    strcmp(nla_get_string(r->tb[MWAN_UPLINK_A_IFNAME]), u->dev)) {
		whyf("name/dev %s/%s, want %s/%s",
		     nla_get_string(r->tb[MWAN_UPLINK_A_NAME]),
		     nla_get_string(r->tb[MWAN_UPLINK_A_IFNAME]), u->name,
		     u->dev);
		ok = false;
	}
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_IFINDEX), if_nametoindex(u->dev),
		 "ifindex");
	CHECK_EQ(!!r->tb[MWAN_UPLINK_A_GATEWAY4], u->has_gw4, "has gateway4");
	if (u->has_gw4 && r->tb[MWAN_UPLINK_A_GATEWAY4] &&
	    memcmp(nla_data(r->tb[MWAN_UPLINK_A_GATEWAY4]), &u->gw4, 4)) {
		whyf("gateway4 differs");
		ok = false;
	}
	CHECK_EQ(!!r->tb[MWAN_UPLINK_A_GATEWAY6], u->has_gw6, "has gateway6");
	if (u->has_gw6 && r->tb[MWAN_UPLINK_A_GATEWAY6] &&
	    memcmp(nla_data(r->tb[MWAN_UPLINK_A_GATEWAY6]), &u->gw6, 16)) {
		whyf("gateway6 differs");
		ok = false;
	}
	mark = get_u32(r, MWAN_UPLINK_A_MARK);
	index = mark >> __builtin_ctz(mark_mask);
	if (!mark || (mark & ~mark_mask)) {
		whyf("mark 0x%x not within mark_mask 0x%x", mark, mark_mask);
		ok = false;
	}
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_MARK_MASK), mark_mask, "mark_mask");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_TABLE),
		 u->table ? u->table : 1000 + index, "table");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_WEIGHT), u->weight, "weight");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_METRIC), u->metric, "metric");
	CHECK_EQ(get_u8(r, MWAN_UPLINK_A_ADMIN), u->admin, "admin");
	CHECK_EQ(get_u8(r, MWAN_UPLINK_A_STATE), state, "state");
	CHECK_EQ(get_u8(r, MWAN_UPLINK_A_REASON), reason, "reason");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_INTERVAL_MS), u->interval,
		 "interval_ms");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_TIMEOUT_MS), u->timeout,
		 "timeout_ms");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_DOWN), u->down, "down");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_UP), u->up, "up");
	CHECK_EQ(get_u32(r, MWAN_UPLINK_A_RELIABILITY), u->reliability,
		 "reliability");
	return check_track(r, u) && ok;
}

static struct nl_sock *sk;
/* The uplink "dflt" as test_set() leaves it. */
static struct uplink dflt;

static bool uplink_get(const char *name, struct reply *r)
{
	struct nl_msg *m = request(MWAN_CMD_UPLINK_GET, 0);

	nla_put_string(m, MWAN_UPLINK_A_NAME, name);
	if (!transact(sk, m, r))
		return false;
	if (r->error || !r->has_data) {
		whyf("GET %s: %s", name, r->error ? strerror(-r->error) :
		     "no data");
		return false;
	}
	return true;
}

static bool uplink_new(const struct uplink *u, struct reply *r)
{
	struct nl_msg *m = request(MWAN_CMD_UPLINK_NEW, 0);

	put_config(m, u);
	if (!transact(sk, m, r))
		return false;
	if (r->error) {
		whyf("NEW %s: %s (%s)", u->name, strerror(-r->error), r->msg);
		return false;
	}
	return true;
}

static bool uplink_del(const char *name)
{
	struct nl_msg *m = request(MWAN_CMD_UPLINK_DEL, 0);
	struct reply r;

	nla_put_string(m, MWAN_UPLINK_A_NAME, name);
	if (!transact(sk, m, &r))
		return false;
	if (r.error) {
		whyf("DEL %s: %s (%s)", name, strerror(-r.error), r.msg);
		return false;
	}
	return event_next(MWAN_CMD_UPLINK_DEL, name, &r);
}

/* An unchanged uplink: what a GET returns equals what GET returned before. */
static bool uplink_same(const char *name, const struct uplink *u,
			uint8_t state, uint8_t reason)
{
	struct reply r;

	return uplink_get(name, &r) && check_uplink(&r, u, state, reason);
}

/* --------------------------------------------------- rejection checks */

/*
 * The answer to a refused request: errno, extack message (NULL: none) and
 * offset of the blamed attribute (NO_OFFS: none), and no event.
 */
static bool refused(struct reply *r, int err, const char *msg, long offs)
{
	bool ok = true;

	if (!r->acked) {
		whyf("no NLMSG_ERROR");
		return false;
	}
	if (r->error != -err) {
		whyf("errno %d (%s), want %d (%s)", -r->error,
		     strerror(-r->error), err, strerror(err));
		ok = false;
	}
	if (msg && strcmp(r->msg, msg)) {
		whyf("extack \"%s\", want \"%s\"", r->msg, msg);
		ok = false;
	}
	if (!msg && r->msg[0]) {
		whyf("extack \"%s\", want none", r->msg);
		ok = false;
	}
	if (r->offs != offs) {
		whyf("extack offset %ld, want %ld", r->offs, offs);
		ok = false;
	}
	return event_none() && ok;
}

/* Sends m and checks the refusal. */
static bool expect_refused(struct nl_msg *m, int err, const char *msg,
			   long offs)
{
	struct reply r;

	if (!transact(sk, m, &r))
		return false;
	return refused(&r, err, msg, offs);
}

/* A refusal for a missing attribute: no offset, but its type. */
static bool expect_missing(struct nl_msg *m, int type, const char *msg)
{
	struct reply r;

	if (!transact(sk, m, &r) || !refused(&r, EINVAL, msg, NO_OFFS))
		return false;
	if (r.miss_type != type) {
		whyf("NLMSGERR_ATTR_MISS_TYPE %ld, want %d", r.miss_type, type);
		return false;
	}
	return true;
}

/* A NEW for name on DEV0, ready for one more attribute. */
static struct nl_msg *new_base(const char *name)
{
	struct nl_msg *m = request(MWAN_CMD_UPLINK_NEW, 0);

	nla_put_string(m, MWAN_UPLINK_A_NAME, name);
	nla_put_string(m, MWAN_UPLINK_A_IFNAME, DEV0);
	return m;
}

static struct nl_msg *set_base(const char *name)
{
	struct nl_msg *m = request(MWAN_CMD_UPLINK_SET, 0);

	nla_put_string(m, MWAN_UPLINK_A_NAME, name);
	return m;
}

static struct nl_msg *base(uint8_t cmd, const char *name)
{
	return cmd == MWAN_CMD_UPLINK_NEW ? new_base(name) : set_base(name);
}

/* Puts an attribute of type t with len bytes of value v; returns its offset. */
static long put_raw(struct nl_msg *m, int t, int len, const void *v)
{
	long offs = next_offs(m);

	nla_put(m, t, len, v);
	return offs;
}

/* ----------------------------------------------------------- the tests */

static void test_family(void)
{
	family = genl_ctrl_resolve(sk, MWAN_GENL_NAME);
	if (!report(family > 0, "family \"%s\" resolves", MWAN_GENL_NAME))
		bail_out("no mwan family: %s", nl_geterror(family));
	events_group = genl_ctrl_resolve_grp(sk, MWAN_GENL_NAME,
					     MWAN_MCGRP_EVENTS);
	if (!report(events_group > 0, "group \"%s\" resolves",
		    MWAN_MCGRP_EVENTS))
		bail_out("no events group");
}

/*
 * The operations as CTRL_CMD_GETFAMILY reports them: each GET (uplink,
 * policy, rule) has do and dump and needs no permission; NEW, SET and DEL
 * have do only and need
 * CAP_NET_ADMIN in the netns's user namespace (GENL_UNS_ADMIN_PERM).
 */
static void test_ops(void)
{
	static const struct {
		uint8_t cmd;
		uint32_t flags;
	} want[] = {
		{ MWAN_CMD_UPLINK_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP },
		{ MWAN_CMD_UPLINK_NEW, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_UPLINK_SET, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_UPLINK_DEL, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_POLICY_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP },
		{ MWAN_CMD_POLICY_NEW, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_POLICY_SET, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_POLICY_DEL, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_RULE_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP },
		{ MWAN_CMD_RULE_NEW, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_RULE_DEL, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_NPT_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP },
		{ MWAN_CMD_NPT_NEW, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_NPT_SET, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_NPT_DEL, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_NAT_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP },
		{ MWAN_CMD_NAT_NEW, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_NAT_SET, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_NAT_DEL, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_WG_GET, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP },
		{ MWAN_CMD_WG_NEW, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_WG_SET, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
		{ MWAN_CMD_WG_DEL, GENL_CMD_CAP_DO | GENL_UNS_ADMIN_PERM },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *op, *otb[CTRL_ATTR_OP_MAX + 1];
	uint32_t got[MWAN_CMD_MAX + 1] = { 0 };
	static struct reply r;
	struct nl_msg *m;
	unsigned int i, nops = 0;
	bool ok = true;
	int rem;

	m = nlmsg_alloc();
	genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
		    CTRL_CMD_GETFAMILY, 1);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, MWAN_GENL_NAME);
	if (!transact(sk, m, &r) || r.error || !r.has_data ||
	    genlmsg_parse((struct nlmsghdr *)r.data, 0, tb, CTRL_ATTR_MAX,
			  NULL) || !tb[CTRL_ATTR_OPS]) {
		report(false, "CTRL_CMD_GETFAMILY lists the operations");
		return;
	}
	nla_for_each_nested(op, tb[CTRL_ATTR_OPS], rem) {
		uint32_t id;

		if (nla_parse_nested(otb, CTRL_ATTR_OP_MAX, op, NULL) ||
		    !otb[CTRL_ATTR_OP_ID])
			continue;
		id = nla_get_u32(otb[CTRL_ATTR_OP_ID]);
		nops++;
		if (id > MWAN_CMD_MAX) {
			whyf("unexpected operation %u", id);
			ok = false;
			continue;
		}
		got[id] = otb[CTRL_ATTR_OP_FLAGS] ?
			  nla_get_u32(otb[CTRL_ATTR_OP_FLAGS]) : 0;
	}
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		uint32_t mask = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP |
				GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM;

		if ((got[want[i].cmd] & mask) != want[i].flags) {
			whyf("%s: flags 0x%x, want 0x%x", cmd_name(want[i].cmd),
			     got[want[i].cmd] & mask, want[i].flags);
			ok = false;
		}
	}
	CHECK_EQ(nops, ARRAY_SIZE(want), "operations");
	CHECK_EQ(tb[CTRL_ATTR_VERSION] ? nla_get_u32(tb[CTRL_ATTR_VERSION]) : 0,
		 MWAN_GENL_VERSION, "version");
	CHECK_EQ(tb[CTRL_ATTR_HDRSIZE] ? nla_get_u32(tb[CTRL_ATTR_HDRSIZE]) : 0,
		 0, "family header size");
	report(ok, "version %d, no family header, operations and their "
	       "permission flags as in the spec", MWAN_GENL_VERSION);
}

/* NEW with every attribute; GET and the event return them all. */
static void test_new_full(void)
{
	struct uplink u;
	struct reply r;
	bool ok;

	uplink_full(&u, "full");
	ok = uplink_new(&u, &r);
	report(ok && !r.has_data, "NEW with every configuration attribute");
	ok = event_next(MWAN_CMD_UPLINK_NEW, "full", &r) &&
	     check_uplink(&r, &u, MWAN_STATE_UP, MWAN_REASON_NONE);
	report(ok, "NEW event carries every attribute");
	ok = uplink_get("full", &r) && r.cmd == MWAN_CMD_UPLINK_GET &&
	     check_uplink(&r, &u, MWAN_STATE_UP, MWAN_REASON_NONE);
	report(ok, "GET returns every attribute as set");
	report(event_none(), "GET sends no event");
}

/* NEW with a name and a device only: every default of the spec. */
static void test_new_defaults(void)
{
	struct uplink u;
	struct reply r;
	bool ok;

	uplink_defaults(&u, "dflt", DEV1);
	ok = uplink_new(&u, &r) &&
	     event_next(MWAN_CMD_UPLINK_NEW, "dflt", &r) &&
	     uplink_get("dflt", &r) &&
	     check_uplink(&r, &u, MWAN_STATE_UP, MWAN_REASON_NONE) &&
	     get_u8(&r, MWAN_UPLINK_A_HEALTH) == MWAN_HEALTH_UNKNOWN;
	report(ok, "NEW with name and device only gets the documented defaults");
}

/* SET changes one attribute, announces it, and leaves the others alone. */
static bool set_one(struct uplink *u, int t, int len, const void *v,
		    uint8_t state, uint8_t reason)
{
	struct nl_msg *m = set_base(u->name);
	struct reply r;

	nla_put(m, t, len, v);
	if (!transact(sk, m, &r))
		return false;
	if (r.error) {
		whyf("SET attribute %d: %s (%s)", t, strerror(-r.error), r.msg);
		return false;
	}
	return event_next(MWAN_CMD_UPLINK_SET, u->name, &r) &&
	       check_uplink(&r, u, state, reason) &&
	       uplink_same(u->name, u, state, reason);
}

/* Every SET attribute alone, each range at both ends. */
static void test_set(void)
{
	static const struct {
		int attr;
		uint32_t lo, hi;
		size_t field;
	} ranges[] = {
		{ MWAN_UPLINK_A_WEIGHT, MWAN_WEIGHT_MIN, MWAN_WEIGHT_MAX,
		  offsetof(struct uplink, weight) },
		{ MWAN_UPLINK_A_METRIC, MWAN_METRIC_MIN, MWAN_METRIC_MAX,
		  offsetof(struct uplink, metric) },
		{ MWAN_UPLINK_A_INTERVAL_MS, 10, 60000,
		  offsetof(struct uplink, interval) },
		{ MWAN_UPLINK_A_TIMEOUT_MS, 10, 60000,
		  offsetof(struct uplink, timeout) },
		{ MWAN_UPLINK_A_DOWN, 1, 100, offsetof(struct uplink, down) },
		{ MWAN_UPLINK_A_UP, 1, 100, offsetof(struct uplink, up) },
		{ MWAN_UPLINK_A_RELIABILITY, 1, MWAN_TRACK_MAX,
		  offsetof(struct uplink, reliability) },
		{ MWAN_UPLINK_A_TABLE, 1, 0xffffffff,
		  offsetof(struct uplink, table) },
	};
	struct uplink u;
	struct nl_msg *m;
	struct reply r;
	unsigned int i;
	uint8_t v8;
	bool ok;

	uplink_defaults(&u, "dflt", DEV1);
	/* reliability can reach MWAN_TRACK_MAX only with as many targets */
	u.ntrack = MWAN_TRACK_MAX;
	for (i = 0; i < MWAN_TRACK_MAX; i++) {
		char s[32];

		snprintf(s, sizeof(s), "2001:db8:2::%x", i + 1);
		track_v6(&u.track[i], s);
	}
	m = set_base(u.name);
	put_track(m, &u);
	ok = transact(sk, m, &r) && !r.error &&
	     event_next(MWAN_CMD_UPLINK_SET, u.name, &r) &&
	     check_uplink(&r, &u, MWAN_STATE_UP, MWAN_REASON_NONE);
	report(ok, "SET track to %d addresses", MWAN_TRACK_MAX);

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		uint32_t *field = (uint32_t *)((char *)&u + ranges[i].field);
		uint32_t lo = ranges[i].lo, hi = ranges[i].hi;

		*field = hi;
		ok = set_one(&u, ranges[i].attr, 4, &hi, MWAN_STATE_UP,
			     MWAN_REASON_NONE);
		*field = lo;
		ok = set_one(&u, ranges[i].attr, 4, &lo, MWAN_STATE_UP,
			     MWAN_REASON_NONE) && ok;
		report(ok, "SET attribute %d accepts %u and %u",
		       ranges[i].attr, hi, lo);
	}

	u.has_gw4 = true;
	inet_pton(AF_INET, "192.0.2.254", &u.gw4);
	report(set_one(&u, MWAN_UPLINK_A_GATEWAY4, 4, &u.gw4, MWAN_STATE_UP,
		       MWAN_REASON_NONE), "SET gateway4");
	u.has_gw6 = true;
	inet_pton(AF_INET6, "fe80::1", &u.gw6);
	report(set_one(&u, MWAN_UPLINK_A_GATEWAY6, 16, &u.gw6, MWAN_STATE_UP,
		       MWAN_REASON_NONE), "SET gateway6");

	u.dev = DEV0;
	report(set_one(&u, MWAN_UPLINK_A_IFNAME, strlen(DEV0) + 1, DEV0,
		       MWAN_STATE_UP, MWAN_REASON_NONE),
	       "SET ifname moves the uplink to another device");

	v8 = u.admin = MWAN_ADMIN_DOWN;
	ok = set_one(&u, MWAN_UPLINK_A_ADMIN, 1, &v8, MWAN_STATE_DOWN,
		     MWAN_REASON_ADMIN);
	v8 = u.admin = MWAN_ADMIN_UP;
	ok = set_one(&u, MWAN_UPLINK_A_ADMIN, 1, &v8, MWAN_STATE_UP,
		     MWAN_REASON_NONE) && ok;
	v8 = u.admin = MWAN_ADMIN_AUTO;
	ok = set_one(&u, MWAN_UPLINK_A_ADMIN, 1, &v8, MWAN_STATE_UP,
		     MWAN_REASON_NONE) && ok;
	report(ok, "SET admin down, up, auto: state follows with its reason");

	v8 = MWAN_HEALTH_DOWN;
	ok = set_one(&u, MWAN_UPLINK_A_HEALTH, 1, &v8, MWAN_STATE_DOWN,
		     MWAN_REASON_HEALTH) && uplink_get(u.name, &r) &&
	     get_u8(&r, MWAN_UPLINK_A_HEALTH) == MWAN_HEALTH_DOWN;
	v8 = MWAN_HEALTH_DEGRADED;
	ok = set_one(&u, MWAN_UPLINK_A_HEALTH, 1, &v8, MWAN_STATE_UP,
		     MWAN_REASON_NONE) && ok;
	v8 = MWAN_HEALTH_UP;
	ok = set_one(&u, MWAN_UPLINK_A_HEALTH, 1, &v8, MWAN_STATE_UP,
		     MWAN_REASON_NONE) && ok;
	report(ok, "SET health down takes the uplink down (reason health)");

	{
		uint32_t rtt = 12345;
		uint8_t loss = 100;

		ok = set_one(&u, MWAN_UPLINK_A_RTT_US, 4, &rtt, MWAN_STATE_UP,
			     MWAN_REASON_NONE) &&
		     set_one(&u, MWAN_UPLINK_A_LOSS_PCT, 1, &loss,
			     MWAN_STATE_UP, MWAN_REASON_NONE) &&
		     uplink_get(u.name, &r) &&
		     get_u32(&r, MWAN_UPLINK_A_RTT_US) == rtt &&
		     get_u8(&r, MWAN_UPLINK_A_LOSS_PCT) == loss;
		report(ok, "SET rtt_us and loss_pct (mwan-healthd's measurements)");
	}

	{
		uint32_t rtt_max = 150;
		uint8_t loss_max = 20;

		ok = set_one(&u, MWAN_UPLINK_A_RTT_MAX_MS, 4, &rtt_max,
			     MWAN_STATE_UP, MWAN_REASON_NONE) &&
		     set_one(&u, MWAN_UPLINK_A_LOSS_MAX_PCT, 1, &loss_max,
			     MWAN_STATE_UP, MWAN_REASON_NONE) &&
		     uplink_get(u.name, &r) &&
		     get_u32(&r, MWAN_UPLINK_A_RTT_MAX_MS) == rtt_max &&
		     get_u8(&r, MWAN_UPLINK_A_LOSS_MAX_PCT) == loss_max;
		report(ok, "SET rtt_max_ms and loss_max_pct (degraded thresholds)");
	}

	u.ntrack = 0;
	u.reliability = 1;
	m = set_base(u.name);
	put_track(m, &u);
	ok = transact(sk, m, &r) && !r.error &&
	     event_next(MWAN_CMD_UPLINK_SET, u.name, &r) &&
	     check_uplink(&r, &u, MWAN_STATE_UP, MWAN_REASON_NONE);
	report(ok, "SET with an empty track nest clears the targets");

	m = set_base(u.name);
	ok = transact(sk, m, &r) && !r.error &&
	     event_next(MWAN_CMD_UPLINK_SET, u.name, &r) &&
	     uplink_same(u.name, &u, MWAN_STATE_UP, MWAN_REASON_NONE);
	report(ok, "SET with the name only changes nothing");

	u.has_gw4 = false;
	memset(&u.gw4, 0, sizeof(u.gw4));
	ok = set_one(&u, MWAN_UPLINK_A_GATEWAY4, 4, &u.gw4, MWAN_STATE_UP,
		     MWAN_REASON_NONE);
	u.has_gw6 = false;
	memset(&u.gw6, 0, sizeof(u.gw6));
	ok = set_one(&u, MWAN_UPLINK_A_GATEWAY6, 16, &u.gw6, MWAN_STATE_UP,
		     MWAN_REASON_NONE) && ok;
	report(ok, "SET all-zero gateways removes them");
	dflt = u;
}

/* Wrong payload lengths for every fixed-size input attribute. */
static void test_lengths(void)
{
	static const struct {
		int attr, len, err;
		const char *msg;
	} cases[] = {
		{ MWAN_UPLINK_A_TABLE, 2, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_TABLE, 8, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_WEIGHT, 0, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_WEIGHT, 2, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_WEIGHT, 8, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_METRIC, 1, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_ADMIN, 4, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_ADMIN, 0, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_INTERVAL_MS, 3, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_TIMEOUT_MS, 5, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_DOWN, 1, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_UP, 8, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_RELIABILITY, 2, EINVAL, M_LENGTH },
		{ MWAN_UPLINK_A_GATEWAY4, 3, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY4, 0, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY4, 5, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY4, 16, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY6, 4, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY6, 15, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY6, 17, ERANGE, M_BINARY },
		{ MWAN_UPLINK_A_GATEWAY6, 32, ERANGE, M_BINARY },
	};
	static const struct {
		int attr, len;
	} set_only[] = {
		{ MWAN_UPLINK_A_HEALTH, 4 },
		{ MWAN_UPLINK_A_RTT_US, 2 },
		{ MWAN_UPLINK_A_LOSS_PCT, 2 },
	};
	unsigned char zero[32] = { 0 };
	unsigned int i;
	long offs;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nl_msg *m = new_base("badlen");

		offs = put_raw(m, cases[i].attr, cases[i].len, zero);
		report(expect_refused(m, cases[i].err, cases[i].msg, offs),
		       "NEW attribute %d with %d bytes: %s", cases[i].attr,
		       cases[i].len, cases[i].msg);
	}
	for (i = 0; i < ARRAY_SIZE(set_only); i++) {
		struct nl_msg *m = set_base("dflt");

		offs = put_raw(m, set_only[i].attr, set_only[i].len, zero);
		report(expect_refused(m, EINVAL, M_LENGTH, offs),
		       "SET attribute %d with %d bytes: %s", set_only[i].attr,
		       set_only[i].len, M_LENGTH);
	}
}

/* One below and one above every range. */
static void test_ranges(void)
{
	static const struct {
		uint8_t cmd;
		int attr, width;
		uint32_t bad;
	} cases[] = {
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_WEIGHT, 4, 0 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_WEIGHT, 4, MWAN_WEIGHT_MAX + 1 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_WEIGHT, 4, 0xffffffff },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_METRIC, 4, 0 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_METRIC, 4, MWAN_METRIC_MAX + 1 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_ADMIN, 1, __MWAN_ADMIN_MAX },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_ADMIN, 1, 0xff },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_INTERVAL_MS, 4, 9 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_INTERVAL_MS, 4, 60001 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_TIMEOUT_MS, 4, 9 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_TIMEOUT_MS, 4, 60001 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_DOWN, 4, 0 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_DOWN, 4, 101 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_UP, 4, 0 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_UP, 4, 101 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_RELIABILITY, 4, 0 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_RELIABILITY, 4,
		  MWAN_TRACK_MAX + 1 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_HEALTH, 1, __MWAN_HEALTH_MAX },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_LOSS_PCT, 1, 101 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_RTT_MAX_MS, 4, 60001 },
		{ MWAN_CMD_UPLINK_SET, MWAN_UPLINK_A_LOSS_MAX_PCT, 1, 101 },
		{ MWAN_CMD_UPLINK_NEW, MWAN_UPLINK_A_HANDSHAKE_S, 4,
		  MWAN_HANDSHAKE_MAX + 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *name = cases[i].cmd == MWAN_CMD_UPLINK_SET ?
				   "dflt" : "range";
		struct nl_msg *m = base(cases[i].cmd, name);
		uint8_t v8 = cases[i].bad;
		long offs;

		offs = put_raw(m, cases[i].attr, cases[i].width,
			       cases[i].width == 1 ? (void *)&v8 :
			       (void *)&cases[i].bad);
		report(expect_refused(m, ERANGE, M_RANGE, offs),
		       "%s attribute %d = %u: %s", cmd_name(cases[i].cmd),
		       cases[i].attr, cases[i].bad, M_RANGE);
	}	report(uplink_same("dflt", &dflt, MWAN_STATE_UP, MWAN_REASON_NONE),
	       "the refused SETs left the uplink as it was");
}

/*
 * Names and device names: strings (NUL-terminated, at most 15 characters,
 * as the spec's "string" with max-len says), then mwan's own rules.
 */
static void test_strings(void)
{
	static const struct {
		int attr;
		const char *value;
		int len;	/* bytes sent; -1: strlen + 1 */
		int err;
		const char *msg;
	} cases[] = {
		{ MWAN_UPLINK_A_NAME, "abcdefghijklmnop", -1, EINVAL, M_POLICY },
		{ MWAN_UPLINK_A_NAME, "abcdefghijklmnopqrstuvwxyz", -1, EINVAL,
		  M_POLICY },
		{ MWAN_UPLINK_A_NAME, "abcdefghijklmnop", 16, EINVAL, M_POLICY },
		{ MWAN_UPLINK_A_NAME, "wan9", 4, EINVAL, M_POLICY },
		{ MWAN_UPLINK_A_NAME, "", 0, EINVAL, M_POLICY },
		{ MWAN_UPLINK_A_NAME, "", -1, EINVAL, M_NAME_BAD },
		{ MWAN_UPLINK_A_NAME, "-wan", -1, EINVAL, M_NAME_BAD },
		{ MWAN_UPLINK_A_NAME, ".wan", -1, EINVAL, M_NAME_BAD },
		{ MWAN_UPLINK_A_NAME, "wan 1", -1, EINVAL, M_NAME_BAD },
		{ MWAN_UPLINK_A_NAME, "wan/1", -1, EINVAL, M_NAME_BAD },
		{ MWAN_UPLINK_A_NAME, "wan\0x", 6, EINVAL, M_NAME_BAD },
		{ MWAN_UPLINK_A_IFNAME, "abcdefghijklmnop", -1, EINVAL, M_POLICY },
		{ MWAN_UPLINK_A_IFNAME, "mwc0", 4, EINVAL, M_POLICY },
		{ MWAN_UPLINK_A_IFNAME, "", -1, EINVAL, M_IFNAME_BAD },
		{ MWAN_UPLINK_A_IFNAME, "a/b", -1, EINVAL, M_IFNAME_BAD },
		{ MWAN_UPLINK_A_IFNAME, "a b", -1, EINVAL, M_IFNAME_BAD },
		{ MWAN_UPLINK_A_IFNAME, "..", -1, EINVAL, M_IFNAME_BAD },
		{ MWAN_UPLINK_A_IFNAME, "nosuchdev", -1, ENODEV, M_NODEV },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nl_msg *m = request(MWAN_CMD_UPLINK_NEW, 0);
		int len = cases[i].len < 0 ? (int)strlen(cases[i].value) + 1 :
			  cases[i].len;
		char name[16];
		long offs;

		/* a name of its own, so that a wrong success hurts no other case */
		snprintf(name, sizeof(name), "str%u", i);
		if (cases[i].attr == MWAN_UPLINK_A_NAME) {
			offs = put_raw(m, MWAN_UPLINK_A_NAME, len,
				       cases[i].value);
			nla_put_string(m, MWAN_UPLINK_A_IFNAME, DEV0);
		} else {
			nla_put_string(m, MWAN_UPLINK_A_NAME, name);
			offs = put_raw(m, MWAN_UPLINK_A_IFNAME, len,
				       cases[i].value);
		}
		report(expect_refused(m, cases[i].err, cases[i].msg, offs),
		       "NEW %s \"%s\" in %d bytes: %s",
		       cases[i].attr == MWAN_UPLINK_A_NAME ? "name" : "ifname",
		       cases[i].value, len, cases[i].msg);
	}
	{
		struct uplink u;
		struct reply r;
		bool ok;

		uplink_defaults(&u, "Ab9_.-abcdefghi", DEV0);
		ok = uplink_new(&u, &r) &&
		     event_next(MWAN_CMD_UPLINK_NEW, u.name, &r) &&
		     uplink_same(u.name, &u, MWAN_STATE_UP, MWAN_REASON_NONE) &&
		     uplink_del(u.name);
		report(ok, "a name of %d characters of every allowed kind is "
		       "accepted", MWAN_NAME_MAXLEN - 1);
	}
}

/* Attributes that are not input: unknown types and output-only ones. */
static void test_unknown_and_output(void)
{
	static const struct {
		int attr, len;
		const char *msg;
	} output_only[] = {
		{ MWAN_UPLINK_A_PAD, 0, "padding is read-only" },
		{ MWAN_UPLINK_A_IFINDEX, 4, "ifindex is read-only" },
		{ MWAN_UPLINK_A_MARK, 4, "mark is read-only" },
		{ MWAN_UPLINK_A_MARK_MASK, 4, "mark_mask is read-only" },
		{ MWAN_UPLINK_A_STATE, 1, "state is read-only" },
		{ MWAN_UPLINK_A_REASON, 1, "reason is read-only" },
		{ MWAN_UPLINK_A_SINCE_MS, 8, "since_ms is read-only" },
		{ MWAN_UPLINK_A_STATS, 0, "stats is read-only" },
	};
	static const uint8_t key_cmds[] = {
		MWAN_CMD_UPLINK_GET, MWAN_CMD_UPLINK_DEL,
	};
	unsigned char zero[8] = { 0 };
	unsigned int i, c;
	struct nl_msg *m;
	long offs;

	m = new_base("unk");
	offs = put_raw(m, MWAN_UPLINK_A_MAX + 1, 4, zero);
	report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
	       "NEW with attribute type %d: %s", MWAN_UPLINK_A_MAX + 1,
	       M_UNKNOWN);
	m = set_base("dflt");
	offs = put_raw(m, 0x3fff, 4, zero);
	report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
	       "SET with attribute type 0x3fff: %s", M_UNKNOWN);
	m = new_base("unk");
	offs = put_raw(m, MWAN_UPLINK_A_UNSPEC, 4, zero);
	report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
	       "NEW with attribute type 0: %s", M_UNKNOWN);

	for (c = MWAN_CMD_UPLINK_NEW; c <= MWAN_CMD_UPLINK_SET; c++) {
		for (i = 0; i < ARRAY_SIZE(output_only); i++) {
			m = base(c, c == MWAN_CMD_UPLINK_SET ? "dflt" : "out");
			offs = put_raw(m, output_only[i].attr,
				       output_only[i].len, zero);
			report(expect_refused(m, EINVAL, output_only[i].msg,
					      offs),
			       "%s with output-only attribute %d: %s",
			       cmd_name(c), output_only[i].attr,
			       output_only[i].msg);
		}
	}
	for (i = 0; i < ARRAY_SIZE(key_cmds); i++) {
		m = request(key_cmds[i], 0);
		nla_put_string(m, MWAN_UPLINK_A_NAME, "dflt");
		offs = put_raw(m, MWAN_UPLINK_A_IFNAME, 5, DEV0);
		report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "%s takes no attribute but the name: %s",
		       cmd_name(key_cmds[i]), M_UNKNOWN);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_UPLINK_A_PAD, 0, zero);
		nla_put_string(m, MWAN_UPLINK_A_NAME, "dflt");
		report(expect_refused(m, EINVAL, "padding is read-only", offs),
		       "%s with a padding attribute: padding is read-only",
		       cmd_name(key_cmds[i]));
	}
}

/* The track nest: its flag, its members' lengths, their number, duplicates. */
static void test_track(void)
{
	unsigned char a4[4] = { 198, 51, 100, 7 }, a16[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	unsigned char zero[8] = { 0 };
	struct nlattr *nest;
	struct nl_msg *m;
	unsigned int i;
	long offs;

	m = new_base("trk");
	offs = put_raw(m, MWAN_UPLINK_A_TRACK, 8, zero);
	report(expect_refused(m, EINVAL, M_NESTED, offs),
	       "track without NLA_F_NESTED: %s", M_NESTED);

	m = new_base("trk");
	offs = put_raw(m, MWAN_UPLINK_A_WEIGHT | NLA_F_NESTED, 4, zero);
	report(expect_refused(m, EINVAL, M_NOT_NESTED, offs),
	       "weight with NLA_F_NESTED: %s", M_NOT_NESTED);

	{
		static const int lens[] = { 0, 3, 5, 8, 15, 17, 32 };

		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			/* longer than the policy's 16: the kernel's message */
			bool policy = lens[i] > 16;
			unsigned char buf[32] = { 10, 0, 0, 1 };

			m = new_base("trk");
			nest = nla_nest_start(m, MWAN_UPLINK_A_TRACK |
					      NLA_F_NESTED);
			offs = put_raw(m, MWAN_TRACK_A_ADDR, lens[i], buf);
			nla_nest_end(m, nest);
			report(expect_refused(m, policy ? ERANGE : EINVAL,
					      policy ? M_POLICY : M_TRACK_LEN,
					      offs),
			       "track address of %d bytes: %s", lens[i],
			       policy ? M_POLICY : M_TRACK_LEN);
		}
	}

	m = new_base("trk");
	nest = nla_nest_start(m, MWAN_UPLINK_A_TRACK | NLA_F_NESTED);
	offs = put_raw(m, MWAN_TRACK_A_ADDR + 1, 4, a4);
	nla_nest_end(m, nest);
	report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
	       "track with attribute type %d: %s", MWAN_TRACK_A_ADDR + 1,
	       M_UNKNOWN);

	m = new_base("trk");
	offs = next_offs(m);
	nest = nla_nest_start(m, MWAN_UPLINK_A_TRACK | NLA_F_NESTED);
	for (i = 0; i <= MWAN_TRACK_MAX; i++) {
		a16[15] = i + 1;
		if (i == MWAN_TRACK_MAX)
			offs = next_offs(m);
		nla_put(m, MWAN_TRACK_A_ADDR, 16, a16);
	}
	nla_nest_end(m, nest);
	report(expect_refused(m, EINVAL, M_TRACK_MANY, offs),
	       "track with %d addresses: %s", MWAN_TRACK_MAX + 1, M_TRACK_MANY);

	m = new_base("trk");
	nest = nla_nest_start(m, MWAN_UPLINK_A_TRACK | NLA_F_NESTED);
	nla_put(m, MWAN_TRACK_A_ADDR, 4, a4);
	nla_put(m, MWAN_TRACK_A_ADDR, 16, a16);
	offs = put_raw(m, MWAN_TRACK_A_ADDR, 4, a4);
	nla_nest_end(m, nest);
	report(expect_refused(m, EINVAL, M_TRACK_DUP, offs),
	       "track with a duplicate address: %s", M_TRACK_DUP);

	m = new_base("trk");
	nest = nla_nest_start(m, MWAN_UPLINK_A_TRACK | NLA_F_NESTED);
	nla_put(m, MWAN_TRACK_A_ADDR, 4, a4);
	nla_put(m, MWAN_TRACK_A_ADDR, 16, a16);
	nla_nest_end(m, nest);
	offs = next_offs(m);
	nla_put_u32(m, MWAN_UPLINK_A_RELIABILITY, 3);
	report(expect_refused(m, EINVAL, M_RELIABILITY, offs),
	       "reliability 3 with 2 track addresses: %s", M_RELIABILITY);

	m = set_base("dflt");
	offs = next_offs(m);
	nla_put_u32(m, MWAN_UPLINK_A_RELIABILITY, 2);
	report(expect_refused(m, EINVAL, M_RELIABILITY, offs),
	       "SET reliability 2 on an uplink without targets: %s",
	       M_RELIABILITY);
}

/* Requests without what they need, or for names that do not exist. */
static void test_missing_and_unknown(void)
{
	static const uint8_t cmds[] = {
		MWAN_CMD_UPLINK_GET, MWAN_CMD_UPLINK_SET, MWAN_CMD_UPLINK_DEL,
	};
	unsigned char table[4] = { 0 };
	struct uplink u;
	struct nl_msg *m;
	unsigned int i;
	long offs;

	m = request(MWAN_CMD_UPLINK_NEW, 0);
	nla_put_string(m, MWAN_UPLINK_A_IFNAME, DEV0);
	report(expect_missing(m, MWAN_UPLINK_A_NAME, M_NAME_REQ),
	       "NEW without a name: %s", M_NAME_REQ);
	m = request(MWAN_CMD_UPLINK_NEW, 0);
	nla_put_string(m, MWAN_UPLINK_A_NAME, "nodev");
	report(expect_missing(m, MWAN_UPLINK_A_IFNAME, M_DEV_REQ),
	       "NEW without a device: %s", M_DEV_REQ);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		m = request(cmds[i], 0);
		report(expect_missing(m, MWAN_UPLINK_A_NAME, M_NAME_REQ),
		       "%s without a name: %s", cmd_name(cmds[i]), M_NAME_REQ);
		m = request(cmds[i], 0);
		offs = put_raw(m, MWAN_UPLINK_A_NAME, 6, "ghost");
		report(expect_refused(m, ENOENT, M_NOENT, offs),
		       "%s of an unknown name: ENOENT, %s", cmd_name(cmds[i]),
		       M_NOENT);
	}

	m = new_base("tbl");
	offs = put_raw(m, MWAN_UPLINK_A_TABLE, 4, table);
	report(expect_refused(m, EINVAL, M_TABLE, offs),
	       "NEW table 0: %s", M_TABLE);
	for (i = 253; i <= 255; i++) {
		uint32_t t = i;

		m = set_base("dflt");
		offs = put_raw(m, MWAN_UPLINK_A_TABLE, 4, &t);
		report(expect_refused(m, EINVAL, M_TABLE, offs),
		       "SET table %u: %s", i, M_TABLE);
	}

	uplink_full(&u, "full");
	m = request(MWAN_CMD_UPLINK_NEW, 0);
	offs = next_offs(m);
	put_config(m, &u);
	report(expect_refused(m, EEXIST, M_EXISTS, offs),
	       "NEW of an existing name: EEXIST, %s", M_EXISTS);
	u.admin = MWAN_ADMIN_UP;
	report(uplink_same("full", &u, MWAN_STATE_UP, MWAN_REASON_NONE),
	       "the refused NEW left the existing uplink alone");
}

/* Malformed messages: trailing bytes, short headers, unknown commands. */
static void test_messages(void)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nl_msg *m;
	struct reply r;
	int n;

	m = new_base("trail");
	{
		/* an attribute header that claims more than the message has */
		struct nlattr *a = nlmsg_reserve(m, 4, NLMSG_ALIGNTO);

		a->nla_len = 64;
		a->nla_type = MWAN_UPLINK_A_WEIGHT;
	}
	report(expect_refused(m, EINVAL, M_LEFTOVER, NO_OFFS),
	       "attribute longer than the message: %s", M_LEFTOVER);

	m = set_base("dflt");
	((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(m)))->reserved = 1;
	report(expect_refused(m, EINVAL, M_RESERVED, NO_OFFS),
	       "non-zero reserved genetlink header bytes: %s", M_RESERVED);

	m = request(200, 0);
	nla_put_string(m, MWAN_UPLINK_A_NAME, "dflt");
	report(expect_refused(m, EOPNOTSUPP, NULL, NO_OFFS),
	       "unknown command 200: EOPNOTSUPP");
	m = request(MWAN_CMD_UNSPEC, 0);
	report(expect_refused(m, EOPNOTSUPP, NULL, NO_OFFS),
	       "command 0: EOPNOTSUPP");
	m = request(MWAN_CMD_UPLINK_NEW, NLM_F_DUMP);
	report(expect_refused(m, EOPNOTSUPP, NULL, NO_OFFS),
	       "dump of NEW: EOPNOTSUPP");

	/* a message that ends inside the generic netlink header */
	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 0x5eed;
	buf[NLMSG_HDRLEN] = MWAN_CMD_UPLINK_GET;
	buf[NLMSG_HDRLEN + 1] = MWAN_GENL_VERSION;
	reply_init(&r);
	n = send(nl_socket_get_fd(sk), buf, NLMSG_ALIGN(nlh->nlmsg_len), 0);
	if (n > 0) {
		n = sock_recv(sk, buf, sizeof(buf), TIMEOUT_MS);
		if (n > 0 && nlmsg_ok(nlh, n) && nlh->nlmsg_type == NLMSG_ERROR)
			parse_error(nlh, &r);
	}
	report(refused(&r, EINVAL, NULL, NO_OFFS),
	       "message shorter than the genetlink header: EINVAL");

	/*
	 * 200 KiB, more than any default socket buffer, of unknown attributes:
	 * refused at the first. The socket caps its acks (NETLINK_CAP_ACK), or
	 * the echoed request would not fit its receive buffer.
	 */
	{
		struct nl_sock *big = sock_open(), *saved = sk;
		int one = 1;
		char *data = calloc(1, 60000);
		long offs;

		nl_socket_set_buffer_size(big, 1 << 20, 1 << 20);
		setsockopt(nl_socket_get_fd(big), SOL_NETLINK, NETLINK_CAP_ACK,
			   &one, sizeof(one));
		m = request_size(MWAN_CMD_UPLINK_NEW, 0, 256 << 10);
		nla_put_string(m, MWAN_UPLINK_A_NAME, "huge");
		nla_put_string(m, MWAN_UPLINK_A_IFNAME, DEV0);
		offs = next_offs(m);
		while (nlmsg_hdr(m)->nlmsg_len < 200 << 10 &&
		       !nla_put(m, MWAN_UPLINK_A_MAX + 1, 60000, data))
			;
		free(data);
		sk = big;
		report(nlmsg_hdr(m)->nlmsg_len >= 200 << 10 &&
		       expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "a 200 KiB NEW of unknown attributes: %s", M_UNKNOWN);
		sk = saved;
		nl_socket_free(big);
	}

	/* the largest message that fits: many attributes, the last one bad */
	{
		unsigned int i;
		long offs;

		m = new_base("huge");
		for (i = 0; i < 4000; i++)
			nla_put_u32(m, MWAN_UPLINK_A_WEIGHT, 1 + i % 1000);
		offs = put_raw(m, MWAN_UPLINK_A_METRIC, 4,
			       &(uint32_t){ MWAN_METRIC_MAX + 1 });
		report(expect_refused(m, ERANGE, M_RANGE, offs),
		       "a 32 KiB NEW whose last attribute is out of range: %s",
		       M_RANGE);
	}
}

/* In a child: gives up CAP_NET_ADMIN for good, or exits with status 2. */
static void drop_net_admin(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	int idx = CAP_TO_INDEX(CAP_NET_ADMIN);
	unsigned int bit = CAP_TO_MASK(CAP_NET_ADMIN);

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0) ||
	    syscall(SYS_capget, &h, d))
		_exit(2);
	d[idx].effective &= ~bit;
	d[idx].permitted &= ~bit;
	d[idx].inheritable &= ~bit;
	if (syscall(SYS_capset, &h, d))
		_exit(2);
}

/* NEW, SET and DEL need CAP_NET_ADMIN; GET, dumps and events do not. */
static void test_permissions(void)
{
	enum { P_NEW, P_SET, P_DEL, P_GET, P_DUMP, P_JOIN, P_N };
	static const char *const what[P_N] = {
		"NEW", "SET", "DEL", "GET", "dump", "joining events",
	};
	int res[P_N], fds[2], status, i;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds))
		bail_out("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail_out("fork: %s", strerror(errno));
	if (!pid) {
		struct nl_msg *m;
		struct reply r;

		close(fds[0]);
		for (i = 0; i < P_N; i++)
			res[i] = -EFAULT;
		drop_net_admin();
		sk = sock_open();
		m = new_base("unpriv");
		transact(sk, m, &r);
		res[P_NEW] = r.error;
		m = set_base("dflt");
		nla_put_u32(m, MWAN_UPLINK_A_WEIGHT, 9);
		transact(sk, m, &r);
		res[P_SET] = r.error;
		m = request(MWAN_CMD_UPLINK_DEL, 0);
		nla_put_string(m, MWAN_UPLINK_A_NAME, "dflt");
		transact(sk, m, &r);
		res[P_DEL] = r.error;
		m = request(MWAN_CMD_UPLINK_GET, 0);
		nla_put_string(m, MWAN_UPLINK_A_NAME, "dflt");
		transact(sk, m, &r);
		res[P_GET] = r.error ? r.error : r.has_data ? 0 : -ENODATA;
		m = request(MWAN_CMD_UPLINK_GET, NLM_F_DUMP);
		transact(sk, m, &r);
		res[P_DUMP] = r.error ? r.error : r.has_data ? 0 : -ENODATA;
		res[P_JOIN] = nl_socket_add_membership(sk, events_group) ?
			      -EPERM : 0;
		if (write(fds[1], res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], res, sizeof(res)) != sizeof(res))
		for (i = 0; i < P_N; i++)
			res[i] = -EFAULT;
	close(fds[0]);
	waitpid(pid, &status, 0);
	for (i = 0; i < P_N; i++) {
		int want = i <= P_DEL ? -EPERM : 0;

		if (res[i] != want)
			whyf("errno %d (%s), want %d", -res[i],
			     strerror(-res[i]), -want);
		report(res[i] == want, "without CAP_NET_ADMIN: %s %s", what[i],
		       i <= P_DEL ? "fails with EPERM" : "works");
	}
	report(event_none(), "the refused changes sent no event");
	report(uplink_same("dflt", &dflt, MWAN_STATE_UP, MWAN_REASON_NONE),
	       "the refused changes changed nothing");
}

/* One dump; calls mid() after the first datagram, if given. */
struct dump_result {
	unsigned int datagrams, uplinks, intr;
	int done_error;
	bool complete;
	char seen[256];			/* by index of d<N> names */
	unsigned int dups, strangers;
};

static void dump(size_t bufsize, void (*mid)(void), struct dump_result *d)
{
	struct nl_sock *ds = sock_open();
	unsigned char *buf = malloc(bufsize);
	struct nl_msg *m = request(MWAN_CMD_UPLINK_GET, NLM_F_DUMP);
	struct reply r;
	uint32_t seq;
	int n;

	memset(d, 0, sizeof(*d));
	nl_send_auto(ds, m);
	seq = nlmsg_hdr(m)->nlmsg_seq;
	nlmsg_free(m);
	while (!d->complete) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		n = sock_recv(ds, buf, bufsize, TIMEOUT_MS);
		if (n <= 0) {
			whyf("dump: %s", n ? strerror(-n) : "timeout");
			break;
		}
		if (d->datagrams++ == 0 && mid)
			mid();
		for (; nlmsg_ok(nlh, n); nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				d->intr++;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				d->done_error = *(int *)nlmsg_data(nlh);
				d->complete = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				d->done_error = ((struct nlmsgerr *)
						 nlmsg_data(nlh))->error;
				d->complete = true;
				break;
			}
			if (!parse_uplink(nlh, &r) || !check_reply_types(&r)) {
				d->strangers++;
				continue;
			}
			{
				const char *name =
					nla_get_string(r.tb[MWAN_UPLINK_A_NAME]);
				unsigned int idx;

				d->uplinks++;
				if (name[0] == 'd' && sscanf(name + 1, "%u",
							     &idx) == 1 &&
				    idx < sizeof(d->seen)) {
					if (d->seen[idx]++)
						d->dups++;
				}
			}
		}
	}
	free(buf);
	nl_socket_free(ds);
}

static unsigned int dump_count;

static void churn(void)
{
	struct uplink u;
	struct reply r;

	uplink_del("d1");
	uplink_defaults(&u, "d1", DEV1);
	uplink_new(&u, &r);
	event_next(MWAN_CMD_UPLINK_NEW, "d1", &r);
}

/* As many uplinks as there are marks, dumped through a small buffer. */
static void test_dump(void)
{
	/*
	 * The top bit of mark_mask flags inbound connections and the
	 * all-ones index below it means "not balanced": uplinks get the
	 * indexes between 0 and that.
	 */
	unsigned int bits = __builtin_popcount(mark_mask);
	unsigned int max = bits > 9 ? 255 : (1U << (bits - 1)) - 2;
	unsigned int existing, created = 0, i;
	struct dump_result d;
	struct uplink u;
	struct reply r;
	char name[16];
	bool ok = true;

	dump(REPLY_MAX, NULL, &d);
	existing = d.uplinks;
	for (i = 1; created + existing < max; i++) {
		snprintf(name, sizeof(name), "d%u", i);
		uplink_defaults(&u, name, i % 2 ? DEV0 : DEV1);
		if (!uplink_new(&u, &r) ||
		    !event_next(MWAN_CMD_UPLINK_NEW, name, &r)) {
			ok = false;
			break;
		}
		created++;
	}
	dump_count = created;
	report(ok, "NEW of %u uplinks, one event each", created);

	{
		struct nl_msg *m = new_base("onemore");

		report(expect_refused(m, ENOSPC, M_NOMARK, NO_OFFS),
		       "NEW beyond the %u marks of mark_mask: %s", max,
		       M_NOMARK);
	}

	dump(4096, NULL, &d);
	ok = d.complete && !d.done_error && d.uplinks == max &&
	     !d.dups && !d.strangers && !d.intr;
	for (i = 1; i <= created; i++)
		if (d.seen[i] != 1)
			ok = false;
	if (!ok)
		whyf("complete %d error %d uplinks %u dups %u bad %u intr %u",
		     d.complete, d.done_error, d.uplinks, d.dups, d.strangers,
		     d.intr);
	report(ok, "dump returns each of the %u uplinks once", max);
	report(d.datagrams > 2, "the dump resumed over %u datagrams of 4 KiB",
	       d.datagrams);

	dump(4096, churn, &d);
	if (!d.complete || d.done_error || !d.intr)
		whyf("complete %d error %d intr %u", d.complete, d.done_error,
		     d.intr);
	report(d.complete && !d.done_error && d.intr,
	       "a change during the dump sets NLM_F_DUMP_INTR");

	{
		struct nl_msg *m = request(MWAN_CMD_UPLINK_GET, NLM_F_DUMP);
		long offs = put_raw(m, MWAN_UPLINK_A_MAX + 1, 4, &max);

		report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "dump request with an unknown attribute: %s", M_UNKNOWN);
	}

	ok = true;
	for (i = 1; i <= created; i++) {
		snprintf(name, sizeof(name), "d%u", i);
		if (!uplink_del(name)) {
			ok = false;
			break;
		}
	}
	report(ok, "DEL of the %u uplinks, one event each", created);
	report(event_none(), "no other event");
}

/* DEL: the event carries the last state; the name and mark are free again. */
static void test_del(void)
{
	struct uplink u;
	struct reply r, g;
	uint32_t mark;
	bool ok;

	uplink_full(&u, "full");
	ok = uplink_get("full", &g);
	mark = get_u32(&g, MWAN_UPLINK_A_MARK);
	ok = ok && uplink_del("full");
	report(ok, "DEL an uplink");
	{
		struct nl_msg *m = request(MWAN_CMD_UPLINK_GET, 0);
		long offs = put_raw(m, MWAN_UPLINK_A_NAME, 5, "full");

		report(expect_refused(m, ENOENT, M_NOENT, offs),
		       "GET after DEL: ENOENT");
	}
	ok = uplink_new(&u, &r) && event_next(MWAN_CMD_UPLINK_NEW, "full", &r) &&
	     get_u32(&r, MWAN_UPLINK_A_MARK) == mark;
	report(ok, "the name and the lowest free mark are reused");
	ok = uplink_del("full") && uplink_del("dflt");
	report(ok && event_none(), "the namespace is left without uplinks");
}

/* ----------------------------------------------------------- policies */

/* mwan's messages for policies and rules (kmod/nl_policy.c, nl_rule.c). */
#define M_PNAME_REQ	"policy name required"
#define M_PEXISTS	"policy name already exists"
#define M_PNOENT	"no such policy"
#define M_PNAME_BAD	"invalid policy name: letters, digits, '_', '.' and '-', " \
			"starting with a letter or digit"
#define M_NEED_MEMBER	"policy needs a member"
#define M_MEMBER_UPLINK	"member needs an uplink"
#define M_MEMBER_DUP	"duplicate member"
#define M_MEMBERS_MANY	"too many members (at most 32)"
#define M_RULE_POLICY	"policy required"
#define M_PREF_REQ	"rule pref required"
#define M_PREF_EXISTS	"rule pref already exists"
#define M_RNOENT	"no such rule"
#define M_NO_PREF	"no pref left after the last rule: give one"
#define M_FAMILY	"family must be AF_INET or AF_INET6"
#define M_ADDR_LEN	"address must be 4 (IPv4) or 16 (IPv6) bytes"
#define M_FAMILIES	"source and destination families differ"
#define M_FAMILY_ADDR	"family and address disagree"
#define M_PREFIX_BOTH	"prefix needs both address and length"
#define M_PREFIX_BAD	"prefix has host bits set or is too long"
#define M_PORT_ORDER	"port range min exceeds max"
#define M_PORT_PROTO	"port range needs a protocol with ports"

/* A member as sent (the overrides) and as replies must give it. */
struct member {
	const char *uplink;
	bool own_weight, own_metric;	/* sent, and flagged in replies */
	uint32_t weight, metric;	/* in effect */
	uint8_t state;
};

struct policy {
	const char *name;
	int last_resort;		/* -1: not sent, UNREACHABLE in replies */
	unsigned int n;
	struct member m[MWAN_MEMBERS_MAX + 1];
};

static void member_set(struct member *mb, const char *uplink, bool own_weight,
		       uint32_t weight, bool own_metric, uint32_t metric,
		       uint8_t state)
{
	mb->uplink = uplink;
	mb->own_weight = own_weight;
	mb->weight = weight;
	mb->own_metric = own_metric;
	mb->metric = metric;
	mb->state = state;
}

static void put_member(struct nl_msg *m, const struct member *mb)
{
	struct nlattr *nest = nla_nest_start(m, MWAN_POLICY_A_MEMBER |
					     NLA_F_NESTED);

	nla_put_string(m, MWAN_MEMBER_A_UPLINK, mb->uplink);
	if (mb->own_weight)
		nla_put_u32(m, MWAN_MEMBER_A_WEIGHT, mb->weight);
	if (mb->own_metric)
		nla_put_u32(m, MWAN_MEMBER_A_METRIC, mb->metric);
	nla_nest_end(m, nest);
}

static void put_policy(struct nl_msg *m, const struct policy *p)
{
	unsigned int i;

	nla_put_string(m, MWAN_POLICY_A_NAME, p->name);
	if (p->last_resort >= 0)
		nla_put_u8(m, MWAN_POLICY_A_LAST_RESORT, p->last_resort);
	for (i = 0; i < p->n; i++)
		put_member(m, &p->m[i]);
}

/* Attribute t of tb: present iff want_present, of len bytes, worth want. */
static bool check_int(struct nlattr **tb, int t, int len, bool want_present,
		      uint64_t want, const char *what)
{
	uint64_t got;

	if (!tb[t] || !want_present) {
		if (!tb[t] != !want_present) {
			whyf("%s: %s", what, tb[t] ? "present, want absent" :
			     "missing");
			return false;
		}
		return true;
	}
	if (nla_len(tb[t]) != len) {
		whyf("%s: %d bytes, want %d", what, nla_len(tb[t]), len);
		return false;
	}
	got = len == 1 ? nla_get_u8(tb[t]) : len == 2 ? nla_get_u16(tb[t]) :
	      len == 4 ? nla_get_u32(tb[t]) : len == 8 ? nla_get_u64(tb[t]) : 0;
	if (got != want) {
		whyf("%s: got %llu, want %llu", what, (unsigned long long)got,
		     (unsigned long long)want);
		return false;
	}
	return true;
}

/* Attribute t of tb: the string want (NULL: absent), NUL-terminated. */
static bool check_str(struct nlattr **tb, int t, const char *want,
		      const char *what)
{
	struct nlattr *a = tb[t];

	if (!a || !want) {
		if (!a != !want) {
			whyf("%s: %s", what, a ? "present, want absent" :
			     "missing");
			return false;
		}
		return true;
	}
	if (nla_len(a) != (int)strlen(want) + 1 ||
	    memcmp(nla_data(a), want, nla_len(a))) {
		whyf("%s: \"%.*s\", want \"%s\"", what, nla_len(a),
		     (char *)nla_data(a), want);
		return false;
	}
	return true;
}

static bool check_member(struct nlattr *nest, const struct member *w,
			 unsigned int i)
{
	struct nlattr *tb[MWAN_MEMBER_A_MAX + 1], *a;
	bool ok = true;
	char what[64];
	int rem;

	if (!(nest->nla_type & NLA_F_NESTED)) {
		whyf("member %u: nest without NLA_F_NESTED", i);
		ok = false;
	}
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) < MWAN_MEMBER_A_UPLINK ||
		    nla_type(a) > MWAN_MEMBER_A_MAX) {
			whyf("member %u: attribute %d", i, nla_type(a));
			ok = false;
		}
	}
	if (nla_parse_nested(tb, MWAN_MEMBER_A_MAX, nest, NULL)) {
		whyf("member %u does not parse", i);
		return false;
	}
	snprintf(what, sizeof(what), "member %u uplink", i);
	ok = check_str(tb, MWAN_MEMBER_A_UPLINK, w->uplink, what) && ok;
	snprintf(what, sizeof(what), "member %u (%s) weight", i, w->uplink);
	ok = check_int(tb, MWAN_MEMBER_A_WEIGHT, 4, true, w->weight, what) && ok;
	snprintf(what, sizeof(what), "member %u (%s) metric", i, w->uplink);
	ok = check_int(tb, MWAN_MEMBER_A_METRIC, 4, true, w->metric, what) && ok;
	snprintf(what, sizeof(what), "member %u (%s) own_weight", i, w->uplink);
	ok = check_int(tb, MWAN_MEMBER_A_OWN_WEIGHT, 0, w->own_weight, 0,
		       what) && ok;
	snprintf(what, sizeof(what), "member %u (%s) own_metric", i, w->uplink);
	ok = check_int(tb, MWAN_MEMBER_A_OWN_METRIC, 0, w->own_metric, 0,
		       what) && ok;
	snprintf(what, sizeof(what), "member %u (%s) state", i, w->uplink);
	ok = check_int(tb, MWAN_MEMBER_A_STATE, 1, true, w->state, what) && ok;
	return ok;
}

/* The attributes of the data message in r, for walking them in order. */
static struct nlattr *reply_attrs_of(struct reply *r, int *len)
{
	struct genlmsghdr *g = nlmsg_data((struct nlmsghdr *)r->data);

	*len = genlmsg_attrlen(g, 0);
	return genlmsg_attrdata(g, 0);
}

/* The reply (GET, dump or event) describes p: name, last resort, members. */
static bool check_policy(struct reply *r, const struct policy *p)
{
	unsigned int n = 0, names = 0, lrs = 0;
	struct nlattr *a, *head;
	bool ok = true;
	int len, rem;

	head = reply_attrs_of(r, &len);
	nla_for_each_attr(a, head, len, rem) {
		switch (nla_type(a)) {
		case MWAN_POLICY_A_NAME:
			names++;
			break;
		case MWAN_POLICY_A_LAST_RESORT:
			lrs++;
			break;
		case MWAN_POLICY_A_MEMBER:
			if (n >= p->n) {
				whyf("more than %u members", p->n);
				return false;
			}
			ok = check_member(a, &p->m[n], n) && ok;
			n++;
			break;
		default:
			whyf("policy reply with attribute %d", nla_type(a));
			ok = false;
		}
	}
	CHECK_EQ(names, 1, "name attributes");
	CHECK_EQ(lrs, 1, "last_resort attributes");
	CHECK_EQ(n, p->n, "members");
	ok = check_str(r->tb, MWAN_POLICY_A_NAME, p->name, "name") && ok;
	ok = check_int(r->tb, MWAN_POLICY_A_LAST_RESORT, 1, true,
		       p->last_resort < 0 ? MWAN_LAST_RESORT_UNREACHABLE :
		       (uint64_t)p->last_resort, "last_resort") && ok;
	return ok;
}

/* Sends m; it must succeed without data. */
static bool expect_ok(struct nl_msg *m, const char *what)
{
	struct reply r;

	if (!transact(sk, m, &r))
		return false;
	if (r.error || r.has_data) {
		whyf("%s: %s (%s)", what, r.error ? strerror(-r.error) :
		     "data in the answer", r.msg);
		return false;
	}
	return true;
}

static struct nl_msg *policy_req(uint8_t cmd, const char *name)
{
	struct nl_msg *m = request(cmd, 0);

	nla_put_string(m, MWAN_POLICY_A_NAME, name);
	return m;
}

/* NEW or SET of p, and its event. */
static bool policy_send(uint8_t cmd, const struct policy *p)
{
	struct nl_msg *m = request(cmd, 0);
	struct reply r;

	put_policy(m, p);
	return expect_ok(m, cmd_name(cmd)) && event_next(cmd, p->name, &r) &&
	       check_policy(&r, p);
}

static bool policy_get(const char *name, struct reply *r)
{
	if (!transact(sk, policy_req(MWAN_CMD_POLICY_GET, name), r))
		return false;
	if (r->error || !r->has_data || r->cmd != MWAN_CMD_POLICY_GET) {
		whyf("POLICY_GET %s: %s (%s)", name,
		     r->error ? strerror(-r->error) : "no data or wrong cmd",
		     r->msg);
		return false;
	}
	return true;
}

static bool policy_same(const struct policy *p)
{
	struct reply r;

	return policy_get(p->name, &r) && check_policy(&r, p);
}

static bool policy_del(const char *name)
{
	struct reply r;

	return expect_ok(policy_req(MWAN_CMD_POLICY_DEL, name), "POLICY_DEL") &&
	       event_next(MWAN_CMD_POLICY_DEL, name, &r);
}

/* NEW of an uplink on dev with one u32 or u8 setting, and its event. */
static bool uplink_add(const char *name, const char *dev, int t, int len,
		       uint32_t v)
{
	struct nl_msg *m = request(MWAN_CMD_UPLINK_NEW, 0);
	struct reply r;
	uint8_t v8 = v;

	nla_put_string(m, MWAN_UPLINK_A_NAME, name);
	nla_put_string(m, MWAN_UPLINK_A_IFNAME, dev);
	if (t)
		nla_put(m, t, len, len == 1 ? (void *)&v8 : (void *)&v);
	return expect_ok(m, "NEW") && event_next(MWAN_CMD_UPLINK_NEW, name, &r);
}

static bool uplink_set(const char *name, int t, int len, uint32_t v)
{
	struct nl_msg *m = set_base(name);
	struct reply r;
	uint8_t v8 = v;

	nla_put(m, t, len, len == 1 ? (void *)&v8 : (void *)&v);
	return expect_ok(m, "SET") && event_next(MWAN_CMD_UPLINK_SET, name, &r);
}

/* The policies as the tests leave them, for the later checks. */
static struct policy pol1, pol2;

/*
 * Uplinks pa (weight 5, metric 2), pb (defaults) and pc (admin down), and
 * policies over them: NEW, GET, events, overrides, following, SET.
 */
static void test_policy(void)
{
	static struct policy p3;
	struct reply r;
	bool ok;

	ok = uplink_add("pa", DEV0, MWAN_UPLINK_A_WEIGHT, 4, 5) &&
	     uplink_set("pa", MWAN_UPLINK_A_METRIC, 4, 2) &&
	     uplink_add("pb", DEV1, 0, 0, 0) &&
	     uplink_add("pc", DEV0, MWAN_UPLINK_A_ADMIN, 1, MWAN_ADMIN_DOWN);
	if (!report(ok, "uplinks pa, pb and pc for the policies"))
		bail_out("cannot go on without uplinks");

	pol1.name = "pol1";
	pol1.last_resort = MWAN_LAST_RESORT_BLACKHOLE;
	pol1.n = 3;
	member_set(&pol1.m[0], "pa", false, 5, false, 2, MWAN_STATE_UP);
	member_set(&pol1.m[1], "pb", true, 9, true, 4, MWAN_STATE_UP);
	member_set(&pol1.m[2], "pc", true, 3, false, 1, MWAN_STATE_DOWN);
	{
		struct nl_msg *m = request(MWAN_CMD_POLICY_NEW, 0);

		put_policy(m, &pol1);
		report(expect_ok(m, "POLICY_NEW"),
		       "POLICY_NEW with members, overrides and last resort");
	}
	ok = event_next(MWAN_CMD_POLICY_NEW, "pol1", &r) &&
	     check_policy(&r, &pol1);
	report(ok, "POLICY_NEW event carries name, last resort and members "
	       "(weight, metric, own_* flags, state)");
	ok = policy_same(&pol1);
	report(ok, "POLICY_GET returns the members in order with the weight "
	       "and metric in effect, own_* flags and state");
	report(event_none(), "POLICY_GET sends no event");

	pol2.name = "pol2";
	pol2.last_resort = -1;
	pol2.n = 1;
	member_set(&pol2.m[0], "pb", false, 1, false, 1, MWAN_STATE_UP);
	ok = policy_send(MWAN_CMD_POLICY_NEW, &pol2) && policy_same(&pol2);
	report(ok, "POLICY_NEW without last resort: unreachable");

	p3.name = "pol3";
	p3.last_resort = MWAN_LAST_RESORT_MAX;
	p3.n = 2;
	member_set(&p3.m[0], "pa", true, MWAN_WEIGHT_MIN, true, MWAN_METRIC_MAX,
		   MWAN_STATE_UP);
	member_set(&p3.m[1], "pb", true, MWAN_WEIGHT_MAX, true, MWAN_METRIC_MIN,
		   MWAN_STATE_UP);
	ok = policy_send(MWAN_CMD_POLICY_NEW, &p3) && policy_same(&p3) &&
	     policy_del("pol3");
	report(ok, "member weight %d and %d, metric %d and %d, last resort %d "
	       "are accepted", MWAN_WEIGHT_MIN, MWAN_WEIGHT_MAX,
	       MWAN_METRIC_MIN, MWAN_METRIC_MAX, MWAN_LAST_RESORT_MAX);

	ok = uplink_set("pa", MWAN_UPLINK_A_WEIGHT, 4, 6) &&
	     uplink_set("pa", MWAN_UPLINK_A_METRIC, 4, 3) &&
	     uplink_set("pb", MWAN_UPLINK_A_WEIGHT, 4, 2) &&
	     uplink_set("pb", MWAN_UPLINK_A_METRIC, 4, 5) &&
	     uplink_set("pc", MWAN_UPLINK_A_METRIC, 4, 8) &&
	     uplink_set("pc", MWAN_UPLINK_A_ADMIN, 1, MWAN_ADMIN_UP);
	pol1.m[0].weight = 6;
	pol1.m[0].metric = 3;
	pol1.m[2].metric = 8;
	pol1.m[2].state = MWAN_STATE_UP;
	pol2.m[0].weight = 2;
	pol2.m[0].metric = 5;
	ok = ok && policy_same(&pol1) && policy_same(&pol2);
	report(ok, "members follow their uplink's weight, metric and state, "
	       "overrides stay");
	report(event_none(), "uplink changes send no policy event");

	pol2.last_resort = MWAN_LAST_RESORT_DEFAULT;
	ok = policy_send(MWAN_CMD_POLICY_SET, &pol2) && policy_same(&pol2);
	report(ok, "POLICY_SET last resort default: event and GET");

	pol1.last_resort = -1;
	pol1.n = 2;
	member_set(&pol1.m[0], "pc", false, 1, true, 7, MWAN_STATE_UP);
	member_set(&pol1.m[1], "pa", false, 6, false, 3, MWAN_STATE_UP);
	ok = policy_send(MWAN_CMD_POLICY_SET, &pol1) && policy_same(&pol1);
	report(ok, "POLICY_SET replaces members, overrides and last resort "
	       "as a whole");
}

/* One request with a bad attribute; what the kernel must answer. */
struct raw {
	int type, len;			/* len -1: a string with its NUL */
	uint64_t num;			/* the value, in len bytes */
	const char *addr;		/* or an address, its first len bytes */
	const char *str;		/* or these len bytes */
};

/* Puts a; returns its offset. */
static long put_rawv(struct nl_msg *m, const struct raw *a)
{
	unsigned char buf[64] = { 0 };
	int len = a->len;

	if (a->str) {
		if (len < 0)
			len = strlen(a->str) + 1;
		memcpy(buf, a->str, strlen(a->str) + 1);
	} else if (a->addr) {
		inet_pton(strchr(a->addr, ':') ? AF_INET6 : AF_INET, a->addr,
			  buf);
	} else if (len == 1) {
		buf[0] = a->num;
	} else if (len == 2) {
		uint16_t v = a->num;

		memcpy(buf, &v, 2);
	} else if (len == 4) {
		uint32_t v = a->num;

		memcpy(buf, &v, 4);
	} else {
		memcpy(buf, &a->num, sizeof(a->num));
	}
	return put_raw(m, a->type, len, buf);
}

/* Policy requests refused for their top-level attributes. */
static void test_policy_bad(void)
{
	static const struct {
		struct raw a;
		int err;
		const char *msg;
	} attrs[] = {
		{ { MWAN_POLICY_A_LAST_RESORT, 4, 0, NULL, NULL }, EINVAL, M_LENGTH },
		{ { MWAN_POLICY_A_LAST_RESORT, 0, 0, NULL, NULL }, EINVAL, M_LENGTH },
		{ { MWAN_POLICY_A_LAST_RESORT, 1, MWAN_LAST_RESORT_MAX + 1, NULL,
		    NULL }, ERANGE, M_RANGE },
		{ { MWAN_POLICY_A_LAST_RESORT, 1, 255, NULL, NULL }, ERANGE,
		  M_RANGE },
		{ { MWAN_POLICY_A_LAST_RESORT | NLA_F_NESTED, 1, 0, NULL, NULL },
		  EINVAL, M_NOT_NESTED },
		{ { MWAN_POLICY_A_MEMBER, 8, 0, NULL, NULL }, EINVAL, M_NESTED },
		{ { MWAN_POLICY_A_PAD, 0, 0, NULL, NULL }, EINVAL,
		  "padding is read-only" },
		{ { MWAN_POLICY_A_MAX + 1, 4, 0, NULL, NULL }, EINVAL, M_UNKNOWN },
		{ { MWAN_POLICY_A_UNSPEC, 4, 0, NULL, NULL }, EINVAL, M_UNKNOWN },
		{ { MWAN_POLICY_A_NAME, -1, 0, NULL, "abcdefghijklmnop" }, EINVAL,
		  M_POLICY },
		{ { MWAN_POLICY_A_NAME, 4, 0, NULL, "polx" }, EINVAL, M_POLICY },
		{ { MWAN_POLICY_A_NAME, 0, 0, NULL, "" }, EINVAL, M_POLICY },
		{ { MWAN_POLICY_A_NAME, -1, 0, NULL, "" }, EINVAL, M_PNAME_BAD },
		{ { MWAN_POLICY_A_NAME, -1, 0, NULL, "-pol" }, EINVAL,
		  M_PNAME_BAD },
		{ { MWAN_POLICY_A_NAME, -1, 0, NULL, "po l" }, EINVAL,
		  M_PNAME_BAD },
	};
	static const uint8_t cmds[] = {
		MWAN_CMD_POLICY_NEW, MWAN_CMD_POLICY_SET,
	};
	static const uint8_t key_cmds[] = {
		MWAN_CMD_POLICY_GET, MWAN_CMD_POLICY_SET, MWAN_CMD_POLICY_DEL,
	};
	struct member pa;
	struct nl_msg *m;
	unsigned int i, c;
	long offs;

	member_set(&pa, "pa", false, 0, false, 0, 0);
	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		for (i = 0; i < ARRAY_SIZE(attrs); i++) {
			bool name = attrs[i].a.type == MWAN_POLICY_A_NAME;

			/* SET of a name that is not one is tried below */
			if (name && cmds[c] == MWAN_CMD_POLICY_SET)
				continue;
			m = request(cmds[c], 0);
			if (name) {
				offs = put_rawv(m, &attrs[i].a);
			} else {
				nla_put_string(m, MWAN_POLICY_A_NAME,
					       cmds[c] == MWAN_CMD_POLICY_SET ?
					       "pol1" : "bad");
				offs = put_rawv(m, &attrs[i].a);
			}
			put_member(m, &pa);
			report(expect_refused(m, attrs[i].err, attrs[i].msg,
					      offs),
			       "%s attribute %d of %d bytes: %s",
			       cmd_name(cmds[c]), attrs[i].a.type & 0x3fff,
			       attrs[i].a.len, attrs[i].msg);
		}
	}

	for (i = 0; i < ARRAY_SIZE(key_cmds); i++) {
		m = request(key_cmds[i], 0);
		if (key_cmds[i] == MWAN_CMD_POLICY_SET)
			put_member(m, &pa);
		report(expect_missing(m, MWAN_POLICY_A_NAME, M_PNAME_REQ),
		       "%s without a name: %s", cmd_name(key_cmds[i]),
		       M_PNAME_REQ);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_POLICY_A_NAME, 6, "ghost");
		if (key_cmds[i] == MWAN_CMD_POLICY_SET)
			put_member(m, &pa);
		report(expect_refused(m, ENOENT, M_PNOENT, offs),
		       "%s of an unknown name: ENOENT, %s",
		       cmd_name(key_cmds[i]), M_PNOENT);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_POLICY_A_NAME, 5, "a b!");
		if (key_cmds[i] == MWAN_CMD_POLICY_SET)
			put_member(m, &pa);
		report(expect_refused(m, EINVAL, M_PNAME_BAD, offs),
		       "%s of an invalid name: %s", cmd_name(key_cmds[i]),
		       M_PNAME_BAD);
		if (key_cmds[i] == MWAN_CMD_POLICY_SET)
			continue;
		m = policy_req(key_cmds[i], "pol1");
		offs = next_offs(m);
		put_member(m, &pa);
		report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "%s takes no attribute but the name: %s",
		       cmd_name(key_cmds[i]), M_UNKNOWN);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_POLICY_A_PAD, 0, NULL);
		nla_put_string(m, MWAN_POLICY_A_NAME, "pol1");
		report(expect_refused(m, EINVAL, "padding is read-only", offs),
		       "%s with a padding attribute: padding is read-only",
		       cmd_name(key_cmds[i]));
	}

	m = request(MWAN_CMD_POLICY_NEW, 0);
	put_member(m, &pa);
	report(expect_missing(m, MWAN_POLICY_A_NAME, M_PNAME_REQ),
	       "POLICY_NEW without a name: %s", M_PNAME_REQ);
	m = policy_req(MWAN_CMD_POLICY_NEW, "bad");
	nla_put_u8(m, MWAN_POLICY_A_LAST_RESORT, 0);
	report(expect_missing(m, MWAN_POLICY_A_MEMBER, M_NEED_MEMBER),
	       "POLICY_NEW without a member: %s", M_NEED_MEMBER);
	m = policy_req(MWAN_CMD_POLICY_SET, "pol1");
	report(expect_missing(m, MWAN_POLICY_A_MEMBER, M_NEED_MEMBER),
	       "POLICY_SET without a member: %s", M_NEED_MEMBER);
	m = request(MWAN_CMD_POLICY_NEW, 0);
	offs = put_raw(m, MWAN_POLICY_A_NAME, 5, "pol2");
	put_member(m, &pa);
	report(expect_refused(m, EEXIST, M_PEXISTS, offs),
	       "POLICY_NEW of an existing name: EEXIST, %s", M_PEXISTS);
	report(policy_same(&pol1) && policy_same(&pol2),
	       "the refused requests left the policies as they were");
}

/* Member nests refused: their attributes, their uplink, their number. */
static void test_member_bad(void)
{
	static const struct {
		struct raw a;
		int err;
		const char *msg;
	} attrs[] = {
		{ { MWAN_MEMBER_A_WEIGHT, 2, 1, NULL, NULL }, EINVAL, M_LENGTH },
		{ { MWAN_MEMBER_A_WEIGHT, 8, 1, NULL, NULL }, EINVAL, M_LENGTH },
		{ { MWAN_MEMBER_A_WEIGHT, 0, 0, NULL, NULL }, EINVAL, M_LENGTH },
		{ { MWAN_MEMBER_A_METRIC, 1, 1, NULL, NULL }, EINVAL, M_LENGTH },
		{ { MWAN_MEMBER_A_WEIGHT, 4, MWAN_WEIGHT_MIN - 1, NULL, NULL },
		  ERANGE, M_RANGE },
		{ { MWAN_MEMBER_A_WEIGHT, 4, MWAN_WEIGHT_MAX + 1, NULL, NULL },
		  ERANGE, M_RANGE },
		{ { MWAN_MEMBER_A_WEIGHT, 4, 0xffffffff, NULL, NULL }, ERANGE,
		  M_RANGE },
		{ { MWAN_MEMBER_A_METRIC, 4, MWAN_METRIC_MIN - 1, NULL, NULL },
		  ERANGE, M_RANGE },
		{ { MWAN_MEMBER_A_METRIC, 4, MWAN_METRIC_MAX + 1, NULL, NULL },
		  ERANGE, M_RANGE },
		{ { MWAN_MEMBER_A_WEIGHT | NLA_F_NESTED, 4, 1, NULL, NULL },
		  EINVAL, M_NOT_NESTED },
		{ { MWAN_MEMBER_A_OWN_WEIGHT, 0, 0, NULL, NULL }, EINVAL,
		  "own_weight is read-only" },
		{ { MWAN_MEMBER_A_OWN_METRIC, 0, 0, NULL, NULL }, EINVAL,
		  "own_metric is read-only" },
		{ { MWAN_MEMBER_A_STATE, 1, 1, NULL, NULL }, EINVAL,
		  "member state is read-only" },
		{ { MWAN_MEMBER_A_MAX + 1, 4, 0, NULL, NULL }, EINVAL, M_UNKNOWN },
		{ { MWAN_MEMBER_A_UNSPEC, 4, 0, NULL, NULL }, EINVAL, M_UNKNOWN },
	};
	static const struct {
		struct raw a;
		int err;
		const char *msg;
	} uplinks[] = {
		{ { MWAN_MEMBER_A_UPLINK, -1, 0, NULL, "abcdefghijklmnop" },
		  EINVAL, M_POLICY },
		{ { MWAN_MEMBER_A_UPLINK, 2, 0, NULL, "pa" }, EINVAL, M_POLICY },
		{ { MWAN_MEMBER_A_UPLINK, 0, 0, NULL, "" }, EINVAL, M_POLICY },
		{ { MWAN_MEMBER_A_UPLINK, -1, 0, NULL, "" }, EINVAL, M_NAME_BAD },
		{ { MWAN_MEMBER_A_UPLINK, -1, 0, NULL, "p/a" }, EINVAL,
		  M_NAME_BAD },
		{ { MWAN_MEMBER_A_UPLINK, -1, 0, NULL, "ghost" }, ENOENT,
		  "no such uplink ghost in member" },
	};
	static const uint8_t cmds[] = {
		MWAN_CMD_POLICY_NEW, MWAN_CMD_POLICY_SET,
	};
	struct nlattr *nest;
	struct member mb;
	struct nl_msg *m;
	unsigned int i, c;
	long offs;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		const char *name = cmds[c] == MWAN_CMD_POLICY_NEW ? "bad" :
				   "pol1";

		for (i = 0; i < ARRAY_SIZE(attrs); i++) {
			m = policy_req(cmds[c], name);
			nest = nla_nest_start(m, MWAN_POLICY_A_MEMBER |
					      NLA_F_NESTED);
			nla_put_string(m, MWAN_MEMBER_A_UPLINK, "pa");
			offs = put_rawv(m, &attrs[i].a);
			nla_nest_end(m, nest);
			report(expect_refused(m, attrs[i].err, attrs[i].msg,
					      offs),
			       "%s member attribute %d of %d bytes: %s",
			       cmd_name(cmds[c]), attrs[i].a.type & 0x3fff,
			       attrs[i].a.len, attrs[i].msg);
		}
		for (i = 0; i < ARRAY_SIZE(uplinks); i++) {
			member_set(&mb, "pb", false, 0, false, 0, 0);
			m = policy_req(cmds[c], name);
			put_member(m, &mb);
			nest = nla_nest_start(m, MWAN_POLICY_A_MEMBER |
					      NLA_F_NESTED);
			offs = put_rawv(m, &uplinks[i].a);
			nla_nest_end(m, nest);
			report(expect_refused(m, uplinks[i].err, uplinks[i].msg,
					      offs),
			       "%s member uplink \"%s\" in %d bytes: %s",
			       cmd_name(cmds[c]), uplinks[i].a.str,
			       uplinks[i].a.len, uplinks[i].msg);
		}

		m = policy_req(cmds[c], name);
		offs = put_raw(m, MWAN_POLICY_A_MEMBER | NLA_F_NESTED, 0, NULL);
		report(expect_refused(m, EINVAL, M_MEMBER_UPLINK, offs),
		       "%s with an empty member: %s", cmd_name(cmds[c]),
		       M_MEMBER_UPLINK);
		m = policy_req(cmds[c], name);
		offs = next_offs(m);
		nest = nla_nest_start(m, MWAN_POLICY_A_MEMBER | NLA_F_NESTED);
		nla_put_u32(m, MWAN_MEMBER_A_WEIGHT, 3);
		nla_nest_end(m, nest);
		report(expect_refused(m, EINVAL, M_MEMBER_UPLINK, offs),
		       "%s with a member of a weight only: %s",
		       cmd_name(cmds[c]), M_MEMBER_UPLINK);

		m = policy_req(cmds[c], name);
		member_set(&mb, "pa", false, 0, false, 0, 0);
		put_member(m, &mb);
		member_set(&mb, "pb", false, 0, false, 0, 0);
		put_member(m, &mb);
		nest = nla_nest_start(m, MWAN_POLICY_A_MEMBER | NLA_F_NESTED);
		offs = put_raw(m, MWAN_MEMBER_A_UPLINK, 3, "pa");
		nla_put_u32(m, MWAN_MEMBER_A_WEIGHT, 4);
		nla_nest_end(m, nest);
		report(expect_refused(m, EINVAL, M_MEMBER_DUP, offs),
		       "%s with uplink pa twice: %s", cmd_name(cmds[c]),
		       M_MEMBER_DUP);
	}
	report(policy_same(&pol1), "the refused POLICY_SETs left pol1 alone");
}

/* MWAN_MEMBERS_MAX members, one more, and dumps of large policies. */
static void test_members_max(void)
{
	static struct policy big;
	static char names[MWAN_MEMBERS_MAX + 1][8];
	struct nlattr *nest;
	struct nl_msg *m;
	unsigned int i;
	bool ok = true;
	long offs = 0;

	for (i = 0; i < MWAN_MEMBERS_MAX && ok; i++) {
		snprintf(names[i], sizeof(names[i]), "m%u", i);
		ok = uplink_add(names[i], i % 2 ? DEV1 : DEV0, 0, 0, 0);
	}
	report(ok, "%d more uplinks", MWAN_MEMBERS_MAX);

	big.name = "big";
	big.last_resort = MWAN_LAST_RESORT_BLACKHOLE;
	big.n = MWAN_MEMBERS_MAX;
	for (i = 0; i < MWAN_MEMBERS_MAX; i++)
		member_set(&big.m[i], names[i], i % 3 == 0, 100 + i, i % 5 == 0,
			   i % 5 == 0 ? 200 + i : 1, MWAN_STATE_UP);
	for (i = 0; i < MWAN_MEMBERS_MAX; i++)
		if (!big.m[i].own_weight)
			big.m[i].weight = 1;
	ok = policy_send(MWAN_CMD_POLICY_NEW, &big) && policy_same(&big);
	report(ok, "POLICY_NEW with %d members", MWAN_MEMBERS_MAX);

	for (i = 0; i < 2; i++) {
		uint8_t cmd = i ? MWAN_CMD_POLICY_SET : MWAN_CMD_POLICY_NEW;
		unsigned int j;

		m = policy_req(cmd, i ? "big" : "big2");
		for (j = 0; j <= MWAN_MEMBERS_MAX; j++) {
			if (j == MWAN_MEMBERS_MAX) {
				offs = next_offs(m);
				nest = nla_nest_start(m, MWAN_POLICY_A_MEMBER |
						      NLA_F_NESTED);
				nla_put_string(m, MWAN_MEMBER_A_UPLINK, "pa");
				nla_nest_end(m, nest);
			} else {
				put_member(m, &big.m[j]);
			}
		}
		report(expect_refused(m, EINVAL, M_MEMBERS_MANY, offs),
		       "%s with %d members: %s", cmd_name(cmd),
		       MWAN_MEMBERS_MAX + 1, M_MEMBERS_MANY);
	}
	report(policy_same(&big), "the refused POLICY_SET left big alone");
	{
		struct nl_msg *d = request(MWAN_CMD_UPLINK_DEL, 0);

		offs = put_raw(d, MWAN_UPLINK_A_NAME, 3, "m0");
		report(expect_refused(d, EBUSY, "uplink in use by policy big",
				      offs),
		       "DEL of an uplink in use by a policy: EBUSY, "
		       "uplink in use by policy big");
	}
}

/* A dump of cmd through bufsize bytes; mid() runs after the first datagram. */
struct gdump {
	unsigned int datagrams, msgs, intr, bad;
	int done_error;
	bool complete;
	unsigned int n;
	uint32_t keys[1024];		/* rule prefs, or policy "dp<N>" numbers */
};

static void dump_cmd(uint8_t cmd, size_t bufsize, void (*mid)(void),
		     struct gdump *d)
{
	struct nl_sock *ds = sock_open();
	unsigned char *buf = malloc(bufsize);
	struct nl_msg *m = request(cmd, NLM_F_DUMP);
	static struct reply r;
	uint32_t seq;
	int n;

	memset(d, 0, sizeof(*d));
	nl_send_auto(ds, m);
	seq = nlmsg_hdr(m)->nlmsg_seq;
	nlmsg_free(m);
	while (!d->complete) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		n = sock_recv(ds, buf, bufsize, TIMEOUT_MS);
		if (n <= 0) {
			whyf("dump: %s", n ? strerror(-n) : "timeout");
			break;
		}
		if (d->datagrams++ == 0 && mid)
			mid();
		for (; nlmsg_ok(nlh, n); nlh = nlmsg_next(nlh, &n)) {
			uint32_t key = 0;

			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				d->intr++;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR) {
				d->done_error = *(int *)nlmsg_data(nlh);
				d->complete = true;
				break;
			}
			d->msgs++;
			if (!parse_uplink(nlh, &r) || r.cmd != cmd) {
				d->bad++;
				continue;
			}
			if (cmd == MWAN_CMD_RULE_GET) {
				if (!r.tb[MWAN_RULE_A_PREF] ||
				    !r.tb[MWAN_RULE_A_POLICY]) {
					d->bad++;
					continue;
				}
				key = nla_get_u32(r.tb[MWAN_RULE_A_PREF]);
			} else {
				const char *name;

				if (!r.tb[MWAN_POLICY_A_NAME] ||
				    !r.tb[MWAN_POLICY_A_MEMBER]) {
					d->bad++;
					continue;
				}
				name = nla_get_string(r.tb[MWAN_POLICY_A_NAME]);
				if (sscanf(name, "dp%u", &key) != 1)
					key = 0;
			}
			if (d->n < ARRAY_SIZE(d->keys))
				d->keys[d->n++] = key;
		}
	}
	free(buf);
	nl_socket_free(ds);
}

static void policy_churn(void)
{
	struct member mb;
	struct nl_msg *m = policy_req(MWAN_CMD_POLICY_SET, "pol2");
	struct reply r;

	member_set(&mb, "pb", false, 0, false, 0, 0);
	put_member(m, &mb);
	nla_put_u8(m, MWAN_POLICY_A_LAST_RESORT, MWAN_LAST_RESORT_DEFAULT);
	if (expect_ok(m, "POLICY_SET"))
		event_next(MWAN_CMD_POLICY_SET, "pol2", &r);
}

#define DUMP_POLICIES	8

/* Dumps of large policies: each once, resumed, flagged when changed. */
static void test_policy_dump(void)
{
	static struct policy dp;
	unsigned int i, seen[DUMP_POLICIES + 1] = { 0 }, others = 0;
	struct gdump *d = malloc(sizeof(*d));
	char name[16];
	bool ok = true;

	dp = pol1;
	for (i = 0; i < MWAN_MEMBERS_MAX; i++) {
		static char names[MWAN_MEMBERS_MAX][8];

		snprintf(names[i], sizeof(names[i]), "m%u", i);
		member_set(&dp.m[i], names[i], true, 1000, true, 255,
			   MWAN_STATE_UP);
	}
	dp.n = MWAN_MEMBERS_MAX;
	for (i = 1; i <= DUMP_POLICIES && ok; i++) {
		snprintf(name, sizeof(name), "dp%u", i);
		dp.name = name;
		ok = policy_send(MWAN_CMD_POLICY_NEW, &dp);
	}
	report(ok, "POLICY_NEW of %d policies of %d members", DUMP_POLICIES,
	       MWAN_MEMBERS_MAX);

	dump_cmd(MWAN_CMD_POLICY_GET, 4096, NULL, d);
	for (i = 0; i < d->n; i++) {
		if (d->keys[i] >= 1 && d->keys[i] <= DUMP_POLICIES)
			seen[d->keys[i]]++;
		else
			others++;
	}
	/* pol1, pol2 and big besides */
	ok = d->complete && !d->done_error && !d->bad && !d->intr &&
	     others == 3 && d->msgs == DUMP_POLICIES + 3;
	for (i = 1; i <= DUMP_POLICIES; i++)
		ok = ok && seen[i] == 1;
	if (!ok)
		whyf("complete %d error %d msgs %u bad %u intr %u others %u",
		     d->complete, d->done_error, d->msgs, d->bad, d->intr,
		     others);
	report(ok, "policy dump returns each of the %d policies once",
	       DUMP_POLICIES + 3);
	report(d->datagrams > 2, "the policy dump resumed over %u datagrams "
	       "of 4 KiB", d->datagrams);

	dump_cmd(MWAN_CMD_POLICY_GET, 4096, policy_churn, d);
	if (!d->complete || d->done_error || !d->intr)
		whyf("complete %d error %d intr %u", d->complete, d->done_error,
		     d->intr);
	report(d->complete && !d->done_error && d->intr,
	       "a POLICY_SET during the policy dump sets NLM_F_DUMP_INTR");
	{
		struct nl_msg *m = request(MWAN_CMD_POLICY_GET, NLM_F_DUMP);
		long offs = put_raw(m, MWAN_POLICY_A_MEMBER | NLA_F_NESTED, 0,
				    NULL);

		report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "policy dump request with a member: %s", M_UNKNOWN);
	}

	ok = true;
	for (i = 1; i <= DUMP_POLICIES && ok; i++) {
		snprintf(name, sizeof(name), "dp%u", i);
		ok = policy_del(name);
	}
	report(ok, "POLICY_DEL of the %d policies, one event each",
	       DUMP_POLICIES);
	free(d);
}

/* -------------------------------------------------------------- rules */

struct rule {
	uint32_t pref;			/* 0: not sent (appended) */
	uint8_t family;			/* AF_INET, AF_INET6; 0: not sent */
	unsigned int src_bytes, dst_bytes;	/* 4 or 16; 0: not sent */
	unsigned char src[16], dst[16];
	uint8_t src_len, dst_len;
	uint8_t proto;			/* 0: not sent */
	int sport_min, sport_max, dport_min, dport_max;	/* -1: not sent */
	const char *iifname;		/* NULL: not sent */
	uint32_t sticky;		/* 0: not sent */
	const char *policy;
};

static void rule_init(struct rule *ru, uint32_t pref, const char *policy)
{
	memset(ru, 0, sizeof(*ru));
	ru->pref = pref;
	ru->policy = policy;
	ru->sport_min = ru->sport_max = ru->dport_min = ru->dport_max = -1;
}

static unsigned int addr_parse(const char *s, unsigned char *a)
{
	memset(a, 0, 16);
	if (strchr(s, ':')) {
		inet_pton(AF_INET6, s, a);
		return 16;
	}
	inet_pton(AF_INET, s, a);
	return 4;
}

static void put_rule(struct nl_msg *m, const struct rule *ru)
{
	if (ru->pref)
		nla_put_u32(m, MWAN_RULE_A_PREF, ru->pref);
	if (ru->family)
		nla_put_u8(m, MWAN_RULE_A_FAMILY, ru->family);
	if (ru->src_bytes) {
		nla_put(m, MWAN_RULE_A_SRC, ru->src_bytes, ru->src);
		nla_put_u8(m, MWAN_RULE_A_SRC_LEN, ru->src_len);
	}
	if (ru->dst_bytes) {
		nla_put(m, MWAN_RULE_A_DST, ru->dst_bytes, ru->dst);
		nla_put_u8(m, MWAN_RULE_A_DST_LEN, ru->dst_len);
	}
	if (ru->proto)
		nla_put_u8(m, MWAN_RULE_A_PROTO, ru->proto);
	if (ru->sport_min >= 0)
		nla_put_u16(m, MWAN_RULE_A_SPORT_MIN, ru->sport_min);
	if (ru->sport_max >= 0)
		nla_put_u16(m, MWAN_RULE_A_SPORT_MAX, ru->sport_max);
	if (ru->dport_min >= 0)
		nla_put_u16(m, MWAN_RULE_A_DPORT_MIN, ru->dport_min);
	if (ru->dport_max >= 0)
		nla_put_u16(m, MWAN_RULE_A_DPORT_MAX, ru->dport_max);
	if (ru->iifname)
		nla_put_string(m, MWAN_RULE_A_IIFNAME, ru->iifname);
	if (ru->sticky)
		nla_put_u32(m, MWAN_RULE_A_STICKY, ru->sticky);
	nla_put_string(m, MWAN_RULE_A_POLICY, ru->policy);
}

static bool check_prefix(struct reply *r, int t, unsigned int bytes,
			 const unsigned char *addr, uint8_t len,
			 const char *what)
{
	char lwhat[32];
	bool ok;

	snprintf(lwhat, sizeof(lwhat), "%s_len", what);
	ok = check_int(r->tb, t + 1, 1, bytes, len, lwhat);
	if (!r->tb[t] != !bytes) {
		whyf("%s: %s", what, bytes ? "missing" : "present, want absent");
		return false;
	}
	if (bytes && ((unsigned int)nla_len(r->tb[t]) != bytes ||
		      memcmp(nla_data(r->tb[t]), addr, bytes))) {
		whyf("%s differs (%d bytes)", what, nla_len(r->tb[t]));
		return false;
	}
	return ok;
}

static bool check_ports(struct reply *r, int t, int min, int max,
			const char *what)
{
	unsigned int lo = min < 0 ? 0 : min, hi = max < 0 ? 0xffff : max;
	bool any = lo == 0 && hi == 0xffff;
	char w[32];
	bool ok;

	snprintf(w, sizeof(w), "%s min", what);
	ok = check_int(r->tb, t, 2, !any, lo, w);
	snprintf(w, sizeof(w), "%s max", what);
	return check_int(r->tb, t + 1, 2, !any, hi, w) && ok;
}

/* The reply (GET, dump or event) describes ru, at pref. */
static bool check_rule(struct reply *r, const struct rule *ru, uint32_t pref)
{
	struct nlattr *a, *head, *st[MWAN_STATS_A_MAX + 1];
	unsigned int bytes = ru->src_bytes ?: ru->dst_bytes;
	uint8_t family = ru->family ?: bytes == 4 ? AF_INET :
			 bytes == 16 ? AF_INET6 : 0;
	bool ok = true;
	int len, rem;

	head = reply_attrs_of(r, &len);
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) <= MWAN_RULE_A_PAD ||
		    nla_type(a) > MWAN_RULE_A_MAX) {
			whyf("rule reply with attribute %d", nla_type(a));
			ok = false;
		}
	}
	ok = check_int(r->tb, MWAN_RULE_A_PREF, 4, true, pref, "pref") && ok;
	ok = check_int(r->tb, MWAN_RULE_A_FAMILY, 1, family, family,
		       "family") && ok;
	ok = check_prefix(r, MWAN_RULE_A_SRC, ru->src_bytes, ru->src,
			  ru->src_len, "src") && ok;
	ok = check_prefix(r, MWAN_RULE_A_DST, ru->dst_bytes, ru->dst,
			  ru->dst_len, "dst") && ok;
	ok = check_int(r->tb, MWAN_RULE_A_PROTO, 1, ru->proto, ru->proto,
		       "proto") && ok;
	ok = check_ports(r, MWAN_RULE_A_SPORT_MIN, ru->sport_min,
			 ru->sport_max, "sport") && ok;
	ok = check_ports(r, MWAN_RULE_A_DPORT_MIN, ru->dport_min,
			 ru->dport_max, "dport") && ok;
	ok = check_str(r->tb, MWAN_RULE_A_IIFNAME, ru->iifname, "iifname") && ok;
	ok = check_int(r->tb, MWAN_RULE_A_STICKY, 4, ru->sticky, ru->sticky,
		       "sticky") && ok;
	ok = check_str(r->tb, MWAN_RULE_A_POLICY, ru->policy, "policy") && ok;
	a = r->tb[MWAN_RULE_A_STATS];
	if (!a || !(a->nla_type & NLA_F_NESTED) ||
	    nla_parse_nested(st, MWAN_STATS_A_MAX, a, NULL) ||
	    !st[MWAN_STATS_A_PACKETS] || nla_len(st[MWAN_STATS_A_PACKETS]) != 8) {
		whyf("stats missing, not a nest, or without a u64 packets");
		ok = false;
	}
	return ok;
}

static struct nl_msg *rule_req(uint8_t cmd, uint32_t pref)
{
	struct nl_msg *m = request(cmd, 0);

	nla_put_u32(m, MWAN_RULE_A_PREF, pref);
	return m;
}

static bool rule_get(uint32_t pref, struct reply *r)
{
	if (!transact(sk, rule_req(MWAN_CMD_RULE_GET, pref), r))
		return false;
	if (r->error || !r->has_data || r->cmd != MWAN_CMD_RULE_GET) {
		whyf("RULE_GET %u: %s (%s)", pref,
		     r->error ? strerror(-r->error) : "no data or wrong cmd",
		     r->msg);
		return false;
	}
	return true;
}

/* NEW of ru (at pref, when it gives none); its event and GET describe it. */
static bool rule_new(const struct rule *ru, uint32_t pref)
{
	struct nl_msg *m = request(MWAN_CMD_RULE_NEW, 0);
	struct reply r;

	put_rule(m, ru);
	return expect_ok(m, "RULE_NEW") &&
	       event_rule(MWAN_CMD_RULE_NEW, pref, &r) &&
	       check_rule(&r, ru, pref) &&
	       rule_get(pref, &r) && check_rule(&r, ru, pref);
}

static bool rule_del(uint32_t pref)
{
	struct reply r;

	return expect_ok(rule_req(MWAN_CMD_RULE_DEL, pref), "RULE_DEL") &&
	       event_rule(MWAN_CMD_RULE_DEL, pref, &r);
}

static struct rule rule100;

/* Rules with every match, defaults, appended prefs, the ends of ranges. */
static void test_rules(void)
{
	struct rule ru;
	struct reply r;
	bool ok;

	rule_init(&rule100, 100, "pol1");
	rule100.family = AF_INET6;
	rule100.src_bytes = addr_parse("2001:db8::", rule100.src);
	rule100.src_len = 32;
	rule100.dst_bytes = addr_parse("2001:db8:1::", rule100.dst);
	rule100.dst_len = 48;
	rule100.proto = 6;
	rule100.sport_min = 1000;
	rule100.sport_max = 2000;
	rule100.dport_min = 443;
	rule100.dport_max = 443;
	rule100.iifname = DEV1;
	rule100.sticky = 600;
	{
		struct nl_msg *m = request(MWAN_CMD_RULE_NEW, 0);

		put_rule(m, &rule100);
		report(expect_ok(m, "RULE_NEW"),
		       "RULE_NEW with every match attribute");
	}
	ok = event_rule(MWAN_CMD_RULE_NEW, 100, &r) &&
	     check_rule(&r, &rule100, 100);
	report(ok, "RULE_NEW event carries every attribute and the stats");
	ok = rule_get(100, &r) && check_rule(&r, &rule100, 100);
	report(ok, "RULE_GET returns every attribute as set");
	report(event_none(), "RULE_GET sends no event");

	rule_init(&ru, 200, "pol2");
	ru.src_bytes = addr_parse("10.0.0.0", ru.src);
	ru.src_len = 8;
	ru.dst_bytes = addr_parse("192.0.2.128", ru.dst);
	ru.dst_len = 25;
	ru.proto = 17;
	ru.dport_min = 53;
	ru.dport_max = 53;
	report(rule_new(&ru, 200), "RULE_NEW IPv4 prefixes: the family "
	       "follows from them");

	rule_init(&ru, 300, "pol2");
	ru.family = AF_INET;
	ru.proto = 1;
	ru.iifname = "nosuchdev0";
	ru.sticky = MWAN_STICKY_MAX;
	report(rule_new(&ru, 300), "RULE_NEW family alone, ICMP, a device "
	       "that does not exist, sticky %d", MWAN_STICKY_MAX);

	rule_init(&ru, 150, "pol2");
	ru.family = AF_INET6;
	ru.proto = 132;
	ru.sport_min = 1024;
	ru.dport_max = 0;
	ru.sticky = 1;
	report(rule_new(&ru, 150), "RULE_NEW between two prefs, open-ended "
	       "port ranges (1024-65535, 0-0), sticky 1");

	rule_init(&ru, 0, "pol1");
	report(rule_new(&ru, 301), "RULE_NEW without pref appends after the "
	       "highest: 301, and matches everything");

	rule_init(&ru, 0xffffffff, "pol1");
	ru.family = AF_INET6;
	ok = rule_new(&ru, 0xffffffff);
	{
		struct nl_msg *m = request(MWAN_CMD_RULE_NEW, 0);

		nla_put_string(m, MWAN_RULE_A_POLICY, "pol1");
		ok = expect_refused(m, ERANGE, M_NO_PREF, NO_OFFS) && ok;
	}
	ok = rule_del(0xffffffff) && ok;
	report(ok, "pref 4294967295 is accepted; after it, RULE_NEW without "
	       "pref: ERANGE, %s", M_NO_PREF);
}

/* Rule requests refused, each for one attribute. */
static void test_rule_bad(void)
{
#define R(t, l, n)	{ t, l, n, NULL, NULL }
#define A(t, l, s)	{ t, l, 0, s, NULL }
#define S(t, l, s)	{ t, l, 0, NULL, s }
	static const struct {
		struct raw a[3];
		int blame;		/* which of a[] is blamed, -1: none */
		int err;
		const char *msg;
	} cases[] = {
		{ { R(MWAN_RULE_A_PREF, 2, 7) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_PREF, 8, 7) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_PREF, 4, 0) }, 0, ERANGE, M_RANGE },
		{ { R(MWAN_RULE_A_FAMILY, 4, AF_INET) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_FAMILY, 1, 0) }, 0, EINVAL, M_FAMILY },
		{ { R(MWAN_RULE_A_FAMILY, 1, 3) }, 0, EINVAL, M_FAMILY },
		{ { R(MWAN_RULE_A_FAMILY, 1, 255) }, 0, EINVAL, M_FAMILY },
		{ { A(MWAN_RULE_A_SRC, 17, "2001:db8::"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 32) }, 0, ERANGE, M_POLICY },
		{ { A(MWAN_RULE_A_DST, 32, "2001:db8::"),
		    R(MWAN_RULE_A_DST_LEN, 1, 32) }, 0, ERANGE, M_POLICY },
		{ { A(MWAN_RULE_A_SRC, 5, "10.0.0.0"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 8) }, 0, EINVAL, M_ADDR_LEN },
		{ { A(MWAN_RULE_A_SRC, 0, "10.0.0.0"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 0) }, 0, EINVAL, M_ADDR_LEN },
		{ { A(MWAN_RULE_A_DST, 8, "10.0.0.0"),
		    R(MWAN_RULE_A_DST_LEN, 1, 8) }, 0, EINVAL, M_ADDR_LEN },
		{ { A(MWAN_RULE_A_SRC, 4, "10.0.0.0"),
		    R(MWAN_RULE_A_SRC_LEN, 4, 8) }, 1, EINVAL, M_LENGTH },
		{ { A(MWAN_RULE_A_SRC, 16, "2001:db8::"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 129) }, 1, ERANGE, M_RANGE },
		{ { A(MWAN_RULE_A_DST, 16, "2001:db8::"),
		    R(MWAN_RULE_A_DST_LEN, 1, 255) }, 1, ERANGE, M_RANGE },
		{ { A(MWAN_RULE_A_SRC, 4, "10.0.0.0") }, 0, EINVAL,
		  M_PREFIX_BOTH },
		{ { R(MWAN_RULE_A_DST_LEN, 1, 8) }, 0, EINVAL, M_PREFIX_BOTH },
		{ { A(MWAN_RULE_A_SRC, 4, "10.0.0.1"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 8) }, 1, EINVAL, M_PREFIX_BAD },
		{ { A(MWAN_RULE_A_DST, 16, "2001:db8::1"),
		    R(MWAN_RULE_A_DST_LEN, 1, 64) }, 1, EINVAL, M_PREFIX_BAD },
		{ { A(MWAN_RULE_A_SRC, 4, "10.0.0.0"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 33) }, 1, EINVAL, M_PREFIX_BAD },
		{ { A(MWAN_RULE_A_DST, 4, "192.0.2.0"),
		    R(MWAN_RULE_A_DST_LEN, 1, 128) }, 1, EINVAL, M_PREFIX_BAD },
		{ { R(MWAN_RULE_A_FAMILY, 1, AF_INET),
		    A(MWAN_RULE_A_SRC, 16, "2001:db8::"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 32) }, 0, EINVAL, M_FAMILY_ADDR },
		{ { R(MWAN_RULE_A_FAMILY, 1, AF_INET6),
		    A(MWAN_RULE_A_DST, 4, "10.0.0.0"),
		    R(MWAN_RULE_A_DST_LEN, 1, 8) }, 0, EINVAL, M_FAMILY_ADDR },
		{ { A(MWAN_RULE_A_SRC, 4, "10.0.0.0"),
		    R(MWAN_RULE_A_SRC_LEN, 1, 8),
		    A(MWAN_RULE_A_DST, 16, "2001:db8::") }, 2, EINVAL,
		  M_FAMILIES },
		{ { R(MWAN_RULE_A_PROTO, 2, 6) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_PROTO, 1, 1),
		    R(MWAN_RULE_A_DPORT_MIN, 2, 80) }, 0, EINVAL, M_PORT_PROTO },
		{ { R(MWAN_RULE_A_PROTO, 1, 58),
		    R(MWAN_RULE_A_SPORT_MAX, 2, 1000) }, 0, EINVAL,
		  M_PORT_PROTO },
		/* uapi, spec and mwanctl(8): a port range needs such a protocol */
		{ { R(MWAN_RULE_A_DPORT_MIN, 2, 80) }, 0, EINVAL, M_PORT_PROTO },
		{ { R(MWAN_RULE_A_SPORT_MIN, 1, 80) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_SPORT_MAX, 4, 80) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_DPORT_MIN, 0, 0) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_DPORT_MAX, 8, 80) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_PROTO, 1, 6),
		    R(MWAN_RULE_A_SPORT_MIN, 2, 2000),
		    R(MWAN_RULE_A_SPORT_MAX, 2, 1000) }, 2, EINVAL,
		  M_PORT_ORDER },
		{ { R(MWAN_RULE_A_PROTO, 1, 17),
		    R(MWAN_RULE_A_DPORT_MIN, 2, 2),
		    R(MWAN_RULE_A_DPORT_MAX, 2, 1) }, 2, EINVAL, M_PORT_ORDER },
		{ { S(MWAN_RULE_A_IIFNAME, -1, "abcdefghijklmnop") }, 0, EINVAL,
		  M_POLICY },
		{ { S(MWAN_RULE_A_IIFNAME, 4, "mwc0") }, 0, EINVAL, M_POLICY },
		{ { S(MWAN_RULE_A_IIFNAME, -1, "") }, 0, EINVAL, M_IFNAME_BAD },
		{ { S(MWAN_RULE_A_IIFNAME, -1, "a/b") }, 0, EINVAL,
		  M_IFNAME_BAD },
		{ { R(MWAN_RULE_A_STICKY, 2, 1) }, 0, EINVAL, M_LENGTH },
		{ { R(MWAN_RULE_A_STICKY, 4, 0) }, 0, ERANGE, M_RANGE },
		{ { R(MWAN_RULE_A_STICKY, 4, MWAN_STICKY_MAX + 1) }, 0, ERANGE,
		  M_RANGE },
		{ { R(MWAN_RULE_A_STATS, 0, 0) }, 0, EINVAL,
		  "stats is read-only" },
		{ { R(MWAN_RULE_A_PAD, 0, 0) }, 0, EINVAL,
		  "padding is read-only" },
		{ { R(MWAN_RULE_A_MAX + 1, 4, 0) }, 0, EINVAL, M_UNKNOWN },
		{ { R(MWAN_RULE_A_UNSPEC, 4, 0) }, 0, EINVAL, M_UNKNOWN },
		{ { R(MWAN_RULE_A_PROTO | NLA_F_NESTED, 1, 6) }, 0, EINVAL,
		  M_NOT_NESTED },
	};
	static const struct {
		struct raw a;
		int err;
		const char *msg;
	} policies[] = {
		{ S(MWAN_RULE_A_POLICY, -1, "ghost"), ENOENT, M_PNOENT },
		{ S(MWAN_RULE_A_POLICY, -1, "abcdefghijklmnop"), EINVAL,
		  M_POLICY },
		{ S(MWAN_RULE_A_POLICY, 4, "pol1"), EINVAL, M_POLICY },
		{ S(MWAN_RULE_A_POLICY, -1, ""), EINVAL, M_PNAME_BAD },
		{ S(MWAN_RULE_A_POLICY, -1, "p+1"), EINVAL, M_PNAME_BAD },
	};
#undef R
#undef A
#undef S
	static const uint8_t key_cmds[] = {
		MWAN_CMD_RULE_GET, MWAN_CMD_RULE_DEL,
	};
	struct gdump *d = malloc(sizeof(*d));
	unsigned int i, j, before;
	struct nl_msg *m;
	long offs;

	dump_cmd(MWAN_CMD_RULE_GET, REPLY_MAX, NULL, d);
	before = d->msgs;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char what[160] = "";
		long blamed = NO_OFFS;

		m = request(MWAN_CMD_RULE_NEW, 0);
		nla_put_string(m, MWAN_RULE_A_POLICY, "pol1");
		for (j = 0; j < ARRAY_SIZE(cases[i].a) && cases[i].a[j].type |
		     cases[i].a[j].len | cases[i].a[j].num; j++) {
			size_t l = strlen(what);

			offs = put_rawv(m, &cases[i].a[j]);
			if ((int)j == cases[i].blame)
				blamed = offs;
			snprintf(what + l, sizeof(what) - l, "%s%d/%d",
				 j ? " " : "", cases[i].a[j].type & 0x3fff,
				 cases[i].a[j].len);
		}
		report(expect_refused(m, cases[i].err, cases[i].msg, blamed),
		       "RULE_NEW with attributes (type/bytes) %s: %s", what,
		       cases[i].msg);
	}
	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		m = request(MWAN_CMD_RULE_NEW, 0);
		nla_put_u8(m, MWAN_RULE_A_PROTO, 6);
		offs = put_rawv(m, &policies[i].a);
		report(expect_refused(m, policies[i].err, policies[i].msg, offs),
		       "RULE_NEW policy \"%s\" in %d bytes: %s",
		       policies[i].a.str, policies[i].a.len, policies[i].msg);
	}
	m = request(MWAN_CMD_RULE_NEW, 0);
	nla_put_u32(m, MWAN_RULE_A_PREF, 7);
	report(expect_missing(m, MWAN_RULE_A_POLICY, M_RULE_POLICY),
	       "RULE_NEW without a policy: %s", M_RULE_POLICY);
	m = request(MWAN_CMD_RULE_NEW, 0);
	offs = put_raw(m, MWAN_RULE_A_PREF, 4, &(uint32_t){ 100 });
	nla_put_string(m, MWAN_RULE_A_POLICY, "pol2");
	report(expect_refused(m, EEXIST, M_PREF_EXISTS, offs),
	       "RULE_NEW of an existing pref: EEXIST, %s", M_PREF_EXISTS);

	for (i = 0; i < ARRAY_SIZE(key_cmds); i++) {
		m = request(key_cmds[i], 0);
		report(expect_missing(m, MWAN_RULE_A_PREF, M_PREF_REQ),
		       "%s without a pref: %s", cmd_name(key_cmds[i]),
		       M_PREF_REQ);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_RULE_A_PREF, 4, &(uint32_t){ 99 });
		report(expect_refused(m, ENOENT, M_RNOENT, offs),
		       "%s of an unknown pref: ENOENT, %s",
		       cmd_name(key_cmds[i]), M_RNOENT);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_RULE_A_PREF, 4, &(uint32_t){ 0 });
		report(expect_refused(m, ERANGE, M_RANGE, offs),
		       "%s of pref 0: %s", cmd_name(key_cmds[i]), M_RANGE);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_RULE_A_PREF, 2, &(uint16_t){ 100 });
		report(expect_refused(m, EINVAL, M_LENGTH, offs),
		       "%s of a 2-byte pref: %s", cmd_name(key_cmds[i]),
		       M_LENGTH);
		m = rule_req(key_cmds[i], 100);
		offs = put_raw(m, MWAN_RULE_A_FAMILY, 1, &(uint8_t){ AF_INET });
		report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "%s takes no attribute but the pref: %s",
		       cmd_name(key_cmds[i]), M_UNKNOWN);
		m = request(key_cmds[i], 0);
		offs = put_raw(m, MWAN_RULE_A_PAD, 0, NULL);
		nla_put_u32(m, MWAN_RULE_A_PREF, 100);
		report(expect_refused(m, EINVAL, "padding is read-only", offs),
		       "%s with a padding attribute: padding is read-only",
		       cmd_name(key_cmds[i]));
	}

	dump_cmd(MWAN_CMD_RULE_GET, REPLY_MAX, NULL, d);
	if (d->msgs != before)
		whyf("%u rules before, %u after", before, d->msgs);
	{
		struct reply r;

		report(d->msgs == before && rule_get(100, &r) &&
		       check_rule(&r, &rule100, 100),
		       "the refused requests added, removed and changed no rule");
	}
	/* Rules wrongly accepted above would fail every later check: gone. */
	for (i = 0; i < d->n; i++) {
		switch (d->keys[i]) {
		case 100: case 150: case 200: case 300: case 301:
			break;
		default:
			rule_del(d->keys[i]);
			why[0] = '\0';
		}
	}
	free(d);
}

#define DUMP_RULES	300

static void rule_churn(void)
{
	struct rule ru;
	struct reply r;
	struct nl_msg *m = request(MWAN_CMD_RULE_NEW, 0);

	rule_init(&ru, 5000, "pol2");
	put_rule(m, &ru);
	if (expect_ok(m, "RULE_NEW"))
		event_rule(MWAN_CMD_RULE_NEW, 5000, &r);
}

/* Many rules: a dump in pref order, resumed, flagged when changed. */
static void test_rule_dump(void)
{
	struct gdump *d = malloc(sizeof(*d));
	unsigned int i, existing, inorder = 1;
	struct rule ru;
	bool ok = true;

	dump_cmd(MWAN_CMD_RULE_GET, REPLY_MAX, NULL, d);
	existing = d->msgs;
	for (i = 0; i < DUMP_RULES && ok; i++) {
		struct nl_msg *m = request(MWAN_CMD_RULE_NEW, 0);
		struct reply r;

		rule_init(&ru, 1000 + i, i % 2 ? "pol1" : "pol2");
		ru.proto = 6;
		ru.dport_min = ru.dport_max = 1000 + i;
		put_rule(m, &ru);
		ok = expect_ok(m, "RULE_NEW") &&
		     event_rule(MWAN_CMD_RULE_NEW, 1000 + i, &r);
	}
	report(ok, "RULE_NEW of %d rules, one event each", DUMP_RULES);

	dump_cmd(MWAN_CMD_RULE_GET, 4096, NULL, d);
	for (i = 1; i < d->n; i++)
		inorder &= d->keys[i] > d->keys[i - 1];
	ok = d->complete && !d->done_error && !d->bad && !d->intr &&
	     d->msgs == existing + DUMP_RULES && inorder;
	if (!ok)
		whyf("complete %d error %d msgs %u (want %u) bad %u intr %u "
		     "in order %u", d->complete, d->done_error, d->msgs,
		     existing + DUMP_RULES, d->bad, d->intr, inorder);
	report(ok, "rule dump returns each of the %u rules once, in pref order",
	       existing + DUMP_RULES);
	report(d->datagrams > 2, "the rule dump resumed over %u datagrams of "
	       "4 KiB", d->datagrams);

	dump_cmd(MWAN_CMD_RULE_GET, 4096, rule_churn, d);
	if (!d->complete || d->done_error || !d->intr)
		whyf("complete %d error %d intr %u", d->complete, d->done_error,
		     d->intr);
	report(d->complete && !d->done_error && d->intr,
	       "a RULE_NEW during the rule dump sets NLM_F_DUMP_INTR");
	{
		struct nl_msg *m = request(MWAN_CMD_RULE_GET, NLM_F_DUMP);
		long offs = put_raw(m, MWAN_RULE_A_POLICY, 5, "pol1");

		report(expect_refused(m, EINVAL, M_UNKNOWN, offs),
		       "rule dump request with a policy: %s", M_UNKNOWN);
	}

	ok = rule_del(5000);
	for (i = 0; i < DUMP_RULES && ok; i++)
		ok = rule_del(1000 + i);
	report(ok, "RULE_DEL of the %d rules, one event each", DUMP_RULES + 1);
	free(d);
}

/* Policy and rule changes need CAP_NET_ADMIN; reading them does not. */
static void test_object_permissions(void)
{
	enum { P_PNEW, P_PSET, P_PDEL, P_RNEW, P_RDEL, P_PGET, P_PDUMP,
	       P_RGET, P_RDUMP, P_N };
	static const char *const what[P_N] = {
		"POLICY_NEW", "POLICY_SET", "POLICY_DEL", "RULE_NEW",
		"RULE_DEL", "POLICY_GET", "policy dump", "RULE_GET",
		"rule dump",
	};
	int res[P_N], fds[2], status, i;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds))
		bail_out("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail_out("fork: %s", strerror(errno));
	if (!pid) {
		struct member mb;
		struct rule ru;
		struct nl_msg *m;
		struct reply r;

		close(fds[0]);
		drop_net_admin();
		sk = sock_open();
		member_set(&mb, "pa", false, 0, false, 0, 0);
		m = policy_req(MWAN_CMD_POLICY_NEW, "unpriv");
		put_member(m, &mb);
		transact(sk, m, &r);
		res[P_PNEW] = r.error;
		m = policy_req(MWAN_CMD_POLICY_SET, "pol2");
		put_member(m, &mb);
		transact(sk, m, &r);
		res[P_PSET] = r.error;
		transact(sk, policy_req(MWAN_CMD_POLICY_DEL, "pol2"), &r);
		res[P_PDEL] = r.error;
		m = request(MWAN_CMD_RULE_NEW, 0);
		rule_init(&ru, 7, "pol2");
		put_rule(m, &ru);
		transact(sk, m, &r);
		res[P_RNEW] = r.error;
		transact(sk, rule_req(MWAN_CMD_RULE_DEL, 100), &r);
		res[P_RDEL] = r.error;
		transact(sk, policy_req(MWAN_CMD_POLICY_GET, "pol1"), &r);
		res[P_PGET] = r.error ? r.error : r.has_data ? 0 : -ENODATA;
		transact(sk, request(MWAN_CMD_POLICY_GET, NLM_F_DUMP), &r);
		res[P_PDUMP] = r.error ? r.error : r.has_data ? 0 : -ENODATA;
		transact(sk, rule_req(MWAN_CMD_RULE_GET, 100), &r);
		res[P_RGET] = r.error ? r.error : r.has_data ? 0 : -ENODATA;
		transact(sk, request(MWAN_CMD_RULE_GET, NLM_F_DUMP), &r);
		res[P_RDUMP] = r.error ? r.error : r.has_data ? 0 : -ENODATA;
		if (write(fds[1], res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], res, sizeof(res)) != sizeof(res))
		for (i = 0; i < P_N; i++)
			res[i] = -EFAULT;
	close(fds[0]);
	waitpid(pid, &status, 0);
	for (i = 0; i < P_N; i++) {
		int want = i <= P_RDEL ? -EPERM : 0;

		if (res[i] != want)
			whyf("errno %d (%s), want %d", -res[i],
			     strerror(-res[i]), -want);
		report(res[i] == want, "without CAP_NET_ADMIN: %s %s", what[i],
		       i <= P_RDEL ? "fails with EPERM" : "works");
	}
	report(event_none(), "the refused policy and rule changes sent no event");
	{
		struct reply r;

		report(policy_same(&pol1) && policy_same(&pol2) &&
		       rule_get(100, &r) && check_rule(&r, &rule100, 100),
		       "the refused policy and rule changes changed nothing");
	}
}

/* Objects in use cannot go; once unused, everything is deleted. */
/* ------------------------------------------------ WireGuard endpoint sets */

/* One endpoint for wg_req(): ADDR of alen bytes, PORT (0: none), UPLINK. */
struct wg_ep_in {
	const char *addr;		/* NULL: no ADDR */
	int alen;			/* bytes of ADDR sent; 0: its family's */
	uint32_t port;			/* > 0xffff: no PORT */
	const char *uplink;
	bool usable;			/* send the output-only USABLE flag */
};

/*
 * A WG request for dev and a 32-byte peer with the endpoints given; the
 * offset of endpoint bad_ep's attribute bad_attr (0: the nest itself) is
 * stored in *offs.
 */
static struct nl_msg *wg_req(uint8_t cmd, const char *dev, int peer_len,
			     const struct wg_ep_in *eps, unsigned int n,
			     unsigned int bad_ep, int bad_attr, long *offs)
{
	static const unsigned char peer[MWAN_WG_KEY_LEN + 1] = { 1, 2, 3 };
	struct nl_msg *m = request(cmd, 0);
	unsigned char a[16];
	unsigned int i;

	if (dev)
		nla_put_string(m, MWAN_WG_A_IFNAME, dev);
	if (peer_len >= 0)
		nla_put(m, MWAN_WG_A_PEER, peer_len, peer);
	for (i = 0; i < n; i++) {
		struct nlattr *nest;
		int alen = eps[i].alen;

		if (i == bad_ep && !bad_attr)
			*offs = next_offs(m);
		nest = nla_nest_start(m, MWAN_WG_A_ENDPOINT);
		if (eps[i].addr) {
			bool v6 = strchr(eps[i].addr, ':') != NULL;

			memset(a, 0, sizeof(a));
			inet_pton(v6 ? AF_INET6 : AF_INET, eps[i].addr, a);
			if (!alen)
				alen = v6 ? 16 : 4;
			if (i == bad_ep && bad_attr == MWAN_WG_EP_A_ADDR)
				*offs = next_offs(m);
			nla_put(m, MWAN_WG_EP_A_ADDR, alen, a);
		}
		if (eps[i].port <= 0xffff) {
			if (i == bad_ep && bad_attr == MWAN_WG_EP_A_PORT)
				*offs = next_offs(m);
			nla_put_u16(m, MWAN_WG_EP_A_PORT, eps[i].port);
		}
		if (eps[i].uplink) {
			if (i == bad_ep && bad_attr == MWAN_WG_EP_A_UPLINK)
				*offs = next_offs(m);
			nla_put_string(m, MWAN_WG_EP_A_UPLINK, eps[i].uplink);
		}
		if (eps[i].usable) {
			if (i == bad_ep && bad_attr == MWAN_WG_EP_A_USABLE)
				*offs = next_offs(m);
			nla_put_flag(m, MWAN_WG_EP_A_USABLE);
		}
		nla_nest_end(m, nest);
	}
	return m;
}

/*
 * The kernel's own checks of WG_NEW and WG_SET, which mwanctl's parser
 * never lets through: each refused with its errno, extack and offset, and
 * nothing created (refused() also checks that no event came).
 */
/* One endpoint refused by WG_NEW: the attribute named, errno and extack. */
static const struct {
	struct wg_ep_in ep;
	int attr;			/* 0: the endpoint itself */
	int err;
	const char *msg;
	const char *what;
} bad_ep[] = {
	{ { "192.0.2.1", 0, 0, NULL, false }, MWAN_WG_EP_A_PORT, ERANGE, M_RANGE, "port 0" },
	{ { "192.0.2.1", 5, 51820, NULL, false }, MWAN_WG_EP_A_ADDR, EINVAL,
	  "endpoint address must be 4 (IPv4) or 16 (IPv6) bytes", "a 5-byte address" },
	{ { "224.0.0.1", 0, 51820, NULL, false }, MWAN_WG_EP_A_ADDR, EINVAL,
	  "endpoint address must be unicast", "a multicast address" },
	{ { "::", 0, 51820, NULL, false }, MWAN_WG_EP_A_ADDR, EINVAL,
	  "endpoint address must be unicast", "the unspecified address" },
	{ { "192.0.2.1", 0, 0x10000, NULL, false }, 0, EINVAL,
	  "endpoint needs an address and a port", "an endpoint without a port" },
	{ { "192.0.2.1", 0, 51820, "nosuch", false }, MWAN_WG_EP_A_UPLINK, ENOENT,
	  "no such uplink nosuch", "an unknown uplink" },
	{ { "192.0.2.1", 0, 51820, NULL, true }, MWAN_WG_EP_A_USABLE, EINVAL,
	  "usable is read-only", "the output-only usable flag" },
};

static void test_wg_bad(void)
{
	static const struct wg_ep_in ok1[] = { { "192.0.2.1", 0, 51820, NULL, false } };
	struct wg_ep_in eps[MWAN_WG_ENDPOINTS_MAX + 1];
	struct nl_msg *m;
	unsigned int i;
	long offs = NO_OFFS;
	uint8_t c;

	for (c = MWAN_CMD_WG_NEW; c <= MWAN_CMD_WG_SET; c += MWAN_CMD_WG_SET - MWAN_CMD_WG_NEW) {
		const char *v = c == MWAN_CMD_WG_NEW ? "WG_NEW" : "WG_SET";

		m = wg_req(c, NULL, MWAN_WG_KEY_LEN, ok1, 1, 9, 0, &offs);
		report(expect_missing(m, MWAN_WG_A_IFNAME, "device required"),
		       "%s without a device: device required", v);
		m = wg_req(c, WGDEV, -1, ok1, 1, 9, 0, &offs);
		report(expect_missing(m, MWAN_WG_A_PEER, "peer public key required"),
		       "%s without a peer: peer public key required", v);
		m = wg_req(c, WGDEV, MWAN_WG_KEY_LEN, NULL, 0, 9, 0, &offs);
		report(expect_missing(m, MWAN_WG_A_ENDPOINT,
				      "at least one endpoint required"),
		       "%s without endpoints: at least one endpoint required", v);
		m = request(c, 0);
		nla_put_string(m, MWAN_WG_A_IFNAME, WGDEV);
		offs = put_raw(m, MWAN_WG_A_PEER, MWAN_WG_KEY_LEN - 1, "0123456789abcdef0123456789abcde");
		report(expect_refused(m, ERANGE, M_BINARY, offs),
		       "%s with a 31-byte peer key: %s", v, M_BINARY);
	}

	/* The device is checked first, right after the key: at offset 20. */
	m = wg_req(MWAN_CMD_WG_NEW, DEV0, MWAN_WG_KEY_LEN, ok1, 1, 9, 0, &offs);
	report(expect_refused(m, ENODEV, "device " DEV0 " is not a WireGuard device",
			      NLMSG_HDRLEN + GENL_HDRLEN),
	       "WG_NEW on a dummy device: ENODEV, not a WireGuard device");
	m = wg_req(MWAN_CMD_WG_NEW, "nosuch0", MWAN_WG_KEY_LEN, ok1, 1, 9, 0, &offs);
	report(expect_refused(m, ENODEV, "no such device nosuch0", NLMSG_HDRLEN + GENL_HDRLEN),
	       "WG_NEW on a missing device: ENODEV, no such device");

	for (i = 0; i < ARRAY_SIZE(bad_ep); i++) {
		m = wg_req(MWAN_CMD_WG_NEW, WGDEV, MWAN_WG_KEY_LEN, &bad_ep[i].ep, 1, 0,
			   bad_ep[i].attr, &offs);
		report(expect_refused(m, bad_ep[i].err, bad_ep[i].msg, offs),
		       "WG_NEW with %s: %s", bad_ep[i].what, bad_ep[i].msg);
	}
	eps[0] = (struct wg_ep_in){ "2001:db8::1", 0, 51820, NULL, false };
	eps[1] = eps[0];
	m = wg_req(MWAN_CMD_WG_NEW, WGDEV, MWAN_WG_KEY_LEN, eps, 2, 1, 0, &offs);
	report(expect_refused(m, EINVAL, "duplicate endpoint", offs),
	       "WG_NEW with the same endpoint twice: EINVAL, duplicate endpoint");
	for (i = 0; i <= MWAN_WG_ENDPOINTS_MAX; i++)
		eps[i] = (struct wg_ep_in){ "192.0.2.1", 0, 51820 + i, NULL, false };
	m = wg_req(MWAN_CMD_WG_NEW, WGDEV, MWAN_WG_KEY_LEN, eps,
		   MWAN_WG_ENDPOINTS_MAX + 1, MWAN_WG_ENDPOINTS_MAX, 0, &offs);
	report(expect_refused(m, EINVAL, "too many endpoints (at most 8)", offs),
	       "WG_NEW with %u endpoints: EINVAL, too many endpoints",
	       MWAN_WG_ENDPOINTS_MAX + 1);

	m = wg_req(MWAN_CMD_WG_SET, WGDEV, MWAN_WG_KEY_LEN, ok1, 1, 9, 0, &offs);
	report(expect_refused(m, ENOENT, "no endpoint set for this device and peer",
			      NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(NLA_HDRLEN + sizeof(WGDEV))),
	       "WG_SET of a set that does not exist: ENOENT");
	m = wg_req(MWAN_CMD_WG_DEL, WGDEV, MWAN_WG_KEY_LEN, NULL, 0, 9, 0, &offs);
	report(expect_refused(m, ENOENT, "no endpoint set for this device and peer",
			      NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(NLA_HDRLEN + sizeof(WGDEV))),
	       "WG_DEL of a set that does not exist: ENOENT");
}

static void test_in_use_and_cleanup(void)
{
	struct nl_msg *m;
	struct reply r;
	unsigned int i;
	bool ok;
	long offs;

	m = request(MWAN_CMD_POLICY_DEL, 0);
	offs = put_raw(m, MWAN_POLICY_A_NAME, 5, "pol1");
	report(expect_refused(m, EBUSY, "policy in use by rule 100", offs),
	       "POLICY_DEL of a policy in use: EBUSY, policy in use by rule "
	       "100 (the lowest pref)");
	m = request(MWAN_CMD_POLICY_DEL, 0);
	offs = put_raw(m, MWAN_POLICY_A_NAME, 5, "pol2");
	report(expect_refused(m, EBUSY, "policy in use by rule 150", offs),
	       "POLICY_DEL of pol2: EBUSY, policy in use by rule 150");
	m = request(MWAN_CMD_UPLINK_DEL, 0);
	offs = put_raw(m, MWAN_UPLINK_A_NAME, 3, "pa");
	report(expect_refused(m, EBUSY, "uplink in use by policy pol1", offs),
	       "DEL of uplink pa: EBUSY, uplink in use by policy pol1");

	ok = rule_get(100, &r) && check_rule(&r, &rule100, 100) &&
	     rule_del(100);
	report(ok, "RULE_DEL: the event carries the rule as it was");
	m = request(MWAN_CMD_RULE_GET, 0);
	offs = put_raw(m, MWAN_RULE_A_PREF, 4, &(uint32_t){ 100 });
	report(expect_refused(m, ENOENT, M_RNOENT, offs),
	       "RULE_GET after RULE_DEL: ENOENT");
	ok = rule_del(150) && rule_del(200) && rule_del(300) && rule_del(301);
	report(ok, "RULE_DEL of the other rules");

	ok = expect_ok(policy_req(MWAN_CMD_POLICY_DEL, "pol1"), "POLICY_DEL") &&
	     event_next(MWAN_CMD_POLICY_DEL, "pol1", &r) &&
	     check_policy(&r, &pol1);
	report(ok, "POLICY_DEL once unused: the event carries the policy as "
	       "it was");
	m = request(MWAN_CMD_POLICY_GET, 0);
	offs = put_raw(m, MWAN_POLICY_A_NAME, 5, "pol1");
	report(expect_refused(m, ENOENT, M_PNOENT, offs),
	       "POLICY_GET after POLICY_DEL: ENOENT");
	ok = policy_del("pol2") && policy_del("big");
	report(ok, "POLICY_DEL of the other policies");

	ok = uplink_del("pa") && uplink_del("pb") && uplink_del("pc");
	for (i = 0; i < MWAN_MEMBERS_MAX && ok; i++) {
		char name[8];

		snprintf(name, sizeof(name), "m%u", i);
		ok = uplink_del(name);
	}
	report(ok, "DEL of the uplinks once no policy uses them");
	report(event_none(), "no other event");
}

static void read_mark_mask(void)
{
	FILE *f = fopen("/sys/module/mwan/parameters/mark_mask", "r");
	char buf[32];

	if (!f || !fgets(buf, sizeof(buf), f))
		bail_out("cannot read /sys/module/mwan/parameters/mark_mask");
	fclose(f);
	mark_mask = strtoul(buf, NULL, 0);
	if (!mark_mask)
		bail_out("mark_mask \"%s\"", buf);
}

int main(void)
{
	ifindex0 = if_nametoindex(DEV0);
	ifindex1 = if_nametoindex(DEV1);
	if (!ifindex0 || !ifindex1)
		bail_out("devices %s and %s are needed", DEV0, DEV1);
	read_mark_mask();
	sk = sock_open();

	test_family();
	test_ops();
	events_open();
	test_new_full();
	test_new_defaults();
	test_set();
	test_lengths();
	test_ranges();
	test_strings();
	test_unknown_and_output();
	test_track();
	test_missing_and_unknown();
	test_messages();
	test_permissions();
	test_dump();
	test_del();
	test_policy();
	test_policy_bad();
	test_member_bad();
	test_members_max();
	test_policy_dump();
	test_rules();
	test_rule_bad();
	test_rule_dump();
	test_object_permissions();
	test_wg_bad();
	test_in_use_and_cleanup();

	printf("1..%u\n", tests);
	printf("# %u passed, %u failed\n", tests - failures, failures);
	return failures ? 1 : 0;
}
