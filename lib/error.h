/*
 * error.h - filling an awn_error.
 */
#ifndef ERROR_H
#define ERROR_H

#include "awsnote.h"

/*
 * Record STATUS and a printf-formatted detail in ERR (may be NULL) and
 * return STATUS, so callers can write `return error_set(err, ...)`.
 */
awn_status error_set(awn_error *err, awn_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like error_set with strerror(errno) appended: "PATH: No such file". */
awn_status error_errno(awn_error *err, awn_status status, int errnum,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * For clang's static analyzer (scan-build), which does not look into
 * error.c: each returns the status it is given, so no path returns
 * AWN_OK from `return error_set(err, AWN_ERR_NOMEM, ...)`.  Compilers
 * see the functions alone.
 */
#if defined(__clang_analyzer__) && !defined(ERROR_C)
#define error_set(err, status, ...)                                            \
	(error_set((err), (status), __VA_ARGS__), (status))
#define error_errno(err, status, errnum, ...)                                  \
	(error_errno((err), (status), (errnum), __VA_ARGS__), (status))
#endif

#endif /* ERROR_H */
