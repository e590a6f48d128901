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
#include <fcntl.h>
#include <sys/mman.h>
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
#include "xalloc.h"

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
			struct dprev_thing t;
			const char *key = map_key_at(m, k);
			if (!key || !dprev_get(&p, (enum dprev_part)part, key, &t))
				continue;
			assert_true(t.digest ==
				    dprev_digest(p.data + t.start, t.len));
			/* Found by an index, with the bytes before it. */
			assert_int_equal(t.gap != NULL, p.indexed);
			if (t.gap) {
				assert_true(t.gap_len <= t.start);
				assert_memory_equal(t.gap,
						    p.data + t.start - t.gap_len,
						    t.gap_len);
			}
			buf_addf(out, "%zu %s ", part, key);
			buf_add(out, p.data + t.start, t.len);
			buf_addc(out, '\n');
		}
	}
	if (open)
		dprev_release(&p);
	writer_release(&w);
	return open;
}

/* Gives X the bytes FROM to TO of TEXT, in PIECES. */
static void index_bytes(struct dprev_index *x, const char *text, size_t from,
			size_t to, size_t pieces)
{
	size_t len = to - from;
	for (size_t i = 0; i < pieces; i++)
		dprev_index_bytes(x, text + from + len * i / pieces,
				  len * (i + 1) / pieces - len * i / pieces);
}

/* An index of ARCHIVE as build_data would make it, the bytes between
 * things given in PIECES, with no stamp: its digest decides. */
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
	size_t len = strlen(text), done = 0;
	dprev_index_init(x);
	for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
		const char *start = strstr(text, at[i].first);
		const char *last = strstr(start, at[i].last);
		size_t from = (size_t)(start - text);
		size_t n = (size_t)(last + strlen(at[i].last) - start);
		index_bytes(x, text, done, from, pieces);
		dprev_index_add(x, at[i].part, at[i].key, from, n,
				dprev_digest(start, n));
		done = from + n;
	}
	index_bytes(x, text, done, len, pieces);
	dprev_index_finish(x, NULL, 0);
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

	/* A thing of no part, past the file's end, with a key with a NUL,
	 * or before the end of the thing ahead of it. The file's length is
	 * left the archive's. */
	struct dprev_index bad;
	for (int k = 0; k < 4; k++) {
		make_index(&bad, archive, 1);
		buf_reset(&bad.things);
		bad.count = 0;
		uint64_t file_len = bad.len;
		const char *b = strstr(archive, "{\"id\": \"b\"");
		uint64_t b_at = (uint64_t)(b - archive);
		if (k == 0)
			dprev_index_add(&bad, DPREV_PART_COUNT, "\"a\"", 4, 10, 0);
		else if (k == 1)
			dprev_index_add(&bad, DPREV_ARTICLE, "\"a\"", 4,
					strlen(archive), 0);
		else if (k == 2)
			dprev_index_add(&bad, DPREV_ARTICLE, "\"a\"", 4, 10, 0);
		else
			for (int i = 0; i < 2; i++)
				dprev_index_add(&bad, DPREV_ARTICLE,
						i ? "\"c\"" : "\"b\"", b_at, 5,
						dprev_digest(b, 5));
		bad.len = file_len;
		dprev_index_finish(&bad, NULL, 0);
		if (k == 2) /* the key's closing quote made a NUL (its range
				and digest come after it, then the record's
				tail: two stamps of 32 bytes and a length) */
			bad.record.data[bad.record.len - 72 - 25] = '\0';
		assert_true(things((const unsigned char *)bad.record.data,
				   bad.record.len, &found, &indexed));
		assert_false(indexed);
		assert_string_equal(found.data, read.data);
		dprev_index_release(&bad);
	}

	/* A thing whose recorded digest is not its bytes', the file's
	 * digest made with it as dprev_index makes it: the thing's bytes
	 * are checked, not only the file's digest. */
	const char *b = strstr(archive, "{\"id\": \"b\"");
	size_t b_at = (size_t)(b - archive), total = strlen(archive);
	for (int wrong = 0; wrong < 2; wrong++) {
		dprev_index_init(&bad);
		dprev_index_bytes(&bad, archive, b_at);
		dprev_index_add(&bad, DPREV_ARTICLE, "\"b\"", b_at, 5,
				dprev_digest(b + wrong, 5));
		dprev_index_bytes(&bad, b + 5, total - b_at - 5);
		dprev_index_finish(&bad, NULL, 0);
		assert_true(things((const unsigned char *)bad.record.data,
				   bad.record.len, &found, &indexed));
		assert_int_equal(indexed, !wrong);
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

/* Writes PREV as the site's archive.json, its inode into *BEFORE, and
 * opens a writer W (reporting to D) for the next site. */
static void open_over(const char *prev, struct writer *w, struct diag *d,
		      struct stat *before)
{
	write_site(prev);
	char *path = path_join(site, "archive.json");
	assert_int_equal(stat(path, before), 0);
	free(path);
	diag_init(d, stderr);
	assert_int_equal(writer_open(w, site, d), 0);
}

/* Asserts that the file at PATH holds the LEN bytes at DATA. */
static void expect_file(const char *path, const char *data, size_t len)
{
	char *got;
	size_t got_len;
	assert_int_equal(read_file(path, (size_t)1 << 30, &got, &got_len), 0);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, data, len);
	free(got);
}

/* Writes NEW as archive.json through a file opened like the site's
 * previous one (PREV, whose bytes it maps), a piece of about WRITER_PIECE
 * at a time; true when the previous file was kept rather than written.
 * The site then holds NEW either way. */
static bool write_like(const struct buf *prev, const struct buf *new)
{
	char *path = path_join(site, "archive.json");
	struct stat before, after;
	struct diag d;
	struct writer w;
	struct dprev p;
	struct writer_file f;
	open_over(prev->data, &w, &d, &before);
	assert_true(dprev_open(&p, &w, NULL, 0));
	assert_int_equal(p.len, prev->len);
	writer_file_open_like(&w, &f, "archive.json", p.data, p.len, p.fd);
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
	expect_file(path, new->data, new->len);
	assert_int_equal(stat(path, &after), 0);
	bool same_inode = before.st_ino == after.st_ino;
	assert_int_equal(unchanged == 1, same_inode);
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

/* A piece of a file written like the previous one: TEXT, or when it is
 * NULL the LEN bytes at START of the previous file. */
struct piece {
	const char *text;
	size_t start, len;
	bool gap_same; /* the bytes before it are the previous file's */
};

/* Writes archive.json from PIECES (N of them) through a file opened like
 * the site's previous one, PREV, as build_data does: literal bytes in
 * DATA, flushed now and then, and the previous file's bytes added with
 * writer_file_add_prev. Checks that the site then holds what the pieces
 * say, and returns whether the previous file was kept. */
static bool write_pieces(const struct buf *prev, const struct piece *pieces,
			 size_t n)
{
	struct buf expect;
	buf_init(&expect);
	for (size_t i = 0; i < n; i++) {
		if (pieces[i].text)
			buf_adds(&expect, pieces[i].text);
		else
			buf_add(&expect, prev->data + pieces[i].start,
				pieces[i].len);
	}
	char *path = path_join(site, "archive.json");
	struct stat before, after;
	struct diag d;
	struct writer w;
	struct writer_file f;
	open_over(prev->data, &w, &d, &before);
	/* The previous file mapped, as dprev_open maps it. */
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	void *map = mmap(NULL, prev->len, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(map != MAP_FAILED);
	writer_file_open_like(&w, &f, "archive.json", map, prev->len, fd);
	for (size_t i = 0; i < n; i++) {
		if (pieces[i].text)
			buf_adds(&f.data, pieces[i].text);
		else
			writer_file_add_prev(&f, pieces[i].start, pieces[i].len,
					     pieces[i].gap_same);
		writer_file_flush(&f);
	}
	writer_file_close(&f);
	munmap(map, prev->len);
	close(fd);
	assert_int_equal(writer_commit(&w), 0);
	writer_release(&w);
	expect_file(path, expect.data, expect.len);
	assert_int_equal(stat(path, &after), 0);
	free(path);
	buf_release(&expect);
	return before.st_ino == after.st_ino;
}

/* The previous file's bytes added by where they are: kept when the
 * whole file is the previous one's in place, otherwise copied wherever
 * they go, between bytes written, in runs joined across the bytes
 * between them or not, before and after a piece is flushed. */
static void test_file_add_prev(void **state)
{
	(void)state;
	struct buf prev, big;
	buf_init(&prev);
	buf_init(&big);
	buf_adds(&prev, archive);
	size_t len = prev.len;
	char mid[3] = {archive[10], archive[11], '\0'};

	struct piece same[] = {{NULL, 0, 10}, {mid, 0, 0},
			       {NULL, 12, len - 12}};
	assert_true(write_pieces(&prev, same, 3));
	same[2].gap_same = true;
	assert_true(write_pieces(&prev, same, 3));
	struct piece whole[] = {{NULL, 0, len}};
	assert_true(write_pieces(&prev, whole, 1));

	struct piece first[] = {{"[", 0, 0}, {NULL, 1, len - 1}};
	assert_false(write_pieces(&prev, first, 2));
	struct piece swapped[] = {{NULL, 12, len - 12}, {NULL, 0, 12}};
	assert_false(write_pieces(&prev, swapped, 2));
	struct piece joined[] = {{"ab", 0, 0},   {NULL, 0, 10}, {mid, 0, 0},
				 {NULL, 12, 8},  {"zz", 0, 0},  {NULL, 20, 5},
				 {NULL, 25, 30}, {NULL, 25, 30}, {"", 0, 0},
				 {NULL, 55, len - 55}};
	assert_false(write_pieces(&prev, joined, 10));
	joined[3].gap_same = joined[9].gap_same = true;
	assert_false(write_pieces(&prev, joined, 10));
	struct piece shorter[] = {{NULL, 0, 10}, {mid, 0, 0},
				  {NULL, 12, len - 13}};
	assert_false(write_pieces(&prev, shorter, 3));
	struct piece longer[] = {{NULL, 0, len}, {"\n", 0, 0}};
	assert_false(write_pieces(&prev, longer, 2));

	/* A file of three pieces and more, the bytes written flushed
	 * between the ones added. */
	for (size_t i = 0; i < 3 * (size_t)WRITER_PIECE; i++)
		buf_addc(&big, (char)('a' + i % 26));
	char *text = xstrndup(big.data, WRITER_PIECE + 7);
	size_t rest = big.len - (WRITER_PIECE + 7);
	struct piece in_place[] = {{text, 0, 0},
				   {NULL, WRITER_PIECE + 7, rest}};
	assert_true(write_pieces(&big, in_place, 2));
	text[WRITER_PIECE] = '!';
	assert_false(write_pieces(&big, in_place, 2));
	struct piece after[] = {{NULL, 0, 5}, {text, 0, 0},
				{NULL, 2 * WRITER_PIECE, WRITER_PIECE},
				{NULL, 0, WRITER_PIECE}};
	assert_false(write_pieces(&big, after, 4));
	free(text);
	buf_release(&prev);
	buf_release(&big);
}

/* Writes NEW through a file opened like the site's archive.json, PREV,
 * with the folder the new site is built in holding STAGED as archive.json
 * (LINKED: with a second link beside it), named to writer_file_reuse as
 * sharing SHARED bytes with PREV (WRONG_STAMP: under another stamp).
 * Checks that the site then holds NEW and that the second link still
 * holds STAGED; returns whether the staged file became the new one. */
static bool write_reusing(const char *prev, const char *staged,
			  const char *new, size_t shared, bool linked,
			  bool wrong_stamp)
{
	char *path = path_join(site, "archive.json");
	char *other = path_join(dir, "other-link");
	struct stat before;
	struct diag d;
	struct writer w;
	struct writer_file f;
	open_over(prev, &w, &d, &before);
	char *stage_path = path_join(w.stage, "archive.json");
	unlink(stage_path);
	unlink(other);
	assert_int_equal(write_new_file(stage_path, staged, strlen(staged)), 0);
	if (linked)
		assert_int_equal(link(stage_path, other), 0);
	struct file_stamp stamp = file_stamp_at(stage_path);
	/* Held open, so that a new file cannot take its inode's number. */
	int staged_fd = open(stage_path, O_RDONLY);
	assert_true(staged_fd >= 0);
	if (wrong_stamp)
		stamp.mtime_ns++;
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	size_t prev_len = strlen(prev);
	void *map = mmap(NULL, prev_len, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_true(map != MAP_FAILED);
	writer_file_open_like(&w, &f, "archive.json", map, prev_len, fd);
	writer_file_reuse(&f, &stamp, shared);
	buf_adds(&f.data, new);
	writer_file_close(&f);
	munmap(map, prev_len);
	close(fd);
	assert_int_equal(writer_commit(&w), 0);
	writer_release(&w);
	expect_file(path, new, strlen(new));
	if (linked) {
		expect_file(other, staged, strlen(staged));
		unlink(other);
	}
	struct stat now, held;
	assert_int_equal(stat(path, &now), 0);
	assert_int_equal(fstat(staged_fd, &held), 0);
	close(staged_fd);
	free(stage_path);
	free(other);
	free(path);
	return now.st_ino == held.st_ino;
}

/* A file the recycled folder holds, which shares its first bytes with
 * the previous one, becomes the new file, cut after the bytes all three
 * share: only while it has the stamp it was named with and no other
 * link. */
static void test_file_reuse(void **state)
{
	(void)state;
	const char *prev = "0123456789abcdefghij";
	/* shares 10 bytes with PREV; the new file 15 */
	const char *staged = "0123456789ABCDEFGHIJKLMNOP";
	const char *new = "0123456789abcdeXYZ";
	assert_true(write_reusing(prev, staged, new, 10, false, false));
	/* more than the new file shares with PREV is never kept */
	assert_true(write_reusing(prev, prev, new, 20, false, false));
	assert_true(write_reusing(prev, staged, "01X", 10, false, false));
	assert_false(write_reusing(prev, staged, new, 10, false, true));
	assert_false(write_reusing(prev, staged, new, 10, true, false));
	assert_false(write_reusing(prev, staged, new, 0, false, false));
	assert_false(write_reusing(prev, staged, "X", 10, false, false));
	/* the new file the same as PREV: PREV is kept */
	assert_false(write_reusing(prev, staged, prev, 10, false, false));
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
	    cmocka_unit_test(test_file_add_prev),
	    cmocka_unit_test(test_file_reuse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
