// SPDX-License-Identifier: GPL-2.0
/* Logging for mwan-healthd: see log.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "utils.h"

static bool prefixed;
static int max_prio = LOG_INFO;

void log_init(unsigned int verbose)
{
	prefixed = !isatty(STDERR_FILENO);
	max_prio = verbose ? LOG_DEBUG : LOG_INFO;
	/* What the shared netlink helpers print with pr_err() is an error. */
	pr_err_prefix = prefixed ? "<3>" : "";
}

void log_msg(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (prio > max_prio)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (prefixed)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else
		fprintf(stderr, "%s\n", line);
}
