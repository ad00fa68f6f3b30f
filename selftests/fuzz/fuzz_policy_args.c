// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the "policy" command-line parser. The first byte picks the
 * command (add, replace, del, show), the rest is split on blanks and NULs
 * into argv. A parse that succeeds must give a struct whose members are
 * named, distinct, at most MWAN_MEMBERS_MAX and in range, and that prints
 * as text and JSON; nothing is ever sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "../../tools/lib/json_print.h"
#include "../../tools/lib/policy.h"

#define MAX_ARGS 256

static void check(enum policy_cmd cmd, const struct policy *p)
{
	const struct member *m;
	unsigned int i, j;

	if (!(p->present & POLICY_F_NAME) && cmd != POLICY_SHOW)
		abort();
	if ((p->present & POLICY_F_NAME) && (!p->name[0] || strlen(p->name) >= MWAN_NAME_MAXLEN))
		abort();
	if ((cmd == POLICY_DEL || cmd == POLICY_SHOW) && (p->present & ~POLICY_F_NAME))
		abort();
	if ((cmd == POLICY_ADD || cmd == POLICY_REPLACE) &&
	    (!p->nmembers || !(p->present & POLICY_F_MEMBERS)))
		abort();
	if (p->nmembers > MWAN_MEMBERS_MAX)
		abort();
	if ((p->present & POLICY_F_LAST_RESORT) && !last_resort_name(p->last_resort))
		abort();
	for (i = 0; i < p->nmembers; i++) {
		m = &p->members[i];
		if (!m->uplink[0] || strlen(m->uplink) >= MWAN_NAME_MAXLEN)
			abort();
		if (m->present & ~(MEMBER_F_WEIGHT | MEMBER_F_METRIC))
			abort();
		if ((m->present & MEMBER_F_WEIGHT) &&
		    (m->weight < MWAN_WEIGHT_MIN || m->weight > MWAN_WEIGHT_MAX))
			abort();
		if ((m->present & MEMBER_F_METRIC) &&
		    (m->metric < MWAN_METRIC_MIN || m->metric > MWAN_METRIC_MAX))
			abort();
		for (j = 0; j < i; j++)
			if (!strcmp(p->members[j].uplink, m->uplink))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *buf, *argv[MAX_ARGS];
	enum policy_cmd cmd;
	struct policy pol;
	int argc;

	if (!size)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	cmd = data[0] % 4;
	argc = fuzz_argv(data, size, &buf, argv, MAX_ARGS);

	if (!policy_parse(cmd, argc, argv, &pol)) {
		check(cmd, &pol);
		json_print_init(null, data[0] & 4, data[0] & 8);
		open_json_array(NULL);
		policy_print(&pol);
		close_json_array();
		policy_print_event(&pol, MWAN_CMD_POLICY_NEW + cmd % 3);
	} else if (!parse_error()[0]) {
		abort();
	}
	free(buf);
	return 0;
}
