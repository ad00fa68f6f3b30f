// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl monitor: one line per event of the "events" group, flushed at
 * once because scripts and tests read it through pipes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "json_print.h"
#include "mwanctl.h"
#include "policy_nl.h"
#include "rule_nl.h"
#include "uplink_nl.h"
#include "wg_nl.h"
#include "xlate_nl.h"

static void usage(FILE *fp)
{
	fprintf(fp, "Usage: mwanctl monitor\n"
		    "       mwanctl monitor help\n");
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mwan_nl *nl = data;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct uplink u;
	struct policy p;
	struct rule r;
	struct xlate x;
	struct wg_set w;

	if (nlh->nlmsg_type != nl->family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return MNL_CB_OK;
	switch (genl->cmd) {
	case MWAN_CMD_UPLINK_NEW:
	case MWAN_CMD_UPLINK_SET:
	case MWAN_CMD_UPLINK_DEL:
		/* One bad message is not worth ending the monitor for. */
		if (uplink_from_msg(nlh, &u))
			fprintf(stderr, "Warning: malformed uplink event skipped\n");
		else
			uplink_print_event(&u, genl->cmd);
		break;
	case MWAN_CMD_POLICY_NEW:
	case MWAN_CMD_POLICY_SET:
	case MWAN_CMD_POLICY_DEL:
		if (policy_from_msg(nlh, &p))
			fprintf(stderr, "Warning: malformed policy event skipped\n");
		else
			policy_print_event(&p, genl->cmd);
		break;
	case MWAN_CMD_RULE_NEW:
	case MWAN_CMD_RULE_DEL:
		if (rule_from_msg(nlh, &r))
			fprintf(stderr, "Warning: malformed rule event skipped\n");
		else
			rule_print_event(&r, genl->cmd);
		break;
	case MWAN_CMD_NPT_NEW:
	case MWAN_CMD_NPT_SET:
	case MWAN_CMD_NPT_DEL:
		if (xlate_from_msg(&xlate_npt, nlh, &x))
			fprintf(stderr, "Warning: malformed npt event skipped\n");
		else
			xlate_print_event(&xlate_npt, &x, genl->cmd);
		break;
	case MWAN_CMD_NAT_NEW:
	case MWAN_CMD_NAT_SET:
	case MWAN_CMD_NAT_DEL:
		if (xlate_from_msg(&xlate_nat, nlh, &x))
			fprintf(stderr, "Warning: malformed nat event skipped\n");
		else
			xlate_print_event(&xlate_nat, &x, genl->cmd);
		break;
	case MWAN_CMD_WG_NEW:
	case MWAN_CMD_WG_SET:
	case MWAN_CMD_WG_DEL:
		if (wg_from_msg(nlh, &w))
			fprintf(stderr, "Warning: malformed wg event skipped\n");
		else
			wg_print_event(&w, genl->cmd);
		break;
	}
	return MNL_CB_OK;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Signals stay blocked except inside ppoll(), so none is missed between checks. */
static int watch(struct mwan_nl *nl)
{
	static char buf[MWAN_NL_RECV_SIZE];
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock), .events = POLLIN };
	sigset_t block, orig;
	ssize_t len;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);

	for (;;) {
		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				return 0;
			pr_err("cannot wait for events: %s", strerror(errno));
			return 1;
		}
		len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (len < 0 && errno == ENOBUFS) {
			fprintf(stderr, "Warning: events were lost (receive buffer overrun)\n");
			continue;
		}
		if (len < 0) {
			pr_err("cannot read events: %s", strerror(errno));
			return 1;
		}
		if (mnl_cb_run(buf, len, 0, 0, event_cb, nl) < 0) {
			pr_err("bad event message: %s", strerror(errno));
			return 1;
		}
	}
}

int monitor_main(int argc, char **argv)
{
	struct mwan_nl *nl;

	if (argc > 0 && matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (argc > 0) {
		pr_err("unknown keyword \"%s\", try \"mwanctl monitor help\"", argv[0]);
		return 1;
	}
	nl = mwanctl_nl();
	if (!nl || mwan_nl_join_events(nl))
		return 1;
	json_print_init(stdout, json, false);
	return watch(nl);
}
