/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet marks of uplinks: index N (1..max) of an uplink is stored in the
 * bits of a contiguous mark mask, mark = N << (ffs(mask) - 1). Index 0 is
 * never used, so a mark of 0 under the mask means "no uplink".
 */
#ifndef _MWAN_LIB_MARK_H
#define _MWAN_LIB_MARK_H

#include "mwan_lib_types.h"

/* Non-zero, and its set bits form one run. */
bool mwan_mark_mask_valid(u32 mask);

/* The mask must be valid for the functions below. */
u32 mwan_mark_index_max(u32 mask);
u32 mwan_mark_from_index(u32 mask, u32 index);
u32 mwan_mark_to_index(u32 mask, u32 mark);

#endif /* _MWAN_LIB_MARK_H */
