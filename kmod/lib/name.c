// SPDX-License-Identifier: GPL-2.0
#include "name.h"
#include "../../uapi/linux/mwan.h"

/* Length without the optional trailing NUL, or 0 if the name is not a string. */
static size_t name_len(const char *name, size_t len)
{
	size_t i;

	if (len && !name[len - 1])
		len--;
	for (i = 0; i < len; i++)
		if (!name[i])
			return 0;
	return len;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

bool mwan_uplink_name_valid(const char *name, size_t len)
{
	size_t i;

	len = name_len(name, len);
	if (!len || len >= MWAN_NAME_MAXLEN || !is_alnum(name[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_alnum(name[i]) && name[i] != '_' && name[i] != '.' &&
		    name[i] != '-')
			return false;
	return true;
}

bool mwan_ifname_valid(const char *name, size_t len)
{
	size_t i;

	len = name_len(name, len);
	if (!len || len >= MWAN_NAME_MAXLEN)
		return false;
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' || is_space(name[i]))
			return false;
	return true;
}
