#include "acache.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void put_u64(struct buf *b, uint64_t v)
{
	char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (char)(v >> (8 * i));
	buf_add(b, bytes, 8);
}

/* The cache file of CONTENT_DIR, or NULL when there is no cache folder:
 * named by the folder's real path, so that two checkouts keep two. */
static char *cache_path(const char *content_dir)
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
	buf_addf(&dir, "/gloss/%016llx.annotations", (unsigned long long)x.h);
	return buf_detach(&dir, NULL);
}

/* The digest of a file of LEN bytes at DATA, all but the digest itself
 * (bytes 24 to 31): a file changed by a single byte is not used. */
static uint64_t file_digest(const unsigned char *data, size_t len)
{
	struct digest x = digest_new(12);
	digest_bytes(&x, data, 24);
	digest_bytes(&x, data + HEADER, len - HEADER);
	return x.h;
}

/* Keeps the file read when it is as acache_save writes it. */
static void read_cache(struct acache *c)
{
	unsigned char *data = NULL;
	size_t len = 0;
	if (read_file(c->path, FILE_LIMIT, (char **)&data, &len) != 0)
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
		free(data);
		return;
	}
	c->file = data;
	c->file_len = len;
	c->count = (size_t)count;
}

void acache_open(struct acache *c, const char *content_dir, uint64_t global,
		 bool use)
{
	memset(c, 0, sizeof *c);
	c->global = global;
	if (!use)
		return;
	c->path = cache_path(content_dir);
	if (c->path)
		read_cache(c);
}

void acache_release(struct acache *c)
{
	for (size_t i = 0; i < c->fresh_count; i++)
		free(c->fresh[i].data);
	free(c->fresh);
	free(c->file);
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
	free(c->file);
	c->file = NULL;
	c->file_len = 0;
	c->count = 0;
}

void acache_prepare(struct acache *c, size_t count)
{
	if (!c->path)
		return;
	c->fresh = xcalloc(count + 1, sizeof *c->fresh);
	c->fresh_count = count;
}

void acache_put(struct acache *c, size_t i, uint64_t key, const void *data,
		size_t len)
{
	if (!c->fresh || i >= c->fresh_count)
		return;
	c->fresh[i].key = key;
	c->fresh[i].data = xmalloc(len ? len : 1);
	if (len)
		memcpy(c->fresh[i].data, data, len);
	c->fresh[i].len = len;
}

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

void acache_save(struct acache *c)
{
	if (!c->path || !c->fresh)
		return;
	qsort(c->fresh, c->fresh_count, sizeof *c->fresh, compare_records);
	/* Articles with the same inputs have the same record: one is kept. */
	size_t n = 0;
	for (size_t i = 0; i < c->fresh_count && c->fresh[i].data; i++)
		if (n == 0 || c->fresh[i].key != c->fresh[n - 1].key)
			c->fresh[n++] = c->fresh[i];
		else
			free(c->fresh[i].data);
	for (size_t i = n; i < c->fresh_count; i++)
		c->fresh[i].data = NULL;
	c->fresh_count = n;

	struct buf out;
	buf_init(&out);
	buf_add(&out, MAGIC, 8);
	put_u64(&out, c->global);
	put_u64(&out, n);
	put_u64(&out, 0); /* the digest, once the rest is written */
	uint64_t off = 0;
	for (size_t i = 0; i < n; i++) {
		put_u64(&out, c->fresh[i].key);
		put_u64(&out, off);
		put_u64(&out, c->fresh[i].len);
		off += c->fresh[i].len;
	}
	for (size_t i = 0; i < n; i++)
		buf_add(&out, c->fresh[i].data, c->fresh[i].len);
	uint64_t sum = file_digest((unsigned char *)out.data, out.len);
	for (int i = 0; i < 8; i++)
		out.data[24 + i] = (char)(sum >> (8 * i));

	struct buf tmp;
	buf_init(&tmp);
	buf_addf(&tmp, "%s.%ld.tmp", c->path, (long)getpid());
	if (make_parent(c->path) == 0 &&
	    write_file(tmp.data, out.data, out.len) == 0 &&
	    rename(tmp.data, c->path) == 0) {
		/* in place */
	} else {
		unlink(tmp.data);
	}
	buf_release(&tmp);
	buf_release(&out);
	for (size_t i = 0; i < c->fresh_count; i++)
		free(c->fresh[i].data);
	free(c->fresh);
	c->fresh = NULL;
	c->fresh_count = 0;
}
