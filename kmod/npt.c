// SPDX-License-Identifier: GPL-2.0
/*
 * NPTv6 (RFC 6296) per uplink: the source prefix of packets leaving through
 * an uplink and the destination prefix of packets arriving from it are
 * rewritten with a checksum-neutral adjustment (lib/npt.c), so no transport
 * checksum changes and the rewrite is stateless.
 *
 * Placement, so that conntrack, the firewall and mwan's flow hook only ever
 * see inside addresses, with no NOTRACK (which ip6t_NPT needs):
 *
 *   PREROUTING, just after defragmentation (NF_IP6_PRI_CONNTRACK_DEFRAG
 *   + 1), before raw and conntrack: inbound destinations become inside
 *   addresses before anything looks at them.
 *
 *   POSTROUTING at NF_IP6_PRI_LAST: outbound sources become outside
 *   addresses after every filter and NAT hook. Conntrack's confirm hook has
 *   the same priority; the kernel runs a hook registered later before the
 *   earlier ones of equal priority (nf_hook_entries_grow()), so with
 *   conntrack taken first (mwan_xlate_hooks_register()) this one runs
 *   just before the confirm. That is as good as after it: the confirm
 *   hashes the tuples conntrack took at PREROUTING or LOCAL_OUT, from the
 *   inside address, and helpers compare payloads with those tuples, never
 *   with the packet's addresses.
 *
 *   POSTROUTING at NF_IP6_PRI_NAT_SRC - 1: a new connection whose source
 *   has a mapping on the output uplink gets a null source NAT binding, so
 *   that the uplink's masquerade rule does not apply to it: its replies
 *   must come to the outside address, and conntrack's reply tuple must keep
 *   the inside one. Hosts without a mapping keep the masquerade.
 *
 * ICMPv6 errors carry the packet they are about: for an error leaving
 * through the uplink, that packet came in translated, so its destination is
 * mapped inside to outside; for one arriving, its source outside to inside.
 * Both are checksum-neutral too. Extension headers before the ICMPv6 header
 * are skipped, and only the bytes rewritten are made writable, so
 * non-linear skbs cost no copy.
 *
 * Neighbour discovery messages are left alone: they concern the link (a
 * solicitation for an outside address is answered by proxy_ndp), not the
 * inside hosts.
 *
 * An address that RFC 6296 cannot map (subnet 0xffff of a /48 or shorter,
 * an all-ones interface identifier for longer prefixes) is dropped with an
 * ICMPv6 Parameter Problem pointing at it, as section 3.7 asks.
 */
#include "mwan.h"
#include "xlate.h"
#include "lib/npt.h"

#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

enum npt_result {
	NPT_NONE,		/* no mapping */
	NPT_DONE,
	NPT_BAD,		/* RFC 6296 cannot map it */
	NPT_DROP,		/* out of memory */
};

/*
 * Maps the address at off in skb from side to the other side; counts the
 * packet for its mapping unless it was counted already.
 */
static enum npt_result npt_addr(struct mwan_net *mn,
				const struct mwan_xlate_up *xup, u32 index,
				int side, struct sk_buff *skb, unsigned int off,
				bool counted)
{
	const struct mwan_xlate_node *node;
	const struct mwan_xlate_ver *ver;
	struct in6_addr buf, *p;
	struct mwan_xlate *map;
	const u8 *to;
	u16 adj;

	p = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!p)
		return NPT_NONE;
	node = mwan_xlate_lookup(mn, MWAN_XLATE_NPT, xup, index, side, p);
	if (!node)
		return NPT_NONE;
	if (side == MWAN_XLATE_INSIDE) {
		map = container_of(node, struct mwan_xlate, node);
		ver = rcu_dereference(map->ver);
		to = ver->node.key.addr;
		adj = ver->adj_out;
	} else {
		ver = container_of(node, struct mwan_xlate_ver, node);
		map = ver->map;
		to = map->node.key.addr;
		adj = ver->adj_in;
	}
	buf = *p;
	if (mwan_npt_translate(buf.s6_addr, to, node->key.len, adj) < 0)
		return NPT_BAD;
	if (skb_ensure_writable(skb, off + sizeof(buf)))
		return NPT_DROP;
	memcpy(skb->data + off, &buf, sizeof(buf));
	if (!counted)
		mwan_xlate_count(map);
	return NPT_DONE;
}

/* The ICMPv6 type of skb and the offset of its header, or -1. */
static int npt_icmp_type(struct sk_buff *skb, unsigned int *off)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	struct icmp6hdr _ih;
	const struct icmp6hdr *ih;
	__be16 frag_off;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				 sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_ICMPV6 || (frag_off & htons(~0x7)))
		return -1;
	ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
	if (!ih)
		return -1;
	*off = thoff;
	return ih->icmp6_type;
}

static unsigned int npt_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	bool out = state->hook == NF_INET_POST_ROUTING;
	struct mwan_net *mn = mwan_net(state->net);
	int side = out ? MWAN_XLATE_INSIDE : MWAN_XLATE_OUTSIDE;
	unsigned int field = out ? offsetof(struct ipv6hdr, saddr) :
				   offsetof(struct ipv6hdr, daddr);
	struct mwan_xlate_up *xup;
	enum npt_result res;
	unsigned int icmp = 0;
	u32 index;
	int type;

	xup = mwan_xlate_dev(mn, MWAN_XLATE_NPT, out ? state->out : state->in,
			     &index);
	if (!xup)
		return NF_ACCEPT;
	/*
	 * Neighbour discovery is about the link, not about the hosts behind
	 * the router: a unicast solicitation for an outside address (proxy_ndp)
	 * must reach the router as sent.
	 */
	type = npt_icmp_type(skb, &icmp);
	if (type >= NDISC_ROUTER_SOLICITATION && type <= NDISC_REDIRECT)
		return NF_ACCEPT;
	res = npt_addr(mn, xup, index, side, skb,
		       skb_network_offset(skb) + field, false);
	switch (res) {
	case NPT_BAD:
		icmpv6_send(skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD, field);
		return NF_DROP;
	case NPT_DROP:
		return NF_DROP;
	default:
		break;
	}
	if (type < 0 || !icmpv6_is_err(type))
		return NF_ACCEPT;
	/* The quoted packet went the other way: the other address. */
	field = out ? offsetof(struct ipv6hdr, daddr) :
		      offsetof(struct ipv6hdr, saddr);
	switch (npt_addr(mn, xup, index, side, skb,
			 icmp + sizeof(struct icmp6hdr) + field,
			 res == NPT_DONE)) {
	case NPT_BAD:
	case NPT_DROP:
		return NF_DROP;
	default:
		return NF_ACCEPT;
	}
}

/* Keeps masquerade off new connections from mapped sources (see above). */
static unsigned int npt_nat_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return mwan_xlate_null_binding(skb, state, MWAN_XLATE_NPT,
				       &ipv6_hdr(skb)->saddr);
}

static const struct nf_hook_ops npt_ops[] = {
	{
		.hook = npt_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = npt_nat_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP6_PRI_NAT_SRC - 1,
	},
	{
		.hook = npt_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP6_PRI_LAST,
	},
};

/* Conntrack first: see the ordering argument at the top. */
static int npt_enable(struct mwan_net *mn)
{
	return mwan_xlate_hooks_register(mn->net, NFPROTO_IPV6, npt_ops,
					 ARRAY_SIZE(npt_ops));
}

static void npt_disable(struct mwan_net *mn)
{
	mwan_xlate_hooks_unregister(mn->net, NFPROTO_IPV6, npt_ops, ARRAY_SIZE(npt_ops));
}

const struct mwan_xlate_kind_ops mwan_npt_ops = {
	.name = "npt",
	.alen = sizeof(struct in6_addr),
	.max_len = MWAN_NPT_LEN_MAX,
	.enable = npt_enable,
	.disable = npt_disable,
};
