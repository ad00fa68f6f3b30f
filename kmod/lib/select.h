/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weighted choice of a policy member: among the members that are up, only
 * those of the lowest metric present take part, each with probability
 * weight / (sum of their weights). Degraded members (up, but over a latency
 * or loss threshold) take part only when no member is up and not degraded,
 * whatever their metric: a healthy uplink of any tier beats a degraded one.
 */
#ifndef _MWAN_LIB_SELECT_H
#define _MWAN_LIB_SELECT_H

#include "mwan_lib_types.h"

struct mwan_select_member {
	u32 uplink;		/* the caller's, not looked at */
	u32 weight;		/* MWAN_WEIGHT_MIN..MAX; 0 is never chosen */
	u8 metric;		/* lower is preferred */
	bool up;
	bool degraded;		/* only looked at when up */
};

/*
 * Index into members of the chosen one, or -1 when none is up. random is a
 * uniform u32 (get_random_u32()); it is scaled into the sum of the weights by
 * multiplication, not modulo. The weights of one tier must sum below 2^32
 * (n * MWAN_WEIGHT_MAX does for any policy). O(n), reads members only.
 */
int mwan_select_member(const struct mwan_select_member *members, u32 n,
		       u32 random);

#endif /* _MWAN_LIB_SELECT_H */
