/*
 * progress.h - a build's progress on a terminal: one line of standard
 * error, "N files, X MB read", rewritten in place once a build is big
 * enough to be waited for, and erased when it ends.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>
#include <time.h>

struct progress {
	const char *who; /* the program, which the line starts with */
	int on;          /* standard error is a terminal (-1: not asked) */
	size_t shown;    /* columns of the line on the screen (0: none) */
	struct timespec last;
};

/* Start P for program WHO (a static string). */
void progress_init(struct progress *p, const char *who);

/* An awn_progress_fn: CTX is the struct progress. */
void progress_update(void *ctx, uint64_t files, uint64_t bytes, int writing);

/* Erase the line, if one is shown, before anything else is written. */
void progress_end(struct progress *p);

#endif /* PROGRESS_H */
