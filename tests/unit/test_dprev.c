/* The previous archive.json (dprev.h) found by the index the build that
 * wrote it kept: the same things as reading the file through, and an
 * index that does not describe the file, or does not read back, is not
 * used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "dprev.h"
#include "fsutil.h"
#include "record.h"
#include "testdir.h"
#include "writer.h"

static char dir[64], site[96];

static const char archive[] =
    "{\n  \"title\": \"x\",\n  \"articles\": [\n"
    "    {\"id\": \"a\", \"n\": 1},\n    {\"id\": \"b\", \"n\": [1, {\"m\": 2}]}\n"
    "  ],\n  \"parties\": [],\n  \"proposals\": [{\"id\": \"p\"}],\n"
    "  \"pages\": [{\"id\": \"method\"}],\n  \"annotations\": [\n"
    "    {\"id\": \"https://x.org/articles/a.html#n-1\"},\n"
    "    {\"id\": \"https://x.org/articles/a.html#n-2\"},\n"
    "    {\"id\": \"https://x.org/articles/b.html#n-1\"}\n  ]\n}\n";

/* Writes TEXT as the site's archive.json, through the writer, so that
 * the next writer finds it in the manifest. */
static void write_site(const char *text)
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	struct writer_file f;
	assert_int_equal(writer_open(&w, site, &d), 0);
	writer_file_open(&w, &f, "archive.json");
	buf_adds(&f.data, text);
	writer_file_close(&f);
	assert_int_equal(writer_commit(&w), 0);
	writer_release(&w);
}

/* The things of the previous archive.json, each as "PART KEY JSON\n" in
 * the maps' order, with INDEX (may be NULL); *INDEXED whether it was
 * used. False when the file was not read. */
static bool things(const unsigned char *index, size_t len, struct buf *out,
		   bool *indexed)
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	struct dprev p;
	assert_int_equal(writer_open(&w, site, &d), 0);
	buf_reset(out);
	bool open = dprev_open(&p, &w, index, len);
	*indexed = open && p.indexed;
	for (size_t part = 0; open && part < DPREV_PART_COUNT; part++) {
		struct map *m = &p.parts[part];
		for (size_t k = 0; k < m->cap; k++) {
			const char *json;
			size_t n;
			const char *key = map_key_at(m, k);
			if (!key || !dprev_get(&p, (enum dprev_part)part, key,
					       &json, &n))
				continue;
			buf_addf(out, "%zu %s ", part, key);
			buf_add(out, json, n);
			buf_addc(out, '\n');
		}
	}
	if (open)
		dprev_release(&p);
	writer_release(&w);
	return open;
}

/* An index of ARCHIVE as build_data would make it, written in PIECES,
 * with no stamp: its digest decides. */
static void make_index(struct dprev_index *x, const char *text, size_t pieces)
{
	static const struct {
		enum dprev_part part;
		const char *key, *first, *last;
	} at[] = {
	    {DPREV_ARTICLE, "\"a\"", "{\"id\": \"a\"", "1}"},
	    {DPREV_ARTICLE, "\"b\"", "{\"id\": \"b\"", "2}]}"},
	    {DPREV_PROPOSAL, "\"p\"", "{\"id\": \"p\"", "\"p\"}"},
	    {DPREV_PAGE, "\"method\"", "{\"id\": \"method\"", "\"method\"}"},
	    {DPREV_ANNOTATIONS, "\"https://x.org/articles/a.html#",
	     "{\"id\": \"https://x.org/articles/a.html#n-1",
	     "a.html#n-2\"}"},
	    {DPREV_ANNOTATIONS, "\"https://x.org/articles/b.html#",
	     "{\"id\": \"https://x.org/articles/b.html#n-1", "b.html#n-1\"}"},
	};
	size_t len = strlen(text);
	dprev_index_init(x);
	for (size_t i = 0; i < pieces; i++)
		dprev_index_bytes(x, text + len * i / pieces,
				  len * (i + 1) / pieces - len * i / pieces);
	for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
		const char *start = strstr(text, at[i].first);
		const char *last = strstr(start, at[i].last);
		dprev_index_add(x, at[i].part, at[i].key, (uint64_t)(start - text),
				(uint64_t)(last + strlen(at[i].last) - start));
	}
	dprev_index_finish(x);
}

/* The archive written, and its things read from the whole file into
 * READ; FOUND made ready for another reading. */
static void read_whole(struct buf *read, struct buf *found, bool *indexed)
{
	buf_init(read);
	buf_init(found);
	write_site(archive);
	assert_true(things(NULL, 0, read, indexed));
}

/* Found by the index, the things are those of reading the file, however
 * the bytes were written out. */
static void test_index_finds_what_reading_finds(void **state)
{
	(void)state;
	struct buf read, found;
	bool indexed;
	read_whole(&read, &found, &indexed);
	assert_false(indexed);
	assert_non_null(strstr(read.data, "0 \"b\" {\"id\": \"b\", \"n\": [1, {\"m\": 2}]}\n"));
	for (size_t pieces = 1; pieces <= 7; pieces++) {
		struct dprev_index x;
		make_index(&x, archive, pieces);
		assert_true(things((const unsigned char *)x.record.data,
				   x.record.len, &found, &indexed));
		assert_true(indexed);
		assert_string_equal(found.data, read.data);
		dprev_index_release(&x);
	}
	buf_release(&read);
	buf_release(&found);
}

/* An index is used only for the bytes it was made of, and only when it
 * reads back whole: otherwise the file is read through, as with none. */
static void test_index_not_trusted(void **state)
{
	(void)state;
	struct buf read, found;
	bool indexed;
	buf_init(&read);
	buf_init(&found);
	struct dprev_index x;
	make_index(&x, archive, 1);
	const unsigned char *rec = (const unsigned char *)x.record.data;
	size_t len = x.record.len;

	/* The file changed by one byte, its length the same. */
	char *edited = strdup(archive);
	strstr(edited, "\"n\": 1")[5] = '2';
	write_site(edited);
	assert_true(things(NULL, 0, &read, &indexed));
	assert_true(things(rec, len, &found, &indexed));
	assert_false(indexed);
	assert_string_equal(found.data, read.data);
	free(edited);

	write_site(archive);
	assert_true(things(NULL, 0, &read, &indexed));
	/* Cut anywhere, or with a byte after it. */
	for (size_t cut = 0; cut < len; cut++) {
		assert_true(things(rec, cut, &found, &indexed));
		assert_false(indexed);
		assert_string_equal(found.data, read.data);
	}
	unsigned char *longer = malloc(len + 1);
	memcpy(longer, rec, len);
	longer[len] = 0;
	assert_true(things(longer, len + 1, &found, &indexed));
	assert_false(indexed);
	free(longer);

	/* A thing of no part, or past the file's end, or a key with a NUL. */
	struct dprev_index bad;
	for (int k = 0; k < 3; k++) {
		make_index(&bad, archive, 1);
		buf_reset(&bad.things);
		bad.count = 0;
		if (k == 0)
			dprev_index_add(&bad, DPREV_PART_COUNT, "\"a\"", 4, 10);
		else if (k == 1)
			dprev_index_add(&bad, DPREV_ARTICLE, "\"a\"", 4,
					strlen(archive));
		else
			dprev_index_add(&bad, DPREV_ARTICLE, "\"a\"", 4, 10);
		dprev_index_finish(&bad);
		if (k == 2) /* the key's closing quote made a NUL (the
				stamp of 32 bytes comes after the range) */
			bad.record.data[bad.record.len - 32 - 17] = '\0';
		assert_true(things((const unsigned char *)bad.record.data,
				   bad.record.len, &found, &indexed));
		assert_false(indexed);
		assert_string_equal(found.data, read.data);
		dprev_index_release(&bad);
	}
	dprev_index_release(&x);
	buf_release(&read);
	buf_release(&found);
}

/* A file that still looks as its stamp says is taken for the bytes the
 * record describes without hashing them: a record whose digest is wrong
 * is used then, and not once the file's stamp moved. */
static void test_index_stamp_spares_the_digest(void **state)
{
	(void)state;
	struct buf read, found;
	bool indexed;
	read_whole(&read, &found, &indexed);
	char *path = path_join(site, "archive.json");
	struct file_stamp now = file_stamp_at(path);
	assert_true(now.ino != 0);

	struct dprev_index x;
	make_index(&x, archive, 1);
	/* The digest, the second number of the record, made wrong; the
	 * file's stamp in place of none. */
	x.record.data[8] ^= 1;
	record_set_stamp(&x.record, x.record.len - 32, &now);
	assert_true(things((const unsigned char *)x.record.data, x.record.len,
			   &found, &indexed));
	assert_true(indexed);
	assert_string_equal(found.data, read.data);

	/* Another stamp: the digest decides, and is wrong. */
	struct file_stamp other = now;
	other.ctime_ns++;
	record_set_stamp(&x.record, x.record.len - 32, &other);
	assert_true(things((const unsigned char *)x.record.data, x.record.len,
			   &found, &indexed));
	assert_false(indexed);
	assert_string_equal(found.data, read.data);
	dprev_index_release(&x);
	free(path);
	buf_release(&read);
	buf_release(&found);
}

/* Writes NEW as archive.json through a file opened like the site's
 * previous one (PREV, whose bytes it maps), a piece of about WRITER_PIECE
 * at a time; true when the previous file was kept rather than written.
 * The site then holds NEW either way. */
static bool write_like(const struct buf *prev, const struct buf *new)
{
	write_site(prev->data);
	char *path = path_join(site, "archive.json");
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	struct dprev p;
	struct writer_file f;
	assert_int_equal(writer_open(&w, site, &d), 0);
	assert_true(dprev_open(&p, &w, NULL, 0));
	assert_int_equal(p.len, prev->len);
	writer_file_open_like(&w, &f, "archive.json", p.data, p.len);
	for (size_t at = 0; at < new->len;) {
		size_t n = new->len - at < WRITER_PIECE + 7 ? new->len - at
							    : WRITER_PIECE + 7;
		buf_add(&f.data, new->data + at, n);
		at += n;
		writer_file_flush(&f);
	}
	writer_file_close(&f);
	size_t unchanged = w.unchanged;
	dprev_release(&p);
	assert_int_equal(writer_commit(&w), 0);
	writer_release(&w);
	char *got;
	size_t len;
	assert_int_equal(read_file(path, (size_t)1 << 30, &got, &len), 0);
	assert_int_equal(len, new->len);
	assert_memory_equal(got, new->data, len);
	assert_int_equal(stat(path, &after), 0);
	bool same_inode = before.st_ino == after.st_ino;
	assert_int_equal(unchanged == 1, same_inode);
	free(got);
	free(path);
	return same_inode;
}

/* A file opened like the previous one is kept when it ends up the same
 * bytes, and otherwise written whole: differing in its first byte, at a
 * later piece, shorter, or longer. */
static void test_file_like_previous(void **state)
{
	(void)state;
	struct buf prev, new;
	buf_init(&prev);
	buf_init(&new);
	buf_adds(&prev, "{\n  \"title\": \"");
	for (size_t i = 0; i < 3 * (size_t)WRITER_PIECE; i++)
		buf_addc(&prev, (char)('a' + i % 26));
	buf_adds(&prev, strstr(archive, "\",\n  \"articles\""));

	buf_add(&new, prev.data, prev.len);
	assert_true(write_like(&prev, &new));

	new.data[0] = '[';
	assert_false(write_like(&prev, &new));

	new.data[0] = '{';
	new.data[2 * WRITER_PIECE + 5] = '!';
	assert_false(write_like(&prev, &new));

	buf_reset(&new);
	buf_add(&new, prev.data, prev.len - 10);
	assert_false(write_like(&prev, &new));

	buf_reset(&new);
	buf_add(&new, prev.data, prev.len);
	buf_adds(&new, "more");
	assert_false(write_like(&prev, &new));

	/* and the same again, after all that */
	buf_reset(&new);
	buf_add(&new, prev.data, prev.len);
	assert_true(write_like(&prev, &new));
	buf_release(&prev);
	buf_release(&new);
}

static int setup(void **state)
{
	(void)state;
	int rc = testdir_make(dir, sizeof dir, "dprev");
	snprintf(site, sizeof site, "%s/site", dir);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_index_finds_what_reading_finds),
	    cmocka_unit_test(test_index_not_trusted),
	    cmocka_unit_test(test_index_stamp_spares_the_digest),
	    cmocka_unit_test(test_file_like_previous),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
