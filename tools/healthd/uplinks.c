// SPDX-License-Identifier: GPL-2.0
/*
 * The probed uplinks: their sockets, their rounds in flight and their
 * verdicts. Every interval a round sends one echo request to each target
 * with the same sequence number; a round resolves once every target has
 * answered or its timeout has passed, strictly in the order rounds were
 * sent, so the hysteresis counts rounds in time order.
 *
 * All uplinks share one raw socket per family: a request names its
 * uplink's device and mark, a reply's echo identifier (unique per uplink)
 * and device name its uplink. Rounds of uplinks with the same interval go
 * out together, on multiples of the interval, and replies are not read as
 * they come: every wake-up drains the two sockets (recvmmsg, 64 replies a
 * call), then resolves, queues the rounds due and sends each socket's
 * queue (sendmmsg, 64 requests a call). So 64 uplinks cost about ten
 * wake-ups a second, not one per reply, and a few system calls each. A reply
 * read late keeps its exact RTT: the kernel stamps it on receipt
 * (SO_TIMESTAMPNS). A round all targets answered resolves at the next
 * wake-up, at most an interval later; one left unanswered resolves at its
 * timeout, as before, so detection takes no longer.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "healthd.h"
#include "log.h"
#include "probe.h"

struct hd_uplink *hd_uplink_find(struct hd *hd, const char *name)
{
	unsigned int i;

	for (i = 0; i < hd->n; i++)
		if (!strcmp(hd->up[i]->k.name, name))
			return hd->up[i];
	return NULL;
}

static void close_sock(struct hd_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static uint32_t k_u32(const struct uplink *k, uint32_t flag, uint32_t val, uint32_t dflt)
{
	return (k->present & flag) ? val : dflt;
}

static uint64_t interval_us(const struct hd_uplink *u)
{
	return k_u32(&u->k, UPLINK_F_INTERVAL, u->k.interval_ms, 100) * 1000ull;
}

static uint64_t timeout_us(const struct hd_uplink *u)
{
	return k_u32(&u->k, UPLINK_F_TIMEOUT, u->k.timeout_ms, 250) * 1000ull;
}

static bool same_targets(const struct hd_uplink *u, const struct inet_addr *t,
			 unsigned int n)
{
	unsigned int i;

	if (n != u->ntargets)
		return false;
	for (i = 0; i < n; i++)
		if (!inet_addr_equal(&u->target[i], &t[i]))
			return false;
	return true;
}

/* New targets: windows of addresses kept stay, rounds in flight go. */
static void set_targets(struct hd_uplink *u, const struct inet_addr *t, unsigned int n)
{
	struct window old[TARGETS_MAX];
	struct inet_addr oldt[TARGETS_MAX];
	unsigned int i, j, oldn = u->ntargets;

	memcpy(old, u->win, sizeof(old));
	memcpy(oldt, u->target, sizeof(oldt));
	for (i = 0; i < n; i++) {
		u->target[i] = t[i];
		window_reset(&u->win[i]);
		for (j = 0; j < oldn; j++)
			if (inet_addr_equal(&oldt[j], &t[i]))
				u->win[i] = old[j];
	}
	u->ntargets = n;
	u->nrounds = 0;
	u->warned_targets = false;
}

static void log_new(const struct hd_uplink *u)
{
	char buf[INET6_ADDRSTRLEN], list[TARGETS_MAX * (INET6_ADDRSTRLEN + 1)] = "";
	unsigned int i;

	for (i = 0; i < u->ntargets; i++) {
		if (i)
			strcat(list, ",");
		strcat(list, format_addr(&u->target[i], buf, sizeof(buf)));
	}
	log_msg(LOG_INFO, "uplink %s: probing %s every %u ms (timeout %u ms, down %u, up %u, "
		"reliability %u), health %s", u->k.name, u->ntargets ? list : "nothing",
		(unsigned int)(interval_us(u) / 1000), (unsigned int)(timeout_us(u) / 1000),
		u->v.cfg.down, u->v.cfg.up, u->v.cfg.reliability, health_str(u->health));
	if (u->hs.limit_s)
		log_msg(LOG_INFO, "uplink %s: tracking the WireGuard handshakes of %s: down "
			"when the newest is %u s old", u->k.name, u->k.dev, u->hs.limit_s);
}

/* "track handshake N" (N > 0), or 0. */
static uint32_t handshake_s(const struct uplink *k)
{
	return k_u32(k, UPLINK_F_HANDSHAKE, k->handshake_s, 0);
}

static struct hd_uplink *add(struct hd *hd, const struct uplink *k, uint64_t now)
{
	struct hd_uplink *u, **v;
	struct verdict_cfg cfg;

	if (!hd->by_ident) {
		hd->by_ident = calloc(UINT16_MAX + 1, sizeof(*hd->by_ident));
		if (!hd->by_ident)
			return NULL;
	}
	if (hd->n == hd->size) {
		v = realloc(hd->up, (hd->size * 2 + 16) * sizeof(*v));
		if (!v)
			return NULL;
		hd->up = v;
		hd->size = hd->size * 2 + 16;
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->k = *k;
	/* Replies from the shared sockets find their uplink by identifier. */
	do
		u->ident = (uint16_t)random();
	while (hd->by_ident[u->ident]);
	hd->by_ident[u->ident] = u;
	u->seq = (uint16_t)random();
	verdict_cfg_from_uplink(&cfg, k);
	verdict_init(&u->v, &cfg, k_u32(k, UPLINK_F_HEALTH, k->health, MWAN_HEALTH_UNKNOWN));
	/* What the kernel already holds needs no write: a restart changes nothing. */
	u->health = u->v.health;
	u->health_sent = (k->present & UPLINK_F_HEALTH) && u->health == k->health;
	u->sent_health = u->health;
	handshake_track(&u->hs, handshake_s(k), now);
	u->hs_next_us = now;
	u->ntargets = verdict_targets(k, u->target);
	u->next_send_us = now;
	u->seen = true;
	hd->up[hd->n++] = u;
	log_new(u);
	return u;
}

int hd_uplink_apply(struct hd *hd, const struct uplink *k, uint64_t now)
{
	struct hd_uplink *u = hd_uplink_find(hd, k->name);
	struct inet_addr t[TARGETS_MAX];
	struct verdict_cfg cfg;
	uint64_t old_interval, old_timeout;
	unsigned int n;
	bool retarget;

	if (!u)
		return add(hd, k, now) ? 0 : -1;
	u->seen = true;
	old_interval = interval_us(u);
	old_timeout = timeout_us(u);
	if (k->admin != u->k.admin && k->admin == MWAN_ADMIN_AUTO)
		u->health_sent = false;	/* the kernel goes by our verdict again: say it */
	u->k = *k;
	n = verdict_targets(k, t);
	retarget = !same_targets(u, t, n);
	if (retarget)
		set_targets(u, t, n);
	verdict_cfg_from_uplink(&cfg, k);
	verdict_configure(&u->v, &cfg);
	if (handshake_s(k) != u->hs.limit_s) {
		handshake_track(&u->hs, handshake_s(k), now);
		u->hs_next_us = now;
		u->hs_err = 0;
		log_new(u);
	}
	/* Our own writes come back as events too: only real changes are news. */
	if (retarget || old_interval != interval_us(u) || old_timeout != timeout_us(u)) {
		if (u->next_send_us > now + interval_us(u))
			u->next_send_us = now;
		log_new(u);
	}
	return 0;
}

void hd_uplink_del(struct hd *hd, const char *name)
{
	unsigned int i;

	for (i = 0; i < hd->n; i++) {
		if (strcmp(hd->up[i]->k.name, name))
			continue;
		log_msg(LOG_INFO, "uplink %s: deleted, no longer probed", name);
		hd->by_ident[hd->up[i]->ident] = NULL;
		free(hd->up[i]);
		hd->up[i] = hd->up[--hd->n];
		return;
	}
}

/* Without uplinks the sockets go too (a module reload, the exit). */
void hd_uplink_clear(struct hd *hd)
{
	while (hd->n) {
		hd->n--;
		hd->by_ident[hd->up[hd->n]->ident] = NULL;
		free(hd->up[hd->n]);
	}
	close_sock(&hd->s4);
	close_sock(&hd->s6);
}

static const char *family_str(int family)
{
	return family == AF_INET ? "" : " over IPv6";
}

/* The family's probe socket, opened when first needed; -1 if it cannot be. */
static int sock(struct hd *hd, int family)
{
	struct hd_sock *s = family == AF_INET ? &hd->s4 : &hd->s6;
	int ret;

	if (s->fd >= 0)
		return s->fd;
	ret = probe_open(family);
	if (ret < 0) {
		if (ret != s->err)
			log_msg(LOG_WARNING, "cannot probe%s: %s", family_str(family),
				strerror(-ret));
		s->err = ret;
		return -1;
	}
	if (s->err)
		log_msg(LOG_INFO, "probing%s again", family_str(family));
	s->err = 0;
	s->fd = ret;
	return ret;
}

/* Sends the family's queued requests; a refused one is the round's error for the family. */
static void flush_sends(struct hd_sock *s)
{
	unsigned int i, n;
	uint64_t t;

	if (!s->out.n)
		return;
	t = now_us();
	n = probe_flush(s->fd, &s->out);
	for (i = 0; i < n; i++) {
		struct hd_sent *x = &s->sent[i];

		x->r->rtt_us[x->target] = t > x->r->sent_us ? t - x->r->sent_us : 0;
		if (s->out.err[i])
			x->u->round_err[s->family == AF_INET6] = s->out.err[i];
	}
}

/* Queues a round of the uplink's probes, sent by flush_sends() at the end of the wake-up. */
static void send_round(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	struct hd_sock *s;
	struct round *r;
	unsigned int i;
	int fd, f;

	if (u->nrounds == ROUNDS_MAX)
		return;
	r = &u->rounds[(u->oldest + u->nrounds++) % ROUNDS_MAX];
	memset(r, 0, sizeof(*r));
	r->seq = u->seq++;
	r->sent_us = now;
	u->sending = true;
	u->round_err[0] = u->round_err[1] = 0;
	/* A probe not sent is counted as lost. */
	for (i = 0; i < u->ntargets; i++) {
		f = u->target[i].family == AF_INET6;
		fd = sock(hd, u->target[i].family);
		if (fd < 0)
			continue;
		if (!u->k.ifindex) {
			u->round_err[f] = -ENODEV;
			continue;
		}
		s = f ? &hd->s6 : &hd->s4;
		if (s->out.n == PROBE_BATCH)
			flush_sends(s);
		s->sent[s->out.n] = (struct hd_sent){ .u = u, .r = r, .target = i };
		probe_queue(&s->out, &u->target[i], u->k.ifindex, u->k.mark, u->ident, r->seq);
	}
}

/* Says a family's send error once while it lasts: an error every round is not news. */
static void say_send_errors(struct hd_uplink *u)
{
	int f;

	u->sending = false;
	for (f = 0; f < 2; f++) {
		if (u->round_err[f] < 0 && u->round_err[f] != u->send_err[f])
			log_msg(u->round_err[f] == -ENODEV ? LOG_WARNING : LOG_DEBUG,
				"uplink %s: cannot probe%s: %s", u->k.name,
				family_str(f ? AF_INET6 : AF_INET), strerror(-u->round_err[f]));
		u->send_err[f] = u->round_err[f];
	}
}

static void log_change(const struct hd_uplink *u, uint8_t old)
{
	char hs[64] = "";

	if (u->hs.limit_s && u->hs.age_ms >= 0)
		snprintf(hs, sizeof(hs), ", handshake %lld.%llu s ago",
			 (long long)(u->hs.age_ms / 1000), (unsigned long long)(u->hs.age_ms % 1000 / 100));
	else if (u->hs.limit_s)
		snprintf(hs, sizeof(hs), ", no handshake yet");
	log_msg(u->health == MWAN_HEALTH_DOWN ? LOG_WARNING : LOG_NOTICE,
		"uplink %s: %s -> %s (rtt %u.%u ms, loss %u%%%s)%s", u->k.name,
		health_str(old), health_str(u->health), u->rtt_us / 1000,
		u->rtt_us % 1000 / 100, u->loss_pct, hs,
		u->k.admin != MWAN_ADMIN_AUTO ? " (state forced: not applied)" : "");
}

/* Combines the ICMP and handshake verdicts; says and writes a change. */
static void judge(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	uint8_t old = u->health;

	u->health = health_combine(&u->hs, u->v.health, u->ntargets > 0, u->health);
	if (u->health != old)
		log_change(u, old);
	hd_write(hd, u, now);
}

static void resolve(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	struct round *r = &u->rounds[u->oldest];
	unsigned int i, answered = 0;
	bool judged, ok;

	for (i = 0; i < u->ntargets; i++) {
		bool a = r->answered & (1u << i);

		answered += a;
		window_add(&u->win[i], a, r->rtt_us[i]);
	}
	u->oldest = (u->oldest + 1) % ROUNDS_MAX;
	u->nrounds--;
	judged = verdict_metrics(u->win, u->ntargets, &u->rtt_us, &u->loss_pct);
	ok = verdict_round_ok(&u->v.cfg, answered, u->ntargets);
	verdict_round(&u->v, ok, u->rtt_us, u->loss_pct, judged);
	judge(hd, u, now);
}

static bool resolvable(const struct hd_uplink *u, const struct round *r, uint64_t now)
{
	return r->answered == (1u << u->ntargets) - 1 || now >= r->sent_us + timeout_us(u);
}

/* At most once a second: a handshake's time has a resolution of seconds anyway. */
static uint64_t hs_period(const struct hd_uplink *u)
{
	uint64_t iv = interval_us(u);

	return iv > USEC_PER_SEC ? iv : USEC_PER_SEC;
}

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

static uint64_t real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Reads the device's newest handshake; the next poll is due in a period, or when it turns stale. */
static void poll_handshake(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	uint64_t last, left_us = UINT64_MAX, limit_us = u->hs.limit_s * USEC_PER_SEC;
	int ret;

	u->hs_next_us = now + hs_period(u);
	ret = wg_newest_handshake(&hd->wg_genl, u->k.dev, u->k.ifindex, &last);
	if (ret) {
		if (ret != u->hs_err)
			log_msg(LOG_WARNING, "uplink %s: cannot read the handshakes of %s: %s",
				u->k.name, u->k.dev, wg_strerror(ret));
		u->hs_err = ret;
		return;
	}
	if (u->hs_err)
		log_msg(LOG_INFO, "uplink %s: reading the handshakes of %s again",
			u->k.name, u->k.dev);
	u->hs_err = 0;
	handshake_poll(&u->hs, last, real_us() / 1000, now);
	judge(hd, u, now);
	if (u->hs.state == HS_FRESH)
		left_us = limit_us - u->hs.age_ms * 1000;
	else if (u->hs.state == HS_WAIT)
		left_us = u->hs.since_us + limit_us - now;
	if (left_us < hs_period(u))
		u->hs_next_us = now + left_us;
}

/* A reply to one of the uplink's rounds in flight: counted, with its RTT. */
static void answer(struct hd_uplink *u, const struct probe_reply *p, uint64_t rx_us)
{
	uint16_t age = (uint16_t)(p->seq - u->rounds[u->oldest].seq);
	struct round *r;
	unsigned int i;

	if (age >= u->nrounds)
		return;		/* resolved already, or never sent */
	r = &u->rounds[(u->oldest + age) % ROUNDS_MAX];
	if (rx_us < r->sent_us)
		rx_us = r->sent_us;
	if (rx_us - r->sent_us > timeout_us(u))
		return;		/* too late: lost */
	for (i = 0; i < u->ntargets; i++) {
		if (!inet_addr_equal(&u->target[i], &p->from) || (r->answered & (1u << i)))
			continue;
		r->answered |= 1u << i;
		/* From when the request left (a reply cannot come sooner). */
		r->rtt_us[i] = rx_us - r->sent_us > r->rtt_us[i] ? rx_us - r->sent_us - r->rtt_us[i] : 0;
	}
}

/* The uplink a reply is for: the identifier, then the device it came in on. */
static struct hd_uplink *reply_uplink(struct hd *hd, const struct probe_reply *p)
{
	/* The sockets exist only once an uplink, and so the table, does. */
	struct hd_uplink *u = hd->by_ident[p->ident];

	return u && p->ifindex == u->k.ifindex ? u : NULL;
}

/*
 * The two clocks read together: the kernel stamps a reply by CLOCK_REALTIME,
 * rounds go by the monotonic clock. Read apart (the wake-up's time, then the
 * real time once replies are there), the gap between the readings would be
 * taken off every RTT.
 */
static void read_clocks(uint64_t *mono, uint64_t *real)
{
	uint64_t before = now_us();

	*real = real_us();
	*mono = before + (now_us() - before) / 2;
}

/* Drains both sockets; a socket that fails is closed (and opened again at the next send). */
static void read_replies(struct hd *hd)
{
	struct hd_sock *socks[] = { &hd->s4, &hd->s6 };
	struct probe_reply p[PROBE_BATCH];
	uint64_t real = 0, mono = 0, rx;
	struct hd_uplink *u;
	unsigned int k;
	int i, n;

	for (k = 0; k < 2; k++) {
		do {
			if (socks[k]->fd < 0)
				break;
			n = probe_recv_batch(socks[k]->fd, socks[k]->family, p, PROBE_BATCH);
			if (n == -EINTR)
				break;		/* the next wake-up reads it */
			if (n < 0) {
				log_msg(LOG_WARNING, "cannot read replies%s: %s",
					family_str(socks[k]->family), strerror(-n));
				close_sock(socks[k]);
				break;
			}
			if (n && !real)
				read_clocks(&mono, &real);
			for (i = 0; i < n; i++) {
				if (!p[i].echo || !(u = reply_uplink(hd, &p[i])))
					continue;
				/* Received that long before now, by the monotonic clock. */
				rx = mono;
				if (p[i].rx_real_us && p[i].rx_real_us <= real &&
				    real - p[i].rx_real_us < mono)
					rx = mono - (real - p[i].rx_real_us);
				answer(u, &p[i], rx);
			}
		} while (n == PROBE_BATCH);
	}
}

static uint64_t run_one(struct hd *hd, struct hd_uplink *u, uint64_t now)
{
	uint64_t next = UINT64_MAX, iv = interval_us(u), late;

	if (u->hs.limit_s) {
		if (now >= u->hs_next_us)
			poll_handshake(hd, u, now);
		next = u->hs_next_us;
	}
	if (!u->ntargets) {
		if (!u->warned_targets && !u->hs.limit_s)
			log_msg(LOG_NOTICE, "uplink %s: no track address and no gateway: "
				"not probed", u->k.name);
		u->warned_targets = true;
		goto out;
	}
	while (u->nrounds && resolvable(u, &u->rounds[u->oldest], now))
		resolve(hd, u, now);
	if (now >= u->next_send_us) {
		late = now - u->next_send_us;
		if (late > hd->lag_max_us)
			hd->lag_max_us = late;
		hd->lag_sum_us += late;
		hd->lag_n++;
		send_round(hd, u, now);
		/* The next multiple of the interval: with every uplink of that interval. */
		u->next_send_us = (now / iv + 1) * iv;
	}
	if (u->next_send_us < next)
		next = u->next_send_us;
	if (u->nrounds) {
		uint64_t t = u->rounds[u->oldest].sent_us + timeout_us(u);

		if (t < next)
			next = t;
	}
	if (!u->retry_us && u->metrics_due_us > now && u->metrics_due_us < next &&
	    hd_metrics_changed(u, u->metrics_due_us))
		next = u->metrics_due_us;
out:
	if (u->retry_us && u->retry_us < next)
		next = u->retry_us;
	return next;
}

bool hd_metrics_changed(const struct hd_uplink *u, uint64_t now)
{
	if (!u->metrics_sent)
		return true;
	if (u->rtt_us == u->sent_rtt_us && u->loss_pct == u->sent_loss_pct)
		return false;
	return metrics_moved(u->sent_rtt_us, u->sent_loss_pct, u->rtt_us, u->loss_pct) ||
	       now >= u->metrics_sent_us + METRICS_REFRESH_US;
}

bool hd_write_due(const struct hd *hd, const struct hd_uplink *u, uint64_t now)
{
	if (!hd->attached || u->retry_us)
		return false;
	if (!u->health_sent || u->sent_health != u->health)
		return true;
	return now >= u->metrics_due_us && hd_metrics_changed(u, now) &&
	       u->health != MWAN_HEALTH_UNKNOWN;
}

void hd_written(struct hd_uplink *u, uint64_t now)
{
	u->health_sent = true;
	u->sent_health = u->health;
	u->metrics_sent = true;
	u->sent_rtt_us = u->rtt_us;
	u->sent_loss_pct = u->loss_pct;
	u->metrics_sent_us = now;
	u->metrics_due_us = now + METRICS_PERIOD_US;
}

uint64_t hd_uplinks_run(struct hd *hd, uint64_t now)
{
	uint64_t next = UINT64_MAX, t;
	unsigned int i;

	read_replies(hd);
	for (i = 0; i < hd->n; i++) {
		if (hd->up[i]->retry_us && hd->up[i]->retry_us <= now)
			hd->up[i]->retry_us = 0;
		hd_write(hd, hd->up[i], now);
		t = run_one(hd, hd->up[i], now);
		if (t < next)
			next = t;
	}
	flush_sends(&hd->s4);
	flush_sends(&hd->s6);
	for (i = 0; i < hd->n; i++)
		if (hd->up[i]->sending)
			say_send_errors(hd->up[i]);
	hd->next_us = next;
	return next;
}

