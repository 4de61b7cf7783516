/*
 * output.c - terminal detection, colour and width policy, and the pager.
 *
 * The pager runs like man's: $AWSNOTE_PAGER, else $PAGER, else
 * "less -R", with LESS=FRX unless the user set LESS (F: exit at once when
 * the text fits on one screen).  Only -R, which the styles need, is on
 * less's command line (a PAGER of less gets it too), where it would
 * override $LESS; the rest is the user's to choose.  The command is
 * split at blanks and run without a shell, and note text only ever
 * reaches it through a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "display.h"
#include "output.h"
#include "xmalloc.h"

#define DEFAULT_PAGER  "less -R"
#define MAX_AUTO_WIDTH 100 /* lines longer than this are hard to read */

static unsigned
env_width(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return 0;
	n = strtol(v, &end, 10);
	return (*end == '\0' && n >= 20 && n <= 1000) ? (unsigned)n : 0;
}

static unsigned
terminal_width(const struct options *o)
{
	struct winsize ws;
	unsigned w;

	if (o->width)
		return o->width;
	if ((w = env_width("MANWIDTH")) || (w = env_width("COLUMNS")) ||
	    (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	     (w = ws.ws_col) >= 20))
		return w > MAX_AUTO_WIDTH ? MAX_AUTO_WIDTH : w;
	return 80;
}

void
output_init(struct output *out, const struct options *o)
{
	const char *term = getenv("TERM");
	const char *nc = getenv("NO_COLOR");
	int dumb = term != NULL && strcmp(term, "dumb") == 0;

	memset(out, 0, sizeof(*out));
	out->fp = stdout;
	out->tty = isatty(STDOUT_FILENO);
	out->last[0] = out->last[1] = '\n';
	if (out->tty || o->width)
		out->render.flags |= AWN_RENDER_WRAP;
	if (o->color == WHEN_ALWAYS || (o->color == WHEN_AUTO && out->tty &&
	                                !dumb && (nc == NULL || *nc == '\0')))
		out->render.flags |= AWN_RENDER_STYLE;
	/* The width matters only to wrapping: no ioctl for a pipe. */
	out->render.width =
	    (out->render.flags & AWN_RENDER_WRAP) ? terminal_width(o) : 80;
}

static const int pager_keys[2] = {SIGINT, SIGQUIT};

/* The keyboard's signals go to the pager and us alike: the pager handles
 * them (less stops a search at Ctrl-C and goes on), and dying under it
 * would leave it running with the shell's prompt over its screen.  So,
 * like man, ignore them until it ends, unless something else (the
 * interactive shell) handles them already. */
static void
pager_hold_keys(struct output *out)
{
	struct sigaction ign;
	size_t i;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	for (i = 0; i < 2; i++)
		if (sigaction(pager_keys[i], NULL, &out->keys[i]) == 0 &&
		    out->keys[i].sa_handler == SIG_DFL)
			sigaction(pager_keys[i], &ign, NULL);
}

static void
pager_release_keys(struct output *out)
{
	size_t i;

	for (i = 0; i < 2; i++)
		sigaction(pager_keys[i], &out->keys[i], NULL);
}

/* One line on stderr about pager command CMD (made safe to show), named
 * with the variable VAR it came from, if any: WHAT follows the name. */
static void
pager_say(const char *cmd, const char *var, const char *what)
{
	struct display d = {NULL, 0};

	fprintf(stderr, "awsnote: the pager '%s'%s%s%s %s\n",
	        display_text(&d, cmd, strlen(cmd)), var ? " (" : "",
	        var ? var : "", var ? ")" : "", what);
	display_free(&d);
}

/*
 * less shows SGR codes as text ("ESC[1m") unless -R: the default pager
 * has it, and a pager that is less by name gets it too, first on its
 * command line, so that a LESS without R (LESS=-i, common) does not
 * undo it; man puts R in LESS for the same reason.  ARGV has room for
 * 32 pointers; *ARGC grows by one.
 */
static void
less_gets_raw(char **argv, int *argc)
{
	const char *name;
	int i;

	if (*argc == 0 || *argc >= 31)
		return;
	name = strrchr(argv[0], '/');
	if (strcmp(name ? name + 1 : argv[0], "less") != 0)
		return;
	for (i = 1; i < *argc; i++)
		if (strcmp(argv[i], "-R") == 0)
			return;
	memmove(argv + 2, argv + 1, (size_t)*argc * sizeof(*argv));
	argv[1] = "-R";
	(*argc)++;
}

void
output_exec(char **argv, int report)
{
	int err;
	ssize_t n;

	execvp(argv[0], argv);
	err = errno;
	n = write(report, &err, sizeof(err));
	(void)n;
	_exit(127);
}

void
output_start_pager(struct output *out, const struct options *o)
{
	static int told; /* a pager that cannot run: said once a process */
	const char *var = "AWSNOTE_PAGER";
	char what[160];
	const char *cmd;
	char *copy, *argv[32], *tok, *save = NULL;
	int fds[2], report[2], argc = 0, err;
	pid_t pid;

	/* Callers may ask at every line: one pager, started once. */
	if (!out->tty || o->no_pager || out->pager != 0)
		return;
	/* Blanks alone name no command: as unset, not as "no pager". */
	cmd = getenv(var);
	if (cmd == NULL || cmd[strspn(cmd, " \t")] == '\0')
		cmd = getenv(var = "PAGER");
	if (cmd == NULL || cmd[strspn(cmd, " \t")] == '\0') {
		cmd = DEFAULT_PAGER;
		var = NULL;
	}
	if (strcmp(cmd, "cat") == 0)
		return;
	copy = xstrdup(cmd);
	for (tok = strtok_r(copy, " \t", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	less_gets_raw(argv, &argc);
	if (argc == 0 || pipe(fds) < 0) {
		free(copy);
		return;
	}
	/* A close-on-exec pipe tells us whether exec worked. */
	if (pipe2(report, O_CLOEXEC) < 0) {
		close(fds[0]), close(fds[1]);
		free(copy);
		return;
	}
	fflush(stdout);
	/* Before the fork: a Ctrl-C the moment the pager starts would
	   otherwise find us unprepared. */
	pager_hold_keys(out);
	if ((pid = fork()) < 0) {
		pager_release_keys(out);
		close(fds[0]), close(fds[1]);
		close(report[0]), close(report[1]);
		free(copy);
		return;
	}
	if (pid == 0) {
		pager_release_keys(out); /* an ignored signal stays so */
		close(report[0]);
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (getenv("LESS") == NULL)
			setenv("LESS", "FRX", 1);
		/* Our text is UTF-8 whatever the locale; less in LANG=C (a
		   container, cron, ssh without the locale) would show it as
		   "<E2><80><A2>" and break every line it widens. */
		if (getenv("LESSCHARSET") == NULL &&
		    getenv("LESSCHARDEF") == NULL)
			setenv("LESSCHARSET", "utf-8", 1);
		output_exec(argv, report[1]);
	}
	close(report[1]);
	close(fds[0]);
	free(copy);
	if (read(report[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		/* No such pager: print directly, as if --no-pager, but say
		   so, or a mistyped PAGER would go unnoticed. */
		close(report[0]);
		close(fds[1]);
		waitpid(pid, NULL, 0);
		pager_release_keys(out);
		if (!told++) {
			snprintf(what, sizeof(what),
			         "cannot be run: %s; printing without it",
			         strerror(err));
			pager_say(cmd, var, what);
		}
		return;
	}
	close(report[0]);
	signal(SIGPIPE, SIG_IGN); /* quitting the pager early is fine */
	out->fp = fdopen(fds[1], "w");
	if (out->fp == NULL) {
		close(fds[1]);
		out->fp = stdout;
		waitpid(pid, NULL, 0);
		pager_release_keys(out);
		return;
	}
	out->pager = pid;
	out->pager_cmd = xstrdup(cmd);
}

int
output_write(void *ctx, const char *data, size_t len)
{
	struct output *out = ctx;

	if (out->failed)
		return -1;
	if (len == 0)
		return 0;
	if (fwrite(data, 1, len, out->fp) != len) {
		out->failed = 1;
		out->err = errno ? errno : EIO;
		return -1;
	}
	if (len >= 2) {
		out->last[0] = data[len - 2];
		out->last[1] = data[len - 1];
	} else {
		out->last[0] = out->last[1];
		out->last[1] = data[0];
	}
	return 0;
}

void
output_puts(struct output *out, const char *s)
{
	output_write(out, s, strlen(s));
}

void
output_printf(struct output *out, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	output_write(out, s, strlen(s));
	free(s);
}

void
output_blank_line(struct output *out)
{
	if (out->last[1] != '\n')
		output_puts(out, "\n");
	if (out->last[0] != '\n')
		output_puts(out, "\n");
}

const char *
output_sgr(const struct output *out, const char *seq)
{
	return (out->render.flags & AWN_RENDER_STYLE) ? seq : "";
}

int
output_finish(struct output *out)
{
	errno = 0;
	if (fflush(out->fp) != 0 && out->err == 0)
		out->err = errno ? errno : EIO;
	if (out->pager) {
		char what[64];
		int status = 0;

		fclose(out->fp);
		out->fp = stdout;
		while (waitpid(out->pager, &status, 0) < 0 && errno == EINTR)
			;
		out->pager = 0;
		pager_release_keys(out);
		/* the user may quit the pager whenever they like */
		out->err = 0;
		what[0] = '\0';
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			snprintf(what, sizeof(what), "exited with status %d",
			         WEXITSTATUS(status));
		/* Ctrl-C or Ctrl-\ that ended a pager such as more is the
		   user quitting it, not a failure. */
		else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGINT &&
		         WTERMSIG(status) != SIGQUIT)
			snprintf(what, sizeof(what), "was killed by signal %d",
			         WTERMSIG(status));
		/* as man: the text may not have been shown */
		if (what[0])
			pager_say(out->pager_cmd, NULL, what);
		free(out->pager_cmd);
		out->pager_cmd = NULL;
		return what[0] ? -1 : 0;
	}
	if (ferror(stdout) && out->err == 0)
		out->err = EIO;
	/* A reader gone, as head(1) goes, is no error; only the rest of the
	 * output is dropped. */
	return out->err != 0 && out->err != EPIPE ? -1 : 0;
}

static awn_db *error_db;

void
output_error_db(awn_db *db)
{
	error_db = db;
}

int
output_error(const awn_error *err)
{
	const char *what =
	    err->detail[0] ? err->detail : awn_strerror(err->status);

	/* A kept blob damaged on disk would fail every run until removed;
	 * verified whole first, so a blob that reads well again stays. */
	if (err->status == AWN_ERR_FORMAT && error_db != NULL &&
	    awn_db_drop_damaged_cache(error_db) > 0)
		fprintf(stderr,
		        "awsnote: %s; removed it from the cache, the next run "
		        "compiles the notes again\n",
		        what);
	else
		fprintf(stderr, "awsnote: %s\n", what);
	return 2;
}
