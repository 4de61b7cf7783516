/*
 * ln.c - log(x) without libm.
 *
 * x = m * 2^e with m in [sqrt(1/2), sqrt(2)), so that
 * log(x) = e log(2) + log(m), and log(m) = 2 atanh(s) with
 * s = (m - 1) / (m + 1), |s| <= 0.1716: the odd series
 * 2 (s + s^3/3 + s^5/5 + ...) gains 5.1 bits a term.  Only its tail
 * past 2s is summed as a polynomial, and it is added as a correction
 * to f = m - 1, which is exact: nine terms keep the result within one
 * unit in the last place of libm's (test-ln.c; eight give six units),
 * and ten are summed.  log(2) is split so that e * LN2_HI is exact.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ln.h"

#define LN2_HI 6.93147180369123816490e-01 /* 0x3fe62e42fee00000 */
#define LN2_LO 1.90821492927058770002e-10 /* 0x3dea39ef35793c76 */
#define SQRT2  1.41421356237309504880

double
ln(double x)
{
	uint64_t bits;
	double m, f, s, z, r, hf2;
	int e;

	if (!(x > 0)) /* 0, negative or NaN */
		return x == 0 ? -HUGE_VAL : NAN;
	if (x == HUGE_VAL)
		return x;
	memcpy(&bits, &x, sizeof(bits));
	e = (int)(bits >> 52) - 1023; /* sign bit is 0 */
	if (e == -1023) {             /* subnormal: scale by 2^54 first */
		x *= 18014398509481984.0;
		memcpy(&bits, &x, sizeof(bits));
		e = (int)(bits >> 52) - 1023 - 54;
	}
	bits = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1023) << 52;
	memcpy(&m, &bits, sizeof(m)); /* m in [1, 2) */
	if (m > SQRT2) {
		m *= 0.5;
		e++;
	}
	f = m - 1; /* exact */
	s = f / (2 + f);
	z = s * s;
	r = 2.0 / 21;
	r = r * z + 2.0 / 19;
	r = r * z + 2.0 / 17;
	r = r * z + 2.0 / 15;
	r = r * z + 2.0 / 13;
	r = r * z + 2.0 / 11;
	r = r * z + 2.0 / 9;
	r = r * z + 2.0 / 7;
	r = r * z + 2.0 / 5;
	r = r * z + 2.0 / 3;
	r *= z;
	/* 2s = f - f^2/2 + s f^2/2, so log(m) = f - (hf2 - s (hf2 + r)):
	 * f is exact and the rest a small correction */
	hf2 = 0.5 * f * f;
	return e * LN2_HI - ((hf2 - (s * (hf2 + r) + e * LN2_LO)) - f);
}
