// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl: configure mwan, the multi-WAN kernel module, in the manner of ip(8).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "netns.h"
#include "mwanctl.h"
#include "utils.h"

bool json;
bool pretty;
int show_stats;

static const struct object {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *description;
} objects[] = {
	{ "uplink", uplink_main, "the uplinks, their probe settings and their routing" },
	{ "policy", policy_main, "how new connections are spread over uplinks" },
	{ "rule", rule_main, "which connections follow which policy" },
	{ "npt", npt_main, "IPv6 prefix translation (NPTv6, RFC 6296) per uplink" },
	{ "nat", nat_main, "1:1 IPv4 address translation per uplink" },
	{ "wg", wg_main, "WireGuard peers' endpoints, bound to uplinks" },
	{ "monitor", monitor_main, "print changes as they happen" },
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "Usage: mwanctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		    "       mwanctl [ OPTIONS ] -batch FILE\n"
		    "where  OBJECT := {");
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		fprintf(fp, "%s %s", i ? " |" : "", objects[i].name);
	fprintf(fp, " }\n"
		    "       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME |\n"
		    "                    -V[ersion] | -h[elp] }\n\n");
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		fprintf(fp, "  %-8s %s\n", objects[i].name, objects[i].description);
}

struct mwan_nl *mwanctl_nl(void)
{
	static struct mwan_nl nl;

	if (!nl.sock && mwan_nl_open(&nl))
		return NULL;
	return &nl;
}

struct route_nl *mwanctl_rt(void)
{
	static struct route_nl rt;

	if (!rt.sock && route_nl_open(&rt)) {
		pr_err("cannot open a routing netlink socket: %s", strerror(errno));
		return NULL;
	}
	return &rt;
}

static int do_cmd(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (matches(argv[0], objects[i].name))
			return objects[i].main(argc - 1, argv + 1);
	if (matches(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	pr_err("unknown object \"%s\", try \"mwanctl help\"", argv[0]);
	return 1;
}

static int batch(const char *name)
{
	char *line = NULL, *argv[BATCH_MAX_ARGS];
	FILE *fp = stdin;
	unsigned int lineno = 0;
	size_t size = 0;
	int argc, ret = 0;

	if (strcmp(name, "-")) {
		fp = fopen(name, "r");
		if (!fp) {
			pr_err("cannot open batch file \"%s\": %s", name, strerror(errno));
			return 1;
		}
	}
	while (getline(&line, &size, fp) >= 0) {
		lineno++;
		argc = batch_split(line, argv, BATCH_MAX_ARGS);
		if (argc < 0)
			pr_err("%s", parse_error());
		if (argc < 0 || (argc > 0 && do_cmd(argc, argv))) {
			fprintf(stderr, "Command failed %s:%u\n", name, lineno);
			ret = 1;
			break;
		}
	}
	if (!ret && ferror(fp)) {
		pr_err("cannot read batch file \"%s\": %s", name, strerror(errno));
		ret = 1;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return ret;
}

/*
 * Consumes the leading options. Returns the number of arguments it used,
 * -1 after an error, or 0 with *done set when an option did all there is
 * to do (-Version, -help).
 */
static int options(int argc, char **argv, const char **batch_file, bool *done)
{
	const char *opt;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		opt = argv[i][1] == '-' ? argv[i] + 1 : argv[i];
		if (strlen(opt) < 2) {
			break;
		} else if (matches(opt, "-json")) {
			json = true;
		} else if (matches(opt, "-pretty")) {
			pretty = true;
		} else if (matches(opt, "-statistics")) {
			show_stats++;
		} else if (matches(opt, "-netns") || matches(opt, "-batch")) {
			if (i + 1 == argc) {
				pr_err("\"%s\" needs an argument", argv[i]);
				return -1;
			}
			if (matches(opt, "-batch"))
				*batch_file = argv[++i];
			else if (netns_switch(argv[++i]))
				return -1;
		} else if (matches(opt, "-Version")) {
			printf("mwanctl %s\n", MWAN_VERSION);
			*done = true;
			return 0;
		} else if (matches(opt, "-help")) {
			usage(stdout);
			*done = true;
			return 0;
		} else {
			break;
		}
	}
	if (i < argc && argv[i][0] == '-') {
		pr_err("unknown option \"%s\", try \"mwanctl -help\"", argv[i]);
		return -1;
	}
	return i - 1;
}

int main(int argc, char **argv)
{
	const char *batch_file = NULL;
	bool done = false;
	int used, ret;

	used = options(argc, argv, &batch_file, &done);
	if (used < 0)
		return 1;
	if (done)
		return 0;
	argc -= used + 1;
	argv += used + 1;

	if (batch_file) {
		if (argc > 0) {
			pr_err("unexpected argument \"%s\" after -batch FILE", argv[0]);
			return 1;
		}
		ret = batch(batch_file);
	} else if (argc > 0) {
		ret = do_cmd(argc, argv);
	} else {
		pr_err("no object given, try \"mwanctl help\"");
		ret = 1;
	}
	if (fflush(stdout) || ferror(stdout)) {
		pr_err("cannot write the output: %s", strerror(errno));
		ret = 1;
	}
	return ret;
}
