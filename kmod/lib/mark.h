/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Marks under the module's mark mask: B contiguous bits at shift S.
 *
 *   bit S+B-1           INBOUND flag: the flow arrived on an uplink. Only in
 *                       the conntrack mark, never in a packet mark.
 *   bits S..S+B-2       index: 0 = not classified yet,
 *                       1..2^(B-1)-2 = an uplink (mark = index << S),
 *                       2^(B-1)-1 = PASS: classified, mwan leaves the flow
 *                       to the main routing table.
 *
 * With the default mask 0x00ff0000: flag 0x00800000, PASS 0x007f0000 and
 * uplinks 1..126 (marks 0x00010000..0x007e0000). A mask needs at least
 * three bits to hold one uplink.
 */
#ifndef _MWAN_LIB_MARK_H
#define _MWAN_LIB_MARK_H

#include "mwan_lib_types.h"

/* Non-zero, and its set bits form one run. */
bool mwan_mark_mask_valid(u32 mask);

/* The mask must be valid for the functions below. */
/* The highest uplink index (0 when the mask has fewer than three bits). */
u32 mwan_mark_index_max(u32 mask);
/* The PASS index. */
u32 mwan_mark_pass(u32 mask);
/* The INBOUND bit. */
u32 mwan_mark_flag(u32 mask);
/* index (1..PASS) << S; never sets the INBOUND bit. */
u32 mwan_mark_from_index(u32 mask, u32 index);
/* The index under the mask, without the INBOUND bit. */
u32 mwan_mark_to_index(u32 mask, u32 mark);

#endif /* _MWAN_LIB_MARK_H */
