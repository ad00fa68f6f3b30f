// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict of an uplink from its probes. A round is one probe to every
 * target with the same sequence number; it succeeds when at least
 * "reliability" targets answer within the timeout (all of them, if the
 * uplink has fewer targets than that). "down" failed rounds in a row take
 * an up uplink down, "up" good rounds in a row bring a down one back: one
 * lost round in a lossy link changes nothing. An up uplink whose window
 * RTT or loss exceeds a threshold is degraded (still up to the hysteresis).
 */
#include <string.h>

#include "verdict.h"

#define WINDOW_LOST	UINT32_MAX
/* The longest timeout the kernel accepts: keeps the sums below 2^64. */
#define WINDOW_RTT_MAX	60000000u

void window_reset(struct window *w)
{
	w->head = 0;
	w->count = 0;
	w->answered = 0;
	w->sum_us = 0;
}

void window_add(struct window *w, bool answered, uint32_t rtt_us)
{
	uint32_t old = w->rtt_us[w->head];

	if (rtt_us > WINDOW_RTT_MAX)
		rtt_us = WINDOW_RTT_MAX;
	if (w->count == WINDOW_SIZE && old != WINDOW_LOST) {
		w->answered--;
		w->sum_us -= old;
	}
	if (answered) {
		w->answered++;
		w->sum_us += rtt_us;
	}
	w->rtt_us[w->head] = answered ? rtt_us : WINDOW_LOST;
	w->head = (w->head + 1) % WINDOW_SIZE;
	if (w->count < WINDOW_SIZE)
		w->count++;
}

static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;

	while (bit > x)
		bit >>= 2;
	for (; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* From the running sums: no walk. */
static uint8_t window_loss_pct(const struct window *w)
{
	return w->count ? (w->count - w->answered) * 100 / w->count : 0;
}

static uint32_t window_avg_us(const struct window *w)
{
	return w->answered ? w->sum_us / w->answered : 0;
}

void window_stats(const struct window *w, struct window_stats *s)
{
	uint64_t sq = 0, avg;
	unsigned int i;
	int64_t d;
	uint32_t v;

	memset(s, 0, sizeof(*s));
	s->probes = w->count;
	s->answered = w->answered;
	s->loss_pct = window_loss_pct(w);
	if (!s->answered)
		return;
	avg = window_avg_us(w);
	for (i = 0; i < w->count; i++) {
		v = w->rtt_us[i];
		if (v == WINDOW_LOST)
			continue;
		d = (int64_t)v - (int64_t)avg;
		sq += (uint64_t)(d * d);
	}
	s->avg_us = avg;
	s->dev_us = isqrt(sq / s->answered);
}

static bool addr_listed(const struct inet_addr *list, unsigned int n,
			const struct inet_addr *a)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (inet_addr_equal(&list[i], a))
			return true;
	return false;
}

unsigned int verdict_targets(const struct uplink *u, struct inet_addr *out)
{
	unsigned int i, n = 0;

	if ((u->present & UPLINK_F_TRACK) && u->ntrack) {
		for (i = 0; i < u->ntrack && i < TARGETS_MAX; i++) {
			if (u->track[i].family != AF_INET && u->track[i].family != AF_INET6)
				continue;
			if (!addr_listed(out, n, &u->track[i]))
				out[n++] = u->track[i];
		}
		return n;
	}
	if (u->present & UPLINK_F_GW4) {
		out[n].family = AF_INET;
		out[n++].v4 = u->gw4;
	}
	if (u->present & UPLINK_F_GW6) {
		out[n].family = AF_INET6;
		out[n++].v6 = u->gw6;
	}
	return n;
}

void verdict_cfg_from_uplink(struct verdict_cfg *cfg, const struct uplink *u)
{
	uint32_t p = u->present;

	cfg->down = (p & UPLINK_F_DOWN) && u->down ? u->down : 5;
	cfg->up = (p & UPLINK_F_UP) && u->up ? u->up : 10;
	cfg->reliability = (p & UPLINK_F_RELIABILITY) && u->reliability ? u->reliability : 1;
	cfg->rtt_max_us = (p & UPLINK_F_RTT_MAX) ? u->rtt_max_ms * 1000u : 0;
	if ((p & UPLINK_F_RTT_MAX) && u->rtt_max_ms > UINT32_MAX / 1000)
		cfg->rtt_max_us = UINT32_MAX;
	cfg->loss_max_pct = (p & UPLINK_F_LOSS_MAX) ? u->loss_max_pct : 0;
}

void verdict_init(struct verdict *v, const struct verdict_cfg *cfg, uint8_t health)
{
	memset(v, 0, sizeof(*v));
	v->cfg = *cfg;
	v->health = health <= MWAN_HEALTH_MAX ? health : MWAN_HEALTH_UNKNOWN;
	v->up = v->health != MWAN_HEALTH_DOWN;
}

void verdict_configure(struct verdict *v, const struct verdict_cfg *cfg)
{
	v->cfg = *cfg;
}

bool metrics_moved(uint32_t sent_rtt_us, uint8_t sent_loss_pct,
		   uint32_t rtt_us, uint8_t loss_pct)
{
	uint32_t d = rtt_us > sent_rtt_us ? rtt_us - sent_rtt_us : sent_rtt_us - rtt_us;

	if (loss_pct != sent_loss_pct)
		return true;
	return d >= METRICS_RTT_MIN_US && (uint64_t)d * 10 >= sent_rtt_us;
}

bool verdict_round_ok(const struct verdict_cfg *cfg, unsigned int answered,
		      unsigned int ntargets)
{
	unsigned int need = cfg->reliability < ntargets ? cfg->reliability : ntargets;

	return ntargets && answered >= need;
}

static bool over_threshold(const struct verdict_cfg *cfg, uint32_t rtt_us,
			   uint8_t loss_pct)
{
	return (cfg->rtt_max_us && rtt_us > cfg->rtt_max_us) ||
	       (cfg->loss_max_pct && loss_pct > cfg->loss_max_pct);
}

bool verdict_round(struct verdict *v, bool ok, uint32_t rtt_us, uint8_t loss_pct,
		   bool judged)
{
	uint8_t old = v->health;

	if (ok) {
		v->fails = 0;
		if (!v->up && ++v->goods >= v->cfg.up) {
			v->up = true;
			v->goods = 0;
		}
	} else {
		v->goods = 0;
		if (v->up && ++v->fails >= v->cfg.down) {
			v->up = false;
			v->fails = 0;
		}
	}
	if (!v->up)
		v->health = MWAN_HEALTH_DOWN;
	else if (judged && over_threshold(&v->cfg, rtt_us, loss_pct))
		v->health = MWAN_HEALTH_DEGRADED;
	else if (judged && v->health == MWAN_HEALTH_DEGRADED)
		v->health = MWAN_HEALTH_UP;
	/* Never probed before: the first good round makes it known. */
	else if (v->health == MWAN_HEALTH_DOWN || (v->health == MWAN_HEALTH_UNKNOWN && ok))
		v->health = MWAN_HEALTH_UP;
	return v->health != old;
}

bool verdict_metrics(const struct window *w, unsigned int n, uint32_t *rtt_us,
		     uint8_t *loss_pct)
{
	uint64_t rtt = 0, loss = 0;
	unsigned int i, with_rtt = 0;
	bool judged = n > 0;

	/* Every round: from the running sums (window_stats() walks for the deviation). */
	for (i = 0; i < n; i++) {
		if (w[i].count < WINDOW_MIN_JUDGE)
			judged = false;
		if (w[i].answered) {
			rtt += window_avg_us(&w[i]);
			with_rtt++;
		}
		loss += window_loss_pct(&w[i]);
	}
	*rtt_us = with_rtt ? rtt / with_rtt : 0;
	*loss_pct = n ? loss / n : 0;
	return judged;
}

void handshake_track(struct handshake *h, uint32_t limit_s, uint64_t now_us)
{
	if (limit_s == h->limit_s)
		return;
	h->limit_s = limit_s;
	h->since_us = now_us;
	h->state = HS_WAIT;
	h->age_ms = -1;
}

bool handshake_poll(struct handshake *h, uint64_t last_ms, uint64_t real_ms,
		    uint64_t now_us)
{
	uint64_t limit_ms = h->limit_s * 1000ull;
	uint8_t old = h->state;

	if (!h->limit_s)
		return false;
	if (!last_ms) {
		h->age_ms = -1;
		if (now_us - h->since_us >= limit_ms * 1000)
			h->state = HS_STALE;
		else if (h->state != HS_STALE)
			h->state = HS_WAIT;
	} else {
		h->age_ms = real_ms > last_ms ? (int64_t)(real_ms - last_ms) : 0;
		h->state = (uint64_t)h->age_ms < limit_ms ? HS_FRESH : HS_STALE;
	}
	return h->state != old;
}

uint8_t health_combine(const struct handshake *h, uint8_t icmp, bool probed, uint8_t prev)
{
	if (!h->limit_s)
		return probed ? icmp : prev;
	if (h->state == HS_STALE)
		return MWAN_HEALTH_DOWN;
	if (probed)
		return icmp;
	return h->state == HS_FRESH ? MWAN_HEALTH_UP : prev;
}

const char *health_str(uint8_t health)
{
	static const char *const names[] = {
		[MWAN_HEALTH_UNKNOWN] = "unknown",
		[MWAN_HEALTH_UP] = "up",
		[MWAN_HEALTH_DOWN] = "down",
		[MWAN_HEALTH_DEGRADED] = "degraded",
	};

	return health < ARRAY_SIZE(names) ? names[health] : "unknown";
}
