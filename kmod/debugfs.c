// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only views for people and bug reports, never an interface for tools,
 * in /sys/kernel/debug/mwan/<netns inode number>/:
 *
 *   uplinks   one line per uplink:
 *             name dev ifindex state reason admin weight metric table mark
 *             packets bytes flows
 *   policies  one line per policy: name last-resort, then per member
 *             uplink:weight:metric:state
 *   rules     one line per rule, by pref: pref family from to proto sport
 *             dport iif sticky policy packets ("-" for a match not set)
 *   npt, nat  one line per mapping, by uplink (mark index) and inside
 *             prefix: uplink inside outside packets
 *
 * Without debugfs (not built, or not mounted) the module works the same.
 */
#include "mwan.h"
#include "policy.h"
#include "rule.h"
#include "uplink.h"
#include "xlate.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>

static struct dentry *mwan_debugfs_root;

static const char *const state_names[] = {
	[MWAN_STATE_DOWN] = "down",
	[MWAN_STATE_UP] = "up",
};

static const char *const reason_names[] = {
	[MWAN_REASON_NONE] = "none",
	[MWAN_REASON_ADMIN] = "admin",
	[MWAN_REASON_NODEV] = "nodev",
	[MWAN_REASON_LINK] = "link",
	[MWAN_REASON_HEALTH] = "health",
};

static const char *const admin_names[] = {
	[MWAN_ADMIN_AUTO] = "auto",
	[MWAN_ADMIN_UP] = "up",
	[MWAN_ADMIN_DOWN] = "down",
};

static const char *const last_resort_names[] = {
	[MWAN_LAST_RESORT_UNREACHABLE] = "unreachable",
	[MWAN_LAST_RESORT_BLACKHOLE] = "blackhole",
	[MWAN_LAST_RESORT_DEFAULT] = "default",
};

static_assert(ARRAY_SIZE(state_names) == __MWAN_STATE_MAX);
static_assert(ARRAY_SIZE(last_resort_names) == __MWAN_LAST_RESORT_MAX);
static_assert(ARRAY_SIZE(reason_names) == __MWAN_REASON_MAX);
static_assert(ARRAY_SIZE(admin_names) == __MWAN_ADMIN_MAX);

static int uplinks_show(struct seq_file *m, void *v)
{
	struct mwan_net *mn = m->private;
	struct mwan_uplink_counters c;
	const struct mwan_uplink *up;

	mutex_lock(&mn->lock);
	list_for_each_entry(up, &mn->uplinks, list) {
		mwan_uplink_counters(up, &c);
		seq_printf(m, "%s %s %d %s %s %s %u %u %u 0x%08x %llu %llu %llu\n",
			   up->name, up->cfg.ifname, up->ifindex,
			   state_names[up->state], reason_names[up->reason],
			   admin_names[up->cfg.admin], up->cfg.weight,
			   up->cfg.metric, up->cfg.table, up->mark,
			   c.packets, c.bytes, c.flows);
	}
	mutex_unlock(&mn->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(uplinks);

static int policies_show(struct seq_file *m, void *v)
{
	struct mwan_net *mn = m->private;
	const struct mwan_policy_ver *ver;
	const struct mwan_member *mb;
	struct mwan_policy *pol;
	unsigned int i;

	mutex_lock(&mn->lock);
	list_for_each_entry(pol, &mn->policies, list) {
		ver = mwan_policy_ver(pol);
		seq_printf(m, "%s %s", pol->name,
			   last_resort_names[ver->last_resort]);
		for (i = 0; i < ver->n; i++) {
			mb = &ver->members[i];
			seq_printf(m, " %s:%u:%u:%s", mb->up->name,
				   mwan_member_weight(mb), mwan_member_metric(mb),
				   state_names[mb->up->state]);
		}
		seq_putc(m, '\n');
	}
	mutex_unlock(&mn->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(policies);

static void show_prefix(struct seq_file *m, u8 family, const u8 *addr, u8 len)
{
	if (!len)
		seq_puts(m, " -");
	else if (family == MWAN_FAMILY_INET)
		seq_printf(m, " %pI4/%u", addr, len);
	else
		seq_printf(m, " %pI6c/%u", addr, len);
}

static void show_range(struct seq_file *m, u16 lo, u16 hi)
{
	if (!lo && hi == U16_MAX)
		seq_puts(m, " -");
	else if (lo == hi)
		seq_printf(m, " %u", lo);
	else
		seq_printf(m, " %u-%u", lo, hi);
}

static void show_rule(struct seq_file *m, const struct mwan_rule *rule)
{
	const struct mwan_rule_spec *sp = &rule->spec;

	seq_printf(m, "%u %s", sp->pref,
		   sp->family == MWAN_FAMILY_INET ? "inet" :
		   sp->family == MWAN_FAMILY_INET6 ? "inet6" : "any");
	show_prefix(m, sp->family, sp->src, sp->src_len);
	show_prefix(m, sp->family, sp->dst, sp->dst_len);
	if (sp->proto)
		seq_printf(m, " %u", sp->proto);
	else
		seq_puts(m, " -");
	show_range(m, sp->sport_lo, sp->sport_hi);
	show_range(m, sp->dport_lo, sp->dport_hi);
	seq_printf(m, " %s %u %s %llu\n", rule->iifname[0] ? rule->iifname : "-",
		   rule->sticky, rule->policy->name, mwan_rule_packets(rule));
}

static int rules_show(struct seq_file *m, void *v)
{
	struct mwan_net *mn = m->private;
	const struct mwan_rule *rule;

	mutex_lock(&mn->lock);
	list_for_each_entry(rule, &mn->rules, list)
		show_rule(m, rule);
	mutex_unlock(&mn->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rules);

static int xlate_show(struct seq_file *m, int kind)
{
	struct mwan_net *mn = m->private;
	const struct mwan_xlate_ver *ver;
	const struct mwan_xlate *map;

	mutex_lock(&mn->lock);
	for (map = mwan_xlate_next(mn, kind, 0, NULL, false); map;
	     map = mwan_xlate_next(mn, kind, map->node.key.index,
				   map->node.key.addr, true)) {
		ver = mwan_xlate_ver(map);
		if (kind == MWAN_XLATE_NPT)
			seq_printf(m, "%s %pI6c/%u %pI6c/%u %llu\n",
				   map->up->name, map->node.key.addr,
				   map->node.key.len, ver->node.key.addr,
				   ver->node.key.len, mwan_xlate_packets(map));
		else
			seq_printf(m, "%s %pI4/%u %pI4/%u %llu\n",
				   map->up->name, map->node.key.addr,
				   map->node.key.len, ver->node.key.addr,
				   ver->node.key.len, mwan_xlate_packets(map));
	}
	mutex_unlock(&mn->lock);
	return 0;
}

static int npt_show(struct seq_file *m, void *v)
{
	return xlate_show(m, MWAN_XLATE_NPT);
}
DEFINE_SHOW_ATTRIBUTE(npt);

static int nat_show(struct seq_file *m, void *v)
{
	return xlate_show(m, MWAN_XLATE_NAT);
}
DEFINE_SHOW_ATTRIBUTE(nat);

void mwan_debugfs_init(void)
{
	mwan_debugfs_root = debugfs_create_dir("mwan", NULL);
}

void mwan_debugfs_uninit(void)
{
	debugfs_remove(mwan_debugfs_root);
}

/*
 * debugfs_create_*() take an error pointer as parent and return one, so a
 * missing root quietly leaves every netns without a directory.
 */
void mwan_debugfs_net_init(struct mwan_net *mn)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", mn->net->ns.inum);
	mn->debugfs = debugfs_create_dir(name, mwan_debugfs_root);
	debugfs_create_file("uplinks", 0444, mn->debugfs, mn, &uplinks_fops);
	debugfs_create_file("policies", 0444, mn->debugfs, mn, &policies_fops);
	debugfs_create_file("rules", 0444, mn->debugfs, mn, &rules_fops);
	debugfs_create_file("npt", 0444, mn->debugfs, mn, &npt_fops);
	debugfs_create_file("nat", 0444, mn->debugfs, mn, &nat_fops);
}

/* Waits for readers in the file's callbacks; later reads get -EIO. */
void mwan_debugfs_net_exit(struct mwan_net *mn)
{
	debugfs_remove(mn->debugfs);
}
