/*
 * dynload.h - md4c and PCRE2, loaded the first time they are needed.
 *
 * A lookup in a blob uses neither library, yet loading both at start
 * costs every run of awsnote about a tenth of what starting a process
 * costs (bench/lookup's "floor, zlib+libm" row).  So where configure
 * finds dlopen and each library's soname (AWN_DLOPEN), the programs are
 * not linked to them: the code calls md4c and PCRE2 through the dl_
 * pointers below, which dynload_md4c and dynload_pcre2 fill with
 * dlopen and dlsym, once, before the first Markdown file is parsed or
 * the first regex compiled.  Without AWN_DLOPEN the pointers are the
 * functions themselves and both calls return AWN_OK at once.
 */
#ifndef DYNLOAD_H
#define DYNLOAD_H

#include <md4c.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "awsnote.h"

/* Every function of theirs that awsnote calls.  The PCRE2 names are
 * its width-generic macros (pcre2_compile for pcre2_compile_8). */
#define DYNLOAD_MD4C(X) X(md_parse)
#define DYNLOAD_PCRE2(X)                                                       \
	X(pcre2_code_free)                                                     \
	X(pcre2_compile)                                                       \
	X(pcre2_compile_context_create)                                        \
	X(pcre2_compile_context_free)                                          \
	X(pcre2_general_context_create)                                        \
	X(pcre2_general_context_free)                                          \
	X(pcre2_get_error_message)                                             \
	X(pcre2_get_ovector_pointer)                                           \
	X(pcre2_jit_compile)                                                   \
	X(pcre2_jit_match)                                                     \
	X(pcre2_jit_stack_assign)                                              \
	X(pcre2_jit_stack_create)                                              \
	X(pcre2_jit_stack_free)                                                \
	X(pcre2_match)                                                         \
	X(pcre2_match_context_create)                                          \
	X(pcre2_match_context_free)                                            \
	X(pcre2_match_data_create)                                             \
	X(pcre2_match_data_free)                                               \
	X(pcre2_pattern_info)                                                  \
	X(pcre2_set_depth_limit)                                               \
	X(pcre2_set_heap_limit)                                                \
	X(pcre2_set_match_limit)

#define DYNLOAD_DECLARE(f) extern __typeof__(f) *dl_##f;
DYNLOAD_MD4C(DYNLOAD_DECLARE)
DYNLOAD_PCRE2(DYNLOAD_DECLARE)

/*
 * Make the dl_ pointers of md4c (of PCRE2) usable.  The first call
 * loads the library; later calls, from any thread, return its result.
 * AWN_ERR_IO, with ERR (may be NULL) saying which library could not be
 * loaded and why, when it cannot be.
 */
awn_status dynload_md4c(awn_error *err);
awn_status dynload_pcre2(awn_error *err);

#endif /* DYNLOAD_H */
