// SPDX-License-Identifier: GPL-2.0
/*
 * Uplink objects, their defaults, and their operational state, which follows
 * the admin state, the device (by name: an uplink outlives its device and
 * reattaches when a device of that name appears) and mwan-healthd's verdict.
 */
#include "uplink.h"
#include "flow.h"
#include "mwan.h"
#include "rule.h"
#include "wg.h"
#include "lib/mark.h"

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#define MWAN_TABLE_BASE		1000	/* default table: base + mark index */
#define MWAN_DEFAULT_INTERVAL_MS	100
#define MWAN_DEFAULT_TIMEOUT_MS		250
#define MWAN_DEFAULT_DOWN		5
#define MWAN_DEFAULT_UP			10

struct mwan_uplink *mwan_uplink_find(struct mwan_net *mn, const char *name)
{
	struct mwan_uplink *up;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(up, &mn->uplinks, list)
		if (!strcmp(up->name, name))
			return up;
	return NULL;
}

static void uplink_defaults(struct mwan_uplink_cfg *cfg, u32 index)
{
	cfg->table = MWAN_TABLE_BASE + index;
	cfg->weight = 1;
	cfg->metric = 1;
	cfg->admin = MWAN_ADMIN_AUTO;
	cfg->probe.interval_ms = MWAN_DEFAULT_INTERVAL_MS;
	cfg->probe.timeout_ms = MWAN_DEFAULT_TIMEOUT_MS;
	cfg->probe.down = MWAN_DEFAULT_DOWN;
	cfg->probe.up = MWAN_DEFAULT_UP;
	cfg->probe.reliability = 1;
	cfg->health.verdict = MWAN_HEALTH_UNKNOWN;
}

struct mwan_uplink *mwan_uplink_alloc(struct mwan_net *mn, const char *name)
{
	/* IDA indexes are ints: a mask of 32 bits gives "only" 2^31 - 1. */
	unsigned int max = min_t(u32, mwan_mark_index_max(mwan_mark_mask),
				 INT_MAX);
	struct mwan_uplink *up;
	int index, ret;

	lockdep_assert_held(&mn->lock);
	up = kzalloc(sizeof(*up), GFP_KERNEL_ACCOUNT);
	if (!up)
		return ERR_PTR(-ENOMEM);
	up->stats = __netdev_alloc_pcpu_stats(struct mwan_uplink_stats,
					      GFP_KERNEL_ACCOUNT);
	if (!up->stats) {
		kfree(up);
		return ERR_PTR(-ENOMEM);
	}
	index = ida_alloc_range(&mn->marks, 1, max, GFP_KERNEL);
	if (index < 0) {
		ret = index;
		goto err_stats;
	}
	/* Flows carry the index only once the uplink is listed. */
	ret = xa_insert(&mn->by_index, index, up, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_ida;
	ret = mwan_flow_enable(mn);
	if (ret)
		goto err_xa;
	up->mark = mwan_mark_from_index(mwan_mark_mask, index);
	strscpy(up->name, name, sizeof(up->name));
	uplink_defaults(&up->cfg, index);
	return up;

err_xa:
	xa_erase(&mn->by_index, index);
err_ida:
	ida_free(&mn->marks, index);
err_stats:
	free_percpu(up->stats);
	kfree(up);
	return ERR_PTR(ret);
}

/* The mark index and, with the last uplink, the hooks go. */
static void uplink_unindex(struct mwan_net *mn, struct mwan_uplink *up)
{
	u32 index = mwan_mark_to_index(mwan_mark_mask, up->mark);

	xa_erase(&mn->by_index, index);
	ida_free(&mn->marks, index);
	if (list_empty(&mn->uplinks))
		mwan_flow_disable(mn);
}

void mwan_uplink_free(struct mwan_net *mn, struct mwan_uplink *up)
{
	uplink_unindex(mn, up);
	free_percpu(up->stats);
	kfree(up);
}

static void uplink_oper(const struct mwan_uplink *up,
			const struct net_device *dev, u8 *state, u8 *reason)
{
	*state = MWAN_STATE_DOWN;
	if (up->cfg.admin == MWAN_ADMIN_DOWN)
		*reason = MWAN_REASON_ADMIN;
	else if (!dev)
		*reason = MWAN_REASON_NODEV;
	else if (up->cfg.admin == MWAN_ADMIN_UP)
		*state = MWAN_STATE_UP;
	else if (!netif_running(dev) || !netif_carrier_ok(dev))
		*reason = MWAN_REASON_LINK;
	else if (up->cfg.health.verdict == MWAN_HEALTH_DOWN)
		*reason = MWAN_REASON_HEALTH;
	else
		*state = MWAN_STATE_UP;
	if (*state == MWAN_STATE_UP)
		*reason = MWAN_REASON_NONE;
}

/* Returns whether the state, its reason or the degraded flag changed. */
static bool uplink_update_state(struct mwan_net *mn, struct mwan_uplink *up)
{
	struct net_device *dev = NULL;
	u8 state, reason;
	bool degraded;

	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);
	if (up->ifindex)
		dev = __dev_get_by_index(mn->net, up->ifindex);
	uplink_oper(up, dev, &state, &reason);
	degraded = state == MWAN_STATE_UP &&
		   up->cfg.admin == MWAN_ADMIN_AUTO &&
		   up->cfg.health.verdict == MWAN_HEALTH_DEGRADED;
	if (state == up->state && reason == up->reason &&
	    degraded == up->degraded)
		return false;
	WRITE_ONCE(up->degraded, degraded);
	if (state != up->state) {
		up->since = ktime_get_boottime_ns();
		WRITE_ONCE(up->state, state);
		if (state == MWAN_STATE_DOWN)
			mwan_flow_uplink_down(mn);
	}
	up->reason = reason;
	return true;
}

static void uplink_apply(struct mwan_uplink *up,
			 const struct mwan_uplink_cfg *cfg, int ifindex)
{
	struct mwan_uplink_cfg *c = &up->cfg;

	memcpy(c->ifname, cfg->ifname, sizeof(c->ifname));
	c->gw = cfg->gw;
	c->table = cfg->table;
	WRITE_ONCE(c->weight, cfg->weight);
	WRITE_ONCE(c->metric, cfg->metric);
	c->admin = cfg->admin;
	c->probe = cfg->probe;
	c->health = cfg->health;
	WRITE_ONCE(up->ifindex, ifindex);
}

void mwan_uplink_add(struct mwan_net *mn, struct mwan_uplink *up,
		     const struct mwan_uplink_cfg *cfg, int ifindex)
{
	uplink_apply(up, cfg, ifindex);
	up->since = ktime_get_boottime_ns();
	uplink_update_state(mn, up);
	list_add_tail_rcu(&up->list, &mn->uplinks);
	mwan_net_changed(mn);
}

/*
 * A change in place moves nothing in the list, so dumps in progress stay
 * consistent: no generation bump (mwan-healthd writes every uplink's RTT
 * once a second, which would interrupt nearly every dump).
 */
void mwan_uplink_change(struct mwan_net *mn, struct mwan_uplink *up,
			const struct mwan_uplink_cfg *cfg, int ifindex)
{
	uplink_apply(up, cfg, ifindex);
	uplink_update_state(mn, up);
}

static void uplink_free_rcu(struct rcu_head *rcu)
{
	struct mwan_uplink *up = container_of(rcu, struct mwan_uplink, rcu);

	free_percpu(up->stats);
	kfree(up);
}

void mwan_uplink_del(struct mwan_net *mn, struct mwan_uplink *up)
{
	lockdep_assert_held(&mn->lock);
	list_del_rcu(&up->list);
	uplink_unindex(mn, up);
	mwan_flow_uplink_down(mn);
	mwan_net_changed(mn);
	call_rcu(&up->rcu, uplink_free_rcu);
}

void mwan_uplink_flush(struct mwan_net *mn)
{
	struct mwan_uplink *up, *tmp;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry_safe(up, tmp, &mn->uplinks, list)
		mwan_uplink_del(mn, up);
}

u64 mwan_uplink_since_ms(const struct mwan_uplink *up)
{
	return div_u64(ktime_get_boottime_ns() - up->since, NSEC_PER_MSEC);
}

void mwan_uplink_counters(const struct mwan_uplink *up,
			  struct mwan_uplink_counters *c)
{
	u64 packets, bytes, flows;
	unsigned int start;
	int cpu;

	memset(c, 0, sizeof(*c));
	for_each_possible_cpu(cpu) {
		const struct mwan_uplink_stats *s = per_cpu_ptr(up->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = u64_stats_read(&s->packets);
			bytes = u64_stats_read(&s->bytes);
			flows = u64_stats_read(&s->flows);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		c->packets += packets;
		c->bytes += bytes;
		c->flows += flows;
	}
}

/*
 * Applies a device event to one uplink; returns whether anything a GET shows
 * changed. Uplinks match their attached device by ifindex, and a detached
 * uplink matches a device that appears (or is renamed) with its name.
 */
static bool uplink_netdev_event(struct mwan_net *mn, struct mwan_uplink *up,
				const struct net_device *dev,
				unsigned long event)
{
	bool changed = false;

	if (up->ifindex == dev->ifindex) {
		if (event == NETDEV_UNREGISTER) {
			WRITE_ONCE(up->ifindex, 0);
			changed = true;
		} else if (event == NETDEV_CHANGENAME) {
			strscpy(up->cfg.ifname, dev->name, sizeof(up->cfg.ifname));
			changed = true;
		}
	} else if (!up->ifindex && (event == NETDEV_REGISTER ||
				    event == NETDEV_CHANGENAME) &&
		   !strcmp(up->cfg.ifname, dev->name)) {
		WRITE_ONCE(up->ifindex, dev->ifindex);
		changed = true;
	} else {
		return false;
	}
	if (uplink_update_state(mn, up))
		changed = true;
	return changed;
}

/*
 * Runs under rtnl. A device leaving a netns (deleted, or moved to another
 * one) sends NETDEV_UNREGISTER there, and NETDEV_REGISTER in the netns it
 * enters. During netns dismantle, devices usually go before our pernet exit,
 * but some only later: after the exit, the netns has no uplinks left and its
 * lock and list stay usable until net_generic memory is freed.
 */
static int mwan_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mwan_net *mn;
	struct mwan_uplink *up;

	switch (event) {
	case NETDEV_REGISTER:
	case NETDEV_UNREGISTER:
	case NETDEV_CHANGENAME:
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		break;
	default:
		return NOTIFY_DONE;
	}
	mn = mwan_net(dev_net(dev));
	mutex_lock(&mn->lock);
	mwan_rule_netdev_event(mn, event);
	list_for_each_entry(up, &mn->uplinks, list) {
		if (!uplink_netdev_event(mn, up, dev, event))
			continue;
		mwan_net_changed(mn);
		mwan_netlink_notify(mn, up, MWAN_CMD_UPLINK_SET);
	}
	/* Uplink states and routes may have changed: endpoints follow. */
	mwan_wg_netdev_event(mn, dev, event);
	mwan_wg_refresh(mn);
	mutex_unlock(&mn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block mwan_netdev_notifier = {
	.notifier_call = mwan_netdev_event,
};

int mwan_uplink_notifier_init(void)
{
	return register_netdevice_notifier(&mwan_netdev_notifier);
}

void mwan_uplink_notifier_uninit(void)
{
	unregister_netdevice_notifier(&mwan_netdev_notifier);
}
