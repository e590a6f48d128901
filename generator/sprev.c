#include "sprev.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "digest.h"
#include "fsutil.h"
#include "json.h"
#include "jscan.h"
#include "record.h"
#include "sindex.h"
#include "xalloc.h"

/* No file of an index gloss writes comes near this. */
#define FILE_LIMIT ((size_t)1 << 30)

struct sprev_range {
	size_t first, count;
	bool twice; /* the entry's docs are in two places */
};

/* The path of file N of KIND (0: the entry file) in the previous site,
 * for the caller to free; NULL when gloss did not write it there. */
static char *index_file_path(const struct sprev *p, char kind, size_t n)
{
	char rel[64];
	if (kind)
		snprintf(rel, sizeof rel, "search/%c/%zu.js", kind, n);
	else
		snprintf(rel, sizeof rel, "%s", SEARCH_INDEX);
	return writer_prev_file(p->w, rel);
}

static char *read_index_file(const struct sprev *p, char kind, size_t n,
			     size_t *len)
{
	char *path = index_file_path(p, kind, n);
	char *data = NULL;
	*len = 0;
	if (path && read_file(path, FILE_LIMIT, &data, len) != 0) {
		free(data);
		data = NULL;
	}
	free(path);
	return data;
}

/* Maps file N of KIND into *M: term shards and posting files, which are
 * held through the build and read in part, are not copied. */
static bool map_index_file(const struct sprev *p, char kind, size_t n,
			   struct mapped_file *m)
{
	char *path = index_file_path(p, kind, n);
	bool ok = path && mapped_file_open(path, FILE_LIMIT, m) == 0;
	free(path);
	return ok;
}

/* The start of shard file N of KIND: GLOSS_SEARCH_SHARD("K",N, */
static bool shard_head(struct jscan *sc, char kind, size_t n)
{
	char head[64];
	size_t got;
	snprintf(head, sizeof head, "GLOSS_SEARCH_SHARD(\"%c\",", kind);
	return jscan_lit(sc, head) && jscan_number(sc, &got) && got == n && jscan_lit(sc, ",");
}

/* ---- doc shards ---- */

static void shard_free(struct sprev_shard *sh)
{
	free(sh->data);
	free(sh->url);
	free(sh->url_len);
	free(sh->title);
	free(sh->entry);
	free(sh->rest);
	free(sh->rest_len);
	memset(sh, 0, sizeof *sh);
}

/* An entry: [title, url] or [title, url, date, iso]. */
static bool shard_entry(struct jscan *sc, struct sprev_shard *sh)
{
	const char *url, *title;
	size_t url_len, fields = 2;
	if (!jscan_lit(sc, "["))
		return false;
	jscan_space(sc);
	title = sc->s;
	if (!jscan_string(sc, NULL, NULL, NULL) || !jscan_lit(sc, ",") ||
	    !jscan_string(sc, NULL, &url, &url_len))
		return false;
	while (jscan_lit(sc, ",")) {
		if (!jscan_string(sc, NULL, NULL, NULL))
			return false;
		fields++;
	}
	if (fields != 2 && fields != 4)
		return false;
	if (sh->entry_count == sh->entry_cap) {
		size_t cap = sh->entry_cap;
		sh->url = xgrow(sh->url, &cap, sh->entry_count + 1,
				sizeof *sh->url);
		cap = sh->entry_cap;
		sh->title = xgrow(sh->title, &cap, sh->entry_count + 1,
				  sizeof *sh->title);
		cap = sh->entry_cap;
		sh->url_len = xgrow(sh->url_len, &sh->entry_cap,
				    sh->entry_count + 1, sizeof *sh->url_len);
	}
	sh->title[sh->entry_count] = (size_t)(title - sh->data);
	sh->url[sh->entry_count] = (size_t)(url - sh->data);
	sh->url_len[sh->entry_count++] = url_len;
	return jscan_lit(sc, "]");
}

/* A doc: [entry, kind, fragment, text] or with a heading after them. */
static bool shard_doc(struct jscan *sc, struct sprev_shard *sh)
{
	size_t entry, kind, fields = 2;
	if (!jscan_lit(sc, "[") || !jscan_number(sc, &entry) || entry >= sh->entry_count)
		return false;
	const char *rest = sc->s;
	if (!jscan_lit(sc, ",") || !jscan_number(sc, &kind) || kind >= SINDEX_KIND_COUNT)
		return false;
	while (jscan_lit(sc, ",")) {
		if (!jscan_string(sc, NULL, NULL, NULL))
			return false;
		fields++;
	}
	if ((fields != 4 && fields != 5) || !jscan_lit(sc, "]"))
		return false;
	if (sh->count == sh->cap) {
		size_t cap = sh->cap;
		sh->entry = xgrow(sh->entry, &cap, sh->count + 1,
				  sizeof *sh->entry);
		cap = sh->cap;
		sh->rest = xgrow(sh->rest, &cap, sh->count + 1,
				 sizeof *sh->rest);
		sh->rest_len = xgrow(sh->rest_len, &sh->cap, sh->count + 1,
				     sizeof *sh->rest_len);
	}
	sh->entry[sh->count] = entry;
	sh->rest[sh->count] = (size_t)(rest - sh->data);
	sh->rest_len[sh->count++] = (size_t)(sc->s - rest);
	return true;
}

/* Reads doc shard N, which must hold WANT docs. */
static bool read_doc_shard(const struct sprev *p, size_t n, size_t want,
			   struct sprev_shard *sh)
{
	size_t len;
	memset(sh, 0, sizeof *sh);
	sh->data = read_index_file(p, 'd', n, &len);
	if (!sh->data)
		return false;
	struct jscan sc = {sh->data, sh->data + len};
	sh->len = len;
	bool ok = shard_head(&sc, 'd', n) && jscan_lit(&sc, "{\"entries\":[");
	sh->entries_at = ok ? (size_t)(sc.s - sh->data) - 1 : 0;
	ok = ok && shard_entry(&sc, sh);
	while (ok && jscan_lit(&sc, ","))
		ok = shard_entry(&sc, sh);
	sh->entries_len = ok ? (size_t)(sc.s - sh->data) + 1 - sh->entries_at : 0;
	ok = ok && jscan_lit(&sc, "],\"docs\":[") && shard_doc(&sc, sh);
	while (ok && jscan_lit(&sc, ","))
		ok = shard_doc(&sc, sh);
	ok = ok && jscan_lit(&sc, "]});\n") && sc.s == sc.end && sh->count == want;
	if (!ok)
		shard_free(sh);
	return ok;
}

static bool same_url(const struct sprev_shard *sh, size_t doc,
		     const char *quoted, size_t quoted_len)
{
	size_t e = sh->entry[doc];
	return sh->url_len[e] == quoted_len &&
	       memcmp(sh->data + sh->url[e], quoted, quoted_len) == 0;
}

uint64_t sprev_entries_digest(const char *entries, size_t len)
{
	struct digest x = digest_new(SINDEX_VERSION);
	digest_bytes(&x, entries, len);
	return x.h;
}

uint64_t sprev_file_digest(const char *data, size_t len)
{
	return XXH3_64bits(data, len);
}

static size_t shard_count(const struct sprev *p)
{
	return (p->docs + SINDEX_GROUP - 1) / SINDEX_GROUP;
}

static void shards_alloc(struct sprev *p)
{
	size_t shards = shard_count(p);
	p->shard_entries = xcalloc(shards + 1, sizeof *p->shard_entries);
	p->shard_size = xcalloc(shards + 1, sizeof *p->shard_size);
	p->shard_digest = xcalloc(shards + 1, sizeof *p->shard_digest);
}

/* The entry at QUOTED (LEN bytes, no NUL) has docs FIRST to FIRST +
 * COUNT - 1: an entry found in two places cannot be copied. */
static void entry_put(struct sprev *p, const char *quoted, size_t len,
		      size_t first, size_t count)
{
	char *key = xstrndup(quoted, len);
	struct sprev_range *r = map_get(&p->entries, key);
	if (r) {
		r->twice = true;
		free(key);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->first = first;
	r->count = count;
	map_put(&p->entries, key, r);
}

/* Where each entry's docs are, from every doc shard; and each shard's
 * entries digest, size and digest, for sprev_shard_same. */
static bool map_entries(struct sprev *p)
{
	size_t shards = shard_count(p);
	shards_alloc(p);
	/* The entry of the docs so far: LAST, from FIRST, COUNT of them */
	struct buf last;
	buf_init(&last);
	size_t first = 0, count = 0;
	bool ok = true;
	for (size_t n = 0; ok && n < shards; n++) {
		struct sprev_shard sh;
		size_t want = n + 1 < shards ? SINDEX_GROUP
					     : p->docs - n * SINDEX_GROUP;
		if (!read_doc_shard(p, n, want, &sh)) {
			ok = false;
			break;
		}
		p->shard_entries[n] = sprev_entries_digest(
		    sh.data + sh.entries_at, sh.entries_len);
		p->shard_size[n] = sh.len;
		p->shard_digest[n] = sprev_file_digest(sh.data, sh.len);
		for (size_t d = 0; d < sh.count; d++) {
			if (count && same_url(&sh, d, last.data, last.len)) {
				count++;
				continue;
			}
			if (count)
				entry_put(p, last.data, last.len, first, count);
			size_t e = sh.entry[d];
			buf_reset(&last);
			buf_add(&last, sh.data + sh.url[e], sh.url_len[e]);
			first = n * SINDEX_GROUP + d;
			count = 1;
		}
		shard_free(&sh);
	}
	if (ok && count)
		entry_put(p, last.data, last.len, first, count);
	buf_release(&last);
	return ok;
}

/* ---- term shards and posting files ---- */

/* The value of each character of the postings' alphabet, -1 for any
 * other byte. */
static signed char alphabet_value[256];
static pthread_once_t alphabet_once = PTHREAD_ONCE_INIT;

static void alphabet_init(void)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789-_";
	memset(alphabet_value, -1, sizeof alphabet_value);
	for (int i = 0; i < 64; i++)
		alphabet_value[(unsigned char)alphabet[i]] = (signed char)i;
}

static bool posting_number(const char **s, const char *end, uint32_t *out)
{
	const signed char *val = alphabet_value;
	uint64_t v = 0;
	for (int shift = 0; shift <= 35; shift += 5) {
		if (*s == end)
			return false;
		int c = val[(unsigned char)*(*s)++];
		if (c < 0)
			return false;
		v |= (uint64_t)(c & 31) << shift;
		if (c < 32) {
			if (v > UINT32_MAX)
				return false;
			*out = (uint32_t)v;
			return true;
		}
	}
	return false;
}

/* posting_number, with numbers of one or two characters (most of them)
 * read without its loop. */
static inline bool read_number(const char **s, const char *end, uint32_t *v)
{
	const char *p = *s;
	int c = p < end ? alphabet_value[(unsigned char)*p] : -1;
	if (c >= 0 && c < 32) {
		*v = (uint32_t)c;
		*s = p + 1;
		return true;
	}
	if (c >= 32 && end - p >= 2) {
		int c1 = alphabet_value[(unsigned char)p[1]];
		if (c1 >= 0 && c1 < 32) {
			*v = (uint32_t)(c & 31) | (uint32_t)c1 << 5;
			*s = p + 2;
			return true;
		}
	}
	return posting_number(s, end, v);
}

/* sprev_read_posting, inlined where postings are stepped over. */
static inline bool read_posting(const char **s, const char *end,
				uint32_t *gap, uint32_t *weight)
{
	const char *p = *s;
	uint32_t v, w = 1;
	if (!read_number(&p, end, &v) || v >> 1 == 0 ||
	    ((v & 1) && (!read_number(&p, end, &w) || w < 2)))
		return false;
	*gap = v >> 1;
	*weight = w;
	*s = p;
	return true;
}

bool sprev_read_posting(const char **s, const char *end, uint32_t *gap,
			uint32_t *weight)
{
	pthread_once(&alphabet_once, alphabet_init);
	return read_posting(s, end, gap, weight);
}

#ifdef __SSE2__
/* The byte mask of the sixteen bits of M. */
static __m128i byte_mask(unsigned m)
{
	const __m128i bit = _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 1,
					  2, 4, 8, 16, 32, 64, (char)128);
	__m128i spread = _mm_unpacklo_epi64(_mm_set1_epi8((char)(m & 0xff)),
					    _mm_set1_epi8((char)(m >> 8)));
	return _mm_cmpeq_epi8(_mm_and_si128(spread, bit), bit);
}

static __m128i in_range(__m128i b, char lo, char hi)
{
	/* Signed compares: bytes above 0x7f are in no range here. */
	return _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8((char)(lo - 1))),
			     _mm_cmplt_epi8(b, _mm_set1_epi8((char)(hi + 1))));
}

/* The postings that start and end within the sixteen bytes at S, when
 * every number there is of one or two characters: the sum of their gaps,
 * and how many bytes they take in *LEN (at least 1). -1 when a number is
 * longer, or a byte is not in the alphabet, or a number may be no gap or
 * weight (a gap of 0 or a weight below 2): sprev_skip's loop then reads
 * them one at a time, to the letter of the rule. */
static int block_gaps(const char *s, size_t *len)
{
	__m128i b = _mm_loadu_si128((const __m128i *)s);
	__m128i upper = in_range(b, 'A', 'Z'), lower = in_range(b, 'a', 'z');
	__m128i digit = in_range(b, '0', '9');
	__m128i dash = _mm_cmpeq_epi8(b, _mm_set1_epi8('-'));
	__m128i under = _mm_cmpeq_epi8(b, _mm_set1_epi8('_'));
	__m128i any = _mm_or_si128(_mm_or_si128(upper, lower),
				   _mm_or_si128(digit, _mm_or_si128(dash, under)));
	if (_mm_movemask_epi8(any) != 0xffff)
		return -1;
	/* Each byte's value: the byte less its range's first byte, plus
	 * that byte's value (A 0, a 26, 0 52, - 62, _ 63). */
	__m128i base = _mm_or_si128(
	    _mm_or_si128(_mm_and_si128(upper, _mm_set1_epi8('A' - 0)),
			 _mm_and_si128(lower, _mm_set1_epi8('a' - 26))),
	    _mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8('0' - 52)),
			 _mm_or_si128(_mm_and_si128(dash, _mm_set1_epi8('-' - 62)),
				      _mm_and_si128(under,
						    _mm_set1_epi8('_' - 63)))));
	__m128i values = _mm_sub_epi8(b, base);
	__m128i v31 = _mm_and_si128(values, _mm_set1_epi8(31));
	/* Numbers end at values below 32; a byte after an end starts one. */
	unsigned ends = (unsigned)_mm_movemask_epi8(
	    _mm_cmplt_epi8(values, _mm_set1_epi8(32)));
	unsigned starts = ((ends << 1) | 1) & 0xffff, more = ~ends & 0xffff;
	if (more & ~starts)
		return -1; /* a number of three characters or more */
	unsigned ge1 = (unsigned)_mm_movemask_epi8(
	    _mm_cmpgt_epi8(v31, _mm_setzero_si128()));
	unsigned ge2 = (unsigned)_mm_movemask_epi8(
	    _mm_cmpgt_epi8(v31, _mm_set1_epi8(1)));
	/* A number of one character below 2, or of two ending in 0, may be
	 * below 2. */
	if ((starts & ends & ~ge2) || (ends & ~starts & ~ge1))
		return -1;
	/* The bytes up to the last number that ends here. */
	unsigned n = ends ? 32 - (unsigned)__builtin_clz(ends) : 0;
	if (n == 0)
		return -1;
	/* Odd numbers, marked at their end, want the next number as their
	 * weight. */
	unsigned odd = (unsigned)_mm_movemask_epi8(
	    _mm_slli_epi16(_mm_and_si128(values, _mm_set1_epi8(1)), 7));
	unsigned odd_ends = ((odd & starts & ends) | ((odd & starts & more) << 1)) &
			    ends;
	unsigned weights = 0;
	for (unsigned m = odd_ends & ((1u << n) - 1); m; m &= m - 1) {
		unsigned k = (unsigned)__builtin_ctz(m);
		if (weights >> k & 1)
			continue; /* a weight, odd or not, wants none */
		unsigned after = ends & ~((2u << k) - 1) & ((1u << n) - 1);
		if (!after) {
			/* Its weight is beyond: stop before this gap. */
			n = k > 0 && (more >> (k - 1) & 1) ? k - 1 : k;
			break;
		}
		weights |= 1u << __builtin_ctz(after);
	}
	if (n == 0)
		return -1;
	unsigned taken = (1u << n) - 1;
	unsigned weight_bytes = weights | ((weights >> 1) & more);
	unsigned gap_bytes = taken & ~weight_bytes;
	/* A gap is its first character's value / 2, plus 16 times its
	 * second's. */
	__m128i firsts = _mm_and_si128(
	    byte_mask(gap_bytes & starts),
	    _mm_and_si128(_mm_srli_epi16(v31, 1), _mm_set1_epi8(15)));
	__m128i seconds = _mm_and_si128(byte_mask(gap_bytes & ~starts), v31);
	__m128i lo = _mm_sad_epu8(firsts, _mm_setzero_si128());
	__m128i hi = _mm_sad_epu8(seconds, _mm_setzero_si128());
	*len = n;
	return _mm_cvtsi128_si32(lo) + _mm_extract_epi16(lo, 4) +
	       16 * (_mm_cvtsi128_si32(hi) + _mm_extract_epi16(hi, 4));
}
#endif

const char *sprev_skip(const char *s, const char *end, uint32_t *doc1,
		       uint32_t limit, size_t budget)
{
	const char *start = s;
	uint32_t d = *doc1;
	pthread_once(&alphabet_once, alphabet_init);
	while (s < end && (size_t)(s - start) < budget) {
#ifdef __SSE2__
		/* Sixteen bytes at once, when every number there is of one
		 * or two characters and the last posting is still below
		 * LIMIT. */
		if (end - s >= 16 && budget - (size_t)(s - start) >= 16) {
			size_t len;
			int sum = block_gaps(s, &len);
			if (sum >= 0 && (uint64_t)d + (uint32_t)sum < limit) {
				d += (uint32_t)sum;
				s += len;
				continue;
			}
		}
#endif
		const char *p = s;
		uint32_t gap, weight;
		if (!read_posting(&p, end, &gap, &weight) ||
		    (uint64_t)d + gap >= limit)
			break;
		d += gap;
		s = p;
	}
	*doc1 = d;
	return s;
}

/* Postings of one list or one posting file: the first counts from 0,
 * which is doc -1; every doc after IT->last and within the docs. When
 * they are only checked (OUT NULL), all but the first are stepped over
 * by sprev_skip. */
static bool decode_postings(struct sprev_words *it, const char *s,
			    const char *end, struct sprev_postings *out)
{
	uint32_t base = 0, last = it->last, docs = it->p->docs;
	while (s < end) {
		uint32_t gap, weight;
		if (!read_posting(&s, end, &gap, &weight))
			return false;
		uint64_t doc1 = (uint64_t)base + gap;
		if (doc1 <= last || doc1 > docs)
			return false;
		if (out) {
			if (out->n == out->cap)
				out->v = xgrow(out->v, &out->cap, out->n + 1,
					       sizeof *out->v);
			out->v[out->n++] = (struct sprev_posting){
			    (uint32_t)doc1 - 1, weight};
		}
		base = last = (uint32_t)doc1;
		if (!out) {
			s = sprev_skip(s, end, &last, docs + 1, SIZE_MAX);
			/* What it stopped at is not a posting within the
			 * docs. */
			if (s != end)
				return false;
		}
	}
	it->last = last;
	return true;
}

/* Posting file N: mapped now while sprev_open checks the index, else as
 * mapped then. */
static const struct mapped_file *posting_file(struct sprev *p, size_t n)
{
	if (n < p->post_count)
		return &p->posts[n];
	if (!p->opening || n != p->post_count)
		return NULL;
	struct mapped_file m;
	if (!map_index_file(p, 'p', n, &m))
		return NULL;
	struct jscan sc = {m.data, m.data + m.len};
	const char *raw;
	size_t raw_len;
	if (!shard_head(&sc, 'p', n) || !jscan_string(&sc, NULL, &raw, &raw_len) ||
	    !jscan_lit(&sc, ");\n") || sc.s != sc.end) {
		mapped_file_release(&m);
		return NULL;
	}
	p->posts = xgrow(p->posts, &p->post_cap, p->post_count + 1,
			 sizeof *p->posts);
	p->posts[p->post_count] = m;
	return &p->posts[p->post_count++];
}

/* The postings of posting file F, number N: between its quotes; *S and
 * *END are left as they were when it has none. */
static bool postings_in(const struct mapped_file *f, size_t n, const char **s,
			const char **end)
{
	struct jscan sc = {f->data, f->data + f->len};
	if (!shard_head(&sc, 'p', n) || !jscan_lit(&sc, "\""))
		return false;
	const char *quote = memchr(sc.s, '"', (size_t)(sc.end - sc.s));
	if (!quote)
		return false;
	*s = sc.s;
	*end = quote;
	return true;
}

static bool file_postings(struct sprev_words *it, size_t n,
			  struct sprev_postings *out)
{
	const struct mapped_file *f = posting_file(it->p, n);
	const char *s, *end;
	return f && postings_in(f, n, &s, &end) &&
	       decode_postings(it, s, end, out);
}

bool sprev_file_postings(const struct sprev *p, size_t n, const char **s,
			 const char **end)
{
	return n < p->post_count && postings_in(&p->posts[n], n, s, end);
}

const char *sprev_posting_file(const struct sprev *p, size_t n, size_t *len)
{
	if (n >= p->post_count)
		return NULL;
	*len = p->posts[n].len;
	return p->posts[n].data;
}

const char *sprev_term_shard(const struct sprev *p, size_t n, size_t *len)
{
	if (n >= p->term_count || !p->terms[n].data)
		return NULL;
	*len = p->terms[n].len;
	return p->terms[n].data;
}

void sprev_words_begin(struct sprev_words *it, struct sprev *p)
{
	memset(it, 0, sizeof *it);
	it->p = p;
}

/* Opens term shard IT->shard: its words and lists. */
static bool term_shard_open(struct sprev_words *it)
{
	const struct mapped_file *f = &it->p->terms[it->shard];
	struct jscan sc = {f->data, f->data + f->len};
	if (!shard_head(&sc, 't', it->shard) || !jscan_lit(&sc, "{\"words\":["))
		return false;
	it->word = sc.s;
	if (!jscan_string(&sc, NULL, NULL, NULL))
		return false;
	while (jscan_lit(&sc, ","))
		if (!jscan_string(&sc, NULL, NULL, NULL))
			return false;
	if (!jscan_lit(&sc, "],\"lists\":["))
		return false;
	it->list = sc.s;
	it->end = sc.end;
	it->in_shard = true;
	it->first = true;
	return true;
}

static bool fail(struct sprev_words *it)
{
	it->failed = true;
	return false;
}

bool sprev_words_next(struct sprev_words *it, struct buf *word,
		      struct sprev_postings *out)
{
	buf_reset(word);
	if (out)
		out->n = 0;
	if (it->failed)
		return false;
	for (;;) {
		if (!it->in_shard) {
			if (it->shard == it->p->term_count)
				return false;
			if (!term_shard_open(it))
				return fail(it);
		}
		struct jscan w = {it->word, it->end}, l = {it->list, it->end};
		if (jscan_peek(&w, ']')) {
			/* The words are done: so must the lists be. */
			if (it->first || !jscan_lit(&l, "]});\n") || l.s != l.end)
				return fail(it);
			it->in_shard = false;
			it->shard++;
			continue;
		}
		if (!it->first && (!jscan_lit(&w, ",") || !jscan_lit(&l, ",")))
			return fail(it);
		if (!jscan_string(&w, word, &it->raw, &it->raw_len))
			return fail(it);
		it->last = 0;
		const char *raw;
		size_t raw_len, file, files;
		/* Once sprev_open has checked them, postings asked only to
		 * be checked are not read again. */
		bool check = out || !it->p->checked;
		if (jscan_string(&l, NULL, &raw, &raw_len)) {
			if (check &&
			    !decode_postings(it, raw + 1, raw + raw_len - 1, out))
				return fail(it);
			it->postings = raw + 1;
			it->postings_len = raw_len - 2;
			it->file = it->files = 0;
		} else if (jscan_lit(&l, "[") && jscan_number(&l, &file) && jscan_lit(&l, ",") &&
			   jscan_number(&l, &files) && jscan_lit(&l, "]") && files > 0 &&
			   file == it->next_post) {
			for (size_t f = 0; check && f < files; f++)
				if (!file_postings(it, file + f, out))
					return fail(it);
			it->next_post = file + files;
			it->postings = NULL;
			it->postings_len = 0;
			it->file = file;
			it->files = files;
		} else {
			return fail(it);
		}
		it->word = w.s;
		it->list = l.s;
		it->first = false;
		return true;
	}
}

/* ---- the index as a whole ---- */

/* search-index.js: the number of docs, and the first word of each term
 * shard into FIRSTS, one after another, each ended by a NUL; its length
 * and digest into *LEN and *DIGEST. */
static bool read_entry_file(struct sprev *p, struct buf *firsts, size_t *len,
			    uint64_t *digest)
{
	size_t v;
	char *data = read_index_file(p, 0, 0, len);
	if (!data)
		return false;
	*digest = sprev_file_digest(data, *len);
	struct jscan sc = {data, data + *len};
	bool ok = jscan_lit(&sc, "window.GLOSS_SEARCH = {\"version\":") &&
		  jscan_number(&sc, &v) && v == SINDEX_VERSION &&
		  jscan_lit(&sc, ",\"docs\":") && jscan_number(&sc, &p->docs) &&
		  p->docs <= UINT32_MAX - 1 && jscan_lit(&sc, ",\"group\":") &&
		  jscan_number(&sc, &v) && v == SINDEX_GROUP &&
		  jscan_lit(&sc, ",\"prefix\":") && jscan_number(&sc, &v) &&
		  v == SINDEX_PREFIX_CHARS && jscan_lit(&sc, ",\"wordChars\":") &&
		  jscan_number(&sc, &v) && v == WORDS_MAX_CHARS &&
		  jscan_lit(&sc, ",\"kinds\":[") && jscan_string(&sc, NULL, NULL, NULL);
	while (ok && jscan_lit(&sc, ","))
		ok = jscan_string(&sc, NULL, NULL, NULL);
	ok = ok && jscan_lit(&sc, "],\"terms\":[");
	p->term_count = 0;
	if (ok && !jscan_peek(&sc, ']')) {
		do {
			ok = jscan_string(&sc, firsts, NULL, NULL);
			buf_addc(firsts, '\0');
			p->term_count++;
		} while (ok && jscan_lit(&sc, ","));
	}
	ok = ok && jscan_lit(&sc, "]};\n") && sc.s == sc.end;
	free(data);
	return ok;
}

/* Reads every word and its postings once: in order, each first word of
 * a shard as the entry file has it, each word as json.c would quote it. */
static bool check_words(struct sprev *p, const char *firsts)
{
	struct sprev_words it;
	struct buf word, prev, quoted;
	buf_init(&word);
	buf_init(&prev);
	buf_init(&quoted);
	sprev_words_begin(&it, p);
	bool ok = true, any = false;
	size_t shard = SIZE_MAX;
	/* Postings checked, not kept. */
	while (ok && sprev_words_next(&it, &word, NULL)) {
		size_t n = word.len < prev.len ? word.len : prev.len;
		int c = memcmp(word.data, prev.data, n);
		if (any && (c < 0 || (c == 0 && word.len <= prev.len)))
			ok = false;
		if (it.shard != shard) {
			shard = it.shard;
			ok = ok && strlen(firsts) == word.len &&
			     memcmp(firsts, word.data, word.len) == 0;
			firsts += strlen(firsts) + 1;
		}
		/* Quoted again, the word must be what the file holds, for
		 * the new index writes it so. */
		buf_reset(&quoted);
		json_quote(&quoted, word.data, word.len);
		ok = ok && quoted.len == it.raw_len &&
		     memcmp(quoted.data, it.raw, it.raw_len) == 0;
		buf_reset(&prev);
		buf_add(&prev, word.data, word.len);
		any = true;
	}
	ok = ok && !it.failed;
	buf_release(&word);
	buf_release(&prev);
	buf_release(&quoted);
	return ok;
}

/* Whether file N of KIND still looks as STAMP says it did once written
 * (fsutil.h): then it holds the bytes its digest was taken of. */
static bool still_as_written(struct sprev *p, char kind, size_t n,
			     const struct file_stamp *stamp)
{
	char *path = index_file_path(p, kind, n);
	struct file_stamp now = {0, 0, 0, 0};
	if (path)
		now = file_stamp_at(path);
	free(path);
	bool same = file_stamp_equal(stamp, &now);
	p->files_looked_at++;
	p->files_stamped += same;
	return same;
}

/* Maps file N of KIND into *M when it is LEN bytes with DIGEST. A file
 * AS_WRITTEN (it looks as its recorded stamp says) is not hashed again,
 * and so not read until its bytes are needed. */
static bool map_known(const struct sprev *p, char kind, size_t n, uint64_t len,
		      uint64_t digest, bool as_written, struct mapped_file *m)
{
	if (!map_index_file(p, kind, n, m))
		return false;
	if (m->len != len ||
	    (!as_written && sprev_file_digest(m->data, m->len) != digest)) {
		mapped_file_release(m);
		return false;
	}
	return true;
}

/* Notes that file N of KIND (index 0-2: 't', 'p', 'd'), LEN bytes with
 * DIGEST, still looks as STAMP says (sprev_file_stamp). */
static void note_known(struct sprev *p, int kind, size_t n, uint64_t len,
		       uint64_t digest, const struct file_stamp *stamp)
{
	p->known[kind][n] = (struct sprev_file){*stamp, len, digest};
}

/* Whether doc shard N, only checked, is LEN bytes with DIGEST: one that
 * looks as STAMP says is not even opened. */
static bool doc_shard_known(struct sprev *p, size_t n, uint64_t len,
			    uint64_t digest, const struct file_stamp *stamp)
{
	struct mapped_file m;
	if (still_as_written(p, 'd', n, stamp)) {
		note_known(p, 2, n, len, digest, stamp);
		return true;
	}
	if (!map_known(p, 'd', n, len, digest, false, &m))
		return false;
	mapped_file_release(&m);
	return true;
}

/* The record sindex_record describes (sindex.h). True when it reads back
 * whole and every file it names is the bytes it describes, the entry
 * file's being ENTRY_LEN bytes with ENTRY_DIGEST: then the term shards
 * and posting files are held, and the entries and doc shards known. */
static bool read_record(struct sprev *p, const unsigned char *record,
			size_t record_len, size_t entry_len,
			uint64_t entry_digest)
{
	struct record_reader r = {record, record + record_len, true};
	uint64_t docs = record_get_u64(&r);
	uint64_t len = record_get_u64(&r), digest = record_get_u64(&r);
	uint32_t terms = record_get_u32(&r);
	if (!r.ok || docs != p->docs || len != entry_len ||
	    digest != entry_digest || terms != p->term_count)
		return false;
	p->terms = xcalloc(p->term_count + 1, sizeof *p->terms);
	p->known[0] = xcalloc(p->term_count + 1, sizeof *p->known[0]);
	for (size_t n = 0; n < p->term_count; n++) {
		len = record_get_u64(&r);
		digest = record_get_u64(&r);
		struct file_stamp stamp = record_get_stamp(&r);
		bool as_written = r.ok && still_as_written(p, 't', n, &stamp);
		if (!r.ok || !map_known(p, 't', n, len, digest, as_written,
					&p->terms[n]))
			return false;
		if (as_written)
			note_known(p, 0, n, len, digest, &stamp);
	}
	uint32_t posts = record_get_u32(&r);
	/* (each takes more than a byte of the record) */
	if (!r.ok || posts > (size_t)(r.end - r.p))
		return false;
	p->known[1] = xcalloc((size_t)posts + 1, sizeof *p->known[1]);
	for (size_t n = 0; r.ok && n < posts; n++) {
		len = record_get_u64(&r);
		digest = record_get_u64(&r);
		struct file_stamp stamp = record_get_stamp(&r);
		struct mapped_file m;
		bool as_written = r.ok && still_as_written(p, 'p', n, &stamp);
		if (!r.ok ||
		    !map_known(p, 'p', n, len, digest, as_written, &m))
			return false;
		if (as_written)
			note_known(p, 1, n, len, digest, &stamp);
		p->posts = xgrow(p->posts, &p->post_cap, p->post_count + 1,
				 sizeof *p->posts);
		p->posts[p->post_count++] = m;
	}
	/* The doc shards are read only to be checked: the record says
	 * what sprev_shard_same needs of them. */
	uint32_t shards = record_get_u32(&r);
	if (!r.ok || shards != shard_count(p))
		return false;
	shards_alloc(p);
	p->known[2] = xcalloc(shard_count(p) + 1, sizeof *p->known[2]);
	for (size_t n = 0; r.ok && n < shard_count(p); n++) {
		len = record_get_u64(&r);
		digest = record_get_u64(&r);
		struct file_stamp stamp = record_get_stamp(&r);
		p->shard_entries[n] = record_get_u64(&r);
		if (!r.ok || !doc_shard_known(p, n, len, digest, &stamp))
			return false;
		p->shard_size[n] = len;
		p->shard_digest[n] = digest;
	}
	uint32_t entries = record_get_u32(&r);
	for (uint32_t i = 0; r.ok && i < entries; i++) {
		uint32_t url_len = record_get_u32(&r);
		if (!r.ok || url_len > (size_t)(r.end - r.p))
			return false;
		const char *url = (const char *)r.p;
		r.p += url_len;
		uint64_t first = record_get_u64(&r), count = record_get_u64(&r);
		if (!r.ok || memchr(url, '\0', url_len) || count == 0 ||
		    first >= p->docs || count > p->docs - first)
			return false;
		entry_put(p, url, url_len, first, count);
	}
	return r.ok && r.p == r.end;
}

/* Reads the entry file and the rest by RECORD (may be NULL), or else by
 * reading it all through: false, holding what it read, when neither
 * finds it sound. */
static bool open_index(struct sprev *p, const unsigned char *record,
		       size_t record_len)
{
	struct buf firsts;
	buf_init(&firsts);
	size_t entry_len;
	uint64_t entry_digest;
	bool ok = read_entry_file(p, &firsts, &entry_len, &entry_digest);
	if (ok && record) {
		p->indexed = read_record(p, record, record_len, entry_len,
					 entry_digest);
		ok = p->indexed;
	}
	if (ok && !p->indexed) {
		p->terms = xcalloc(p->term_count + 1, sizeof *p->terms);
		for (size_t n = 0; ok && n < p->term_count; n++)
			ok = map_index_file(p, 't', n, &p->terms[n]);
		p->opening = true;
		ok = ok && check_words(p, firsts.data) && map_entries(p);
		p->opening = false;
	}
	buf_release(&firsts);
	return ok;
}

bool sprev_open(struct sprev *p, struct writer *w, const unsigned char *record,
		size_t record_len)
{
	memset(p, 0, sizeof *p);
	p->w = w;
	map_init(&p->entries);
	pthread_once(&alphabet_once, alphabet_init);
	if (open_index(p, record, record_len)) {
		p->checked = true;
		return true;
	}
	sprev_release(p);
	/* A record that is not used leaves the index to be read through. */
	if (record)
		return sprev_open(p, w, NULL, 0);
	return false;
}

void sprev_release(struct sprev *p)
{
	for (size_t i = 0; i < p->entries.cap; i++) {
		if (map_key_at(&p->entries, i)) {
			free((char *)map_key_at(&p->entries, i));
			free(map_value_at(&p->entries, i));
		}
	}
	map_release(&p->entries);
	free(p->shard_entries);
	free(p->shard_size);
	free(p->shard_digest);
	for (int k = 0; k < 3; k++)
		free(p->known[k]);
	for (size_t i = 0; p->terms && i < p->term_count; i++)
		mapped_file_release(&p->terms[i]);
	free(p->terms);
	for (size_t i = 0; i < p->post_count; i++)
		mapped_file_release(&p->posts[i]);
	free(p->posts);
	for (size_t i = 0; i < p->shard_count; i++)
		shard_free(&p->shards[i]);
	free(p->shards);
	memset(p, 0, sizeof *p);
}

bool sprev_entry(const struct sprev *p, const char *quoted_url,
		 size_t *first, size_t *count)
{
	const struct sprev_range *r = map_get(&p->entries, quoted_url);
	if (!r || r->twice)
		return false;
	*first = r->first;
	*count = r->count;
	return true;
}

bool sprev_load_shards(struct sprev *p, size_t first, size_t count)
{
	if (count == 0 || first > p->docs || count > p->docs - first)
		return false;
	size_t lo = first / SINDEX_GROUP;
	size_t hi = (first + count - 1) / SINDEX_GROUP;
	size_t shards = shard_count(p);
	/* Let go of the shards before LO, keeping those from it on. */
	size_t drop = lo > p->shard_first ? lo - p->shard_first : 0;
	if (lo < p->shard_first || drop > p->shard_count)
		drop = p->shard_count;
	for (size_t i = 0; i < drop; i++)
		shard_free(&p->shards[i]);
	if (drop && drop < p->shard_count)
		memmove(p->shards, p->shards + drop,
			(p->shard_count - drop) * sizeof *p->shards);
	p->shard_count -= drop;
	p->shard_first = p->shard_count ? p->shard_first + drop : lo;
	while (p->shard_first + p->shard_count <= hi) {
		size_t n = p->shard_first + p->shard_count;
		size_t want = n + 1 < shards ? SINDEX_GROUP
					     : p->docs - n * SINDEX_GROUP;
		p->shards = xgrow(p->shards, &p->shard_cap, p->shard_count + 1,
				  sizeof *p->shards);
		if (!read_doc_shard(p, n, want, &p->shards[p->shard_count]))
			return false;
		p->shard_count++;
	}
	return true;
}

bool sprev_load_docs(struct sprev *p, size_t first, size_t count,
		     const char *quoted_url)
{
	if (!sprev_load_shards(p, first, count))
		return false;
	size_t quoted_len = strlen(quoted_url);
	for (size_t d = first; d < first + count; d++) {
		const struct sprev_shard *sh =
		    &p->shards[d / SINDEX_GROUP - p->shard_first];
		if (!same_url(sh, d % SINDEX_GROUP, quoted_url, quoted_len))
			return false;
	}
	return true;
}

bool sprev_doc_source(const struct sprev *p, size_t doc, bool *whole,
		      struct buf *text, struct buf *title_or_heading,
		      struct buf *entry_title)
{
	const struct sprev_shard *sh =
	    &p->shards[doc / SINDEX_GROUP - p->shard_first];
	size_t d = doc % SINDEX_GROUP, kind;
	struct buf frag;
	buf_init(&frag);
	buf_reset(text);
	buf_reset(title_or_heading);
	/* ,KIND,"FRAGMENT","TEXT"] or with ,"HEADING" before the bracket */
	struct jscan sc = {sh->data + sh->rest[d],
			   sh->data + sh->rest[d] + sh->rest_len[d]};
	bool ok = jscan_lit(&sc, ",") && jscan_number(&sc, &kind) &&
		  jscan_lit(&sc, ",") && jscan_string(&sc, &frag, NULL, NULL) &&
		  jscan_lit(&sc, ",") && jscan_string(&sc, text, NULL, NULL);
	*whole = ok && frag.len == 0;
	if (ok && *whole) {
		struct jscan title = {sh->data + sh->title[sh->entry[d]],
				      sh->data + sh->len};
		ok = jscan_string(&title, title_or_heading, NULL, NULL);
	} else if (ok && jscan_lit(&sc, ",")) {
		ok = jscan_string(&sc, title_or_heading, NULL, NULL);
	}
	if (ok && entry_title) {
		/* A whole doc's is decoded above already. */
		buf_reset(entry_title);
		struct jscan title = {sh->data + sh->title[sh->entry[d]],
				      sh->data + sh->len};
		if (*whole)
			buf_add(entry_title, title_or_heading->data,
				title_or_heading->len);
		else
			ok = jscan_string(&title, entry_title, NULL, NULL);
	}
	buf_release(&frag);
	return ok;
}

bool sprev_shard_same(const struct sprev *p, size_t n, size_t docs,
		      const char *entries, size_t entries_len, size_t *size,
		      uint64_t *digest)
{
	size_t shards = shard_count(p);
	if (n >= shards || !p->shard_entries)
		return false;
	size_t want = n + 1 < shards ? SINDEX_GROUP : p->docs - n * SINDEX_GROUP;
	if (docs != want ||
	    sprev_entries_digest(entries, entries_len) != p->shard_entries[n])
		return false;
	*size = p->shard_size[n];
	*digest = p->shard_digest[n];
	return true;
}

void sprev_doc(const struct sprev *p, size_t doc, const char **rest,
	       size_t *len)
{
	const struct sprev_shard *sh =
	    &p->shards[doc / SINDEX_GROUP - p->shard_first];
	*rest = sh->data + sh->rest[doc % SINDEX_GROUP];
	*len = sh->rest_len[doc % SINDEX_GROUP];
}

bool sprev_file_stamp(const struct sprev *p, char kind, size_t n, size_t len,
		      struct file_stamp *stamp, uint64_t *digest)
{
	int k = kind == 't' ? 0 : kind == 'p' ? 1 : kind == 'd' ? 2 : -1;
	size_t count = k == 0 ? p->term_count
		       : k == 1 ? p->post_count
		       : k == 2 ? shard_count(p) : 0;
	if (k < 0 || !p->indexed || !p->known[k] || n >= count)
		return false;
	const struct sprev_file *f = &p->known[k][n];
	if (!f->stamp.ino || f->len != len)
		return false;
	*stamp = f->stamp;
	*digest = f->digest;
	return true;
}
