/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policies: which uplinks a flow may take (members, each with an optional
 * weight and metric of its own) and what happens when none is up (the last
 * resort). The data path reads an immutable version of the policy, replaced
 * whole by a SET, so that no packet ever sees half of a change.
 */
#ifndef _MWAN_POLICY_H
#define _MWAN_POLICY_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/mwan.h>

struct mwan_net;
struct mwan_uplink;

struct mwan_member {
	/* Stays valid: an uplink in use by a policy cannot be deleted. */
	struct mwan_uplink *up;
	u32 weight;		/* when own_weight, else the uplink's */
	u8 metric;		/* when own_metric, else the uplink's */
	bool own_weight;
	bool own_metric;
};

struct mwan_policy_ver {
	struct rcu_head rcu;
	u8 last_resort;		/* enum mwan_last_resort */
	unsigned int n;
	struct mwan_member members[];
};

struct mwan_policy {
	struct list_head list;		/* in mwan_net.policies */
	struct rcu_head rcu;
	char name[MWAN_NAME_MAXLEN];
	/* Replaced under mwan_net.lock; the old one freed after a grace period. */
	struct mwan_policy_ver __rcu *ver;
};

/* What mwan_policy_choose() decided for a flow. */
enum mwan_choice {
	MWAN_CHOSE_UPLINK,
	MWAN_CHOSE_PASS,		/* last resort default */
	MWAN_CHOSE_BLACKHOLE,
	MWAN_CHOSE_UNREACHABLE,
};

/* A version with room for n members, or NULL; the caller fills it in. */
struct mwan_policy_ver *mwan_policy_ver_alloc(unsigned int n);

/* The caller holds mn->lock for all of these. */
struct mwan_policy *mwan_policy_find(struct mwan_net *mn, const char *name);
/* Takes ownership of ver. */
struct mwan_policy *mwan_policy_add(struct mwan_net *mn, const char *name,
				    struct mwan_policy_ver *ver);
/* Publishes ver (taking ownership) and frees the old one after a grace period. */
void mwan_policy_replace(struct mwan_policy *pol, struct mwan_policy_ver *ver);
/* The policy must have no users; its memory goes after a grace period. */
void mwan_policy_del(struct mwan_net *mn, struct mwan_policy *pol);
void mwan_policy_flush(struct mwan_net *mn);
/* The first policy with up among its members, or NULL. */
struct mwan_policy *mwan_policy_using(struct mwan_net *mn,
				      const struct mwan_uplink *up);

/* The version as the config side sees it; mn->lock held. */
struct mwan_policy_ver *mwan_policy_ver(struct mwan_policy *pol);

/* The member's weight and metric in effect now. */
u32 mwan_member_weight(const struct mwan_member *m);
u8 mwan_member_metric(const struct mwan_member *m);

/*
 * Data path, under RCU: picks an up member by weight in the best metric tier
 * and returns its uplink in *up, else applies the last resort. A sticky
 * index (0 for none) is taken when that uplink is an up member.
 */
enum mwan_choice mwan_policy_choose(const struct mwan_policy *pol,
				    u32 sticky_index, struct mwan_uplink **up);

/* Whether up is a member of the policy's current version (under RCU). */
bool mwan_policy_has(const struct mwan_policy *pol,
		     const struct mwan_uplink *up);

#endif /* _MWAN_POLICY_H */
