// SPDX-License-Identifier: GPL-2.0
/*
 * "wg add|replace|del|show" command lines into struct wg_set, with the two
 * forms that WireGuard's own tools use: keys in base64 and endpoints as
 * ADDR:PORT or [ADDR6]:PORT. Every error quotes the token that is wrong.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "wg.h"

/* RFC 4648 alphabet; -1 for every other byte. */
static const signed char b64_val[256] = {
	['A'] = 0, ['B'] = 1, ['C'] = 2, ['D'] = 3, ['E'] = 4, ['F'] = 5,
	['G'] = 6, ['H'] = 7, ['I'] = 8, ['J'] = 9, ['K'] = 10, ['L'] = 11,
	['M'] = 12, ['N'] = 13, ['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17,
	['S'] = 18, ['T'] = 19, ['U'] = 20, ['V'] = 21, ['W'] = 22, ['X'] = 23,
	['Y'] = 24, ['Z'] = 25, ['a'] = 26, ['b'] = 27, ['c'] = 28, ['d'] = 29,
	['e'] = 30, ['f'] = 31, ['g'] = 32, ['h'] = 33, ['i'] = 34, ['j'] = 35,
	['k'] = 36, ['l'] = 37, ['m'] = 38, ['n'] = 39, ['o'] = 40, ['p'] = 41,
	['q'] = 42, ['r'] = 43, ['s'] = 44, ['t'] = 45, ['u'] = 46, ['v'] = 47,
	['w'] = 48, ['x'] = 49, ['y'] = 50, ['z'] = 51, ['0'] = 52, ['1'] = 53,
	['2'] = 54, ['3'] = 55, ['4'] = 56, ['5'] = 57, ['6'] = 58, ['7'] = 59,
	['8'] = 60, ['9'] = 61, ['+'] = 62, ['/'] = 63,
};

static const char b64_chr[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 'A' is the only character with value 0: the table marks the others. */
static int b64(unsigned char c)
{
	return c == 'A' ? 0 : b64_val[c] ? b64_val[c] : -1;
}

/*
 * 32 bytes are 43 characters of 6 bits and one '=': the last character
 * carries 4 bits, and its 2 low bits must be zero (a canonical encoding, so
 * that one key has one spelling).
 */
int wg_key_from_base64(uint8_t key[MWAN_WG_KEY_LEN], const char *s)
{
	uint32_t acc = 0;
	unsigned int i, bits = 0, n = 0;
	int v;

	if (strlen(s) != WG_KEY_B64_LEN || s[WG_KEY_B64_LEN - 1] != '=')
		return -1;
	for (i = 0; i < WG_KEY_B64_LEN - 1; i++) {
		v = b64((unsigned char)s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			key[n++] = (uint8_t)(acc >> bits);
		}
	}
	return acc & ((1u << bits) - 1) ? -1 : 0;
}

void wg_key_to_base64(char *out, const uint8_t key[MWAN_WG_KEY_LEN])
{
	uint32_t acc = 0;
	unsigned int i, bits = 0, n = 0;

	for (i = 0; i < MWAN_WG_KEY_LEN; i++) {
		acc = (acc << 8) | key[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[n++] = b64_chr[(acc >> bits) & 63];
		}
	}
	out[n++] = b64_chr[(acc << (6 - bits)) & 63];
	out[n++] = '=';
	out[n] = '\0';
}

static bool unicast(const struct inet_addr *a)
{
	if (a->family == AF_INET) {
		uint32_t h = ntohl(a->v4.s_addr);

		return h != INADDR_ANY && h != INADDR_BROADCAST && !IN_MULTICAST(h);
	}
	return !IN6_IS_ADDR_UNSPECIFIED(&a->v6) && !IN6_IS_ADDR_MULTICAST(&a->v6);
}

int wg_parse_endpoint(const char *arg, struct inet_addr *addr, uint16_t *port)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *start = arg;
	size_t len;
	uint32_t p;

	memset(addr, 0, sizeof(*addr));
	if (*arg == '[') {
		colon = strstr(arg, "]:");
		start = arg + 1;
		len = colon ? (size_t)(colon - start) : 0;
		colon = colon ? colon + 1 : NULL;
	} else {
		colon = strrchr(arg, ':');
		len = colon ? (size_t)(colon - arg) : 0;
	}
	if (!colon || !len || len >= sizeof(host))
		return invarg(arg, "endpoint must be ADDR:PORT or [ADDR6]:PORT");
	memcpy(host, start, len);
	host[len] = '\0';
	if (*arg == '[' ? inet_pton(AF_INET6, host, &addr->v6) != 1 :
			  inet_pton(AF_INET, host, &addr->v4) != 1)
		return invarg(arg, *arg == '[' ?
				   "endpoint address must be an IPv6 address in [ ]" :
				   "endpoint address must be an IPv4 address (IPv6: [ADDR6]:PORT)");
	addr->family = *arg == '[' ? AF_INET6 : AF_INET;
	if (!unicast(addr))
		return invarg(arg, "endpoint address must be a unicast address");
	if (get_u32(&p, colon + 1) || p < 1 || p > 65535)
		return invarg(arg, "endpoint port must be 1-65535");
	*port = (uint16_t)p;
	return 0;
}

const char *wg_format_endpoint(const struct inet_addr *addr, uint16_t port,
			       char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	inet_ntop(addr->family, &addr->v4, host, sizeof(host));
	snprintf(buf, len, addr->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 host, port);
	return buf;
}

static int parse_endpoint(struct wg_set *w, const char *arg)
{
	struct wg_endpoint *ep = &w->ep[w->n];
	unsigned int i;

	if (w->n == MWAN_WG_ENDPOINTS_MAX)
		return parse_fail("argument \"%s\" is wrong: too many endpoints (at most %u)",
				  arg, MWAN_WG_ENDPOINTS_MAX);
	memset(ep, 0, sizeof(*ep));
	if (wg_parse_endpoint(arg, &ep->addr, &ep->port))
		return -1;
	for (i = 0; i < w->n; i++)
		if (w->ep[i].port == ep->port &&
		    inet_addr_equal(&w->ep[i].addr, &ep->addr))
			return invarg(arg, "duplicate endpoint");
	w->n++;
	return 0;
}

static int parse_via(struct wg_set *w, const char *arg)
{
	struct wg_endpoint *ep;

	if (!w->n)
		return invarg(arg, "\"via\" must follow an endpoint");
	ep = &w->ep[w->n - 1];
	if (ep->has_via)
		return duparg("via", arg);
	if (get_ifname(ep->via, sizeof(ep->via), arg, "uplink name"))
		return -1;
	ep->has_via = true;
	return 0;
}

static int parse_word(enum wgset_cmd cmd, struct wg_set *w, const char *key,
		      const char *arg)
{
	if (!strcmp(key, "dev")) {
		if (w->present & WG_F_DEV)
			return duparg(key, arg);
		if (get_ifname(w->dev, sizeof(w->dev), arg, "device name"))
			return -1;
		w->present |= WG_F_DEV;
	} else if (!strcmp(key, "peer") && cmd != WG_SHOW) {
		if (w->present & WG_F_PEER)
			return duparg(key, arg);
		if (wg_key_from_base64(w->peer, arg))
			return invarg(arg, "peer must be a public key, 32 bytes in base64 (44 characters)");
		w->present |= WG_F_PEER;
	} else if (!strcmp(key, "endpoint") && cmd == WG_ADD) {
		return parse_endpoint(w, arg);
	} else if (!strcmp(key, "via") && cmd == WG_ADD) {
		return parse_via(w, arg);
	} else {
		return unknownkw(key);
	}
	return 0;
}

int wg_parse(enum wgset_cmd cmd, int argc, char **argv, struct wg_set *w)
{
	static const char *const usage[] = {
		[WG_ADD] = "wg add dev WGDEV peer PUBKEY endpoint ADDR:PORT [ via UPLINK ] ...",
		[WG_DEL] = "wg del dev WGDEV peer PUBKEY",
	};

	memset(w, 0, sizeof(*w));
	for (; argc > 0; argc--, argv++) {
		const char *key = *argv;

		if (strcmp(key, "dev") && strcmp(key, "peer") &&
		    strcmp(key, "endpoint") && strcmp(key, "via"))
			return unknownkw(key);
		NEXT_ARG();
		if (parse_word(cmd, w, key, *argv))
			return -1;
	}
	if (cmd == WG_SHOW)
		return 0;
	if (!(w->present & WG_F_DEV))
		return parse_fail("\"dev\" is required: %s", usage[cmd]);
	if (!(w->present & WG_F_PEER))
		return parse_fail("\"peer\" is required: %s", usage[cmd]);
	if (cmd == WG_ADD && !w->n)
		return parse_fail("\"endpoint\" is required: %s", usage[cmd]);
	return 0;
}
