# cli/shell.mk - the interactive shell (issue 5).
#
# shell.c (commands and batch mode) is always built into awsnote.  The
# line editor front end is a second program, awsnote-shell, built only
# with libedit: awsnote execs it when the shell starts on a terminal, so
# that every other lookup is spared loading libedit and its four shared
# libraries (about 0.3 ms of each start, see HACKING.md).  The library
# gains the section links and the term listing the shell browses and
# completes with.

lib_libawsnote_a_SOURCES += lib/links.c lib/terms.c
cli_awsnote_SOURCES += cli/shell-complete.c cli/shell-complete.h \
	cli/histfile.c cli/histfile.h
if HAVE_LIBEDIT
pkglibexec_PROGRAMS = cli/awsnote-shell
cli_awsnote_shell_SOURCES = $(cli_awsnote_SOURCES) cli/shell-edit.c
cli_awsnote_shell_CPPFLAGS = $(AM_CPPFLAGS) -DWITH_LINE_EDITOR \
	$(LIBEDIT_CFLAGS)
cli_awsnote_shell_LDADD = $(LIBAWSNOTE) $(LIBEDIT_LIBS)
endif

unit_tests += tests/unit/test-links tests/unit/test-terms
tests_unit_test_links_LDADD = $(LIBAWSNOTE)
tests_unit_test_terms_LDADD = $(LIBAWSNOTE)

cli_tests += tests/cli/shell-batch.sh tests/cli/shell.sh tests/cli/shell-live.sh
