// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the -batch line splitter. Every word it returns must lie
 * within the line and contain no blank unless it was quoted; a failure must
 * say why.
 */
#include <stdlib.h>
#include <string.h>

#include "../../tools/lib/batch.h"
#include "../../tools/lib/utils.h"

#define MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *argv[MAX_ARGS];
	int argc, i;

	memcpy(line, data, size);
	line[size] = '\0';
	argc = batch_split(line, argv, MAX_ARGS);
	if (argc < 0 && !parse_error()[0])
		abort();
	if (argc > MAX_ARGS)
		abort();
	for (i = 0; i < argc; i++) {
		if (argv[i] < line || argv[i] > line + size)
			abort();
		if (argv[i] + strlen(argv[i]) > line + size)
			abort();
		if (argv[i] > line && (argv[i][-1] == '"' || argv[i][-1] == '\''))
			continue;
		if (!argv[i][0] || strpbrk(argv[i], " \t\r\n\v\f") || argv[i][0] == '#')
			abort();
	}
	free(line);
	return 0;
}
