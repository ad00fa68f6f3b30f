/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NPTv6 arithmetic (RFC 6296, sections 3.1 to 3.7): a prefix of 1 to 64
 * bits is replaced by another of the same length, and one 16-bit word of the
 * address is adjusted so that the one's complement sum of the address, and
 * with it every checksum that covers it, stays the same.
 *
 * The adjustment depends only on the two prefixes: it is computed once, when
 * the mapping is configured (mwan_npt_adjustment()), and added per packet
 * (mwan_npt_translate()). The word that takes it is word 3 (bits 48..63)
 * for a /48 or shorter prefix, else (section 3.5) the first word of the
 * interface identifier (words 4..7) that is not 0xffff. A result of 0xffff
 * is written as 0x0000 (the two are the same number in one's complement),
 * so 0xffff never leaves the translator and a word that already holds it
 * cannot be mapped one to one: such addresses (subnet 0xffff of a /48 or
 * shorter, an all-ones interface identifier for longer prefixes, section
 * 3.7) are refused, and the caller drops the packet with an ICMPv6
 * Parameter Problem.
 *
 * Addresses are 16 bytes in network order. Pure C: compiled into the module
 * and into the host unit tests.
 */
#ifndef _MWAN_LIB_NPT_H
#define _MWAN_LIB_NPT_H

#include "mwan_lib_types.h"

#define MWAN_NPT_LEN_MAX	64

/* One's complement sum of two 16-bit values, with the end-around carry. */
static inline u16 mwan_csum16_add(u16 a, u16 b)
{
	u32 s = (u32)a + b;

	return (u16)((s & 0xffff) + (s >> 16));
}

/*
 * What to add to the adjusted word when prefix from/len is replaced by
 * to/len: sum(from) - sum(to). The inverse mapping's is ~ of it. Only the
 * first len bits of each prefix are read.
 */
u16 mwan_npt_adjustment(const u8 from[16], const u8 to[16], u8 len);

/*
 * Replaces the first len (1..64) bits of addr by those of to and adds adj
 * to the adjusted word. Returns the index (3..7) of that word, or -1, with
 * addr untouched, when the address cannot be mapped (see above).
 */
int mwan_npt_translate(u8 addr[16], const u8 to[16], u8 len, u16 adj);

/* Whether the first len bits of a and b are equal (len 0..128). */
bool mwan_prefix_match(const u8 *a, const u8 *b, u8 len);

/* Sets the bits of addr after the first len to 0 (len 0..128). */
void mwan_prefix_mask(u8 *addr, unsigned int size, u8 len);

#endif /* _MWAN_LIB_NPT_H */
