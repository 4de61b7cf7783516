/*
 * test-ln.c - ln() agrees with libm's log within one unit in the last
 * place, everywhere ranking may call it and beyond, and returns what
 * log returns for the edge cases.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ln.h"

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t
next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* |a - b| in units of b's last place */
static double
ulps(double a, double b)
{
	double b_abs = fabs(b);

	if (a == b)
		return 0;
	return fabs(a - b) / (nextafter(b_abs, INFINITY) - b_abs);
}

static double worst, worst_x; /* the largest difference, and where */

static void
compare(double x)
{
	double d = ulps(ln(x), log(x));

	if (d > worst)
		worst = d, worst_x = x;
}

int
main(void)
{
	uint64_t bits, i;
	double x;

	/* What ranking asks: 1 + n for counts, 1 + a ratio for idf. */
	for (i = 0; i < 200000; i++)
		compare(1.0 + (double)i);
	for (i = 0; i < 200000; i++)
		compare(1.0 + (double)(next() % 100000000) /
		                  (double)(1 + next() % 1000000));
	/* Around 1, where the result is small and cancellation would show. */
	for (i = 1; i < 100000; i++) {
		compare(1.0 + (double)i * 0x1p-40);
		compare(1.0 - (double)i * 0x1p-40);
	}
	/* Any positive double, subnormals included. */
	for (i = 0; i < 1000000; i++) {
		bits = next() & UINT64_C(0x7FEFFFFFFFFFFFFF);
		memcpy(&x, &bits, sizeof(x));
		if (x > 0)
			compare(x);
	}
	compare(0x1p-1074);
	compare(DBL_MAX);
	CHECK(ln(1.0) == 0.0);
	CHECK(ln(2.0) == log(2.0));
	CHECK(ln(0.0) == -HUGE_VAL);
	CHECK(isnan(ln(-1.0)));
	CHECK(isnan(ln(NAN)));
	CHECK(ln(HUGE_VAL) == HUGE_VAL);
	if (worst > 1.0)
		fprintf(stderr, "ln(%.17g) = %.17g, log gives %.17g\n", worst_x,
		        ln(worst_x), log(worst_x));
	CHECK(worst <= 1.0);
	printf("worst: %.3f ulp\n", worst);
	return check_status();
}
