/* SPDX-License-Identifier: GPL-2.0 */
/* mwan-healthd's command line into a plain struct; nothing here acts on it. */
#ifndef MWAN_HEALTHD_ARGS_H
#define MWAN_HEALTHD_ARGS_H

#include <stdbool.h>

#include "uplink.h"

enum healthd_mode {
	HEALTHD_RUN,
	HEALTHD_STATUS,
	HEALTHD_HELP,
	HEALTHD_VERSION,
};

struct healthd_args {
	enum healthd_mode mode;
	char netns[256];	/* empty: the current namespace */
	bool foreground;
	unsigned int verbose;	/* -v given this many times */
};

/*
 * Parses argv[1..argc-1]. Returns 0, or -1 with parse_error() naming the
 * bad token.
 */
int healthd_parse_args(int argc, char **argv, struct healthd_args *a);

/* The usage text, for -h and after an error. */
extern const char healthd_usage[];

#endif
