/*
 * phases.c - where a short run's wall time goes: before main (exec and
 * the dynamic loader), main itself, and after it (exit handlers, the
 * kernel tearing the process down, the parent's wakeup).
 *
 * Built twice by bench/phases: with -DPHASES_PRELOAD as a library that
 * LD_PRELOAD puts in each run, whose constructor and exit handler send
 * two CLOCK_MONOTONIC stamps down fd 9; without, as the runner, which
 * stamps each spawn and each reap.  Commands run round-robin, as in
 * bench/rr.c, with output to /dev/null.
 *
 * usage: PHASES_PRELOAD=LIB phases RUNS NAME COMMAND [NAME COMMAND ...]
 * (a COMMAND is split at spaces and run without a shell; LIB, the
 * preload library, goes into each run's LD_PRELOAD, not the runner's)
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

#ifdef PHASES_PRELOAD

static double main_start;

/* Registered before main runs, so it runs after every handler main's
 * program registers: what follows is stdio's flush and _exit. */
static void
stamp_exit(void)
{
	char b[64];
	int n = snprintf(b, sizeof(b), "%.1f %.1f\n", main_start, now_us());

	if (n > 0)
		(void)!write(9, b, (size_t)n);
}

__attribute__((constructor)) static void
stamp_start(void)
{
	main_start = now_us();
	atexit(stamp_exit);
}

#else /* the runner */

#include <spawn.h>
#include <sys/wait.h>

#define MAX_CMDS 16
#define MAX_ARGS 64

extern char **environ;

struct cmd {
	const char *name;
	char *argv[MAX_ARGS + 1];
	double *t[4]; /* start, main, exit, total, one a run */
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
run(struct cmd *c, int r)
{
	posix_spawn_file_actions_t fa;
	double t0, t3, t1 = 0, t2 = 0;
	char b[64] = "";
	int p[2], status, ok;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 9);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = now_us();
	ok = posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv, environ) ==
	         0 &&
	     waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	     WEXITSTATUS(status) <= 1;
	t3 = now_us();
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	ok = ok && read(p[0], b, sizeof(b) - 1) > 0 &&
	     sscanf(b, "%lf %lf", &t1, &t2) == 2;
	close(p[0]);
	if (!ok)
		return -1;
	c->t[0][r] = t1 - t0;
	c->t[1][r] = t2 - t1;
	c->t[2][r] = t3 - t2;
	c->t[3][r] = t3 - t0;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	const char *lib = getenv("PHASES_PRELOAD");
	int runs, n, i, r, k;

	if (lib == NULL || setenv("LD_PRELOAD", lib, 1) != 0 || argc < 4 || argc % 2 != 0 || (argc - 2) / 2 > MAX_CMDS ||
	    (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: PHASES_PRELOAD=LIB phases RUNS "
		                "NAME COMMAND ...\n");
		return 2;
	}
	n = (argc - 2) / 2;
	for (i = 0; i < n; i++) {
		char *s = argv[3 + 2 * i], *tok;
		cmds[i].name = argv[2 + 2 * i];
		for (k = 0; (tok = strsep(&s, " ")) != NULL && k < MAX_ARGS;)
			if (*tok)
				cmds[i].argv[k++] = tok;
		cmds[i].argv[k] = NULL;
		for (k = 0; k < 4; k++)
			if ((cmds[i].t[k] = calloc((size_t)runs, sizeof(double))) ==
			    NULL)
				return 2;
	}
	for (r = 0; r < runs; r++)
		for (i = 0; i < n; i++)
			if (run(&cmds[i], r) < 0) {
				fprintf(stderr,
				        "phases: %s failed, or ran without "
				        "the preload library\n",
				        cmds[i].name);
				return 2;
			}
	printf("%-28s %8s %8s %8s %8s  (medians, us)\n", "command", "total",
	       "start", "main", "exit");
	for (i = 0; i < n; i++) {
		for (k = 0; k < 4; k++)
			qsort(cmds[i].t[k], (size_t)runs, sizeof(double),
			      cmp_double);
		printf("%-28s %8.0f %8.0f %8.0f %8.0f\n", cmds[i].name,
		       cmds[i].t[3][runs / 2], cmds[i].t[0][runs / 2],
		       cmds[i].t[1][runs / 2], cmds[i].t[2][runs / 2]);
	}
	return 0;
}

#endif
