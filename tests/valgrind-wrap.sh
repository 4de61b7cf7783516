#!/bin/sh
# tests/valgrind-wrap.sh - run an awsnote program under valgrind's memcheck.
#
# `make check-valgrind` links tests/valgrind/awsnote and
# tests/valgrind/awsnote-index to this script and points $AWSNOTE and
# $AWSNOTE_INDEX at the links, so the CLI tests, which run "$AWSNOTE" as
# one word, run the real program of the same name from $VALGRIND_BINDIR
# under valgrind.  Each process logs to its own file in
# $VALGRIND_LOGDIR; with -q a log is empty unless valgrind found an error
# or a leak, which check-valgrind then reports.
: "${VALGRIND_BINDIR:?set by make check-valgrind}" "${VALGRIND_LOGDIR:?}"
name=$(basename "$0")
# Run through a link of a test's own (basic.sh's awsnote-link): the
# program that link names.
case $name in
awsnote | awsnote-index) ;;
*) name=$(basename "$(readlink "$0")") ;;
esac
prog=$VALGRIND_BINDIR/$name
exec valgrind ${VALGRIND_FLAGS:---error-exitcode=99 --leak-check=full -q} \
	--log-file="$VALGRIND_LOGDIR/$name.%p.log" "$prog" "$@"
