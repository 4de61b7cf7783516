/*
 * dynload.c - md4c and PCRE2, loaded the first time they are needed
 * (see dynload.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifdef AWN_DLOPEN
#include <dlfcn.h>
#endif

#include "dynload.h"
#include "error.h"

#ifndef AWN_DLOPEN

#define DYNLOAD_LINKED(f) __typeof__(f) *dl_##f = f;
DYNLOAD_MD4C(DYNLOAD_LINKED)
DYNLOAD_PCRE2(DYNLOAD_LINKED)

awn_status
dynload_md4c(awn_error *err)
{
	(void)err;
	return AWN_OK;
}

awn_status
dynload_pcre2(awn_error *err)
{
	(void)err;
	return AWN_OK;
}

#else /* AWN_DLOPEN */

#define DYNLOAD_POINTER(f) __typeof__(f) *dl_##f;
DYNLOAD_MD4C(DYNLOAD_POINTER)
DYNLOAD_PCRE2(DYNLOAD_POINTER)

/* dlsym gives a void *; POSIX has function pointers the same size. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "function pointers must fit in a void *");

struct symbol {
	const char *name; /* as exported: "pcre2_compile_8" */
	void *slot;       /* the dl_ pointer it fills */
};

/* NAME spelled after macro expansion: pcre2_compile -> "pcre2_compile_8" */
#define DYNLOAD_STR_(x)    #x
#define DYNLOAD_STR(x)     DYNLOAD_STR_(x)
#define DYNLOAD_SYMBOL(f)  {DYNLOAD_STR(f), &dl_##f},

static const struct symbol md4c_symbols[] = {DYNLOAD_MD4C(DYNLOAD_SYMBOL)};
static const struct symbol pcre2_symbols[] = {DYNLOAD_PCRE2(DYNLOAD_SYMBOL)};
#define NSYMBOLS(a)        (sizeof(a) / sizeof((a)[0]))

struct library {
	const char *soname;
	const struct symbol *symbols;
	size_t nsymbols;
	const char *use; /* what awsnote needs it for, in an error */
	pthread_once_t once;
	int failed;
	char why[256];
};

static struct library md4c = {AWN_MD4C_SONAME,
                              md4c_symbols,
                              NSYMBOLS(md4c_symbols),
                              "to read Markdown",
                              PTHREAD_ONCE_INIT,
                              0,
                              ""};
static struct library pcre2 = {AWN_PCRE2_SONAME,
                               pcre2_symbols,
                               NSYMBOLS(pcre2_symbols),
                               "for regex search",
                               PTHREAD_ONCE_INIT,
                               0,
                               ""};

/* Load L, or mark it failed: then no caller gets to its pointers. */
static void
load(struct library *l)
{
	void *h, *fn;
	const char *e;
	size_t i;

	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		goto fail;
	}
	for (i = 0; i < l->nsymbols; i++) {
		(void)dlerror();
		if ((fn = dlsym(h, l->symbols[i].name)) == NULL) {
			e = dlerror();
			goto fail; /* the handle stays open, as on success */
		}
		memcpy(l->symbols[i].slot, &fn, sizeof fn);
	}
	return; /* the handle stays open for the process's life */
fail:
	l->failed = 1;
	snprintf(l->why, sizeof l->why, "%s", e ? e : "unknown error");
}

static void
load_md4c(void)
{
	load(&md4c);
}

static void
load_pcre2(void)
{
	load(&pcre2);
}

static awn_status
loaded(struct library *l, void (*fn)(void), awn_error *err)
{
	if (pthread_once(&l->once, fn) != 0 || l->failed)
		return error_set(err, AWN_ERR_IO, "cannot load %s %s: %s",
		                 l->soname, l->use,
		                 l->failed ? l->why : "pthread_once failed");
	return AWN_OK;
}

awn_status
dynload_md4c(awn_error *err)
{
	return loaded(&md4c, load_md4c, err);
}

awn_status
dynload_pcre2(awn_error *err)
{
	return loaded(&pcre2, load_pcre2, err);
}

#endif /* AWN_DLOPEN */
