// SPDX-License-Identifier: GPL-2.0
/*
 * The translation mapping store (xlate.h): hash tables for the data path,
 * per-uplink trees for overlaps and dumps, RCU-published outside halves.
 */
#include "xlate.h"
#include "mwan.h"
#include "uplink.h"
#include "lib/mark.h"
#include "lib/npt.h"

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/mwan.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>

const struct mwan_xlate_kind_ops *const mwan_xlate_kinds[MWAN_XLATE_KINDS] = {
	[MWAN_XLATE_NPT] = &mwan_npt_ops,
	[MWAN_XLATE_NAT] = &mwan_nat_ops,
};

static const struct rhashtable_params xlate_params = {
	.key_len = sizeof(struct mwan_xlate_key),
	.key_offset = offsetof(struct mwan_xlate_node, key),
	.head_offset = offsetof(struct mwan_xlate_node, head),
	.automatic_shrinking = true,
};

static struct mwan_xlate_table *table(struct mwan_net *mn, int kind)
{
	return &mn->xlate[kind];
}

int mwan_xlate_net_init(struct mwan_net *mn)
{
	int kind, ret;

	for (kind = 0; kind < MWAN_XLATE_KINDS; kind++) {
		xa_init(&mn->xlate[kind].ups);
		ret = rhashtable_init(&mn->xlate[kind].ht, &xlate_params);
		if (ret)
			goto err;
	}
	return 0;
err:
	while (kind--)
		rhashtable_destroy(&mn->xlate[kind].ht);
	return ret;
}

void mwan_xlate_net_exit(struct mwan_net *mn)
{
	int kind;

	/* Packets in the hooks unregistered last may still read the tables. */
	if (mn->xlate[MWAN_XLATE_NPT].used || mn->xlate[MWAN_XLATE_NAT].used)
		synchronize_rcu();
	for (kind = 0; kind < MWAN_XLATE_KINDS; kind++) {
		rhashtable_destroy(&mn->xlate[kind].ht);
		xa_destroy(&mn->xlate[kind].ups);
	}
}

static u32 up_index(const struct mwan_uplink *up)
{
	return mwan_mark_to_index(mwan_mark_mask, up->mark);
}

static void xkey_init(struct mwan_xlate_key *key, u32 index, int side,
		     const u8 *addr, u8 alen, u8 len)
{
	memset(key, 0, sizeof(*key));
	key->index = index;
	key->side = side;
	key->len = len;
	memcpy(key->addr, addr, alen);
	mwan_prefix_mask(key->addr, alen, len);
}

/* The last address of the prefix, in the 16 bytes that keys compare. */
static void xkey_end(const struct mwan_xlate_key *key, u8 alen, u8 *end)
{
	unsigned int i;
	u8 len = key->len;

	memcpy(end, key->addr, sizeof(key->addr));
	for (i = 0; i < alen; i++, len = len > 8 ? len - 8 : 0)
		end[i] |= len >= 8 ? 0 : (u8)(0xff >> len);
}

static struct mwan_xlate_up *xup_get(struct mwan_net *mn, int kind,
				     const struct mwan_uplink *up)
{
	return xa_load(&table(mn, kind)->ups, up_index(up));
}

struct mwan_xlate *mwan_xlate_find(struct mwan_net *mn, int kind,
				   const struct mwan_uplink *up,
				   const u8 *inside, u8 len)
{
	const struct mwan_xlate_kind_ops *ops = mwan_xlate_kinds[kind];
	struct mwan_xlate_node *node;
	struct mwan_xlate_key key;

	lockdep_assert_held(&mn->lock);
	xkey_init(&key, up_index(up), MWAN_XLATE_INSIDE, inside, ops->alen, len);
	node = rhashtable_lookup_fast(&table(mn, kind)->ht, &key, xlate_params);
	return node ? container_of(node, struct mwan_xlate, node) : NULL;
}

/*
 * The prefixes of one tree are disjoint: only the one that starts last at or
 * before addr/len's last address can overlap it.
 */
const struct mwan_xlate_node *mwan_xlate_overlap(struct mwan_net *mn, int kind,
						 const struct mwan_uplink *up,
						 int side, const u8 *addr, u8 len)
{
	const struct mwan_xlate_kind_ops *ops = mwan_xlate_kinds[kind];
	const struct mwan_xlate_node *node, *cand = NULL;
	struct mwan_xlate_up *xup = xup_get(mn, kind, up);
	u8 end[16], cand_end[16];
	struct mwan_xlate_key key;
	struct rb_node *rb;

	lockdep_assert_held(&mn->lock);
	if (!xup)
		return NULL;
	xkey_init(&key, 0, side, addr, ops->alen, len);
	xkey_end(&key, ops->alen, end);
	rb = xup->tree[side].rb_node;
	while (rb) {
		node = rb_entry(rb, struct mwan_xlate_node, rb);
		if (memcmp(node->key.addr, end, sizeof(end)) <= 0) {
			cand = node;
			rb = rb->rb_right;
		} else {
			rb = rb->rb_left;
		}
	}
	if (!cand)
		return NULL;
	xkey_end(&cand->key, ops->alen, cand_end);
	return memcmp(cand_end, key.addr, sizeof(cand_end)) >= 0 ? cand : NULL;
}

static void tree_insert(struct rb_root *root, struct mwan_xlate_node *new)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	struct mwan_xlate_node *node;

	while (*link) {
		parent = *link;
		node = rb_entry(parent, struct mwan_xlate_node, rb);
		if (memcmp(new->key.addr, node->key.addr, sizeof(new->key.addr)) < 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&new->rb, parent, link);
	rb_insert_color(&new->rb, root);
}

/* Hashes and lists a node; the lengths present follow. */
static int node_link(struct mwan_xlate_table *t, struct mwan_xlate_up *xup,
		     struct mwan_xlate_node *node)
{
	int side = node->key.side, len = node->key.len;
	int ret;

	ret = rhashtable_lookup_insert_fast(&t->ht, &node->head, xlate_params);
	if (ret)
		return ret;
	tree_insert(&xup->tree[side], node);
	if (!xup->count[side][len]++)
		WRITE_ONCE(xup->lens[side], xup->lens[side] | BIT_ULL(len - 1));
	return 0;
}

static void node_unlink(struct mwan_xlate_table *t, struct mwan_xlate_up *xup,
			struct mwan_xlate_node *node)
{
	int side = node->key.side, len = node->key.len;

	rhashtable_remove_fast(&t->ht, &node->head, xlate_params);
	rb_erase(&node->rb, &xup->tree[side]);
	if (!--xup->count[side][len])
		WRITE_ONCE(xup->lens[side], xup->lens[side] & ~BIT_ULL(len - 1));
}

static struct mwan_xlate_ver *ver_alloc(int kind, struct mwan_xlate *map,
					const u8 *outside)
{
	const struct mwan_xlate_kind_ops *ops = mwan_xlate_kinds[kind];
	const struct mwan_xlate_key *in = &map->node.key;
	struct mwan_xlate_ver *ver;

	ver = kzalloc(sizeof(*ver), GFP_KERNEL_ACCOUNT);
	if (!ver)
		return NULL;
	ver->map = map;
	xkey_init(&ver->node.key, in->index, MWAN_XLATE_OUTSIDE, outside,
		 ops->alen, in->len);
	if (kind == MWAN_XLATE_NPT) {
		ver->adj_out = mwan_npt_adjustment(in->addr, ver->node.key.addr,
						   in->len);
		ver->adj_in = ~ver->adj_out;
	}
	return ver;
}

static void map_free(struct mwan_xlate *map)
{
	kfree(rcu_dereference_protected(map->ver, true));
	free_percpu(map->stats);
	kfree(map);
}

static void map_free_rcu(struct rcu_head *rcu)
{
	map_free(container_of(rcu, struct mwan_xlate, rcu));
}

static struct mwan_xlate_up *xup_create(struct mwan_xlate_table *t, u32 index)
{
	struct mwan_xlate_up *xup = xa_load(&t->ups, index);

	if (xup)
		return xup;
	xup = kzalloc(sizeof(*xup), GFP_KERNEL_ACCOUNT);
	if (!xup)
		return ERR_PTR(-ENOMEM);
	xup->tree[MWAN_XLATE_INSIDE] = RB_ROOT;
	xup->tree[MWAN_XLATE_OUTSIDE] = RB_ROOT;
	if (xa_insert(&t->ups, index, xup, GFP_KERNEL_ACCOUNT)) {
		kfree(xup);
		return ERR_PTR(-ENOMEM);
	}
	return xup;
}

static void xup_put(struct mwan_xlate_table *t, struct mwan_xlate_up *xup,
		    u32 index)
{
	if (xup->n)
		return;
	xa_erase(&t->ups, index);
	kfree_rcu(xup, rcu);
}

static void table_put(struct mwan_net *mn, int kind)
{
	struct mwan_xlate_table *t = table(mn, kind);

	if (t->n || !t->hooks)
		return;
	mwan_xlate_kinds[kind]->disable(mn);
	t->hooks = false;
}

static struct mwan_xlate *map_alloc(int kind, struct mwan_uplink *up,
				    const u8 *inside, const u8 *outside, u8 len)
{
	const struct mwan_xlate_kind_ops *ops = mwan_xlate_kinds[kind];
	struct mwan_xlate_ver *ver;
	struct mwan_xlate *map;

	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return NULL;
	map->stats = mwan_pcpu_packets_alloc();
	if (!map->stats)
		goto err;
	map->up = up;
	xkey_init(&map->node.key, up_index(up), MWAN_XLATE_INSIDE, inside,
		 ops->alen, len);
	ver = ver_alloc(kind, map, outside);
	if (!ver)
		goto err;
	RCU_INIT_POINTER(map->ver, ver);
	return map;
err:
	map_free(map);
	return NULL;
}

struct mwan_xlate *mwan_xlate_add(struct mwan_net *mn, int kind,
				  struct mwan_uplink *up, const u8 *inside,
				  const u8 *outside, u8 len)
{
	struct mwan_xlate_table *t = table(mn, kind);
	struct mwan_xlate_up *xup;
	struct mwan_xlate *map;
	int ret;

	lockdep_assert_held(&mn->lock);
	if (t->n >= MWAN_XLATE_MAX)
		return ERR_PTR(-ENOSPC);
	map = map_alloc(kind, up, inside, outside, len);
	if (!map)
		return ERR_PTR(-ENOMEM);
	if (!t->hooks) {
		ret = mwan_xlate_kinds[kind]->enable(mn);
		if (ret)
			goto err_map;
		t->hooks = true;
		t->used = true;
	}
	xup = xup_create(t, map->node.key.index);
	if (IS_ERR(xup)) {
		ret = PTR_ERR(xup);
		goto err_hooks;
	}
	ret = node_link(t, xup, &map->node);
	if (ret)
		goto err_xup;
	ret = node_link(t, xup, &mwan_xlate_ver(map)->node);
	if (ret)
		goto err_in;
	xup->n++;
	t->n++;
	mwan_net_changed(mn);
	return map;

err_in:
	node_unlink(t, xup, &map->node);
err_xup:
	xup_put(t, xup, map->node.key.index);
err_hooks:
	table_put(mn, kind);
err_map:
	/* Never published, but maybe hashed for a moment. */
	call_rcu(&map->rcu, map_free_rcu);
	return ERR_PTR(ret);
}

static void ver_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct mwan_xlate_ver, rcu));
}

/*
 * The new outside prefix is hashed before the old one goes: a packet to
 * either translates with the version that owns it, to the same inside
 * address.
 */
int mwan_xlate_replace(struct mwan_net *mn, int kind, struct mwan_xlate *map,
		       const u8 *outside)
{
	struct mwan_xlate_table *t = table(mn, kind);
	struct mwan_xlate_ver *old = mwan_xlate_ver(map), *ver;
	struct mwan_xlate_up *xup;
	int ret;

	lockdep_assert_held(&mn->lock);
	ver = ver_alloc(kind, map, outside);
	if (!ver)
		return -ENOMEM;
	if (!memcmp(ver->node.key.addr, old->node.key.addr,
		    sizeof(ver->node.key.addr))) {
		kfree(ver);
		return 0;
	}
	xup = xa_load(&t->ups, map->node.key.index);
	ret = node_link(t, xup, &ver->node);
	if (ret) {
		kfree(ver);
		return ret;
	}
	rcu_assign_pointer(map->ver, ver);
	node_unlink(t, xup, &old->node);
	call_rcu(&old->rcu, ver_free_rcu);
	mwan_net_changed(mn);
	return 0;
}

void mwan_xlate_del(struct mwan_net *mn, int kind, struct mwan_xlate *map)
{
	struct mwan_xlate_table *t = table(mn, kind);
	u32 index = map->node.key.index;
	struct mwan_xlate_up *xup = xa_load(&t->ups, index);

	lockdep_assert_held(&mn->lock);
	node_unlink(t, xup, &mwan_xlate_ver(map)->node);
	node_unlink(t, xup, &map->node);
	xup->n--;
	t->n--;
	xup_put(t, xup, index);
	table_put(mn, kind);
	mwan_net_changed(mn);
	call_rcu(&map->rcu, map_free_rcu);
}

void mwan_xlate_flush(struct mwan_net *mn)
{
	struct mwan_xlate_up *xup;
	struct rb_node *rb;
	unsigned long index;
	bool last;
	int kind;

	lockdep_assert_held(&mn->lock);
	for (kind = 0; kind < MWAN_XLATE_KINDS; kind++) {
		/* The last mapping of an uplink frees xup. */
		xa_for_each(&table(mn, kind)->ups, index, xup) {
			do {
				last = xup->n == 1;
				rb = rb_first(&xup->tree[MWAN_XLATE_INSIDE]);
				mwan_xlate_del(mn, kind,
					       rb_entry(rb, struct mwan_xlate,
							node.rb));
			} while (!last);
		}
	}
}

bool mwan_xlate_using(struct mwan_net *mn, int kind,
		      const struct mwan_uplink *up)
{
	lockdep_assert_held(&mn->lock);
	return xup_get(mn, kind, up);
}

/* The first node of the tree after addr (or from its start), or NULL. */
static struct mwan_xlate_node *tree_next(const struct rb_root *root,
					 const u8 *addr, bool after)
{
	struct mwan_xlate_node *node, *best = NULL;
	struct rb_node *rb = root->rb_node;

	if (!after) {
		rb = rb_first(root);
		return rb ? rb_entry(rb, struct mwan_xlate_node, rb) : NULL;
	}
	while (rb) {
		node = rb_entry(rb, struct mwan_xlate_node, rb);
		if (memcmp(node->key.addr, addr, sizeof(node->key.addr)) > 0) {
			best = node;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return best;
}

struct mwan_xlate *mwan_xlate_next(struct mwan_net *mn, int kind, u32 index,
				   const u8 *inside, bool after)
{
	struct mwan_xlate_node *node;
	struct mwan_xlate_up *xup;
	unsigned long i = index;

	lockdep_assert_held(&mn->lock);
	xa_for_each_start(&table(mn, kind)->ups, i, xup, index) {
		node = tree_next(&xup->tree[MWAN_XLATE_INSIDE], inside,
				 after && i == index);
		if (node)
			return container_of(node, struct mwan_xlate, node);
	}
	return NULL;
}

u64 mwan_xlate_packets(const struct mwan_xlate *map)
{
	return mwan_pcpu_packets_sum(map->stats);
}

/* Uplinks are few (at most the mark indexes): a walk is cheaper than a map. */
struct mwan_xlate_up *mwan_xlate_dev(struct mwan_net *mn, int kind,
				     const struct net_device *dev, u32 *index)
{
	struct mwan_uplink *up;

	if (!dev)
		return NULL;
	list_for_each_entry_rcu(up, &mn->uplinks, list) {
		if (READ_ONCE(up->ifindex) != dev->ifindex)
			continue;
		*index = up_index(up);
		return xa_load(&table(mn, kind)->ups, *index);
	}
	return NULL;
}

const struct mwan_xlate_node *mwan_xlate_lookup(struct mwan_net *mn, int kind,
						const struct mwan_xlate_up *xup,
						u32 index, int side,
						const void *addr)
{
	u64 lens = READ_ONCE(xup->lens[side]);
	struct mwan_xlate_node *node;
	struct mwan_xlate_key key;
	u8 len;

	/* Longest first, masking the same key further at each length. */
	xkey_init(&key, index, side, addr, mwan_xlate_kinds[kind]->alen, 128);
	while (lens) {
		len = fls64(lens);
		lens &= ~BIT_ULL(len - 1);
		key.len = len;
		mwan_prefix_mask(key.addr, sizeof(key.addr), len);
		node = rhashtable_lookup(&table(mn, kind)->ht, &key,
					 xlate_params);
		if (node)
			return node;
	}
	return NULL;
}

unsigned int mwan_xlate_null_binding(struct sk_buff *skb,
				     const struct nf_hook_state *state,
				     int kind, const void *saddr)
{
	struct mwan_net *mn = mwan_net(state->net);
	enum ip_conntrack_info ctinfo;
	struct mwan_xlate_up *xup;
	struct nf_conn *ct;
	u32 index;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW || nf_ct_is_confirmed(ct) ||
	    nf_nat_initialized(ct, NF_NAT_MANIP_SRC))
		return NF_ACCEPT;
	xup = mwan_xlate_dev(mn, kind, state->out, &index);
	if (!xup || !mwan_xlate_lookup(mn, kind, xup, index, MWAN_XLATE_INSIDE,
				       saddr))
		return NF_ACCEPT;
	return nf_nat_alloc_null_binding(ct, state->hook);
}

int mwan_xlate_hooks_register(struct net *net, u8 pf,
			      const struct nf_hook_ops *ops, unsigned int n)
{
	int ret;

	ret = nf_ct_netns_get(net, pf);
	if (ret)
		return ret;
	ret = nf_register_net_hooks(net, ops, n);
	if (ret)
		nf_ct_netns_put(net, pf);
	return ret;
}

void mwan_xlate_hooks_unregister(struct net *net, u8 pf,
				 const struct nf_hook_ops *ops, unsigned int n)
{
	nf_unregister_net_hooks(net, ops, n);
	nf_ct_netns_put(net, pf);
}
