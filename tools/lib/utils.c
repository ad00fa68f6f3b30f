// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing helpers: keyword matching, numbers, addresses and
 * names, each failing with a message that quotes the offending token.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils.h"

static char errbuf[512];
const char *pr_err_prefix = "";

void pr_err(const char *fmt, ...)
{
	va_list ap;

	fputs(pr_err_prefix, stderr);
	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *parse_error(void)
{
	return errbuf;
}

int parse_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -1;
}

int invarg(const char *arg, const char *why)
{
	return parse_fail("argument \"%s\" is wrong: %s", arg, why);
}

int duparg(const char *key, const char *arg)
{
	return parse_fail("duplicate \"%s\": \"%s\" is the second value", key, arg);
}

int missarg(const char *key)
{
	return parse_fail("\"%s\" needs an argument", key);
}

int unknownkw(const char *arg)
{
	return parse_fail("unknown keyword \"%s\"", arg);
}

bool matches(const char *prefix, const char *word)
{
	size_t len = strlen(prefix);

	return len && len <= strlen(word) && !strncmp(prefix, word, len);
}

int get_u32(uint32_t *val, const char *arg)
{
	unsigned long long v;
	const char *p = arg;
	char *end;
	int base = 10;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		base = 16;
	}
	/* strtoull() would accept a sign and leading blanks: refuse them. */
	if (!(*p >= '0' && *p <= '9') &&
	    !(base == 16 && ((*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))))
		return -1;
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*val = v;
	return 0;
}

int get_u32_range(uint32_t *val, const char *arg, uint32_t min, uint32_t max,
		  const char *what)
{
	uint32_t v;

	if (get_u32(&v, arg) || v < min || v > max)
		return parse_fail("argument \"%s\" is wrong: %s must be %u-%u",
				  arg, what, min, max);
	*val = v;
	return 0;
}

static bool addr_is_unicast(const struct inet_addr *a)
{
	if (a->family == AF_INET) {
		uint32_t h = ntohl(a->v4.s_addr);

		return h != INADDR_ANY && h != INADDR_BROADCAST && !IN_MULTICAST(h);
	}
	return !IN6_IS_ADDR_UNSPECIFIED(&a->v6) && !IN6_IS_ADDR_MULTICAST(&a->v6);
}

int get_addr(struct inet_addr *addr, const char *arg, const char *what)
{
	struct inet_addr a = {};

	if (inet_pton(AF_INET, arg, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, arg, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return parse_fail("argument \"%s\" is wrong: %s must be an IPv4 or IPv6 address",
				  arg, what);
	if (!addr_is_unicast(&a))
		return parse_fail("argument \"%s\" is wrong: %s must be a unicast address",
				  arg, what);
	*addr = a;
	return 0;
}

bool inet_addr_equal(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return IN6_ARE_ADDR_EQUAL(&a->v6, &b->v6);
}

const char *format_addr(const struct inet_addr *addr, char *buf, size_t len)
{
	if (!inet_ntop(addr->family, &addr->v4, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

/* Whether any bit of a beyond its first len bits is set. */
static bool host_bits(const struct inet_addr *a, unsigned int len)
{
	const uint8_t *b = (const uint8_t *)&a->v4;
	unsigned int bytes = a->family == AF_INET ? 4 : 16, i;

	for (i = len / 8; i < bytes; i++) {
		uint8_t mask = i == len / 8 ? 0xff >> (len % 8) : 0xff;

		if (b[i] & mask)
			return true;
	}
	return false;
}

int get_prefix(struct inet_prefix *p, const char *arg, const char *what)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(arg, '/');
	size_t len = slash ? (size_t)(slash - arg) : strlen(arg);
	struct inet_prefix r = {};
	uint32_t max, plen;

	if (len >= sizeof(addr))
		goto bad;
	memcpy(addr, arg, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &r.addr.v4) == 1)
		r.addr.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &r.addr.v6) == 1)
		r.addr.family = AF_INET6;
	else
		goto bad;
	max = r.addr.family == AF_INET ? 32 : 128;
	plen = max;
	if (slash && (get_u32(&plen, slash + 1) || plen > max))
		return parse_fail("argument \"%s\" is wrong: %s prefix length must be 0-%u",
				  arg, r.addr.family == AF_INET ? "IPv4" : "IPv6", max);
	r.len = plen;
	if (host_bits(&r.addr, r.len))
		return invarg(arg, "prefix has host bits set");
	*p = r;
	return 0;
bad:
	return parse_fail("argument \"%s\" is wrong: %s must be an IPv4 or IPv6 prefix, ADDR or ADDR/LEN",
			  arg, what);
}

bool inet_prefix_equal(const struct inet_prefix *a, const struct inet_prefix *b)
{
	return a->len == b->len && inet_addr_equal(&a->addr, &b->addr);
}

const char *format_prefix(const struct inet_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", format_addr(&p->addr, addr, sizeof(addr)), p->len);
	return buf;
}

int get_addr_list(struct inet_addr *addrs, unsigned int *n, unsigned int max,
		  const char *arg, const char *what)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = arg, *comma;
	unsigned int count = 0, i;
	size_t len;

	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!len)
			return parse_fail("argument \"%s\" is wrong: empty address in %s list",
					  arg, what);
		if (count == max)
			return parse_fail("argument \"%s\" is wrong: at most %u %s addresses",
					  arg, max, what);
		if (len >= sizeof(one))
			return parse_fail("argument \"%s\" is wrong: \"%.*s\" is not an IPv4 or IPv6 address",
					  arg, (int)len, p);
		memcpy(one, p, len);
		one[len] = '\0';
		if (get_addr(&addrs[count], one, what))
			return parse_fail("argument \"%s\" is wrong: \"%s\" is not a unicast IPv4 or IPv6 address",
					  arg, one);
		for (i = 0; i < count; i++)
			if (inet_addr_equal(&addrs[i], &addrs[count]))
				return parse_fail("argument \"%s\" is wrong: %s address \"%s\" is listed twice",
						  arg, what, one);
		count++;
		if (!comma)
			break;
		p = comma + 1;
	}
	*n = count;
	return 0;
}

int get_ifname(char *dst, size_t size, const char *arg, const char *what)
{
	size_t len = strlen(arg), i;

	if (!len || len >= size || !strcmp(arg, ".") || !strcmp(arg, ".."))
		goto bad;
	for (i = 0; i < len; i++) {
		unsigned char c = arg[i];

		if (c <= ' ' || c == 0x7f || c == '/' || c == ':')
			goto bad;
	}
	memcpy(dst, arg, len + 1);
	return 0;
bad:
	return parse_fail("argument \"%s\" is wrong: %s must be 1-%zu characters, without \"/\", \":\" or white space",
			  arg, what, size - 1);
}
