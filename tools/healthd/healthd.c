// SPDX-License-Identifier: GPL-2.0
/*
 * mwan-healthd: probes every uplink of the mwan module and tells the
 * kernel which are healthy. It has no configuration of its own: the
 * uplinks and their probe settings come from the kernel (a dump, then the
 * "events" group), and the verdicts go back to it. One thread, one
 * epoll_pwait2() on the event socket with the nearest deadline (the next
 * round or timeout); probe replies are read at those deadlines, not as
 * they come (uplinks.c).
 *
 * On SIGTERM and SIGINT it exits and leaves the kernel's verdicts as they
 * are (a restarted daemon continues from them); SIGHUP reads the uplinks
 * again. When the module goes away it waits, tries again every second,
 * and reattaches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "healthd.h"
#include "log.h"
#include "netns.h"

/* Without -v, how often the probe send lag is logged (at debug level: with -v). */
#define LAG_REPORT_US		(10 * USEC_PER_SEC)

static volatile sig_atomic_t got_term, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

/* Blocks the signals we handle; *wait is the mask to poll with. */
static void signals(sigset_t *wait)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, wait);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigdelset(wait, SIGTERM);
	sigdelset(wait, SIGINT);
	sigdelset(wait, SIGHUP);
}

/* Without --foreground: detach from the terminal once started. */
static int daemonize(void)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0) {
		log_msg(LOG_ERR, "cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		_exit(0);
	setsid();
	if (chdir("/"))
		return -1;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}

static void lag_report(struct hd *hd, uint64_t now)
{
	if (now < hd->lag_report_us)
		return;
	if (hd->lag_n)
		log_msg(LOG_DEBUG, "probe lag: %llu rounds, avg %llu us, max %llu us, %u uplinks",
			(unsigned long long)hd->lag_n,
			(unsigned long long)(hd->lag_sum_us / hd->lag_n),
			(unsigned long long)hd->lag_max_us, hd->n);
	hd->lag_max_us = hd->lag_sum_us = hd->lag_n = 0;
	hd->lag_report_us = now + LAG_REPORT_US;
}

static void try_attach(struct hd *hd, uint64_t now)
{
	int ret;

	if (hd->attached || now < hd->reattach_us)
		return;
	ret = hd_attach(hd);
	if (ret)
		hd->reattach_us = now + USEC_PER_SEC;
}

/* The epoll set holds the event socket only. */
#define EVENTS_MAX 1

static int run(struct hd *hd, const sigset_t *wait)
{
	struct epoll_event ev[EVENTS_MAX];
	uint64_t now, next;
	struct timespec ts;
	int n;

	while (!got_term) {
		now = now_us();
		try_attach(hd, now);
		if (got_hup) {
			got_hup = 0;
			log_msg(LOG_INFO, "SIGHUP: reading the uplinks again");
			if (hd->attached && hd_dump(hd))
				hd_detach(hd);
			hd->next_us = 0;
		}
		if (hd->attached && hd->check_family && hd_family_gone(hd)) {
			log_msg(LOG_WARNING, "the mwan module went away: waiting for it");
			hd_detach(hd);
		}
		next = now >= hd->next_us ? hd_uplinks_run(hd, now) : hd->next_us;
		if (hd->attached && hd_wg_run(hd, now) < next)
			next = hd->wg_next_us;
		if (!hd->attached && hd->reattach_us < next)
			next = hd->reattach_us;
		lag_report(hd, now);
		if (hd->lag_report_us < next)
			next = hd->lag_report_us;
		now = now_us();
		next = next > now ? next - now : 0;
		ts.tv_sec = next / USEC_PER_SEC;
		ts.tv_nsec = next % USEC_PER_SEC * 1000;
		n = epoll_pwait2(hd->epfd, ev, EVENTS_MAX, &ts, wait);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERR, "epoll: %s", strerror(errno));
			return 1;
		}
		if (n > 0) {
			if (hd_events(hd))
				hd_detach(hd);
			hd->next_us = 0;	/* uplinks added or changed: look at all */
		}
	}
	log_msg(LOG_INFO, "exiting; the kernel keeps the last verdicts");
	return 0;
}

int main(int argc, char **argv)
{
	struct healthd_args a;
	struct hd hd = {
		.s4 = { .family = AF_INET, .fd = -1 },
		.s6 = { .family = AF_INET6, .fd = -1 },
	};
	sigset_t wait;
	int ret;

	if (healthd_parse_args(argc, argv, &a)) {
		pr_err("%s (try \"mwan-healthd -h\")", parse_error());
		return 1;
	}
	switch (a.mode) {
	case HEALTHD_HELP:
		fputs(healthd_usage, stdout);
		return 0;
	case HEALTHD_VERSION:
		printf("mwan-healthd %s\n", MWAN_VERSION);
		return 0;
	default:
		break;
	}
	if (a.netns[0] && netns_switch(a.netns))
		return 1;
	if (a.mode == HEALTHD_STATUS)
		return hd_status();

	log_init(a.verbose);
	signals(&wait);
	srandom(getpid() ^ now_us());
	hd.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (hd.epfd < 0) {
		log_msg(LOG_ERR, "epoll: %s", strerror(errno));
		return 1;
	}
	ret = hd_attach(&hd);
	if (ret == -ENOENT)
		log_msg(LOG_WARNING, "the mwan module is not loaded: waiting for it");
	else if (ret)
		return 1;
	if (ret)
		hd.reattach_us = now_us() + USEC_PER_SEC;
	if (!a.foreground && daemonize())
		return 1;
	ret = run(&hd, &wait);
	hd_uplink_clear(&hd);
	hd_wg_clear(&hd);
	free(hd.wg);
	wg_genl_close(&hd.wg_genl);
	mwan_nl_close(&hd.ev);
	mwan_nl_close(&hd.req);
	close(hd.epfd);
	free(hd.up);
	free(hd.by_ident);
	return ret;
}
