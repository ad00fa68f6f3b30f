/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line parsing helpers shared by the mwan tools.
 *
 * Apart from pr_err(), nothing here prints or exits: a parser that fails
 * stores a one-line message (without the "Error: " prefix) with the helpers
 * below and returns -1, so the same code runs under unit tests and fuzzers.
 */
#ifndef MWAN_TOOLS_UTILS_H
#define MWAN_TOOLS_UTILS_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "Error: ..." and a newline on stderr: the one line every failure prints. */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed before "Error: " (a daemon's "<3>" for journald); "" by default. */
extern const char *pr_err_prefix;

/* The last parse error; valid only after a parser returned -1. */
const char *parse_error(void);
int parse_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int invarg(const char *arg, const char *why);
int duparg(const char *key, const char *arg);
int missarg(const char *key);
int unknownkw(const char *arg);

/* Advance to the argument of keyword *argv, or fail with missarg(). */
#define NEXT_ARG() do {					\
		argv++;						\
		if (--argc <= 0)				\
			return missarg(argv[-1]);		\
	} while (0)

/* True when prefix is a non-empty prefix of word, as iproute2's matches(). */
bool matches(const char *prefix, const char *word);

/* Decimal, or hexadecimal with 0x; no sign, no spaces, no overflow. */
int get_u32(uint32_t *val, const char *arg);
int get_u32_range(uint32_t *val, const char *arg, uint32_t min, uint32_t max,
		  const char *what);

struct inet_addr {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

int get_addr(struct inet_addr *addr, const char *arg, const char *what);
bool inet_addr_equal(const struct inet_addr *a, const struct inet_addr *b);
const char *format_addr(const struct inet_addr *addr, char *buf, size_t len);

/* ADDR or ADDR/LEN, any address, without host bits beyond LEN. */
struct inet_prefix {
	struct inet_addr addr;
	uint8_t len;
};

int get_prefix(struct inet_prefix *p, const char *arg, const char *what);
bool inet_prefix_equal(const struct inet_prefix *a, const struct inet_prefix *b);
/* "ADDR/LEN"; buf should hold PREFIX_STRLEN bytes. */
#define PREFIX_STRLEN (INET6_ADDRSTRLEN + 4)
const char *format_prefix(const struct inet_prefix *p, char *buf, size_t len);

/* A comma-separated list of at most max addresses, without duplicates. */
int get_addr_list(struct inet_addr *addrs, unsigned int *n, unsigned int max,
		  const char *arg, const char *what);

/* 1..maxlen-1 bytes, as an interface name: no '/', ':' or white space. */
int get_ifname(char *dst, size_t size, const char *arg, const char *what);

#endif
