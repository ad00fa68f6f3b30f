// SPDX-License-Identifier: GPL-2.0
/*
 * healthd-probe-bench: mwan-healthd's probing (uplinks.c, probe.c,
 * verdict.c: the same objects) without the mwan module, so that its CPU
 * cost can be measured on a machine that cannot load it; see
 * selftests/bench/healthd-host.sh. The uplinks come from stdin instead of
 * the kernel, one per line:
 *
 *	NAME DEV MARK TARGET[,TARGET]
 *
 * at the default probe settings, as "mwanctl uplink add NAME dev DEV track
 * TARGET,..." gives them. What mwan-healthd would write to the kernel (a
 * verdict, RTT and loss) is counted instead, at the same moments. It runs
 * until SIGTERM or SIGINT, says "all N up" on stdout once every uplink is
 * up, and at the end the writes it owed. Not installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "healthd.h"
#include "log.h"

static volatile sig_atomic_t got_term;
static unsigned long long writes, verdicts;

static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

/* In place of kernel.c's: the same decision, counted, not sent. */
void hd_write(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	if (!hd_write_due(hd, u, now))
		return;
	writes++;
	if (!u->health_sent || u->sent_health != u->health)
		verdicts++;
	hd_written(u, now);
}

static int read_uplink(char *line, unsigned int lineno, struct uplink *k)
{
	char name[64], dev[64], track[256];
	uint32_t mark;

	memset(k, 0, sizeof(*k));
	if (sscanf(line, "%63s %63s %" SCNu32 " %255s", name, dev, &mark, track) != 4) {
		pr_err("line %u: want \"NAME DEV MARK TARGET[,TARGET]\"", lineno);
		return -1;
	}
	if (get_ifname(k->name, sizeof(k->name), name, "name") ||
	    get_ifname(k->dev, sizeof(k->dev), dev, "dev") ||
	    get_addr_list(k->track, &k->ntrack, MWAN_TRACK_MAX, track, "track")) {
		pr_err("line %u: %s", lineno, parse_error());
		return -1;
	}
	k->ifindex = if_nametoindex(k->dev);
	if (!k->ifindex) {
		pr_err("line %u: no device \"%s\"", lineno, k->dev);
		return -1;
	}
	k->mark = mark;
	k->mark_mask = UINT32_MAX;
	k->admin = MWAN_ADMIN_AUTO;
	k->present = UPLINK_F_NAME | UPLINK_F_DEV | UPLINK_F_IFINDEX | UPLINK_F_MARK |
		     UPLINK_F_MARK_MASK | UPLINK_F_ADMIN | UPLINK_F_TRACK;
	return 0;
}

static unsigned int count_up(const struct hd *hd)
{
	unsigned int i, n = 0;

	for (i = 0; i < hd->n; i++)
		n += hd->up[i]->health == MWAN_HEALTH_UP;
	return n;
}

int main(int argc, char **argv)
{
	struct hd hd = {
		.s4 = { .family = AF_INET, .fd = -1 },
		.s6 = { .family = AF_INET6, .fd = -1 },
		.attached = true,
	};
	struct sigaction sa = { .sa_handler = on_term };
	struct epoll_event ev;
	unsigned int lineno = 0;
	uint64_t now, next;
	bool said_up = false;
	struct timespec ts;
	struct uplink k;
	char line[512];

	if (argc > 1) {
		fprintf(stderr, "usage: %s < UPLINKS (NAME DEV MARK TARGET[,TARGET] per line)\n",
			argv[0]);
		return 2;
	}
	log_init(0);
	srandom(getpid() ^ now_us());
	now = now_us();
	while (fgets(line, sizeof(line), stdin)) {
		lineno++;
		if (line[strspn(line, " \t\n")] == '\0')
			continue;
		if (read_uplink(line, lineno, &k) || hd_uplink_apply(&hd, &k, now))
			return 1;
	}
	if (!hd.n) {
		pr_err("no uplinks on stdin");
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	hd.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (hd.epfd < 0) {
		pr_err("epoll: %s", strerror(errno));
		return 1;
	}
	/* mwan-healthd's loop, with nothing in its epoll set but the deadlines. */
	while (!got_term) {
		now = now_us();
		next = now >= hd.next_us ? hd_uplinks_run(&hd, now) : hd.next_us;
		if (!said_up && count_up(&hd) == hd.n) {
			printf("all %u up\n", hd.n);
			fflush(stdout);
			said_up = true;
		}
		now = now_us();
		next = next > now ? next - now : 0;
		ts.tv_sec = next / USEC_PER_SEC;
		ts.tv_nsec = next % USEC_PER_SEC * 1000;
		if (epoll_pwait2(hd.epfd, &ev, 1, &ts, NULL) < 0 && errno != EINTR) {
			pr_err("epoll: %s", strerror(errno));
			return 1;
		}
	}
	printf("uplinks=%u up=%u writes=%llu verdicts=%llu\n", hd.n, count_up(&hd),
	       writes, verdicts);
	hd_uplink_clear(&hd);
	close(hd.epfd);
	free(hd.up);
	free(hd.by_ident);
	return 0;
}
