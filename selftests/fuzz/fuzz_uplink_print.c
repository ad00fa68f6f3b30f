// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the uplink printer, fed whatever a kernel might report (any
 * name bytes, any enum values, any numbers). Its JSON, for "show" and for
 * "monitor", must always be one well-formed JSON document, checked here by
 * a small recursive-descent validator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/lib/json_print.h"
#include "../../tools/lib/uplink.h"

static const char *value(const char *p, int depth);

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n')
		p++;
	return p;
}

static const char *string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			if (strspn(p + 1, "0123456789abcdef") < 4)
				return NULL;
			p += 4;
		} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
			return NULL;
		}
	}
	return p + 1;
}

static const char *container(const char *p, int depth, char close, bool keys)
{
	p = ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keys) {
			p = string(p);
			if (!p)
				return NULL;
			p = ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = value(ws(p), depth + 1);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = ws(p);
	}
}

static const char *value(const char *p, int depth)
{
	if (depth > 16)
		return NULL;
	if (*p == '{')
		return container(p, depth, '}', true);
	if (*p == '[')
		return container(p, depth, ']', false);
	if (*p == '"')
		return string(p);
	if (*p >= '0' && *p <= '9')
		return p + strspn(p, "0123456789");
	return NULL;
}

static void valid(const char *doc)
{
	const char *p = value(ws(doc), 0);

	if (!p || strcmp(p, "\n"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uplink u;
	char *buf = NULL;
	size_t len;
	FILE *fp;
	unsigned int i;

	if (size < sizeof(u))
		return 0;
	memcpy(&u, data, sizeof(u));
	u.name[sizeof(u.name) - 1] = '\0';
	u.dev[sizeof(u.dev) - 1] = '\0';
	u.ntrack %= MWAN_TRACK_MAX + 1;
	for (i = 0; i < u.ntrack; i++)
		u.track[i].family = (u.track[i].family & 1) ? AF_INET6 : AF_INET;

	fp = open_memstream(&buf, &len);
	json_print_init(fp, true, data[size - 1] & 1);
	open_json_array(NULL);
	uplink_print(&u, UPLINK_PRINT_STATS);
	close_json_array();
	print_nl();
	fclose(fp);
	valid(buf);
	free(buf);

	fp = open_memstream(&buf, &len);
	json_print_init(fp, true, false);
	uplink_print_event(&u, MWAN_CMD_UPLINK_NEW + data[size - 1] % 3);
	fclose(fp);
	valid(buf);
	free(buf);

	fp = fopen("/dev/null", "w");
	json_print_init(fp, false, false);
	uplink_print(&u, UPLINK_PRINT_STATS);
	uplink_print_event(&u, MWAN_CMD_UPLINK_SET);
	fclose(fp);
	json_print_init(NULL, false, false);
	return 0;
}
