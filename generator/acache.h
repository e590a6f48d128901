/* The annotation cache: what annotating an article found (annotate.h),
 * kept between runs so that an article whose inputs did not change is
 * not folded, searched for its passages and scanned for mentions again.
 *
 * Each article's record is looked up by a key: a digest of everything
 * annotating it reads (its capture and .md, the passages that positions
 * quote in it, the archive's omit lines, every party's aliases, and
 * gloss itself with its libraries). Only articles annotated without a
 * message are recorded, so a record never needs a message replayed.
 *
 * The cache is one file per content folder, under $XDG_CACHE_HOME/gloss
 * (or ~/.cache/gloss), named by a digest of the folder's real path, and
 * is not part of any site. It is saved once a build has found its
 * archive and theme free of errors, as one of the jobs that render
 * pages, and its records are let go of then; `gloss check` only reads
 * it. A file that is missing, of another version, or not as gloss
 * writes it (it carries a digest of its bytes) gives no records; a
 * record that does not fit its article is not used. Either way the
 * article is annotated as if there were no cache, and the site is the
 * same bytes.
 *
 * Saving writes the file whole (beside it, then renamed) only when much
 * has changed. A build that changes a few records writes them to a
 * second, small file beside it (ACACHE_DELTA), which names the file it
 * adds to by its digest and is read with it: rewriting the 15 MB of a
 * 10,000-article archive's annotations for one edited note was most of
 * what saving the caches cost a rebuild. The big file then keeps
 * records no article uses any more. Such a record is never wrong, only
 * unused: a key is a digest of all that its record is made from, or the
 * record holds the stamp of the file it describes, which its reader
 * checks (the captures'); and under a key both files hold, the small
 * one's, read first, is the later. Once the small file, or the unused
 * records, would pass an eighth of the big file, the records are
 * written whole again. */
#ifndef GLOSS_ACACHE_H
#define GLOSS_ACACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acache_record {
	uint64_t key;
	/* in a worker's pool, in the file read, or the caller's
	 * (acache_put_kept); NULL: none */
	const unsigned char *data;
	size_t len;
};

/* Where one worker's records are written one after another: a region of
 * address space of its own, backed only as it fills and given back to
 * the system whole once saved, so that records freed before pages are
 * rendered do not linger in the allocator's free lists. */
struct acache_pool {
	unsigned char *base;
	size_t used, size;
};

/* The name the small file of records added since the cache file was
 * last written whole takes: the cache file's, with this after it. */
#define ACACHE_DELTA ".delta"

/* A file of records as acache_save writes it: its index and records. */
struct acache_file {
	unsigned char *data;   /* mapped, len bytes; owned; NULL: none */
	size_t len;
	size_t count;          /* records in it */
	uint64_t digest;       /* of its bytes, as its header holds it */
};

struct acache {
	char *path;            /* owned; NULL: no cache */
	uint64_t global;       /* what every key covers */
	/* the files read: the cache file, and the small file of the
	 * records added to it since (looked up first) */
	struct acache_file base, delta;
	/* looked up no more (acache_close_file); kept mapped while this
	 * run's records, which may point into them, are not saved */
	bool closed;
	/* records of this run, to be saved: slot I is article I's */
	struct acache_record *fresh;
	size_t fresh_count;
	struct acache_pool *pools; /* one per worker */
	unsigned pool_count;
};

/* Opens the cache of CONTENT_DIR for records whose keys cover GLOBAL;
 * with USE false, or when there is no cache folder, a cache that holds
 * and saves nothing. Records are gathered to be saved only after
 * acache_prepare. KIND names the file ("annotations", "frontmatter",
 * "captures"): the same records serve front matter trees (frontmatter.h)
 * and the stamps of captures (archive.h). */
void acache_open(struct acache *c, const char *content_dir, const char *kind,
		 uint64_t global, bool use);
void acache_release(struct acache *c);

/* The record under KEY in the files read, or NULL. */
const unsigned char *acache_get(const struct acache *c, uint64_t key,
				size_t *len);
/* Lets go of the file read, once nothing more is looked up: at once,
 * or, when this run's records point into it, once they are saved. */
void acache_close_file(struct acache *c);

/* Sets aside COUNT slots for this run's records (one per article, in
 * article order), to be filled by WORKERS threads. */
void acache_prepare(struct acache *c, size_t count, unsigned workers);
/* Stores DATA (LEN bytes) as slot I's record under KEY: a record of the
 * file read (as acache_get gave it) where it is, any other copied into
 * WORKER's pool. Each slot is filled once, each pool by one thread. */
void acache_put(struct acache *c, unsigned worker, size_t i, uint64_t key,
		const void *data, size_t len);
/* As acache_put, for DATA that the caller keeps as it is until
 * acache_save: not copied (the records of a site's layout, megabytes
 * each, copied into fresh pages at the end of every build). */
void acache_put_kept(struct acache *c, size_t i, uint64_t key,
		     const void *data, size_t len);
/* Saves this run's records, and frees them: the records the cache file
 * does not hold go to the small file beside it, or, when they or the
 * file's records this run did not use are too many, all of them replace
 * the file (and the small one goes). Files that already hold what would
 * be written are left as they are, the same bytes. Failure is not an
 * error: the next run annotates again. */
void acache_save(struct acache *c);

#endif
