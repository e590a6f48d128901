/* Diagnostics: every problem gloss finds in the archive goes through here.
 *
 * Messages are written at once to the stream given to diag_init, in GCC's
 * form `FILE:LINE:COL: error: MESSAGE` (or `warning:`), so editors' tools
 * can jump to them. A line or column of 0 is left out (`FILE: error: ...`).
 * The counts let a run report every error and still exit 1 at the end.
 *
 * Work done on several threads keeps its messages instead (diag_init_kept)
 * and passes them on in a fixed order (diag_pass_on), so that the output
 * is the same however the threads ran. */
#ifndef GLOSS_DIAG_H
#define GLOSS_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

struct diag {
	FILE *out;       /* NULL when the messages are kept */
	struct buf kept; /* the kept messages, in order; unused with OUT */
	size_t errors;
	size_t warnings;
};

void diag_init(struct diag *d, FILE *out);
/* A diag that keeps its messages until diag_pass_on, which frees them. */
void diag_init_kept(struct diag *d);
/* Writes FROM's kept messages to TO (written or kept in turn), adds its
 * counts to TO's, and frees what FROM kept: init FROM again to reuse it. */
void diag_pass_on(struct diag *to, struct diag *from);
void diag_error(struct diag *d, const char *file, int line, int col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(struct diag *d, const char *file, int line, int col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
