#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "xalloc.h"

struct range {
	size_t count;
	atomic_size_t next;
	void (*fn)(void *arg, size_t i, unsigned worker);
	void *arg;
};

struct worker {
	struct range *r;
	unsigned id;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	size_t i;
	while ((i = atomic_fetch_add(&w->r->next, 1)) < w->r->count)
		w->r->fn(w->r->arg, i, w->id);
	return NULL;
}

void parallel_for(size_t count, unsigned threads,
		  void (*fn)(void *arg, size_t i, unsigned worker), void *arg)
{
	struct range r = {.count = count, .fn = fn, .arg = arg};
	atomic_init(&r.next, 0);
	if (threads == 0)
		threads = 1;
	if (threads > count)
		threads = count ? (unsigned)count : 1;
	pthread_t *ids = xcalloc(threads, sizeof *ids);
	struct worker *workers = xcalloc(threads, sizeof *workers);
	unsigned started = 0;
	for (unsigned t = 0; t < threads; t++)
		workers[t] = (struct worker){&r, t};
	for (unsigned t = 1; t < threads; t++) {
		/* A thread that cannot start leaves its share to the others. */
		if (pthread_create(&ids[t], NULL, run, &workers[t]) != 0)
			break;
		started++;
	}
	run(&workers[0]);
	for (unsigned t = 1; t <= started; t++)
		pthread_join(ids[t], NULL);
	free(workers);
	free(ids);
}
