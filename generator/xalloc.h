/* Allocation that never returns NULL.
 *
 * Out of memory is the one failure gloss does not try to survive: these
 * wrappers report it on stderr and exit with status 3, so no other code
 * checks malloc's result. Every pointer returned is owned by the caller,
 * who releases it with free(). */
#ifndef GLOSS_XALLOC_H
#define GLOSS_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
/* xcalloc for memory that is read before it is written (a hash table's
 * slots): zeroed by writing, where calloc may leave fresh pages unmapped,
 * so that reading one maps the system's zero page and writing it then
 * faults a second time, with every thread's TLB flushed. */
void *xcalloc_written(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of COUNT elements of SIZE bytes to hold at least NEED,
 * doubling so that appends stay amortised O(1); updates *CAP. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
