// SPDX-License-Identifier: GPL-2.0
/*
 * Rule objects and the two-level snapshot the data path classifies with
 * (rule.h). The prefix-keyed rulesets (lib/ruleset.c) are immutable by
 * design; the levels keep their rebuilds small.
 *
 * Every rule is in the snapshot, so that it also finds rules by pref for the
 * requests. A rule naming an input device that does not exist has the iif
 * MWAN_IIF_NONE there, which no packet has; device events merge the levels,
 * which looks the names up again.
 */
#include "rule.h"
#include "mwan.h"
#include "lib/sticky.h"

#include <linux/kernel.h>
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
	rule->stats = mwan_pcpu_packets_alloc();
	if (!rule->stats)
		goto err;
	rule->big_pos = MWAN_RULE_SMALL;
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

/* An ifindex is positive and an int: no packet comes in on this one. */
#define MWAN_IIF_NONE		U32_MAX

static void level_free(struct mwan_rule_level *level)
{
	if (!level)
		return;
	mwan_ruleset_free(level->rs);
	kvfree(level);
}

static void level_free_rcu(struct rcu_head *rcu)
{
	level_free(container_of(rcu, struct mwan_rule_level, rcu));
}

static struct mwan_rule_level *level_alloc(u32 n)
{
	return kvzalloc(struct_size_t(struct mwan_rule_level, rules, n),
			GFP_KERNEL);
}

/*
 * Builds the ruleset of level->rules[0..n), which the caller filled in pref
 * order. Devices are looked up under RCU, which the notifier's rtnl and the
 * requests' mutex both allow.
 */
static int level_build(struct mwan_net *mn, struct mwan_rule_level *level)
{
	struct mwan_rule_spec *specs;
	struct mwan_rule *rule;
	struct net_device *dev;
	int err;
	u32 i;

	specs = kvcalloc(max(level->n, 1U), sizeof(*specs), GFP_KERNEL);
	if (!specs)
		return -ENOMEM;
	rcu_read_lock();
	for (i = 0; i < level->n; i++) {
		rule = level->rules[i];
		specs[i] = rule->spec;
		specs[i].id = i;
		if (rule->iifname[0]) {
			dev = dev_get_by_name_rcu(mn->net, rule->iifname);
			specs[i].iif = dev ? dev->ifindex : MWAN_IIF_NONE;
			level->iif = true;
		}
		level->sticky |= !!rule->sticky;
	}
	rcu_read_unlock();
	level->rs = mwan_ruleset_build(specs, level->n, &err);
	kvfree(specs);
	return level->rs ? 0 : err;
}

static struct mwan_rule *level_rule(const struct mwan_rule_level *level,
				    int pos)
{
	return level->rules[mwan_ruleset_rule(level->rs, pos)->id];
}

static void snap_free_rcu(struct rcu_head *rcu)
{
	struct mwan_snap *snap = container_of(rcu, struct mwan_snap, rcu);

	kvfree(snap->dead);
	kfree(snap);
}

static struct mwan_snap *snap_get(struct mwan_net *mn)
{
	return rcu_dereference_protected(mn->snap, lockdep_is_held(&mn->lock));
}

/* Publishes snap (or none) and frees what only the old snapshot used. */
static void snap_swap(struct mwan_net *mn, struct mwan_snap *snap)
{
	struct mwan_snap *old;

	old = rcu_replace_pointer(mn->snap, snap, lockdep_is_held(&mn->lock));
	if (!old)
		return;
	/* Readers of the old levels are done after the same grace period. */
	if (!snap || snap->big != old->big)
		call_rcu(&old->big->rcu, level_free_rcu);
	if (old->small && (!snap || snap->small != old->small))
		call_rcu(&old->small->rcu, level_free_rcu);
	call_rcu(&old->rcu, snap_free_rcu);
}

static struct mwan_snap *snap_alloc(struct mwan_rule_level *big,
				    struct mwan_rule_level *small)
{
	struct mwan_snap *snap = kzalloc(sizeof(*snap), GFP_KERNEL);

	if (!snap)
		return NULL;
	snap->big = big;
	snap->small = small;
	snap->sticky = big->sticky || (small && small->sticky);
	return snap;
}

/* Every listed rule into a new big level, nothing in the small one. */
static int snap_merge(struct mwan_net *mn)
{
	struct mwan_rule_level *big;
	struct mwan_snap *snap;
	struct mwan_rule *rule;
	u32 n = 0;
	int ret;

	if (!mn->nrules) {
		snap_swap(mn, NULL);
		return 0;
	}
	big = level_alloc(mn->nrules);
	if (!big)
		return -ENOMEM;
	list_for_each_entry(rule, &mn->rules, list)
		big->rules[n++] = rule;
	big->n = n;
	ret = level_build(mn, big);
	snap = ret ? NULL : snap_alloc(big, NULL);
	if (!snap) {
		level_free(big);
		return ret ?: -ENOMEM;
	}
	for (n = 0; n < big->n; n++)
		big->rules[n]->big_pos = n;
	snap_swap(mn, snap);
	return 0;
}

/* The small level of cur with add inserted or del left out; NULL when empty. */
static struct mwan_rule_level *small_build(struct mwan_net *mn,
					   const struct mwan_rule_level *cur,
					   struct mwan_rule *add,
					   const struct mwan_rule *del)
{
	struct mwan_rule_level *small;
	u32 n = (cur ? cur->n : 0) + !!add - !!del, i, j = 0;
	int ret;

	if (!n)
		return NULL;
	small = level_alloc(n);
	if (!small)
		return ERR_PTR(-ENOMEM);
	for (i = 0; cur && i < cur->n; i++) {
		if (add && add->spec.pref < cur->rules[i]->spec.pref) {
			small->rules[j++] = add;
			add = NULL;
		}
		if (cur->rules[i] != del)
			small->rules[j++] = cur->rules[i];
	}
	if (add)
		small->rules[j++] = add;
	small->n = j;
	ret = level_build(mn, small);
	if (ret) {
		level_free(small);
		return ERR_PTR(ret);
	}
	return small;
}

/* Past this many small rules and deletions, a change merges the levels. */
static u32 small_max(const struct mwan_snap *snap)
{
	return max(64U, 2 * (u32)int_sqrt(snap->big->n));
}

/*
 * A snapshot of the current levels with add put in the small one, or del
 * taken out of the small one or marked dead in the big one. Costs a rebuild
 * of the small level (for add and a small del) and a copy of the bitmap.
 */
static int snap_change(struct mwan_net *mn, struct mwan_rule *add,
		       struct mwan_rule *del)
{
	bool big_del = del && del->big_pos != MWAN_RULE_SMALL;
	struct mwan_snap *cur = snap_get(mn), *snap;
	struct mwan_rule_level *small;
	size_t words;

	if (!cur || (cur->small ? cur->small->n : 0) + cur->ndead >= small_max(cur))
		return snap_merge(mn);
	small = big_del ? cur->small :
		small_build(mn, cur->small, add, del);
	if (IS_ERR(small))
		return PTR_ERR(small);
	snap = snap_alloc(cur->big, small);
	if (!snap)
		goto err;
	snap->ndead = cur->ndead;
	if (cur->dead || big_del) {
		words = DIV_ROUND_UP(cur->big->n, 32);
		snap->dead = kvmalloc_array(words, sizeof(u32), GFP_KERNEL);
		if (!snap->dead)
			goto err;
		if (cur->dead)
			memcpy(snap->dead, cur->dead, words * sizeof(u32));
		else
			memset(snap->dead, 0, words * sizeof(u32));
		if (big_del) {
			snap->dead[del->big_pos / 32] |= 1U << (del->big_pos % 32);
			snap->ndead++;
		}
	}
	snap_swap(mn, snap);
	return 0;
err:
	kfree(snap);
	if (small != cur->small)
		level_free(small);
	return -ENOMEM;
}

struct mwan_rule *mwan_rule_lookup(const struct mwan_snap *snap,
				   const struct mwan_pkt_key *key)
{
	struct mwan_rule *best = NULL, *rule;
	int pos;

	pos = mwan_ruleset_lookup_live(snap->big->rs, key, snap->dead);
	if (pos >= 0)
		best = level_rule(snap->big, pos);
	if (!snap->small)
		return best;
	pos = mwan_ruleset_lookup(snap->small->rs, key);
	if (pos < 0)
		return best;
	rule = level_rule(snap->small, pos);
	return !best || rule->spec.pref < best->spec.pref ? rule : best;
}

struct mwan_rule *mwan_rule_find(struct mwan_net *mn, u32 pref)
{
	const struct mwan_snap *snap = snap_get(mn);
	int pos;

	if (!snap)
		return NULL;
	pos = mwan_ruleset_find(snap->big->rs, pref);
	if (pos >= 0 && !mwan_ruleset_dead(snap->dead, pos))
		return level_rule(snap->big, pos);
	if (!snap->small)
		return NULL;
	pos = mwan_ruleset_find(snap->small->rs, pref);
	return pos >= 0 ? level_rule(snap->small, pos) : NULL;
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
	ret = snap_change(mn, rule, NULL);
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
	ret = snap_change(mn, NULL, rule);
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
	struct mwan_rule *rule, *tmp;

	lockdep_assert_held(&mn->lock);
	snap_swap(mn, NULL);
	list_for_each_entry_safe(rule, tmp, &mn->rules, list) {
		list_del(&rule->list);
		call_rcu(&rule->rcu, rule_free_rcu);
	}
	mn->nrules = 0;
	mwan_net_changed(mn);
}

/*
 * A failed merge keeps the old snapshot, in which the rule of a device that
 * went away matches nothing (its ifindex is not reused soon) and that of a
 * new device matches nothing until the next merge.
 */
void mwan_rule_netdev_event(struct mwan_net *mn, unsigned long event)
{
	const struct mwan_snap *snap = snap_get(mn);

	if (event != NETDEV_REGISTER && event != NETDEV_UNREGISTER &&
	    event != NETDEV_CHANGENAME)
		return;
	if (!snap || !(snap->big->iif || (snap->small && snap->small->iif)))
		return;
	if (snap_merge(mn))
		pr_warn_ratelimited("mwan: rules not updated for a device change: out of memory\n");
}

u64 mwan_rule_packets(const struct mwan_rule *rule)
{
	return mwan_pcpu_packets_sum(rule->stats);
}
