#include "xmlarena.h"

#include <libxml/xmlmemory.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xalloc.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Address space reserved per thread; pages are backed only once used.
 * No page comes near it; past it, allocations spill to the heap. */
#define REGION ((size_t)4 << 30)
static size_t region_size = REGION;
/* Memory kept backed between pages; more is given back to the system. */
#define KEEP ((size_t)16 << 20)
#define ALIGN 16

/* Before each allocation: its size, which realloc needs. */
struct header {
	size_t size;
	size_t unused; /* keeps what follows ALIGN-aligned */
};
_Static_assert(sizeof(struct header) == XML_ARENA_HEADER,
	       "xmlarena.h gives the header's size");

struct region;

struct arena {
	char *base, *next;   /* the region, and its first free byte */
	size_t size;         /* of the region */
	struct region *region; /* what unmaps it when the thread ends */
	unsigned depth;      /* opens not yet closed */
	bool failed;         /* no region on this thread */
	void **spill;        /* heap blocks made once the region was full */
	size_t spill_count, spill_cap;
};

static _Thread_local struct arena arena;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static pthread_key_t region_key;
static bool installed;

static bool in_region(const void *p)
{
	return arena.base &&
	       (uintptr_t)p - (uintptr_t)arena.base < (uintptr_t)arena.size;
}

static bool in_spill(const void *p)
{
	for (size_t i = 0; i < arena.spill_count; i++)
		if ((const char *)arena.spill[i] + sizeof(struct header) == p)
			return true;
	return false;
}

static bool in_arena(const void *p)
{
	return in_region(p) || (arena.spill_count && in_spill(p));
}

static void *arena_alloc(size_t size)
{
	if (size > ((size_t)1 << 40))
		return NULL; /* would overflow: libxml2 reports no memory */
	size_t need = (sizeof(struct header) + size + ALIGN - 1) &
		      ~(size_t)(ALIGN - 1);
	struct header *h;
	if ((size_t)(arena.base + arena.size - arena.next) >= need) {
		h = (struct header *)arena.next;
		arena.next += need;
		UNPOISON(h, need);
	} else {
		h = xmalloc(need);
		arena.spill = xgrow(arena.spill, &arena.spill_cap,
				    arena.spill_count + 1, sizeof *arena.spill);
		arena.spill[arena.spill_count++] = h;
	}
	h->size = size;
	return h + 1;
}

static void *arena_malloc(size_t size)
{
	if (arena.depth)
		return arena_alloc(size);
	return malloc(size);
}

static void arena_free(void *p)
{
	if (p && !in_arena(p))
		free(p);
}

static void *arena_realloc(void *p, size_t size)
{
	if (!p)
		return arena_malloc(size);
	if (!in_arena(p))
		return realloc(p, size);
	size_t old = ((struct header *)p - 1)->size;
	void *q = arena_malloc(size);
	if (q)
		memcpy(q, p, old < size ? old : size);
	return q;
}

static char *arena_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *q = arena_malloc(n);
	if (q)
		memcpy(q, s, n);
	return q;
}

/* The thread's region, when it ends. */
struct region {
	void *base;
	size_t size;
	size_t poisoned; /* bytes from BASE ASan was told not to touch */
};

static void unmap_region(void *arg)
{
	struct region *r = arg;
	/* ASan keeps a mapping's poison past munmap: whatever is mapped
	 * there next would seem poisoned. */
	UNPOISON(r->base, r->poisoned);
	munmap(r->base, r->size);
	free(r);
}

static void install(void)
{
	if (pthread_key_create(&region_key, unmap_region) != 0)
		return;
	if (xmlMemSetup(arena_free, arena_malloc, arena_realloc,
			arena_strdup) == 0)
		installed = true;
}

void xml_arena_install(void)
{
	pthread_once(&install_once, install);
}

bool xml_arena_open(void)
{
	if (!installed || arena.failed)
		return false;
	if (!arena.base) {
		size_t size = region_size;
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);
		if (p == MAP_FAILED) {
			arena.failed = true;
			return false;
		}
		arena.base = arena.next = p;
		arena.size = size;
		/* Unmapped when the thread ends; the main thread's goes
		 * with the process. */
		struct region *r = xmalloc(sizeof *r);
		*r = (struct region){p, size, 0};
		arena.region = r;
		pthread_setspecific(region_key, r);
	}
	arena.depth++;
	return true;
}

void xml_arena_close(void)
{
	if (!arena.depth || --arena.depth)
		return;
	size_t used = (size_t)(arena.next - arena.base);
	POISON(arena.base, used);
	if (arena.region && arena.region->poisoned < used)
		arena.region->poisoned = used;
	if (used > KEEP)
		madvise(arena.base + KEEP, used - KEEP, MADV_DONTNEED);
	arena.next = arena.base;
	for (size_t i = 0; i < arena.spill_count; i++)
		free(arena.spill[i]);
	free(arena.spill);
	arena.spill = NULL;
	arena.spill_count = arena.spill_cap = 0;
}

bool xml_arena_holds(const void *p)
{
	return in_region(p);
}

void xml_arena_header(void *object, size_t size)
{
	struct header h = {size, 0};
	memcpy((char *)object - sizeof h, &h, sizeof h);
}

void xml_arena_reserve(size_t bytes)
{
	region_size = bytes;
}
