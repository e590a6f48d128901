/* Where libxml2 allocates while a page is built.
 *
 * A page is a tree of thousands of small libxml2 allocations, all made
 * while it is built and all freed together when it has been written.
 * Between xml_arena_open and the matching xml_arena_close, libxml2's
 * allocations on the calling thread come from that thread's arena: a
 * pointer bump in a region of address space reserved for it. Freeing
 * them is a no-op, and closing the last open arena releases all of them
 * at once, so the page's tree is never walked to be freed.
 *
 * The arena reaches libxml2 through xmlMemSetup (xml_arena_install),
 * which must run before any other thread uses libxml2. Outside an open
 * arena, and for memory that was not allocated in one, libxml2 uses
 * malloc and free as before. Nothing allocated in an arena may outlive
 * the close of the last arena open on its thread: a document made there,
 * with everything added to it, is released then.
 *
 * Under AddressSanitizer, released memory is poisoned, so a use after
 * the close is still reported. */
#ifndef GLOSS_XMLARENA_H
#define GLOSS_XMLARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Routes libxml2's allocations through this module; once, at start-up. */
void xml_arena_install(void);

/* Opens the thread's arena (they nest). Returns false when there is no
 * arena, because xml_arena_install has not run or the address space
 * could not be reserved: libxml2 then allocates from the heap and what
 * it made must be freed as usual. Call xml_arena_close only after true. */
bool xml_arena_open(void);
void xml_arena_close(void);

/* Whether P lies in the calling thread's region: freeing anything there
 * is a no-op, whatever allocation it was carved from. */
bool xml_arena_holds(const void *p);

/* The bytes before each allocation, from which xmlRealloc reads its
 * size. An object carved out of a larger allocation in the region can
 * be grown by libxml2 when it is preceded by a header: xml_arena_header
 * writes one for an object of SIZE bytes at OBJECT. */
#define XML_ARENA_HEADER 16
void xml_arena_header(void *object, size_t size);

/* For tests: the address space that threads reserve from now on, when
 * they first open an arena (4 GiB otherwise); past it, allocations are
 * made on the heap and still freed at the close. */
void xml_arena_reserve(size_t bytes);

#endif
