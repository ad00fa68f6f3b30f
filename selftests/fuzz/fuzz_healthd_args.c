// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: mwan-healthd's command line. The input is split on blanks
 * and NULs into argv (byte 0 is ignored); a parse that succeeds gives a
 * mode among the four and a usable namespace name, one that fails says why.
 */
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "../../tools/healthd/args.h"

#define MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 1] = { "mwan-healthd" };
	struct healthd_args a;
	int argc;

	if (!size)
		return 0;
	argc = fuzz_argv(data, size, &buf, argv + 1, MAX_ARGS) + 1;
	if (!healthd_parse_args(argc, argv, &a)) {
		if (a.mode > HEALTHD_VERSION || a.verbose > 3)
			abort();
		if (a.netns[0] && (strchr(a.netns, '/') || !strcmp(a.netns, ".") ||
				   !strcmp(a.netns, "..") || strlen(a.netns) >= sizeof(a.netns)))
			abort();
	} else if (!parse_error()[0]) {
		abort();
	}
	free(buf);
	return 0;
}
