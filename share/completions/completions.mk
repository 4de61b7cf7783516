# share/completions/completions.mk - shell completion scripts (issue 6),
# and the tests of that issue: rendering goldens, the terminal policy,
# the corpora smoke test, the completion scripts, the manual pages.

# ---- completion scripts -------------------------------------------------
# The directories come from configure (--with-*-completion-dir); by
# default they are under $(datadir), where bash-completion, zsh and fish
# look when awsnote is installed with the same prefix as the shells (fish:
# when XDG_DATA_DIRS lists that prefix's share).
# bash-completion loads a command's completion from a file named after the
# command, so awsnote.bash is installed as "awsnote" (and
# awsnote-index.bash as "awsnote-index").
completion_scripts = share/completions/awsnote.bash \
	share/completions/_awsnote share/completions/awsnote.fish \
	share/completions/awsnote-index.bash \
	share/completions/_awsnote-index share/completions/awsnote-index.fish
EXTRA_DIST += $(completion_scripts)
bash_completion_files = share/completions/bash/awsnote \
	share/completions/bash/awsnote-index
if BASH_COMPLETION
bashcompletion_DATA = $(bash_completion_files)
endif
if ZSH_COMPLETION
zshcompletion_DATA = share/completions/_awsnote \
	share/completions/_awsnote-index
endif
if FISH_COMPLETION
fishcompletion_DATA = share/completions/awsnote.fish \
	share/completions/awsnote-index.fish
endif
CLEANFILES += $(bash_completion_files)

$(bash_completion_files): share/completions/bash/%: share/completions/%.bash
	$(AM_V_GEN)$(MKDIR_P) share/completions/bash && \
	cp $(srcdir)/share/completions/$*.bash $@

# ---- tests ----------------------------------------------------------------
issue6_tests = \
	tests/cli/render.sh \
	tests/cli/render-tty.sh \
	tests/cli/corpora-render.sh \
	tests/cli/completion.sh \
	tests/cli/man-examples.sh \
	tests/cli/man-lint.sh
TESTS += $(issue6_tests)
EXTRA_DIST += $(issue6_tests)

# Renders every section of the files it is given, in every mode, and
# checks the output bytes (tests/cli/corpora-render.sh runs it).
check_PROGRAMS += tests/cli/render-smoke
tests_cli_render_smoke_SOURCES = tests/cli/render-smoke.c \
	tests/cli/spec-examples.c tests/cli/spec-examples.h
tests_cli_render_smoke_LDADD = $(LIBAWSNOTE)

# Compares the words of every spec example with awsnote's plain text
# (tests/cli/corpora-render.sh runs it).
check_PROGRAMS += tests/cli/text-fidelity
tests_cli_text_fidelity_SOURCES = tests/cli/text-fidelity.c \
	tests/cli/spec-examples.c tests/cli/spec-examples.h
tests_cli_text_fidelity_LDADD = $(LIBAWSNOTE)
