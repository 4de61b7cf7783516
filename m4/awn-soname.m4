# awn-soname.m4 - the soname a library is loaded by.
#
# AWN_SONAME(VAR, NAME, PROLOGUE, BODY)
# Link a program that runs BODY (after PROLOGUE) with $VAR_CFLAGS and
# $VAR_LIBS, and set awn_soname_VAR to the first library it needs
# (objdump's NEEDED) whose name starts with libNAME: "libmd4c.so.0" for
# NAME md4c.  Empty when it cannot be found out.
AC_DEFUN([AWN_SONAME], [
  AC_REQUIRE([AWN_PROG_OBJDUMP])
  AC_MSG_CHECKING([the soname of lib$2])
  awn_saved_LIBS=$LIBS
  awn_saved_CFLAGS=$CFLAGS
  LIBS="$$1_LIBS $LIBS"
  CFLAGS="$CFLAGS $$1_CFLAGS"
  awn_soname_$1=
  AS_IF([test "x$OBJDUMP" != xno],
    [AC_LINK_IFELSE([AC_LANG_PROGRAM([$3], [$4])],
      [awn_soname_$1=`$OBJDUMP -p conftest$EXEEXT 2>/dev/null |
        sed -n 's/^ *NEEDED  *\(lib$2[[^ ]]*\) *$/\1/p' | sed 1q`])])
  LIBS=$awn_saved_LIBS
  CFLAGS=$awn_saved_CFLAGS
  AS_IF([test -n "$awn_soname_$1"],
    [AC_MSG_RESULT([$awn_soname_$1])],
    [AC_MSG_RESULT([not found])])
])

AC_DEFUN([AWN_PROG_OBJDUMP], [AC_CHECK_TOOL([OBJDUMP], [objdump], [no])])
