/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mwan-healthd's arithmetic, with no I/O: which addresses an uplink is
 * probed at, a sliding window of recent probes per target (dpinger-style
 * average RTT, deviation and loss), and the verdict of an uplink from its
 * rounds (reliability quorum, down/up hysteresis, degraded thresholds).
 * Time is whatever the caller passes; nothing here reads a clock.
 */
#ifndef MWAN_HEALTHD_VERDICT_H
#define MWAN_HEALTHD_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "uplink.h"

/* Probes a window remembers per target: 6.4 s at the default 100 ms. */
#define WINDOW_SIZE		64
/* A window judges latency and loss only once it holds this many probes. */
#define WINDOW_MIN_JUDGE	10
/* Track addresses, or a gateway per family. */
#define TARGETS_MAX		MWAN_TRACK_MAX

struct window {
	uint32_t rtt_us[WINDOW_SIZE];	/* UINT32_MAX: lost */
	unsigned int head;		/* next slot to write */
	unsigned int count;		/* slots in use, up to WINDOW_SIZE */
	unsigned int answered;		/* slots not lost */
	uint64_t sum_us;		/* of their RTTs: each round's average costs no walk */
};

struct window_stats {
	unsigned int probes;		/* in the window */
	unsigned int answered;
	uint32_t avg_us;		/* of the answered ones; 0 if none */
	uint32_t dev_us;		/* standard deviation */
	uint8_t loss_pct;		/* lost / probes, rounded down */
};

void window_reset(struct window *w);
/* Records one resolved probe: answered with rtt_us, or lost. */
void window_add(struct window *w, bool answered, uint32_t rtt_us);
void window_stats(const struct window *w, struct window_stats *s);

/*
 * The addresses to probe: the uplink's track list; without one, its
 * gateways (IPv4 first); without those, none (a point-to-point uplink is
 * not probed). Returns how many were written to out (TARGETS_MAX room).
 */
unsigned int verdict_targets(const struct uplink *u, struct inet_addr *out);

struct verdict_cfg {
	unsigned int down;		/* failed rounds in a row before down */
	unsigned int up;		/* good rounds in a row before up */
	unsigned int reliability;	/* targets that must answer a round */
	uint32_t rtt_max_us;		/* 0: no latency threshold */
	uint8_t loss_max_pct;		/* 0: no loss threshold */
};

/* Fills cfg from an uplink reported by the kernel; absent values are the defaults. */
void verdict_cfg_from_uplink(struct verdict_cfg *cfg, const struct uplink *u);

struct verdict {
	struct verdict_cfg cfg;
	uint8_t health;			/* enum mwan_health: what we say now */
	bool up;			/* the hysteresis side: UP/DEGRADED/UNKNOWN are up */
	unsigned int fails;		/* failed rounds in a row */
	unsigned int goods;		/* good rounds in a row */
};

/*
 * Starts from the kernel's HEALTH, so that a restarted daemon continues
 * where the last one stopped: UNKNOWN, UP and DEGRADED are up, DOWN is down.
 */
void verdict_init(struct verdict *v, const struct verdict_cfg *cfg, uint8_t health);

/* New settings; the state and the counts in progress are kept. */
void verdict_configure(struct verdict *v, const struct verdict_cfg *cfg);

/*
 * Whether a new RTT and loss moved far enough from the ones last written
 * to be worth a write to the kernel (and an event to every listener):
 * loss by any point, the RTT by a tenth of itself and at least
 * METRICS_RTT_MIN_US. Smaller changes wait for the periodic refresh.
 */
#define METRICS_RTT_MIN_US	1000
bool metrics_moved(uint32_t sent_rtt_us, uint8_t sent_loss_pct,
		   uint32_t rtt_us, uint8_t loss_pct);

/* Whether a round in which answered of ntargets targets replied succeeded. */
bool verdict_round_ok(const struct verdict_cfg *cfg, unsigned int answered,
		      unsigned int ntargets);

/*
 * One resolved round, with the uplink's latency and loss now (from
 * verdict_metrics()). Returns true when v->health changed.
 */
bool verdict_round(struct verdict *v, bool ok, uint32_t rtt_us, uint8_t loss_pct,
		   bool judged);

/*
 * The uplink's RTT (the mean of its targets' averages, of those with an
 * answer) and loss (the mean of its targets' loss) from n windows. Returns
 * true when every window holds WINDOW_MIN_JUDGE probes, i.e. the values
 * may be judged against thresholds.
 */
bool verdict_metrics(const struct window *w, unsigned int n, uint32_t *rtt_us,
		     uint8_t *loss_pct);

/*
 * "track handshake N": a WireGuard uplink is fresh while its device's
 * newest peer handshake is younger than N seconds, stale otherwise. A
 * device that never had a handshake is given N seconds from the time
 * tracking started (wait), then is stale. No round counting: a handshake
 * age already is a hysteresis, and WireGuard retries a handshake only
 * every 5 s.
 */
enum hs_state {
	HS_WAIT,			/* no handshake yet, within the grace time */
	HS_FRESH,
	HS_STALE,
};

struct handshake {
	uint32_t limit_s;		/* N; 0: not tracked */
	uint64_t since_us;		/* monotonic: tracking started */
	uint8_t state;			/* enum hs_state */
	int64_t age_ms;			/* at the last poll; -1: never */
};

/* Starts tracking with limit_s (0 stops it); a changed limit restarts the grace time. */
void handshake_track(struct handshake *h, uint32_t limit_s, uint64_t now_us);

/*
 * One poll: the newest handshake last_ms (CLOCK_REALTIME milliseconds, 0:
 * never) seen at real_ms (CLOCK_REALTIME) and now_us (monotonic). A
 * handshake "in the future" (the clock was set back) is fresh. Returns
 * true when h->state changed.
 */
bool handshake_poll(struct handshake *h, uint64_t last_ms, uint64_t real_ms,
		    uint64_t now_us);

/*
 * The health to report: the handshake and the ICMP verdict combined, down
 * if either says down. icmp is the ICMP verdict's health, probed whether
 * the uplink has ICMP targets at all; prev is the health reported so far,
 * kept while neither has an opinion.
 */
uint8_t health_combine(const struct handshake *h, uint8_t icmp, bool probed, uint8_t prev);

const char *health_str(uint8_t health);

#endif
