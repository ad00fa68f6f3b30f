/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TAP output of the tools' unit tests: ok() prints one numbered line
 * per check, tap_done() the plan and the exit status.
 */
#ifndef MWAN_UNIT_TAP_H
#define MWAN_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tests, failed;

__attribute__((format(printf, 2, 3)))
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!cond)
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A check that cannot run here: counted as skipped, with the reason. */
__attribute__((unused))
static void ok_skip(const char *name, const char *why)
{
	tests++;
	printf("ok %d - %s # SKIP %s\n", tests, name, why);
}

/* The plan, last; the exit status of main(). */
static int tap_done(void)
{
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}

#endif
