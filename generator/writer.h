/* Writing the site's files into the folder being built, recording each in
 * the manifest. The first failure is reported and stops every later
 * write, so a build reports one cause and leaves no half-written site. */
#ifndef GLOSS_WRITER_H
#define GLOSS_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"

struct writer {
	char *stage;       /* the folder being written, beside the output */
	struct buf manifest;
	size_t files;
	bool failed;
	struct diag *d;
};

/* Writes LEN bytes of DATA to REL (a path relative to the site's root,
 * parents created as needed). */
void writer_emit(struct writer *w, const char *rel, const void *data,
		 size_t len);
/* Copies the file FROM to REL. */
void writer_copy(struct writer *w, const char *from, const char *rel);
/* Copies the folder FROM to REL, sorted, recursively; dot files are left
 * out. */
void writer_tree(struct writer *w, const char *from, const char *rel);

#endif
