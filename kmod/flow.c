// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow uplink selection at PREROUTING (forwarded traffic) and LOCAL_OUT
 * (the router's own, rerouted after the mark changes), at mangle priority,
 * after conntrack. The choice lives in the conntrack mark under mark_mask
 * (layout in lib/mark.h): index 0 = not classified yet, PASS = leave the flow
 * to the main table, else an uplink, plus the INBOUND bit for connections
 * that arrived on an uplink. The packet mark gets the uplink's mark, which
 * the "fwmark MARK/MASK lookup TABLE" rule routes out of that uplink.
 *
 * The router's own packets that already carry a mark under mask when they
 * reach LOCAL_OUT (a socket with SO_MARK, such as mwan-healthd's probes,
 * which must leave through the uplink they test whatever its state) are
 * never balanced: their flow is PASS.
 *
 * Only packets travelling "outward" get the mark: the original direction of
 * a balanced flow, the reply direction of an inbound one. Replies of
 * balanced flows (going back to the LAN) and the inbound direction of inbound
 * flows keep whatever mark they have, so no packet needs a FIB lookup; a new
 * flow costs one, to leave local and directly connected destinations alone
 * (unless the matching rule names its destination).
 *
 * A flow pinned to an uplink that is no longer up is chosen again on its next
 * outward packet, but only if conntrack has no source NAT binding for it: a
 * masquerade binding holds the old uplink's address, which the new uplink
 * must not send, and a live conntrack entry cannot be re-NATed. Such a flow's
 * entry is killed and the packet dropped; the next packet then starts a new
 * entry that is classified and masqueraded afresh. To spare flows that lost
 * packet, mwan_flow_uplink_down() kills these entries as soon as the uplink
 * goes down (from a work item, not the packet path), and only those: flows
 * on uplinks that are up, inbound flows and unbalanced ones are untouched.
 *
 * The data path takes no lock and allocates nothing: rules come from an RCU
 * snapshot, policies from RCU versions, uplinks from an RCU-safe xarray by
 * mark index, counters are per CPU.
 */
#include "flow.h"
#include "mwan.h"
#include "policy.h"
#include "rule.h"
#include "uplink.h"
#include "lib/mark.h"
#include "lib/ruleset.h"
#include "lib/sticky.h"

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/timekeeping.h>
#include <net/addrconf.h>
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>

/* Under mwan_mark_mask, fixed at load. */
static u32 flag_bit __read_mostly;
static u32 pass_index __read_mostly;

static void ct_mark_set(struct nf_conn *ct, u32 bits)
{
	u32 old = READ_ONCE(ct->mark);
	u32 new = (old & ~mwan_mark_mask) | bits;

	if (new == old)
		return;
	WRITE_ONCE(ct->mark, new);
	nf_conntrack_event_cache(IPCT_MARK, ct);
}

/* The flow is left to the main routing table for its lifetime. */
static unsigned int flow_pass(struct nf_conn *ct)
{
	ct_mark_set(ct, mwan_mark_from_index(mwan_mark_mask, pass_index));
	return NF_ACCEPT;
}

static void uplink_count(struct mwan_uplink *up, unsigned int len, bool flow)
{
	struct mwan_uplink_stats *s = this_cpu_ptr(up->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	if (flow)
		u64_stats_inc(&s->flows);
	u64_stats_update_end(&s->syncp);
}

static void rule_count(struct mwan_rule *rule)
{
	mwan_pcpu_packets_inc(rule->stats);
}

/* Sends the packet out of up: the mark, and at LOCAL_OUT a new route. */
static unsigned int send_via(struct mwan_uplink *up, struct sk_buff *skb,
			     const struct nf_hook_state *state, bool flow)
{
	u32 old = skb->mark;
	int err = 0;

	skb->mark = (old & ~mwan_mark_mask) | up->mark;
	uplink_count(up, skb->len, flow);
	if (state->hook != NF_INET_LOCAL_OUT || skb->mark == old)
		return NF_ACCEPT;
	if (state->pf == NFPROTO_IPV4)
		err = ip_route_me_harder(state->net, state->sk, skb, RTN_UNSPEC);
	else
		err = ip6_route_me_harder(state->net, state->sk, skb);
	return err < 0 ? NF_DROP_ERR(err) : NF_ACCEPT;
}

static void key_fill(struct mwan_pkt_key *key, const struct nf_conn *ct,
		     const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple *t =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	size_t len = state->pf == NFPROTO_IPV4 ? 4 : 16;

	memset(key, 0, sizeof(*key));
	key->family = state->pf == NFPROTO_IPV4 ? MWAN_FAMILY_INET :
						  MWAN_FAMILY_INET6;
	memcpy(key->src, &t->src.u3, len);
	memcpy(key->dst, &t->dst.u3, len);
	key->proto = t->dst.protonum;
	if (mwan_proto_has_ports(key->proto)) {
		key->sport = ntohs(t->src.u.all);
		key->dport = ntohs(t->dst.u.all);
	}
	key->iif = state->in ? state->in->ifindex : 0;
}

/*
 * Local, broadcast, multicast and anycast destinations, and on-link ones (a
 * route with no gateway and a prefix: a default route through a
 * point-to-point device is an uplink's, not a connected network).
 */
static bool direct4(struct net *net, const u8 *dst)
{
	struct flowi4 fl4 = {};
	struct fib_result res;

	memcpy(&fl4.daddr, dst, sizeof(fl4.daddr));
	if (fib_lookup(net, &fl4, &res, FIB_LOOKUP_NOREF))
		return false;
	if (res.type != RTN_UNICAST)
		return res.type == RTN_LOCAL || res.type == RTN_BROADCAST ||
		       res.type == RTN_MULTICAST;
	return res.prefixlen && !FIB_RES_NHC(res)->nhc_gw_family;
}

static bool direct6(struct net *net, const u8 *dst)
{
	struct flowi6 fl6 = {};
	struct fib6_result res = {};

	memcpy(&fl6.daddr, dst, sizeof(fl6.daddr));
	if (ipv6_addr_is_multicast(&fl6.daddr))
		return true;
	if (ipv6_stub->fib6_lookup(net, 0, &fl6, &res, 0) || !res.f6i ||
	    res.f6i == net->ipv6.fib6_null_entry)
		return false;
	if (res.fib6_type != RTN_UNICAST)
		return res.fib6_type == RTN_LOCAL ||
		       res.fib6_type == RTN_ANYCAST;
	return res.f6i->fib6_dst.plen && res.nh && !res.nh->fib_nh_gw_family;
}

static bool direct(const struct nf_hook_state *state,
		   const struct mwan_pkt_key *key)
{
	return state->pf == NFPROTO_IPV4 ? direct4(state->net, key->dst) :
					   direct6(state->net, key->dst);
}

static struct mwan_uplink *uplink_of_dev(struct mwan_net *mn, int ifindex)
{
	struct mwan_uplink *up;

	list_for_each_entry_rcu(up, &mn->uplinks, list)
		if (READ_ONCE(up->ifindex) == ifindex)
			return up;
	return NULL;
}

static unsigned int send_unreach(struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	if (state->pf == NFPROTO_IPV4)
		nf_send_unreach(skb, ICMP_HOST_UNREACH, state->hook);
	else
		nf_send_unreach6(state->net, skb, ICMPV6_NOROUTE, state->hook);
	return NF_DROP;
}

/* A flow without an uplink (new, or pinned to one that is not up). */
static unsigned int classify(struct mwan_net *mn, struct nf_conn *ct,
			     struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct mwan_snap *snap = rcu_dereference(mn->snap);
	struct mwan_uplink *up = NULL;
	struct mwan_pkt_key key;
	struct mwan_rule *rule;
	u32 now = 0, sticky = 0;

	if (!snap)
		goto pass;
	key_fill(&key, ct, state);
	rule = mwan_rule_lookup(snap, &key);
	if (!rule)
		goto pass;
	rule_count(rule);
	if (!rule->spec.dst_len && direct(state, &key))
		goto pass;
	if (rule->st) {
		now = (u32)ktime_get_boottime_seconds();
		sticky = mwan_sticky_lookup(rule->st, key.src, sizeof(key.src),
					    now, rule->sticky);
	}
	switch (mwan_policy_choose(rule->policy, sticky, &up)) {
	case MWAN_CHOSE_UPLINK:
		break;
	case MWAN_CHOSE_BLACKHOLE:
		return NF_DROP;
	case MWAN_CHOSE_UNREACHABLE:
		return send_unreach(skb, state);
	default:
		goto pass;
	}
	if (rule->st)
		mwan_sticky_update(rule->st, key.src, sizeof(key.src),
				   mwan_mark_to_index(mwan_mark_mask, up->mark),
				   now);
	ct_mark_set(ct, up->mark);
	return send_via(up, skb, state, true);
pass:
	return flow_pass(ct);
}

/* Keeps a sticky rule's entry fresh while its flows last (once a second). */
static void sticky_refresh(struct mwan_net *mn, const struct nf_conn *ct,
			   const struct nf_hook_state *state, u32 index)
{
	const struct mwan_snap *snap = rcu_dereference(mn->snap);
	struct mwan_pkt_key key;
	struct mwan_rule *rule;

	if (!snap || !snap->sticky)
		return;
	key_fill(&key, ct, state);
	rule = mwan_rule_lookup(snap, &key);
	if (rule && rule->st)
		mwan_sticky_update(rule->st, key.src, sizeof(key.src), index,
				   (u32)ktime_get_boottime_seconds());
}

static unsigned int flow_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct mwan_net *mn = mwan_net(state->net);
	enum ip_conntrack_info ctinfo;
	struct mwan_uplink *up;
	struct nf_conn *ct;
	bool inbound;
	u32 cmark, idx;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_is_template(ct))
		return NF_ACCEPT;
	cmark = READ_ONCE(ct->mark);
	idx = mwan_mark_to_index(mwan_mark_mask, cmark);
	if (idx == pass_index)
		return NF_ACCEPT;
	if (!idx) {
		if (CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL ||
		    nf_ct_is_confirmed(ct))
			return NF_ACCEPT;
		if (state->hook == NF_INET_PRE_ROUTING) {
			up = uplink_of_dev(mn, state->in->ifindex);
			if (up) {
				ct_mark_set(ct, flag_bit | up->mark);
				return NF_ACCEPT;
			}
		} else if (skb->mark & mwan_mark_mask) {
			/* The socket chose its uplink (SO_MARK): probes. */
			return flow_pass(ct);
		}
		return classify(mn, ct, skb, state);
	}
	inbound = cmark & flag_bit;
	if (inbound != (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY))
		return NF_ACCEPT;
	up = xa_load(&mn->by_index, idx);
	/* An answer leaves where its connection came in, or not at all. */
	if (inbound)
		return up ? send_via(up, skb, state, false) : NF_ACCEPT;
	if (up && READ_ONCE(up->state) == MWAN_STATE_UP) {
		sticky_refresh(mn, ct, state, idx);
		return send_via(up, skb, state, false);
	}
	if (test_bit(IPS_SRC_NAT_BIT, &ct->status)) {
		nf_ct_kill(ct);
		return NF_DROP;
	}
	return classify(mn, ct, skb, state);
}

static const struct nf_hook_ops flow_ops[] = {
	{
		.hook = flow_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_MANGLE,
	},
	{
		.hook = flow_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_MANGLE,
	},
	{
		.hook = flow_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_MANGLE,
	},
	{
		.hook = flow_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_MANGLE,
	},
};

/* Conntrack runs in a netns only while someone asks for it: we do. */
int mwan_flow_enable(struct mwan_net *mn)
{
	int ret;

	lockdep_assert_held(&mn->lock);
	if (mn->hooks)
		return 0;
	ret = nf_ct_netns_get(mn->net, NFPROTO_INET);
	if (ret)
		return ret;
	ret = nf_register_net_hooks(mn->net, flow_ops, ARRAY_SIZE(flow_ops));
	if (ret) {
		nf_ct_netns_put(mn->net, NFPROTO_INET);
		return ret;
	}
	mn->hooks = true;
	return 0;
}

void mwan_flow_disable(struct mwan_net *mn)
{
	lockdep_assert_held(&mn->lock);
	if (!mn->hooks)
		return;
	nf_unregister_net_hooks(mn->net, flow_ops, ARRAY_SIZE(flow_ops));
	nf_ct_netns_put(mn->net, NFPROTO_INET);
	mn->hooks = false;
}

static int pinned_to_down(struct nf_conn *ct, void *data)
{
	struct mwan_net *mn = data;
	u32 cmark = READ_ONCE(ct->mark);
	u32 idx = mwan_mark_to_index(mwan_mark_mask, cmark);
	struct mwan_uplink *up;
	bool down;

	if (!idx || idx == pass_index || (cmark & flag_bit))
		return 0;
	rcu_read_lock();
	up = xa_load(&mn->by_index, idx);
	down = !up || READ_ONCE(up->state) != MWAN_STATE_UP;
	rcu_read_unlock();
	return down;
}

static void ct_cleanup(struct work_struct *work)
{
	struct mwan_net *mn = container_of(work, struct mwan_net, ct_work);
	struct nf_ct_iter_data data = {
		.net = mn->net,
		.data = mn,
	};

	nf_ct_iterate_cleanup_net(pinned_to_down, &data);
}

void mwan_flow_uplink_down(struct mwan_net *mn)
{
	schedule_work(&mn->ct_work);
}

void mwan_flow_sync(struct mwan_net *mn)
{
	flush_work(&mn->ct_work);
}

void mwan_flow_net_init(struct mwan_net *mn)
{
	flag_bit = mwan_mark_flag(mwan_mark_mask);
	pass_index = mwan_mark_pass(mwan_mark_mask);
	INIT_WORK(&mn->ct_work, ct_cleanup);
}

void mwan_flow_net_exit(struct mwan_net *mn)
{
	cancel_work_sync(&mn->ct_work);
}
