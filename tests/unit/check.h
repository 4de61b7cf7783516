/*
 * check.h - the few assertions the C unit tests use.
 *
 * A failed check prints file:line and what differed, and marks the test
 * failed; the test keeps going so one run shows every failure.  main()
 * ends with `return check_status();` (0 pass, 1 fail; automake reads
 * the exit status, 77 means skipped).
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			        __LINE__, #cond);                              \
			check_failures++;                                      \
		}                                                              \
	} while (0)

/* Compare a (pointer, length) slice with a NUL-terminated expectation. */
#define CHECK_MEM_STR(p, n, want)                                              \
	do {                                                                   \
		const char *check_p_ = (p);                                    \
		size_t check_n_ = (n);                                         \
		const char *check_w_ = (want);                                 \
		if (check_n_ != strlen(check_w_) ||                            \
		    memcmp(check_p_, check_w_, check_n_) != 0) {               \
			fprintf(stderr,                                        \
			        "%s:%d: got \"%.*s\"\n"                        \
			        "%*s want \"%s\"\n",                           \
			        __FILE__, __LINE__, (int)check_n_, check_p_,   \
			        (int)strlen(__FILE__) + 8, "", check_w_);      \
			check_failures++;                                      \
		}                                                              \
	} while (0)

#define CHECK_STR(got, want) CHECK_MEM_STR((got), strlen(got), (want))

#define CHECK_INT(got, want)                                                   \
	do {                                                                   \
		long long check_g_ = (long long)(got);                         \
		long long check_w_ = (long long)(want);                        \
		if (check_g_ != check_w_) {                                    \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n",      \
			        __FILE__, __LINE__, #got, check_g_, check_w_); \
			check_failures++;                                      \
		}                                                              \
	} while (0)

static inline int
check_status(void)
{
	return check_failures ? 1 : 0;
}

#endif /* CHECK_H */
