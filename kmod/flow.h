/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hooks that give each new flow an uplink and restore it on
 * the flow's later packets (see flow.c).
 */
#ifndef _MWAN_FLOW_H
#define _MWAN_FLOW_H

struct mwan_net;

void mwan_flow_net_init(struct mwan_net *mn);
/* After the last uplink is gone; waits for a cleanup in progress. */
void mwan_flow_net_exit(struct mwan_net *mn);

/* mn->lock held: hooks while the netns has uplinks, none without. */
int mwan_flow_enable(struct mwan_net *mn);
void mwan_flow_disable(struct mwan_net *mn);

/*
 * An uplink went down or away: drops, from a work item, the conntrack
 * entries of the flows pinned to any uplink that is not up.
 */
void mwan_flow_uplink_down(struct mwan_net *mn);
/* Waits for that cleanup; no locks held. */
void mwan_flow_sync(struct mwan_net *mn);

#endif /* _MWAN_FLOW_H */
