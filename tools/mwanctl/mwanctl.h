/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mwanctl: one <object>_main() per object file. Each returns 0, or 1 after
 * printing its one "Error: " line.
 */
#ifndef MWANCTL_H
#define MWANCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "netlink.h"
#include "route.h"

extern bool json;
extern bool pretty;
extern int show_stats;

/* The socket, opened on first use and kept for the rest of a -batch; NULL after an error. */
struct mwan_nl *mwanctl_nl(void);

/* The rtnetlink socket for routing, opened on first use like mwanctl_nl(). */
struct route_nl *mwanctl_rt(void);

int uplink_main(int argc, char **argv);
int policy_main(int argc, char **argv);
int rule_main(int argc, char **argv);
int npt_main(int argc, char **argv);
int nat_main(int argc, char **argv);
int wg_main(int argc, char **argv);
int monitor_main(int argc, char **argv);

struct xlate_kind;
/* "npt" and "nat": the commands of one translation kind, with its usage. */
int xlate_main(const struct xlate_kind *k, void (*usage)(FILE *fp), int argc, char **argv);

#endif
