// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/lib/select.c: members are chosen by weight within the best metric
 * tier of those up, the random input is scaled by multiplication (so sweeping
 * it evenly yields the exact proportions), and random draws pass a
 * chi-square test.
 *
 * Seed: MWAN_TEST_SEED in the environment, else a fixed one; it is printed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "select.h"

#define MAXM	8
#define DRAWS	400000

static uint64_t rng_state;

static uint32_t rnd32(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static struct mwan_select_member m(uint32_t weight, uint8_t metric, bool up)
{
	struct mwan_select_member x = {
		.uplink = 100 + weight, .weight = weight, .metric = metric, .up = up,
	};

	return x;
}

/*
 * Draws with random inputs; the chi-square statistic against weights
 * (members with want 0 must never come out) stays under the 0.1% critical
 * value for the degrees of freedom.
 */
static bool chi_square(const struct mwan_select_member *ms, uint32_t n,
		       const uint32_t *want)
{
	static const double crit[] = { 0, 10.83, 13.82, 16.27, 18.47, 20.52 };
	uint32_t count[MAXM] = { 0 }, i, sum = 0, df = 0;
	double chi = 0;

	for (i = 0; i < n; i++)
		sum += want[i];
	for (i = 0; i < DRAWS; i++) {
		int c = mwan_select_member(ms, n, rnd32());

		if (c < 0 || (uint32_t)c >= n) {
			printf("# draw %u: %d\n", i, c);
			return false;
		}
		count[c]++;
	}
	for (i = 0; i < n; i++) {
		double e = (double)DRAWS * want[i] / sum;

		if (!want[i]) {
			if (count[i]) {
				printf("# member %u chosen %u times\n", i, count[i]);
				return false;
			}
			continue;
		}
		chi += (count[i] - e) * (count[i] - e) / e;
		df++;
		printf("# member %u: %u draws, expected %.0f\n", i, count[i], e);
	}
	printf("# chi-square %.2f, %u degrees of freedom, limit %.2f\n", chi,
	       df - 1, crit[df - 1]);
	return chi < crit[df - 1];
}

/* r swept evenly over 2^32: each member gets exactly its share (floor/ceil). */
static bool sweep(const struct mwan_select_member *ms, uint32_t n,
		  const uint32_t *want)
{
	uint32_t count[MAXM] = { 0 }, i, sum = 0, steps = 1u << 16;

	for (i = 0; i < n; i++)
		sum += want[i];
	for (i = 0; i < steps; i++)
		count[mwan_select_member(ms, n, i << 16)]++;
	for (i = 0; i < n; i++) {
		uint64_t lo = (uint64_t)steps * want[i] / sum;

		if (count[i] < lo || count[i] > lo + 1) {
			printf("# sweep: member %u got %u of %u, want %" PRIu64 "\n",
			       i, count[i], steps, lo);
			return false;
		}
	}
	return true;
}

static bool test_3_to_1(void)
{
	struct mwan_select_member ms[2] = { m(3, 1, true), m(1, 1, true) };
	uint32_t want[2] = { 3, 1 };

	return sweep(ms, 2, want) && chi_square(ms, 2, want);
}

static bool test_1_1_2(void)
{
	struct mwan_select_member ms[3] = {
		m(1, 5, true), m(1, 5, true), m(2, 5, true),
	};
	uint32_t want[3] = { 1, 1, 2 };

	return sweep(ms, 3, want) && chi_square(ms, 3, want);
}

/* Only the lowest metric among members that are up takes part. */
static bool test_tiers(void)
{
	struct mwan_select_member ms[5] = {
		m(5, 1, false), m(1, 2, true), m(7, 3, true), m(3, 2, true),
		m(9, 1, false),
	};
	uint32_t want[5] = { 0, 1, 0, 3, 0 };
	bool ok;

	ok = sweep(ms, 5, want) && chi_square(ms, 5, want);
	ms[1].up = ms[3].up = false;
	return ok && mwan_select_member(ms, 5, 0) == 2 &&
	       mwan_select_member(ms, 5, 0xffffffff) == 2;
}

/*
 * Degraded members are a second choice: not used while a healthy member of
 * any tier is up; when only degraded ones are, their best tier by weight.
 */
static bool test_degraded(void)
{
	struct mwan_select_member ms[4] = {
		m(5, 1, true), m(1, 2, true), m(3, 2, true), m(2, 1, true),
	};
	uint32_t healthy[4] = { 0, 1, 3, 0 };
	uint32_t second[4] = { 5, 0, 0, 2 };
	bool ok;

	ms[0].degraded = ms[3].degraded = true;
	ok = sweep(ms, 4, healthy) && chi_square(ms, 4, healthy);
	ms[1].up = ms[2].up = false;
	ok = ok && sweep(ms, 4, second) && chi_square(ms, 4, second);
	ms[0].up = ms[3].up = false;
	return ok && mwan_select_member(ms, 4, 0) == -1;
}

static bool test_none_up(void)
{
	struct mwan_select_member ms[3] = {
		m(1, 1, false), m(2, 1, false), m(3, 2, false),
	};

	return mwan_select_member(ms, 3, 0) == -1 &&
	       mwan_select_member(ms, 3, 0xffffffff) == -1 &&
	       mwan_select_member(ms, 0, 12345) == -1 &&
	       mwan_select_member(NULL, 0, 0) == -1;
}

/* r = 0 picks the first member of the tier, r = 2^32-1 the last. */
static bool test_edges(void)
{
	struct mwan_select_member ms[MAXM];
	int i, n = MAXM;
	bool ok;

	for (i = 0; i < n; i++)
		ms[i] = m(1000, 3, true);
	ms[0].metric = 4;
	ms[n - 1].up = false;
	ok = mwan_select_member(ms, (uint32_t)n, 0) == 1 &&
	     mwan_select_member(ms, (uint32_t)n, 0xffffffff) == n - 2;
	/* Weight 1 against 1000: the boundary of the first share. */
	ms[1].weight = 1;
	ok = ok && mwan_select_member(ms, (uint32_t)n, 0) == 1 &&
	     mwan_select_member(ms, (uint32_t)n, 0xffffffffu / 5001) == 1 &&
	     mwan_select_member(ms, (uint32_t)n, 0xffffffffu / 5001 + 1) == 2;
	return ok;
}

static const struct {
	bool (*fn)(void);
	const char *what;
} tests[] = {
	{ test_3_to_1, "weights 3:1 give shares 3/4 and 1/4" },
	{ test_1_1_2, "weights 1:1:2 give shares 1/4, 1/4, 1/2" },
	{ test_tiers, "only the best metric tier of members that are up is used" },
	{ test_degraded, "degraded members are used only when no healthy one is up" },
	{ test_none_up, "no member up (or none at all) gives -1" },
	{ test_edges, "r = 0 and r = 2^32-1 pick the first and last of the tier" },
};

int main(void)
{
	const char *env = getenv("MWAN_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 20240611;
	unsigned int i, n = sizeof(tests) / sizeof(tests[0]), failed = 0;

	printf("1..%u\n# seed %" PRIu64 " (MWAN_TEST_SEED)\n", n, seed);
	rng_state = seed;
	for (i = 0; i < n; i++) {
		bool ok = tests[i].fn();

		failed += !ok;
		printf("%sok %u - %s\n", ok ? "" : "not ", i + 1, tests[i].what);
	}
	return failed ? 1 : 0;
}
