/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classification rules: the lowest pref whose matches all hold gives a new
 * flow its policy. The data path looks rules up in a snapshot (struct
 * mwan_snap) that is replaced, under mwan_net.lock, on every change of the
 * rules and of the devices they name, and swapped in with RCU.
 *
 * A snapshot has two levels, each an immutable prefix-keyed ruleset: a big
 * one shared by consecutive snapshots, with a bitmap of its rules deleted
 * since it was built, and a small one of the rules added since, rebuilt on
 * every add. When the small level and the deletions outgrow about twice the
 * square root of the big level's size, everything is merged into a new big
 * level. A change thus costs O(sqrt(n) log n) amortized instead of the
 * O(n log n) of a full rebuild, and a lookup is two lookups.
 */
#ifndef _MWAN_RULE_H
#define _MWAN_RULE_H

#include <linux/if.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "pcpu.h"

#include "lib/ruleset.h"

struct mwan_net;
struct mwan_policy;
struct mwan_sticky;
struct net_device;

#define MWAN_STICKY_BITS	12	/* slots per sticky rule: 4096 */

struct mwan_rule {
	struct list_head list;		/* in mwan_net.rules, by pref */
	struct rcu_head rcu;
	u32 big_pos;			/* in the big level, or MWAN_RULE_SMALL; under lock */
	/* Written before the rule is published, then read-only. */
	struct mwan_rule_spec spec;	/* iif 0: filled in per snapshot */
	char iifname[IFNAMSIZ];		/* "" for any */
	u32 sticky;			/* seconds, 0 for none */
	struct mwan_sticky *st;		/* when sticky */
	/* Stays valid: a policy in use by a rule cannot be deleted. */
	struct mwan_policy *policy;
	/* Lives with the rule, not the snapshot, so rebuilds keep counts. */
	struct mwan_pcpu_packets __percpu *stats;
};

#define MWAN_RULE_SMALL		U32_MAX

/* Rules and their ruleset; spec.id is the index in rules[]. */
struct mwan_rule_level {
	struct rcu_head rcu;
	struct mwan_ruleset *rs;
	bool sticky;			/* some rule is sticky */
	bool iif;			/* some rule names a device */
	u32 n;
	struct mwan_rule *rules[];	/* in pref order */
};

struct mwan_snap {
	struct rcu_head rcu;
	/* Freed when a snapshot with another big level replaces this one. */
	struct mwan_rule_level *big;
	struct mwan_rule_level *small;	/* NULL when empty */
	u32 *dead;			/* of big positions (lib/ruleset.h), or NULL */
	u32 ndead;
	bool sticky;			/* some rule may be sticky */
};

/*
 * An unlisted rule with its counters (and sticky table when sticky is set),
 * or NULL. The caller fills in the spec and the policy.
 */
struct mwan_rule *mwan_rule_alloc(u32 sticky);
/* Only for a rule that was never added. */
void mwan_rule_free(struct mwan_rule *rule);

/* The rule a new flow gets, or NULL. The caller holds rcu_read_lock(). */
struct mwan_rule *mwan_rule_lookup(const struct mwan_snap *snap,
				   const struct mwan_pkt_key *key);

/* The caller holds mn->lock for all of these. */
/* By pref, in the snapshot's sorted levels: O(log n). */
struct mwan_rule *mwan_rule_find(struct mwan_net *mn, u32 pref);
/* The pref after the highest in use, or 0 when that is 0xffffffff. */
u32 mwan_rule_next_pref(struct mwan_net *mn);
/* The first rule (lowest pref) using the policy, or NULL. */
struct mwan_rule *mwan_rule_using(struct mwan_net *mn,
				  const struct mwan_policy *pol);
/*
 * Lists the rule and publishes a snapshot with it; -ENOMEM changes nothing.
 * A rule with an input device that does not exist matches nothing until a
 * device of that name appears.
 */
int mwan_rule_add(struct mwan_net *mn, struct mwan_rule *rule);
/* Unlists the rule and publishes a snapshot without it; frees it after a grace period. */
int mwan_rule_del(struct mwan_net *mn, struct mwan_rule *rule);
void mwan_rule_flush(struct mwan_net *mn);
/* A device appeared, went or was renamed: rules name devices. */
void mwan_rule_netdev_event(struct mwan_net *mn, unsigned long event);

u64 mwan_rule_packets(const struct mwan_rule *rule);

#endif /* _MWAN_RULE_H */
