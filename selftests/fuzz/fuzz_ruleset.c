// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/lib/ruleset.c: builds a ruleset from the input
 * and checks every lookup against a naive reference (scan all rules, keep the
 * lowest matching pref), and build errors against mwan_rule_spec_check().
 *
 * Input: a rule count byte, 12 bytes per rule, then 8 bytes per packet.
 * Addresses come from a few fixed bases with bits flipped, so that rules
 * overlap and packets hit them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset.h"

#define RULE_BYTES	12
#define PKT_BYTES	8
#define MAX_RULES	256

static const uint8_t bases[2][4][16] = {
	{ { 10 }, { 192, 168, 1 }, { 10, 1, 2, 3 }, { 0 } },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, { 0xfd, 0x00, [7] = 1 },
	  { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { 0 } },
};
static const uint8_t protos[8] = { 0, 6, 17, 1, 58, 132, 47, 136 };

static bool ref_bit(const uint8_t *a, unsigned int i)
{
	return a[i / 8] >> (7 - i % 8) & 1;
}

static bool ref_prefix(const uint8_t *p, unsigned int len, const uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (ref_bit(p, i) != ref_bit(a, i))
			return false;
	return true;
}

static bool ref_ports(unsigned int lo, unsigned int hi, unsigned int port,
		      uint8_t proto)
{
	bool has = proto == 6 || proto == 17 || proto == 33 || proto == 132 ||
		   proto == 136;

	if (lo == 0 && hi == 65535)
		return true;
	return has && port >= lo && port <= hi;
}

static bool ref_match(const struct mwan_rule_spec *r,
		      const struct mwan_pkt_key *k)
{
	if (k->family != 4 && k->family != 6)
		return false;
	if (r->family && r->family != k->family)
		return false;
	if (!ref_prefix(r->src, r->src_len, k->src) ||
	    !ref_prefix(r->dst, r->dst_len, k->dst))
		return false;
	if (r->proto && r->proto != k->proto)
		return false;
	if (r->iif && r->iif != k->iif)
		return false;
	return ref_ports(r->sport_lo, r->sport_hi, k->sport, k->proto) &&
	       ref_ports(r->dport_lo, r->dport_hi, k->dport, k->proto);
}

static void mask_prefix(uint8_t a[16], unsigned int len)
{
	unsigned int i;

	for (i = len; i < 128; i++)
		a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

/* A base of the family with bit (sel >> 2) flipped, far enough to matter. */
static void make_addr(uint8_t a[16], uint8_t family, uint8_t sel)
{
	unsigned int bits = family == 6 ? 128 : 32, b;

	memcpy(a, bases[family == 6][sel & 3], 16);
	b = (sel >> 2) * bits / 64;
	a[b / 8] ^= (uint8_t)(0x80 >> (b % 8));
}

static void make_prefix(uint8_t a[16], uint8_t *len, uint8_t family,
			uint8_t sel, uint8_t lensel, bool raw)
{
	unsigned int bits = family == 6 ? 128 : 32;

	make_addr(a, family, sel);
	*len = raw ? lensel : (uint8_t)(lensel % (bits + 1));
	if (!raw)
		mask_prefix(a, *len);
	if (!raw && family == 4)
		memset(a + 4, 0, 12);
}

static void make_ports(uint16_t *lo, uint16_t *hi, uint8_t a, uint8_t b)
{
	if (a < 160) {
		*lo = 0;
		*hi = 65535;
		return;
	}
	*lo = (uint16_t)(a - 160) * 10;
	*hi = (uint16_t)(*lo + b);
}

static void make_rule(struct mwan_rule_spec *r, const uint8_t *d, uint32_t i)
{
	bool raw = d[0] & 0x40;
	uint8_t mode = (d[0] >> 2) & 3;

	memset(r, 0, sizeof(*r));
	r->family = (d[0] & 3) == 1 ? 4 : (d[0] & 3) >= 2 ? 6 : 0;
	if (raw && (d[0] & 3) == 3)
		r->family = d[10];
	r->pref = d[0] & 0x80 ? d[11] : (uint32_t)d[11] << 16 | i;
	r->id = i;
	if (r->family && (mode == 1 || mode == 3))
		make_prefix(r->src, &r->src_len, r->family, d[3], d[1], raw);
	if (r->family && (mode == 2 || mode == 3))
		make_prefix(r->dst, &r->dst_len, r->family, d[4], d[2], raw);
	r->proto = protos[d[5] & 7];
	make_ports(&r->sport_lo, &r->sport_hi, d[6], d[7]);
	make_ports(&r->dport_lo, &r->dport_hi, d[8], d[9]);
	if (!raw && !mwan_proto_has_ports(r->proto)) {
		r->sport_lo = r->dport_lo = 0;
		r->sport_hi = r->dport_hi = 65535;
	}
	r->iif = d[10] >> 6;
}

/* An address inside a rule's prefix (host bits from the input) or a base. */
static void make_pkt_addr(uint8_t a[16], uint8_t family, uint8_t sel,
			  uint8_t fill, const struct mwan_rule_spec *specs,
			  uint32_t n, bool src)
{
	const struct mwan_rule_spec *r = &specs[(sel & 0x7f) % n];
	const uint8_t *p = src ? r->src : r->dst;
	unsigned int i, len = src ? r->src_len : r->dst_len;

	if (!(sel & 0x80) || r->family != family || len > 128) {
		make_addr(a, family, sel);
		return;
	}
	memset(a, fill, 16);
	for (i = 0; i < len; i++)
		a[i / 8] = (uint8_t)((a[i / 8] & ~(0x80 >> (i % 8))) |
				     (p[i / 8] & (0x80 >> (i % 8))));
}

static void make_key(struct mwan_pkt_key *k, const uint8_t *d,
		     const struct mwan_rule_spec *specs, uint32_t n)
{
	memset(k, 0, sizeof(*k));
	k->family = (d[0] & 3) == 3 ? d[0] >> 2 : (d[0] & 1) ? 6 : 4;
	make_pkt_addr(k->src, k->family == 4 ? 4 : 6, d[1], d[2], specs, n, true);
	make_pkt_addr(k->dst, k->family == 4 ? 4 : 6, d[3], d[2], specs, n, false);
	k->proto = protos[d[4] & 7];
	if (d[4] & 8)
		k->proto = d[4];
	k->sport = (uint16_t)(d[5] * 5);
	k->dport = (uint16_t)(d[6] * 5);
	k->iif = d[7] & 3;
}

/* What build must have said about specs it refused. */
static int expected_error(const struct mwan_rule_spec *specs, uint32_t n)
{
	uint32_t i, j;

	for (i = 0; i < n; i++)
		if (mwan_rule_spec_check(&specs[i]) != MWAN_RULE_OK)
			return -EINVAL;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (specs[i].pref == specs[j].pref)
				return -EEXIST;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mwan_rule_spec specs[MAX_RULES];
	struct mwan_ruleset *rs;
	struct mwan_pkt_key k;
	uint32_t n, i;
	int err, want, got;

	if (size < 1)
		return 0;
	n = data[0] % MAX_RULES + 1;
	if (size < 1 + (size_t)n * RULE_BYTES)
		n = (uint32_t)((size - 1) / RULE_BYTES);
	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		make_rule(&specs[i], data + 1 + i * RULE_BYTES, i);
	data += 1 + n * RULE_BYTES;
	size -= 1 + n * RULE_BYTES;

	rs = mwan_ruleset_build(specs, n, &err);
	if (!rs) {
		if (err != expected_error(specs, n))
			abort();
		return 0;
	}
	if (expected_error(specs, n) || mwan_ruleset_count(rs) != n)
		abort();
	for (; size >= PKT_BYTES; data += PKT_BYTES, size -= PKT_BYTES) {
		make_key(&k, data, specs, n);
		want = -1;
		for (i = 0; i < n; i++)
			if ((want < 0 || specs[i].pref < specs[want].pref) &&
			    ref_match(&specs[i], &k))
				want = (int)i;
		got = mwan_ruleset_lookup(rs, &k);
		if (want < 0 ? got != -1 :
		    got < 0 || mwan_ruleset_rule(rs, (uint32_t)got)->id != specs[want].id) {
			fprintf(stderr, "lookup: got %d, want rule %d\n", got, want);
			abort();
		}
	}
	mwan_ruleset_free(rs);
	return 0;
}
