/*
 * shell-edit.c - the shell at a terminal: libedit's line editor with
 * awsnote's prompt, Tab completion, Ctrl-C and a history kept on disk.
 *
 * Ctrl-C must abandon the line and nothing more.  libedit's own reader
 * either retries a read cut short by a signal (older versions: the first
 * Ctrl-C does nothing) or gives up the line with an error (newer ones: no
 * ^C shown, the cursor left where it was).  So characters come through
 * read_char below, which turns an interrupted read into a ^C keystroke,
 * and ^C is bound to abandon_line.  The same binding serves terminals
 * where ^C arrives as a plain character (a user's "setty -isig").
 *
 * With its own reader, libedit no longer re-arms its handlers for window
 * changes and job control after the first of each in a line, so the
 * shell keeps handlers of its own under libedit's while a line is read
 * (libedit passes each signal on to them): a resize updates the width,
 * Ctrl-Z stops with the terminal as the login shell expects it, and the
 * line is drawn again on return.
 */
#include "config.h"

#include <errno.h>
#include <histedit.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "awsnote.h"
#include "histfile.h"
#include "shell-complete.h"
#include "shell.h"
#include "xmalloc.h"

#define EDITRC_LINE_MAX 1024 /* longest line of .editrc read (bytes) */
#define CTRL_C          3

static volatile sig_atomic_t interrupted, resized, resumed;
static struct termios cooked; /* the terminal as we found it */
static struct termios raw;    /* as libedit sets it for editing */
static int have_cooked;
static volatile sig_atomic_t have_raw; /* raw holds this line's mode */

struct edit {
	struct shell *sh;
	EditLine *el;
	History *hist;
	struct histfile hf;
	struct titlewords *tw; /* built at the first Tab */
	unsigned tw_reopened;  /* sh->reopened when tw was built */
	int abandoned;         /* ^C: the line returned is to be dropped */
	/* After a Tab that left a choice: the line as that Tab left it, so
	   a second Tab on the same line lists the choices. */
	char *tab_line;
	size_t tab_cursor;
};

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static void
on_cont(int sig)
{
	(void)sig;
	resumed = 1;
}

/* Ctrl-Z: stop as the default action would, then take the terminal back. */
static void
on_tstp(int sig)
{
	struct sigaction dfl, mine;
	sigset_t set;
	int e = errno;

	if (have_cooked)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &cooked);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, &mine);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig); /* stopped here until fg */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(sig, &mine, NULL);
	if (have_raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
	resumed = 1;
	errno = e;
}

/*
 * Install (ON) or take back the handlers used while a line is read.
 * SIGINT stays handled all session, so Ctrl-C in the pager does not end
 * the shell, and Ctrl-C during a command's output ends the command.
 */
static void
line_signals(int on)
{
	static const int sigs[] = {SIGWINCH, SIGCONT, SIGTSTP};
	static void (*const fns[])(int) = {on_winch, on_cont, on_tstp};
	static struct sigaction old[3];
	struct sigaction sa;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!on) {
			sigaction(sigs[i], &old[i], NULL);
			continue;
		}
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = fns[i]; /* no SA_RESTART: reads must stop */
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, &old[i]);
	}
}

static struct edit *
edit_of(EditLine *el)
{
	void *p = NULL;

	el_get(el, EL_CLIENTDATA, &p);
	return p;
}

static char *
prompt(EditLine *el)
{
	static char text[] = "awsnote> ";

	(void)el;
	return text;
}

/*
 * Wait until there is input, letting Ctrl-C in only while waiting: one
 * that came just before (the second of two that stopped a command's
 * output) abandons this line at once, not a later one at the next
 * signal that cuts a read short.
 */
static int
wait_input(void)
{
	struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
	sigset_t block, old;
	int rc = -1;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (interrupted)
		errno = EINTR;
	else
		rc = ppoll(&pfd, 1, NULL, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* libedit's character reader, except that ^C interrupts (see above). */
static int
read_char(EditLine *el, wchar_t *wc)
{
	char buf[MB_LEN_MAX];
	size_t n = 0, r;
	mbstate_t mbs;
	ssize_t got;

	if (!have_raw && tcgetattr(STDIN_FILENO, &raw) == 0)
		have_raw = 1; /* for on_tstp to come back to */
	for (;;) {
		if (wait_input() < 0)
			got = -1;
		else
			got = read(STDIN_FILENO, buf + n, 1);
		if (got < 0 && errno == EINTR) {
			if (interrupted) {
				interrupted = 0;
				*wc = CTRL_C;
				return 1;
			}
			if (resized) {
				resized = 0;
				el_resize(el);
			}
			if (resumed) { /* after fg: draw the line again */
				resumed = 0;
				el_set(el, EL_REFRESH);
			}
			continue;
		}
		if (got <= 0) {
			*wc = L'\0';
			return (int)got;
		}
		n++;
		for (;;) {
			memset(&mbs, 0, sizeof(mbs));
			r = mbrtowc(wc, buf, n, &mbs);
			if (r != (size_t)-1 &&
			    (r != (size_t)-2 || n < sizeof(buf)))
				break;
			/* Not a character: drop its first byte only, as the
			   byte just read may begin the next one. */
			memmove(buf, buf + 1, --n);
			if (n == 0)
				break;
		}
		if (n == 0 || r == (size_t)-2)
			continue; /* nothing yet, or more bytes to come */
		if (r == 0)
			*wc = L'\0';
		return 1;
	}
}

/* ^C: show it, drop the line, and give a fresh prompt. */
static unsigned char
abandon_line(EditLine *el, int ch)
{
	struct edit *ed = edit_of(el);
	const LineInfoW *lw = el_wline(el);

	(void)ch;
	ed->abandoned = 1;
	el_cursor(el, (int)(lw->lastchar - lw->cursor));
	el_insertstr(el, "^C");
	el_push(el, "\n"); /* ends the line as Enter does */
	return CC_REFRESH;
}

/* ---- completion ---- */

static size_t
chars_in(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Bytes all candidates share (ASCII case ignored), on a character edge. */
static size_t
common_prefix(const struct cands *c)
{
	size_t len = strlen(c->s[0]), i, k;

	for (i = 1; i < c->n; i++) {
		for (k = 0; k < len && c->s[i][k] &&
		            lower((unsigned char)c->s[i][k]) ==
		                lower((unsigned char)c->s[0][k]);
		     k++)
			;
		len = k;
	}
	while (len > 0 && ((unsigned char)c->s[0][len] & 0xC0) == 0x80)
		len--;
	return len;
}

static unsigned
terminal_columns(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* The choices in columns, below the line being edited, as ls does. */
static void
list_choices(const struct cands *c)
{
	size_t i, width = 0, cols, rows, r, k;
	unsigned term = terminal_columns();

	for (i = 0; i < c->n; i++) {
		size_t w = chars_in(c->s[i], strlen(c->s[i]));
		width = w > width ? w : width;
	}
	width += 2;
	cols = term / width ? term / width : 1;
	rows = (c->n + cols - 1) / cols;
	fputc('\n', stdout);
	for (r = 0; r < rows; r++) {
		for (k = 0; k < cols; k++) {
			const char *s;
			i = k * rows + r;
			if (i >= c->n)
				break;
			s = c->s[i];
			if (k + 1 < cols && i + rows < c->n)
				printf("%s%*s", s,
				       (int)(width - chars_in(s, strlen(s))),
				       "");
			else
				fputs(s, stdout);
		}
		fputc('\n', stdout);
	}
	if (c->more)
		printf("(and %zu more: type more letters)\n", c->more);
}

static void
note_line(struct edit *ed, EditLine *el)
{
	const LineInfo *li = el_line(el);

	free(ed->tab_line);
	ed->tab_line =
	    xasprintf("%.*s", (int)(li->lastchar - li->buffer), li->buffer);
	ed->tab_cursor = (size_t)(li->cursor - li->buffer);
}

static int
same_line(const struct edit *ed, EditLine *el)
{
	const LineInfo *li = el_line(el);
	size_t len = (size_t)(li->lastchar - li->buffer);

	return ed->tab_line != NULL && strlen(ed->tab_line) == len &&
	       memcmp(ed->tab_line, li->buffer, len) == 0 &&
	       ed->tab_cursor == (size_t)(li->cursor - li->buffer);
}

/*
 * Put TEXT/LEN in place of the word before the cursor (WCHARS long).
 * The new text goes in first and the word goes only if it did: a
 * candidate the line editor cannot take must not cost the user the word.
 * Returns 0, or -1 with the line unchanged.
 */
static int
replace_word(EditLine *el, size_t wchars, const char *text, size_t len,
             int space)
{
	char *s = xasprintf("%.*s%s", (int)len, text, space ? " " : "");
	size_t n = mbstowcs(NULL, s, 0);
	wchar_t *ws = NULL;
	int rc = -1;

	if (n == (size_t)-1 || n == 0 || n > INT_MAX)
		goto done;
	ws = xreallocarray(NULL, n + 1, sizeof(*ws));
	mbstowcs(ws, s, n + 1);
	if (el_winsertstr(el, ws) < 0)
		goto done;
	el_cursor(el, -(int)n);
	el_deletestr(el, (int)wchars);
	el_cursor(el, (int)n);
	rc = 0;
done:
	free(ws);
	free(s);
	return rc;
}

/* Does the command at COLON, on LI's line, take words (:toc)? */
static int
takes_words(const char *colon, const LineInfo *li)
{
	const char *end = colon + 1;

	while (end < li->lastchar && *end != ' ' && *end != '\t')
		end++;
	return shell_command_takes_words(colon + 1, (size_t)(end - colon - 1));
}

static unsigned char
complete(EditLine *el, int ch)
{
	struct edit *ed = edit_of(el);
	const LineInfo *li = el_line(el);
	const char *first = li->buffer, *start = li->cursor;
	struct titlewords *one_doc = NULL;
	struct cands c;
	size_t wlen, wchars, lcp;
	unsigned char rc;
	int command;

	(void)ch;
	while (first < li->cursor && (*first == ' ' || *first == '\t'))
		first++;
	while (start > li->buffer && start[-1] != ' ' && start[-1] != '\t')
		start--;
	command = start == first && *first == ':';
	/* A phrase's quote and an exclusion's minus are kept, not part of
	   the word to complete. */
	while (!command && start < li->cursor &&
	       (*start == '"' || *start == '-'))
		start++;
	if (!command && first < li->lastchar &&
	    (*first == '/' || (*first == ':' && !takes_words(first, li))))
		return CC_ERROR; /* a pattern, a command's number */
	wlen = (size_t)(li->cursor - start);
	wchars = chars_in(start, wlen);
	/* A heading just written in another window is offered too. */
	shell_refresh(ed->sh, 1);
	if (ed->tw != NULL && ed->tw_reopened != ed->sh->reopened) {
		shell_complete_titles_free(ed->tw);
		ed->tw = NULL;
	}
	/* "p1/README wor": the lookup keeps to that document, so the
	   words offered do (a word's own list, made for this Tab). */
	if (!command && start > first) {
		char *before = xasprintf("%.*s", (int)(start - first), first);
		uint32_t doc = awn_search_named_doc(ed->sh->db, before);
		free(before);
		if (doc != AWN_NONE)
			one_doc = shell_complete_titles(ed->sh->db, doc);
	}
	if (!command && one_doc == NULL && ed->tw == NULL) {
		ed->tw = shell_complete_titles(ed->sh->db, AWN_NONE);
		ed->tw_reopened = ed->sh->reopened;
	}
	/* A document's words are its title words: the index terms are
	 * every document's. */
	shell_complete(one_doc ? NULL : ed->sh->db, one_doc ? one_doc : ed->tw,
	               start, wlen, command, &c);
	shell_complete_titles_free(one_doc);
	if (c.n == 0) {
		rc = CC_ERROR;
	} else if (c.n == 1 && c.more == 0) {
		rc = replace_word(el, wchars, c.s[0], strlen(c.s[0]), 1) < 0
		         ? CC_REFRESH_BEEP
		         : CC_REFRESH;
	} else if (c.more == 0 && (lcp = common_prefix(&c)) > wlen) {
		/* (With candidates left out, what those gathered share may
		   not be shared by all.) */
		rc = replace_word(el, wchars, c.s[0], lcp, 0) < 0
		         ? CC_REFRESH_BEEP
		         : CC_REFRESH;
		note_line(ed, el);
	} else if (same_line(ed, el)) {
		list_choices(&c);
		rc = CC_REDISPLAY;
	} else {
		note_line(ed, el);
		rc = CC_REFRESH_BEEP;
	}
	shell_complete_free(&c);
	return rc;
}

/* ---- history ---- */

struct saving {
	struct edit *ed;
	const char *line; /* the line to add */
};

/* Whether the N bytes of line S have only the escapes libedit's writer
 * makes (strvis: \\, \ooo, \M-c, \M^c, \^c) or its reader knows in
 * C style (\n, \t...). */
static int
history_line_sane(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\')
			continue;
		if (++i == n)
			return 0;
		if (s[i] >= '0' && s[i] <= '7') {
			if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7')
				i++;
			if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7')
				i++;
		} else if (s[i] == 'M') {
			if (i + 2 >= n || (s[i + 1] != '-' && s[i + 1] != '^'))
				return 0;
			i += 2;
		} else if (s[i] == '^') {
			if (++i == n)
				return 0;
		} else if (s[i] == '\0' ||
		           strchr("\\nrbavtfsE", s[i]) == NULL) {
			return 0;
		}
	}
	return 1;
}

/*
 * Whether the history file PATH is one libedit may load: its header,
 * then lines whose escapes are sound.  libedit's H_LOAD reads past its
 * buffer, and keeps what it finds there, on another escape ("\Ma" in a
 * damaged file; libedit 3.1-20221030), so such a file is reported and
 * left alone instead.  errno is EINVAL when it is damaged.
 */
static int
history_file_sane(const char *path)
{
	FILE *fp = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ok = 1, first = 1;

	if (fp == NULL)
		return 0;
	while (ok && (n = getline(&line, &cap, fp)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		ok = first ? (size_t)n == strlen("_HiStOrY_V2_") &&
		                 memcmp(line, "_HiStOrY_V2_", (size_t)n) == 0
		           : history_line_sane(line, (size_t)n);
		first = 0;
	}
	ok = ok && !ferror(fp);
	free(line);
	fclose(fp);
	if (!ok)
		errno = EINVAL;
	return ok;
}

/* H set up as the history is kept, and filled from the file if there is
 * one: -1 when there is one that cannot be read. */
static int
history_from_file(History *h, struct histfile *hf)
{
	HistEvent ev;

	history(h, &ev, H_SETSIZE, HISTFILE_ENTRIES);
	history(h, &ev, H_SETUNIQUE, 1);
	if (histfile_readable(hf) && (!history_file_sane(hf->path) ||
	                              history(h, &ev, H_LOAD, hf->path) < 0))
		return -1;
	return 0;
}

/*
 * The file as it is now, LINE added: other shells running at the same
 * time have added theirs since this one read it, and keep them.
 */
static int
write_history(void *ctx, FILE *fp)
{
	struct saving *sv = ctx;
	struct histfile *hf = &sv->ed->hf;
	History *h = history_init();
	HistEvent ev;
	int rc = -1;

	if (h == NULL)
		return -1;
	/* never replace what we cannot read, now or at the start */
	if (history_from_file(h, hf) < 0 ||
	    (hf->broken && !histfile_readable(hf)))
		goto done;
	history(h, &ev, H_ENTER, sv->line);
	rc = history(h, &ev, H_SAVE_FP, fp) < 0 ? -1 : 0;
done:
	history_end(h);
	return rc;
}

static void
load_history(struct edit *ed)
{
	if (history_from_file(ed->hist, &ed->hf) < 0) {
		histfile_warn(&ed->hf, "cannot read history",
		              errno ? errno : EINVAL);
		ed->hf.broken = 1; /* saving would replace what we lost */
	}
}

/* Remember LINE (no newline) here and on disk. */
static void
remember_line(struct edit *ed, const char *line, size_t len)
{
	struct saving sv;
	HistEvent ev;
	char *s;

	if (len == 0 || len > SHELL_LINE_MAX)
		return;
	s = xasprintf("%.*s", (int)len, line);
	history(ed->hist, &ev, H_ENTER, s);
	sv.ed = ed;
	sv.line = s;
	histfile_save(&ed->hf, write_history, &sv);
	free(s);
}

/* ---- the loop ---- */

/* The first line of the file PATH longer than EDITRC_LINE_MAX bytes (1
 * for the first), or 0 when there is none or the file cannot be read
 * (el_source then finds that out itself). */
static unsigned long
editrc_long_line(const char *path)
{
	FILE *fp = fopen(path, "re");
	unsigned long line = 1, found = 0;
	size_t len = 0;
	int c;

	if (fp == NULL)
		return 0;
	while (!found && (c = getc(fp)) != EOF) {
		if (c == '\n') {
			line++;
			len = 0;
		} else if (++len > EDITRC_LINE_MAX) {
			found = line;
		}
	}
	fclose(fp);
	return found;
}

/*
 * libedit's startup file, $EDITRC or ~/.editrc, read only when it is a
 * regular file: libedit reads to the end of a line, and a device or a
 * FIFO (EDITRC=/dev/zero) would hold the shell before its first prompt.
 * Nor with a line longer than EDITRC_LINE_MAX: a bind of a 2,048-byte
 * string overruns a buffer on libedit's stack (3.1-20221030), which ends
 * the shell before its first prompt.
 */
static void
source_editrc(EditLine *el)
{
	const char *env = getenv("EDITRC"), *home = getenv("HOME");
	unsigned long line;
	struct stat st;
	char *path;

	if (env != NULL && *env != '\0')
		path = xstrdup(env);
	else if (home != NULL && *home != '\0')
		path = xconcat(home, "/.editrc");
	else
		return;
	if (stat(path, &st) == 0) { /* none is no error */
		if (!S_ISREG(st.st_mode))
			fprintf(stderr,
			        "awsnote: %s: not a regular file; not read\n",
			        path);
		else if ((line = editrc_long_line(path)) != 0)
			fprintf(
			    stderr,
			    "awsnote: %s: line %lu is longer than %d bytes; "
			    "not read\n",
			    path, line, EDITRC_LINE_MAX);
		else
			el_source(el, path);
	}
	free(path);
}

static int
setup(struct edit *ed)
{
	EditLine *el;

	if ((ed->hist = history_init()) == NULL ||
	    (ed->el = el = el_init("awsnote", stdin, stdout, stderr)) == NULL)
		return -1;
	load_history(ed);
	el_set(el, EL_CLIENTDATA, ed);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_HIST, history, ed->hist);
	el_set(el, EL_SIGNAL, 1);
	/* A ^C makes the terminal throw away output not yet shown, and
	   that can happen after the next prompt is written: the prompt
	   would be lost.  Stopping a command's output is ours to do. */
	el_set(el, EL_SETTY, "-d", "+noflsh", NULL);
	el_set(el, EL_SETTY, "-x", "+noflsh", NULL);
	el_set(el, EL_GETCFN, read_char);
	/* Wide names: libedit keeps these pointers (narrow ones it copies
	   and never frees). */
	el_wset(el, EL_ADDFN, L"awsnote-complete",
	        L"Complete a command, title word or index term", complete);
	el_set(el, EL_BIND, "^I", "awsnote-complete", NULL);
	el_wset(el, EL_ADDFN, L"awsnote-abandon", L"Abandon the line",
	        abandon_line);
	el_set(el, EL_BIND, "^C", "awsnote-abandon", NULL);
	source_editrc(el); /* ~/.editrc, or $EDITRC, may rebind */
	return 0;
}

static int
codeset_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0;
}

/*
 * libedit reads characters, not bytes, in LC_CTYPE's encoding.  The notes
 * and all we print are UTF-8, so the user's locale is taken only if it is
 * UTF-8: in "C", non-ASCII typing, Tab candidates and history lines would
 * be dropped.
 */
static void
utf8_ctype(void)
{
	static const char *const names[] = {"", "C.UTF-8", "en_US.UTF-8"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_CTYPE, names[i]) != NULL && codeset_is_utf8())
			return;
	setlocale(LC_CTYPE, ""); /* none: the user's, as it is */
}

int
shell_edit_run(struct shell *sh)
{
	struct sigaction sa, old_int;
	struct edit ed;
	const char *line;
	int n, rc = 0;

	utf8_ctype();
	have_cooked = tcgetattr(STDIN_FILENO, &cooked) == 0;
	memset(&ed, 0, sizeof(ed));
	ed.sh = sh;
	histfile_init(&ed.hf);
	if (setup(&ed) < 0) {
		fputs("awsnote: cannot start the line editor\n", stderr);
		rc = 2;
		goto done;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint; /* no SA_RESTART: reads must stop */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sh->interrupted = &interrupted; /* Ctrl-C stops a command's output */
	shell_greet(sh);
	if (sh->first)
		shell_exec(sh, sh->first);
	while (!sh->quit) {
		size_t len;
		/* A Ctrl-C that stopped the last command is spent: the new
		   line is not to be abandoned for it. */
		interrupted = resized = resumed = 0;
		ed.abandoned = 0;
		line_signals(1);
		line = el_gets(ed.el, &n);
		line_signals(0);
		have_raw = 0;
		if (ed.abandoned)
			continue;
		if (line == NULL) {
			fputc('\n', stdout); /* Ctrl-D: leave the cursor tidy */
			break;
		}
		/* Without the blank Tab leaves after a word: "sqs " and
		 * "sqs" are one line to recall. */
		len = strlen(line);
		while (len > 0 && strchr("\n\r \t", line[len - 1]) != NULL)
			len--;
		if (len > 0)
			remember_line(&ed, line, len);
		shell_exec(sh, line);
		fflush(stdout);
	}
	sh->interrupted = NULL;
	sigaction(SIGINT, &old_int, NULL);
done:
	if (ed.el)
		el_end(ed.el);
	if (ed.hist)
		history_end(ed.hist);
	shell_complete_titles_free(ed.tw);
	free(ed.tab_line);
	histfile_free(&ed.hf);
	return rc;
}
