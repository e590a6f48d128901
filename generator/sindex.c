#include "sindex.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "parallel.h"
#include "record.h"
#include "xalloc.h"

static const char *const kind_names[SINDEX_KIND_COUNT] = {
    "article", "note", "party", "proposal", "page"};

/* Weights of a word in a doc (see sindex.h). */
#define W_TEXT 1
#define W_TITLE 10
#define W_HEADING 5
#define W_TITLE_BONUS 1

/* Postings are kept in blocks of BLOCK bytes: the index of the next
 * block of the same word (0: none; block 0 is never used), then data,
 * as varints of 7 bits a byte in the order sindex.h describes. */
#define BLOCK 32
#define BLOCK_DATA (BLOCK - 4)

struct sword {
	uint32_t key, len;  /* in keys */
	uint32_t hash;
	uint32_t last_doc;  /* doc + 1 the word was last seen in; 0: none */
	uint32_t weight;    /* its weight in last_doc so far */
	uint32_t title_of;  /* entry + 1 whose title holds it; 0: none */
	uint32_t prev_doc;  /* doc + 1 of its last posting */
	uint32_t head, tail; /* blocks */
	uint32_t used;      /* bytes used in tail */
};

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* ---- writing files ---- */

/* Counts a file of LEN bytes in the index's sizes. */
static void count_file(struct sindex *x, size_t len, bool entry)
{
	x->stats.bytes += len;
	x->stats.files++;
	if (entry)
		x->stats.entry_bytes = len;
	else if (len > x->stats.largest)
		x->stats.largest = len;
}

/* Records a file of KIND ('t', 'p', 'd', or 0 for the entry file) of
 * LEN bytes whose digest is DIGEST (sprev_file_digest), in the order
 * they are written, with STAMP when it is known (a file kept untouched,
 * sprev_file_stamp), or to be stamped once the site is in place. A doc
 * shard's entries are in D_ENTRIES still. */
static void record_file(struct sindex *x, char kind, size_t len,
			uint64_t digest, const struct file_stamp *stamp)
{
	struct sindex_record *r = &x->record;
	if (kind == 0) {
		r->entry_len = len;
		r->entry_digest = digest;
		return;
	}
	int part = kind == 't' ? 0 : kind == 'p' ? 1 : 2;
	/* None: stamped once the site is in place (sindex_record_stamp). */
	const struct file_stamp none = {0, 0, 0, 0};
	record_put_u64(&r->files[part], len);
	record_put_u64(&r->files[part], digest);
	record_put_stamp(&r->files[part], stamp ? stamp : &none);
	if (kind == 'd')
		record_put_u64(&r->files[part],
			       sprev_entries_digest(x->d_entries.data,
						    x->d_entries.len));
	r->counts[part]++;
}

/* Writes file REL of KIND (as record_file) with LEN bytes of DATA. */
static void emit_bytes(struct sindex *x, char kind, const char *rel,
		       const char *data, size_t len)
{
	writer_emit(x->w, rel, data, len);
	count_file(x, len, kind == 0);
	if (x->record.out)
		record_file(x, kind, len, sprev_file_digest(data, len), NULL);
}

static void emit(struct sindex *x, char kind, const char *rel,
		 const struct buf *b)
{
	emit_bytes(x, kind, rel, b->data, b->len);
}

/* Emits a file known to hold the previous index's bytes for REL, its
 * file N of KIND too: the writer keeps the previous file without
 * reading it again, or writes DATA when it cannot. A file kept
 * untouched that still had its recorded stamp keeps that and its
 * digest, neither taken again. */
static void emit_as_was(struct sindex *x, char kind, size_t n,
			const char *rel, const char *data, size_t len)
{
	bool untouched;
	if (!writer_emit_kept(x->w, rel, len, &untouched)) {
		emit_bytes(x, kind, rel, data, len);
		return;
	}
	count_file(x, len, false);
	if (!x->record.out)
		return;
	struct file_stamp stamp;
	uint64_t digest;
	if (untouched && x->prev &&
	    sprev_file_stamp(x->prev, kind, n, len, &stamp, &digest))
		record_file(x, kind, len, digest, &stamp);
	else
		record_file(x, kind, len, sprev_file_digest(data, len), NULL);
}

/* Emits term shard or posting file N, whose previous version, as the
 * previous index held it, is OLD (OLD_LEN bytes; NULL when there was
 * none), kept when the bytes are the same. */
static void emit_known(struct sindex *x, char kind, size_t n, const char *rel,
		       const char *data, size_t len, const char *old,
		       size_t old_len)
{
	if (old && old_len == len && memcmp(old, data, len) == 0)
		emit_as_was(x, kind, n, rel, data, len);
	else
		emit_bytes(x, kind, rel, data, len);
}

static void shard_name(struct buf *name, char kind, size_t n)
{
	buf_reset(name);
	buf_addf(name, "search/%c/%zu.js", kind, n);
}

/* ---- doc shards ---- */

/* Docs FIRST to FIRST + COUNT - 1, of this index and of the previous one
 * alike, of the entry at QUOTED (owned), this shard's entry ENTRY. */
struct sindex_run {
	size_t first, count;
	long entry;
	char *quoted;
};

static void runs_clear(struct sindex *x)
{
	for (size_t i = 0; i < x->run_count; i++)
		free(x->runs[i].quoted);
	x->run_count = 0;
}

static void group_begin(struct sindex *x)
{
	runs_clear(x);
	x->group_mixed = false;
	buf_reset(&x->d_entries);
	buf_reset(&x->d_docs);
	json_init(&x->je, &x->d_entries, false);
	json_init(&x->jd, &x->d_docs, false);
	json_array_begin(&x->je);
	json_array_begin(&x->jd);
	x->group_docs = 0;
	x->group_entries = 0;
	x->group_entry = -1;
}

/* Writes the docs of the runs into the shard being filled, read from
 * the previous index, which sprev_open read whole: they can fail to be
 * read again only if its folder changed since, and the build fails. */
static void write_runs(struct sindex *x)
{
	for (size_t r = 0; r < x->run_count; r++) {
		const struct sindex_run *run = &x->runs[r];
		if (!sprev_load_docs(x->prev, run->first, run->count,
				     run->quoted)) {
			writer_error(x->w, "search",
				     "the previous search index changed while "
				     "this build read it; build again");
			break;
		}
		for (size_t i = 0; i < run->count; i++) {
			const char *rest;
			size_t len;
			sprev_doc(x->prev, run->first + i, &rest, &len);
			buf_reset(&x->scratch);
			buf_addc(&x->scratch, '[');
			buf_addu(&x->scratch, (unsigned long long)run->entry, 0);
			buf_add(&x->scratch, rest, len);
			json_raw(&x->jd, x->scratch.data, x->scratch.len);
		}
	}
	runs_clear(x);
}

/* Before a doc is written into the shard being filled: the docs before
 * it first. */
static void group_mix(struct sindex *x)
{
	if (!x->group_mixed)
		write_runs(x);
	x->group_mixed = true;
}

static void group_end(struct sindex *x)
{
	if (!x->group_docs)
		return;
	size_t n = (x->docs - 1) / SINDEX_GROUP, size;
	uint64_t digest;
	struct buf out, name;
	buf_init(&out);
	buf_init(&name);
	shard_name(&name, 'd', n);
	json_array_end(&x->je);
	json_release(&x->je);
	/* Docs all copied with their numbers, entries listed as before: the
	 * previous shard, kept as it is. */
	bool untouched = false;
	if (!x->group_mixed && x->prev &&
	    sprev_shard_same(x->prev, n, x->group_docs, x->d_entries.data,
			     x->d_entries.len, &size, &digest) &&
	    writer_emit_kept(x->w, name.data, size, &untouched)) {
		json_release(&x->jd);
		count_file(x, size, false);
		/* (the record's digest: the one sprev_shard_same gave) */
		struct file_stamp stamp;
		bool stamped = untouched &&
			       sprev_file_stamp(x->prev, 'd', n, size, &stamp,
						&digest);
		if (x->record.out)
			record_file(x, 'd', size, digest,
				    stamped ? &stamp : NULL);
		x->stats.shards_kept++;
		runs_clear(x);
		buf_release(&out);
		buf_release(&name);
		x->group_docs = 0;
		return;
	}
	group_mix(x);
	json_array_end(&x->jd);
	json_release(&x->jd);
	buf_addf(&out, "GLOSS_SEARCH_SHARD(\"d\",%zu,{\"entries\":", n);
	buf_add(&out, x->d_entries.data, x->d_entries.len);
	buf_adds(&out, ",\"docs\":");
	buf_add(&out, x->d_docs.data, x->d_docs.len);
	buf_adds(&out, "});\n");
	emit(x, 'd', name.data, &out);
	buf_release(&out);
	buf_release(&name);
	x->group_docs = 0;
}

/* Lists the current entry in the doc shard being filled, once. */
static void group_entry(struct sindex *x)
{
	if (x->group_entry >= 0)
		return;
	json_array_begin(&x->je);
	json_string(&x->je, x->title.data);
	json_string(&x->je, x->url.data);
	if (x->has_date) {
		json_string(&x->je, x->date.data);
		json_string(&x->je, x->iso.data);
	}
	json_array_end(&x->je);
	x->group_entry = (long)x->group_entries++;
}

/* Writes the doc into the doc shard being filled. */
static void group_add(struct sindex *x, enum sindex_kind kind,
		      const char *frag, const char *text, size_t len,
		      const char *heading)
{
	group_entry(x);
	group_mix(x);
	json_array_begin(&x->jd);
	json_int(&x->jd, x->group_entry);
	json_int(&x->jd, kind);
	json_string(&x->jd, frag);
	json_stringn(&x->jd, text, len);
	if (heading)
		json_string(&x->jd, heading);
	json_array_end(&x->jd);
	x->group_docs++;
}

/* Writes a doc of the previous index into the doc shard being filled:
 * REST is its JSON after its entry's number there. */
static void group_add_raw(struct sindex *x, const char *rest, size_t len)
{
	if (x->group_docs == 0)
		group_begin(x);
	group_entry(x);
	group_mix(x);
	buf_reset(&x->scratch);
	buf_addc(&x->scratch, '[');
	buf_addu(&x->scratch, (unsigned long long)x->group_entry, 0);
	buf_add(&x->scratch, rest, len);
	json_raw(&x->jd, x->scratch.data, x->scratch.len);
	x->group_docs++;
	x->docs++;
	if (x->group_docs == SINDEX_GROUP)
		group_end(x);
}

/* ---- words and postings ---- */

static struct sword *word_get(struct sindex *x, const char *s, size_t len,
			      uint32_t h)
{
	if (2 * (x->wcount + 1) > x->slot_cap) {
		size_t cap = x->slot_cap ? 2 * x->slot_cap : 4096;
		uint32_t *slots = xcalloc_written(cap, sizeof *slots);
		for (size_t i = 0; i < x->wcount; i++) {
			size_t k = x->wv[i].hash & (cap - 1);
			while (slots[k])
				k = (k + 1) & (cap - 1);
			slots[k] = (uint32_t)i + 1;
		}
		free(x->slots);
		x->slots = slots;
		x->slot_cap = cap;
	}
	size_t k = h & (x->slot_cap - 1);
	for (; x->slots[k]; k = (k + 1) & (x->slot_cap - 1)) {
		struct sword *sw = &x->wv[x->slots[k] - 1];
		if (sw->hash == h && sw->len == len &&
		    memcmp(x->keys.data + sw->key, s, len) == 0)
			return sw;
	}
	if (x->wcount == x->wcap)
		x->wv = xgrow(x->wv, &x->wcap, x->wcount + 1, sizeof *x->wv);
	struct sword *sw = &x->wv[x->wcount];
	memset(sw, 0, sizeof *sw);
	sw->key = (uint32_t)x->keys.len;
	sw->len = (uint32_t)len;
	sw->hash = h;
	buf_add(&x->keys, s, len);
	buf_addc(&x->keys, '\0');
	x->slots[k] = (uint32_t)++x->wcount;
	return sw;
}

static void put_byte(struct sindex *x, struct sword *sw, unsigned char b)
{
	if (!sw->tail || sw->used == BLOCK_DATA) {
		if (!x->block_count)
			x->block_count = 1; /* block 0 means none */
		if (x->block_count >= x->block_cap)
			x->blocks = xgrow(x->blocks, &x->block_cap,
					  x->block_count + 1, BLOCK);
		uint32_t nb = (uint32_t)x->block_count++;
		memset(x->blocks + (size_t)nb * BLOCK, 0, BLOCK);
		if (sw->tail)
			memcpy(x->blocks + (size_t)sw->tail * BLOCK, &nb, 4);
		else
			sw->head = nb;
		sw->tail = nb;
		sw->used = 0;
	}
	x->blocks[(size_t)sw->tail * BLOCK + 4 + sw->used++] = b;
}

static void put_varint(struct sindex *x, struct sword *sw, uint32_t v)
{
	while (v >= 0x80) {
		put_byte(x, sw, (unsigned char)(v | 0x80));
		v >>= 7;
	}
	put_byte(x, sw, (unsigned char)v);
}

/* words_each callback: one appearance of a word in the current doc. */
static void on_word(void *arg, const char *s, size_t len, uint32_t hash)
{
	struct sindex *x = arg;
	struct sword *sw = word_get(x, s, len, hash);
	uint32_t doc = (uint32_t)x->docs + 1;
	if (sw->last_doc != doc) {
		sw->last_doc = doc;
		sw->weight = 0;
		if (x->touched_count == x->touched_cap)
			x->touched = xgrow(x->touched, &x->touched_cap,
					   x->touched_count + 1,
					   sizeof *x->touched);
		x->touched[x->touched_count++] = (uint32_t)(sw - x->wv);
	}
	sw->weight += x->weight;
}

/* words_each callback: a word of the current entry's title. */
static void on_title_word(void *arg, const char *s, size_t len,
			  uint32_t hash)
{
	struct sindex *x = arg;
	word_get(x, s, len, hash)->title_of = (uint32_t)x->entries;
}

void sindex_init(struct sindex *x, struct writer *w)
{
	memset(x, 0, sizeof *x);
	x->w = w;
	words_init(&x->words);
	buf_init(&x->keys);
	buf_init(&x->title);
	buf_init(&x->url);
	buf_init(&x->date);
	buf_init(&x->iso);
	buf_init(&x->d_entries);
	buf_init(&x->d_docs);
	buf_init(&x->scratch);
	buf_init(&x->quoted);
}

void sindex_prev(struct sindex *x, struct sprev *p)
{
	x->prev = p;
	free(x->renumber);
	x->renumber = xcalloc(p->docs + 1, sizeof *x->renumber);
}

/* The current entry's docs FIRST to FIRST + COUNT - 1 of the previous
 * index, copied with the same numbers. */
static void copy_as_they_were(struct sindex *x, size_t first, size_t count)
{
	for (size_t i = 0; i < count; i++)
		x->renumber[first + i] = (uint32_t)(first + i) + 1;
	x->prev_next = first + count;
	x->stats.reused++;
	for (size_t done = 0; done < count;) {
		if (x->group_docs == 0)
			group_begin(x);
		group_entry(x);
		size_t n = SINDEX_GROUP - x->group_docs;
		if (n > count - done)
			n = count - done;
		x->runs = xgrow(x->runs, &x->run_cap, x->run_count + 1,
				sizeof *x->runs);
		x->runs[x->run_count++] = (struct sindex_run){
		    first + done, n, x->group_entry, xstrdup(x->quoted.data)};
		if (x->group_mixed)
			write_runs(x);
		x->group_docs += n;
		x->docs += n;
		done += n;
		if (x->group_docs == SINDEX_GROUP)
			group_end(x);
	}
}

bool sindex_reuse(struct sindex *x)
{
	size_t first, count;
	if (!x->prev)
		return false;
	buf_reset(&x->quoted);
	json_quote(&x->quoted, x->url.data, x->url.len);
	if (!sprev_entry(x->prev, x->quoted.data, &first, &count) ||
	    first < x->prev_next)
		return false;
	if (first == x->docs) {
		/* The docs keep their numbers: they are written into their
		 * shard only if it cannot be kept whole (group_end). Those
		 * that go into a shard already mixed are written now, so they
		 * are read first: one that cannot be is indexed again. */
		if (x->group_docs && x->group_mixed &&
		    !sprev_load_docs(x->prev, first, count, x->quoted.data))
			return false;
		copy_as_they_were(x, first, count);
		return true;
	}
	/* Docs written before these are older: they are read first. */
	if (x->group_docs && !x->group_mixed)
		group_mix(x);
	if (!sprev_load_docs(x->prev, first, count, x->quoted.data))
		return false;
	for (size_t i = 0; i < count; i++) {
		const char *rest;
		size_t len;
		sprev_doc(x->prev, first + i, &rest, &len);
		x->renumber[first + i] = (uint32_t)x->docs + 1;
		group_add_raw(x, rest, len);
	}
	x->prev_next = first + count;
	x->stats.reused++;
	return true;
}

/* ---- the index record ---- */

void sindex_record(struct sindex *x, struct buf *out)
{
	struct sindex_record *r = &x->record;
	r->out = out;
	for (int i = 0; i < 3; i++)
		buf_init(&r->files[i]);
	buf_init(&r->entries);
	buf_init(&r->url);
	buf_init(&r->pending);
	r->first = x->docs;
}

static void record_pending(struct sindex_record *r)
{
	if (!r->pending_count)
		return;
	record_put_u32(&r->entries, (uint32_t)r->pending.len);
	buf_add(&r->entries, r->pending.data, r->pending.len);
	record_put_u64(&r->entries, r->pending_first);
	record_put_u64(&r->entries, r->pending_count);
	r->entry_count++;
	r->pending_count = 0;
}

/* The current entry's docs are all added: it is recorded (with docs). */
static void record_entry(struct sindex *x)
{
	struct sindex_record *r = &x->record;
	size_t count = x->docs - r->first;
	if (!count)
		return;
	buf_reset(&r->url);
	json_quote(&r->url, x->url.data, x->url.len);
	if (r->pending_count && r->url.len == r->pending.len &&
	    memcmp(r->url.data, r->pending.data, r->url.len) == 0) {
		r->pending_count += count;
	} else {
		record_pending(r);
		buf_reset(&r->pending);
		buf_add(&r->pending, r->url.data, r->url.len);
		r->pending_first = r->first;
		r->pending_count = count;
	}
	r->first = x->docs;
}

/* Makes the record into R->out once the entry file is written. */
static void record_finish(struct sindex *x)
{
	struct sindex_record *r = &x->record;
	record_pending(r);
	struct buf *out = r->out;
	buf_reset(out);
	record_put_u64(out, x->docs);
	record_put_u64(out, r->entry_len);
	record_put_u64(out, r->entry_digest);
	for (int i = 0; i < 3; i++) {
		record_put_u32(out, r->counts[i]);
		buf_add(out, r->files[i].data, r->files[i].len);
	}
	record_put_u32(out, r->entry_count);
	buf_add(out, r->entries.data, r->entries.len);
}

/* A file whose stamp goes in the record: where, and its name. */
struct stamp_slot {
	size_t at;
	char *path; /* owned */
};

struct stamping {
	struct buf *record;
	struct stamp_slot *slots;
	uint64_t since;
};

static void stamp_one(void *arg, size_t i, unsigned worker)
{
	struct stamping *s = arg;
	(void)worker;
	struct file_stamp stamp = file_stamp_settled(s->slots[i].path, s->since);
	record_set_stamp(s->record, s->slots[i].at, &stamp);
}

size_t sindex_record_stamp(struct buf *record, const char *output,
			   uint64_t since, unsigned threads, size_t *named)
{
	size_t named_count = 0;
	struct record_reader r = {(const unsigned char *)record->data,
				  (const unsigned char *)record->data + record->len,
				  true};
	record_get_u64(&r);
	record_get_u64(&r);
	record_get_u64(&r);
	static const char kinds[] = "tpd";
	struct buf rel;
	buf_init(&rel);
	struct stamp_slot *slots = NULL;
	size_t count = 0, cap = 0;
	for (int part = 0; part < 3 && r.ok; part++) {
		uint32_t files = record_get_u32(&r);
		for (uint32_t n = 0; n < files && r.ok; n++) {
			record_get_u64(&r);
			record_get_u64(&r);
			size_t at = (size_t)(r.p - (const unsigned char *)record->data);
			struct file_stamp known = record_get_stamp(&r);
			if (part == 2)
				record_get_u64(&r);
			if (!r.ok)
				break;
			named_count++;
			/* A file kept untouched has the stamp it had. */
			if (known.ino)
				continue;
			shard_name(&rel, kinds[part], n);
			slots = xgrow(slots, &cap, count + 1, sizeof *slots);
			slots[count++] = (struct stamp_slot){
			    at, path_join(output, rel.data)};
		}
	}
	buf_release(&rel);
	/* A stat each, 3,000 at 10,000 articles, at the end of the build:
	 * on every thread. Each puts its stamp in its own place. */
	struct stamping s = {record, slots, since};
	parallel_for(count, threads, stamp_one, &s);
	for (size_t i = 0; i < count; i++)
		free(slots[i].path);
	free(slots);
	if (named)
		*named = named_count;
	return count;
}

static void record_release(struct sindex_record *r)
{
	if (!r->out)
		return;
	for (int i = 0; i < 3; i++)
		buf_release(&r->files[i]);
	buf_release(&r->entries);
	buf_release(&r->url);
	buf_release(&r->pending);
}

void sindex_entry(struct sindex *x, const char *title, const char *url,
		  const char *date, const char *iso)
{
	if (x->record.out)
		record_entry(x);
	x->entries++;
	x->stats.entries++;
	buf_reset(&x->title);
	buf_reset(&x->url);
	buf_reset(&x->date);
	buf_reset(&x->iso);
	buf_adds(&x->title, title);
	buf_adds(&x->url, url);
	x->has_date = date != NULL;
	if (date) {
		buf_adds(&x->date, date);
		buf_adds(&x->iso, iso ? iso : date);
	}
	x->group_entry = -1;
	x->title_marked = false;
}

void sindex_doc(struct sindex *x, enum sindex_kind kind, const char *frag,
		const char *text, size_t len, const char *heading)
{
	bool whole = frag[0] == '\0';
	if (x->group_docs == 0)
		group_begin(x);
	group_add(x, kind, frag, text, len, heading);
	/* The title's words, for the bonus, once the entry has a doc of
	 * its own: an entry copied from the previous index needs none. */
	if (!x->title_marked) {
		words_each(&x->words, x->title.data, x->title.len,
			   on_title_word, x);
		x->title_marked = true;
	}

	x->touched_count = 0;
	x->weight = W_TEXT;
	words_each(&x->words, text, len, on_word, x);
	if (whole) {
		x->weight = W_TITLE;
		words_each(&x->words, x->title.data, x->title.len, on_word, x);
	} else if (heading) {
		x->weight = W_HEADING;
		words_each(&x->words, heading, strlen(heading), on_word, x);
	}
	uint32_t doc = (uint32_t)x->docs + 1;
	for (size_t i = 0; i < x->touched_count; i++) {
		struct sword *sw = &x->wv[x->touched[i]];
		uint32_t weight = sw->weight;
		if (!whole && sw->title_of == x->entries)
			weight += W_TITLE_BONUS;
		put_varint(x, sw, (doc - sw->prev_doc) << 1 | (weight != 1));
		if (weight != 1)
			put_varint(x, sw, weight);
		sw->prev_doc = doc;
	}
	x->docs++;
	if (x->group_docs == SINDEX_GROUP)
		group_end(x);
}

/* ---- term shards ---- */

/* Reads back a word's postings from its blocks. */
struct reader {
	const unsigned char *blocks;
	uint32_t block, pos, end_block, end_used;
};

static bool reader_more(const struct reader *r)
{
	return r->block && !(r->block == r->end_block && r->pos == r->end_used);
}

static uint32_t reader_varint(struct reader *r)
{
	uint32_t v = 0;
	for (int shift = 0;; shift += 7) {
		if (r->pos == BLOCK_DATA) {
			memcpy(&r->block, r->blocks + (size_t)r->block * BLOCK,
			       4);
			r->pos = 0;
		}
		unsigned char b =
		    r->blocks[(size_t)r->block * BLOCK + 4 + r->pos++];
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

/* Appends V in the alphabet: at most seven characters (35 bits), room
 * for which is made once. */
static void put_number(struct buf *out, uint32_t v)
{
	if (out->cap - out->len < 8)
		buf_grow(out, 8);
	char *p = out->data + out->len;
	while (v >= 32) {
		*p++ = alphabet[32 | (v & 31)];
		v >>= 5;
	}
	*p++ = alphabet[v];
	*p = '\0';
	out->len = (size_t)(p - out->data);
}

struct term_shard {
	struct buf words, lists;
	struct json jw, jl;
	size_t count;
};

static void term_shard_begin(struct term_shard *t)
{
	buf_reset(&t->words);
	buf_reset(&t->lists);
	json_init(&t->jw, &t->words, false);
	json_init(&t->jl, &t->lists, false);
	json_array_begin(&t->jw);
	json_array_begin(&t->jl);
	t->count = 0;
}

static void term_shard_end(struct sindex *x, struct term_shard *t,
			   size_t n)
{
	json_array_end(&t->jw);
	json_array_end(&t->jl);
	json_release(&t->jw);
	json_release(&t->jl);
	struct buf out, name;
	buf_init(&out);
	buf_init(&name);
	buf_addf(&out, "GLOSS_SEARCH_SHARD(\"t\",%zu,{\"words\":", n);
	buf_add(&out, t->words.data, t->words.len);
	buf_adds(&out, ",\"lists\":");
	buf_add(&out, t->lists.data, t->lists.len);
	buf_adds(&out, "});\n");
	shard_name(&name, 't', n);
	size_t old_len = 0;
	const char *old = x->prev ? sprev_term_shard(x->prev, n, &old_len) : NULL;
	emit_known(x, 't', n, name.data, out.data, out.len, old, old_len);
	buf_release(&out);
	buf_release(&name);
}

static void write_postings_file(struct sindex *x, const struct buf *chunk)
{
	struct buf out, name;
	buf_init(&out);
	buf_init(&name);
	buf_addf(&out, "GLOSS_SEARCH_SHARD(\"p\",%zu,", x->posting_files);
	json_quote(&out, chunk->data, chunk->len);
	buf_adds(&out, ");\n");
	size_t n = x->posting_files++, old_len = 0;
	shard_name(&name, 'p', n);
	const char *old = x->prev ? sprev_posting_file(x->prev, n, &old_len)
				  : NULL;
	emit_known(x, 'p', n, name.data, out.data, out.len, old, old_len);
	buf_release(&out);
	buf_release(&name);
}

/* How the previous index's docs are numbered in this one, by runs:
 * for each old doc, the end of the run it is in, a run being docs that
 * all keep their place relative to each other (old doc + 1 + SHIFT). A
 * dropped doc (renumber 0) is a run of its own. */
struct renumbering {
	const uint32_t *renumber; /* borrowed: sindex's */
	uint32_t *run_end;        /* owned: old doc -> old doc ending its run */
};

static void renumbering_init(struct renumbering *rn, const struct sindex *x)
{
	size_t docs = x->prev->docs;
	rn->renumber = x->renumber;
	rn->run_end = xmalloc((docs ? docs : 1) * sizeof *rn->run_end);
	for (size_t d = docs; d-- > 0;) {
		bool joined = d + 1 < docs && rn->renumber[d] &&
			      rn->renumber[d + 1] == rn->renumber[d] + 1;
		rn->run_end[d] = joined ? rn->run_end[d + 1] : (uint32_t)d + 1;
	}
}

/* Span F of the postings of the previous index's word IT names: its
 * list in the term shard (F 0 only), or its posting file F. False,
 * leaving *S and *END, past the last. */
static bool old_span(const struct sprev *prev, const struct sprev_words *it,
		     size_t f, const char **s, const char **end)
{
	if (!it->postings)
		return f < it->files &&
		       sprev_file_postings(prev, it->file + f, s, end);
	if (f > 0)
		return false;
	*s = it->postings;
	*end = it->postings + it->postings_len;
	return true;
}

/* Postings on their way into a term shard: read from a word's blocks as
 * they are written (most words, and every word of a fresh build, so
 * that the longest lists are never held twice), or, in a rebuild, those
 * of a previous word read where the previous index holds them,
 * renumbered, merged with those of the docs indexed again. Between two
 * postings of the previous index whose docs keep their place relative
 * to each other, the bytes are those the previous index has, and they
 * are copied a run at a time (src_copy_run). */
struct posting_src {
	struct reader r;
	uint32_t doc;
	const struct sprev_posting *v; /* merged: the fresh postings */
	size_t n, i;
	bool merged;
	const struct renumbering *rn;
	const struct sprev *prev;
	const struct sprev_words *it; /* the previous word */
	const char *s, *end;  /* the span of its postings being read */
	size_t span;          /* the next span to read (old_span) */
	uint32_t old1;        /* old doc + 1 of the posting before S, or 0 */
	bool chain;           /* the last posting given is the one before S */
	/* the next previous posting that is kept, when peeked */
	bool peeked;
	const char *p_next;
	uint32_t p_old1, p_new1, p_weight;
};

/* Finds the next posting of the previous index whose doc is kept,
 * stepping over those that are not; false when there is none. */
static bool src_peek(struct posting_src *s)
{
	while (!s->peeked) {
		if (s->s == s->end) {
			if (!old_span(s->prev, s->it, s->span++, &s->s, &s->end))
				return false;
			s->old1 = 0;
			s->chain = false;
			continue;
		}
		const char *p = s->s;
		uint32_t gap, weight;
		if (!sprev_read_posting(&p, s->end, &gap, &weight)) {
			/* Not reached: sprev_open checked every posting. No
			 * span is read after this one. */
			s->s = s->end;
			s->span = s->it->postings ? 1 : s->it->files;
			return false;
		}
		uint32_t old1 = s->old1 + gap, new1 = s->rn->renumber[old1 - 1];
		if (!new1) {
			s->s = p;
			s->old1 = old1;
			s->chain = false;
			continue;
		}
		s->peeked = true;
		s->p_next = p;
		s->p_old1 = old1;
		s->p_new1 = new1;
		s->p_weight = weight;
	}
	return true;
}

/* The next posting of a merged source: a fresh one, or the next kept
 * one of the previous index, whichever doc comes first. */
static void merged_next(struct posting_src *s, uint32_t *doc,
			uint32_t *weight)
{
	bool old = src_peek(s);
	if (s->i < s->n && (!old || s->v[s->i].doc + 1 < s->p_new1)) {
		*doc = s->v[s->i].doc + 1;
		*weight = s->v[s->i++].weight;
		s->chain = false;
		return;
	}
	*doc = s->p_new1;
	*weight = s->p_weight;
	s->s = s->p_next;
	s->old1 = s->p_old1;
	s->peeked = false;
	s->chain = true;
}

/* Inlined, as every posting of a fresh build comes through them. */
static inline bool src_more(struct posting_src *s)
{
	if (s->merged)
		return s->i < s->n || src_peek(s);
	return reader_more(&s->r);
}

static inline void src_next(struct posting_src *s, uint32_t *doc,
			    uint32_t *weight)
{
	if (s->merged) {
		merged_next(s, doc, weight);
		return;
	}
	uint32_t v = reader_varint(&s->r);
	s->doc += v >> 1;
	*doc = s->doc;
	*weight = v & 1 ? reader_varint(&s->r) : 1;
}

/* For a merged source: when the last posting given (of doc BASE - 1,
 * written just before) is of the previous index, appends to CHUNK the
 * bytes of the postings after it there that keep their place relative
 * to it, starting less than BUDGET bytes on; *BASE becomes the doc + 1
 * of the last. No fresh doc comes between them: the docs of a run are
 * numbered one after another here too. Returns whether it appended
 * any. */
static bool src_copy_run(struct posting_src *s, struct buf *chunk,
			 uint32_t *base, size_t budget)
{
	if (!s->chain || *base == 0)
		return false;
	/* The run of the last old doc given: old doc + 1 below LIMIT, each
	 * SHIFT on here. */
	int64_t shift = (int64_t)*base - s->old1;
	uint32_t limit = s->rn->run_end[s->old1 - 1] + 1, old1 = s->old1;
	const char *q = sprev_skip(s->s, s->end, &old1, limit, budget);
	if (q == s->s)
		return false;
	buf_add(chunk, s->s, (size_t)(q - s->s));
	s->s = q;
	s->old1 = old1;
	s->peeked = false;
	*base = (uint32_t)(old1 + shift);
	return true;
}

/* Appends the postings of SRC (ascending) to the shard T: inline, or in
 * posting files of their own when they are large. */
static void add_list(struct sindex *x, struct term_shard *t,
		     struct posting_src *src)
{
	struct buf *chunk = &x->scratch;
	size_t first_file = x->posting_files, files = 0;
	uint32_t base = 0;
	buf_reset(chunk);
	while (src_more(src)) {
		if (!src->merged ||
		    !src_copy_run(src, chunk, &base,
				  SINDEX_POSTINGS_BYTES - chunk->len)) {
			uint32_t doc, weight;
			src_next(src, &doc, &weight);
			bool weighted = weight != 1;
			put_number(chunk, (doc - base) << 1 | weighted);
			if (weighted)
				put_number(chunk, weight);
			base = doc;
		}
		if (chunk->len >= SINDEX_POSTINGS_BYTES && src_more(src)) {
			write_postings_file(x, chunk);
			files++;
			buf_reset(chunk);
			base = 0;
		}
	}
	if (!files && chunk->len <= SINDEX_INLINE_BYTES) {
		json_stringn(&t->jl, chunk->data, chunk->len);
		return;
	}
	write_postings_file(x, chunk);
	files++;
	json_array_begin(&t->jl);
	json_int(&t->jl, (long long)first_file);
	json_int(&t->jl, (long long)files);
	json_array_end(&t->jl);
}

static struct posting_src blocks_src(const struct sindex *x,
				     const struct sword *sw)
{
	return (struct posting_src){
	    .r = {x->blocks, sw->head, 0, sw->tail, sw->used}};
}

static void postings_add(struct sprev_postings *out, uint32_t doc,
			 uint32_t weight)
{
	if (out->n == out->cap)
		out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	out->v[out->n++] = (struct sprev_posting){doc, weight};
}

/* SW's postings, read back from its blocks, into OUT. */
static void word_postings(const struct sindex *x, const struct sword *sw,
			  struct sprev_postings *out)
{
	struct posting_src src = blocks_src(x, sw);
	while (src_more(&src)) {
		uint32_t doc, weight;
		src_next(&src, &doc, &weight);
		postings_add(out, doc - 1, weight);
	}
}

/* The postings of the previous index's word IT names, merged with
 * FRESH, those of the docs indexed again (numbered as here). */
static struct posting_src merged_src(const struct renumbering *rn,
				     const struct sprev *prev,
				     const struct sprev_words *it,
				     const struct sprev_postings *fresh)
{
	return (struct posting_src){.merged = true, .rn = rn, .prev = prev,
				    .it = it, .v = fresh->v, .n = fresh->n};
}

struct sorted_word {
	const char *key;
	uint32_t len, id;
};

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int cmp_words(const void *pa, const void *pb)
{
	const struct sorted_word *a = pa, *b = pb;
	return cmp_bytes(a->key, a->len, b->key, b->len);
}

/* The term shards being written, and the first word of each. */
struct terms_out {
	struct term_shard t;
	struct buf firsts;
	struct json jf;
	size_t shards;
};

/* Whether every posting of the previous index's word IT names is of a
 * doc copied into this index with the number it had: its postings, and
 * so their bytes, are as they were. Read a run of such docs at a time. */
static bool kept_as_is(const struct renumbering *rn, const struct sprev *prev,
		       const struct sprev_words *it)
{
	const char *s, *end;
	for (size_t f = 0; old_span(prev, it, f, &s, &end); f++) {
		uint32_t old1 = 0;
		while (s < end) {
			uint32_t gap, weight;
			if (!sprev_read_posting(&s, end, &gap, &weight))
				return false;
			old1 += gap;
			if (rn->renumber[old1 - 1] != old1)
				return false;
			s = sprev_skip(s, end, &old1,
				       rn->run_end[old1 - 1] + 1, SIZE_MAX);
		}
	}
	return true;
}

/* Adds a word's postings as the previous index holds them (IT's last
 * word), when they are kept as is: a list in the term shard is copied;
 * posting files are kept when they take the same numbers here, which
 * then gives them the same bytes. False when they cannot be copied. */
static bool add_list_as_was(struct sindex *x, struct term_shard *t,
			    const struct sprev_words *it)
{
	if (it->postings) {
		json_stringn(&t->jl, it->postings, it->postings_len);
		x->stats.lists_kept++;
		return true;
	}
	if (it->file != x->posting_files)
		return false;
	struct buf name;
	buf_init(&name);
	for (size_t f = 0; f < it->files; f++) {
		size_t len;
		const char *data = sprev_posting_file(x->prev, it->file + f, &len);
		if (!data) {
			/* Not reached: sprev_words_next read them. */
			buf_release(&name);
			return false;
		}
		shard_name(&name, 'p', x->posting_files + f);
		emit_as_was(x, 'p', it->file + f, name.data, data, len);
	}
	buf_release(&name);
	x->posting_files += it->files;
	x->stats.lists_kept++;
	x->stats.files_kept += it->files;
	json_array_begin(&t->jl);
	json_int(&t->jl, (long long)it->file);
	json_int(&t->jl, (long long)it->files);
	json_array_end(&t->jl);
	return true;
}

/* Adds a word to the term shards, its postings from P, or, when AS_WAS
 * is not NULL, copied from the previous index if they can be. */
static void terms_add(struct sindex *x, struct terms_out *o, const char *word,
		      size_t len, struct posting_src *p,
		      const struct sprev_words *as_was)
{
	if (o->t.count == 0) {
		term_shard_begin(&o->t);
		json_stringn(&o->jf, word, len);
	}
	json_stringn(&o->t.jw, word, len);
	if (!as_was || !add_list_as_was(x, &o->t, as_was))
		add_list(x, &o->t, p);
	o->t.count++;
	if (o->t.words.len + o->t.lists.len >= SINDEX_TERM_SHARD_BYTES) {
		term_shard_end(x, &o->t, o->shards++);
		o->t.count = 0;
	}
}

/* A word of the docs of the previous index that are not copied, and
 * its postings in them, as sindex_doc gave them (docs numbered there,
 * the first 0). */
struct dropped_word {
	char *word; /* owned; the map's key */
	struct sprev_postings postings;
	/* in the doc being read: its weight there, and that doc + 1 */
	uint32_t weight, doc1;
	uint32_t title_doc1; /* a doc + 1 whose entry's title has the word */
};

/* A dropped doc being read: its words, with the weight of what they
 * are in, as on_word and on_title_word count them. */
struct dropped_doc {
	struct map *words;
	uint32_t doc1, weight;
	bool titles; /* the entry's title: marked, not counted */
	struct dropped_word **touched;
	size_t touched_count, touched_cap;
};

static struct dropped_word *dropped_get(struct map *words, const char *s)
{
	struct dropped_word *dw = map_get(words, s);
	if (!dw) {
		dw = xcalloc(1, sizeof *dw);
		dw->word = xstrdup(s);
		map_put(words, dw->word, dw);
	}
	return dw;
}

/* words_each callback: a word of a dropped doc (ARG). */
static void on_dropped_word(void *arg, const char *s, size_t len,
			    uint32_t hash)
{
	(void)len;
	(void)hash;
	struct dropped_doc *dd = arg;
	struct dropped_word *dw = dropped_get(dd->words, s);
	if (dd->titles) {
		dw->title_doc1 = dd->doc1;
		return;
	}
	if (dw->doc1 != dd->doc1) {
		dw->doc1 = dd->doc1;
		dw->weight = 0;
		dd->touched = xgrow(dd->touched, &dd->touched_cap,
				    dd->touched_count + 1, sizeof *dd->touched);
		dd->touched[dd->touched_count++] = dw;
	}
	dw->weight += dd->weight;
}

/* The postings dropped doc D had: its words' weights, as sindex_doc
 * counts them, added to their postings. */
static void dropped_doc(struct sindex *x, struct dropped_doc *dd, size_t d,
			bool whole, const struct buf *text,
			const struct buf *other, const struct buf *title)
{
	dd->doc1 = (uint32_t)d + 1;
	dd->touched_count = 0;
	dd->titles = true;
	words_each(&x->words, title->data, title->len, on_dropped_word, dd);
	dd->titles = false;
	dd->weight = W_TEXT;
	words_each(&x->words, text->data, text->len, on_dropped_word, dd);
	dd->weight = whole ? W_TITLE : W_HEADING;
	words_each(&x->words, other->data, other->len, on_dropped_word, dd);
	for (size_t i = 0; i < dd->touched_count; i++) {
		struct dropped_word *dw = dd->touched[i];
		uint32_t weight = dw->weight;
		if (!whole && dw->title_doc1 == dd->doc1)
			weight += W_TITLE_BONUS;
		struct sprev_postings *p = &dw->postings;
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
		p->v[p->n++] = (struct sprev_posting){(uint32_t)d, weight};
	}
}

/* The words of the docs of the previous index that are not copied (the
 * docs of the entries indexed again, and of entries gone), into WORDS
 * (struct dropped_word), with their postings in those docs: the words of
 * the doc's text, and of its entry's title or its heading, as sindex_doc
 * took them, read back from the previous doc shards.
 * True when every other doc keeps its number, and every dropped doc is
 * read: then a word of the previous index that is not in WORDS is in
 * docs that keep their numbers only, and kept as is without walking its
 * postings (kept_as_is); and a word whose postings in the docs indexed
 * again are those it had in the dropped docs has the postings it had
 * (same_as_dropped). False, WORDS then not to be used, otherwise, or
 * when the dropped docs are too many for it to be worth reading them. */
static bool dropped_words(struct sindex *x, struct map *words)
{
	const struct sprev *prev = x->prev;
	size_t dropped = 0;
	for (size_t d = 0; d < prev->docs; d++) {
		if (x->renumber[d] == 0)
			dropped++;
		else if (x->renumber[d] != d + 1)
			return false;
	}
	if (dropped > prev->docs / 8 + SINDEX_GROUP)
		return false;
	struct buf text, other, title;
	buf_init(&text);
	buf_init(&other);
	buf_init(&title);
	struct dropped_doc dd = {.words = words};
	bool ok = true;
	for (size_t d = 0; ok && d < prev->docs; d++) {
		if (x->renumber[d] != 0)
			continue;
		size_t run = 1;
		while (d + run < prev->docs && x->renumber[d + run] == 0)
			run++;
		ok = sprev_load_shards(x->prev, d, run);
		for (size_t i = d; ok && i < d + run; i++) {
			bool whole;
			ok = sprev_doc_source(x->prev, i, &whole, &text, &other,
					      &title);
			if (ok)
				dropped_doc(x, &dd, i, whole, &text, &other,
					    &title);
		}
		d += run - 1;
	}
	free(dd.touched);
	buf_release(&text);
	buf_release(&other);
	buf_release(&title);
	return ok;
}

/* Whether the postings FRESH of a word in the docs indexed again (as
 * numbered here, when every doc kept keeps its number: dropped_words
 * true) are those it had in the dropped docs (WORDS): then the docs
 * indexed again took the places of the dropped ones, and the word's
 * postings are what they were, which an edit of one note leaves most
 * words of the entry it is in. */
static bool same_as_dropped(const struct map *words, const char *word,
			    const struct sprev_postings *fresh)
{
	const struct dropped_word *dw = map_get(words, word);
	if (!dw || dw->postings.n != fresh->n)
		return false;
	for (size_t i = 0; i < fresh->n; i++)
		if (dw->postings.v[i].doc != fresh->v[i].doc ||
		    dw->postings.v[i].weight != fresh->v[i].weight)
			return false;
	return true;
}

/* Whether WORD had postings in the dropped docs (WORDS also holds the
 * words of their entries' titles, which alone give none). */
static bool in_dropped(const struct map *words, const char *word)
{
	const struct dropped_word *dw = map_get(words, word);
	return dw && dw->postings.n;
}

static void free_word_set(struct map *words)
{
	for (size_t i = 0; i < words->cap; i++) {
		struct dropped_word *dw = map_value_at(words, i);
		if (!map_key_at(words, i) || !dw)
			continue;
		free(dw->postings.v);
		free(dw->word);
		free(dw);
	}
	map_release(words);
}

/* Every word, sorted, into term shards: this index's words, and in a
 * rebuild those of the previous index with the postings of the docs
 * copied from it. */
static void write_terms(struct sindex *x, struct terms_out *o)
{
	struct sorted_word *sorted =
	    xmalloc((x->wcount ? x->wcount : 1) * sizeof *sorted);
	for (size_t i = 0; i < x->wcount; i++)
		sorted[i] = (struct sorted_word){x->keys.data + x->wv[i].key,
						 x->wv[i].len, (uint32_t)i};
	qsort(sorted, x->wcount, sizeof *sorted, cmp_words);

	struct sprev_words it;
	struct sprev_postings fresh = {0};
	struct renumbering rn = {0};
	struct buf old_word;
	buf_init(&old_word);
	bool have_old = false;
	struct map dropped;
	bool by_dropped = false;
	map_init(&dropped);
	if (x->prev && x->stats.reused) {
		by_dropped = dropped_words(x, &dropped);
		renumbering_init(&rn, x);
		sprev_words_begin(&it, x->prev);
		have_old = sprev_words_next(&it, &old_word, NULL);
	}
	size_t i = 0;
	while (i < x->wcount || have_old) {
		int c = !have_old ? -1
			: i == x->wcount
			    ? 1
			    : cmp_bytes(sorted[i].key, sorted[i].len,
					old_word.data, old_word.len);
		const char *word = c <= 0 ? sorted[i].key : old_word.data;
		size_t len = c <= 0 ? sorted[i].len : old_word.len;
		struct posting_src src;
		const struct sprev_words *as_was = NULL;
		if (c < 0) {
			/* Only here: straight from its blocks. */
			src = blocks_src(x, &x->wv[sorted[i].id]);
		} else {
			fresh.n = 0;
			if (c == 0) {
				word_postings(x, &x->wv[sorted[i].id], &fresh);
				/* In the docs indexed again as it was: as it
				 * was, without walking its postings. */
				if (by_dropped &&
				    same_as_dropped(&dropped, old_word.data,
						    &fresh))
					as_was = &it;
			} else if ((by_dropped &&
				    !in_dropped(&dropped, old_word.data)) ||
				   kept_as_is(&rn, x->prev, &it))
				/* Only there, in docs that keep their
				 * numbers: as it was, which the edit of one
				 * note leaves most words. */
				as_was = &it;
			src = merged_src(&rn, x->prev, &it, &fresh);
		}
		/* A word only in docs indexed again is gone. */
		if (src_more(&src))
			terms_add(x, o, word, len, &src, as_was);
		if (c <= 0)
			i++;
		if (c >= 0)
			have_old = sprev_words_next(&it, &old_word, NULL);
	}
	if (o->t.count)
		term_shard_end(x, &o->t, o->shards++);
	free(fresh.v);
	free(rn.run_end);
	free_word_set(&dropped);
	buf_release(&old_word);
	free(sorted);
}

void sindex_finish(struct sindex *x, struct sindex_stats *st)
{
	group_end(x);
	if (x->record.out)
		record_entry(x);

	struct terms_out o = {.shards = 0};
	buf_init(&o.t.words);
	buf_init(&o.t.lists);
	buf_init(&o.firsts);
	json_init(&o.jf, &o.firsts, false);
	json_array_begin(&o.jf);
	write_terms(x, &o);
	json_array_end(&o.jf);
	json_release(&o.jf);
	buf_release(&o.t.words);
	buf_release(&o.t.lists);

	struct buf out;
	struct json j;
	buf_init(&out);
	buf_addf(&out,
		 "window.GLOSS_SEARCH = {\"version\":%d,\"docs\":%zu,"
		 "\"group\":%d,\"prefix\":%d,\"wordChars\":%d,\"kinds\":",
		 SINDEX_VERSION, x->docs, SINDEX_GROUP, SINDEX_PREFIX_CHARS,
		 WORDS_MAX_CHARS);
	json_init(&j, &out, false);
	json_array_begin(&j);
	for (size_t k = 0; k < SINDEX_KIND_COUNT; k++)
		json_string(&j, kind_names[k]);
	json_array_end(&j);
	json_release(&j);
	buf_adds(&out, ",\"terms\":");
	buf_add(&out, o.firsts.data, o.firsts.len);
	buf_adds(&out, "};\n");
	emit(x, 0, SEARCH_INDEX, &out);
	if (x->record.out)
		record_finish(x);
	buf_release(&out);
	buf_release(&o.firsts);
	*st = x->stats;
}

void sindex_release(struct sindex *x)
{
	json_release(&x->je);
	json_release(&x->jd);
	words_release(&x->words);
	free(x->wv);
	free(x->slots);
	free(x->blocks);
	free(x->touched);
	buf_release(&x->keys);
	buf_release(&x->title);
	buf_release(&x->url);
	buf_release(&x->date);
	buf_release(&x->iso);
	buf_release(&x->d_entries);
	buf_release(&x->d_docs);
	buf_release(&x->scratch);
	buf_release(&x->quoted);
	free(x->renumber);
	runs_clear(x);
	free(x->runs);
	record_release(&x->record);
	memset(x, 0, sizeof *x);
}
