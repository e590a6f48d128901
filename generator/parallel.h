/* Running the same work over many items on several threads.
 *
 * Items are taken in order from a shared counter, so a thread that
 * finishes early takes the next item; which thread does which item is
 * not fixed, so callers write each item's results where that item owns
 * them and combine them in item order afterwards. */
#ifndef GLOSS_PARALLEL_H
#define GLOSS_PARALLEL_H

#include <stddef.h>

/* Calls FN(ARG, I, WORKER) once for every I in [0, COUNT), on at most
 * THREADS threads (the caller's among them), and returns when all calls
 * have returned. WORKER, below THREADS, names the thread, so FN can use
 * scratch space of its own in an array of THREADS. THREADS of 0 is 1. */
void parallel_for(size_t count, unsigned threads,
		  void (*fn)(void *arg, size_t i, unsigned worker), void *arg);

#endif
