/*
 * optguard.h - getopt's error messages without a terminal's escapes.
 *
 * getopt_long prints an option it cannot take as it was typed, so
 * `awsnote -$'\e]0;x\a'` would send the escape to the terminal.  When an
 * argument getopt may quote holds such bytes, its messages are turned off
 * and optguard_report says the same things with the bytes shown safely.
 */
#ifndef OPTGUARD_H
#define OPTGUARD_H

/* Set opterr for ARGV: getopt's own messages unless an option-like
 * argument would not print as it is.  Call before getopt_long. */
void optguard_begin(int argc, char **argv);

/* After getopt_long returned '?' (OPTSTRING as given to it): print the
 * message getopt left out, if it left it out, on stderr. */
void optguard_report(const char *prog, char **argv, const char *optstring);

#endif
