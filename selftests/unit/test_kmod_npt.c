// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/lib/npt.c, the NPTv6 arithmetic of the module: RFC 6296's worked
 * example, and 100,000 random mappings and addresses (every prefix length
 * 1..64, /49 and longer per section 3.5, addresses whose adjusted word is or
 * would become 0xffff) against a naive reference that recomputes the word
 * from the sums of whole addresses. Every translated address keeps the one's
 * complement sum (so TCP, UDP and ICMPv6 checksums, including that of an
 * ICMPv6 error quoting it, need no change: checked on a real ICMPv6
 * checksum) and maps back to the original with the inverse mapping.
 *
 * Seed: MWAN_TEST_SEED in the environment, else a fixed one; it is printed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npt.h"

#define RANDOM_CASES	100000

static uint64_t rng_state;

static uint32_t rnd32(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd32();
}

static unsigned int get16(const uint8_t *a, unsigned int i)
{
	return (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
}

static void put16(uint8_t *a, unsigned int i, unsigned int v)
{
	a[2 * i] = (uint8_t)(v >> 8);
	a[2 * i + 1] = (uint8_t)v;
}

static int bit(const uint8_t *a, unsigned int i)
{
	return a[i / 8] >> (7 - i % 8) & 1;
}

static void set_bit(uint8_t *a, unsigned int i, int v)
{
	if (v)
		a[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	else
		a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

/* The one's complement sum of the words given, as a number mod 0xffff. */
static unsigned int sum_mod(const uint8_t *a, unsigned int words, int skip)
{
	unsigned long s = 0;
	unsigned int i;

	for (i = 0; i < words; i++)
		if ((int)i != skip)
			s += get16(a, i);
	return (unsigned int)(s % 0xffff);
}

/*
 * RFC 6296 spelled out: copy the prefix bit by bit, pick the word, and give
 * it the value (mod 0xffff, so never 0xffff) that keeps the whole address's
 * sum. Returns the word, or -1 when the address cannot be mapped.
 */
static int ref_translate(uint8_t addr[16], const uint8_t to[16], unsigned int len)
{
	unsigned int i, idx = 3, want, rest;
	uint8_t out[16];

	if (len <= 48) {
		if (get16(addr, 3) == 0xffff)
			return -1;
	} else {
		for (idx = 4; idx < 8 && get16(addr, idx) == 0xffff; idx++)
			;
		if (idx == 8)
			return -1;
	}
	memcpy(out, addr, 16);
	for (i = 0; i < len; i++)
		set_bit(out, i, bit(to, i));
	want = sum_mod(addr, 8, -1);
	rest = sum_mod(out, 8, (int)idx);
	put16(out, idx, (want + 0xffff - rest) % 0xffff);
	memcpy(addr, out, 16);
	return (int)idx;
}

/* ICMPv6 checksum (RFC 4443) of an echo request from src to dst. */
static unsigned int icmp6_csum(const uint8_t src[16], const uint8_t dst[16],
			       const uint8_t *payload, unsigned int n)
{
	unsigned long s = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		s += get16(src, i) + get16(dst, i);
	s += n + 58;
	for (i = 0; i + 1 < n; i += 2)
		s += (unsigned int)payload[i] << 8 | payload[i + 1];
	if (n & 1)
		s += (unsigned int)payload[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

static int parse6(const char *s, uint8_t a[16])
{
	unsigned int w[8], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x:%x:%x", &w[0], &w[1], &w[2], &w[3],
		   &w[4], &w[5], &w[6], &w[7]) != 8)
		return -1;
	for (i = 0; i < 8; i++)
		put16(a, i, w[i]);
	return 0;
}

static bool addr_is(const uint8_t a[16], const char *want)
{
	uint8_t w[16];

	if (parse6(want, w) || memcmp(a, w, 16)) {
		printf("# got %04x:%04x:%04x:%04x:%04x:%04x:%04x:%04x, want %s\n",
		       get16(a, 0), get16(a, 1), get16(a, 2), get16(a, 3),
		       get16(a, 4), get16(a, 5), get16(a, 6), get16(a, 7), want);
		return false;
	}
	return true;
}

/* Section 3.6 (with erratum 3033): FD01:0203:0405::/48 -> 2001:0DB8:0001::/48. */
static bool test_rfc_example(void)
{
	uint8_t in[16], out[16], a[16];
	uint16_t adj;

	parse6("fd01:0203:0405:0:0:0:0:0", in);
	parse6("2001:0db8:0001:0:0:0:0:0", out);
	parse6("fd01:0203:0405:0001:0:0:0:1234", a);
	adj = mwan_npt_adjustment(in, out, 48);
	if (adj != 0xd54f) {
		printf("# adjustment %04x, want d54f\n", adj);
		return false;
	}
	if (mwan_npt_translate(a, out, 48, adj) != 3 ||
	    !addr_is(a, "2001:0db8:0001:d550:0:0:0:1234"))
		return false;
	if (mwan_npt_translate(a, in, 48, (uint16_t)~adj) != 3 ||
	    !addr_is(a, "fd01:0203:0405:0001:0:0:0:1234"))
		return false;
	return true;
}

/* Subnet 0xffff of a /48 and an all-ones IID of a /56 are refused, untouched. */
static bool test_refused(void)
{
	uint8_t in[16], out[16], a[16], b[16];
	uint16_t adj;

	parse6("fd01:0203:0405:0:0:0:0:0", in);
	parse6("2001:0db8:0001:0:0:0:0:0", out);
	adj = mwan_npt_adjustment(in, out, 48);
	parse6("fd01:0203:0405:ffff:0:0:0:1", a);
	memcpy(b, a, 16);
	if (mwan_npt_translate(a, out, 48, adj) != -1 || memcmp(a, b, 16))
		return false;
	parse6("fd01:0203:0405:0100:ffff:ffff:ffff:ffff", a);
	memcpy(b, a, 16);
	if (mwan_npt_translate(a, out, 56, adj) != -1 || memcmp(a, b, 16))
		return false;
	/* Section 3.5: the first IID word that is not 0xffff takes it. */
	parse6("fd01:0203:0405:0100:ffff:ffff:0:1", a);
	adj = mwan_npt_adjustment(in, out, 56);
	return mwan_npt_translate(a, out, 56, adj) == 6 &&
	       get16(a, 4) == 0xffff && get16(a, 5) == 0xffff;
}

struct counts {
	unsigned int mapped, refused, zeroed, per_idx[8], len_seen[65];
};

/* One random case; a failure prints it. */
static bool random_case(unsigned int len, struct counts *c)
{
	uint8_t in[16], out[16], a[16], orig[16], ref[16], dst[16], pl[24];
	unsigned int r = rnd32() % 16, i, csum;
	uint16_t adj;
	int idx, ridx;

	rnd_bytes(in, 16);
	rnd_bytes(out, 16);
	rnd_bytes(a, 16);
	rnd_bytes(dst, 16);
	rnd_bytes(pl, sizeof(pl));
	mwan_prefix_mask(in, 16, (uint8_t)len);
	mwan_prefix_mask(out, 16, (uint8_t)len);
	adj = mwan_npt_adjustment(in, out, (uint8_t)len);
	/* Steer some cases onto the edges, then put a inside the prefix. */
	if (r == 0)
		put16(a, 3, 0xffff);
	else if (r == 1)
		for (i = 4; i < 8; i++)
			put16(a, i, 0xffff);
	else if (r == 2)
		for (i = 4; i < 4 + rnd32() % 4; i++)
			put16(a, i, 0xffff);
	else if (r == 3 && len <= 48)
		put16(a, 3, (uint16_t)~adj);	/* the sum comes to 0xffff */
	else if (r == 3)
		put16(a, 4, (uint16_t)~adj);
	for (i = 0; i < len; i++)
		set_bit(a, i, bit(in, i));
	memcpy(orig, a, 16);
	memcpy(ref, a, 16);
	csum = icmp6_csum(a, dst, pl, sizeof(pl));
	idx = mwan_npt_translate(a, out, (uint8_t)len, adj);
	ridx = ref_translate(ref, out, len);
	c->len_seen[len]++;
	if (idx != ridx || memcmp(a, ref, 16)) {
		printf("# /%u: word %d, reference %d, or the addresses differ\n",
		       len, idx, ridx);

		return false;
	}
	if (idx < 0) {
		c->refused++;
		return !memcmp(a, orig, 16);
	}
	c->mapped++;
	c->per_idx[idx]++;
	if ((uint16_t)(get16(orig, (unsigned int)idx) + adj) == 0xffff ||
	    get16(orig, (unsigned int)idx) + adj == 0x1fffe)
		c->zeroed++;
	if (!mwan_prefix_match(a, out, (uint8_t)len) ||
	    sum_mod(a, 8, -1) != sum_mod(orig, 8, -1) ||
	    get16(a, (unsigned int)idx) == 0xffff ||
	    icmp6_csum(a, dst, pl, sizeof(pl)) != csum) {
		printf("# /%u: prefix, sum or checksum changed\n", len);
		return false;
	}
	if (mwan_npt_translate(a, in, (uint8_t)len, (uint16_t)~adj) != idx ||
	    memcmp(a, orig, 16)) {
		printf("# /%u: the inverse mapping does not give the original\n",
		       len);
		return false;
	}
	return true;
}

static bool test_random(void)
{
	struct counts c = { 0 };
	unsigned int i, len;

	for (i = 0; i < RANDOM_CASES; i++) {
		len = 1 + i % MWAN_NPT_LEN_MAX;
		if (!random_case(len, &c))
			return false;
	}
	printf("# %u mapped, %u refused, %u results of 0xffff written as 0; words 3..7: %u %u %u %u %u\n",
	       c.mapped, c.refused, c.zeroed, c.per_idx[3], c.per_idx[4],
	       c.per_idx[5], c.per_idx[6], c.per_idx[7]);
	for (len = 1; len <= MWAN_NPT_LEN_MAX; len++)
		if (!c.len_seen[len])
			return false;
	/* Every path was taken, not only the common one. */
	return c.refused && c.zeroed && c.per_idx[3] && c.per_idx[4] &&
	       c.per_idx[5] && c.per_idx[6] && c.per_idx[7];
}

static bool test_prefix_helpers(void)
{
	uint8_t a[16], b[16];

	parse6("2001:0db8:00ff:0:0:0:0:1", a);
	parse6("2001:0db8:00f0:0:0:0:0:0", b);
	if (!mwan_prefix_match(a, b, 44) || mwan_prefix_match(a, b, 45) ||
	    !mwan_prefix_match(a, b, 0))
		return false;
	mwan_prefix_mask(a, 16, 44);
	return !memcmp(a, b, 16);
}

static const struct {
	bool (*fn)(void);
	const char *what;
} tests[] = {
	{ test_rfc_example, "RFC 6296 3.6: fd01:203:405:1::1234 maps to 2001:db8:1:d550::1234 and back" },
	{ test_refused, "subnet 0xffff (/48) and an all-ones IID (/56) are refused; 3.5 skips 0xffff words" },
	{ test_random, "100000 random mappings /1../64 equal the naive reference, keep checksums, invert" },
	{ test_prefix_helpers, "prefix match and mask" },
};

int main(void)
{
	const char *env = getenv("MWAN_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 20261122;
	unsigned int i, n = sizeof(tests) / sizeof(tests[0]), failed = 0;

	printf("1..%u\n# seed %" PRIu64 " (MWAN_TEST_SEED)\n", n, seed);
	rng_state = seed;
	for (i = 0; i < n; i++) {
		bool ok = tests[i].fn();

		failed += !ok;
		printf("%sok %u - %s\n", ok ? "" : "not ", i + 1, tests[i].what);
	}
	return failed ? 1 : 0;
}
