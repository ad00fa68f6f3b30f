// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/lib/sticky.c: an address finds the uplink it was given until max_age
 * seconds pass without a refresh, across the 24-bit wrap of the seconds;
 * another source taking the slot is held off for the rest of the second;
 * readers racing a writer only ever see whole entries.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sticky.h"

static const uint8_t a4[4] = { 192, 0, 2, 1 }, b4[4] = { 192, 0, 2, 2 };
static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
/* The IPv4 bytes of a4 at the start of an IPv6 address. */
static const uint8_t a4as6[16] = { 192, 0, 2, 1 };

static struct mwan_sticky *table(unsigned int bits, uint32_t seed)
{
	struct mwan_sticky *st = malloc(mwan_sticky_size(bits));

	if (!st)
		exit(2);
	memset(st, 0xa5, mwan_sticky_size(bits));	/* init must clear it */
	mwan_sticky_init(st, bits, seed);
	return st;
}

static bool test_insert_lookup(void)
{
	struct mwan_sticky *st = table(12, 1);
	bool ok;

	ok = mwan_sticky_lookup(st, a4, 4, 100, 60) == 0;
	mwan_sticky_update(st, a4, 4, 3, 100);
	mwan_sticky_update(st, a6, 16, 255, 100);
	ok = ok && mwan_sticky_lookup(st, a4, 4, 100, 60) == 3 &&
	     mwan_sticky_lookup(st, a6, 16, 130, 60) == 255 &&
	     mwan_sticky_lookup(st, b4, 4, 100, 60) == 0 &&
	     mwan_sticky_lookup(st, a4as6, 16, 100, 60) == 0;
	mwan_sticky_update(st, a4, 4, 7, 101);
	ok = ok && mwan_sticky_lookup(st, a4, 4, 101, 60) == 7;
	free(st);
	return ok;
}

/* Fresh up to max_age seconds after the last refresh, gone one later. */
static bool test_expiry_and_refresh(void)
{
	struct mwan_sticky *st = table(12, 2);
	bool ok;

	mwan_sticky_update(st, a4, 4, 9, 1000);
	ok = mwan_sticky_lookup(st, a4, 4, 1060, 60) == 9 &&
	     mwan_sticky_lookup(st, a4, 4, 1061, 60) == 0 &&
	     mwan_sticky_lookup(st, a4, 4, 1000, 0) == 9 &&
	     mwan_sticky_lookup(st, a4, 4, 1001, 0) == 0;
	mwan_sticky_update(st, a4, 4, 9, 1050);
	ok = ok && mwan_sticky_lookup(st, a4, 4, 1110, 60) == 9 &&
	     mwan_sticky_lookup(st, a4, 4, 1111, 60) == 0 &&
	     mwan_sticky_lookup(st, a4, 4, 1000 + MWAN_STICKY_AGE_MAX,
				MWAN_STICKY_AGE_MAX) == 9;
	free(st);
	return ok;
}

/* Ages are computed modulo 2^24, whatever the clock's value. */
static bool test_wrap(void)
{
	struct mwan_sticky *st = table(4, 3);
	bool ok;

	mwan_sticky_update(st, a4, 4, 1, 0xfffffe);
	ok = mwan_sticky_lookup(st, a4, 4, 0x1000001, 3) == 1 &&
	     mwan_sticky_lookup(st, a4, 4, 0x1000002, 3) == 0;
	mwan_sticky_update(st, a4, 4, 2, 0xfffffffe);
	ok = ok && mwan_sticky_lookup(st, a4, 4, 1, 3) == 2 &&
	     mwan_sticky_lookup(st, a4, 4, 2, 3) == 0 &&
	     /* a clock behind the entry reads as very old */
	     mwan_sticky_lookup(st, a4, 4, 0xfffffffd, 1000) == 0;
	free(st);
	return ok;
}

/*
 * One slot, so every source collides: the 32-bit hash keeps them apart,
 * and a slot refreshed this second is not taken over until the next.
 */
static bool test_rate_limit(void)
{
	struct mwan_sticky *st = table(0, 4);
	uint64_t before;
	bool ok;

	mwan_sticky_update(st, a4, 4, 1, 500);
	before = st->slot[0];
	mwan_sticky_update(st, b4, 4, 2, 500);
	ok = st->slot[0] == before &&
	     mwan_sticky_lookup(st, a4, 4, 500, 10) == 1 &&
	     mwan_sticky_lookup(st, b4, 4, 500, 10) == 0;
	mwan_sticky_update(st, a4, 4, 1, 500);
	ok = ok && st->slot[0] == before;
	/* The same source may change its uplink within the second. */
	mwan_sticky_update(st, a4, 4, 5, 500);
	ok = ok && mwan_sticky_lookup(st, a4, 4, 500, 10) == 5;
	mwan_sticky_update(st, b4, 4, 2, 501);
	ok = ok && mwan_sticky_lookup(st, b4, 4, 501, 10) == 2 &&
	     mwan_sticky_lookup(st, a4, 4, 501, 10) == 0;
	free(st);
	return ok;
}

/* Many sources in 4096 slots: each finds its own index or nothing. */
static bool test_many_sources(void)
{
	struct mwan_sticky *st = table(12, 0x5eed);
	uint32_t i, kept = 0, n = 3000;
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	bool ok = true;

	for (i = 0; i < n; i++) {
		memcpy(a + 12, &i, 4);
		mwan_sticky_update(st, a, 16, 1 + i % 200, 7 + i);
	}
	for (i = 0; i < n; i++) {
		uint32_t got;

		memcpy(a + 12, &i, 4);
		got = mwan_sticky_lookup(st, a, 16, 7 + n, n);
		kept += got != 0;
		if (got && got != 1 + i % 200)
			ok = false;
	}
	/* Each later source evicts: occupied slots, 4096 (1 - e^(-n/4096)) = 2127. */
	printf("# %u of %u sources kept in 4096 slots\n", kept, n);
	free(st);
	return ok && kept > 2027 && kept < 2227;
}

struct race {
	struct mwan_sticky *st;
	volatile bool stop;
};

static void *writer(void *arg)
{
	struct race *r = arg;
	uint32_t now = 1;

	while (!r->stop) {
		mwan_sticky_update(r->st, a4, 4, 0x11, now);
		mwan_sticky_update(r->st, b4, 4, 0xee, ++now);
		now++;
	}
	return NULL;
}

/* A reader racing a writer over one slot sees a's entry, b's, or none. */
static bool test_race(void)
{
	struct race r = { .st = table(0, 5) };
	pthread_t t;
	uint32_t i, x, y;
	bool ok = true;

	if (pthread_create(&t, NULL, writer, &r))
		return false;
	for (i = 0; i < 2000000 && ok; i++) {
		x = mwan_sticky_lookup(r.st, a4, 4, i, MWAN_STICKY_AGE_MAX);
		y = mwan_sticky_lookup(r.st, b4, 4, i, MWAN_STICKY_AGE_MAX);
		ok = (x == 0 || x == 0x11) && (y == 0 || y == 0xee);
	}
	r.stop = true;
	pthread_join(t, NULL);
	free(r.st);
	return ok;
}

static const struct {
	bool (*fn)(void);
	const char *what;
} tests[] = {
	{ test_insert_lookup, "an address finds its index; others, and IPv4 vs IPv6, do not" },
	{ test_expiry_and_refresh, "entries expire max_age seconds after the last refresh" },
	{ test_wrap, "ages are modulo 2^24 across the wrap of the clock" },
	{ test_rate_limit, "another source takes a slot at most once a second" },
	{ test_many_sources, "3000 sources in 4096 slots never get another's index" },
	{ test_race, "readers racing a writer see whole entries only" },
};

int main(void)
{
	unsigned int i, n = sizeof(tests) / sizeof(tests[0]), failed = 0;

	printf("1..%u\n", n);
	for (i = 0; i < n; i++) {
		bool ok = tests[i].fn();

		failed += !ok;
		printf("%sok %u - %s\n", ok ? "" : "not ", i + 1, tests[i].what);
	}
	return failed ? 1 : 0;
}
