// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only views for people and bug reports, never an interface for tools:
 * /sys/kernel/debug/mwan/<netns inode number>/uplinks, one line per uplink:
 *
 *   name dev ifindex state reason admin weight metric table mark packets bytes flows
 *
 * Without debugfs (not built, or not mounted) the module works the same.
 */
#include "mwan.h"
#include "uplink.h"

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

static_assert(ARRAY_SIZE(state_names) == __MWAN_STATE_MAX);
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
}

/* Waits for readers in the file's callbacks; later reads get -EIO. */
void mwan_debugfs_net_exit(struct mwan_net *mn)
{
	debugfs_remove(mn->debugfs);
}
