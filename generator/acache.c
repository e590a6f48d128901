#include "acache.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include "buf.h"
#include "digest.h"
#include "fsutil.h"
#include "xalloc.h"

#define MAGIC "GLOSSAC1"
#define HEADER 32 /* magic, global key, record count, digest of the file */
#define INDEX_ENTRY 24 /* key, offset, length */
/* A cache file larger than this is not read (1 GiB: a record is about a
 * hundred bytes, an archive of a million articles about 150 MB). */
#define FILE_LIMIT ((size_t)1 << 30)

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return le64toh(v);
}

/* The cache file of KIND for CONTENT_DIR, or NULL when there is no
 * cache folder: named by the folder's real path, so that two checkouts
 * keep two. */
static char *cache_path(const char *content_dir, const char *kind)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	struct buf dir;
	buf_init(&dir);
	if (xdg && xdg[0] == '/') {
		buf_adds(&dir, xdg);
	} else if (home && home[0] == '/') {
		buf_adds(&dir, home);
		buf_adds(&dir, "/.cache");
	} else {
		buf_release(&dir);
		return NULL;
	}
	char *real = realpath(content_dir, NULL);
	if (!real) {
		buf_release(&dir);
		return NULL;
	}
	struct digest x = digest_new(11);
	digest_str(&x, real);
	free(real);
	buf_addf(&dir, "/gloss/%016llx.%s", (unsigned long long)x.h, kind);
	return buf_detach(&dir, NULL);
}

/* The digest of a file of LEN bytes at DATA, all but the digest itself
 * (bytes 24 to 31), as acache_save computes it while writing: a file
 * changed by a single byte is not used. */
#define DIGEST_SEED 0x676c6f7373616331ULL
static uint64_t file_digest(const unsigned char *data, size_t len)
{
	XXH3_state_t *sum = XXH3_createState();
	if (!sum)
		return 0;
	XXH3_64bits_reset_withSeed(sum, DIGEST_SEED);
	XXH3_64bits_update(sum, data, 24);
	XXH3_64bits_update(sum, data + HEADER, len - HEADER);
	uint64_t h = XXH3_64bits_digest(sum);
	XXH3_freeState(sum);
	return h;
}

/* Maps the file at PATH into F when it is as acache_save writes it,
 * for records whose keys cover GLOBAL: mapped, not read, its pages are
 * the file system's, not copied into memory of gloss's own (at 10,000
 * articles 15 MB of annotations, read and copied at every build). A
 * file is only ever replaced whole, never written in place, so the
 * mapping keeps the bytes read. */
static void read_cache(const char *path, uint64_t global,
		       struct acache_file *f)
{
	struct mapped_file m;
	if (mapped_file_open(path, FILE_LIMIT, &m) < 0)
		return;
	const unsigned char *data = (const unsigned char *)m.data;
	size_t len = m.len;
	bool ok = len >= HEADER && memcmp(data, MAGIC, 8) == 0 &&
		  get_u64(data + 8) == global &&
		  get_u64(data + 24) == file_digest(data, len);
	uint64_t count = ok ? get_u64(data + 16) : 0;
	ok = ok && count <= (len - HEADER) / INDEX_ENTRY;
	size_t area = ok ? HEADER + (size_t)count * INDEX_ENTRY : 0;
	for (uint64_t i = 0; ok && i < count; i++) {
		const unsigned char *e = data + HEADER + i * INDEX_ENTRY;
		uint64_t off = get_u64(e + 8), n = get_u64(e + 16);
		ok = off <= len - area && n <= len - area - off &&
		     (i == 0 || get_u64(e) > get_u64(e - INDEX_ENTRY));
	}
	if (!ok) {
		mapped_file_release(&m);
		return;
	}
	*f = (struct acache_file){(unsigned char *)m.data, len, (size_t)count,
				  get_u64(data + 24)};
}

/* What the small file's keys cover: the cache's inputs and the file it
 * adds to, so that it is read with no other. */
static uint64_t delta_global(const struct acache *c)
{
	struct digest x = digest_new(c->global);
	digest_u64(&x, c->base.digest);
	return x.h;
}

static char *delta_path(const struct acache *c)
{
	struct buf b;
	buf_init(&b);
	buf_addf(&b, "%s%s", c->path, ACACHE_DELTA);
	return buf_detach(&b, NULL);
}

void acache_open(struct acache *c, const char *content_dir, const char *kind,
		 uint64_t global, bool use)
{
	memset(c, 0, sizeof *c);
	c->global = global;
	if (!use)
		return;
	c->path = cache_path(content_dir, kind);
	if (!c->path)
		return;
	read_cache(c->path, global, &c->base);
	if (c->base.data) {
		char *delta = delta_path(c);
		read_cache(delta, delta_global(c), &c->delta);
		free(delta);
	}
}

static void unmap_file(struct acache_file *f)
{
	if (f->data)
		munmap(f->data, f->len);
	*f = (struct acache_file){NULL, 0, 0, 0};
}

static void unmap_files(struct acache *c)
{
	unmap_file(&c->base);
	unmap_file(&c->delta);
}

/* Gives this run's records back, and the files read once no lookup and
 * no record needs them. */
static void drop_fresh(struct acache *c)
{
	for (unsigned w = 0; w < c->pool_count; w++)
		if (c->pools[w].base)
			munmap(c->pools[w].base, c->pools[w].size);
	free(c->pools);
	free(c->fresh);
	c->pools = NULL;
	c->pool_count = 0;
	c->fresh = NULL;
	c->fresh_count = 0;
	if (c->closed)
		unmap_files(c);
}

void acache_release(struct acache *c)
{
	drop_fresh(c);
	unmap_files(c);
	free(c->path);
	memset(c, 0, sizeof *c);
}

/* Looks a key up by where its value puts it: keys are digests, spread
 * evenly, so a key's place among COUNT of them is guessed from it to
 * within a few, and two or three looks find it where halving took
 * fourteen at 10,000 records (each look into the index is as likely as
 * not a cache miss). After GUESSES looks it halves, so that no spread of
 * keys takes longer than that and halving. */
#define GUESSES 8
static const unsigned char *file_get(const struct acache_file *f,
				     uint64_t key, size_t *len)
{
	if (!f->data)
		return NULL;
	const unsigned char *index = f->data + HEADER;
	/* The key, if here, is at [lo, hi), and every key there is within
	 * [klo, khi]. */
	size_t lo = 0, hi = f->count;
	uint64_t klo = 0, khi = UINT64_MAX;
	for (unsigned looks = 0; lo < hi && key >= klo && key <= khi;
	     looks++) {
		size_t mid = lo + (hi - lo) / 2;
		if (looks < GUESSES) {
			/* In floating point: a guess need not be exact, and
			 * dividing 128-bit numbers is a call. */
			double at = (double)(key - klo) /
				    ((double)(khi - klo) + 1.0) *
				    (double)(hi - lo);
			mid = lo + (size_t)at;
			if (mid >= hi)
				mid = hi - 1;
		}
		const unsigned char *e = index + mid * INDEX_ENTRY;
		uint64_t k = get_u64(e);
		if (k == key) {
			*len = (size_t)get_u64(e + 16);
			return index + f->count * INDEX_ENTRY + get_u64(e + 8);
		}
		if (k < key) {
			lo = mid + 1;
			klo = k + 1;
		} else {
			hi = mid;
			khi = k - 1;
		}
	}
	return NULL;
}

const unsigned char *acache_get(const struct acache *c, uint64_t key,
				size_t *len)
{
	if (c->closed)
		return NULL;
	const unsigned char *r = file_get(&c->delta, key, len);
	return r ? r : file_get(&c->base, key, len);
}

void acache_close_file(struct acache *c)
{
	/* Records kept from them are saved from where they are. */
	c->closed = true;
	if (!c->fresh)
		unmap_files(c);
}

void acache_prepare(struct acache *c, size_t count, unsigned workers)
{
	if (!c->path)
		return;
	c->fresh = xcalloc(count + 1, sizeof *c->fresh);
	c->fresh_count = count;
	c->pools = xcalloc(workers ? workers : 1, sizeof *c->pools);
	c->pool_count = workers ? workers : 1;
}

/* Room for LEN more bytes in POOL: its region is reserved at the first
 * record (POOL_REGION of address space, backed as it is written). A
 * pool that outgrows POOL_HUGE_AFTER, as in a build without a cache,
 * asks for the rest in huge pages, one fault per 2 MB rather than per
 * 4 KB: 3,500 fewer faults in a full build of 10,000 articles. Small
 * pools, as most are in a rebuild, keep small pages: a huge page costs
 * 2 MB of clearing, and all in huge pages a one-note rebuild took 4 %
 * more CPU. */
#define POOL_REGION ((size_t)1 << 32)
#define POOL_HUGE_AFTER ((size_t)1 << 20)
#define HUGE_PAGE ((size_t)2 << 20)
static unsigned char *pool_room(struct acache_pool *pool, size_t len)
{
	if (!pool->base) {
		void *p = mmap(NULL, POOL_REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		pool->base = p;
		pool->size = POOL_REGION;
	}
	if (len > pool->size - pool->used)
		return NULL;
	unsigned char *at = pool->base + pool->used;
	pool->used += len;
	/* Once, as this record takes the pool past the threshold (a
	 * pool only grows): from the next huge page's address on, the
	 * one being written staying as it is. */
	if (pool->used - len <= POOL_HUGE_AFTER &&
	    pool->used > POOL_HUGE_AFTER) {
		uintptr_t end = (uintptr_t)pool->base + pool->size;
		uintptr_t from = ((uintptr_t)at + len + HUGE_PAGE - 1) &
				 ~(uintptr_t)(HUGE_PAGE - 1);
		if (from < end)
			madvise((void *)from, end - from, MADV_HUGEPAGE);
	}
	return at;
}

/* Whether LEN bytes at DATA lie in file F. */
static bool in_file(const struct acache_file *f, const void *data,
		    size_t len)
{
	const unsigned char *p = data;
	return f->data && p >= f->data && len <= f->len &&
	       (size_t)(p - f->data) <= f->len - len;
}

void acache_put(struct acache *c, unsigned worker, size_t i, uint64_t key,
		const void *data, size_t len)
{
	if (!c->fresh || i >= c->fresh_count || worker >= c->pool_count)
		return;
	/* A record kept from the file read stays where it is: the file
	 * stays mapped until the records are saved, and an unchanged
	 * record is neither copied nor given memory of its own. */
	if (len && (in_file(&c->base, data, len) ||
		    in_file(&c->delta, data, len))) {
		c->fresh[i] = (struct acache_record){key, data, len};
		return;
	}
	/* A record that finds no room is not kept: annotated again next
	 * time. (Empty records still need an address.) */
	unsigned char *at = pool_room(&c->pools[worker], len ? len : 1);
	if (!at)
		return;
	if (len)
		memcpy(at, data, len);
	c->fresh[i] = (struct acache_record){key, at, len};
}

void acache_put_kept(struct acache *c, size_t i, uint64_t key,
		     const void *data, size_t len)
{
	if (!c->fresh || i >= c->fresh_count)
		return;
	/* Empty records still need an address. */
	c->fresh[i] = (struct acache_record){key, len ? data : (const void *)"",
					     len};
}

/* Sorts the N records by key, stably, a byte of the key at a time:
 * keys are digests, which no comparison sort orders in fewer steps
 * (qsort took 36 M instructions for the four caches of a 10,000-article
 * rebuild). */
static void sort_by_key(struct acache_record *v, size_t n)
{
	struct acache_record *tmp = xcalloc(n + 1, sizeof *tmp);
	struct acache_record *from = v, *to = tmp;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t start[257] = {0};
		for (size_t i = 0; i < n; i++)
			start[(from[i].key >> shift & 0xff) + 1]++;
		/* A byte all keys share moves nothing. */
		bool one = false;
		for (size_t b = 1; b <= 256 && !one; b++)
			one = start[b] == n;
		if (one)
			continue;
		for (size_t b = 1; b <= 256; b++)
			start[b] += start[b - 1];
		for (size_t i = 0; i < n; i++)
			to[start[from[i].key >> shift & 0xff]++] = from[i];
		struct acache_record *t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof *v);
	free(tmp);
}

/* Sorts the N records at V by key, and keeps one of each key: articles
 * with the same inputs have the same record. Returns how many are left. */
static size_t sort_unique(struct acache_record *v, size_t n)
{
	sort_by_key(v, n);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (kept == 0 || v[i].key != v[kept - 1].key)
			v[kept++] = v[i];
	return kept;
}

/* Makes the folders above PATH. */
static int make_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		rc = make_dirs(dir);
	}
	free(dir);
	return rc;
}

/* The file being written: runs of bytes gathered for writev (Linux
 * takes 1,024 at a time), and the digest of all but its own place. */
#define RUNS 256
struct save_out {
	int fd;
	XXH3_state_t *sum;
	struct iovec runs[RUNS];
	size_t count;
	bool ok;
};

static void flush_runs(struct save_out *o)
{
	size_t first = 0;
	while (o->ok && first < o->count) {
		ssize_t wrote = writev(o->fd, o->runs + first,
				       (int)(o->count - first));
		if (wrote < 0 && errno == EINTR)
			continue;
		if (wrote <= 0) {
			o->ok = false;
			break;
		}
		/* A short write leaves the rest of a run for the next. */
		size_t left = (size_t)wrote;
		while (first < o->count && left >= o->runs[first].iov_len)
			left -= o->runs[first++].iov_len;
		if (left) {
			o->runs[first].iov_base =
			    (char *)o->runs[first].iov_base + left;
			o->runs[first].iov_len -= left;
		}
	}
	o->count = 0;
}

/* Adds LEN bytes at DATA to the file and its digest; bytes that follow
 * the last run in memory extend it. DATA must stay until the runs are
 * flushed. */
static void emit(struct save_out *o, const void *data, size_t len)
{
	if (!len)
		return;
	XXH3_64bits_update(o->sum, data, len);
	if (o->count) {
		struct iovec *last = &o->runs[o->count - 1];
		if ((const char *)last->iov_base + last->iov_len == data) {
			last->iov_len += len;
			return;
		}
	}
	if (o->count == RUNS)
		flush_runs(o);
	o->runs[o->count++] = (struct iovec){(void *)data, len};
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Whether the N records at V (sorted, one per key) are file F's own,
 * one after another, each where F holds it or the same bytes elsewhere
 * (the layout's records, made again at every build): saving them would
 * write F's bytes again. */
static bool same_as_file(const struct acache_file *f,
			 const struct acache_record *v, size_t n)
{
	if (!f->data || n != f->count)
		return false;
	const unsigned char *index = f->data + HEADER;
	const unsigned char *area = index + n * INDEX_ENTRY;
	uint64_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *e = index + i * INDEX_ENTRY;
		if (v[i].key != get_u64(e) || get_u64(e + 8) != off ||
		    v[i].len != get_u64(e + 16) ||
		    (v[i].len && v[i].data != area + off &&
		     memcmp(v[i].data, area + off, v[i].len) != 0))
			return false;
		off += v[i].len;
	}
	return HEADER + n * INDEX_ENTRY + off == f->len;
}

/* Whether file F holds record R where R is: a record read from a file
 * is put under the key it was read by (acache.h). An empty record has
 * no place, and is looked up. */
static bool file_holds(const struct acache_file *f,
		       const struct acache_record *r)
{
	size_t len = 1;
	if (r->len)
		return in_file(f, r->data, r->len);
	return file_get(f, r->key, &len) && len == 0;
}

/* Writes the N records at V (sorted by key) as the file at PATH, for
 * keys that cover GLOBAL: beside it, then renamed over it. Returns
 * whether it is in place. */
static bool write_records(const char *path, uint64_t global,
			  const struct acache_record *v, size_t n)
{
	/* The header and index in memory (24 bytes a record), the records
	 * written from where they are: the files read, for those kept, the
	 * pools, and the caller's memory. */
	struct buf tmp;
	buf_init(&tmp);
	buf_addf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	unsigned char *head = xmalloc(HEADER + n * INDEX_ENTRY);
	memcpy(head, MAGIC, 8);
	put_u64(head + 8, global);
	put_u64(head + 16, n);
	put_u64(head + 24, 0); /* the digest's place, filled in at the end */
	uint64_t off = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char *e = head + HEADER + i * INDEX_ENTRY;
		put_u64(e, v[i].key);
		put_u64(e + 8, off);
		put_u64(e + 16, v[i].len);
		off += v[i].len;
	}
	bool ok = false;
	struct save_out o = {.fd = -1};
	o.sum = XXH3_createState();
	if (o.sum && make_parent(path) == 0)
		o.fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			    0644);
	if (o.fd >= 0) {
		o.ok = true;
		XXH3_64bits_reset_withSeed(o.sum, DIGEST_SEED);
		XXH3_64bits_update(o.sum, head, 24);
		/* The digest's place is written, as zeros, not digested. */
		o.runs[o.count++] = (struct iovec){head, HEADER};
		emit(&o, head + HEADER, n * INDEX_ENTRY);
		for (size_t i = 0; i < n; i++)
			emit(&o, v[i].data, v[i].len);
		flush_runs(&o);
		unsigned char digest[8];
		put_u64(digest, XXH3_64bits_digest(o.sum));
		ok = o.ok && pwrite(o.fd, digest, 8, 24) == 8;
		ok = close(o.fd) == 0 && ok;
		ok = ok && rename(tmp.data, path) == 0;
		if (!ok)
			unlink(tmp.data);
	}
	XXH3_freeState(o.sum);
	free(head);
	buf_release(&tmp);
	return ok;
}

/* The share of the cache file past which the records it does not hold,
 * or its records unused, have it written whole again: an eighth. */
#define DELTA_SHARE 8

void acache_save(struct acache *c)
{
	if (!c->path || !c->fresh) {
		drop_fresh(c);
		return;
	}
	/* Slots left empty go. */
	size_t n = 0;
	for (size_t i = 0; i < c->fresh_count; i++)
		if (c->fresh[i].data)
			c->fresh[n++] = c->fresh[i];

	/* The records the cache file does not hold, and what they and the
	 * file's unused records come to. Only what is written is sorted:
	 * the few records beside the file, or all of them (sorting every
	 * run's records was 9 M instructions of a one-note rebuild). Two
	 * articles with the same inputs count twice here, which can only
	 * put off writing the file whole. */
	struct acache_record *others = xcalloc(n + 1, sizeof *others);
	size_t held = 0, other_count = 0;
	uint64_t other_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		if (file_holds(&c->base, &c->fresh[i])) {
			held++;
		} else {
			others[other_count++] = c->fresh[i];
			other_bytes += c->fresh[i].len;
		}
	}
	size_t base = c->base.count;
	size_t unused = held < base ? base - held : 0;
	bool small = c->base.data && other_count <= base / DELTA_SHARE &&
		     unused <= base / DELTA_SHARE &&
		     other_bytes <= c->base.len / DELTA_SHARE;
	char *delta = delta_path(c);
	if (small) {
		/* The cache file stays; the small file holds the rest, or
		 * goes when there is none. A run that changed nothing here
		 * (a rebuild after an edit that no record covers) writes
		 * nothing. */
		other_count = sort_unique(others, other_count);
		if (other_count == 0)
			unlink(delta);
		else if (!same_as_file(&c->delta, others, other_count))
			write_records(delta, delta_global(c), others,
				      other_count);
	} else {
		/* The small file names the cache file it adds to: once
		 * that is replaced it is read no more, and goes. */
		n = sort_unique(c->fresh, n);
		if (!same_as_file(&c->base, c->fresh, n) &&
		    write_records(c->path, c->global, c->fresh, n))
			unlink(delta);
	}
	free(delta);
	free(others);
	drop_fresh(c);
}
