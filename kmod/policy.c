// SPDX-License-Identifier: GPL-2.0
/*
 * Policies and their selection among healthy members. A member follows its
 * uplink's weight and metric unless it has its own, so that "uplink set wan1
 * weight 3" changes every policy that does not say otherwise.
 */
#include "policy.h"
#include "mwan.h"
#include "uplink.h"
#include "lib/mark.h"
#include "lib/select.h"

#include <linux/random.h>
#include <linux/slab.h>

struct mwan_policy_ver *mwan_policy_ver_alloc(unsigned int n)
{
	struct mwan_policy_ver *ver;

	ver = kzalloc(struct_size(ver, members, n), GFP_KERNEL_ACCOUNT);
	if (ver)
		ver->n = n;
	return ver;
}

struct mwan_policy *mwan_policy_find(struct mwan_net *mn, const char *name)
{
	struct mwan_policy *pol;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(pol, &mn->policies, list)
		if (!strcmp(pol->name, name))
			return pol;
	return NULL;
}

struct mwan_policy_ver *mwan_policy_ver(struct mwan_policy *pol)
{
	return rcu_dereference_protected(pol->ver, true);
}

struct mwan_policy *mwan_policy_add(struct mwan_net *mn, const char *name,
				    struct mwan_policy_ver *ver)
{
	struct mwan_policy *pol;

	lockdep_assert_held(&mn->lock);
	pol = kzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);
	if (!pol) {
		kfree(ver);
		return NULL;
	}
	strscpy(pol->name, name, sizeof(pol->name));
	RCU_INIT_POINTER(pol->ver, ver);
	list_add_tail(&pol->list, &mn->policies);
	mwan_net_changed(mn);
	return pol;
}

void mwan_policy_replace(struct mwan_policy *pol, struct mwan_policy_ver *ver)
{
	struct mwan_policy_ver *old = mwan_policy_ver(pol);

	rcu_assign_pointer(pol->ver, ver);
	kfree_rcu(old, rcu);
}

static void policy_free_rcu(struct rcu_head *rcu)
{
	struct mwan_policy *pol = container_of(rcu, struct mwan_policy, rcu);

	kfree(rcu_dereference_protected(pol->ver, true));
	kfree(pol);
}

void mwan_policy_del(struct mwan_net *mn, struct mwan_policy *pol)
{
	lockdep_assert_held(&mn->lock);
	list_del(&pol->list);
	mwan_net_changed(mn);
	call_rcu(&pol->rcu, policy_free_rcu);
}

void mwan_policy_flush(struct mwan_net *mn)
{
	struct mwan_policy *pol, *tmp;

	list_for_each_entry_safe(pol, tmp, &mn->policies, list)
		mwan_policy_del(mn, pol);
}

struct mwan_policy *mwan_policy_using(struct mwan_net *mn,
				      const struct mwan_uplink *up)
{
	const struct mwan_policy_ver *ver;
	struct mwan_policy *pol;
	unsigned int i;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(pol, &mn->policies, list) {
		ver = mwan_policy_ver(pol);
		for (i = 0; i < ver->n; i++)
			if (ver->members[i].up == up)
				return pol;
	}
	return NULL;
}

u32 mwan_member_weight(const struct mwan_member *m)
{
	return m->own_weight ? m->weight : READ_ONCE(m->up->cfg.weight);
}

u8 mwan_member_metric(const struct mwan_member *m)
{
	return m->own_metric ? m->metric : READ_ONCE(m->up->cfg.metric);
}

static bool member_up(const struct mwan_member *m)
{
	return READ_ONCE(m->up->state) == MWAN_STATE_UP;
}

bool mwan_policy_has(const struct mwan_policy *pol,
		     const struct mwan_uplink *up)
{
	const struct mwan_policy_ver *ver = rcu_dereference(pol->ver);
	unsigned int i;

	for (i = 0; i < ver->n; i++)
		if (ver->members[i].up == up)
			return true;
	return false;
}

static enum mwan_choice last_resort(u8 how)
{
	switch (how) {
	case MWAN_LAST_RESORT_DEFAULT:
		return MWAN_CHOSE_PASS;
	case MWAN_LAST_RESORT_BLACKHOLE:
		return MWAN_CHOSE_BLACKHOLE;
	default:
		return MWAN_CHOSE_UNREACHABLE;
	}
}

/*
 * Sticky first: the remembered uplink is taken if it is an up member, even
 * outside the best tier, as a session tied to an address outweighs the
 * preference for a cheaper uplink.
 */
enum mwan_choice mwan_policy_choose(const struct mwan_policy *pol,
				    u32 sticky_index, struct mwan_uplink **up)
{
	const struct mwan_policy_ver *ver = rcu_dereference(pol->ver);
	struct mwan_select_member sel[MWAN_MEMBERS_MAX];
	const struct mwan_member *m;
	unsigned int i;
	int chosen;

	for (i = 0; i < ver->n; i++) {
		m = &ver->members[i];
		sel[i].weight = mwan_member_weight(m);
		sel[i].metric = mwan_member_metric(m);
		sel[i].up = member_up(m);
		sel[i].degraded = READ_ONCE(m->up->degraded);
		if (sticky_index && sel[i].up &&
		    mwan_mark_to_index(mwan_mark_mask, m->up->mark) == sticky_index) {
			*up = m->up;
			return MWAN_CHOSE_UPLINK;
		}
	}
	chosen = mwan_select_member(sel, ver->n, get_random_u32());
	if (chosen < 0)
		return last_resort(ver->last_resort);
	*up = ver->members[chosen].up;
	return MWAN_CHOSE_UPLINK;
}
