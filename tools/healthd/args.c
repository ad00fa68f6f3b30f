// SPDX-License-Identifier: GPL-2.0
/*
 * mwan-healthd [ -n NETNS ] [ -f|--foreground ] [ -v ]... | --status | -h | -V
 * Long options may be abbreviated to any unique prefix after "--"; "-n"
 * also takes its value attached ("-nNAME", "--netns=NAME").
 */
#include <string.h>

#include "args.h"

const char healthd_usage[] =
	"Usage: mwan-healthd [ -n NETNS ] [ -f | --foreground ] [ -v | --verbose ]...\n"
	"       mwan-healthd [ -n NETNS ] -s | --status\n"
	"       mwan-healthd -h | --help\n"
	"       mwan-healthd -V | --version\n";

static const struct {
	const char *name;
	char shrt;
} longs[] = {
	{ "netns", 'n' },
	{ "foreground", 'f' },
	{ "verbose", 'v' },
	{ "status", 's' },
	{ "help", 'h' },
	{ "version", 'V' },
};

/* "--fore" or "--netns=x": the short letter, and *val for an attached value. */
static char long_opt(const char *arg, const char **val)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	char found = 0;
	unsigned int i;

	*val = eq ? eq + 1 : NULL;
	if (!len)
		return 0;
	for (i = 0; i < ARRAY_SIZE(longs); i++) {
		if (strncmp(name, longs[i].name, len))
			continue;
		if (strlen(longs[i].name) == len)
			return longs[i].shrt;
		if (found)
			return '?';
		found = longs[i].shrt;
	}
	return found;
}

static int set_netns(struct healthd_args *a, const char *opt, const char *val)
{
	if (a->netns[0])
		return duparg(opt, val);
	if (!*val || strchr(val, '/') || !strcmp(val, ".") || !strcmp(val, ".."))
		return invarg(val, "not a network namespace name");
	if (strlen(val) >= sizeof(a->netns))
		return invarg(val, "network namespace name too long");
	strcpy(a->netns, val);
	return 0;
}

static int set_mode(struct healthd_args *a, enum healthd_mode mode, const char *arg)
{
	if (a->mode != HEALTHD_RUN && a->mode != mode)
		return parse_fail("option \"%s\" conflicts with an earlier one", arg);
	a->mode = mode;
	return 0;
}

int healthd_parse_args(int argc, char **argv, struct healthd_args *a)
{
	const char *arg, *val;
	char opt;
	int i;

	memset(a, 0, sizeof(*a));
	parse_fail("%s", "");
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		val = NULL;
		if (arg[0] != '-' || !arg[1])
			return parse_fail("unexpected argument \"%s\"", arg);
		if (arg[1] == '-') {
			opt = long_opt(arg, &val);
			if (opt == '?')
				return parse_fail("option \"%s\" is ambiguous", arg);
			if (val && opt && opt != 'n')
				return parse_fail("option \"%s\" takes no value", arg);
		} else {
			opt = arg[1];
			if (arg[2] && opt == 'n')
				val = arg + 2;
			else if (arg[2])
				return parse_fail("unknown option \"%s\"", arg);
		}
		switch (opt) {
		case 'n':
			if (!val) {
				if (++i >= argc)
					return missarg(arg);
				val = argv[i];
			}
			if (set_netns(a, arg, val))
				return -1;
			break;
		case 'f':
			a->foreground = true;
			break;
		case 'v':
			if (a->verbose < 3)
				a->verbose++;
			break;
		case 's':
			if (set_mode(a, HEALTHD_STATUS, arg))
				return -1;
			break;
		case 'h':
			if (set_mode(a, HEALTHD_HELP, arg))
				return -1;
			break;
		case 'V':
			if (set_mode(a, HEALTHD_VERSION, arg))
				return -1;
			break;
		default:
			return parse_fail("unknown option \"%s\"", arg);
		}
	}
	return 0;
}
