/*
 * ln.h - the natural logarithm, for ranking.
 *
 * Ranking needs one libm function, log, and loading libm cost every
 * lookup 75-100 us (a tenth of a process start here) and 10-13 page
 * faults to map and relocate it.  This one is within one unit in the
 * last place of libm's (tests/unit/test-ln.c compares them over many
 * ranges), and rankings are the same (bench/same-rankings).
 */
#ifndef LN_H
#define LN_H

/* log(X) for X > 0; -HUGE_VAL for 0, NaN for X < 0 or NaN, X for
 * +infinity, as log does. */
double ln(double x);

#endif
