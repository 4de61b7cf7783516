/*
 * progress.c - see progress.h.  A build of a few notes ends before
 * anyone could read a count, so the line appears only from
 * PROGRESS_FILES files or PROGRESS_BYTES bytes (a count, not a clock:
 * the same notes show it or not on any machine), then at most every
 * PROGRESS_EVERY_MS, and once more as the blob is written.
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_FILES    1000
#define PROGRESS_BYTES    (16u << 20)
#define PROGRESS_EVERY_MS 100

void
progress_init(struct progress *p, const char *who)
{
	p->who = who;
	p->on = -1; /* asked when first needed: most runs build nothing */
	p->shown = 0;
	p->last.tv_sec = 0;
	p->last.tv_nsec = 0;
}

static long
ms_since(const struct timespec *then, const struct timespec *now)
{
	return (long)(now->tv_sec - then->tv_sec) * 1000 +
	       (now->tv_nsec - then->tv_nsec) / 1000000;
}

/* The terminal's width, 0 if unknown. */
static size_t
columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

void
progress_update(void *ctx, uint64_t files, uint64_t bytes, int writing)
{
	struct progress *p = ctx;
	struct timespec now;
	char line[128];
	size_t cols;
	int n;

	if (p->on == 0 || (files < PROGRESS_FILES && bytes < PROGRESS_BYTES))
		return;
	if (p->on < 0 && (p->on = isatty(STDERR_FILENO)) == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!writing && p->shown &&
	    ms_since(&p->last, &now) < PROGRESS_EVERY_MS)
		return;
	p->last = now;
	n = snprintf(line, sizeof(line), "%s: %llu files, %.1f MB read%s",
	             p->who, (unsigned long long)files, (double)bytes / 1e6,
	             writing ? ", writing the index" : "");
	/* A line the terminal would wrap cannot be rewritten in place. */
	cols = columns();
	if (n < 0 || (size_t)n >= sizeof(line) || (cols && (size_t)n >= cols))
		return;
	/* Blanks over what a longer line left. */
	fprintf(stderr, "\r%s%*s", line,
	        p->shown > (size_t)n ? (int)(p->shown - (size_t)n) : 0, "");
	fflush(stderr);
	if ((size_t)n > p->shown)
		p->shown = (size_t)n;
}

void
progress_end(struct progress *p)
{
	if (p->shown == 0)
		return;
	fprintf(stderr, "\r%*s\r", (int)p->shown, "");
	fflush(stderr);
	p->shown = 0;
}
