// SPDX-License-Identifier: GPL-2.0
#include "sticky.h"

#define SECS_MASK	0xffffffu

static u32 rol32(u32 x, unsigned int r)
{
	return (x << r) | (x >> (32 - r));
}

/* Murmur3 (32-bit) over the address as big-endian words, keyed by the seed. */
static u32 sticky_hash(u32 seed, const u8 *addr, u32 len)
{
	u32 h = seed, i, k;

	for (i = 0; i + 4 <= len; i += 4) {
		k = (u32)addr[i] << 24 | (u32)addr[i + 1] << 16 |
		    (u32)addr[i + 2] << 8 | addr[i + 3];
		k = rol32(k * 0xcc9e2d51, 15) * 0x1b873593;
		h = rol32(h ^ k, 13) * 5 + 0xe6546b64;
	}
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	return h ^ (h >> 16);
}

static u64 entry_make(u32 hash, u32 index, u32 now)
{
	return (u64)hash << 32 | (u64)(index & 0xff) << 24 | (now & SECS_MASK);
}

static u32 entry_hash(u64 e)
{
	return (u32)(e >> 32);
}

static u32 entry_index(u64 e)
{
	return (u32)(e >> 24) & 0xff;
}

static u32 entry_age(u64 e, u32 now)
{
	return (now - (u32)e) & SECS_MASK;
}

size_t mwan_sticky_size(unsigned int bits)
{
	return sizeof(struct mwan_sticky) + ((size_t)1 << bits) * sizeof(u64);
}

void mwan_sticky_init(struct mwan_sticky *st, unsigned int bits, u32 seed)
{
	u32 i;

	st->mask = (1u << bits) - 1;
	st->seed = seed;
	for (i = 0; i <= st->mask; i++)
		st->slot[i] = 0;
}

u32 mwan_sticky_lookup(const struct mwan_sticky *st, const u8 *addr, u32 len,
		       u32 now, u32 max_age)
{
	u32 hash = sticky_hash(st->seed, addr, len);
	u64 e = mwan_sticky_read(&st->slot[hash & st->mask]);

	if (entry_hash(e) != hash || entry_age(e, now) > max_age)
		return 0;
	return entry_index(e);
}

void mwan_sticky_update(struct mwan_sticky *st, const u8 *addr, u32 len,
			u32 index, u32 now)
{
	u32 hash = sticky_hash(st->seed, addr, len);
	u64 *slot = &st->slot[hash & st->mask];
	u64 old = mwan_sticky_read(slot), e = entry_make(hash, index, now);

	if (old == e)
		return;
	if (entry_index(old) && entry_hash(old) != hash && !entry_age(old, now))
		return;
	mwan_sticky_write(slot, e);
}
