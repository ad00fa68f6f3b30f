// SPDX-License-Identifier: GPL-2.0
#include "ruleset.h"

enum { KIND_SRC, KIND_DST, KIND_ANY };

/* Family index of the per-family arrays: INET then INET6. */
#define NFAM		2
#define NO_POS	0xffffffffu

struct node {
	u32 addr[4];		/* the masked prefix */
	u32 first, count;	/* its positions: members[first..first+count) */
};

struct table {
	u32 mask[4];
	struct node *nodes;
	u64 *slots;		/* hash << 32 | (1 + index into nodes); 0 = empty */
	u32 slot_mask;
	u32 max_probe;		/* longest probe sequence of any node */
	u32 min_pos;		/* the best rule of the table */
	u8 fam, kind, len;
};

struct mwan_ruleset {
	u32 n;
	struct mwan_rule_spec *rules;	/* by pref: index = position */
	u32 *members;			/* positions, grouped by node */
	struct node *nodes;
	u64 *slots;
	struct table *tables;
	struct table *fam_tables[NFAM];	/* each sorted by min_pos */
	u32 fam_ntables[NFAM];
};

/* One (table, prefix, rule) triple while building. */
struct entry {
	u32 addr[4];
	u32 tkey;		/* family index << 16 | kind << 8 | len */
	u32 pos;
};

bool mwan_proto_has_ports(u8 proto)
{
	switch (proto) {
	case 6:		/* TCP */
	case 17:	/* UDP */
	case 33:	/* DCCP */
	case 132:	/* SCTP */
	case 136:	/* UDP-Lite */
		return true;
	}
	return false;
}

static void prefix_mask(u8 mask[16], u8 len)
{
	u32 i;

	for (i = 0; i < 16; i++, len = len > 8 ? len - 8 : 0)
		mask[i] = len >= 8 ? 0xff : (u8)(0xff00 >> len);
}

bool mwan_prefix_valid(u8 family, const u8 addr[16], u8 len)
{
	u8 mask[16];
	u32 i;

	if ((family != MWAN_FAMILY_INET || len > 32) &&
	    (family != MWAN_FAMILY_INET6 || len > 128))
		return false;
	prefix_mask(mask, len);
	for (i = 0; i < 16; i++)
		if (addr[i] & ~mask[i])
			return false;
	return true;
}

static bool port_range_any(u16 lo, u16 hi)
{
	return lo == 0 && hi == 0xffff;
}

enum mwan_rule_check mwan_rule_spec_check(const struct mwan_rule_spec *spec)
{
	u8 family = spec->family;

	if (family == MWAN_FAMILY_ANY) {
		if (spec->src_len || spec->dst_len)
			return MWAN_RULE_BAD_FAMILY;
		/* Any family accepts an all-zero /0, which is what "any" means. */
		family = MWAN_FAMILY_INET6;
	} else if (family != MWAN_FAMILY_INET && family != MWAN_FAMILY_INET6) {
		return MWAN_RULE_BAD_FAMILY;
	}
	if (!mwan_prefix_valid(family, spec->src, spec->src_len))
		return MWAN_RULE_BAD_SRC;
	if (!mwan_prefix_valid(family, spec->dst, spec->dst_len))
		return MWAN_RULE_BAD_DST;
	if (spec->sport_lo > spec->sport_hi)
		return MWAN_RULE_BAD_SPORT;
	if (spec->dport_lo > spec->dport_hi)
		return MWAN_RULE_BAD_DPORT;
	/* Ports need a protocol that has them: "any protocol" has none. */
	if (!mwan_proto_has_ports(spec->proto) &&
	    (!port_range_any(spec->sport_lo, spec->sport_hi) ||
	     !port_range_any(spec->dport_lo, spec->dport_hi)))
		return MWAN_RULE_BAD_PROTO;
	return MWAN_RULE_OK;
}

/*
 * Murmur3's 64-bit finalizer over the folded words: every key bit reaches
 * the low bits that pick the slot. No seed: the prefixes are the
 * administrator's, not an attacker's.
 */
static u32 hash_addr(const u32 w[4])
{
	u64 x = ((u64)w[0] << 32 | w[1]) ^
		((u64)w[2] << 32 | w[3]) * 0x9e3779b97f4a7c15ull;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return (u32)(x ^ (x >> 33));
}

static bool addr_eq(const u32 a[4], const u32 b[4])
{
	return !((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]));
}

static bool prefix_match(const u8 prefix[16], u8 len, const u8 addr[16])
{
	u32 full = len / 8;

	if (memcmp(prefix, addr, full))
		return false;
	return !(len % 8) ||
	       !((prefix[full] ^ addr[full]) & (u8)(0xff00 >> (len % 8)));
}

static bool ports_match(u16 lo, u16 hi, u16 port, bool has_ports)
{
	if (port_range_any(lo, hi))
		return true;
	return has_ports && port >= lo && port <= hi;
}

/* Everything but the table's key, which the probe has matched already. */
static bool rule_match(const struct mwan_rule_spec *r, u8 kind,
		       const struct mwan_pkt_key *key)
{
	bool has_ports;

	if (r->proto && r->proto != key->proto)
		return false;
	if (r->iif && r->iif != key->iif)
		return false;
	if (kind != KIND_DST && r->dst_len &&
	    !prefix_match(r->dst, r->dst_len, key->dst))
		return false;
	has_ports = mwan_proto_has_ports(key->proto);
	return ports_match(r->sport_lo, r->sport_hi, key->sport, has_ports) &&
	       ports_match(r->dport_lo, r->dport_hi, key->dport, has_ports);
}

static const struct node *table_probe(const struct table *t, const u32 w[4])
{
	const struct node *nd;
	u32 m[4], i, d, hash;
	u64 s;

	if (t->kind == KIND_ANY)
		return t->nodes;
	for (i = 0; i < 4; i++)
		m[i] = w[i] & t->mask[i];
	hash = hash_addr(m);
	i = hash & t->slot_mask;
	for (d = 0; d <= t->max_probe; d++, i = (i + 1) & t->slot_mask) {
		s = t->slots[i];
		if (!s)
			break;
		/* The hash in the slot spares reading nodes that differ. */
		if ((u32)(s >> 32) != hash)
			continue;
		nd = &t->nodes[(u32)s - 1];
		if (addr_eq(nd->addr, m))
			return nd;
	}
	return NULL;
}

static int fam_index(u8 family)
{
	if (family == MWAN_FAMILY_INET)
		return 0;
	if (family == MWAN_FAMILY_INET6)
		return 1;
	return -1;
}

int mwan_ruleset_lookup_live(const struct mwan_ruleset *rs,
			     const struct mwan_pkt_key *key, const u32 *dead)
{
	const struct table *t, *end;
	const struct node *nd;
	u32 src[4], dst[4], best = rs->n, i, pos;
	int fam = fam_index(key->family);

	if (fam < 0)
		return -1;
	memcpy(src, key->src, sizeof(src));
	memcpy(dst, key->dst, sizeof(dst));
	t = rs->fam_tables[fam];
	end = t + rs->fam_ntables[fam];
	/* Tables are sorted by their best rule: the first that cannot win ends the walk. */
	for (; t < end && t->min_pos < best; t++) {
		nd = table_probe(t, t->kind == KIND_DST ? dst : src);
		if (!nd)
			continue;
		for (i = nd->first; i < nd->first + nd->count; i++) {
			pos = rs->members[i];
			if (pos >= best)
				break;
			if (!mwan_ruleset_dead(dead, pos) &&
			    rule_match(&rs->rules[pos], t->kind, key)) {
				best = pos;
				break;
			}
		}
	}
	return best < rs->n ? (int)best : -1;
}

int mwan_ruleset_lookup(const struct mwan_ruleset *rs,
			const struct mwan_pkt_key *key)
{
	return mwan_ruleset_lookup_live(rs, key, NULL);
}

int mwan_ruleset_find(const struct mwan_ruleset *rs, u32 pref)
{
	u32 lo = 0, hi = rs->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rs->rules[mid].pref < pref)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->n && rs->rules[lo].pref == pref ? (int)lo : -1;
}

u32 mwan_ruleset_count(const struct mwan_ruleset *rs)
{
	return rs->n;
}

const struct mwan_rule_spec *mwan_ruleset_rule(const struct mwan_ruleset *rs,
					       u32 pos)
{
	return &rs->rules[pos];
}

void mwan_ruleset_free(struct mwan_ruleset *rs)
{
	if (!rs)
		return;
	mwan_lib_free(rs->tables);
	mwan_lib_free(rs->slots);
	mwan_lib_free(rs->nodes);
	mwan_lib_free(rs->members);
	mwan_lib_free(rs->rules);
	mwan_lib_free(rs);
}

static int cmp_pref(const void *a, const void *b)
{
	const struct mwan_rule_spec *x = a, *y = b;

	return x->pref < y->pref ? -1 : x->pref > y->pref;
}

static int cmp_u32(u32 x, u32 y)
{
	return x < y ? -1 : x > y;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int i, c = cmp_u32(x->tkey, y->tkey);

	for (i = 0; !c && i < 4; i++)
		c = cmp_u32(x->addr[i], y->addr[i]);
	return c ? c : cmp_u32(x->pos, y->pos);
}

static int cmp_min_pos(const void *a, const void *b)
{
	const struct table *x = a, *y = b;

	return cmp_u32(x->min_pos, y->min_pos);
}

static void entry_set(struct entry *e, int fam, u8 kind, u8 len,
		      const u8 addr[16], u32 pos)
{
	memcpy(e->addr, addr, sizeof(e->addr));
	e->tkey = (u32)fam << 16 | (u32)kind << 8 | len;
	e->pos = pos;
}

/* The (table, prefix, rule) triples, sorted; sets *count. */
static struct entry *make_entries(const struct mwan_ruleset *rs, u32 *count)
{
	static const u8 zero[16];
	const struct mwan_rule_spec *r;
	struct entry *entries, *e;
	u32 pos, n = rs->n;
	int fam;

	for (pos = 0; pos < rs->n; pos++)
		n += rs->rules[pos].family == MWAN_FAMILY_ANY;
	entries = mwan_lib_calloc(n ? n : 1, sizeof(*entries));
	if (!entries)
		return NULL;
	for (pos = 0, e = entries; pos < rs->n; pos++) {
		r = &rs->rules[pos];
		fam = fam_index(r->family);
		if (fam < 0) {
			entry_set(e++, 0, KIND_ANY, 0, zero, pos);
			entry_set(e++, 1, KIND_ANY, 0, zero, pos);
		} else if (r->src_len) {
			entry_set(e++, fam, KIND_SRC, r->src_len, r->src, pos);
		} else if (r->dst_len) {
			entry_set(e++, fam, KIND_DST, r->dst_len, r->dst, pos);
		} else {
			entry_set(e++, fam, KIND_ANY, 0, zero, pos);
		}
	}
	mwan_lib_sort(entries, n, sizeof(*entries), cmp_entry);
	*count = n;
	return entries;
}

static u32 slots_for(u32 nodes)
{
	u32 size = 2;

	while (size < 2 * nodes)
		size *= 2;
	return size;
}

static bool same_node(const struct entry *a, const struct entry *b)
{
	return a->tkey == b->tkey && addr_eq(a->addr, b->addr);
}

static void table_insert(struct table *t, u32 node)
{
	u32 hash = hash_addr(t->nodes[node].addr), i = hash & t->slot_mask, d;

	for (d = 0; t->slots[i]; d++)
		i = (i + 1) & t->slot_mask;
	t->slots[i] = (u64)hash << 32 | (node + 1);
	if (d > t->max_probe)
		t->max_probe = d;
}

static void table_init(struct table *t, u32 tkey, struct node *nodes,
		       u32 nnodes, u64 *slots, const u32 *members)
{
	u8 mask[16];
	u32 i;

	t->fam = (u8)(tkey >> 16);
	t->kind = (u8)(tkey >> 8);
	t->len = (u8)tkey;
	prefix_mask(mask, t->len);
	memcpy(t->mask, mask, sizeof(t->mask));
	t->nodes = nodes;
	t->slots = slots;
	t->slot_mask = slots_for(nnodes) - 1;
	t->min_pos = NO_POS;
	for (i = 0; i < nnodes; i++) {
		if (members[nodes[i].first] < t->min_pos)
			t->min_pos = members[nodes[i].first];
		table_insert(t, i);
	}
}

/*
 * Groups the sorted entries into nodes (same table and prefix) and tables
 * (same table key), then orders each family's tables by their best rule.
 */
static int make_tables(struct mwan_ruleset *rs, const struct entry *e,
		       u32 count)
{
	u32 i, nd, tnodes = 0, nnodes = 0, ntables = 0, nslots = 0;
	u64 *slots;
	struct node *node;
	struct table *t;

	for (i = 0; i < count; i++) {
		tnodes += !i || !same_node(&e[i - 1], &e[i]);
		if (i + 1 == count || e[i + 1].tkey != e[i].tkey) {
			nnodes += tnodes;
			nslots += slots_for(tnodes);
			ntables++;
			tnodes = 0;
		}
	}
	rs->members = mwan_lib_calloc(count ? count : 1, sizeof(u32));
	rs->nodes = mwan_lib_calloc(nnodes ? nnodes : 1, sizeof(struct node));
	rs->slots = mwan_lib_calloc(nslots ? nslots : 1, sizeof(u64));
	rs->tables = mwan_lib_calloc(ntables ? ntables : 1, sizeof(struct table));
	if (!rs->members || !rs->nodes || !rs->slots || !rs->tables)
		return -ENOMEM;

	for (i = 0, node = rs->nodes - 1; i < count; i++) {
		rs->members[i] = e[i].pos;
		if (!i || !same_node(&e[i - 1], &e[i])) {
			node++;
			memcpy(node->addr, e[i].addr, sizeof(node->addr));
			node->first = i;
		}
		node->count++;
	}

	slots = rs->slots;
	for (nd = 0, t = rs->tables; nd < nnodes; nd += tnodes, t++) {
		u32 tkey = e[rs->nodes[nd].first].tkey;

		for (tnodes = 1; nd + tnodes < nnodes &&
		     e[rs->nodes[nd + tnodes].first].tkey == tkey; tnodes++)
			;
		table_init(t, tkey, &rs->nodes[nd], tnodes, slots, rs->members);
		slots += slots_for(tnodes);
	}

	/* Entries sort by family first: each family's tables are one run. */
	for (i = 0, t = rs->tables; i < NFAM; i++) {
		rs->fam_tables[i] = t;
		while (t < rs->tables + ntables && t->fam == i)
			t++;
		rs->fam_ntables[i] = (u32)(t - rs->fam_tables[i]);
		mwan_lib_sort(rs->fam_tables[i], rs->fam_ntables[i],
			      sizeof(*t), cmp_min_pos);
	}
	return 0;
}

struct mwan_ruleset *mwan_ruleset_build(const struct mwan_rule_spec *specs,
					u32 n, int *err)
{
	struct mwan_ruleset *rs;
	struct entry *entries;
	u32 i, count;

	*err = -E2BIG;
	if (n > MWAN_RULESET_MAX)
		return NULL;
	*err = -EINVAL;
	for (i = 0; i < n; i++)
		if (mwan_rule_spec_check(&specs[i]) != MWAN_RULE_OK)
			return NULL;

	*err = -ENOMEM;
	rs = mwan_lib_calloc(1, sizeof(*rs));
	if (!rs)
		return NULL;
	rs->n = n;
	rs->rules = mwan_lib_calloc(n ? n : 1, sizeof(*specs));
	if (!rs->rules)
		goto err;
	if (n)
		memcpy(rs->rules, specs, n * sizeof(*specs));
	mwan_lib_sort(rs->rules, n, sizeof(*specs), cmp_pref);
	for (i = 1; i < n; i++) {
		if (rs->rules[i].pref == rs->rules[i - 1].pref) {
			*err = -EEXIST;
			goto err;
		}
	}

	entries = make_entries(rs, &count);
	if (!entries)
		goto err;
	*err = make_tables(rs, entries, count);
	mwan_lib_free(entries);
	if (*err)
		goto err;
	return rs;

err:
	mwan_ruleset_free(rs);
	return NULL;
}
