/* Fuzz target: reading back a previous build's search index (sprev.h)
 * and archive.json (dprev.h), which a rebuild must not trust.
 *
 * The input is the files of a previous site, split at NUL bytes, in the
 * order of NAMES (missing ones are empty); a manifest lists them all, as
 * gloss would have. Whatever the bytes:
 *
 * - sprev_open accepts or refuses without a crash or a leak; when it
 *   accepts, every word read back has postings in ascending order within
 *   the docs, and every entry's docs can be asked for in order, each a
 *   doc's JSON from a comma to a closing bracket;
 * - a record of that index (as sindex_record describes it) opens it to
 *   the same entries and doc shards, and the same record with any one
 *   byte changed is refused, or gives entries that can be asked for as
 *   above;
 * - dprev_open likewise; each thing it gives is a JSON object, or for
 *   annotations a run of objects, within the file;
 * - an index of those things (dprev_index, as build_data makes one)
 *   finds the same things, and the same index with any one byte changed
 *   is refused or finds things within the file. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dprev.h"
#include "fsutil.h"
#include "fuzz.h"
#include "record.h"
#include "sindex.h"
#include "sprev.h"
#include "writer.h"
#include "xalloc.h"

static const char *const names[] = {
    "search-index.js", "search/t/0.js", "search/t/1.js", "search/p/0.js",
    "search/p/1.js",   "search/d/0.js", "search/d/1.js", "archive.json",
};
#define NAME_COUNT (sizeof names / sizeof *names)

/* Writes the input's files, and the manifest, into OUT. */
static void write_site(const char *out, const uint8_t *data, size_t size)
{
	struct buf manifest;
	buf_init(&manifest);
	remove_tree(out);
	size_t at = 0;
	for (size_t i = 0; i < NAME_COUNT; i++) {
		const uint8_t *nul = at < size ? memchr(data + at, 0, size - at)
					       : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;
		if (at > size)
			at = end = size;
		char *path = path_join(out, names[i]);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		CHECK(make_dirs(path) == 0);
		*slash = '/';
		CHECK(write_file(path, data + at, end - at) == 0);
		free(path);
		buf_adds(&manifest, names[i]);
		buf_addc(&manifest, '\n');
		at = end + 1;
	}
	char *path = path_join(out, WRITER_MANIFEST);
	CHECK(write_file(path, manifest.data, manifest.len) == 0);
	free(path);
	buf_release(&manifest);
}

/* Every entry's docs of P, in the order of their first: each doc's JSON
 * from a comma to a closing bracket. */
static void check_entries(struct sprev *p)
{
	size_t n = 0;
	const char **urls = calloc(p->entries.count + 1, sizeof *urls);
	for (size_t k = 0; k < p->entries.cap; k++)
		if (map_key_at(&p->entries, k))
			urls[n++] = map_key_at(&p->entries, k);
	size_t last = 0;
	for (size_t done = 0; done < n; done++) {
		size_t best = SIZE_MAX, best_first = 0, first, count;
		for (size_t k = 0; k < n; k++)
			if (urls[k] && sprev_entry(p, urls[k], &first, &count) &&
			    first >= last && (best == SIZE_MAX || first < best_first))
				best = k, best_first = first;
		if (best == SIZE_MAX)
			break;
		sprev_entry(p, urls[best], &first, &count);
		CHECK(count > 0 && first < p->docs && count <= p->docs - first);
		if (sprev_load_docs(p, first, count, urls[best])) {
			for (size_t d = first; d < first + count; d++) {
				const char *rest;
				size_t len;
				sprev_doc(p, d, &rest, &len);
				CHECK(len >= 2 && rest[0] == ',' &&
				      rest[len - 1] == ']');
			}
		}
		last = first + count;
		urls[best] = NULL;
	}
	free(urls);
}

/* Appends the length and digest of the previous site's file REL. */
/* The length and digest of file REL of the index, and for a shard (N of
 * its kind; -1 for the entry file, which has none) a stamp: the file's
 * own for even N, none for odd, so that both ways of checking a file
 * (its stamp, or its digest) are taken. */
static void record_file(struct writer *w, struct buf *r, const char *rel,
			long n)
{
	char *path = writer_prev_file(w, rel), *data = NULL;
	size_t len = 0;
	CHECK(path && read_file(path, (size_t)1 << 30, &data, &len) == 0);
	record_put_u64(r, len);
	record_put_u64(r, sprev_file_digest(data, len));
	struct file_stamp none = {0, 0, 0, 0}, own = file_stamp_at(path);
	if (n >= 0)
		record_put_stamp(r, n % 2 ? &none : &own);
	free(data);
	free(path);
}

/* A record of the index P read, as sindex_record lays it out, made from
 * P and the files: an entry found twice, which a record cannot hold, is
 * left out, and so not copied either way. */
static void make_record(struct writer *w, const struct sprev *p,
			struct buf *r)
{
	char rel[64];
	size_t shards = (p->docs + SINDEX_GROUP - 1) / SINDEX_GROUP;
	record_put_u64(r, p->docs);
	record_file(w, r, "search-index.js", -1);
	record_put_u32(r, (uint32_t)p->term_count);
	for (size_t n = 0; n < p->term_count; n++) {
		snprintf(rel, sizeof rel, "search/t/%zu.js", n);
		record_file(w, r, rel, (long)n);
	}
	record_put_u32(r, (uint32_t)p->post_count);
	for (size_t n = 0; n < p->post_count; n++) {
		snprintf(rel, sizeof rel, "search/p/%zu.js", n);
		record_file(w, r, rel, (long)n);
	}
	record_put_u32(r, (uint32_t)shards);
	for (size_t n = 0; n < shards; n++) {
		snprintf(rel, sizeof rel, "search/d/%zu.js", n);
		record_file(w, r, rel, (long)n);
		record_put_u64(r, p->shard_entries[n]);
	}
	struct buf entries;
	buf_init(&entries);
	uint32_t count = 0;
	for (size_t k = 0; k < p->entries.cap; k++) {
		size_t first, docs;
		const char *url = map_key_at(&p->entries, k);
		if (!url || !sprev_entry(p, url, &first, &docs))
			continue;
		record_put_u32(&entries, (uint32_t)strlen(url));
		buf_adds(&entries, url);
		record_put_u64(&entries, first);
		record_put_u64(&entries, docs);
		count++;
	}
	record_put_u32(r, count);
	buf_add(r, entries.data, entries.len);
	buf_release(&entries);
}

/* Opens the index of W by a record of P: it finds what P found. Then by
 * that record with one byte changed, chosen by the input. */
static void check_record(struct writer *w, struct sprev *p,
			 const uint8_t *input, size_t size)
{
	struct buf r;
	buf_init(&r);
	make_record(w, p, &r);
	struct sprev q;
	CHECK(sprev_open(&q, w, (const unsigned char *)r.data, r.len));
	CHECK(q.indexed && q.checked);
	CHECK(q.docs == p->docs && q.term_count == p->term_count &&
	      q.post_count == p->post_count);
	size_t shards = (p->docs + SINDEX_GROUP - 1) / SINDEX_GROUP;
	for (size_t n = 0; n < shards; n++)
		CHECK(q.shard_entries[n] == p->shard_entries[n] &&
		      q.shard_size[n] == p->shard_size[n] &&
		      q.shard_digest[n] == p->shard_digest[n]);
	for (size_t k = 0; k < p->entries.cap; k++) {
		size_t f1, c1, f2, c2;
		const char *url = map_key_at(&p->entries, k);
		if (!url)
			continue;
		bool found = sprev_entry(p, url, &f1, &c1);
		CHECK(found == sprev_entry(&q, url, &f2, &c2));
		CHECK(!found || (f1 == f2 && c1 == c2));
	}
	sprev_release(&q);
	size_t at = size ? input[size - 1] * r.len / 256 : 0;
	r.data[at] ^= (char)(size > 1 ? input[size - 2] | 1 : 1);
	if (sprev_open(&q, w, (const unsigned char *)r.data, r.len)) {
		check_entries(&q);
		sprev_release(&q);
	}
	buf_release(&r);
}

static void read_search(struct writer *w, const uint8_t *input, size_t size)
{
	struct sprev p;
	bool open = sprev_open(&p, w, NULL, 0);
	if (getenv("GLOSS_FUZZ_VERBOSE"))
		fprintf(stderr, "search index: %s\n", open ? "read" : "refused");
	if (!open)
		return;
	struct sprev_words it;
	struct sprev_postings postings = {0};
	struct buf word;
	buf_init(&word);
	sprev_words_begin(&it, &p);
	while (sprev_words_next(&it, &word, &postings))
		for (size_t i = 0; i < postings.n; i++) {
			CHECK(postings.v[i].doc < p.docs);
			CHECK(i == 0 || postings.v[i].doc > postings.v[i - 1].doc);
		}
	/* sprev_open read every word once: they read back the same way. */
	CHECK(!it.failed);
	check_record(w, &p, input, size);
	check_entries(&p);
	free(postings.v);
	buf_release(&word);
	sprev_release(&p);
}

struct found_thing {
	enum dprev_part part;
	const char *key;
	struct dprev_thing t;
};

static int by_start(const void *x, const void *y)
{
	const struct found_thing *a = x, *b = y;
	return (a->t.start > b->t.start) - (a->t.start < b->t.start);
}

/* Each thing P gives, as a JSON object or a run of them within its
 * file; into X, when not NULL, as build_data would index it, in the
 * file's order. Returns how many. */
static size_t check_things(struct dprev *p, struct dprev_index *x)
{
	size_t n = 0, cap = 0;
	struct found_thing *found = NULL;
	for (size_t part = 0; part < DPREV_PART_COUNT; part++) {
		const struct map *m = &p->parts[part];
		for (size_t k = 0; k < m->cap; k++) {
			struct dprev_thing t;
			if (!map_key_at(m, k) ||
			    !dprev_get(p, (enum dprev_part)part, map_key_at(m, k),
				       &t))
				continue;
			const char *json = p->data + t.start;
			CHECK(t.start <= p->len && t.len <= p->len - t.start);
			CHECK(t.len >= 2 && json[0] == '{' &&
			      json[t.len - 1] == '}');
			CHECK(t.digest == dprev_digest(json, t.len));
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				found = realloc(found, cap * sizeof *found);
				CHECK(found);
			}
			found[n++] = (struct found_thing){
			    (enum dprev_part)part, map_key_at(m, k), t};
		}
	}
	if (x) {
		if (n)
			qsort(found, n, sizeof *found, by_start);
		size_t at = 0;
		for (size_t i = 0; i < n; i++) {
			CHECK(found[i].t.start >= at);
			dprev_index_bytes(x, p->data + at, found[i].t.start - at);
			dprev_index_add(x, found[i].part, found[i].key,
					found[i].t.start, found[i].t.len,
					found[i].t.digest);
			at = found[i].t.start + found[i].t.len;
		}
		dprev_index_bytes(x, p->data + at, p->len - at);
	}
	free(found);
	return n;
}

/* Opens archive.json of W with INDEX and checks that it finds what P
 * found, thing for thing. */
static void check_indexed(struct writer *w, struct dprev *p,
			  const struct buf *index)
{
	struct dprev q;
	CHECK(dprev_open(&q, w, (const unsigned char *)index->data, index->len));
	CHECK(q.indexed);
	for (size_t part = 0; part < DPREV_PART_COUNT; part++) {
		const struct map *m = &p->parts[part];
		for (size_t k = 0; k < m->cap; k++) {
			struct dprev_thing a, b;
			if (!map_key_at(m, k) ||
			    !dprev_get(p, (enum dprev_part)part, map_key_at(m, k), &a))
				continue;
			CHECK(dprev_get(&q, (enum dprev_part)part, map_key_at(m, k),
					&b));
			CHECK(a.len == b.len && a.start == b.start &&
			      a.digest == b.digest);
		}
	}
	dprev_release(&q);
}

static void read_data(struct writer *w, const uint8_t *input, size_t size)
{
	struct dprev p;
	bool open = dprev_open(&p, w, NULL, 0);
	if (getenv("GLOSS_FUZZ_VERBOSE"))
		fprintf(stderr, "archive.json: %s\n", open ? "read" : "refused");
	if (!open)
		return;
	struct dprev_index x;
	dprev_index_init(&x);
	check_things(&p, &x);
	dprev_index_finish(&x, NULL, 0);
	check_indexed(w, &p, &x.record);
	/* One byte of the index changed, chosen by the input: whatever it
	 * then finds lies within the file. */
	if (x.record.len) {
		size_t at = size ? input[size - 1] * x.record.len / 256 : 0;
		x.record.data[at] ^= (char)(size > 1 ? input[size - 2] | 1 : 1);
		struct dprev q;
		if (dprev_open(&q, w, (const unsigned char *)x.record.data,
			       x.record.len)) {
			check_things(&q, NULL);
			dprev_release(&q);
		}
	}
	dprev_index_release(&x);
	dprev_release(&p);
}

/* The folder the sites are written in, removed when the fuzzer exits:
 * each run, replay or fuzzing, makes one. */
static char *work;

static void remove_work(void)
{
	remove_tree(work);
	free(work);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *out;
	if (!out) {
		char tmpl[] = "/tmp/gloss-fuzz-prev-XXXXXX";
		CHECK(mkdtemp(tmpl) != NULL);
		work = xstrdup(tmpl);
		atexit(remove_work);
		out = path_join(tmpl, "out");
	}
	write_site(out, data, size);
	struct diag d;
	fuzz_diag(&d);
	struct writer w;
	if (writer_open(&w, out, &d) == 0) {
		read_search(&w, data, size);
		read_data(&w, data, size);
	}
	writer_release(&w);
	return 0;
}
