/* SPDX-License-Identifier: GPL-2.0 */
/* struct uplink to and from MWAN_UPLINK_A_* attributes. */
#ifndef MWAN_TOOLS_UPLINK_NL_H
#define MWAN_TOOLS_UPLINK_NL_H

#include <libmnl/libmnl.h>

#include "uplink.h"

/* Adds the attributes of every field a command can set that is present. */
void uplink_put(struct nlmsghdr *nlh, const struct uplink *u);

/* Fills *u from a NEW/SET/DEL/GET message; -1 with errno EPROTO if malformed. */
int uplink_from_msg(const struct nlmsghdr *nlh, struct uplink *u);

#endif
