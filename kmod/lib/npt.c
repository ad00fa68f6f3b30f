// SPDX-License-Identifier: GPL-2.0
#include "npt.h"

static u16 word(const u8 *a, unsigned int i)
{
	return (u16)(a[2 * i] << 8 | a[2 * i + 1]);
}

/* One's complement sum of the first len bits of p, the rest taken as 0. */
static u16 prefix_sum(const u8 p[16], u8 len)
{
	u16 sum = 0, w, mask;
	unsigned int i;

	for (i = 0; i < 8 && len > 16 * i; i++) {
		w = word(p, i);
		mask = len >= 16 * (i + 1) ? 0xffff :
		       (u16)(0xffff << (16 - (len - 16 * i)));
		sum = mwan_csum16_add(sum, w & mask);
	}
	return sum;
}

u16 mwan_npt_adjustment(const u8 from[16], const u8 to[16], u8 len)
{
	return mwan_csum16_add(prefix_sum(from, len), (u16)~prefix_sum(to, len));
}

bool mwan_prefix_match(const u8 *a, const u8 *b, u8 len)
{
	unsigned int i;

	for (i = 0; len >= 8; i++, len -= 8)
		if (a[i] != b[i])
			return false;
	return !len || !((a[i] ^ b[i]) & (u8)(0xff00 >> len));
}

void mwan_prefix_mask(u8 *addr, unsigned int size, u8 len)
{
	unsigned int i;

	for (i = 0; i < size; i++, len = len > 8 ? len - 8 : 0)
		addr[i] &= len >= 8 ? 0xff : (u8)(0xff00 >> len);
}

int mwan_npt_translate(u8 addr[16], const u8 to[16], u8 len, u16 adj)
{
	unsigned int i, idx = 3;
	u16 w;

	if (len > 48) {
		for (idx = 4; idx < 8; idx++)
			if (word(addr, idx) != 0xffff)
				break;
		if (idx == 8)
			return -1;
	} else if (word(addr, 3) == 0xffff) {
		return -1;
	}
	for (i = 0; len >= 8; i++, len -= 8)
		addr[i] = to[i];
	if (len)
		addr[i] = (u8)((to[i] & (0xff00 >> len)) |
			       (addr[i] & (0xff >> len)));
	w = mwan_csum16_add(word(addr, idx), adj);
	if (w == 0xffff)
		w = 0;
	addr[2 * idx] = (u8)(w >> 8);
	addr[2 * idx + 1] = (u8)w;
	return (int)idx;
}
