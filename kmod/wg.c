// SPDX-License-Identifier: GPL-2.0
/*
 * WireGuard endpoint sets and the hook that steers a peer's encapsulated
 * packets out of the uplink its endpoint is bound to (see wg.h).
 *
 * WireGuard sends through udp_tunnel_xmit_skb() and ip_local_out(), so its
 * UDP packets pass LOCAL_OUT with the tunnel socket in state->sk, whose user
 * data is the struct wg_device, the private area of the WireGuard netdev.
 * The hook runs after conntrack and before mwan's flow hook (flow.c): a
 * packet whose mark carries an uplink under mark_mask when it reaches that
 * hook is left alone (its flow is PASS), so the mark set here survives. Only
 * the bits under mark_mask change: a WireGuard fwmark keeps its other bits,
 * and the route is looked up again with the new mark.
 *
 * The source address was chosen by WireGuard's own route lookup (with the
 * main table, usually another uplink's address). As for the router's own
 * traffic balanced in flow.c, the uplink's masquerade rewrites it; a
 * conntrack entry made before a set changed holds the old uplink's binding,
 * so changes drop the entries of the flows to the endpoints they touch
 * (mwan_wg_ct_flush()).
 *
 * Sets are looked up in the netns the packet travels in, the one of
 * WireGuard's socket: that is the device's own unless the device was moved
 * to another netns after it was created (its sockets stay behind), and such
 * a device is not steered.
 *
 * The data path takes no lock and allocates nothing: endpoints come from an
 * RCU rhltable, counters are per CPU.
 */
#include "wg.h"
#include "mwan.h"
#include "uplink.h"

#include <linux/list_sort.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/rtnetlink.h>
#include <net/sock.h>

static const struct rhashtable_params wg_params = {
	.key_len = sizeof(struct mwan_wg_key),
	.key_offset = offsetof(struct mwan_wg_ep, key),
	.head_offset = offsetof(struct mwan_wg_ep, node),
	.automatic_shrinking = true,
};

bool mwan_wg_dev_is_wg(const struct net_device *dev)
{
	return dev->rtnl_link_ops && dev->rtnl_link_ops->kind &&
	       !strcmp(dev->rtnl_link_ops->kind, "wireguard");
}

static void wg_count(struct mwan_wg_set *set)
{
	mwan_pcpu_packets_inc(set->stats);
}

/* The bound endpoint of a set of the socket's device that key names. */
static const struct mwan_wg_ep *wg_lookup(struct net *net,
					  const struct mwan_wg_key *key,
					  const void *wg)
{
	struct mwan_net *mn = mwan_net(net);
	const struct mwan_wg_ep *ep;
	struct rhlist_head *list, *pos;
	struct net_device *dev;
	int ifindex;

	list = rhltable_lookup(&mn->wg_eps, key, wg_params);
	rhl_for_each_entry_rcu(ep, pos, list, node) {
		ifindex = READ_ONCE(ep->set->ifindex);
		if (!ifindex)
			continue;
		dev = dev_get_by_index_rcu(net, ifindex);
		if (dev && netdev_priv(dev) == wg)
			return ep;
	}
	return NULL;
}

static bool wg_key_fill(struct sk_buff *skb, const struct nf_hook_state *state,
			struct mwan_wg_key *key)
{
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int thoff;

	memset(key, 0, sizeof(*key));
	if (state->pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
			return false;
		key->family = AF_INET;
		memcpy(key->addr, &iph->daddr, sizeof(iph->daddr));
		thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (ip6h->nexthdr != IPPROTO_UDP)
			return false;
		key->family = AF_INET6;
		memcpy(key->addr, &ip6h->daddr, sizeof(ip6h->daddr));
		thoff = skb_network_offset(skb) + sizeof(*ip6h);
	}
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return false;
	key->port = uh->dest;
	return true;
}

static unsigned int wg_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct sock *sk = state->sk;
	const struct mwan_wg_ep *ep;
	struct mwan_wg_key key;
	const void *wg;
	u32 old;
	int err;

	if (!sk || !sk_fullsock(sk) || sk->sk_protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	wg = rcu_dereference_sk_user_data(sk);
	if (!wg || !wg_key_fill(skb, state, &key))
		return NF_ACCEPT;
	ep = wg_lookup(state->net, &key, wg);
	if (!ep)
		return NF_ACCEPT;
	wg_count(ep->set);
	old = skb->mark;
	skb->mark = (old & ~mwan_mark_mask) | ep->mark;
	if (skb->mark == old)
		return NF_ACCEPT;
	if (state->pf == NFPROTO_IPV4)
		err = ip_route_me_harder(state->net, sk, skb, RTN_UNSPEC);
	else
		err = ip6_route_me_harder(state->net, sk, skb);
	return err < 0 ? NF_DROP_ERR(err) : NF_ACCEPT;
}

/* After conntrack, before flow.c's hook at mangle priority. */
static const struct nf_hook_ops wg_ops[] = {
	{
		.hook = wg_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_MANGLE - 1,
	},
	{
		.hook = wg_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_MANGLE - 1,
	},
};

/* Hooks while the netns has sets, none without. */
static int wg_hooks_update(struct mwan_net *mn)
{
	int ret;

	lockdep_assert_held(&mn->lock);
	if (mn->wg_hooks == !list_empty(&mn->wg_sets))
		return 0;
	if (mn->wg_hooks) {
		nf_unregister_net_hooks(mn->net, wg_ops, ARRAY_SIZE(wg_ops));
		mn->wg_hooks = false;
		return 0;
	}
	ret = nf_register_net_hooks(mn->net, wg_ops, ARRAY_SIZE(wg_ops));
	if (!ret)
		mn->wg_hooks = true;
	return ret;
}

int mwan_wg_net_init(struct mwan_net *mn)
{
	INIT_LIST_HEAD(&mn->wg_sets);
	return rhltable_init(&mn->wg_eps, &wg_params);
}

void mwan_wg_net_exit(struct mwan_net *mn)
{
	rhltable_destroy(&mn->wg_eps);
}

static int set_cmp(const struct mwan_wg_set *a, const char *ifname,
		   const u8 *peer)
{
	return strcmp(a->ifname, ifname) ?:
	       memcmp(a->peer, peer, MWAN_WG_KEY_LEN);
}

struct mwan_wg_set *mwan_wg_find(struct mwan_net *mn, const char *ifname,
				 const u8 *peer)
{
	struct mwan_wg_set *set;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(set, &mn->wg_sets, list)
		if (!set_cmp(set, ifname, peer))
			return set;
	return NULL;
}

struct mwan_wg_set *mwan_wg_nth(struct mwan_net *mn, long idx)
{
	struct mwan_wg_set *set;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry(set, &mn->wg_sets, list)
		if (idx-- == 0)
			return set;
	return NULL;
}

static struct mwan_wg_ver *set_ver(struct mwan_net *mn,
				   const struct mwan_wg_set *set)
{
	return rcu_dereference_protected(set->ver, lockdep_is_held(&mn->lock));
}

static bool routable(struct net *net, const struct mwan_wg_key *key)
{
	bool ok;

	rcu_read_lock();
	if (key->family == AF_INET) {
		struct flowi4 fl4 = {};
		struct fib_result res;

		memcpy(&fl4.daddr, key->addr, sizeof(fl4.daddr));
		ok = !fib_lookup(net, &fl4, &res, FIB_LOOKUP_NOREF) &&
		     res.type == RTN_UNICAST;
	} else {
		struct flowi6 fl6 = {};
		struct fib6_result res = {};

		memcpy(&fl6.daddr, key->addr, sizeof(fl6.daddr));
		ok = !ipv6_stub->fib6_lookup(net, 0, &fl6, &res, 0) &&
		     res.f6i && res.f6i != net->ipv6.fib6_null_entry &&
		     res.fib6_type == RTN_UNICAST;
	}
	rcu_read_unlock();
	return ok;
}

/* Returns whether the active endpoint or the usable ones changed. */
static bool set_update(struct mwan_net *mn, struct mwan_wg_set *set)
{
	const struct mwan_wg_ver *ver = set_ver(mn, set);
	const struct mwan_wg_ep *ep;
	int active = -1;
	u32 usable = 0;
	unsigned int i;

	for (i = 0; i < ver->n; i++) {
		ep = &ver->ep[i];
		if (ep->up ? READ_ONCE(ep->up->state) != MWAN_STATE_UP :
			     !routable(mn->net, &ep->key))
			continue;
		usable |= BIT(i);
		if (active < 0)
			active = i;
	}
	if (usable == set->usable && active == set->active)
		return false;
	set->usable = usable;
	set->active = active;
	return true;
}

void mwan_wg_refresh(struct mwan_net *mn)
{
	struct mwan_wg_set *set;

	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);
	list_for_each_entry(set, &mn->wg_sets, list)
		if (set_update(mn, set))
			mwan_netlink_notify_wg(mn, set, MWAN_CMD_WG_SET);
}

static void ver_unhash(struct mwan_net *mn, struct mwan_wg_ver *ver,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ver->ep[i].up)
			rhltable_remove(&mn->wg_eps, &ver->ep[i].node,
					wg_params);
}

/* A new version of set's endpoints, hashed (the bound ones). */
static struct mwan_wg_ver *ver_new(struct mwan_net *mn,
				   struct mwan_wg_set *set,
				   const struct mwan_wg_req *req)
{
	struct mwan_wg_ver *ver;
	struct mwan_wg_ep *ep;
	unsigned int i;
	int ret;

	ver = kzalloc(sizeof(*ver), GFP_KERNEL_ACCOUNT);
	if (!ver)
		return ERR_PTR(-ENOMEM);
	ver->n = req->n;
	for (i = 0; i < req->n; i++) {
		ep = &ver->ep[i];
		ep->key = req->key[i];
		ep->set = set;
		ep->up = req->up[i];
		if (!ep->up)
			continue;
		ep->mark = ep->up->mark;
		ret = rhltable_insert(&mn->wg_eps, &ep->node, wg_params);
		if (ret) {
			ver_unhash(mn, ver, i);
			kfree(ver);
			return ERR_PTR(ret);
		}
	}
	return ver;
}

static void set_free(struct mwan_wg_set *set)
{
	kfree(rcu_dereference_raw(set->ver));
	free_percpu(set->stats);
	kfree(set);
}

static void set_free_rcu(struct rcu_head *rcu)
{
	set_free(container_of(rcu, struct mwan_wg_set, rcu));
}

static void set_insert_sorted(struct mwan_net *mn, struct mwan_wg_set *set)
{
	struct mwan_wg_set *pos;

	list_for_each_entry(pos, &mn->wg_sets, list) {
		if (set_cmp(pos, set->ifname, set->peer) > 0) {
			list_add_tail(&set->list, &pos->list);
			return;
		}
	}
	list_add_tail(&set->list, &mn->wg_sets);
}

struct mwan_wg_set *mwan_wg_add(struct mwan_net *mn, const char *ifname,
				int ifindex, const u8 *peer,
				const struct mwan_wg_req *req)
{
	struct mwan_wg_ver *ver;
	struct mwan_wg_set *set;
	int ret;

	lockdep_assert_held(&mn->lock);
	set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (!set)
		return ERR_PTR(-ENOMEM);
	set->stats = mwan_pcpu_packets_alloc();
	if (!set->stats) {
		kfree(set);
		return ERR_PTR(-ENOMEM);
	}
	strscpy(set->ifname, ifname, sizeof(set->ifname));
	memcpy(set->peer, peer, MWAN_WG_KEY_LEN);
	set->ifindex = ifindex;
	set->active = -1;
	ver = ver_new(mn, set, req);
	if (IS_ERR(ver)) {
		ret = PTR_ERR(ver);
		goto err_set;
	}
	RCU_INIT_POINTER(set->ver, ver);
	set_insert_sorted(mn, set);
	ret = wg_hooks_update(mn);
	if (ret)
		goto err_list;
	mn->n_wg++;
	set_update(mn, set);
	mwan_net_changed(mn);
	return set;

err_list:
	list_del(&set->list);
	ver_unhash(mn, ver, ver->n);
	/* Only the hash table may have seen the endpoints. */
	synchronize_rcu();
err_set:
	set_free(set);
	return ERR_PTR(ret);
}

int mwan_wg_replace(struct mwan_net *mn, struct mwan_wg_set *set,
		    const struct mwan_wg_req *req)
{
	struct mwan_wg_ver *old = set_ver(mn, set);
	struct mwan_wg_ver *ver;

	ver = ver_new(mn, set, req);
	if (IS_ERR(ver))
		return PTR_ERR(ver);
	rcu_assign_pointer(set->ver, ver);
	ver_unhash(mn, old, old->n);
	kfree_rcu(old, rcu);
	set_update(mn, set);
	return 0;
}

void mwan_wg_del(struct mwan_net *mn, struct mwan_wg_set *set)
{
	lockdep_assert_held(&mn->lock);
	list_del(&set->list);
	mn->n_wg--;
	ver_unhash(mn, set_ver(mn, set), set_ver(mn, set)->n);
	wg_hooks_update(mn);
	mwan_net_changed(mn);
	call_rcu(&set->rcu, set_free_rcu);
}

void mwan_wg_flush(struct mwan_net *mn)
{
	struct mwan_wg_set *set, *tmp;

	list_for_each_entry_safe(set, tmp, &mn->wg_sets, list)
		mwan_wg_del(mn, set);
}

bool mwan_wg_using(struct mwan_net *mn, const struct mwan_uplink *up)
{
	const struct mwan_wg_set *set;
	const struct mwan_wg_ver *ver;
	unsigned int i;

	list_for_each_entry(set, &mn->wg_sets, list) {
		ver = set_ver(mn, set);
		for (i = 0; i < ver->n; i++)
			if (ver->ep[i].up == up)
				return true;
	}
	return false;
}

u64 mwan_wg_packets(const struct mwan_wg_set *set)
{
	return mwan_pcpu_packets_sum(set->stats);
}

static int set_list_cmp(void *priv, const struct list_head *a,
			const struct list_head *b)
{
	const struct mwan_wg_set *sb = list_entry(b, struct mwan_wg_set, list);

	return set_cmp(list_entry(a, struct mwan_wg_set, list), sb->ifname,
		       sb->peer);
}

/* Returns whether the set's device changed (as a GET shows it). */
static bool set_netdev_event(struct mwan_wg_set *set, struct net_device *dev,
			     unsigned long event)
{
	if (set->ifindex == dev->ifindex) {
		if (event == NETDEV_UNREGISTER) {
			WRITE_ONCE(set->ifindex, 0);
			return true;
		}
		if (event == NETDEV_CHANGENAME) {
			strscpy(set->ifname, dev->name, sizeof(set->ifname));
			return true;
		}
		return false;
	}
	if (!set->ifindex && (event == NETDEV_REGISTER ||
			      event == NETDEV_CHANGENAME) &&
	    !strcmp(set->ifname, dev->name) && mwan_wg_dev_is_wg(dev)) {
		WRITE_ONCE(set->ifindex, dev->ifindex);
		return true;
	}
	return false;
}

void mwan_wg_netdev_event(struct mwan_net *mn, struct net_device *dev,
			  unsigned long event)
{
	struct mwan_wg_set *set;
	bool changed = false;

	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);
	list_for_each_entry(set, &mn->wg_sets, list) {
		if (!set_netdev_event(set, dev, event))
			continue;
		changed = true;
		mwan_netlink_notify_wg(mn, set, MWAN_CMD_WG_SET);
	}
	if (!changed)
		return;
	if (event == NETDEV_CHANGENAME)
		list_sort(NULL, &mn->wg_sets, set_list_cmp);
	mwan_net_changed(mn);
}

void mwan_wg_flush_add(struct mwan_wg_flush *fl, const struct mwan_wg_set *set)
{
	const struct mwan_wg_ver *ver = rcu_dereference_raw(set->ver);
	unsigned int i;

	for (i = 0; i < ver->n && fl->n < ARRAY_SIZE(fl->key); i++)
		fl->key[fl->n++] = ver->ep[i].key;
}

static int ct_to_endpoint(struct nf_conn *ct, void *data)
{
	const struct nf_conntrack_tuple *t =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct mwan_wg_flush *fl = data;
	const struct mwan_wg_key *key;
	unsigned int i;

	if (t->dst.protonum != IPPROTO_UDP)
		return 0;
	for (i = 0; i < fl->n; i++) {
		key = &fl->key[i];
		if (t->src.l3num == key->family && t->dst.u.udp.port == key->port &&
		    !memcmp(&t->dst.u3, key->addr,
			    key->family == AF_INET ? 4 : 16))
			return 1;
	}
	return 0;
}

void mwan_wg_ct_flush(struct mwan_net *mn, const struct mwan_wg_flush *fl)
{
	struct nf_ct_iter_data data = {
		.net = mn->net,
		.data = (void *)fl,
	};

	if (fl->n)
		nf_ct_iterate_cleanup_net(ct_to_endpoint, &data);
}
