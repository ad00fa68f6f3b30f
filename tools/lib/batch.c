// SPDX-License-Identifier: GPL-2.0
/* -batch lines into argument vectors. */
#include <string.h>

#include "batch.h"
#include "utils.h"

static const char blanks[] = " \t\r\n\v\f";

int batch_split(char *line, char **argv, int max)
{
	char *p = line, quote;
	int argc = 0;

	for (;;) {
		p += strspn(p, blanks);
		if (!*p || *p == '#')
			return argc;
		if (argc == max)
			return parse_fail("too many arguments (at most %d)", max);
		if (*p == '"' || *p == '\'') {
			quote = *p++;
			argv[argc++] = p;
			p = strchr(p, quote);
			if (!p)
				return parse_fail("unterminated %c quoted string", quote);
			*p++ = '\0';
			if (*p && !strchr(blanks, *p))
				return parse_fail("closing %c quote must be followed by a blank", quote);
			continue;
		}
		argv[argc++] = p;
		p += strcspn(p, blanks);
		if (*p)
			*p++ = '\0';
	}
}
