/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stateless translation mappings per uplink, the store that NPTv6 (npt.c)
 * and 1:1 IPv4 NAT (nat.c) share: a mapping is keyed by uplink and inside
 * prefix and has an outside prefix of the same length.
 *
 * The data path finds mappings in one hash table per kind and netns, keyed
 * by (uplink mark index, side, length, masked prefix): each mapping is in it
 * twice, by its inside prefix (for packets leaving through the uplink) and
 * by its outside prefix (for packets arriving from it). Per uplink a bitmap
 * of the prefix lengths present on each side bounds a lookup to one hash
 * probe per distinct length (at most 64), whatever the number of mappings.
 *
 * The outside half of a mapping (struct mwan_xlate_ver) is immutable: SET
 * publishes a new one with rcu_assign_pointer() and hashes its outside
 * prefix before unhashing the old one, so a packet translates with the old
 * version or the new one, never a mix. Config goes under mwan_net.lock; per
 * uplink and side, an rbtree of the prefixes by address finds overlaps and
 * orders dumps.
 */
#ifndef _MWAN_XLATE_H
#define _MWAN_XLATE_H

#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>

#include "pcpu.h"

struct mwan_net;
struct mwan_uplink;
struct net_device;
struct net;
struct nf_hook_ops;
struct nf_hook_state;
struct sk_buff;

enum mwan_xlate_kind {
	MWAN_XLATE_NPT,			/* IPv6 prefixes, RFC 6296 */
	MWAN_XLATE_NAT,			/* IPv4 addresses or prefixes */
	MWAN_XLATE_KINDS,
};

enum mwan_xlate_side {
	MWAN_XLATE_INSIDE,
	MWAN_XLATE_OUTSIDE,
	MWAN_XLATE_SIDES,
};

struct mwan_xlate_key {
	u32 index;			/* the uplink's mark index */
	u8 side;			/* enum mwan_xlate_side */
	u8 len;
	u8 pad[2];			/* zero */
	u8 addr[16];			/* bits past len zero; NAT: bytes 0..3 */
};

struct mwan_xlate_node {
	struct rhash_head head;
	struct mwan_xlate_key key;
	struct rb_node rb;		/* in its uplink's tree of that side */
};

struct mwan_xlate;

/* The outside prefix of a mapping, immutable once published. */
struct mwan_xlate_ver {
	struct mwan_xlate_node node;	/* side OUTSIDE */
	struct rcu_head rcu;
	struct mwan_xlate *map;
	u16 adj_out;			/* NPT: inside -> outside (lib/npt.h) */
	u16 adj_in;			/* NPT: outside -> inside */
};

struct mwan_xlate {
	struct mwan_xlate_node node;	/* side INSIDE: the key */
	struct rcu_head rcu;
	/* Replaced under mwan_net.lock; the old one freed after a grace period. */
	struct mwan_xlate_ver __rcu *ver;
	/* Stays valid: an uplink with mappings cannot be deleted. */
	struct mwan_uplink *up;
	struct mwan_pcpu_packets __percpu *stats;
};

/* The mappings of one kind on one uplink. */
struct mwan_xlate_up {
	struct rcu_head rcu;
	/* Bit len - 1 set while a prefix of length len is present: data path. */
	u64 lens[MWAN_XLATE_SIDES];
	/* The rest under mwan_net.lock. */
	u32 count[MWAN_XLATE_SIDES][65];
	struct rb_root tree[MWAN_XLATE_SIDES];
	u32 n;
};

struct mwan_xlate_table {
	struct rhashtable ht;
	struct xarray ups;		/* mark index -> struct mwan_xlate_up */
	u32 n;
	bool hooks;
	bool used;			/* hooks were registered once */
};

/* What npt.c and nat.c give the store. */
struct mwan_xlate_kind_ops {
	const char *name;		/* "npt", "nat" */
	u8 alen;			/* address bytes: 16, 4 */
	u8 max_len;			/* 64, 32 */
	/* mn->lock held; called with the first mapping and after the last. */
	int (*enable)(struct mwan_net *mn);
	void (*disable)(struct mwan_net *mn);
};

extern const struct mwan_xlate_kind_ops mwan_npt_ops;
extern const struct mwan_xlate_kind_ops mwan_nat_ops;
extern const struct mwan_xlate_kind_ops *const mwan_xlate_kinds[MWAN_XLATE_KINDS];

int mwan_xlate_net_init(struct mwan_net *mn);
/* After mwan_xlate_flush(); frees the tables. */
void mwan_xlate_net_exit(struct mwan_net *mn);

/* The caller holds mn->lock for all of these. */
struct mwan_xlate *mwan_xlate_find(struct mwan_net *mn, int kind,
				   const struct mwan_uplink *up,
				   const u8 *inside, u8 len);
/* A mapping of up whose prefix on side overlaps addr/len, or NULL. */
const struct mwan_xlate_node *mwan_xlate_overlap(struct mwan_net *mn, int kind,
						 const struct mwan_uplink *up,
						 int side, const u8 *addr, u8 len);
/*
 * A new mapping, or an ERR_PTR (-ENOSPC past MWAN_XLATE_MAX, -ENOMEM, or
 * the hooks' error). The caller checked keys and overlaps.
 */
struct mwan_xlate *mwan_xlate_add(struct mwan_net *mn, int kind,
				  struct mwan_uplink *up, const u8 *inside,
				  const u8 *outside, u8 len);
/* Publishes a new outside prefix; -ENOMEM changes nothing. */
int mwan_xlate_replace(struct mwan_net *mn, int kind, struct mwan_xlate *map,
		       const u8 *outside);
/* Its memory goes after a grace period. */
void mwan_xlate_del(struct mwan_net *mn, int kind, struct mwan_xlate *map);
void mwan_xlate_flush(struct mwan_net *mn);
/* Whether up has mappings of kind. */
bool mwan_xlate_using(struct mwan_net *mn, int kind,
		      const struct mwan_uplink *up);
/* The first mapping after (index, inside) in dump order, or from the start. */
struct mwan_xlate *mwan_xlate_next(struct mwan_net *mn, int kind, u32 index,
				   const u8 *inside, bool after);

static inline struct mwan_xlate_ver *mwan_xlate_ver(const struct mwan_xlate *map)
{
	return rcu_dereference_protected(map->ver, true);
}

u64 mwan_xlate_packets(const struct mwan_xlate *map);

/*
 * Data path, under RCU. The mappings of kind on the uplink of dev, with
 * its mark index in *index, or NULL.
 */
struct mwan_xlate_up *mwan_xlate_dev(struct mwan_net *mn, int kind,
				     const struct net_device *dev, u32 *index);
/* The node whose prefix on side holds addr, or NULL. */
const struct mwan_xlate_node *mwan_xlate_lookup(struct mwan_net *mn, int kind,
						const struct mwan_xlate_up *xup,
						u32 index, int side,
						const void *addr);

/*
 * POSTROUTING, before NAT_SRC: a new connection whose source saddr has a
 * mapping of kind on the output uplink gets a null source NAT binding, so
 * that the uplink's masquerade leaves it alone.
 */
unsigned int mwan_xlate_null_binding(struct sk_buff *skb,
				     const struct nf_hook_state *state,
				     int kind, const void *saddr);

/*
 * A kind's hooks, after taking conntrack for pf (see the ordering argument
 * in npt.c), and their removal.
 */
int mwan_xlate_hooks_register(struct net *net, u8 pf,
			      const struct nf_hook_ops *ops, unsigned int n);
void mwan_xlate_hooks_unregister(struct net *net, u8 pf,
				 const struct nf_hook_ops *ops, unsigned int n);

static inline void mwan_xlate_count(struct mwan_xlate *map)
{
	mwan_pcpu_packets_inc(map->stats);
}

#endif /* _MWAN_XLATE_H */
