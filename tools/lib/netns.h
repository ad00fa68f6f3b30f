/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MWAN_TOOLS_NETNS_H
#define MWAN_TOOLS_NETNS_H

/* Enters /run/netns/NAME; -1 after printing why not. */
int netns_switch(const char *name);

#endif
