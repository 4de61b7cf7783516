/*
 * histfile.c - the shell's history file on disk (see histfile.h).
 *
 * The XDG base directory rules: $XDG_STATE_HOME when it is an absolute
 * path, else $HOME/.local/state; missing directories are made 0700, but
 * not the home directory nor $XDG_STATE_HOME's parent (as for the
 * cache: HOME=/nonexistent is no request to make /nonexistent).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "histfile.h"
#include "paths.h"
#include "xmalloc.h"

void
histfile_init(struct histfile *hf)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	memset(hf, 0, sizeof(*hf));
	if (state != NULL && state[0] == '/') {
		hf->path = xasprintf("%s/awsnote/history", state);
		hf->root = parent_length(state);
	} else if (home != NULL && home[0] == '/') {
		hf->path = xasprintf("%s/.local/state/awsnote/history", home);
		hf->root = strlen(home);
	}
}

void
histfile_free(struct histfile *hf)
{
	free(hf->path);
	hf->path = NULL;
}

void
histfile_warn(struct histfile *hf, const char *what, int errnum)
{
	if (hf->warned)
		return;
	hf->warned = 1;
	fprintf(stderr, "awsnote: %s %s: %s; going on without it\n", what,
	        hf->path ? hf->path : "history", strerror(errnum));
}

int
histfile_readable(struct histfile *hf)
{
	struct stat sb;
	int fd, any;

	if (hf->path == NULL)
		return 0;
	if ((fd = open(hf->path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			histfile_warn(hf, "cannot read history", errno);
			hf->broken = 1; /* never replace what we cannot read */
		}
		return 0;
	}
	/* Empty (touched, or cut short by a full disk) is no history, not
	   a damaged one: libedit would refuse it for want of a header. */
	any = fstat(fd, &sb) < 0 || sb.st_size > 0;
	close(fd);
	return any;
}

/* mkdir -p for the directory part of PATH, new directories 0700, past
 * its first ROOT bytes, which must name a directory already. */
static int
make_dirs(const char *path, size_t root)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *p, c;
	struct stat sb;
	int rc = 0;

	if (slash == NULL || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if (root > (size_t)(slash - dir))
		root = (size_t)(slash - dir);
	/* The root is only looked at; each directory past it is made. */
	for (p = dir + (root > 0 ? root : 1);; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if ((size_t)(p - dir) > root && mkdir(dir, 0700) < 0 &&
		    errno != EEXIST) {
			rc = -1;
		} else if (stat(dir, &sb) < 0) {
			rc = -1;
		} else if (!S_ISDIR(sb.st_mode)) {
			errno = ENOTDIR;
			rc = -1;
		}
		*p = c;
		if (rc < 0 || *p == '\0')
			break;
	}
	free(dir);
	return rc;
}

/*
 * Lock the directory holding PATH (the file itself is replaced, so its
 * lock would not hold), so that two shells saving at once do not both
 * read the old file.  Returns the descriptor to close, or -1: the lock
 * only narrows a race, and saving goes on without it.
 */
static int
lock_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, tries;

	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	fd =
	    open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	/* Another shell holds it for a moment; whatever holds it longer
	 * (a stuck process, flock(1) by hand) must not hang the prompt:
	 * a second at most, in 20 ms steps. */
	for (tries = 0; fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0; tries++) {
		if (errno != EWOULDBLOCK || tries == 50) {
			close(fd);
			fd = -1;
			break;
		}
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	return fd;
}

int
histfile_save(struct histfile *hf, int (*write)(void *ctx, FILE *fp), void *ctx)
{
	char *tmp = NULL;
	FILE *fp = NULL;
	int fd = -1, err, created = 0, lock = -1;

	if (hf->path == NULL || hf->broken)
		return -1;
	if (make_dirs(hf->path, hf->root) < 0)
		goto fail;
	lock = lock_dir(hf->path);
	tmp = xasprintf("%s.XXXXXX", hf->path);
	if ((fd = mkstemp(tmp)) < 0) /* mode 0600 */
		goto fail;
	created = 1;
	if ((fp = fdopen(fd, "w")) == NULL)
		goto fail;
	fd = -1;
	if (write(ctx, fp) < 0) {
		errno = errno ? errno : EIO;
		goto fail;
	}
	if (fflush(fp) != 0 || fsync(fileno(fp)) < 0)
		goto fail;
	err = fclose(fp);
	fp = NULL;
	if (err != 0 || rename(tmp, hf->path) < 0)
		goto fail;
	free(tmp);
	if (lock >= 0)
		close(lock);
	return 0;
fail:
	err = errno;
	if (fp)
		fclose(fp);
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	if (lock >= 0)
		close(lock);
	free(tmp);
	hf->broken = 1;
	histfile_warn(hf, "cannot save history in", err);
	return -1;
}
