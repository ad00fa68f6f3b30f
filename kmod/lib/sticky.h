/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stickiness of a rule ("sticky SECONDS"): which uplink a source address was
 * last given, so that its next new flow within SECONDS takes the same one.
 *
 * A fixed table of 2^bits slots, direct-mapped by a seeded 32-bit hash of the
 * address. Each slot is one u64 {hash 32, uplink index 8, seconds 24}, read
 * and written whole, so CPUs need no lock and never see half an entry (on
 * 64-bit kernels; a 32-bit kernel may tear one, which is as harmless as the
 * collisions below). Two sources whose hashes collide share stickiness, and a
 * source evicts another of the same slot: both only cost the choice of a
 * different uplink, and the caller checks that the uplink it gets back is
 * still up and a member of the rule's policy before using it.
 *
 * Seconds are kept modulo 2^24 (194 days) and compared modulo 2^24, so
 * max_age may be up to MWAN_STICKY_AGE_MAX; an entry left untouched for a
 * multiple of 2^24 seconds looks fresh again, with the same harmless outcome.
 */
#ifndef _MWAN_LIB_STICKY_H
#define _MWAN_LIB_STICKY_H

#include "mwan_lib_types.h"

#ifdef __KERNEL__
#include <linux/compiler.h>

#define mwan_sticky_read(p)	READ_ONCE(*(p))
#define mwan_sticky_write(p, v)	WRITE_ONCE(*(p), (v))
#else
#define mwan_sticky_read(p)	__atomic_load_n(p, __ATOMIC_RELAXED)
#define mwan_sticky_write(p, v)	__atomic_store_n(p, v, __ATOMIC_RELAXED)
#endif

#define MWAN_STICKY_BITS_MAX	20
#define MWAN_STICKY_AGE_MAX	((1u << 24) - 1)

struct mwan_sticky {
	u32 mask;		/* slots - 1 */
	u32 seed;
	u64 slot[];
};

/* Bytes to allocate for a table of 1 << bits slots, bits <= MWAN_STICKY_BITS_MAX. */
size_t mwan_sticky_size(unsigned int bits);

/* Empties the table; seed should be random (get_random_u32()). */
void mwan_sticky_init(struct mwan_sticky *st, unsigned int bits, u32 seed);

/*
 * The uplink index (1..255) stored for the address (len 4 or 16 bytes) if it
 * was refreshed at most max_age seconds before now, else 0. now is in seconds
 * from a clock that does not go back (ktime_get_boottime_seconds()).
 */
u32 mwan_sticky_lookup(const struct mwan_sticky *st, const u8 *addr, u32 len,
		       u32 now, u32 max_age);

/*
 * Records index (1..255) for the address at now. Writes the slot only when
 * the entry changes: a refresh of the same entry at most once a second, and
 * a slot refreshed this second by another source is left to it, so that
 * packets do not keep writing a shared cache line.
 */
void mwan_sticky_update(struct mwan_sticky *st, const u8 *addr, u32 len,
			u32 index, u32 now);

#endif /* _MWAN_LIB_STICKY_H */
