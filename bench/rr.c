/*
 * rr.c - time commands round-robin: each round runs every command once,
 * so that load which comes and goes on a shared machine falls on all of
 * them alike.  Prints, per command, the median wall time and the median
 * of its per-round ratio to the first command (the floor).
 *
 * usage: rr RUNS NAME COMMAND [NAME COMMAND ...]
 * A COMMAND is split at spaces and run without a shell.  Its output goes
 * to a pipe that a thread drains (not to /dev/null, where grep stops at
 * the first match); standard error to /dev/null.  Exit 2 if a command
 * cannot be run or fails with status >1.
 * With RR_REF2=K in the environment (K >= 1; 1 is the second command),
 * a fourth column gives each command's median per-round ratio to
 * command K too: a second floor.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 32
#define MAX_ARGS 64
#define WARMUP   10

extern char **environ;

struct cmd {
	const char *name;
	char *argv[MAX_ARGS + 1];
	double *t;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run of C; its wall time in seconds, or -1 on failure. */
static double
run(const struct cmd *c, posix_spawn_file_actions_t *fa)
{
	double t0 = now();
	pid_t pid;
	int status;

	if (posix_spawnp(&pid, c->argv[0], fa, NULL, c->argv, environ) != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) > 1)
		return -1;
	return now() - t0;
}

static void *
drain(void *arg)
{
	char buf[65536];
	int fd = *(int *)arg;

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	struct cmd cmd[MAX_CMDS];
	posix_spawn_file_actions_t fa;
	size_t ncmd = 0, runs, r, i, k, ref2 = 0;
	const char *ref2_env = getenv("RR_REF2");
	double *ratio;
	pthread_t drainer;
	int out[2];

	if (argc < 4 || argc % 2 != 0 || (argc - 2) / 2 > MAX_CMDS ||
	    (runs = strtoul(argv[1], NULL, 10)) == 0) {
		fputs("usage: rr RUNS NAME COMMAND [NAME COMMAND ...]\n",
		      stderr);
		return 2;
	}
	for (i = 2; i + 1 < (size_t)argc; i += 2, ncmd++) {
		struct cmd *c = &cmd[ncmd];
		char *tok, *save = NULL;
		k = 0;
		c->name = argv[i];
		for (tok = strtok_r(argv[i + 1], " ", &save);
		     tok && k < MAX_ARGS; tok = strtok_r(NULL, " ", &save))
			c->argv[k++] = tok;
		c->argv[k] = NULL;
		if (k == 0 || (c->t = calloc(runs, sizeof(double))) == NULL)
			return 2;
	}
	if (ref2_env != NULL &&
	    ((ref2 = strtoul(ref2_env, NULL, 10)) == 0 || ref2 >= ncmd)) {
		fputs("rr: RR_REF2 must name a command after the first\n",
		      stderr);
		return 2;
	}
	if ((ratio = calloc(runs, sizeof(double))) == NULL)
		return 2;
	if (pipe(out) < 0 || pthread_create(&drainer, NULL, drain, &out[0]))
		return 2;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (r = 0; r < runs + WARMUP; r++)
		for (k = 0; k < ncmd; k++) {
			/* Rotate the order so no command always runs first. */
			struct cmd *c = &cmd[(k + r) % ncmd];
			double t = run(c, &fa);
			if (t < 0) {
				fprintf(stderr, "rr: %s: failed\n", c->name);
				return 2;
			}
			if (r >= WARMUP)
				c->t[r - WARMUP] = t;
		}
	close(out[1]);
	pthread_join(drainer, NULL);
	printf("%-24s %10s %8s%s\n", "command", "median ms", "ratio",
	       ref2 ? "   ratio2" : "");
	for (k = 0; k < ncmd; k++) {
		double rt, rt2 = 0;
		for (r = 0; r < runs; r++)
			ratio[r] = cmd[k].t[r] / cmd[0].t[r];
		/* Ratios first: median() sorts the times it is given. */
		rt = median(ratio, runs);
		if (ref2) {
			for (r = 0; r < runs; r++)
				ratio[r] = cmd[k].t[r] / cmd[ref2].t[r];
			rt2 = median(ratio, runs);
		}
		printf("%-24s %10.3f %8.2f", cmd[k].name,
		       median(cmd[k].t, runs) * 1000, rt);
		if (ref2)
			printf(" %8.2f", rt2);
		putchar('\n');
	}
	return 0;
}
