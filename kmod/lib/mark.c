// SPDX-License-Identifier: GPL-2.0
#include "mark.h"

static unsigned int mark_shift(u32 mask)
{
	return (unsigned int)__builtin_ctz(mask);
}

bool mwan_mark_mask_valid(u32 mask)
{
	u32 run;

	if (!mask)
		return false;
	run = mask >> mark_shift(mask);
	/* A run of ones plus one is a power of two (or wraps to zero). */
	return !(run & (run + 1));
}

u32 mwan_mark_flag(u32 mask)
{
	return 1u << (31 - __builtin_clz(mask));
}

u32 mwan_mark_pass(u32 mask)
{
	return (mask & ~mwan_mark_flag(mask)) >> mark_shift(mask);
}

u32 mwan_mark_index_max(u32 mask)
{
	u32 pass = mwan_mark_pass(mask);

	return pass ? pass - 1 : 0;
}

u32 mwan_mark_from_index(u32 mask, u32 index)
{
	return (index << mark_shift(mask)) & mask & ~mwan_mark_flag(mask);
}

u32 mwan_mark_to_index(u32 mask, u32 mark)
{
	return (mark & mask & ~mwan_mark_flag(mask)) >> mark_shift(mask);
}
