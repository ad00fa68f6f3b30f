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

u32 mwan_mark_index_max(u32 mask)
{
	return mask >> mark_shift(mask);
}

u32 mwan_mark_from_index(u32 mask, u32 index)
{
	return (index << mark_shift(mask)) & mask;
}

u32 mwan_mark_to_index(u32 mask, u32 mark)
{
	return (mark & mask) >> mark_shift(mask);
}
