# cli/shell.mk - the interactive shell (issue 5).
#
# shell.c (commands and batch mode) is always built; the line editor
# front end only with libedit.  The library gains the section links and
# the term listing the shell browses and completes with.

lib_libawsnote_a_SOURCES += lib/links.c lib/terms.c
cli_awsnote_SOURCES += cli/shell-complete.c cli/shell-complete.h \
	cli/histfile.c cli/histfile.h
if HAVE_LIBEDIT
cli_awsnote_SOURCES += cli/shell-edit.c
endif

unit_tests += tests/unit/test-links tests/unit/test-terms
tests_unit_test_links_LDADD = $(LIBAWSNOTE)
tests_unit_test_terms_LDADD = $(LIBAWSNOTE)

cli_tests += tests/cli/shell-batch.sh tests/cli/shell.sh
