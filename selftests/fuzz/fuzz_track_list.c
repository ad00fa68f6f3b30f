// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the comma-separated address list of "track". A list that
 * parses has 1..MWAN_TRACK_MAX unicast addresses without duplicates, and
 * its printed form parses back to the same list.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/lib/uplink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inet_addr v[MWAN_TRACK_MAX], w[MWAN_TRACK_MAX];
	char *arg = malloc(size + 1);
	char out[MWAN_TRACK_MAX * (INET6_ADDRSTRLEN + 1)] = "";
	char one[INET6_ADDRSTRLEN];
	unsigned int n = 0, m = 0, i, j;

	memcpy(arg, data, size);
	arg[size] = '\0';
	if (get_addr_list(v, &n, MWAN_TRACK_MAX, arg, "track")) {
		if (!parse_error()[0])
			abort();
		goto out;
	}
	if (!n || n > MWAN_TRACK_MAX)
		abort();
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (inet_addr_equal(&v[i], &v[j]))
				abort();
		if (i)
			strcat(out, ",");
		strcat(out, format_addr(&v[i], one, sizeof(one)));
	}
	if (get_addr_list(w, &m, MWAN_TRACK_MAX, out, "track") || m != n)
		abort();
	for (i = 0; i < n; i++)
		if (!inet_addr_equal(&v[i], &w[i]))
			abort();
out:
	free(arg);
	return 0;
}
