/* Diagnostics: every problem gloss finds in the archive goes through here.
 *
 * Messages are written at once to the stream given to diag_init, in GCC's
 * form `FILE:LINE:COL: error: MESSAGE` (or `warning:`), so editors' tools
 * can jump to them. A line or column of 0 is left out (`FILE: error: ...`).
 * The counts let a run report every error and still exit 1 at the end. */
#ifndef GLOSS_DIAG_H
#define GLOSS_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct diag {
	FILE *out;
	size_t errors;
	size_t warnings;
};

void diag_init(struct diag *d, FILE *out);
void diag_error(struct diag *d, const char *file, int line, int col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(struct diag *d, const char *file, int line, int col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
