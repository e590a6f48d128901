#include "dprev.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "jscan.h"
#include "record.h"
#include "xalloc.h"

struct dprev_range {
	struct dprev_thing thing;
	bool digested; /* THING's digest is known */
	bool twice;
	/* THING's gap, when the index gave it: at GAP_AT in the dprev's
	 * GAPS */
	bool gap_known;
	size_t gap_at;
};

/* Drops the pages of the mapping before AT from memory. */
static void release_before(struct dprev *p, size_t at)
{
	release_mapped(p->data, &p->released, at);
}

/* Records KEY (LEN bytes) of PART at START..END, whose digest is
 * *DIGEST when known (NULL: it is taken when asked for), and the
 * GAP_LEN bytes before it GAP (NULL: not known); a key found before is
 * marked, and never copied. */
static void put(struct dprev *p, enum dprev_part part, const char *key,
		size_t len, size_t start, size_t end, const uint64_t *digest,
		const unsigned char *gap, size_t gap_len)
{
	char *k = xstrndup(key, len);
	struct dprev_range *r = map_get(&p->parts[part], k);
	if (r) {
		r->twice = true;
		free(k);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->thing.start = start;
	r->thing.len = end - start;
	if (digest) {
		r->thing.digest = *digest;
		r->digested = true;
	}
	if (gap) {
		r->gap_known = true;
		r->gap_at = p->gaps.len;
		r->thing.gap_len = gap_len;
		buf_add(&p->gaps, gap, gap_len);
	}
	map_put(&p->parts[part], k, r);
}

/* An object of an array, whose "id" member's raw string goes to *ID (NULL
 * when it has none). */
static bool object_with_id(struct jscan *sc, const char **id, size_t *id_len)
{
	*id = NULL;
	if (!jscan_lit(sc, "{"))
		return false;
	jscan_space(sc);
	if (jscan_lit(sc, "}"))
		return true;
	for (;;) {
		const char *key;
		size_t key_len;
		if (!jscan_string(sc, NULL, &key, &key_len))
			return false;
		jscan_space(sc);
		if (!jscan_lit(sc, ":"))
			return false;
		jscan_space(sc);
		bool is_id = key_len == 4 && memcmp(key, "\"id\"", 4) == 0;
		if (is_id && !*id) {
			if (!jscan_string(sc, NULL, id, id_len))
				return false;
		} else if (!jscan_value(sc)) {
			return false;
		}
		jscan_space(sc);
		if (jscan_lit(sc, "}"))
			return true;
		if (!jscan_lit(sc, ","))
			return false;
		jscan_space(sc);
	}
}

/* The start of an annotation's "id" up to its '#': the URL of its
 * article's page, which its annotations share. */
static bool page_part(const char *id, size_t id_len, size_t *len)
{
	const char *hash = id ? memchr(id, '#', id_len) : NULL;
	if (!hash)
		return false;
	*len = (size_t)(hash - id) + 1;
	return true;
}

/* An array of objects of PART: each recorded by its "id"; annotations in
 * runs of the same page. */
static bool entries(struct dprev *p, struct jscan *sc, enum dprev_part part)
{
	const char *run = NULL;
	size_t run_len = 0, run_start = 0, run_end = 0;
	if (!jscan_lit(sc, "["))
		return false;
	jscan_space(sc);
	if (jscan_lit(sc, "]"))
		return true;
	for (;;) {
		const char *id;
		size_t id_len, start = (size_t)(sc->s - p->data), page_len;
		if (!object_with_id(sc, &id, &id_len))
			return false;
		size_t end = (size_t)(sc->s - p->data);
		if (part != DPREV_ANNOTATIONS) {
			if (id)
				put(p, part, id, id_len, start, end, NULL, NULL, 0);
		} else if (page_part(id, id_len, &page_len)) {
			if (run && run_len == page_len &&
			    memcmp(run, id, page_len) == 0) {
				run_end = end;
			} else {
				if (run)
					put(p, part, run, run_len, run_start,
					    run_end, NULL, NULL, 0);
				run = id;
				run_len = page_len;
				run_start = start;
				run_end = end;
			}
		}
		jscan_space(sc);
		release_before(p, (size_t)(sc->s - p->data));
		if (jscan_lit(sc, "]"))
			break;
		if (!jscan_lit(sc, ","))
			return false;
		jscan_space(sc);
	}
	if (run)
		put(p, part, run, run_len, run_start, run_end, NULL, NULL, 0);
	return true;
}

/* The whole file: an object whose arrays of entries are read, the rest
 * stepped over. */
static bool read_all(struct dprev *p)
{
	static const struct {
		const char *key;
		enum dprev_part part;
	} arrays[] = {
	    {"\"articles\"", DPREV_ARTICLE},
	    {"\"parties\"", DPREV_PARTY},
	    {"\"proposals\"", DPREV_PROPOSAL},
	    {"\"pages\"", DPREV_PAGE},
	    {"\"annotations\"", DPREV_ANNOTATIONS},
	};
	struct jscan sc = {p->data, p->data + p->len};
	if (!jscan_lit(&sc, "{"))
		return false;
	jscan_space(&sc);
	for (;;) {
		const char *key;
		size_t key_len, k = 0, n = sizeof arrays / sizeof *arrays;
		if (!jscan_string(&sc, NULL, &key, &key_len))
			return false;
		jscan_space(&sc);
		if (!jscan_lit(&sc, ":"))
			return false;
		jscan_space(&sc);
		while (k < n && !(strlen(arrays[k].key) == key_len &&
				  memcmp(arrays[k].key, key, key_len) == 0))
			k++;
		if (k < n ? !entries(p, &sc, arrays[k].part)
			  : !jscan_value(&sc))
			return false;
		jscan_space(&sc);
		if (jscan_lit(&sc, "}"))
			break;
		if (!jscan_lit(&sc, ","))
			return false;
		jscan_space(&sc);
	}
	jscan_space(&sc);
	return sc.s == sc.end;
}

/* Empties the parts' maps. */
static void clear_parts(struct dprev *p)
{
	for (size_t i = 0; i < DPREV_PART_COUNT; i++) {
		struct map *m = &p->parts[i];
		for (size_t k = 0; k < m->cap; k++) {
			if (map_key_at(m, k)) {
				free((char *)map_key_at(m, k));
				free(map_value_at(m, k));
			}
		}
		map_release(m);
		map_init(m);
	}
}

/* The size of a stamp in a record (record_put_stamp). */
#define STAMP_BYTES 32

/* Adds DIGEST to the file's digest STATE, in the byte order of the
 * record. */
static void hash_digest(XXH3_state_t *state, uint64_t digest)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(digest >> (8 * i));
	XXH3_64bits_update(state, b, sizeof b);
}

/* What comes after the things in a record: the stamp of the file that
 * was the previous one when the record's was written, and how many bytes
 * the two share from their start; then the record's file's stamp. */
#define TAIL_BYTES (STAMP_BYTES + 8 + STAMP_BYTES)

/* The record of dprev_index_finish: the file's length and digest, the
 * number of things, then each thing's part, key, range, digest and gap
 * (the bytes between the thing before it, or the file's start, and it),
 * in the file's order; then the tail (TAIL_BYTES). True
 * when it reads back whole and describes the file mapped, whose stamp is
 * NOW, its things then in the maps. A file that no longer has its stamp
 * is hashed as dprev_index hashed it: its things' digests in place of
 * their bytes, each checked against its bytes. */
static bool read_index(struct dprev *p, const unsigned char *index,
		       size_t len, const struct file_stamp *now)
{
	if (len < TAIL_BYTES)
		return false;
	struct record_reader s = {index + len - TAIL_BYTES, index + len, true};
	struct file_stamp before = record_get_stamp(&s);
	uint64_t shared = record_get_u64(&s);
	struct file_stamp stamp = record_get_stamp(&s);
	struct record_reader r = {index, index + len - TAIL_BYTES, true};
	uint64_t file_len = record_get_u64(&r), digest = record_get_u64(&r);
	uint32_t count = record_get_u32(&r);
	if (!r.ok || file_len != p->len || shared > file_len)
		return false;
	XXH3_state_t *state = NULL;
	/* Only a file that has the stamp taken once it was in place is
	 * vouched for by its stamp, for this build and the next. */
	if (file_stamp_equal(&stamp, now)) {
		p->stamp = stamp;
		p->before = before;
		p->shared = (size_t)shared;
	} else {
		state = XXH3_createState();
		if (!state || XXH3_64bits_reset(state) != XXH_OK) {
			XXH3_freeState(state);
			return false;
		}
	}
	size_t at = 0; /* the end of the thing before */
	bool ok = true;
	for (uint32_t i = 0; i < count && ok; i++) {
		uint32_t part = record_get_u32(&r), key_len = record_get_u32(&r);
		ok = r.ok && part < DPREV_PART_COUNT &&
		     key_len <= (size_t)(r.end - r.p);
		if (!ok)
			break;
		const char *key = (const char *)r.p;
		r.p += key_len;
		uint64_t start = record_get_u64(&r), thing_len = record_get_u64(&r);
		uint64_t thing_digest = record_get_u64(&r);
		const unsigned char *gap = r.p;
		ok = r.ok && start >= at && start <= p->len &&
		     thing_len <= p->len - start && !memchr(key, '\0', key_len) &&
		     start - at <= (size_t)(r.end - r.p);
		if (!ok)
			break;
		r.p += start - at;
		if (state) {
			XXH3_64bits_update(state, p->data + at, start - at);
			ok = memcmp(p->data + at, gap, start - at) == 0 &&
			     XXH3_64bits(p->data + start, thing_len) ==
				 thing_digest;
			hash_digest(state, thing_digest);
		}
		if (ok)
			put(p, part, key, key_len, start, start + thing_len,
			    &thing_digest, gap, start - at);
		at = start + thing_len;
	}
	ok = ok && r.ok && r.p == r.end;
	if (ok && state) {
		XXH3_64bits_update(state, p->data + at, p->len - at);
		ok = XXH3_64bits_digest(state) == digest;
	}
	XXH3_freeState(state);
	if (!ok) {
		const struct file_stamp none = {0, 0, 0, 0};
		p->stamp = p->before = none;
		p->shared = 0;
		buf_reset(&p->gaps);
	}
	return ok;
}

bool dprev_open(struct dprev *p, struct writer *w, const unsigned char *index,
		size_t index_len)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < DPREV_PART_COUNT; i++)
		map_init(&p->parts[i]);
	char *path = writer_prev_file(w, "archive.json");
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	free(path);
	struct stat st;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		return false;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			 fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		return false;
	}
	p->fd = fd;
	p->data = map;
	buf_init(&p->gaps);
	p->len = (size_t)st.st_size;
	madvise(map, p->len, MADV_SEQUENTIAL);
	struct file_stamp now = file_stamp_of(&st);
	p->indexed = index && read_index(p, index, index_len, &now);
	if (!p->indexed)
		clear_parts(p);
	bool ok = p->indexed || read_all(p);
	/* Let go of what was read: copies read it again, in order. */
	madvise(map, p->len, MADV_DONTNEED);
	p->released = 0;
	if (!ok)
		dprev_release(p);
	return ok;
}

void dprev_release(struct dprev *p)
{
	clear_parts(p);
	for (size_t i = 0; i < DPREV_PART_COUNT; i++)
		map_release(&p->parts[i]);
	if (p->data) {
		munmap((void *)p->data, p->len);
		close(p->fd);
	}
	buf_release(&p->gaps);
	memset(p, 0, sizeof *p);
}

bool dprev_get(struct dprev *p, enum dprev_part part, const char *key,
	       struct dprev_thing *thing)
{
	struct dprev_range *r = map_get(&p->parts[part], key);
	if (!r || r->twice)
		return false;
	if (!r->digested) {
		r->thing.digest = dprev_digest(p->data + r->thing.start,
					       r->thing.len);
		r->digested = true;
		release_before(p, r->thing.start);
	}
	*thing = r->thing;
	thing->gap = r->gap_known ? p->gaps.data + r->gap_at : NULL;
	return true;
}

uint64_t dprev_digest(const char *data, size_t len)
{
	return XXH3_64bits(data, len);
}

void dprev_index_init(struct dprev_index *x)
{
	memset(x, 0, sizeof *x);
	buf_init(&x->things);
	buf_init(&x->record);
	buf_init(&x->gap);
	/* Without memory for it there is no index, which only costs the
	 * next rebuild a reading of the file. */
	x->hash = XXH3_createState();
	if (x->hash && XXH3_64bits_reset(x->hash) != XXH_OK) {
		XXH3_freeState(x->hash);
		x->hash = NULL;
	}
}

void dprev_index_release(struct dprev_index *x)
{
	buf_release(&x->things);
	buf_release(&x->record);
	buf_release(&x->gap);
	XXH3_freeState(x->hash);
	memset(x, 0, sizeof *x);
}

void dprev_index_bytes(struct dprev_index *x, const char *data, size_t len)
{
	if (x->hash)
		XXH3_64bits_update(x->hash, data, len);
	x->len += len;
	buf_add(&x->gap, data, len);
}

void dprev_index_add(struct dprev_index *x, enum dprev_part part,
		     const char *key, uint64_t start, uint64_t len,
		     uint64_t digest)
{
	size_t key_len = strlen(key);
	record_put_u32(&x->things, (uint32_t)part);
	record_put_u32(&x->things, (uint32_t)key_len);
	buf_add(&x->things, key, key_len);
	record_put_u64(&x->things, start);
	record_put_u64(&x->things, len);
	record_put_u64(&x->things, digest);
	buf_add(&x->things, x->gap.data, x->gap.len);
	buf_reset(&x->gap);
	x->count++;
	if (x->hash)
		hash_digest(x->hash, digest);
	x->len += len;
}

void dprev_index_finish(struct dprev_index *x, const struct file_stamp *before,
			uint64_t shared)
{
	const struct file_stamp none = {0, 0, 0, 0};
	buf_reset(&x->record);
	if (!x->hash)
		return;
	record_put_u64(&x->record, x->len);
	record_put_u64(&x->record, XXH3_64bits_digest(x->hash));
	record_put_u32(&x->record, x->count);
	buf_add(&x->record, x->things.data, x->things.len);
	record_put_stamp(&x->record, before && shared ? before : &none);
	record_put_u64(&x->record, before && shared <= x->len ? shared : 0);
	record_put_stamp(&x->record, &none);
}

void dprev_record_stamp(struct buf *record, const char *path, uint64_t since)
{
	struct file_stamp stamp = file_stamp_settled(path, since);
	if (record->len >= STAMP_BYTES)
		record_set_stamp(record, record->len - STAMP_BYTES, &stamp);
}
