// SPDX-License-Identifier: GPL-2.0
/*
 * Rule objects and the snapshot the data path classifies with.
 *
 * The snapshot is built from the whole list on every change: the prefix-keyed
 * ruleset (lib/ruleset.c) is immutable by design, and a rebuild of 10,000
 * rules costs a few milliseconds. Rules naming an input device that does not
 * exist are left out of it (they cannot match), and put back when a device of
 * that name appears.
 */
#include "rule.h"
#include "mwan.h"
#include "lib/sticky.h"

#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/slab.h>

struct mwan_rule *mwan_rule_alloc(u32 sticky)
{
	struct mwan_rule *rule;

	rule = kzalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
	if (!rule)
		return NULL;
	rule->stats = __netdev_alloc_pcpu_stats(struct mwan_rule_stats,
						GFP_KERNEL_ACCOUNT);
	if (!rule->stats)
		goto err;
	rule->sticky = sticky;
	if (sticky) {
		rule->st = kvmalloc(mwan_sticky_size(MWAN_STICKY_BITS),
				    GFP_KERNEL_ACCOUNT);
		if (!rule->st)
			goto err;
		mwan_sticky_init(rule->st, MWAN_STICKY_BITS, get_random_u32());
	}
	return rule;
err:
	mwan_rule_free(rule);
	return NULL;
}

void mwan_rule_free(struct mwan_rule *rule)
{
	kvfree(rule->st);
	free_percpu(rule->stats);
	kfree(rule);
}

static void rule_free_rcu(struct rcu_head *rcu)
{
	mwan_rule_free(container_of(rcu, struct mwan_rule, rcu));
}

struct mwan_rule *mwan_rule_find(struct mwan_net *mn, u32 pref)
{
	struct mwan_rule *rule;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(rule, &mn->rules, list) {
		if (rule->spec.pref == pref)
			return rule;
		if (rule->spec.pref > pref)
			break;
	}
	return NULL;
}

u32 mwan_rule_next_pref(struct mwan_net *mn)
{
	struct mwan_rule *last;

	lockdep_assert_held(&mn->lock);
	if (list_empty(&mn->rules))
		return 1;
	last = list_last_entry(&mn->rules, struct mwan_rule, list);
	return last->spec.pref + 1;
}

struct mwan_rule *mwan_rule_using(struct mwan_net *mn,
				  const struct mwan_policy *pol)
{
	struct mwan_rule *rule;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(rule, &mn->rules, list)
		if (rule->policy == pol)
			return rule;
	return NULL;
}

static void snap_free_rcu(struct rcu_head *rcu)
{
	struct mwan_snap *snap = container_of(rcu, struct mwan_snap, rcu);

	mwan_ruleset_free(snap->rs);
	kvfree(snap);
}

/*
 * The rules in effect now, in list (pref) order: those whose input device is
 * missing are left out. Devices are looked up under RCU, which the
 * notifier's rtnl and the requests' mutex both allow.
 */
static struct mwan_snap *snap_build(struct mwan_net *mn)
{
	struct mwan_rule_spec *specs;
	struct mwan_snap *snap;
	struct mwan_rule *rule;
	struct net_device *dev;
	int err;
	u32 n = 0;

	snap = kvzalloc(struct_size(snap, rules, mn->nrules), GFP_KERNEL);
	specs = kvcalloc(max(mn->nrules, 1U), sizeof(*specs), GFP_KERNEL);
	if (!snap || !specs)
		goto err;
	rcu_read_lock();
	list_for_each_entry(rule, &mn->rules, list) {
		specs[n] = rule->spec;
		if (rule->iifname[0]) {
			dev = dev_get_by_name_rcu(mn->net, rule->iifname);
			if (!dev)
				continue;
			specs[n].iif = dev->ifindex;
		}
		specs[n].id = n;
		snap->rules[n] = rule;
		snap->sticky |= !!rule->sticky;
		n++;
	}
	rcu_read_unlock();
	snap->n = n;
	snap->rs = mwan_ruleset_build(specs, n, &err);
	if (!snap->rs)
		goto err;
	kvfree(specs);
	return snap;
err:
	kvfree(specs);
	kvfree(snap);
	return NULL;
}

static int snap_publish(struct mwan_net *mn)
{
	struct mwan_snap *snap, *old;

	lockdep_assert_held(&mn->lock);
	snap = snap_build(mn);
	if (!snap)
		return -ENOMEM;
	old = rcu_replace_pointer(mn->snap, snap, lockdep_is_held(&mn->lock));
	if (old)
		call_rcu(&old->rcu, snap_free_rcu);
	return 0;
}

int mwan_rule_add(struct mwan_net *mn, struct mwan_rule *rule)
{
	struct mwan_rule *pos;
	int ret;

	lockdep_assert_held(&mn->lock);
	/* Appending is the common case: walk from the end. */
	list_for_each_entry_reverse(pos, &mn->rules, list)
		if (pos->spec.pref < rule->spec.pref)
			break;
	list_add(&rule->list, &pos->list);
	mn->nrules++;
	ret = snap_publish(mn);
	if (ret) {
		list_del(&rule->list);
		mn->nrules--;
		return ret;
	}
	mwan_net_changed(mn);
	return 0;
}

int mwan_rule_del(struct mwan_net *mn, struct mwan_rule *rule)
{
	struct list_head *prev = rule->list.prev;
	int ret;

	lockdep_assert_held(&mn->lock);
	list_del(&rule->list);
	mn->nrules--;
	ret = snap_publish(mn);
	if (ret) {
		list_add(&rule->list, prev);
		mn->nrules++;
		return ret;
	}
	mwan_net_changed(mn);
	/* After the snapshot swap: readers of the old one still see the rule. */
	call_rcu(&rule->rcu, rule_free_rcu);
	return 0;
}

void mwan_rule_flush(struct mwan_net *mn)
{
	struct mwan_snap *old;
	struct mwan_rule *rule, *tmp;

	lockdep_assert_held(&mn->lock);
	old = rcu_replace_pointer(mn->snap, NULL, lockdep_is_held(&mn->lock));
	if (old)
		call_rcu(&old->rcu, snap_free_rcu);
	list_for_each_entry_safe(rule, tmp, &mn->rules, list) {
		list_del(&rule->list);
		call_rcu(&rule->rcu, rule_free_rcu);
	}
	mn->nrules = 0;
	mwan_net_changed(mn);
}

/*
 * A failed rebuild keeps the old snapshot, in which the rule of a device that
 * went away matches nothing (its ifindex is not reused soon) and that of a
 * new device is missing until the next change.
 */
void mwan_rule_netdev_event(struct mwan_net *mn, unsigned long event)
{
	struct mwan_rule *rule;

	lockdep_assert_held(&mn->lock);
	if (event != NETDEV_REGISTER && event != NETDEV_UNREGISTER &&
	    event != NETDEV_CHANGENAME)
		return;
	list_for_each_entry(rule, &mn->rules, list) {
		if (rule->iifname[0]) {
			if (snap_publish(mn))
				pr_warn_ratelimited("mwan: rules not updated for a device change: out of memory\n");
			return;
		}
	}
}

u64 mwan_rule_packets(const struct mwan_rule *rule)
{
	u64 sum = 0, packets;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct mwan_rule_stats *s = per_cpu_ptr(rule->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = u64_stats_read(&s->packets);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += packets;
	}
	return sum;
}
