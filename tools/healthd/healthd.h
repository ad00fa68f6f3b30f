/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mwan-healthd's state: the uplinks it probes (uplinks.c) and its link to
 * the kernel (kernel.c), driven by one single-threaded loop (healthd.c).
 * Times are CLOCK_MONOTONIC microseconds.
 */
#ifndef MWAN_HEALTHD_H
#define MWAN_HEALTHD_H

#include <stdbool.h>
#include <stdint.h>

#include "netlink.h"
#include "probe.h"
#include "uplink.h"
#include "verdict.h"
#include "wg_genl.h"

/* Rounds in flight per uplink: timeout / interval + 1 at most, or fewer. */
#define ROUNDS_MAX		64
#define USEC_PER_SEC		1000000ull
/*
 * RTT and loss reach the kernel at most this often per uplink, and only
 * when they moved (metrics_moved()); a smaller change is written once
 * METRICS_REFRESH_US have passed since the last write.
 */
#define METRICS_PERIOD_US	USEC_PER_SEC
#define METRICS_REFRESH_US	(10 * USEC_PER_SEC)

struct round {
	uint16_t seq;
	uint16_t answered;		/* bit per target */
	uint64_t sent_us;		/* the wake-up that sent it */
	/*
	 * Per target: the RTT once answered; until then, how long after
	 * sent_us the request left (the wake-up's requests go out together,
	 * after every uplink's round is queued).
	 */
	uint32_t rtt_us[TARGETS_MAX];
};

/* A family's probe socket, every uplink's, read at every wake-up (uplinks.c). */
struct hd_sock {
	int family;
	int fd;				/* -1: not open (opened when first needed) */
	int err;			/* the last open error said, to say it once */
	struct probe_out out;		/* requests queued at this wake-up */
	struct hd_sent {		/* ... whose they are */
		struct hd_uplink *u;
		struct round *r;
		unsigned int target;
	} sent[PROBE_BATCH];
};

struct hd_uplink {
	struct uplink k;		/* as the kernel last reported it */
	struct inet_addr target[TARGETS_MAX];
	struct window win[TARGETS_MAX];
	unsigned int ntargets;
	struct verdict v;

	uint16_t ident, seq;		/* ident: unique among the uplinks */

	uint64_t next_send_us;
	struct round rounds[ROUNDS_MAX];
	unsigned int oldest, nrounds;	/* a ring, resolved in order */

	uint32_t rtt_us;		/* from the windows, after each round */
	uint8_t loss_pct;
	bool health_sent;		/* the kernel has v.health from us */
	uint8_t sent_health;
	bool metrics_sent;
	uint32_t sent_rtt_us;
	uint8_t sent_loss_pct;
	uint64_t metrics_sent_us;	/* when RTT and loss were last written */
	uint64_t metrics_due_us;	/* no RTT/loss write before this */
	uint64_t retry_us;		/* after a failed write */

	struct handshake hs;		/* track handshake */
	uint64_t hs_next_us;		/* the next poll */
	int hs_err;			/* the last poll error said, to say it once */
	uint8_t health;			/* what we tell the kernel: ICMP and handshake combined */

	bool warned_targets;		/* "not probed" said once */
	int send_err[2];		/* the last round's send error, IPv4 and IPv6 */
	int round_err[2];		/* ... of the round being sent */
	bool sending;			/* a round queued at this wake-up */
	bool seen;			/* in the dump being applied */
};

/* An endpoint set: what the kernel said last, and whether a write is owed. */
struct hd_wg {
	struct wg_set s;
	struct wg_endpoint last;		/* the active endpoint at the last event (port 0: none) */
	bool pending;			/* a write failed: try again */
	bool pending_start;		/* ... by the start-up rule */
	int err;			/* the last error said, to say it once */
	uint64_t settle_us;		/* the next look after a write; 0: none */
	unsigned int settle;		/* looks taken since the write */
	bool seen;			/* in the dump being applied */
};

struct hd {
	int epfd;			/* the event socket's */
	struct hd_sock s4, s6;		/* the probe sockets */
	struct hd_uplink **up;
	unsigned int n, size;
	struct hd_uplink **by_ident;	/* 65536 slots, by echo identifier: a reply's uplink */

	struct mwan_nl req;		/* requests: dumps and writes */
	struct mwan_nl ev;		/* the events group and nlctrl notifications */
	uint64_t next_us;		/* the earliest deadline of any uplink; 0: look now */
	bool attached;
	bool check_family;		/* a request failed: is the module still there? */
	uint64_t reattach_us;		/* while detached: the next attempt */

	struct wg_genl wg_genl;		/* WireGuard's family */
	struct hd_wg **wg;
	unsigned int nwg, wg_size;
	uint64_t wg_next_us;		/* the earliest settle_us of any set */

	/* Probe send lag (how late a round left) since the last report. */
	uint64_t lag_max_us, lag_sum_us, lag_n;
	uint64_t lag_report_us;
};

uint64_t now_us(void);

/* uplinks.c */
struct hd_uplink *hd_uplink_find(struct hd *hd, const char *name);
/* Adds or updates an uplink from the kernel's report; seeds a new one's verdict from it. */
int hd_uplink_apply(struct hd *hd, const struct uplink *k, uint64_t now);
void hd_uplink_del(struct hd *hd, const char *name);
void hd_uplink_clear(struct hd *hd);
/* Reads replies, sends due rounds, resolves finished ones, writes; sets and returns hd->next_us. */
uint64_t hd_uplinks_run(struct hd *hd, uint64_t now);
/* Whether RTT and loss are due for a write once METRICS_PERIOD_US allows. */
bool hd_metrics_changed(const struct hd_uplink *u, uint64_t now);
/* Whether the uplink's verdict, or its RTT and loss, are owed to the kernel now. */
bool hd_write_due(const struct hd *hd, const struct hd_uplink *u, uint64_t now);
/* Records what a write told the kernel. */
void hd_written(struct hd_uplink *u, uint64_t now);

/* wgsets.c */
/* A set from a dump (dump) or an event: writes its active endpoint if it changed. */
int hd_wg_apply(struct hd *hd, const struct wg_set *s, bool dump);
void hd_wg_del(struct hd *hd, const struct wg_set *s);
void hd_wg_clear(struct hd *hd);
/* Around a dump: mark every set unseen, then drop those the dump did not have. */
void hd_wg_mark(struct hd *hd);
void hd_wg_sweep(struct hd *hd);
/* Writes owed since a failure (the wireguard family just appeared). */
void hd_wg_retry(struct hd *hd);
/* Looks at the peers moved lately (see wgsets.c); returns the next deadline. */
uint64_t hd_wg_run(struct hd *hd, uint64_t now);

/* kernel.c */

int hd_attach(struct hd *hd);
void hd_detach(struct hd *hd);
/* Reads the uplinks again: adds, updates, and drops the ones gone. */
int hd_dump(struct hd *hd);
/* Reads and applies pending events; -1 when the module went away or the socket failed. */
int hd_events(struct hd *hd);
/* Writes the verdict (and RTT/loss) if hd_write_due(); RTT/loss alone at most once a second. */
void hd_write(struct hd *hd, struct hd_uplink *u, uint64_t now);
/* After a failed request: whether the family went away (or came back anew). */
bool hd_family_gone(struct hd *hd);
int hd_status(void);

#endif
