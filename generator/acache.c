#include "acache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
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

/* The cache file mapped, not read: its pages are the file system's, not
 * copied into memory of gloss's own (at 10,000 articles 9.5 MB of
 * annotations, read and copied at every build). The file is only ever
 * replaced whole (acache_save), so the mapping keeps the bytes read. */
static unsigned char *map_cache(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	void *map = MAP_FAILED;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= FILE_LIMIT) {
		*len = (size_t)st.st_size;
		map = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	return map == MAP_FAILED ? NULL : map;
}

/* Keeps the file mapped when it is as acache_save writes it. */
static void read_cache(struct acache *c)
{
	size_t len = 0;
	unsigned char *data = map_cache(c->path, &len);
	if (!data)
		return;
	bool ok = len >= HEADER && memcmp(data, MAGIC, 8) == 0 &&
		  get_u64(data + 8) == c->global &&
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
		munmap(data, len);
		return;
	}
	c->file = data;
	c->file_len = len;
	c->count = (size_t)count;
}

void acache_open(struct acache *c, const char *content_dir, const char *kind,
		 uint64_t global, bool use)
{
	memset(c, 0, sizeof *c);
	c->global = global;
	if (!use)
		return;
	c->path = cache_path(content_dir, kind);
	if (c->path)
		read_cache(c);
}

/* Gives this run's records back. */
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
}

void acache_release(struct acache *c)
{
	drop_fresh(c);
	acache_close_file(c);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const unsigned char *acache_get(const struct acache *c, uint64_t key,
				size_t *len)
{
	if (!c->file)
		return NULL;
	size_t lo = 0, hi = c->count;
	const unsigned char *index = c->file + HEADER;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k = get_u64(index + mid * INDEX_ENTRY);
		if (k == key) {
			const unsigned char *e = index + mid * INDEX_ENTRY;
			*len = (size_t)get_u64(e + 16);
			return index + c->count * INDEX_ENTRY + get_u64(e + 8);
		}
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void acache_close_file(struct acache *c)
{
	if (c->file)
		munmap(c->file, c->file_len);
	c->file = NULL;
	c->file_len = 0;
	c->count = 0;
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
 * record (POOL_REGION of address space, backed as it is written). */
#define POOL_REGION ((size_t)1 << 32)
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
	return at;
}

void acache_put(struct acache *c, unsigned worker, size_t i, uint64_t key,
		const void *data, size_t len)
{
	if (!c->fresh || i >= c->fresh_count || worker >= c->pool_count)
		return;
	/* A record that finds no room is not kept: annotated again next
	 * time. (Empty records still need an address.) */
	unsigned char *at = pool_room(&c->pools[worker], len ? len : 1);
	if (!at)
		return;
	if (len)
		memcpy(at, data, len);
	c->fresh[i] = (struct acache_record){key, at, len};
}

/* What the file is written through. */
#define SAVE_BUFFER ((size_t)1 << 20)

static int compare_records(const void *x, const void *y)
{
	const struct acache_record *a = x, *b = y;
	/* Slots left empty last. */
	if (!a->data || !b->data)
		return !a->data - !b->data;
	return a->key < b->key ? -1 : a->key > b->key;
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

/* Writes LEN bytes to OUT, and into the file's digest unless the
 * digest's own place. */
static void emit(FILE *out, XXH3_state_t *sum, const void *data, size_t len)
{
	fwrite(data, 1, len, out);
	XXH3_64bits_update(sum, data, len);
}

static void emit_u64(FILE *out, XXH3_state_t *sum, uint64_t v)
{
	unsigned char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(v >> (8 * i));
	emit(out, sum, bytes, 8);
}

void acache_save(struct acache *c)
{
	if (!c->path || !c->fresh) {
		drop_fresh(c);
		return;
	}
	qsort(c->fresh, c->fresh_count, sizeof *c->fresh, compare_records);
	/* Articles with the same inputs have the same record: one is kept. */
	size_t n = 0;
	for (size_t i = 0; i < c->fresh_count && c->fresh[i].data; i++)
		if (n == 0 || c->fresh[i].key != c->fresh[n - 1].key)
			c->fresh[n++] = c->fresh[i];

	/* Streamed to the file, not gathered: at 100,000 articles the
	 * records are 40 MB, which a buffer would keep in the allocator. */
	struct buf tmp;
	buf_init(&tmp);
	buf_addf(&tmp, "%s.%ld.tmp", c->path, (long)getpid());
	FILE *out = make_parent(c->path) == 0 ? fopen(tmp.data, "wb") : NULL;
	XXH3_state_t *sum = XXH3_createState();
	/* stdio's own buffer is 4 KiB: a write call each, 2,300 for the
	 * annotations of 10,000 articles. (glibc ignores a size given
	 * without a buffer.) */
	char *out_buf = out ? xmalloc(SAVE_BUFFER) : NULL;
	if (out)
		setvbuf(out, out_buf, _IOFBF, SAVE_BUFFER);
	if (out && sum) {
		XXH3_64bits_reset_withSeed(sum, DIGEST_SEED);
		emit(out, sum, MAGIC, 8);
		emit_u64(out, sum, c->global);
		emit_u64(out, sum, n);
		/* the digest's place, filled in at the end */
		static const unsigned char zero[8];
		fwrite(zero, 1, 8, out);
		uint64_t off = 0;
		for (size_t i = 0; i < n; i++) {
			emit_u64(out, sum, c->fresh[i].key);
			emit_u64(out, sum, off);
			emit_u64(out, sum, c->fresh[i].len);
			off += c->fresh[i].len;
		}
		for (size_t i = 0; i < n; i++)
			emit(out, sum, c->fresh[i].data, c->fresh[i].len);
		uint64_t digest = XXH3_64bits_digest(sum);
		unsigned char bytes[8];
		for (int i = 0; i < 8; i++)
			bytes[i] = (unsigned char)(digest >> (8 * i));
		bool ok = fseek(out, 24, SEEK_SET) == 0 &&
			  fwrite(bytes, 1, 8, out) == 8;
		ok = !ferror(out) && ok;
		ok = fclose(out) == 0 && ok;
		out = NULL;
		if (!ok || rename(tmp.data, c->path) != 0)
			unlink(tmp.data);
	} else if (out) {
		fclose(out);
		unlink(tmp.data);
	}
	XXH3_freeState(sum);
	free(out_buf);
	buf_release(&tmp);
	drop_fresh(c);
}
