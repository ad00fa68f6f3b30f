// SPDX-License-Identifier: GPL-2.0
/*
 * 1:1 IPv4 NAT per uplink, address to address or prefix to prefix of equal
 * length (NETMAP-style: the host bits stay): the source of packets leaving
 * through an uplink and the destination of packets arriving from it are
 * rewritten, statelessly, with every checksum fixed incrementally: the IP
 * header's, TCP's and UDP's over the pseudo-header (a UDP checksum of zero
 * stays zero; CHECKSUM_PARTIAL packets get their pseudo-header seed fixed
 * instead), and for ICMP errors the quoted packet's address, its header
 * checksum, its TCP or UDP checksum when the quote reaches it, and the ICMP
 * checksum over all of that. Only the first fragment of a packet carries
 * the transport header.
 *
 * The hooks sit where npt.c's do, for the same reasons (see there): inbound
 * before conntrack, outbound after every filter and NAT hook, and a null
 * source NAT binding for new connections of mapped hosts so that the
 * uplink's masquerade leaves them alone.
 */
#include "mwan.h"
#include "xlate.h"

#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

/* The address addr maps to from side, and its mapping; false if none. */
static bool nat_find(struct mwan_net *mn, const struct mwan_xlate_up *xup,
		     u32 index, int side, __be32 addr, __be32 *new,
		     struct mwan_xlate **mapp)
{
	const struct mwan_xlate_node *node;
	const struct mwan_xlate_ver *ver;
	struct mwan_xlate *map;
	__be32 to, mask;

	node = mwan_xlate_lookup(mn, MWAN_XLATE_NAT, xup, index, side, &addr);
	if (!node)
		return false;
	if (side == MWAN_XLATE_INSIDE) {
		map = container_of(node, struct mwan_xlate, node);
		ver = rcu_dereference(map->ver);
		memcpy(&to, ver->node.key.addr, sizeof(to));
	} else {
		ver = container_of(node, struct mwan_xlate_ver, node);
		map = ver->map;
		memcpy(&to, map->node.key.addr, sizeof(to));
	}
	mask = inet_make_mask(node->key.len);
	*new = (addr & ~mask) | (to & mask);
	*mapp = map;
	return true;
}

/* Where the checksum of a transport protocol with a pseudo-header is. */
static int l4_check_offset(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return offsetof(struct tcphdr, check);
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return offsetof(struct udphdr, check);
	}
	return -1;
}

/* The transport checksum of skb at thoff after an address went old -> new. */
static bool nat_l4(struct sk_buff *skb, unsigned int thoff, u8 proto,
		   __be32 old, __be32 new)
{
	int off = l4_check_offset(proto);
	__sum16 *check;

	if (off < 0 || skb->len < thoff + off + sizeof(*check))
		return true;
	if (skb_ensure_writable(skb, thoff + off + sizeof(*check)))
		return false;
	check = (__sum16 *)(skb->data + thoff + off);
	if (proto == IPPROTO_UDP && !*check &&
	    skb->ip_summed != CHECKSUM_PARTIAL)
		return true;
	inet_proto_csum_replace4(check, skb, old, new, true);
	if (proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	return true;
}

/* Rewrites the packet's source (src) or destination address to new. */
static bool nat_l3(struct sk_buff *skb, bool src, __be32 new)
{
	unsigned int nh = skb_network_offset(skb);
	struct iphdr *iph;
	__be32 old, *p;

	if (skb_ensure_writable(skb, nh + sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	p = src ? &iph->saddr : &iph->daddr;
	old = *p;
	*p = new;
	csum_replace4(&iph->check, old, new);
	if (iph->frag_off & htons(IP_OFFSET))
		return true;
	return nat_l4(skb, nh + ip_hdrlen(skb), iph->protocol, old, new);
}

/*
 * The checksum of the TCP or UDP header quoted at l4 (when the quote reaches
 * it) after its packet's address went old -> new; the ICMP checksum at icmp
 * follows unless the device computes it.
 */
static bool nat_quoted_l4(struct sk_buff *skb, unsigned int icmp,
			  unsigned int l4, u8 proto, __be32 old, __be32 new)
{
	int off = l4_check_offset(proto);
	struct icmphdr *ih;
	__sum16 *check, before;

	if (off < 0 || skb->len < l4 + off + sizeof(*check))
		return true;
	if (skb_ensure_writable(skb, l4 + off + sizeof(*check)))
		return false;
	check = (__sum16 *)(skb->data + l4 + off);
	if (proto == IPPROTO_UDP && !*check)
		return true;
	before = *check;
	csum_replace4(check, old, new);
	if (proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	ih = (struct icmphdr *)(skb->data + icmp);
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		csum_replace2(&ih->checksum, (__force __be16)before,
			      (__force __be16)*check);
	return true;
}

/*
 * In an ICMP error, the quoted packet's destination (out: it came in and was
 * translated to the inside) or source (!out: it went out translated).
 */
static bool nat_icmp(struct mwan_net *mn, const struct mwan_xlate_up *xup,
		     u32 index, struct sk_buff *skb, bool out, bool counted)
{
	unsigned int icmp = skb_network_offset(skb) + ip_hdrlen(skb), inner;
	const struct iphdr *iph = ip_hdr(skb);
	struct iphdr _in, *in;
	struct icmphdr _ih, *ih;
	struct mwan_xlate *map;
	__be32 old, new, *p;
	__sum16 before;

	if (iph->protocol != IPPROTO_ICMP || (iph->frag_off & htons(IP_OFFSET)))
		return true;
	ih = skb_header_pointer(skb, icmp, sizeof(_ih), &_ih);
	if (!ih || !icmp_is_err(ih->type))
		return true;
	inner = icmp + sizeof(_ih);
	in = skb_header_pointer(skb, inner, sizeof(_in), &_in);
	if (!in || in->version != 4 || in->ihl < 5)
		return true;
	old = out ? in->daddr : in->saddr;
	if (!nat_find(mn, xup, index, out ? MWAN_XLATE_INSIDE :
			MWAN_XLATE_OUTSIDE, old, &new, &map))
		return true;
	if (skb_ensure_writable(skb, inner + sizeof(*in)))
		return false;
	ih = (struct icmphdr *)(skb->data + icmp);
	in = (struct iphdr *)(skb->data + inner);
	p = out ? &in->daddr : &in->saddr;
	*p = new;
	before = in->check;
	csum_replace4(&in->check, old, new);
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		csum_replace4(&ih->checksum, old, new);
		csum_replace2(&ih->checksum, (__force __be16)before,
			      (__force __be16)in->check);
	}
	if (!counted)
		mwan_xlate_count(map);
	if (in->frag_off & htons(IP_OFFSET))
		return true;
	return nat_quoted_l4(skb, icmp, inner + in->ihl * 4, in->protocol,
			     old, new);
}

static unsigned int nat_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	bool out = state->hook == NF_INET_POST_ROUTING;
	struct mwan_net *mn = mwan_net(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct mwan_xlate_up *xup;
	struct mwan_xlate *map;
	bool done = false;
	__be32 new;
	u32 index;

	xup = mwan_xlate_dev(mn, MWAN_XLATE_NAT, out ? state->out : state->in,
			     &index);
	if (!xup)
		return NF_ACCEPT;
	if (nat_find(mn, xup, index,
		     out ? MWAN_XLATE_INSIDE : MWAN_XLATE_OUTSIDE,
		     out ? iph->saddr : iph->daddr, &new, &map)) {
		if (!nat_l3(skb, out, new))
			return NF_DROP;
		mwan_xlate_count(map);
		done = true;
	}
	return nat_icmp(mn, xup, index, skb, out, done) ? NF_ACCEPT : NF_DROP;
}

/* Keeps masquerade off new connections from mapped sources (see npt.c). */
static unsigned int nat_nat_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return mwan_xlate_null_binding(skb, state, MWAN_XLATE_NAT, &ip_hdr(skb)->saddr);
}

static const struct nf_hook_ops nat_ops[] = {
	{
		.hook = nat_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = nat_nat_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook = nat_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_LAST,
	},
};

static int nat_enable(struct mwan_net *mn)
{
	return mwan_xlate_hooks_register(mn->net, NFPROTO_IPV4, nat_ops,
					 ARRAY_SIZE(nat_ops));
}

static void nat_disable(struct mwan_net *mn)
{
	mwan_xlate_hooks_unregister(mn->net, NFPROTO_IPV4, nat_ops, ARRAY_SIZE(nat_ops));
}

const struct mwan_xlate_kind_ops mwan_nat_ops = {
	.name = "nat",
	.alen = sizeof(struct in_addr),
	.max_len = 32,
	.enable = nat_enable,
	.disable = nat_disable,
};
