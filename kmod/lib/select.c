// SPDX-License-Identifier: GPL-2.0
#include "select.h"

static bool candidate(const struct mwan_select_member *m, bool degraded)
{
	return m->up && m->degraded == degraded;
}

static int pick(const struct mwan_select_member *members, u32 n, u32 random,
		bool degraded)
{
	u32 i, sum = 0, target;
	int metric = -1;

	for (i = 0; i < n; i++) {
		if (!candidate(&members[i], degraded))
			continue;
		if (metric < 0 || members[i].metric < metric) {
			metric = members[i].metric;
			sum = 0;
		}
		if (members[i].metric == metric)
			sum += members[i].weight;
	}
	if (!sum)
		return -1;
	target = (u32)(((u64)random * sum) >> 32);
	for (i = 0; i < n; i++) {
		if (!candidate(&members[i], degraded) ||
		    members[i].metric != metric)
			continue;
		if (target < members[i].weight)
			return (int)i;
		target -= members[i].weight;
	}
	return -1;
}

int mwan_select_member(const struct mwan_select_member *members, u32 n,
		       u32 random)
{
	int chosen = pick(members, n, random, false);

	return chosen >= 0 ? chosen : pick(members, n, random, true);
}
