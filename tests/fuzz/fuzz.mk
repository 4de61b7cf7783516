# tests/fuzz/fuzz.mk - fuzz targets and their corpus replay (issue 7).
#
# Every target (tests/fuzz/fuzz-NAME.c) is built twice:
#  - always, linked with replay.c as tests/fuzz/fuzz-NAME-replay, a test
#    of `make check` that runs the seed corpus tests/fuzz/corpus/NAME/
#    (which also keeps every input that ever crashed the target);
#  - with --enable-fuzzing (CC=clang), linked with libFuzzer as
#    tests/fuzz/fuzz-NAME; `make fuzz` runs each for FUZZ_SECONDS.
# `make check-valgrind` runs the CLI tests with both programs under
# valgrind's memcheck.  HACKING.md ("Robustness") says how to use them.

fuzz_names = markdown blob query grep
fuzz_replays = \
	tests/fuzz/fuzz-markdown-replay \
	tests/fuzz/fuzz-blob-replay \
	tests/fuzz/fuzz-query-replay \
	tests/fuzz/fuzz-grep-replay
check_PROGRAMS += $(fuzz_replays)
TESTS += $(fuzz_replays)

fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/fuzz $(ZLIB_CFLAGS)

tests_fuzz_fuzz_markdown_replay_SOURCES = tests/fuzz/fuzz-markdown.c \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_markdown_replay_CPPFLAGS = $(fuzz_cppflags) \
	-DFUZZ_TARGET='"markdown"'
tests_fuzz_fuzz_markdown_replay_LDADD = $(LIBAWSNOTE)
tests_fuzz_fuzz_blob_replay_SOURCES = tests/fuzz/fuzz-blob.c \
	tests/fuzz/blob-fix.c tests/fuzz/blob-fix.h \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_blob_replay_CPPFLAGS = $(fuzz_cppflags) \
	-DFUZZ_TARGET='"blob"'
tests_fuzz_fuzz_blob_replay_LDADD = $(LIBAWSNOTE)
tests_fuzz_fuzz_query_replay_SOURCES = tests/fuzz/fuzz-query.c \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_query_replay_CPPFLAGS = $(fuzz_cppflags) \
	-DFUZZ_TARGET='"query"'
tests_fuzz_fuzz_query_replay_LDADD = $(LIBAWSNOTE)
tests_fuzz_fuzz_grep_replay_SOURCES = tests/fuzz/fuzz-grep.c \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_grep_replay_CPPFLAGS = $(fuzz_cppflags) \
	-DFUZZ_TARGET='"grep"'
tests_fuzz_fuzz_grep_replay_LDADD = $(LIBAWSNOTE)

# Helpers of the hostile-input tests: damaged copies of a blob for
# tests/cli/hostile.sh, and allocation failure at every allocation of a
# whole lookup.
check_PROGRAMS += tests/fuzz/fuzz-mutate tests/unit/test-nomem \
	tests/unit/test-hostile
TESTS += tests/unit/test-nomem tests/unit/test-hostile
cli_tests += tests/cli/hostile.sh tests/cli/terminal.sh
tests_fuzz_fuzz_mutate_SOURCES = tests/fuzz/fuzz-mutate.c \
	tests/fuzz/blob-fix.c tests/fuzz/blob-fix.h
tests_fuzz_fuzz_mutate_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_fuzz_mutate_LDADD = $(ZLIB_LIBS)
tests_unit_test_nomem_LDADD = $(LIBAWSNOTE)
tests_unit_test_hostile_SOURCES = tests/unit/test-hostile.c \
	tests/fuzz/blob-fix.c tests/fuzz/blob-fix.h
tests_unit_test_hostile_CPPFLAGS = $(fuzz_cppflags)
tests_unit_test_hostile_LDADD = $(LIBAWSNOTE)

EXTRA_DIST += tests/fuzz/corpus tests/fuzz/markdown.dict \
	tests/fuzz/query.dict tests/valgrind-wrap.sh tests/valgrind.supp

# ---- libFuzzer ----------------------------------------------------------
FUZZ_SECONDS = 60
FUZZ_TARGETS = $(fuzz_names)
# More libFuzzer options, e.g. FUZZ_FLAGS=-jobs=2 or -max_len=65536.
FUZZ_FLAGS =

if ENABLE_FUZZING
fuzz_programs = tests/fuzz/fuzz-markdown tests/fuzz/fuzz-blob \
	tests/fuzz/fuzz-query tests/fuzz/fuzz-grep
EXTRA_PROGRAMS = $(fuzz_programs)
CLEANFILES += $(fuzz_programs)
fuzz_ldflags = $(AM_LDFLAGS) -fsanitize=fuzzer

tests_fuzz_fuzz_markdown_SOURCES = tests/fuzz/fuzz-markdown.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_markdown_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_fuzz_markdown_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_markdown_LDADD = $(LIBAWSNOTE)
tests_fuzz_fuzz_blob_SOURCES = tests/fuzz/fuzz-blob.c tests/fuzz/fuzz.h \
	tests/fuzz/blob-fix.c tests/fuzz/blob-fix.h
tests_fuzz_fuzz_blob_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_fuzz_blob_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_blob_LDADD = $(LIBAWSNOTE)
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz-query.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_query_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_fuzz_query_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_query_LDADD = $(LIBAWSNOTE)
tests_fuzz_fuzz_grep_SOURCES = tests/fuzz/fuzz-grep.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_grep_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_fuzz_grep_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_grep_LDADD = $(LIBAWSNOTE)

# New inputs go to tests/fuzz/work/NAME (the seed corpus in the source
# tree is only read), findings to tests/fuzz/findings/NAME-crash-...
fuzz: $(fuzz_programs)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p tests/fuzz/work/$$t tests/fuzz/findings || exit 1; \
		dict=$(srcdir)/tests/fuzz/$$t.dict; \
		test -f $$dict && dict=-dict=$$dict || dict=; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		tests/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=tests/fuzz/findings/$$t- $$dict \
			$(FUZZ_FLAGS) tests/fuzz/work/$$t \
			$(srcdir)/tests/fuzz/corpus/$$t || exit 1; \
	done
else
fuzz:
	@echo "make fuzz: configure with --enable-fuzzing CC=clang" >&2; exit 1
endif

# ---- valgrind -----------------------------------------------------------
# Every CLI test (tests/cli/*.sh, whichever fragment added it to TESTS).
# They call "$AWSNOTE" and "$AWSNOTE_INDEX" as single words, so each is
# pointed at tests/valgrind-wrap.sh through a symlink named after the
# program it wraps.
VALGRIND_FLAGS = --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,possible -q \
	--suppressions=$(abs_top_srcdir)/tests/valgrind.supp

check-valgrind: all
	@command -v valgrind >/dev/null || { \
		echo "check-valgrind: valgrind is not installed" >&2; exit 1; }
	@rm -rf tests/valgrind && mkdir -p tests/valgrind/logs && \
	for p in awsnote awsnote-index; do \
		ln -s $(abs_top_srcdir)/tests/valgrind-wrap.sh \
			tests/valgrind/$$p || exit 1; \
	done
	@tests=; for t in $(TESTS); do \
		case $$t in tests/cli/*.sh) tests="$$tests $$t" ;; esac; \
	done; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$$tests" \
		TESTS_ENVIRONMENT='VALGRIND_FLAGS="$(VALGRIND_FLAGS)"; \
		VALGRIND_BINDIR=$(abs_top_builddir)/cli; \
		VALGRIND_LOGDIR=$(abs_top_builddir)/tests/valgrind/logs; \
		AWSNOTE=$(abs_top_builddir)/tests/valgrind/awsnote; \
		AWSNOTE_INDEX=$(abs_top_builddir)/tests/valgrind/awsnote-index; \
		AWSNOTE_UNDER_VALGRIND=1; export VALGRIND_FLAGS VALGRIND_BINDIR \
		VALGRIND_LOGDIR AWSNOTE AWSNOTE_INDEX AWSNOTE_UNDER_VALGRIND;'; \
	rc=$$?; runs=`ls tests/valgrind/logs | wc -l`; bad=0; \
	for f in tests/valgrind/logs/*.log; do \
		test -s "$$f" || continue; \
		bad=`expr $$bad + 1`; echo "---- $$f"; head -n 40 "$$f"; \
	done; \
	echo "check-valgrind: $$runs program runs, $$bad with errors or leaks"; \
	test $$rc = 0 && test $$bad = 0 && test $$runs -gt 0

.PHONY: fuzz check-valgrind
