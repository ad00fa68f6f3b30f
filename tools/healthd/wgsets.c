// SPDX-License-Identifier: GPL-2.0
/*
 * WireGuard endpoint switching: the mwan module computes each set's active
 * endpoint (the first whose uplink is up) and announces every change; this
 * writes it into WireGuard at once, from the event, with no timer in
 * between. The rule of when to write is wg_should_write() (wgmsg.h).
 * A write that fails (device, peer or module missing) is said once and
 * tried again on the set's next event, on SIGHUP, or when the wireguard
 * family appears.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "healthd.h"
#include "log.h"

static struct hd_wg *find(struct hd *hd, const struct wg_set *s)
{
	unsigned int i;

	for (i = 0; i < hd->nwg; i++)
		if (!strcmp(hd->wg[i]->s.dev, s->dev) &&
		    !memcmp(hd->wg[i]->s.peer, s->peer, MWAN_WG_KEY_LEN))
			return hd->wg[i];
	return NULL;
}

static struct hd_wg *add(struct hd *hd)
{
	struct hd_wg *w, **v;

	if (hd->nwg == hd->wg_size) {
		v = realloc(hd->wg, (hd->wg_size * 2 + 8) * sizeof(*v));
		if (!v)
			return NULL;
		hd->wg = v;
		hd->wg_size = hd->wg_size * 2 + 8;
	}
	w = calloc(1, sizeof(*w));
	if (w)
		hd->wg[hd->nwg++] = w;
	return w;
}

struct peer_ctx {
	const uint8_t *key;
	struct wg_peer p;
	bool found;
};

static void peer_cb(const struct wg_peer *p, void *data)
{
	struct peer_ctx *c = data;

	if (!memcmp(p->key, c->key, MWAN_WG_KEY_LEN)) {
		c->p = *p;
		c->found = true;
	}
}

static void say_error(struct hd_wg *w, int err, const char *what)
{
	char key[WG_KEY_SHORTLEN];

	if (err == w->err)
		return;
	w->err = err;
	log_msg(LOG_WARNING, "%s peer %s: cannot %s: %s; trying again on its next change",
		w->s.dev, wg_key_short(w->s.peer, key, sizeof(key)), what,
		err == -ESRCH ? "no such peer on the device" : wg_strerror(err));
}

/*
 * After a switch, packets the far side sent over the old path are still on
 * their way; each one that arrives makes WireGuard roam back to the old
 * endpoint. So the peer is looked at again this long after a write, with
 * the start-up rule: back on another endpoint of the set, it is moved
 * again; anywhere else, it roamed and is left alone. About 3 s in all.
 */
static const uint32_t settle_ms[] = { 50, 100, 200, 400, 800, 1600 };

static void settle_next(struct hd *hd, struct hd_wg *w, uint64_t now)
{
	if (w->settle >= ARRAY_SIZE(settle_ms)) {
		w->settle_us = 0;
		return;
	}
	w->settle_us = now + settle_ms[w->settle++] * 1000ull;
	if (w->settle_us < hd->wg_next_us)
		hd->wg_next_us = w->settle_us;
}

/* Reads the peer's endpoint and writes the active one if the rule says so. */
static void apply_active(struct hd *hd, struct hd_wg *w, bool changed, bool start)
{
	const struct wg_endpoint *active = wg_set_active(&w->s);
	char key[WG_KEY_SHORTLEN], to[WG_ENDPOINT_STRLEN], was[WG_ENDPOINT_STRLEN];
	char via[MWAN_NAME_MAXLEN + 8] = "";
	struct peer_ctx c = { .key = w->s.peer };
	int ret;

	w->pending = false;
	if (!active)
		return;		/* nothing usable: WireGuard keeps what it has */
	ret = wg_get_peers(&hd->wg_genl, w->s.dev, 0, peer_cb, &c);
	if (!ret && !c.found)
		ret = -ESRCH;
	if (!ret && !wg_should_write(&w->s, &c.p.ep, changed, start)) {
		w->err = 0;
		return;
	}
	if (!ret)
		ret = wg_set_endpoint(&hd->wg_genl, w->s.dev, w->s.peer, active);
	if (ret) {
		say_error(w, ret, "set its endpoint");
		w->pending = true;
		w->pending_start = start;
		return;
	}
	w->err = 0;
	if (!start || !w->settle_us) {
		w->settle = 0;
		settle_next(hd, w, now_us());
	}
	if (active->has_via)
		snprintf(via, sizeof(via), " (via %s)", active->via);
	log_msg(LOG_NOTICE, "%s peer %s: endpoint %s%s, was %s", w->s.dev,
		wg_key_short(w->s.peer, key, sizeof(key)), wg_ep_str(active, to, sizeof(to)),
		via, wg_ep_str(&c.p.ep, was, sizeof(was)));
}

int hd_wg_apply(struct hd *hd, const struct wg_set *s, bool dump)
{
	static const struct wg_endpoint none;
	const struct wg_endpoint *active = wg_set_active(s);
	struct hd_wg *w = find(hd, s);
	bool known = w, changed;

	if (!w && !(w = add(hd)))
		return -1;
	changed = !known || !wg_ep_equal(active ? active : &none, &w->last);
	w->s = *s;
	w->last = active ? *active : none;
	w->seen = true;
	if (changed)
		apply_active(hd, w, true, dump && !known);
	else if (w->pending)
		apply_active(hd, w, !w->pending_start, w->pending_start);
	return 0;
}

void hd_wg_del(struct hd *hd, const struct wg_set *s)
{
	struct hd_wg *w = find(hd, s);
	unsigned int i;

	for (i = 0; i < hd->nwg; i++) {
		if (hd->wg[i] != w)
			continue;
		free(w);
		hd->wg[i] = hd->wg[--hd->nwg];
		return;
	}
}

void hd_wg_clear(struct hd *hd)
{
	while (hd->nwg)
		free(hd->wg[--hd->nwg]);
}

void hd_wg_mark(struct hd *hd)
{
	unsigned int i;

	for (i = 0; i < hd->nwg; i++)
		hd->wg[i]->seen = false;
}

void hd_wg_sweep(struct hd *hd)
{
	unsigned int i;

	for (i = 0; i < hd->nwg; ) {
		if (hd->wg[i]->seen) {
			i++;
			continue;
		}
		free(hd->wg[i]);
		hd->wg[i] = hd->wg[--hd->nwg];
	}
}

uint64_t hd_wg_run(struct hd *hd, uint64_t now)
{
	struct hd_wg *w;
	unsigned int i;

	if (now < hd->wg_next_us)
		return hd->wg_next_us;
	hd->wg_next_us = UINT64_MAX;
	for (i = 0; i < hd->nwg; i++) {
		w = hd->wg[i];
		if (!w->settle_us)
			continue;
		if (now >= w->settle_us) {
			apply_active(hd, w, false, true);
			settle_next(hd, w, now);
		} else if (w->settle_us < hd->wg_next_us) {
			hd->wg_next_us = w->settle_us;
		}
	}
	return hd->wg_next_us;
}

void hd_wg_retry(struct hd *hd)
{
	unsigned int i;

	for (i = 0; i < hd->nwg; i++)
		if (hd->wg[i]->pending)
			apply_active(hd, hd->wg[i], !hd->wg[i]->pending_start,
			     hd->wg[i]->pending_start);
}
