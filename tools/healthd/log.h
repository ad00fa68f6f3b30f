/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line per event on stderr. When stderr is not a terminal (journald,
 * a pipe) each line starts with the sd-daemon priority prefix "<N>", which
 * journald turns into the entry's priority; on a terminal it is plain.
 */
#ifndef MWAN_HEALTHD_LOG_H
#define MWAN_HEALTHD_LOG_H

#include <syslog.h>

/* verbose: 0 logs up to LOG_INFO, 1 and more also LOG_DEBUG. */
void log_init(unsigned int verbose);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
