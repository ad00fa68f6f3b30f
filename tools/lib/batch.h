/* SPDX-License-Identifier: GPL-2.0 */
/* Lines of a -batch file into argument vectors. */
#ifndef MWAN_TOOLS_BATCH_H
#define MWAN_TOOLS_BATCH_H

#define BATCH_MAX_ARGS 256

/*
 * Splits line in place into at most max words, as iproute2's makeargs():
 * blanks separate words, "..." or '...' quote one, and a word starting with
 * '#' starts a comment. Returns the number of words, or -1 with
 * parse_error() set.
 */
int batch_split(char *line, char **argv, int max);

#endif
