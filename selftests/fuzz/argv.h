/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command-line fuzzers' input: byte 0 picks the command and output
 * options; the rest is split on blanks and NULs into at most max words,
 * as a shell would hand them to mwanctl. The caller frees *buf.
 */
#ifndef MWAN_FUZZ_ARGV_H
#define MWAN_FUZZ_ARGV_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline int fuzz_argv(const uint8_t *data, size_t size, char **buf,
			    char *argv[], int max)
{
	char *p, *end;
	int argc = 0;

	*buf = malloc(size);
	memcpy(*buf, data + 1, size - 1);
	(*buf)[size - 1] = '\0';
	end = *buf + size - 1;
	for (p = *buf; p < end && argc < max; ) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || !*p))
			*p++ = '\0';
		if (p == end)
			break;
		argv[argc++] = p;
		while (p < end && *p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
	}
	if (p < end)
		*p = '\0';
	return argc;
}

#endif /* MWAN_FUZZ_ARGV_H */
