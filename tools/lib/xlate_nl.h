/* SPDX-License-Identifier: GPL-2.0 */
/* struct xlate to and from MWAN_NPT_A_* / MWAN_NAT_A_* attributes. */
#ifndef MWAN_TOOLS_XLATE_NL_H
#define MWAN_TOOLS_XLATE_NL_H

#include <libmnl/libmnl.h>

#include "xlate.h"

/* Adds the attributes of every field that is present (not the stats). */
void xlate_put(struct nlmsghdr *nlh, const struct xlate *x);

/*
 * Fills *x from a NEW/SET/DEL/GET message of kind k; -1 with errno EPROTO
 * if malformed (a prefix of the wrong size, a length out of range, an
 * address without its length).
 */
int xlate_from_msg(const struct xlate_kind *k, const struct nlmsghdr *nlh,
		   struct xlate *x);

#endif
