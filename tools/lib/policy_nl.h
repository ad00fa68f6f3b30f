/* SPDX-License-Identifier: GPL-2.0 */
/* struct policy to and from MWAN_POLICY_A_* attributes. */
#ifndef MWAN_TOOLS_POLICY_NL_H
#define MWAN_TOOLS_POLICY_NL_H

#include <libmnl/libmnl.h>

#include "policy.h"

/* Adds the name, the members and the last resort, those that are present. */
void policy_put(struct nlmsghdr *nlh, const struct policy *p);

/* Fills *p from a NEW/SET/DEL/GET message; -1 with errno EPROTO if malformed. */
int policy_from_msg(const struct nlmsghdr *nlh, struct policy *p);

#endif
