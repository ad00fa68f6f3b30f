/* SPDX-License-Identifier: GPL-2.0 */
/* struct rule to and from MWAN_RULE_A_* attributes. */
#ifndef MWAN_TOOLS_RULE_NL_H
#define MWAN_TOOLS_RULE_NL_H

#include <libmnl/libmnl.h>

#include "rule.h"

/* Adds the attributes of every field that is present (not the stats). */
void rule_put(struct nlmsghdr *nlh, const struct rule *r);

/* Fills *r from a NEW/DEL/GET message; -1 with errno EPROTO if malformed. */
int rule_from_msg(const struct nlmsghdr *nlh, struct rule *r);

#endif
