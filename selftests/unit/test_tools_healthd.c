// SPDX-License-Identifier: GPL-2.0
/*
 * mwan-healthd's arithmetic and command line on the host: probe windows
 * (average, deviation, loss, sliding), the choice of targets, the
 * reliability quorum, the down/up hysteresis, degraded thresholds, and a
 * restart that continues from the kernel's HEALTH without a transition,
 * the parsing of echo replies as raw sockets return them, and requests
 * sent in one batch and answered over the host's loopback. TAP output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "../../tools/healthd/args.h"
#include "../../tools/healthd/echo.h"
#include "../../tools/healthd/probe.h"
#include "../../tools/healthd/verdict.h"

#include "tap.h"

static void test_window(void)
{
	struct window w;
	struct window_stats s;
	unsigned int i;

	window_reset(&w);
	window_stats(&w, &s);
	ok(!s.probes && !s.answered && !s.avg_us && !s.loss_pct, "window: empty");

	window_add(&w, true, 1000);
	window_add(&w, true, 3000);
	window_add(&w, false, 0);
	window_add(&w, true, 2000);
	window_stats(&w, &s);
	ok(s.probes == 4 && s.answered == 3, "window: 4 probes, 3 answered");
	ok(s.avg_us == 2000, "window: average of the answered (got %u)", s.avg_us);
	ok(s.dev_us == 816, "window: deviation sqrt(2/3) ms (got %u)", s.dev_us);
	ok(s.loss_pct == 25, "window: 1 of 4 lost is 25%% (got %u)", s.loss_pct);

	window_reset(&w);
	for (i = 0; i < WINDOW_SIZE; i++)
		window_add(&w, false, 0);
	window_stats(&w, &s);
	ok(s.loss_pct == 100 && !s.avg_us, "window: all lost is 100%%, no RTT");
	for (i = 0; i < WINDOW_SIZE / 2; i++)
		window_add(&w, true, 500);
	window_stats(&w, &s);
	ok(s.probes == WINDOW_SIZE && s.loss_pct == 50 && s.avg_us == 500 && !s.dev_us,
	   "window: slides, the oldest probes fall out (loss %u%%)", s.loss_pct);
	for (i = 0; i < WINDOW_SIZE; i++)
		window_add(&w, true, 700);
	window_stats(&w, &s);
	ok(!s.loss_pct && s.avg_us == 700, "window: a full window of answers forgets all loss");

	window_reset(&w);
	for (i = 0; i < WINDOW_SIZE; i++)
		window_add(&w, true, UINT32_MAX);
	window_stats(&w, &s);
	ok(s.answered == WINDOW_SIZE && s.avg_us == 60000000 && !s.dev_us,
	   "window: huge RTTs are clamped, not mistaken for losses or overflowed");
}

/* The running sums against a walk over the last WINDOW_SIZE probes, after every add. */
static void test_window_running(void)
{
	uint32_t hist[5 * WINDOW_SIZE], seed = 1, rtt;
	unsigned int i, j, n, answered, bad = 0;
	uint64_t sum;
	uint8_t loss;
	struct window_stats s;
	struct window w;
	bool lost;

	window_reset(&w);
	for (i = 0; i < sizeof(hist) / sizeof(hist[0]); i++) {
		seed = seed * 1103515245 + 12345;
		lost = (seed >> 16) % 4 == 0;
		rtt = (seed >> 8) % 200000;
		hist[i] = lost ? UINT32_MAX : rtt;
		window_add(&w, !lost, rtt);
		n = i + 1 < WINDOW_SIZE ? i + 1 : WINDOW_SIZE;
		sum = answered = 0;
		for (j = i + 1 - n; j <= i; j++) {
			if (hist[j] == UINT32_MAX)
				continue;
			answered++;
			sum += hist[j];
		}
		window_stats(&w, &s);
		verdict_metrics(&w, 1, &rtt, &loss);
		if (s.probes != n || s.answered != answered ||
		    s.avg_us != (answered ? sum / answered : 0) ||
		    s.loss_pct != (n - answered) * 100 / n ||
		    rtt != s.avg_us || loss != s.loss_pct)
			bad++;
	}
	ok(!bad, "window: running sums agree with a walk after each of %u adds (%u differ)",
	   i, bad);
	window_reset(&w);
	window_stats(&w, &s);
	ok(!w.answered && !w.sum_us && !s.probes, "window: reset clears the running sums");
}

static void addr(struct inet_addr *a, const char *s)
{
	a->family = strchr(s, ':') ? AF_INET6 : AF_INET;
	inet_pton(a->family, s, &a->v4);
}

static void test_targets(void)
{
	struct inet_addr t[TARGETS_MAX];
	struct uplink u = { .present = UPLINK_F_NAME };
	char buf[INET6_ADDRSTRLEN];

	ok(verdict_targets(&u, t) == 0, "targets: no track and no gateway: none (not probed)");
	u.present |= UPLINK_F_GW4 | UPLINK_F_GW6;
	inet_pton(AF_INET, "100.64.1.1", &u.gw4);
	inet_pton(AF_INET6, "2001:db8:1::1", &u.gw6);
	ok(verdict_targets(&u, t) == 2 && t[0].family == AF_INET && t[1].family == AF_INET6 &&
	   !strcmp(format_addr(&t[1], buf, sizeof(buf)), "2001:db8:1::1"),
	   "targets: the gateways, IPv4 first");
	u.present |= UPLINK_F_TRACK;
	u.ntrack = 3;
	addr(&u.track[0], "1.1.1.1");
	addr(&u.track[1], "2606:4700::1111");
	addr(&u.track[2], "1.1.1.1");
	ok(verdict_targets(&u, t) == 2 && !strcmp(format_addr(&t[0], buf, sizeof(buf)), "1.1.1.1"),
	   "targets: the track list instead of the gateways, without duplicates");
	u.ntrack = 0;
	ok(verdict_targets(&u, t) == 2, "targets: an empty track list falls back to the gateways");
}

static struct verdict_cfg cfg_default(void)
{
	struct uplink u = { .present = UPLINK_F_NAME };
	struct verdict_cfg c;

	verdict_cfg_from_uplink(&c, &u);
	return c;
}

/* n rounds of the same outcome; returns the round (1-based) of the first change, or 0. */
static unsigned int rounds(struct verdict *v, unsigned int n, bool ok_, uint32_t rtt,
			   uint8_t loss, bool judged)
{
	unsigned int i, first = 0;

	for (i = 1; i <= n; i++)
		if (verdict_round(v, ok_, rtt, loss, judged) && !first)
			first = i;
	return first;
}

static void test_hysteresis(void)
{
	struct verdict_cfg c = cfg_default();
	struct verdict v;
	unsigned int i;

	ok(c.down == 5 && c.up == 10 && c.reliability == 1 && !c.rtt_max_us && !c.loss_max_pct,
	   "cfg: the kernel's defaults when attributes are absent");
	verdict_init(&v, &c, MWAN_HEALTH_UNKNOWN);
	ok(v.up && v.health == MWAN_HEALTH_UNKNOWN, "init: unknown counts as up");
	ok(rounds(&v, 1, true, 1000, 0, false) == 1 && v.health == MWAN_HEALTH_UP,
	   "first good round: unknown -> up");
	ok(rounds(&v, 4, false, 0, 0, false) == 0 && v.health == MWAN_HEALTH_UP,
	   "4 failed rounds: still up (down 5)");
	ok(rounds(&v, 1, true, 1000, 0, false) == 0, "a good round resets the failures");
	ok(rounds(&v, 4, false, 0, 0, false) == 0 && v.health == MWAN_HEALTH_UP,
	   "4 more failed rounds: still up");
	ok(rounds(&v, 1, false, 0, 0, false) == 1 && v.health == MWAN_HEALTH_DOWN,
	   "the 5th failed round in a row: down");
	ok(rounds(&v, 9, true, 1000, 0, false) == 0 && v.health == MWAN_HEALTH_DOWN,
	   "9 good rounds: still down (up 10)");
	ok(rounds(&v, 1, false, 0, 0, false) == 0 && v.health == MWAN_HEALTH_DOWN,
	   "a failed round resets the good ones");
	ok(rounds(&v, 10, true, 1000, 0, false) == 10 && v.health == MWAN_HEALTH_UP,
	   "10 good rounds in a row: up, at the 10th");

	/* Alternating success and failure never reaches either count. */
	for (i = 0; i < 100; i++)
		if (verdict_round(&v, i & 1, 1000, 50, false))
			break;
	ok(i == 100 && v.health == MWAN_HEALTH_UP, "alternating rounds: no flapping");

	c.down = 1;
	c.up = 1;
	verdict_configure(&v, &c);
	ok(rounds(&v, 1, false, 0, 0, false) == 1 && rounds(&v, 1, true, 0, 0, false) == 1,
	   "down 1, up 1: every round decides");
}

static void test_quorum(void)
{
	struct verdict_cfg c = cfg_default();

	ok(verdict_round_ok(&c, 1, 2) && !verdict_round_ok(&c, 0, 2),
	   "reliability 1 of 2: one answer is enough, none is not");
	c.reliability = 2;
	ok(!verdict_round_ok(&c, 1, 2) && verdict_round_ok(&c, 2, 2),
	   "reliability 2 of 2: one answer fails the round");
	c.reliability = 3;
	ok(verdict_round_ok(&c, 2, 2) && !verdict_round_ok(&c, 1, 2),
	   "reliability above the target count: all targets must answer");
	ok(!verdict_round_ok(&c, 0, 0), "no targets: no round succeeds");
}

static void test_metrics_moved(void)
{
	ok(!metrics_moved(5000, 0, 5000, 0), "same RTT and loss: not moved");
	ok(!metrics_moved(5000, 0, 5400, 0) && !metrics_moved(5000, 0, 4600, 0),
	   "RTT 5 ms -> 5.4/4.6 ms (8%%): not moved");
	ok(metrics_moved(5000, 0, 6000, 0) && metrics_moved(5000, 0, 4000, 0),
	   "RTT 5 ms -> 6/4 ms (20%%, 1 ms): moved");
	ok(!metrics_moved(500, 0, 900, 0), "RTT 0.5 -> 0.9 ms: 80%% but under 1 ms, not moved");
	ok(metrics_moved(500, 0, 1500, 0), "RTT 0.5 -> 1.5 ms: moved");
	ok(!metrics_moved(100000, 0, 109000, 0) && metrics_moved(100000, 0, 110000, 0),
	   "RTT 100 ms: 9 ms is not a tenth, 10 ms is");
	ok(metrics_moved(5000, 10, 5000, 11) && metrics_moved(5000, 11, 5000, 10),
	   "loss by one point: moved");
	ok(metrics_moved(0, 100, 0, 0), "loss 100%% -> 0%%: moved");
	ok(metrics_moved(0, 0, UINT32_MAX, 0) && metrics_moved(UINT32_MAX, 0, 0, 0),
	   "RTT extremes: moved, no overflow");
}

static void test_degraded(void)
{
	struct verdict_cfg c = cfg_default();
	struct verdict v;
	struct window w[2];
	uint32_t rtt;
	uint8_t loss;
	unsigned int i;
	bool judged;

	c.rtt_max_us = 50000;
	c.loss_max_pct = 20;
	verdict_init(&v, &c, MWAN_HEALTH_UP);
	ok(rounds(&v, 5, true, 80000, 0, false) == 0 && v.health == MWAN_HEALTH_UP,
	   "degraded: not judged before the windows fill");
	ok(rounds(&v, 1, true, 80000, 0, true) == 1 && v.health == MWAN_HEALTH_DEGRADED,
	   "degraded: RTT over rtt-max");
	ok(rounds(&v, 3, true, 80000, 0, false) == 0 && v.health == MWAN_HEALTH_DEGRADED,
	   "degraded: stays while not judged");
	ok(rounds(&v, 1, true, 40000, 10, true) == 1 && v.health == MWAN_HEALTH_UP,
	   "degraded: back to up within both limits");
	ok(rounds(&v, 1, true, 40000, 30, true) == 1 && v.health == MWAN_HEALTH_DEGRADED,
	   "degraded: loss over loss-max");
	ok(rounds(&v, 5, false, 40000, 30, true) == 5 && v.health == MWAN_HEALTH_DOWN,
	   "degraded goes down with the hysteresis like up");
	ok(rounds(&v, 10, true, 40000, 30, true) == 10 && v.health == MWAN_HEALTH_DEGRADED,
	   "down comes back degraded when still over a limit");
	c.loss_max_pct = 0;
	c.rtt_max_us = 0;
	verdict_configure(&v, &c);
	ok(rounds(&v, 1, true, 1000000, 100, true) == 1 && v.health == MWAN_HEALTH_UP,
	   "no thresholds (0): never degraded");

	window_reset(&w[0]);
	window_reset(&w[1]);
	for (i = 0; i < WINDOW_MIN_JUDGE - 1; i++) {
		window_add(&w[0], true, 10000);
		window_add(&w[1], i & 1, 30000);
	}
	ok(!verdict_metrics(w, 2, &rtt, &loss), "metrics: not judged below %d probes",
	   WINDOW_MIN_JUDGE);
	window_add(&w[0], true, 10000);
	window_add(&w[1], true, 30000);
	judged = verdict_metrics(w, 2, &rtt, &loss);
	ok(judged && rtt == 20000 && loss == 25,
	   "metrics: mean of the targets' RTTs and losses (rtt %u, loss %u)", rtt, loss);
}

static void test_restart(void)
{
	struct verdict_cfg c = cfg_default();
	struct verdict v;

	verdict_init(&v, &c, MWAN_HEALTH_UP);
	ok(rounds(&v, 20, true, 1000, 0, false) == 0 && v.health == MWAN_HEALTH_UP,
	   "restart from UP: good rounds change nothing");
	verdict_init(&v, &c, MWAN_HEALTH_DOWN);
	ok(!v.up && rounds(&v, 9, true, 1000, 0, false) == 0 && v.health == MWAN_HEALTH_DOWN,
	   "restart from DOWN: stays down through 9 good rounds");
	ok(rounds(&v, 1, true, 1000, 0, false) == 1 && v.health == MWAN_HEALTH_UP,
	   "restart from DOWN: up after the up hysteresis");
	verdict_init(&v, &c, MWAN_HEALTH_DEGRADED);
	ok(v.up && rounds(&v, 4, false, 0, 0, false) == 0 && v.health == MWAN_HEALTH_DEGRADED,
	   "restart from DEGRADED: up side of the hysteresis");
	verdict_init(&v, &c, 200);
	ok(v.up && v.health == MWAN_HEALTH_UNKNOWN, "restart from an unknown value: unknown");
}

static int parse(const char *line, struct healthd_args *a)
{
	char buf[256], *argv[16], *p;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok(buf, " "); p && argc < 16; p = strtok(NULL, " "))
		argv[argc++] = p;
	return healthd_parse_args(argc, argv, a);
}

static void test_args(void)
{
	static const struct {
		const char *line, *err;
	} bad[] = {
		{ "mwan-healthd -x", "unknown option \"-x\"" },
		{ "mwan-healthd --frob", "unknown option \"--frob\"" },
		{ "mwan-healthd foo", "unexpected argument \"foo\"" },
		{ "mwan-healthd -n", "\"-n\" needs an argument" },
		{ "mwan-healthd -n a/b", "argument \"a/b\" is wrong: not a network namespace name" },
		{ "mwan-healthd -n a -n b", "duplicate \"-n\": \"b\" is the second value" },
		{ "mwan-healthd --status --help", "option \"--help\" conflicts with an earlier one" },
		{ "mwan-healthd --foreground=1", "option \"--foreground=1\" takes no value" },
		{ "mwan-healthd -fv", "unknown option \"-fv\"" },
	};
	struct healthd_args a;
	unsigned int i;

	ok(!parse("mwan-healthd", &a) && a.mode == HEALTHD_RUN && !a.foreground && !a.netns[0],
	   "args: none: run, daemonized, in the current namespace");
	ok(!parse("mwan-healthd -n lab -f -v -v", &a) && !strcmp(a.netns, "lab") &&
	   a.foreground && a.verbose == 2, "args: -n NAME -f -v -v");
	ok(!parse("mwan-healthd --netns=lab --fore --verbose", &a) && !strcmp(a.netns, "lab") &&
	   a.foreground && a.verbose == 1, "args: long options, abbreviated, with =");
	ok(!parse("mwan-healthd -nlab --status", &a) && a.mode == HEALTHD_STATUS &&
	   !strcmp(a.netns, "lab"), "args: -nNAME --status");
	ok(!parse("mwan-healthd -h", &a) && a.mode == HEALTHD_HELP, "args: -h");
	ok(!parse("mwan-healthd -V", &a) && a.mode == HEALTHD_VERSION, "args: -V");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = parse(bad[i].line, &a);

		ok(ret == -1 && !strcmp(parse_error(), bad[i].err), "args: '%s': %s",
		   bad[i].line, ret ? parse_error() : "accepted");
	}
}

static void test_echo(void)
{
	/* IPv4 header (IHL 5), then echo reply type 0 code 0, ident 0x1234, seq 0xfffe. */
	uint8_t v4[28] = { 0x45, [20] = 0, 0, 0xaa, 0xbb, 0x12, 0x34, 0xff, 0xfe };
	uint8_t v4opt[32] = { 0x46, [24] = 0, 0, 0, 0, 0xab, 0xcd, 0x00, 0x07 };
	uint8_t v6[8] = { 129, 0, 0, 0, 0x00, 0x01, 0x80, 0x00 };
	uint16_t id = 0, seq = 0;
	uint8_t b[28];

	ok(echo_reply_parse(v4, sizeof(v4), AF_INET, &id, &seq) && id == 0x1234 &&
	   seq == 0xfffe, "echo: IPv4 reply, identifier and sequence");
	ok(echo_reply_parse(v4opt, sizeof(v4opt), AF_INET, &id, &seq) && id == 0xabcd &&
	   seq == 7, "echo: IPv4 header with options: the ICMP header after them");
	ok(!echo_reply_parse(v4opt, 31, AF_INET, &id, &seq),
	   "echo: IPv4 with options, ICMP header cut short: refused");
	ok(!echo_reply_parse(v4, 27, AF_INET, &id, &seq), "echo: 27 bytes of IPv4: refused");
	memcpy(b, v4, sizeof(b));
	b[0] = 0x44;
	ok(!echo_reply_parse(b, sizeof(b), AF_INET, &id, &seq), "echo: IHL 4: refused");
	b[0] = 0x65;
	ok(!echo_reply_parse(b, sizeof(b), AF_INET, &id, &seq), "echo: IP version 6 in an IPv4 socket: refused");
	memcpy(b, v4, sizeof(b));
	b[20] = 8;
	ok(!echo_reply_parse(b, sizeof(b), AF_INET, &id, &seq), "echo: an IPv4 echo request: refused");
	b[20] = 0;
	b[21] = 1;
	ok(!echo_reply_parse(b, sizeof(b), AF_INET, &id, &seq), "echo: code 1: refused");
	ok(echo_reply_parse(v6, sizeof(v6), AF_INET6, &id, &seq) && id == 1 && seq == 0x8000,
	   "echo: ICMPv6 reply (no IP header on an IPv6 raw socket)");
	ok(!echo_reply_parse(v6, 7, AF_INET6, &id, &seq), "echo: 7 bytes of ICMPv6: refused");
	ok(!echo_reply_parse(v4 + 20, 8, AF_INET6, &id, &seq),
	   "echo: ICMP (v4) type 0 in an ICMPv6 socket: refused");
	ok(!echo_reply_parse(v6, sizeof(v6), AF_UNSPEC, &id, &seq), "echo: unknown family: refused");
}

/*
 * Five requests to the loopback address through one probe_flush(), the
 * third out of a device that does not exist: it alone is refused and lost,
 * the four others go and their replies come back on lo, with their
 * identifier and sequence. Needs CAP_NET_RAW and CAP_NET_ADMIN (the mark).
 */
static void test_probe_loopback(int family)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	unsigned int lo_if = if_nametoindex("lo"), i, n, seen = 0, other = 0;
	struct inet_addr lo = { .family = family };
	struct probe_reply r[PROBE_BATCH];
	struct probe_out o = { .n = 0 };
	char name[64], why[96];
	int fd, k, tries, off;
	FILE *f;

	snprintf(name, sizeof(name), "probe: %s requests in one batch over lo", fam);
	if (family == AF_INET) {
		lo.v4.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		lo.v6 = in6addr_loopback;
		f = fopen("/proc/sys/net/ipv6/conf/lo/disable_ipv6", "r");
		if (!f || fscanf(f, "%d", &off) != 1)
			off = 1;
		if (f)
			fclose(f);
		if (off) {
			ok_skip(name, "no IPv6 on this host's lo");
			return;
		}
	}
	fd = probe_open(family);
	if (fd < 0) {
		snprintf(why, sizeof(why), "no raw socket here (%s): needs CAP_NET_RAW",
			 strerror(-fd));
		ok_skip(name, why);
		return;
	}
	for (i = 0; i < 5; i++)
		probe_queue(&o, &lo, i == 2 ? 0x7fffffff : lo_if, 0x42, 0x4d57, (uint16_t)(0xfffe + i));
	n = probe_flush(fd, &o);
	ok(n == 5 && o.n == 0, "probe: %s: 5 requests flushed, the queue empty (%u, %u)", fam, n, o.n);
	ok(!o.err[0] && !o.err[1] && o.err[2] < 0 && !o.err[3] && !o.err[4],
	   "probe: %s: the request out of no device refused alone (%d %d %d %d %d)", fam,
	   o.err[0], o.err[1], o.err[2], o.err[3], o.err[4]);
	for (tries = 0; tries < 100 && __builtin_popcount(seen) < 4; tries++) {
		k = probe_recv_batch(fd, family, r, PROBE_BATCH);
		if (k <= 0) {
			usleep(10000);
			continue;
		}
		for (i = 0; i < (unsigned int)k; i++) {
			if (!r[i].echo || r[i].ident != 0x4d57)
				continue;	/* someone else's ping */
			if (inet_addr_equal(&r[i].from, &lo) && r[i].ifindex == lo_if &&
			    r[i].rx_real_us && (uint16_t)(r[i].seq - 0xfffe) < 5)
				seen |= 1u << (uint16_t)(r[i].seq - 0xfffe);
			else
				other++;
		}
	}
	ok(seen == 0x1b && !other, "probe: %s: replies to requests 1, 2, 4 and 5 on lo, "
	   "stamped (seen 0x%x, %u unexpected)", fam, seen, other);
	for (i = 0; i < PROBE_BATCH + 1; i++)
		if (!probe_queue(&o, &lo, lo_if, 0, 0x4d57, 0))
			break;
	ok(i == PROBE_BATCH && o.n == PROBE_BATCH, "probe: %s: the queue takes %d, no more",
	   fam, PROBE_BATCH);
	close(fd);
}

int main(void)
{
	test_window();
	test_window_running();
	test_targets();
	test_hysteresis();
	test_metrics_moved();
	test_quorum();
	test_degraded();
	test_restart();
	test_args();
	test_echo();
	test_probe_loopback(AF_INET);
	test_probe_loopback(AF_INET6);
	return tap_done();
}
