// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/lib/mark.c and name.c: mark mask validation and the index <-> mark
 * arithmetic (INBOUND flag in the top bit, PASS the all-ones index below
 * it) checked against a naive bit-by-bit reference on every contiguous mask
 * and on random ones; uplink and device names on explicit
 * cases, including the NUL handling of netlink string attributes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/lib/mark.h"
#include "../../kmod/lib/name.h"

static unsigned int tests;
static unsigned int failed;

static void check(bool ok, const char *what)
{
	tests++;
	if (!ok)
		failed++;
	printf("%sok %u - %s\n", ok ? "" : "not ", tests, what);
}

/* One run of set bits, found by walking the bits one at a time. */
static bool ref_mask_valid(uint32_t mask)
{
	int i = 0;

	while (i < 32 && !(mask & (1u << i)))
		i++;
	if (i == 32)
		return false;
	while (i < 32 && (mask & (1u << i)))
		i++;
	while (i < 32 && !(mask & (1u << i)))
		i++;
	return i == 32;
}

/* Deposits the low bits of index into the mask's bits, lowest first. */
static uint32_t ref_from_index(uint32_t mask, uint32_t index)
{
	uint32_t mark = 0;
	int i;

	for (i = 0; i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (index & 1)
			mark |= 1u << i;
		index >>= 1;
	}
	return mark;
}

/* All but the top bit of a contiguous mask form the index; all-ones is PASS. */
static uint32_t ref_pass(uint32_t mask)
{
	int bits = __builtin_popcount(mask) - 1;

	return (1u << bits) - 1;
}

static uint32_t ref_index_max(uint32_t mask)
{
	return ref_pass(mask) ? ref_pass(mask) - 1 : 0;
}

static uint32_t ref_flag(uint32_t mask)
{
	int i = 31;

	while (!(mask & (1u << i)))
		i--;
	return 1u << i;
}

static bool check_mask(uint32_t mask)
{
	uint32_t max = mwan_mark_index_max(mask);
	uint32_t samples[] = { 1, 2, max / 2 + 1, max - 1, max };
	size_t i;

	if (max != ref_index_max(mask) || mwan_mark_pass(mask) != ref_pass(mask) ||
	    mwan_mark_flag(mask) != ref_flag(mask) ||
	    mwan_mark_from_index(mask, ref_pass(mask)) & ref_flag(mask) ||
	    mwan_mark_to_index(mask, mask) != ref_pass(mask))
		return false;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		uint32_t idx = samples[i];
		uint32_t mark;

		if (idx < 1 || idx > max)
			continue;
		mark = mwan_mark_from_index(mask, idx);
		if (mark != ref_from_index(mask, idx) || !mark ||
		    (mark & ~mask) || (mark & ref_flag(mask)) ||
		    mwan_mark_to_index(mask, mark) != idx ||
		    mwan_mark_to_index(mask, mark | ~mask) != idx)
			return false;
	}
	return true;
}

static void test_marks(void)
{
	bool valid_ok = true, arith_ok = true;
	uint32_t x = 2463534242u;
	int lo, len, i;

	check(!mwan_mark_mask_valid(0), "mask 0 is invalid");
	check(mwan_mark_mask_valid(0x00ff0000), "default mask 0x00ff0000 is valid");
	check(mwan_mark_index_max(0x00ff0000) == 126,
	      "default mask has 126 uplink indexes");
	check(mwan_mark_flag(0x00ff0000) == 0x00800000 &&
	      mwan_mark_pass(0x00ff0000) == 127,
	      "default mask: INBOUND 0x00800000, PASS index 127");
	check(mwan_mark_to_index(0x00ff0000, 0x00810000) == 1,
	      "the INBOUND bit is not part of the index");
	check(mwan_mark_from_index(0x00ff0000, 1) == 0x00010000,
	      "index 1 under the default mask is 0x00010000");
	check(mwan_mark_to_index(0x00ff0000, 0x122bcdef) == 0x2b,
	      "bits outside the mask do not change the index");
	check(!mwan_mark_mask_valid(0x00ff00ff), "mask with two runs is invalid");
	check(mwan_mark_mask_valid(0xffffffff) &&
	      mwan_mark_index_max(0xffffffff) == 0x7ffffffe,
	      "full 32-bit mask is valid");
	check(mwan_mark_mask_valid(0x80000000) &&
	      mwan_mark_index_max(0x80000000) == 0 &&
	      mwan_mark_index_max(0xc0000000) == 0 &&
	      mwan_mark_index_max(0xe0000000) == 2,
	      "a mask needs three bits for uplinks");

	for (lo = 0; lo < 32; lo++) {
		for (len = 1; lo + len <= 32; len++) {
			uint32_t mask = (uint32_t)((((uint64_t)1 << len) - 1) << lo);

			valid_ok &= mwan_mark_mask_valid(mask);
			arith_ok &= check_mask(mask);
		}
	}
	check(valid_ok, "all 528 contiguous masks are valid");
	check(arith_ok, "index <-> mark round trip on all contiguous masks");

	valid_ok = true;
	for (i = 0; i < 1000000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		valid_ok &= mwan_mark_mask_valid(x) == ref_mask_valid(x);
	}
	check(valid_ok, "mask validity matches the reference on random masks");
}

struct name_case {
	const char *name;
	size_t len;		/* bytes as in the attribute */
	bool uplink_ok;
	bool ifname_ok;
};

#define NAME(s, up, dev) { s, sizeof(s) - 1, up, dev }
#define NAME_NUL(s, up, dev) { s, sizeof(s), up, dev }

static const struct name_case name_cases[] = {
	NAME("wan1", true, true),
	NAME_NUL("wan1", true, true),
	NAME("a", true, true),
	NAME("0", true, true),
	NAME("wan-2.b_C", true, true),
	NAME("abcdefghijklmno", true, true),
	NAME_NUL("abcdefghijklmno", true, true),
	NAME("abcdefghijklmnop", false, false),
	NAME("", false, false),
	NAME_NUL("", false, false),
	NAME("-wan", false, true),
	NAME(".wan", false, true),
	NAME("_wan", false, true),
	NAME("wan@x", false, true),
	NAME("wan 1", false, false),
	NAME("wan\t1", false, false),
	NAME("wan\n", false, false),
	NAME("a/b", false, false),
	NAME("a:b", false, false),
	NAME(".", false, false),
	NAME("..", false, false),
	NAME("...", false, true),
	NAME("ab\0c", false, false),
	NAME("\0", false, false),
	NAME_NUL("ab\0", false, false),
	NAME("wan\xc3\xa9", false, true),
};

static void test_names(void)
{
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const struct name_case *c = &name_cases[i];
		/* Exactly len bytes on the heap, so ASan sees overreads. */
		char *buf = malloc(c->len ? c->len : 1);

		if (!buf)
			abort();
		memcpy(buf, c->name, c->len);
		snprintf(what, sizeof(what), "case %zu (%zu bytes): uplink name %s",
			 i, c->len, c->uplink_ok ? "valid" : "invalid");
		check(mwan_uplink_name_valid(buf, c->len) == c->uplink_ok, what);
		snprintf(what, sizeof(what), "case %zu (%zu bytes): device name %s",
			 i, c->len, c->ifname_ok ? "valid" : "invalid");
		check(mwan_ifname_valid(buf, c->len) == c->ifname_ok, what);
		free(buf);
	}
}

int main(void)
{
	test_marks();
	test_names();
	/* The plan may come last in TAP: it counts what ran. */
	printf("1..%u\n", tests);
	return failed ? 1 : 0;
}
