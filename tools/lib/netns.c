// SPDX-License-Identifier: GPL-2.0
/* Entering a named network namespace, as "ip -n NAME" does. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "netns.h"
#include "utils.h"

int netns_switch(const char *name)
{
	char path[4096];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		pr_err("argument \"%s\" is wrong: not a network namespace name", name);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("cannot open network namespace \"%s\": %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		pr_err("cannot enter network namespace \"%s\": %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
