/* The search index of a rebuild (sindex.h, sprev.h): the docs of
 * unchanged entries are copied, the postings of words whose docs all keep
 * their numbers are copied as they were, posting files included, and the
 * index is byte for byte the one a fresh build writes. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "sindex.h"
#include "sprev.h"
#include "testdir.h"
#include "writer.h"

/* Entries of SECTIONS docs after their first. Every section of every
 * entry but CHANGED has "common" seven times in its heading (a weight
 * of 35, three characters a posting), so that the word's postings fill
 * more than one posting file; CHANGED's sections hold other words. */
enum { ENTRIES = 45, SECTIONS = 1000, CHANGED = 20 };

static char dir[64];

/* add_entry with SECTIONS docs after the first. */
static void add_entry_of(struct sindex *x, int e, const char *changed_word,
			 int sections)
{
	char title[32], url[32], frag[32];
	snprintf(title, sizeof title, "Entry %d", e);
	snprintf(url, sizeof url, "e/%d.html", e);
	sindex_entry(x, title, url, NULL, NULL);
	if (changed_word == NULL && sindex_reuse(x))
		return;
	sindex_doc(x, SINDEX_PAGE, "", "intro", 5, NULL);
	for (int s = 0; s < sections; s++) {
		snprintf(frag, sizeof frag, "s-%d", s);
		if (e == CHANGED)
			sindex_doc(x, SINDEX_PAGE, frag, changed_word,
				   strlen(changed_word), changed_word);
		else
			sindex_doc(x, SINDEX_PAGE, frag, "plain", 5,
				   "common common common common common "
				   "common common");
	}
}

static void add_entry(struct sindex *x, int e, const char *changed_word)
{
	add_entry_of(x, e, changed_word, SECTIONS);
}

/* The folders the tests build into, in DIR: OUT (256 bytes), FRESH
 * (256) for a fresh build to compare with, and OLD (300, unless NULL),
 * where the writer keeps the site OUT replaced. */
static void site_paths(char *out, char *fresh, char *old)
{
	snprintf(out, 256, "%s/out", dir);
	snprintf(fresh, 256, "%s/fresh", dir);
	if (old)
		snprintf(old, 300, "%s.gloss-old", out);
}

/* An index being built into a site: with the previous one when PREV.
 * RECORD, when not NULL, is the record of the previous index, which
 * must then be found by it, and is replaced by the new one's. */
struct index_build {
	struct writer w;
	struct sindex x;
	struct sprev p;
	bool prev;
	struct buf made, *record;
};

static void index_begin(struct index_build *b, const char *out, bool prev,
			struct buf *record, struct diag *d)
{
	assert_int_equal(writer_open(&b->w, out, d), 0);
	sindex_init(&b->x, &b->w);
	b->prev = prev;
	b->record = record;
	buf_init(&b->made);
	if (record)
		sindex_record(&b->x, &b->made);
	if (prev) {
		assert_true(sprev_open(&b->p, &b->w,
				       record ? (const unsigned char *)record->data
					      : NULL,
				       record ? record->len : 0));
		assert_int_equal(b->p.indexed, record != NULL);
		sindex_prev(&b->x, &b->p);
	}
}

/* Finishes the index into ST and the site; writer_commit's result. */
static int index_end(struct index_build *b, struct sindex_stats *st)
{
	sindex_finish(&b->x, st);
	sindex_release(&b->x);
	if (b->prev)
		sprev_release(&b->p);
	int rc = writer_commit(&b->w);
	writer_release(&b->w);
	if (b->record) {
		assert_true(b->made.len > 0);
		buf_release(b->record);
		*b->record = b->made;
	} else {
		buf_release(&b->made);
	}
	return rc;
}

/* Builds the index into OUT, reporting through D: fresh, or, with PREV,
 * reusing the previous one for every entry but CHANGED, whose sections
 * now say WORD. GONE, unless -1, is a doc shard removed once the previous
 * index is checked. Returns writer_commit's result. */
static int rebuild(const char *out, const char *word, bool prev, int gone,
		   struct diag *d, struct sindex_stats *st)
{
	struct index_build b;
	index_begin(&b, out, prev, NULL, d);
	if (gone >= 0) {
		char shard[512];
		snprintf(shard, sizeof shard, "%s/search/d/%d.js", out, gone);
		assert_int_equal(unlink(shard), 0);
	}
	for (int e = 0; e < ENTRIES; e++)
		add_entry(&b.x, e, prev && e != CHANGED ? NULL
				   : e == CHANGED ? word : "unused");
	return index_end(&b, st);
}

/* rebuild, with no shard removed, which must succeed. */
static void build(const char *out, const char *word, bool prev,
		  struct sindex_stats *st)
{
	struct diag d;
	diag_init(&d, stderr);
	assert_int_equal(rebuild(out, word, prev, -1, &d, st), 0);
	assert_int_equal(d.errors, 0);
}

/* Asserts that the files under A/REL and B/REL are the same bytes. */
static void assert_same_tree(const char *a, const char *b, const char *rel)
{
	char pa[1024], pb[1024];
	snprintf(pa, sizeof pa, "%s/%s", a, rel);
	snprintf(pb, sizeof pb, "%s/%s", b, rel);
	DIR *da = opendir(pa);
	assert_non_null(da);
	size_t count = 0;
	struct dirent *ent;
	while ((ent = readdir(da))) {
		if (ent->d_name[0] == '.')
			continue;
		char sub[512];
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "",
			 ent->d_name);
		snprintf(pa, sizeof pa, "%s/%s", a, sub);
		snprintf(pb, sizeof pb, "%s/%s", b, sub);
		struct stat st;
		assert_int_equal(stat(pa, &st), 0);
		count++;
		if (S_ISDIR(st.st_mode)) {
			assert_same_tree(a, b, sub);
			continue;
		}
		char *da_data, *db_data;
		size_t da_len, db_len;
		assert_int_equal(read_file(pa, (size_t)1 << 30, &da_data, &da_len), 0);
		if (read_file(pb, (size_t)1 << 30, &db_data, &db_len) != 0)
			fail_msg("%s is missing from the fresh build", sub);
		if (da_len != db_len || memcmp(da_data, db_data, da_len) != 0)
			fail_msg("%s differs from the fresh build's", sub);
		free(da_data);
		free(db_data);
	}
	closedir(da);
	/* As many files on each side. */
	snprintf(pb, sizeof pb, "%s/%s", b, rel);
	DIR *db = opendir(pb);
	assert_non_null(db);
	size_t other = 0;
	while ((ent = readdir(db)))
		if (ent->d_name[0] != '.')
			other++;
	closedir(db);
	assert_int_equal(count, other);
}

static void test_rebuild_copies_postings_as_they_were(void **state)
{
	(void)state;
	char out[256], fresh[256];
	site_paths(out, fresh, NULL);
	struct sindex_stats st;
	build(out, "alpha", false, &st);
	assert_int_equal(st.reused, 0);
	assert_int_equal(st.lists_kept, 0);

	/* One entry's words change; its docs keep their number. */
	build(out, "beta", true, &st);
	assert_int_equal(st.entries, ENTRIES);
	assert_int_equal(st.reused, ENTRIES - 1);
	/* "common" (in two posting files or more) and "plain" (in one) at
	 * least, as they were. */
	assert_true(st.files_kept >= 3);
	assert_true(st.lists_kept >= 2);
	/* Every doc shard but the one holding the changed entry's docs,
	 * and the one after it, which they spill into, is kept whole. */
	size_t shards = (ENTRIES * (SECTIONS + 1) + SINDEX_GROUP - 1) /
			SINDEX_GROUP;
	assert_int_equal(st.shards_kept, shards - 9);
	build(fresh, "beta", false, &st);
	assert_same_tree(out, fresh, "");

	/* Back again, and a fresh build of that. */
	build(out, "alpha", true, &st);
	assert_true(st.files_kept >= 3);
	assert_int_equal(st.shards_kept, shards - 9);
	remove_tree(fresh);
	build(fresh, "alpha", false, &st);
	assert_same_tree(out, fresh, "");

	/* A shard whose entries are not written as gloss writes them (a
	 * letter escaped) is not kept: written anew, it is the fresh one. */
	char path[512], *data;
	size_t len;
	snprintf(path, sizeof path, "%s/search/d/0.js", out);
	assert_int_equal(read_file(path, 1 << 20, &data, &len), 0);
	char *title = strstr(data, "\"Entry 0\"");
	assert_non_null(title);
	struct buf edited;
	buf_init(&edited);
	buf_add(&edited, data, (size_t)(title - data));
	buf_adds(&edited, "\"Entr\\u0079 0\"");
	buf_adds(&edited, title + strlen("\"Entry 0\""));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(write_file(path, edited.data, edited.len), 0);
	build(out, "alpha", true, &st);
	assert_int_equal(st.reused, ENTRIES - 1);
	assert_int_equal(st.shards_kept, shards - 10);
	assert_same_tree(out, fresh, "");
	buf_release(&edited);
	free(data);
	remove_tree(out);
	remove_tree(fresh);
}

/* A doc shard the rebuild must read again, gone since the previous index
 * was checked (its folder changed during the build): the build fails
 * with a message, and nothing is written. */
static void test_previous_index_changed_during_the_build(void **state)
{
	(void)state;
	char out[256];
	snprintf(out, sizeof out, "%s/out", dir);
	struct sindex_stats st;
	build(out, "alpha", false, &st);
	char *before = NULL;
	size_t before_len;
	char manifest[512];
	snprintf(manifest, sizeof manifest, "%s/%s", out, WRITER_MANIFEST);
	assert_int_equal(read_file(manifest, 1 << 24, &before, &before_len), 0);

	struct diag d;
	diag_init_kept(&d);
	/* The shard where entry CHANGED's docs begin also holds docs of the
	 * entry before it, copied with their numbers and read back only
	 * once the changed docs join them. */
	assert_int_equal(rebuild(out, "beta", true,
				 CHANGED * (SECTIONS + 1) / SINDEX_GROUP, &d,
				 &st),
			 3);
	assert_int_equal(d.errors, 1);
	struct buf want;
	buf_init(&want);
	buf_addf(&want, "%s/search: error: the previous search index changed "
		 "while this build read it; build again\n", out);
	assert_string_equal(d.kept.data, want.data);
	buf_release(&want);
	buf_release(&d.kept);
	/* The previous site is as it was, but for the shard removed. */
	char *after = NULL;
	size_t after_len;
	assert_int_equal(read_file(manifest, 1 << 24, &after, &after_len), 0);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
	remove_tree(out);
}

/* A doc shard gone after the previous index was checked, where an entry
 * copied with its numbers begins beside docs indexed again: that entry
 * is indexed again too, and the index is still the fresh build's. */
static void test_entry_that_cannot_be_read_is_indexed_again(void **state)
{
	(void)state;
	char out[256], fresh[256];
	site_paths(out, fresh, NULL);
	struct sindex_stats st;
	build(out, "alpha", false, &st);
	build(fresh, "beta", false, &st);

	struct diag d;
	diag_init(&d, stderr);
	/* The shard where entry CHANGED's docs end and the next entry's
	 * begin. */
	assert_int_equal(rebuild(out, "beta", true,
				 (CHANGED + 1) * (SECTIONS + 1) / SINDEX_GROUP,
				 &d, &st),
			 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(st.reused, ENTRIES - 2);
	assert_same_tree(out, fresh, "");
	remove_tree(out);
	remove_tree(fresh);
}

/* ---- the index record ---- */

/* Opens the index at OUT by RECORD (LEN bytes), which must open it (read
 * through if need be): whether the record was used. When it was, what it
 * gives is what reading the index through gives. */
static bool opened_by(const char *out, const void *record, size_t len)
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	assert_int_equal(writer_peek(&w, out, &d), 0);
	struct sprev by, read;
	assert_true(sprev_open(&by, &w, record, len));
	bool indexed = by.indexed;
	if (!indexed) {
		/* Read through, as READ would be. */
		sprev_release(&by);
		writer_release(&w);
		return false;
	}
	assert_true(sprev_open(&read, &w, NULL, 0));
	assert_false(read.indexed);
	assert_true(by.checked && read.checked);
	assert_int_equal(by.docs, read.docs);
	assert_int_equal(by.term_count, read.term_count);
	assert_int_equal(by.post_count, read.post_count);
	size_t shards = (read.docs + SINDEX_GROUP - 1) / SINDEX_GROUP;
	assert_memory_equal(by.shard_entries, read.shard_entries,
			    shards * sizeof *read.shard_entries);
	assert_memory_equal(by.shard_size, read.shard_size,
			    shards * sizeof *read.shard_size);
	assert_memory_equal(by.shard_digest, read.shard_digest,
			    shards * sizeof *read.shard_digest);
	assert_int_equal(by.entries.count, read.entries.count);
	for (int e = 0; e < ENTRIES; e++) {
		char quoted[32];
		size_t f1, c1, f2, c2;
		snprintf(quoted, sizeof quoted, "\"e/%d.html\"", e);
		assert_true(sprev_entry(&read, quoted, &f1, &c1));
		assert_true(sprev_entry(&by, quoted, &f2, &c2));
		assert_int_equal(f1, f2);
		assert_int_equal(c1, c2);
	}
	sprev_release(&by);
	sprev_release(&read);
	writer_release(&w);
	return indexed;
}

/* Replaces byte AT of OUT/REL with C, returning the one it held. */
static char poke(const char *out, const char *rel, size_t at, char c)
{
	char path[512], *data;
	size_t len;
	snprintf(path, sizeof path, "%s/%s", out, rel);
	assert_int_equal(read_file(path, 1 << 24, &data, &len), 0);
	assert_true(at < len);
	char was = data[at];
	data[at] = c;
	assert_int_equal(unlink(path), 0);
	assert_int_equal(write_file(path, data, len), 0);
	free(data);
	return was;
}

/* Where the first entry of RECORD begins (sindex_record's layout). */
static size_t first_entry_at(const struct buf *record)
{
	const unsigned char *r = (const unsigned char *)record->data;
	size_t at = 24;
	for (int part = 0; part < 3; part++) {
		uint32_t n = (uint32_t)r[at] | (uint32_t)r[at + 1] << 8 |
			     (uint32_t)r[at + 2] << 16 | (uint32_t)r[at + 3] << 24;
		/* length, digest, stamp (4 numbers), and for a doc shard
		 * the digest of its entries */
		at += 4 + n * (part == 2 ? 56 : 48);
	}
	return at + 4;
}

/* Builds an index into DIR/out (its path into OUT, SIZE bytes) with
 * enough docs for "common" to take a posting file, and its record into
 * RECORD (initialised here; the caller releases it). */
static void build_with_posting_files(char *out, size_t size,
				     struct buf *record)
{
	struct diag d;
	diag_init(&d, stderr);
	struct index_build b;
	snprintf(out, size, "%s/out", dir);
	buf_init(record);
	index_begin(&b, out, false, record, &d);
	for (int e = 0; e < ENTRIES; e++)
		add_entry_of(&b.x, e, "alpha", 140);
	assert_int_equal(index_end(&b, &(struct sindex_stats){0}), 0);
}

/* Whether the index in OUT opens by RECORD (LEN bytes). */
static bool indexed_by(const char *out, const void *record, size_t len)
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	assert_int_equal(writer_peek(&w, out, &d), 0);
	struct sprev p;
	bool indexed = sprev_open(&p, &w, record, len) && p.indexed;
	sprev_release(&p);
	writer_release(&w);
	return indexed;
}

/* Writes OUT/REL again with the same bytes: a new file, whose stamp is
 * not the one recorded. */
static void rewrite(const char *out, const char *rel)
{
	char path[512], *data;
	size_t len;
	snprintf(path, sizeof path, "%s/%s", out, rel);
	assert_int_equal(read_file(path, 1 << 24, &data, &len), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(write_file(path, data, len), 0);
	free(data);
}

/* A file that still looks as its stamp in the record says is not hashed
 * (a doc shard not even read): a record whose digest for it is wrong is
 * used while the file is the one written, and not once it is another
 * file, even of the same bytes. */
static void test_record_stamp_spares_the_digest(void **state)
{
	(void)state;
	char out[256];
	struct buf record;
	build_with_posting_files(out, sizeof out, &record);
	/* Stamped a tick or more after the files were written, as a build
	 * stamps them once its site is in place: a file changed in the
	 * tick it is stamped in could keep its stamp, and gets none. */
	uint64_t written = file_stamp_clock();
	while (file_stamp_clock() < written + 50000000u) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	sindex_record_stamp(&record, out, file_stamp_clock(), 2, NULL);
	unsigned char *r = (unsigned char *)record.data;
	uint32_t terms = (uint32_t)r[24] | (uint32_t)r[25] << 8;
	size_t posts_at = 28 + terms * 48;
	uint32_t posts = (uint32_t)r[posts_at] | (uint32_t)r[posts_at + 1] << 8;
	size_t docs_at = posts_at + 4 + posts * 48;
	assert_true(terms > 0);
	/* The first term shard's digest, then the first doc shard's. */
	const size_t digest_at[] = {28 + 8, docs_at + 4 + 8};
	const char *rels[] = {"search/t/0.js", "search/d/0.js"};
	for (size_t k = 0; k < 2; k++) {
		r[digest_at[k]] ^= 1;
		assert_true(indexed_by(out, record.data, record.len));
		rewrite(out, rels[k]);
		assert_false(indexed_by(out, record.data, record.len));
		r[digest_at[k]] ^= 1;
		assert_true(indexed_by(out, record.data, record.len));
	}
	buf_release(&record);
}

/* A record is used only when it reads back whole and every file is the
 * bytes it describes; otherwise the index is read through, and found
 * the same. */
static void test_record_used_only_when_it_describes_the_index(void **state)
{
	(void)state;
	char out[256];
	struct diag d;
	diag_init(&d, stderr);
	struct buf record;
	build_with_posting_files(out, sizeof out, &record);
	assert_true(opened_by(out, record.data, record.len));

	/* Cut anywhere, or with a byte after it. */
	for (size_t cut = 0; cut < record.len;
	     cut += cut < 40 || cut + 40 > record.len ? 1 : 97)
		assert_false(opened_by(out, record.data, cut));
	buf_addc(&record, 0);
	assert_false(opened_by(out, record.data, record.len));
	record.len--;

	/* A file of each kind changed, at the same length. */
	const char *files[] = {SEARCH_INDEX, "search/t/0.js", "search/p/0.js",
			       "search/d/7.js"};
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		/* A letter of the end, which every file has: "...);\n". */
		char path[512];
		snprintf(path, sizeof path, "%s/%s", out, files[f]);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		size_t at = (size_t)st.st_size - 3;
		char was = poke(out, files[f], at, ' ');
		struct writer w;
		assert_int_equal(writer_peek(&w, out, &d), 0);
		struct sprev p;
		/* Read through, the index does not parse either. */
		assert_false(sprev_open(&p, &w, (const unsigned char *)record.data,
					record.len));
		writer_release(&w);
		poke(out, files[f], at, was);
		assert_true(opened_by(out, record.data, record.len));
	}
	/* A letter of a doc's text: the index still reads through, but
	 * is not what the record describes. */
	char path[512], *data;
	size_t len;
	snprintf(path, sizeof path, "%s/search/d/7.js", out);
	assert_int_equal(read_file(path, 1 << 24, &data, &len), 0);
	char *plain = strstr(data, "\"plain\"");
	assert_non_null(plain);
	size_t letter_at = (size_t)(plain - data) + 5;
	free(data);
	poke(out, "search/d/7.js", letter_at, 'm');
	assert_false(opened_by(out, record.data, record.len));
	poke(out, "search/d/7.js", letter_at, 'n');
	assert_true(opened_by(out, record.data, record.len));

	/* Entries the index cannot have: past its docs, with none, or
	 * with a NUL in the URL. */
	size_t at = first_entry_at(&record);
	unsigned char *r = (unsigned char *)record.data;
	uint32_t url_len = (uint32_t)r[at] | (uint32_t)r[at + 1] << 8;
	unsigned char *first = r + at + 4 + url_len, saved[16];
	memcpy(saved, first, 16);
	memset(first, 0xff, 8);
	assert_false(opened_by(out, record.data, record.len));
	memcpy(first, saved, 16);
	memset(first + 8, 0, 8);
	assert_false(opened_by(out, record.data, record.len));
	memcpy(first, saved, 16);
	unsigned char letter = r[at + 5];
	r[at + 5] = 0;
	assert_false(opened_by(out, record.data, record.len));
	r[at + 5] = letter;
	assert_true(opened_by(out, record.data, record.len));
	buf_release(&record);
	remove_tree(out);
}

/* ---- random edits ---- */

/* About 49,000 docs, each with "w0" seven times in its heading, so that
 * its postings (three characters each) fill two posting files. */
enum { RANDOM_ENTRIES = 1000, RANDOM_DOCS = 130, VOCABULARY = 48 };

/* An entry of the random archive: absent, or DOCS docs whose words come
 * from SEED. */
struct random_entry {
	bool present;
	int docs;
	uint32_t seed;
	/* its title's variant, and a word added to one of its docs (0:
	 * none) */
	int title;
	uint32_t tweak;
};

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Words "w0" to "w47", the first ones far more often, as in prose. */
static void random_words(struct buf *b, uint32_t *r, int count)
{
	buf_reset(b);
	for (int i = 0; i < count; i++) {
		uint32_t a = xorshift(r) % VOCABULARY, c = xorshift(r) % VOCABULARY;
		uint32_t w = a < c ? a : c;
		buf_addf(b, "%sw%u", i ? " " : "", (unsigned)(w * w % VOCABULARY));
	}
}

/* Builds ENTRIES into OUT, with the previous index there when PREV,
 * copying the entries CHANGED does not mark; found by RECORD, and its
 * record then kept there, when RECORD is not NULL (index_begin). */
static void build_random(const char *out, const struct random_entry *entries,
			 const bool *changed, bool prev, struct buf *record,
			 struct sindex_stats *st)
{
	struct diag d;
	diag_init(&d, stderr);
	struct index_build b;
	index_begin(&b, out, prev, record, &d);
	struct sindex *x = &b.x;
	struct buf text, heading;
	buf_init(&text);
	buf_init(&heading);
	for (int e = 0; e < RANDOM_ENTRIES; e++) {
		if (!entries[e].present)
			continue;
		char title[32], url[32], frag[32];
		snprintf(title, sizeof title, "Entry w%d",
			 (e + entries[e].title) % VOCABULARY);
		if ((e + entries[e].title) % 2)
			snprintf(title, sizeof title, "w0 w0 w0 w0");
		snprintf(url, sizeof url, "e/%d.html", e);
		sindex_entry(x, title, url, NULL, NULL);
		if (prev && !changed[e] && sindex_reuse(x))
			continue;
		uint32_t r = entries[e].seed;
		for (int k = 0; k < entries[e].docs; k++) {
			snprintf(frag, sizeof frag, k ? "s-%d" : "", k);
			random_words(&text, &r, 2 + (int)(xorshift(&r) % 12));
			bool headed = k > 0;
			random_words(&heading, &r, 1 + (int)(xorshift(&r) % 3));
			buf_adds(&heading, " w0 w0 w0 w0 w0 w0 w0");
			uint32_t tweak = entries[e].tweak;
			if (tweak && (int)(tweak % (uint32_t)entries[e].docs) == k)
				buf_addf(tweak & 2 ? &heading : &text, " w%u",
					 (unsigned)(tweak / 4 % VOCABULARY));
			sindex_doc(x, SINDEX_PAGE, frag, text.data, text.len,
				   headed ? heading.data : NULL);
		}
	}
	buf_release(&text);
	buf_release(&heading);
	assert_int_equal(index_end(&b, st), 0);
	assert_int_equal(d.errors, 0);
}

/* Entry E of an index of five, in version V. Entry 4 holds "xenon" in
 * its title, "zebra" in its text and "yak" in a heading; so does entry
 * 2 in version 0, and in version 1 it has other words, with as many
 * docs. */
static void add_versioned(struct sindex *x, int e, int v, bool prev)
{
	char url[32];
	bool own = e == 4 || (e == 2 && v == 0);
	snprintf(url, sizeof url, "e/%d.html", e);
	sindex_entry(x, own ? "Xenon entry" : "Entry", url, NULL, NULL);
	if (prev && e != 2 && sindex_reuse(x))
		return;
	const char *first = own ? "zebra and plain" : "plain";
	sindex_doc(x, SINDEX_PAGE, "", first, strlen(first), NULL);
	sindex_doc(x, SINDEX_PAGE, "s-1", "plain text", 10,
		   own ? "yak heading" : "a heading");
	sindex_doc(x, SINDEX_PAGE, "s-2", own ? "zebra" : "plain", 5, NULL);
}

/* The words of an entry indexed again that it no longer has, from its
 * text, its title or a heading, lose its docs in the rebuilt index
 * when every other doc keeps its number (the words of the docs dropped
 * are read back from the previous doc shards, and every other word is
 * kept as it was): it is what a fresh build writes. */
static void test_words_an_edit_removes_are_gone(void **state)
{
	(void)state;
	char out[256], fresh[256], old[300];
	site_paths(out, fresh, old);
	struct diag d;
	diag_init(&d, stderr);
	remove_tree(fresh);
	struct index_build b;
	index_begin(&b, fresh, false, NULL, &d);
	for (int e = 0; e < 5; e++)
		add_versioned(&b.x, e, 1, false);
	assert_int_equal(index_end(&b, &(struct sindex_stats){0}), 0);
	/* The previous index found by its record, then read through. */
	for (int by_record = 1; by_record >= 0; by_record--) {
		struct buf record;
		buf_init(&record);
		remove_tree(out);
		remove_tree(old);
		for (int v = 0; v < 2; v++) {
			index_begin(&b, out, v > 0,
				    v == 0 || by_record ? &record : NULL, &d);
			for (int e = 0; e < 5; e++)
				add_versioned(&b.x, e, v, v > 0);
			struct sindex_stats st = {0};
			assert_int_equal(index_end(&b, &st), 0);
			if (v > 0)
				assert_int_equal(st.reused, 4);
		}
		assert_same_tree(out, fresh, "");
		buf_release(&record);
	}
	remove_tree(out);
	remove_tree(old);
	remove_tree(fresh);
}

/* Entry E of four, each with its title's words in its docs (in text and
 * in a heading, where they get the title's bonus), and entry 1, in
 * version V 1, with "delta" for "gamma" in its last doc. */
static void add_titled(struct sindex *x, int e, int v, bool prev, bool again)
{
	char url[32];
	snprintf(url, sizeof url, "e/%d.html", e);
	sindex_entry(x, "Alpha beta", url, NULL, NULL);
	if (prev && !(again && e == 1) && sindex_reuse(x))
		return;
	sindex_doc(x, SINDEX_PAGE, "", "alpha text", 10, NULL);
	sindex_doc(x, SINDEX_PAGE, "s-1", "beta gamma", 10, "alpha heading");
	const char *last = e == 1 && v == 1 ? "beta delta" : "beta gamma";
	sindex_doc(x, SINDEX_PAGE, "s-2", last, strlen(last), NULL);
}

/* An entry indexed again leaves the postings of the words it has as it
 * had them as they were: copied without being walked, as every word is
 * when no entry is indexed again (title words in its docs included,
 * whose weights have the title's bonus). Those it gains or loses are
 * merged, and the index is what a fresh build writes. */
static void test_words_an_entry_keeps_are_kept(void **state)
{
	(void)state;
	char out[256], fresh[256], old[300];
	site_paths(out, fresh, old);
	struct diag d;
	diag_init(&d, stderr);
	remove_tree(out);
	remove_tree(old);
	struct buf record;
	buf_init(&record);
	struct index_build b;
	size_t all_words = 0;
	/* Built, then no entry indexed again, then entry 1 as it was,
	 * then entry 1 with a word changed. */
	for (int step = 0; step < 4; step++) {
		index_begin(&b, out, step > 0, &record, &d);
		for (int e = 0; e < 4; e++)
			add_titled(&b.x, e, step == 3, step > 0, step >= 2);
		struct sindex_stats st = {0};
		assert_int_equal(index_end(&b, &st), 0);
		if (step == 1) {
			assert_int_equal(st.reused, 4);
			/* alpha, beta, gamma, text, heading */
			all_words = st.lists_kept;
			assert_int_equal(all_words, 5);
		}
		if (step == 2) {
			assert_int_equal(st.reused, 3);
			assert_int_equal(st.lists_kept, all_words);
		}
		if (step == 3) {
			/* "gamma" changes, "delta" is new */
			assert_int_equal(st.reused, 3);
			assert_int_equal(st.lists_kept, all_words - 1);
		}
	}
	remove_tree(fresh);
	index_begin(&b, fresh, false, NULL, &d);
	for (int e = 0; e < 4; e++)
		add_titled(&b.x, e, 1, false, false);
	assert_int_equal(index_end(&b, &(struct sindex_stats){0}), 0);
	assert_same_tree(out, fresh, "");
	buf_release(&record);
	remove_tree(out);
	remove_tree(old);
	remove_tree(fresh);
}

/* Rounds of edits, each rebuilt on the previous round's index and
 * compared with a fresh build: words of some entries changed, docs
 * added to or removed from others (the docs after them move), entries
 * dropped and added, indexed again as they were, with a word more in a
 * doc's text or heading, or with another title (the title's bonus
 * moves). Postings copied a run at a time must be the bytes
 * a fresh build writes, wherever the edits fall. */
static void test_random_edits_rebuild_as_fresh(void **state)
{
	(void)state;
	char out[256], fresh[256];
	site_paths(out, fresh, NULL);
	static struct random_entry entries[RANDOM_ENTRIES];
	static bool changed[RANDOM_ENTRIES];
	uint32_t r = 2463534242u;
	for (int e = 0; e < RANDOM_ENTRIES; e++)
		entries[e] = (struct random_entry){
		    xorshift(&r) % 4 != 0, 1 + (int)(xorshift(&r) % RANDOM_DOCS),
		    xorshift(&r) | 1, 0, 0};
	struct sindex_stats st;
	struct buf record;
	buf_init(&record);
	build_random(out, entries, changed, false, &record, &st);
	size_t reused = 0, kept = 0;
	for (int round = 0; round < 6; round++) {
		memset(changed, 0, sizeof changed);
		int edits = 1 + (int)(xorshift(&r) % (round % 3 ? 3 : 12));
		for (int i = 0; i < edits; i++) {
			int e = (int)(xorshift(&r) % RANDOM_ENTRIES);
			changed[e] = true;
			switch (xorshift(&r) % 7) {
			case 0: /* other words, as many docs */
				entries[e].seed = xorshift(&r) | 1;
				break;
			case 1: /* docs added or removed */
				entries[e].docs = 1 + (int)(xorshift(&r) % RANDOM_DOCS);
				entries[e].seed = xorshift(&r) | 1;
				break;
			case 2: /* docs added after the same ones */
				entries[e].docs += 1 + (int)(xorshift(&r) % 3);
				break;
			case 3: /* dropped, or back */
				entries[e].present = !entries[e].present;
				break;
			case 4: /* indexed again as it was */
				break;
			case 5: /* a word more in one doc, or another */
				entries[e].tweak = xorshift(&r) | 1;
				break;
			default: /* another title */
				entries[e].title++;
				break;
			}
		}
		/* Found by the record of a rebuild, then of a fresh build
		 * (the same bytes), and read through. */
		bool by_record = round % 3 != 2;
		build_random(out, entries, changed, true,
			     by_record ? &record : NULL, &st);
		reused += st.reused;
		kept += st.lists_kept;
		remove_tree(fresh);
		build_random(fresh, entries, changed, false,
			     by_record ? NULL : &record, &st);
		assert_same_tree(out, fresh, "");
	}
	buf_release(&record);
	/* The rebuilds copied entries and kept lists, as they must to test
	 * anything. */
	assert_true(reused > 6 * RANDOM_ENTRIES / 2);
	assert_true(kept > 0);
	/* "w0" takes posting files 0 and 1, the first word to have any. */
	char *t0;
	size_t t0_len;
	char first_shard[512];
	snprintf(first_shard, sizeof first_shard, "%s/search/t/0.js", out);
	assert_int_equal(read_file(first_shard, 1 << 24, &t0, &t0_len), 0);
	assert_non_null(strstr(t0, "[0,2]"));
	free(t0);
	remove_tree(out);
	remove_tree(fresh);
}

static int setup(void **state)
{
	(void)state;
	return testdir_make(dir, sizeof dir, "sindex");
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rebuild_copies_postings_as_they_were),
		cmocka_unit_test(test_previous_index_changed_during_the_build),
		cmocka_unit_test(test_entry_that_cannot_be_read_is_indexed_again),
		cmocka_unit_test(test_record_used_only_when_it_describes_the_index),
		cmocka_unit_test(test_record_stamp_spares_the_digest),
		cmocka_unit_test(test_random_edits_rebuild_as_fresh),
		cmocka_unit_test(test_words_an_edit_removes_are_gone),
		cmocka_unit_test(test_words_an_entry_keeps_are_kept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
