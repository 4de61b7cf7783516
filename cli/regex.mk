# cli/regex.mk - regex search and JSON output (issue 4).

lib_libawsnote_a_SOURCES += lib/grep.c lib/grep.h lib/linemap.c
cli_awsnote_SOURCES += cli/json.c cli/json.h

unit_tests_regex = tests/unit/test-grep tests/unit/test-json
check_PROGRAMS += $(unit_tests_regex)
tests_unit_test_grep_LDADD = $(LIBAWSNOTE)
# json.c belongs to the program; its test links the little of cli/ it needs.
tests_unit_test_json_SOURCES = tests/unit/test-json.c cli/json.c \
	cli/display.c cli/output.c cli/where.c cli/xmalloc.c
tests_unit_test_json_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/cli
tests_unit_test_json_LDADD = $(LIBAWSNOTE)

cli_tests_regex = tests/cli/regex.sh tests/cli/json.sh tests/cli/grep-where.sh
TESTS += $(unit_tests_regex) $(cli_tests_regex)
EXTRA_DIST += $(cli_tests_regex)
