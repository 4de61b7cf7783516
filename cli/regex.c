/*
 * regex.c - placeholder until this mode is implemented; it refuses to run
 * rather than pretend.
 */
#include <stdio.h>

#include "regex.h"

int
regex_run(awn_db *db, const struct options *o, struct output *out)
{
	(void)db, (void)o, (void)out;
	fputs("awsnote: this mode is not implemented yet\n", stderr);
	return 2;
}
