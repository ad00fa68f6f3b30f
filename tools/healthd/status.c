// SPDX-License-Identifier: GPL-2.0
/* mwan-healthd --status: the uplinks as the kernel sees them, one table row each. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "healthd.h"
#include "uplink_nl.h"

static const char *admin_str(const struct uplink *u)
{
	static const char *const names[] = { "auto", "up", "down" };

	return u->admin < ARRAY_SIZE(names) ? names[u->admin] : "?";
}

static void since(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "s", s, ms % 1000 / 100);
	else if (s < 3600)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h", s / 86400, s % 86400 / 3600);
}

static uint32_t handshake_limit(const struct uplink *u)
{
	return (u->present & UPLINK_F_HANDSHAKE) ? u->handshake_s : 0;
}

/* "AGE/LIMIT" of the device's newest handshake: "never/180s", "12.3s/180s"; "-" if not tracked. */
static void handshake(struct wg_genl *wg, const struct uplink *u, char *buf, size_t len)
{
	char age[24];
	struct timespec ts;
	uint64_t last, now;
	int ret;

	if (!handshake_limit(u)) {
		snprintf(buf, len, "-");
		return;
	}
	ret = wg_newest_handshake(wg, u->dev, u->ifindex, &last);
	if (ret) {
		snprintf(buf, len, "?(%s)", wg_strerror(ret));
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
	if (!last)
		snprintf(age, sizeof(age), "never");
	else
		since(now > last ? now - last : 0, age, sizeof(age));
	snprintf(buf, len, "%s/%us", age, u->handshake_s);
}

static struct nlmsghdr *dump_req(struct mwan_nl *nl, void *buf, const void *req)
{
	(void)req;
	return mwan_nl_msg(nl, buf, MWAN_CMD_UPLINK_GET, NLM_F_DUMP);
}

int hd_status(void)
{
	struct mwan_list l = {
		.elem_size = sizeof(struct uplink),
		.from_msg = (int (*)(const struct nlmsghdr *, void *))uplink_from_msg,
	};
	char rtt[24], loss[8], when[48], hs[48];
	struct wg_genl wg = { 0 };
	struct mwan_nl nl;
	const struct uplink *u;
	unsigned int i;
	bool known, any_hs = false;

	if (mwan_nl_open(&nl))
		return 1;
	if (mwan_nl_fetch(&nl, dump_req, NULL, &l, uplink_attr_name, "uplinks")) {
		mwan_nl_close(&nl);
		return 1;
	}
	for (i = 0; i < l.n; i++)
		any_hs |= handshake_limit((const struct uplink *)l.v + i) > 0;
	/* The HANDSHAKE column only where some uplink tracks one. */
	printf("%-15s %-5s %-5s %-8s %9s %5s %8s%s\n", "UPLINK", "STATE", "ADMIN",
	       "HEALTH", "RTT", "LOSS", "SINCE", any_hs ? " HANDSHAKE" : "");
	for (i = 0; i < l.n; i++) {
		u = (const struct uplink *)l.v + i;
		known = (u->present & UPLINK_F_HEALTH) && u->health != MWAN_HEALTH_UNKNOWN;
		/* Nothing pinged (judged by its handshake alone): no RTT or loss. */
		if (!u->ntrack && !(u->present & (UPLINK_F_GW4 | UPLINK_F_GW6)))
			known = false;
		snprintf(rtt, sizeof(rtt), "-");
		snprintf(loss, sizeof(loss), "-");
		if (known && (u->present & UPLINK_F_RTT))
			snprintf(rtt, sizeof(rtt), "%u.%ums", u->rtt_us / 1000,
				 u->rtt_us % 1000 / 100);
		if (known && (u->present & UPLINK_F_LOSS))
			snprintf(loss, sizeof(loss), "%u%%", u->loss_pct);
		since(u->since_ms, when, sizeof(when));
		handshake(&wg, u, hs, sizeof(hs));
		printf("%-15s %-5s %-5s %-8s %9s %5s %8s%s%s\n", u->name,
		       u->state == MWAN_STATE_UP ? "up" : "down", admin_str(u),
		       health_str(u->health), rtt, loss, when, any_hs ? " " : "",
		       any_hs ? hs : "");
	}
	wg_genl_close(&wg);
	free(l.v);
	mwan_nl_close(&nl);
	return 0;
}
