/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classification rules ("mwanctl rule add"): an immutable, prefix-keyed
 * classifier built once from an array of rule specs, then queried without
 * locks, allocation or recursion on the packet path. The matching rule with
 * the lowest pref wins, as for "ip rule".
 *
 * Addresses are 16 bytes in network order. An IPv4 address or prefix uses
 * bytes 0..3; bytes 4..15 are zero in specs and ignored in packet keys (not
 * v4-mapped: the family alone says which it is).
 *
 * Layout: each rule is keyed by its source prefix if it has one, else by its
 * destination prefix if it has one, else it is a catch-all. For each family
 * there is one table per (key kind, prefix length) present: an
 * open-addressing hash (load at most 1/2) from the masked prefix to a node
 * holding the rules with that prefix in pref order. Rules of family "any"
 * cannot have prefixes; they join the catch-all tables of both families.
 *
 * Lookup visits a family's tables in order of the best pref each holds and
 * stops at the first table that cannot beat the best match found so far; in
 * a table it probes the masked key, and at a node walks rules in pref order up
 * to the first whose other matches (destination prefix of source-keyed rules,
 * protocol, ports, input interface) hold.
 *
 * Cost of a lookup, worst case: one probe per (key kind, prefix length)
 * present for the packet's family (at most 65 for IPv4, 257 for IPv6), each
 * probe reading at most the longest probe sequence recorded at build time
 * (short for any realistic set, as the load is at most 1/2), plus, at each
 * node found, the rules that share its prefix and are tried before one
 * matches. The last term is the only one that grows with the number of
 * rules: it is linear when many rules share one prefix (or are catch-alls)
 * and differ only in protocol, ports or interface. Distinct prefixes, in any
 * number, cost one probe per length.
 */
#ifndef _MWAN_LIB_RULESET_H
#define _MWAN_LIB_RULESET_H

#include "mwan_lib_types.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#define mwan_lib_calloc(n, size)	kvcalloc(n, size, GFP_KERNEL)
#define mwan_lib_free(p)		kvfree(p)
#define mwan_lib_sort(base, n, size, cmp) sort(base, n, size, cmp, NULL)
#else
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define mwan_lib_calloc(n, size)	calloc(n, size)
#define mwan_lib_free(p)		free(p)
#define mwan_lib_sort(base, n, size, cmp) qsort(base, n, size, cmp)
#endif

#define MWAN_FAMILY_ANY		0
#define MWAN_FAMILY_INET	4
#define MWAN_FAMILY_INET6	6

/* Rules in one ruleset; memory is at most about 120 bytes per rule. */
#define MWAN_RULESET_MAX	(1u << 20)

struct mwan_rule_spec {
	u32 pref;		/* unique in a ruleset */
	u32 id;			/* the caller's, returned untouched */
	u32 iif;		/* input ifindex, 0 = any */
	u16 sport_lo, sport_hi;	/* 0-65535 = any */
	u16 dport_lo, dport_hi;
	u8 family;		/* MWAN_FAMILY_*; ANY only without prefixes */
	u8 proto;		/* IP protocol, 0 = any */
	u8 src_len, dst_len;	/* 0 = any */
	u8 src[16], dst[16];	/* no bits set past the length */
};

/*
 * What the packet path fills in. sport and dport are only looked at when
 * mwan_proto_has_ports(proto): a rule with a port range never matches other
 * protocols (ICMP, ESP, ...).
 */
struct mwan_pkt_key {
	u8 src[16], dst[16];
	u32 iif;
	u16 sport, dport;
	u8 family;		/* MWAN_FAMILY_INET or MWAN_FAMILY_INET6 */
	u8 proto;
};

enum mwan_rule_check {
	MWAN_RULE_OK,
	MWAN_RULE_BAD_FAMILY,	/* not ANY, INET or INET6; or ANY with a prefix */
	MWAN_RULE_BAD_SRC,	/* longer than the family allows, or host bits set */
	MWAN_RULE_BAD_DST,
	MWAN_RULE_BAD_SPORT,	/* lo > hi */
	MWAN_RULE_BAD_DPORT,
	MWAN_RULE_BAD_PROTO,	/* ports without a protocol that has them */
};

struct mwan_ruleset;

/* TCP, UDP, DCCP, SCTP and UDP-Lite. */
bool mwan_proto_has_ports(u8 proto);

/*
 * Prefix of family INET (len 0..32, bytes 4..15 zero) or INET6 (len 0..128)
 * with no bit set past len.
 */
bool mwan_prefix_valid(u8 family, const u8 addr[16], u8 len);

enum mwan_rule_check mwan_rule_spec_check(const struct mwan_rule_spec *spec);

/*
 * Copies the specs (the caller may free them) and returns the ruleset, or
 * NULL with *err set: -EINVAL when a spec fails mwan_rule_spec_check(),
 * -EEXIST for a repeated pref, -E2BIG past MWAN_RULESET_MAX, -ENOMEM.
 * n may be 0. Sleeps (GFP_KERNEL); O(n log n).
 */
struct mwan_ruleset *mwan_ruleset_build(const struct mwan_rule_spec *specs,
					u32 n, int *err);

/* The caller must make sure no lookup still runs (e.g. after an RCU grace period). */
void mwan_ruleset_free(struct mwan_ruleset *rs);

/*
 * Position 0..n-1, in pref order, of the rule that matches the key with the
 * lowest pref, or -1. Reads the ruleset only: safe from any number of CPUs.
 */
int mwan_ruleset_lookup(const struct mwan_ruleset *rs,
			const struct mwan_pkt_key *key);

/*
 * As mwan_ruleset_lookup(), with the rules at the positions set in dead
 * (bit pos % 32 of dead[pos / 32]; NULL for none) taken as deleted: the
 * lookup goes on to the next match. This lets a caller delete rules from a
 * built ruleset without rebuilding it; each dead rule that a packet would
 * otherwise have hit costs that packet one more rule tried.
 */
int mwan_ruleset_lookup_live(const struct mwan_ruleset *rs,
			     const struct mwan_pkt_key *key, const u32 *dead);

static inline bool mwan_ruleset_dead(const u32 *dead, u32 pos)
{
	return dead && (dead[pos / 32] >> (pos % 32) & 1);
}

/* Position of the rule with this pref, or -1; O(log n). */
int mwan_ruleset_find(const struct mwan_ruleset *rs, u32 pref);

u32 mwan_ruleset_count(const struct mwan_ruleset *rs);

/* The spec at a position (pos < mwan_ruleset_count()), a copy of the caller's. */
const struct mwan_rule_spec *mwan_ruleset_rule(const struct mwan_ruleset *rs,
					       u32 pos);

#endif /* _MWAN_LIB_RULESET_H */
