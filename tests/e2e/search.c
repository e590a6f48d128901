/* End-to-end tests of search.html and its index: search-index.js and
 * the shards under search/ (their layout is in generator/sindex.h).
 *
 * The golden archive tests/golden/basic/content is built once; the index
 * is read back whole with a small JSON reader (below), so the tests check
 * its structure and not only its bytes: shards numbered and sorted as the
 * entry file says, every doc links to an element that exists on its
 * page, each shown line of each article is a doc and no omitted line is,
 * notes, aliases, terms and sections are there, every word of every doc
 * is in the term shard the entry file names for it, with the weights
 * sindex.h gives. Throwaway archives check escaping and section ids that
 * collide with the theme's, an empty archive, and one large enough to
 * split postings across files, whose files must stay under a limit. */
#include "harness.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#define CONTENT "tests/golden/basic/content"
#define THEME "themes/default"
#define INDEX_FILE "search-index.js"
#define INDEX_PREFIX "window.GLOSS_SEARCH = "
#define INDEX_SUFFIX ";\n"

#define ALPHA "articles/2008-alpha-offer.html"
#define BETA "articles/2008-03-beta-answer.html"
#define TRUCE "proposals/2008-alpha-truce.html"

static char *g_tmp, *g_out;
static char *g_err; /* gloss's stderr from building the golden archive */

/* ---- a JSON reader, enough for the index ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	double num;
	char *str;	  /* J_STR, UTF-8, NUL-terminated */
	struct jv *items; /* J_ARR and J_OBJ */
	char **keys;	  /* J_OBJ */
	size_t n, cap;
};

static void jv_free(struct jv *v)
{
	free(v->str);
	for (size_t i = 0; i < v->n; i++) {
		jv_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	memset(v, 0, sizeof *v);
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
		(*p)++;
}

static void put_utf8(char **o, uint32_t cp)
{
	unsigned char *u = (unsigned char *)*o;
	if (cp < 0x80) {
		*u++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*u++ = (unsigned char)(0xc0 | cp >> 6);
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*u++ = (unsigned char)(0xe0 | cp >> 12);
		*u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*u++ = (unsigned char)(0xf0 | cp >> 18);
		*u++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)u;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

static int parse_string(const char **p, char **out)
{
	const char *s = *p + 1;
	size_t cap = 1;
	for (const char *q = s; *q && *q != '"'; q++)
		cap += *q == '\\' ? 4 : 1;
	char *o = malloc(cap + 4), *start = o;
	while (*s && *s != '"') {
		if ((unsigned char)*s < 0x20)
			goto bad;
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		uint32_t cp, lo;
		switch (*s) {
		case '"':
		case '\\':
		case '/':
			*o++ = *s++;
			break;
		case 'n':
			*o++ = '\n';
			s++;
			break;
		case 't':
			*o++ = '\t';
			s++;
			break;
		case 'r':
			*o++ = '\r';
			s++;
			break;
		case 'b':
			*o++ = '\b';
			s++;
			break;
		case 'f':
			*o++ = '\f';
			s++;
			break;
		case 'u':
			if (!hex4(s + 1, &cp))
				goto bad;
			s += 5;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (s[0] != '\\' || s[1] != 'u' ||
				    !hex4(s + 2, &lo))
					goto bad;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				s += 6;
			}
			put_utf8(&o, cp);
			break;
		default:
			goto bad;
		}
	}
	if (*s != '"')
		goto bad;
	*o = '\0';
	*out = start;
	*p = s + 1;
	return 1;
bad:
	free(start);
	return 0;
}

static int parse_value(const char **p, struct jv *v, int depth);

static int push_item(struct jv *v, const char **p, int depth)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		v->items = realloc(v->items, v->cap * sizeof *v->items);
		if (v->t == J_OBJ)
			v->keys = realloc(v->keys, v->cap * sizeof *v->keys);
	}
	memset(&v->items[v->n], 0, sizeof *v->items);
	if (v->t == J_OBJ) {
		v->keys[v->n] = NULL;
		skip_ws(p);
		if (**p != '"' || !parse_string(p, &v->keys[v->n])) {
			v->n++;
			return 0;
		}
		skip_ws(p);
		if (*(*p)++ != ':') {
			v->n++;
			return 0;
		}
	}
	return parse_value(p, &v->items[v->n++], depth + 1);
}

static int parse_value(const char **p, struct jv *v, int depth)
{
	memset(v, 0, sizeof *v);
	if (depth > 64)
		return 0;
	skip_ws(p);
	char c = **p;
	if (c == '"') {
		v->t = J_STR;
		return parse_string(p, &v->str);
	}
	if (c == '[' || c == '{') {
		char close = c == '[' ? ']' : '}';
		v->t = c == '[' ? J_ARR : J_OBJ;
		(*p)++;
		skip_ws(p);
		if (**p == close) {
			(*p)++;
			return 1;
		}
		for (;;) {
			if (!push_item(v, p, depth))
				return 0;
			skip_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (**p == close) {
				(*p)++;
				return 1;
			}
			return 0;
		}
	}
	if (!strncmp(*p, "null", 4) || !strncmp(*p, "true", 4)) {
		v->t = c == 'n' ? J_NULL : J_BOOL;
		*p += 4;
		return 1;
	}
	if (!strncmp(*p, "false", 5)) {
		v->t = J_BOOL;
		*p += 5;
		return 1;
	}
	char *end;
	v->t = J_NUM;
	v->num = strtod(*p, &end);
	if (end == *p)
		return 0;
	*p = end;
	return 1;
}

static const struct jv *jv_get(const struct jv *obj, const char *key)
{
	for (size_t i = 0; obj->t == J_OBJ && i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

/* ---- the index, read back ---- */

struct entry {
	const char *title, *url, *date, *iso;
};

struct doc {
	size_t entry;
	const char *kind, *frag, *text, *heading;
};

struct posting {
	size_t doc;
	unsigned long weight;
};

/* A word of the index, with its postings, all files read. */
struct term {
	const char *word;
	size_t shard; /* the term shard that holds it */
	size_t files; /* posting files of its own (0: inline) */
	struct posting *p;
	size_t n, cap;
};

/* Makes room for NEED items of SIZE bytes in *P, doubling. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? 2 * *cap : 16;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

struct sindex {
	char *raw; /* every file of the index, one after the other */
	size_t raw_len, raw_cap;
	size_t bytes, files, entry_bytes, largest; /* as read */
	struct jv *parsed; /* every file, parsed: owns the strings below */
	size_t parsed_count, parsed_cap;
	size_t group;
	const char *const *firsts; /* "terms": the first word of each shard */
	size_t shard_count;
	struct entry *entries;
	size_t entry_count;
	struct doc *docs;
	size_t doc_count;
	struct term *terms; /* sorted, as the shards hold them */
	size_t term_count, term_cap;
};

static const char *const want_kinds[] = {"article", "note", "party",
					 "proposal", "page"};

static void sindex_free(struct sindex *x)
{
	free(x->raw);
	for (size_t i = 0; i < x->parsed_count; i++)
		jv_free(&x->parsed[i]);
	free(x->parsed);
	free((void *)x->firsts);
	free(x->entries);
	free(x->docs);
	for (size_t i = 0; i < x->term_count; i++)
		free(x->terms[i].p);
	free(x->terms);
	memset(x, 0, sizeof *x);
}

/* Reads REL of DIR, which must be PREFIX, one JSON value, then SUFFIX,
 * and returns the value, parsed (owned by X). */
static const struct jv *read_script(struct sindex *x, const char *dir,
				    const char *rel, const char *prefix,
				    const char *suffix, bool entry)
{
	char *raw = get_file(dir, rel);
	if (!raw)
		print_error("missing: %s\n", rel);
	assert_non_null(raw);
	size_t len = strlen(raw);
	x->raw = grow(x->raw, &x->raw_cap, x->raw_len + len + 1, 1);
	memcpy(x->raw + x->raw_len, raw, len + 1);
	x->raw_len += len;
	x->bytes += len;
	x->files++;
	if (entry)
		x->entry_bytes = len;
	else if (len > x->largest)
		x->largest = len;
	assert_true(len > strlen(prefix) + strlen(suffix));
	assert_memory_equal(raw, prefix, strlen(prefix));
	assert_string_equal(raw + len - strlen(suffix), suffix);
	x->parsed = grow(x->parsed, &x->parsed_cap, x->parsed_count + 1,
			 sizeof *x->parsed);
	struct jv *v = &x->parsed[x->parsed_count++];
	const char *p = raw + strlen(prefix);
	assert_true(parse_value(&p, v, 0));
	assert_string_equal(p, suffix);
	free(raw);
	return v;
}

/* The value of a shard file: GLOSS_SEARCH_SHARD("K",N,VALUE);\n */
static const struct jv *read_shard(struct sindex *x, const char *dir,
				   char kind, size_t n)
{
	char *rel = NULL, *prefix = NULL;
	if (asprintf(&rel, "search/%c/%zu.js", kind, n) < 0 ||
	    asprintf(&prefix, "GLOSS_SEARCH_SHARD(\"%c\",%zu,", kind, n) < 0)
		abort();
	const struct jv *v = read_script(x, dir, rel, prefix, ");\n", false);
	free(rel);
	free(prefix);
	return v;
}

static int digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	fail_msg("not a digit of postings: '%c'", c);
	return 0;
}

static unsigned long number(const char **s)
{
	unsigned long v = 0;
	int shift = 0, d;
	do {
		assert_true(**s != '\0');
		d = digit(*(*s)++);
		v |= (unsigned long)(d & 31) << shift;
		shift += 5;
	} while (d >= 32);
	return v;
}

/* Appends the postings of S (one string, numbered from -1) to T. */
static void decode(struct term *t, const char *s, size_t docs)
{
	long doc = -1;
	while (*s) {
		unsigned long v = number(&s);
		assert_true(v >> 1 >= 1);
		doc += (long)(v >> 1);
		unsigned long w = v & 1 ? number(&s) : 1;
		assert_true(w >= 1);
		assert_true(v & 1 ? w != 1 : 1);
		assert_true((size_t)doc < docs);
		if (t->n)
			assert_true(t->p[t->n - 1].doc < (size_t)doc);
		t->p = grow(t->p, &t->cap, t->n + 1, sizeof *t->p);
		t->p[t->n++] = (struct posting){(size_t)doc, w};
	}
}

static int word_cmp(const char *a, const char *b)
{
	return strcmp(a, b); /* bytes: code point order, as gloss sorts */
}

/* Reads DIR's index, failing the test when it is not shaped as
 * generator/sindex.h says: every file, doc shards and term shards, and
 * every posting file, checking their order and numbering on the way. */
static void sindex_load(const char *dir, struct sindex *x)
{
	memset(x, 0, sizeof *x);
	const struct jv *root = read_script(x, dir, INDEX_FILE, INDEX_PREFIX,
					    INDEX_SUFFIX, true);
	assert_int_equal(root->t, J_OBJ);
	const struct jv *version = jv_get(root, "version");
	const struct jv *docs = jv_get(root, "docs");
	const struct jv *group = jv_get(root, "group");
	const struct jv *kinds = jv_get(root, "kinds");
	const struct jv *terms = jv_get(root, "terms");
	assert_non_null(version);
	assert_true(version->t == J_NUM && version->num == 2);
	assert_non_null(docs);
	assert_non_null(group);
	assert_non_null(kinds);
	assert_non_null(terms);
	assert_non_null(jv_get(root, "prefix"));
	assert_non_null(jv_get(root, "wordChars"));
	assert_int_equal(kinds->t, J_ARR);
	assert_int_equal(kinds->n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(kinds->items[i].str, want_kinds[i]);
	assert_true(group->num >= 1);
	x->group = (size_t)group->num;
	size_t doc_count = (size_t)docs->num;
	assert_int_equal(terms->t, J_ARR);
	x->shard_count = terms->n;
	x->firsts = calloc(terms->n + 1, sizeof *x->firsts);
	for (size_t i = 0; i < terms->n; i++) {
		assert_int_equal(terms->items[i].t, J_STR);
		((const char **)x->firsts)[i] = terms->items[i].str;
	}

	/* Doc shards: GROUP docs each, the last fewer. */
	x->docs = calloc(doc_count + 1, sizeof *x->docs);
	x->entries = calloc(doc_count + 1, sizeof *x->entries);
	for (size_t n = 0; n * x->group < doc_count; n++) {
		const struct jv *v = read_shard(x, dir, 'd', n);
		assert_int_equal(v->t, J_OBJ);
		const struct jv *entries = jv_get(v, "entries");
		const struct jv *ds = jv_get(v, "docs");
		assert_non_null(entries);
		assert_non_null(ds);
		size_t want = doc_count - n * x->group < x->group
				  ? doc_count - n * x->group
				  : x->group;
		assert_int_equal(ds->n, want);
		size_t base = x->entry_count;
		for (size_t i = 0; i < entries->n; i++) {
			const struct jv *e = &entries->items[i];
			assert_int_equal(e->t, J_ARR);
			/* title and url; articles and proposals add two dates */
			assert_true(e->n == 2 || e->n == 4);
			for (size_t k = 0; k < e->n; k++)
				assert_int_equal(e->items[k].t, J_STR);
			/* An entry whose docs began in the shard before. */
			if (i == 0 && x->entry_count &&
			    !strcmp(x->entries[x->entry_count - 1].url,
				    e->items[1].str)) {
				base--;
				continue;
			}
			struct entry *en = &x->entries[x->entry_count++];
			en->title = e->items[0].str;
			en->url = e->items[1].str;
			if (e->n == 4) {
				en->date = e->items[2].str;
				en->iso = e->items[3].str;
			}
		}
		for (size_t i = 0; i < ds->n; i++) {
			const struct jv *d = &ds->items[i];
			assert_int_equal(d->t, J_ARR);
			assert_true(d->n == 4 || d->n == 5);
			assert_int_equal(d->items[0].t, J_NUM);
			assert_int_equal(d->items[1].t, J_NUM);
			for (size_t k = 2; k < d->n; k++)
				assert_int_equal(d->items[k].t, J_STR);
			double entry = d->items[0].num, kind = d->items[1].num;
			assert_true(entry >= 0 && entry < (double)entries->n);
			assert_true(kind >= 0 && kind < 5);
			struct doc *doc = &x->docs[x->doc_count++];
			doc->entry = base + (size_t)entry;
			doc->kind = want_kinds[(size_t)kind];
			doc->frag = d->items[2].str;
			doc->text = d->items[3].str;
			doc->heading = d->n == 5 ? d->items[4].str : NULL;
		}
	}
	assert_int_equal(x->doc_count, doc_count);

	/* Term shards: words sorted across shards, each shard starting with
	 * the word the entry file names; postings inline or in posting files
	 * numbered in order. */
	size_t next_file = 0;
	for (size_t n = 0; n < x->shard_count; n++) {
		const struct jv *v = read_shard(x, dir, 't', n);
		assert_int_equal(v->t, J_OBJ);
		const struct jv *words = jv_get(v, "words");
		const struct jv *lists = jv_get(v, "lists");
		assert_non_null(words);
		assert_non_null(lists);
		assert_true(words->n > 0);
		assert_int_equal(words->n, lists->n);
		assert_string_equal(words->items[0].str, x->firsts[n]);
		for (size_t i = 0; i < words->n; i++) {
			assert_int_equal(words->items[i].t, J_STR);
			x->terms = grow(x->terms, &x->term_cap,
					x->term_count + 1, sizeof *x->terms);
			struct term *t = &x->terms[x->term_count++];
			memset(t, 0, sizeof *t);
			t->word = words->items[i].str;
			t->shard = n;
			if (x->term_count > 1)
				assert_true(word_cmp(t[-1].word, t->word) < 0);
			const struct jv *l = &lists->items[i];
			if (l->t == J_STR) {
				decode(t, l->str, doc_count);
				continue;
			}
			assert_int_equal(l->t, J_ARR);
			assert_int_equal(l->n, 2);
			assert_int_equal((size_t)l->items[0].num, next_file);
			t->files = (size_t)l->items[1].num;
			assert_true(t->files >= 1);
			for (size_t k = 0; k < t->files; k++) {
				const struct jv *pf =
				    read_shard(x, dir, 'p', next_file++);
				assert_int_equal(pf->t, J_STR);
				decode(t, pf->str, doc_count);
			}
		}
	}
	x->entries = realloc(x->entries, (x->entry_count + 1) *
					     sizeof *x->entries);
}

/* The term shard the entry file's ranges name for WORD. */
static size_t shard_for(const struct sindex *x, const char *word)
{
	size_t s = 0;
	for (size_t i = 0; i < x->shard_count; i++)
		if (word_cmp(x->firsts[i], word) <= 0)
			s = i;
	return s;
}

/* WORD's term, or NULL. */
static const struct term *find_term(const struct sindex *x, const char *word)
{
	size_t lo = 0, hi = x->term_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = word_cmp(x->terms[mid].word, word);
		if (c == 0)
			return &x->terms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* WORD's weight in doc DOC (0: not there). */
static unsigned long weight_in(const struct sindex *x, const char *word,
			       size_t doc)
{
	const struct term *t = find_term(x, word);
	for (size_t i = 0; t && i < t->n; i++)
		if (t->p[i].doc == doc)
			return t->p[i].weight;
	return 0;
}

/* Calls FN for each word of S that is plain ASCII letters and digits
 * between ASCII separators or the Unicode punctuation and spaces of the
 * test texts (U+00A0, U+00B7, U+2000-U+203F), lower-cased and cut as
 * search words are: the words a test can name without folding. */
static void ascii_words(const char *s, void (*fn)(void *, const char *),
			void *arg)
{
	char word[64];
	size_t len = 0;
	bool sure = true; /* no other non-ASCII byte touches it */
	for (const unsigned char *p = (const unsigned char *)s;; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')) {
			if (len < 32)
				word[len++] = (char)(c | (c >= 'A' && c <= 'Z'
							      ? 0x20
							      : 0));
			continue;
		}
		size_t skip = 0;
		bool punct = c < 0x80;
		if (c == 0xe2 && p[1] == 0x80)
			punct = true, skip = 2;
		else if (c == 0xc2 && (p[1] == 0xa0 || p[1] == 0xb7))
			punct = true, skip = 1;
		if (len && sure && punct) {
			word[len] = '\0';
			fn(arg, word);
		}
		len = 0;
		sure = punct;
		if (!c)
			return;
		p += skip;
	}
}

struct word_check {
	const struct sindex *x;
	size_t doc;
	int bad;
};

static void check_word(void *arg, const char *word)
{
	struct word_check *wc = arg;
	const struct term *t = find_term(wc->x, word);
	if (!t) {
		print_error("doc %zu: '%s' is not in the index\n", wc->doc,
			    word);
		wc->bad++;
		return;
	}
	if (t->shard != shard_for(wc->x, word)) {
		print_error("'%s' is in term shard %zu, the entry file names "
			    "%zu\n",
			    word, t->shard, shard_for(wc->x, word));
		wc->bad++;
	}
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->p[mid].doc < wc->doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->n || t->p[lo].doc != wc->doc) {
		print_error("'%s': doc %zu is not among its postings\n", word,
			    wc->doc);
		wc->bad++;
	}
}

/* Checks that every word of doc DOC (its text, and the entry's title or
 * the section's heading) is in the term shard the entry file names for
 * it, with DOC among its postings. Returns the number of problems. */
static int check_doc_words(const struct sindex *x, size_t doc)
{
	struct word_check wc = {x, doc, 0};
	const struct doc *d = &x->docs[doc];
	ascii_words(d->text, check_word, &wc);
	if (!*d->frag)
		ascii_words(x->entries[d->entry].title, check_word, &wc);
	if (d->heading)
		ascii_words(d->heading, check_word, &wc);
	return wc.bad;
}

/* The doc of the entry at URL with fragment FRAG, or NULL. */
static const struct doc *find_doc(const struct sindex *x, const char *url,
				  const char *frag)
{
	for (size_t i = 0; i < x->doc_count; i++)
		if (!strcmp(x->entries[x->docs[i].entry].url, url) &&
		    !strcmp(x->docs[i].frag, frag))
			return &x->docs[i];
	return NULL;
}

/* How many docs' text contains S. */
static size_t docs_containing(const struct sindex *x, const char *s)
{
	size_t n = 0;
	for (size_t i = 0; i < x->doc_count; i++)
		n += strstr(x->docs[i].text, s) != NULL;
	return n;
}

static struct sindex g_index;

/* ---- pages ---- */

static int count_xpath(const char *dir, const char *page, const char *xp)
{
	htmlDocPtr doc = load_page(dir, page);
	if (!doc)
		return -1;
	int n = xpath_count(doc, xp);
	xmlFreeDoc(doc);
	return n;
}

/* S with every run of white space made one space, trimmed (in place). */
static char *squeeze(char *s)
{
	char *o = s;
	int space = 0;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && o > s)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return s;
}

/* Checks that every doc with a fragment links to exactly one element of
 * its page, and that a section's element is its heading. Returns the
 * number of problems, printed. */
static int check_fragments(const char *dir, const struct sindex *x)
{
	int bad = 0;
	for (size_t i = 0; i < x->doc_count; i++) {
		const struct doc *d = &x->docs[i];
		const char *url = x->entries[d->entry].url;
		if (!*d->frag)
			continue;
		htmlDocPtr doc = load_page(dir, url);
		if (!doc) {
			print_error("%s: missing page\n", url);
			bad++;
			continue;
		}
		char *xp = NULL;
		if (asprintf(&xp, "//*[@id='%s']", d->frag) < 0)
			abort();
		int n = xpath_count(doc, xp);
		if (n != 1) {
			print_error("%s#%s: %d elements with that id\n", url,
				    d->frag, n);
			bad++;
		}
		if (n == 1 && d->heading) {
			free(xp);
			if (asprintf(&xp,
				     "string(//*[@id='%s'][self::h1 or "
				     "self::h2 or self::h3 or self::h4 or "
				     "self::h5 or self::h6])",
				     d->frag) < 0)
				abort();
			char *h = squeeze(xpath_string(doc, xp));
			if (strcmp(h, d->heading) != 0) {
				print_error("%s#%s: heading '%s', index says "
					    "'%s'\n",
					    url, d->frag, h, d->heading);
				bad++;
			}
			free(h);
		}
		free(xp);
		xmlFreeDoc(doc);
	}
	return bad;
}

/* ---- group setup ---- */

static struct run_result build(const char *content, const char *out)
{
	const char *args[] = {"build", "-C", content, "-t",
			      THEME,   "-o", out,     NULL};
	struct run_result r = run_gloss(args);
	if (r.status != 0)
		fprintf(stderr, "gloss build -C %s exited %d:\n%s%s\n", content,
			r.status, r.out, r.err);
	return r;
}

static int setup(void **state)
{
	(void)state;
	g_tmp = temp_dir();
	if (asprintf(&g_out, "%s/out", g_tmp) < 0)
		return -1;
	struct run_result r = build(CONTENT, g_out);
	g_err = r.err;
	free(r.out);
	return r.status == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sindex_free(&g_index);
	remove_dir(g_tmp);
	free(g_out);
	free(g_tmp);
	free(g_err);
	return 0;
}

/* Loads the golden site's index once, for the tests that read it. */
static const struct sindex *golden_index(void)
{
	if (!g_index.files)
		sindex_load(g_out, &g_index);
	return &g_index;
}

/* ---- search.html ---- */

static void test_page_form(void **state)
{
	(void)state;
	htmlDocPtr doc = load_page(g_out, "search.html");
	assert_non_null(doc);
	/* One search form, submitting ?q= to this page, so that the
	 * script can read it back, from a host or from file://. */
	assert_int_equal(xpath_count(doc, "//main//form[@role='search']"), 1);
	char *action =
	    xpath_string(doc, "string(//form[@role='search']/@action)");
	char *method =
	    xpath_string(doc, "string(//form[@role='search']/@method)");
	assert_string_equal(action, "search.html");
	assert_string_equal(method, "get");
	free(action);
	free(method);
	/* Its field is labelled. */
	assert_int_equal(xpath_count(doc, "//form[@role='search']//input"
					  "[@type='search'][@name='q'][@id]"),
			 1);
	char *id = xpath_string(doc, "string(//input[@name='q']/@id)");
	char *xp = NULL;
	if (asprintf(&xp, "//label[@for='%s'][normalize-space()!='']", id) < 0)
		abort();
	assert_int_equal(xpath_count(doc, xp), 1);
	free(xp);
	free(id);
	/* Results are announced politely. */
	assert_int_equal(xpath_count(doc, "//main//*[@aria-live='polite']"), 1);
	assert_int_equal(xpath_count(doc, "//main//ol[@id='search-results']"),
			 1);
	/* No template marks are left. */
	assert_int_equal(xpath_count(doc, "//*[@data-gloss or @data-gloss-root "
					  "or @data-gloss-if]"),
			 0);
	xmlFreeDoc(doc);
}

static void test_page_scripts(void **state)
{
	(void)state;
	htmlDocPtr doc = load_page(g_out, "search.html");
	assert_non_null(doc);
	/* The index first, then the script that searches it; both files
	 * are there, relative to the page at the root. */
	assert_int_equal(xpath_count(doc, "//script"), 2);
	char *first = xpath_string(doc, "string((//script)[1]/@src)");
	char *second = xpath_string(doc, "string((//script)[2]/@src)");
	assert_string_equal(first, INDEX_FILE);
	assert_string_equal(second, "assets/search.js");
	assert_true(path_exists(g_out, first));
	assert_true(path_exists(g_out, second));
	free(first);
	free(second);
	/* No page loads anything from the network, or inline script. */
	assert_int_equal(xpath_count(doc, "//script[not(@src)]"), 0);
	assert_int_equal(xpath_count(doc, "//script[contains(@src, ':')]"), 0);
	xmlFreeDoc(doc);
	char *js = get_file(g_out, "assets/search.js");
	assert_non_null(js);
	assert_null(strstr(js, "fetch("));
	assert_null(strstr(js, "XMLHttpRequest"));
	assert_null(strstr(js, "innerHTML"));
	free(js);
}

static void test_page_links_lists_without_js(void **state)
{
	(void)state;
	htmlDocPtr doc = load_page(g_out, "search.html");
	assert_non_null(doc);
	/* In the section the script hides, which says why it is there: the
	 * lists of articles, proposals and parties, the positions and the
	 * timeline, the home page and each free page; never the entries of
	 * the lists themselves, so the page does not grow with them. */
	static const char *const links[] = {
	    "articles/index.html",
	    "proposals/index.html",
	    "parties/index.html",
	    "positions.html",
	    "timeline.html",
	    "index.html",
	    "method.html",
	    NULL,
	};
	int missing = 0;
	for (size_t i = 0; links[i]; i++) {
		char *xp = NULL;
		if (asprintf(&xp, "//section[@id='search-all']//a[@href='%s']",
			     links[i]) < 0)
			abort();
		if (xpath_count(doc, xp) != 1 || !path_exists(g_out, links[i])) {
			print_error("not listed once, or missing: %s\n",
				    links[i]);
			missing++;
		}
		free(xp);
	}
	assert_int_equal(missing, 0);
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']//a"), 7);
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']/p"
					  "[contains(., 'JavaScript')]"),
			 1);
	/* Each list says how many entries it holds. */
	char *t = xpath_string(doc, "normalize-space(//section[@id="
				    "'search-all']//li[a[@href='articles/"
				    "index.html']])");
	assert_string_equal(t, "Articles: 2 articles, by date");
	free(t);
	t = xpath_string(doc, "normalize-space(//section[@id='search-all']"
			      "//li[a[@href='proposals/index.html']])");
	assert_string_equal(t, "Proposals: 1 proposal, by date");
	free(t);
	t = xpath_string(doc, "normalize-space(//section[@id='search-all']"
			      "//li[a[@href='parties/index.html']])");
	assert_string_equal(t, "Parties: 3 parties");
	free(t);
	/* The free page's link text is its title. */
	t = xpath_string(doc, "string(//section[@id='search-all']"
			      "//a[@href='method.html'])");
	assert_string_equal(t, "Method");
	free(t);
	xmlFreeDoc(doc);
}

/* A theme may still list every entry instead (slot "all", the plain
 * theme's, which has no script). */
static void test_plain_theme_lists_everything(void **state)
{
	(void)state;
	char *dir = temp_dir(), *out = NULL;
	if (asprintf(&out, "%s/out", dir) < 0)
		abort();
	const char *args[] = {"build",	 "-C", CONTENT, "-t",
			      "themes/plain", "-o", out,	   NULL};
	struct run_result r = run_gloss(args);
	assert_int_equal(r.status, 0);
	run_result_free(&r);
	htmlDocPtr doc = load_page(out, "search.html");
	assert_non_null(doc);
	assert_int_equal(xpath_count(doc, "//script"), 0);
	static const char *const links[] = {
	    ALPHA, BETA, TRUCE, "parties/gamma.html", "parties/hamas.html",
	    "parties/islamic-jihad.html", "index.html", "method.html", NULL,
	};
	for (size_t i = 0; links[i]; i++) {
		char *xp = NULL;
		if (asprintf(&xp, "//main//a[@href='%s']", links[i]) < 0)
			abort();
		assert_int_equal(xpath_count(doc, xp), 1);
		free(xp);
	}
	xmlFreeDoc(doc);
	remove_dir(dir);
	free(out);
	free(dir);
}

/* ---- the index ---- */

/* Sums the sizes of the regular files under DIR/REL into *BYTES and
 * counts them into *FILES. */
static void du(const char *dir, const char *rel, size_t *bytes, size_t *files)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		abort();
	DIR *d = opendir(path);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = NULL;
		if (asprintf(&sub, "%s/%s", rel, e->d_name) < 0)
			abort();
		char *full = NULL;
		if (asprintf(&full, "%s/%s", dir, sub) < 0)
			abort();
		struct stat st;
		assert_int_equal(stat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			du(dir, sub, bytes, files);
		} else {
			*bytes += (size_t)st.st_size;
			(*files)++;
		}
		free(sub);
		free(full);
	}
	closedir(d);
	free(path);
}

static void test_index_size_reported(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	/* What gloss reports is what is there: the entry file and every
	 * file under search/, which are all files of the index. */
	size_t bytes = 0, files = 0;
	du(g_out, "search", &bytes, &files);
	char *entry = get_file(g_out, INDEX_FILE);
	assert_non_null(entry);
	bytes += strlen(entry);
	files++;
	assert_int_equal(bytes, x->bytes);
	assert_int_equal(files, x->files);
	const char *line = strstr(g_err, "gloss: search index: ");
	assert_non_null(line);
	unsigned long reported = 0, nfiles = 0, entry_bytes = 0, largest = 0;
	assert_int_equal(sscanf(line,
				"gloss: search index: %lu bytes in %lu files; "
				"entry file %lu bytes, largest other %lu bytes",
				&reported, &nfiles, &entry_bytes, &largest),
			 4);
	assert_int_equal(reported, bytes);
	assert_int_equal(nfiles, files);
	assert_int_equal(entry_bytes, strlen(entry));
	assert_int_equal(largest, x->largest);
	free(entry);
}

static void test_index_entries(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	/* The home page, the free page, three parties, one proposal, two
	 * articles: each once, each with its doc for the whole entry
	 * first, and each url a page of the site. */
	assert_int_equal(x->entry_count, 8);
	for (size_t i = 0; i < x->entry_count; i++) {
		assert_true(path_exists(g_out, x->entries[i].url));
		size_t first = SIZE_MAX;
		for (size_t k = 0; k < x->doc_count && first == SIZE_MAX; k++)
			if (x->docs[k].entry == i)
				first = k;
		assert_true(first != SIZE_MAX);
		assert_string_equal(x->docs[first].frag, "");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(x->entries[i].url,
						x->entries[j].url);
	}
	const struct doc *d = find_doc(x, ALPHA, "");
	assert_non_null(d);
	assert_string_equal(d->kind, "article");
	const struct entry *e = &x->entries[d->entry];
	assert_string_equal(
	    e->title, "Alpha offers a \xe2\x80\x9ctruce\xe2\x80\x9d to Beta");
	assert_string_equal(e->date, "2008");
	assert_string_equal(e->iso, "2008");
	d = find_doc(x, BETA, "");
	assert_non_null(d);
	assert_string_equal(x->entries[d->entry].date, "March 2008");
	assert_string_equal(x->entries[d->entry].iso, "2008-03");
	/* The article's metadata and introduction, for the whole entry. */
	assert_non_null(strstr(d->text, "The Test Post"));
	assert_non_null(strstr(d->text, "Follows up the first report."));
	d = find_doc(x, "index.html", "");
	assert_non_null(d);
	assert_string_equal(d->kind, "page");
	assert_string_equal(x->entries[d->entry].title, "Test Archive home");
	/* Entry links with empty text read as the entry's title. */
	assert_non_null(strstr(d->text, "two reports on the Alpha's 2008 truce "
					"offer, offered by Hamas"));
}

/* Every shown line of every article is a doc of its own, linked to its
 * line; the lines gloss omits are nowhere. */
static void test_index_article_lines(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	struct {
		const char *txt, *page;
	} articles[] = {
	    {CONTENT "/articles/2008-alpha-offer.txt", ALPHA},
	    {CONTENT "/articles/2008-03-beta-answer.txt", BETA},
	};
	/* "Share this story" is in archive.yaml's omit_lines; "Photo:
	 * caption of a photo" in the alpha article's omit. */
	static const char *const omitted[] = {
	    "Share this story", "Photo: caption of a photo", NULL};
	int bad = 0;
	size_t lines = 0;
	for (size_t a = 0; a < 2; a++) {
		char *text = get_file(".", articles[a].txt);
		assert_non_null(text);
		size_t n = 0;
		for (char *line = text, *next; *line; line = next) {
			next = strchr(line, '\n');
			next = next ? (*next = '\0', next + 1)
				    : line + strlen(line);
			n++;
			if (!*line)
				continue; /* blank: not shown */
			int is_omitted = 0;
			for (size_t k = 0; omitted[k]; k++)
				is_omitted |= !strcmp(line, omitted[k]);
			char *frag = NULL;
			if (asprintf(&frag, "l-%zu", n) < 0)
				abort();
			const struct doc *d =
			    find_doc(x, articles[a].page, frag);
			if (is_omitted && d) {
				print_error("%s#%s: omitted line indexed\n",
					    articles[a].page, frag);
				bad++;
			} else if (!is_omitted &&
				   (!d || strcmp(d->text, line) != 0 ||
				    strcmp(d->kind, "article") != 0)) {
				print_error("%s#%s: want '%s', got '%s'\n",
					    articles[a].page, frag, line,
					    d ? d->text : "(none)");
				bad++;
			}
			lines += !is_omitted;
			free(frag);
		}
		free(text);
	}
	for (size_t k = 0; omitted[k]; k++) {
		if (docs_containing(x, omitted[k])) {
			print_error("omitted line in the index: %s\n",
				    omitted[k]);
			bad++;
		}
		assert_null(strstr(x->raw, omitted[k]));
	}
	assert_int_equal(bad, 0);
	/* Alpha's capture has 8 lines: 2 omitted, 1 blank, 5 shown; all 3
	 * of beta's are shown. */
	assert_int_equal(lines, 8);
	size_t line_docs = 0;
	for (size_t i = 0; i < x->doc_count; i++)
		line_docs += !strncmp(x->docs[i].frag, "l-", 2);
	assert_int_equal(line_docs, lines);
}

static void test_index_notes(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	/* Each note of an article page is a doc: its passage, then the
	 * note, linked to the note. */
	htmlDocPtr doc = load_page(g_out, ALPHA);
	assert_non_null(doc);
	int notes = xpath_count(
	    doc, "//div[contains(concat(' ', @class, ' '), ' note ')][@id]");
	assert_int_equal(notes, 4);
	for (int i = 1; i <= notes; i++) {
		char *xp = NULL;
		if (asprintf(&xp,
			     "string((//div[contains(concat(' ', @class, ' '), "
			     "' note ')][@id])[%d]/@id)",
			     i) < 0)
			abort();
		char *id = xpath_string(doc, xp);
		const struct doc *d = find_doc(x, ALPHA, id);
		if (!d)
			print_error("no doc for note %s\n", id);
		assert_non_null(d);
		assert_string_equal(d->kind, "note");
		free(id);
		free(xp);
	}
	xmlFreeDoc(doc);
	size_t n = 0;
	for (size_t i = 0; i < x->doc_count; i++)
		n += !strcmp(x->docs[i].kind, "note");
	assert_int_equal(n, 5);
	/* The passage, then the note's words; entry links read as titles. */
	assert_int_equal(docs_containing(x, "Hamas restates its offer."), 1);
	const struct doc *d = NULL;
	for (size_t i = 0; i < x->doc_count; i++)
		if (strstr(x->docs[i].text,
			   "Palestinian Islamic Jihad rejects the offer."))
			d = &x->docs[i];
	assert_non_null(d);
	assert_string_equal(d->kind, "note");
	assert_non_null(strstr(
	    d->text, "\xe2\x80\x9cThis is not a time for truce.\xe2\x80\x9d"));
	assert_true(strstr(d->text, "This is not") <
		    strstr(d->text, "Palestinian Islamic Jihad rejects"));
	assert_true(!strncmp(d->frag, "n-this-is-not-a-time-for-", 25));
	/* Raw HTML is not rendered, so not indexed either. */
	assert_null(strstr(x->raw, "\\u003cb\\u003e"));
}

static void test_index_parties(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	const struct doc *d = find_doc(x, "parties/islamic-jihad.html", "");
	assert_non_null(d);
	assert_string_equal(d->kind, "party");
	assert_string_equal(x->entries[d->entry].title,
			    "Palestinian Islamic Jihad");
	/* Aliases, kind, summary, description. */
	assert_non_null(strstr(d->text, "Beta"));
	assert_non_null(strstr(d->text, "Islamic Jihad"));
	assert_non_null(strstr(d->text, "movement"));
	assert_non_null(strstr(d->text, "Rejects the truce in these tests."));
	assert_non_null(strstr(d->text, "A smaller movement."));
	d = find_doc(x, "parties/hamas.html", "");
	assert_non_null(d);
	assert_string_equal(x->entries[d->entry].title, "Hamas");
	assert_non_null(strstr(d->text, "Alpha"));
	assert_non_null(
	    strstr(d->text, "Offers the Alpha's 2008 truce offer."));
	d = find_doc(x, "parties/gamma.html", "");
	assert_non_null(d);
	assert_non_null(strstr(d->text, "A mediator."));
}

static void test_index_proposals(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	const struct doc *d = find_doc(x, TRUCE, "");
	assert_non_null(d);
	assert_string_equal(d->kind, "proposal");
	assert_string_equal(x->entries[d->entry].title,
			    "Alpha's 2008 truce offer");
	assert_string_equal(x->entries[d->entry].iso, "2008");
	/* Both terms, as readers see them, and the description. */
	assert_non_null(
	    strstr(d->text,
		   "A truce if incursions stop, as reported "
		   "by Alpha offers a \xe2\x80\x9ctruce\xe2\x80\x9d to Beta."));
	assert_non_null(strstr(d->text, "No timetable was reported."));
	assert_non_null(strstr(
	    d->text, "The offer as the archive reports it. See Method."));
}

static void test_index_page_sections(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	/* method.md: a summary, then "## Capture" and its paragraph. */
	const struct doc *d = find_doc(x, "method.html", "");
	assert_non_null(d);
	assert_string_equal(d->text, "How the archive is made.");
	d = find_doc(x, "method.html", "capture");
	assert_non_null(d);
	assert_string_equal(d->kind, "page");
	assert_string_equal(d->heading, "Capture");
	assert_non_null(strstr(d->text, "Texts are kept verbatim."));
	/* The fragment is the heading's id on the built page. */
	assert_int_equal(
	    count_xpath(g_out, "method.html",
			"//h1[@id='capture'] | //h2[@id='capture'] | "
			"//h3[@id='capture'] | //h4[@id='capture']"),
	    1);
}

/* Whatever the doc, its fragment is on its page. */
static void test_index_every_fragment_exists(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	assert_int_equal(check_fragments(g_out, x), 0);
}

static void test_index_is_deterministic(void **state)
{
	(void)state;
	char *again = NULL;
	if (asprintf(&again, "%s/again", g_tmp) < 0)
		abort();
	struct run_result r = build(CONTENT, again);
	assert_int_equal(r.status, 0);
	run_result_free(&r);
	struct sindex b;
	sindex_load(again, &b);
	const struct sindex *a = golden_index();
	assert_int_equal(a->files, b.files);
	assert_int_equal(a->raw_len, b.raw_len);
	assert_memory_equal(a->raw, b.raw, a->raw_len);
	sindex_free(&b);
	free(again);
}

/* Every word of every doc is in the term shard the entry file's ranges
 * name for it, with that doc among its postings. */
static void test_index_words_in_their_shards(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	int bad = 0;
	for (size_t i = 0; i < x->doc_count; i++)
		bad += check_doc_words(x, i);
	assert_int_equal(bad, 0);
	assert_true(x->term_count > 50);
	/* Words are folded: accents, case and curly quotes. */
	assert_non_null(find_term(x, "alpha"));
	assert_null(find_term(x, "Alpha"));
	assert_non_null(find_term(x, "s")); /* Alpha's, Alpha’s */
}

/* Weights: 1 per time in the text, 10 per time in the entry's title
 * (its first doc), 5 in a section's heading, and 1 more for the other
 * docs of an entry whose title holds the word. */
static void test_index_weights(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	size_t whole = SIZE_MAX, l4 = SIZE_MAX, l5 = SIZE_MAX, capture = SIZE_MAX;
	for (size_t i = 0; i < x->doc_count; i++) {
		const char *url = x->entries[x->docs[i].entry].url;
		if (!strcmp(url, ALPHA) && !strcmp(x->docs[i].frag, ""))
			whole = i;
		if (!strcmp(url, ALPHA) && !strcmp(x->docs[i].frag, "l-4"))
			l4 = i;
		if (!strcmp(url, ALPHA) && !strcmp(x->docs[i].frag, "l-5"))
			l5 = i;
		if (!strcmp(url, "method.html") &&
		    !strcmp(x->docs[i].frag, "capture"))
			capture = i;
	}
	assert_true(whole != SIZE_MAX && l4 != SIZE_MAX && l5 != SIZE_MAX &&
		    capture != SIZE_MAX);
	/* "Alpha offers a “truce” to Beta": the title, with the doc of the
	 * whole article ("The first report of the Alpha's 2008 truce
	 * offer"). */
	assert_int_equal(weight_in(x, "beta", whole), 10);
	assert_int_equal(weight_in(x, "truce", whole), 11);
	/* "The leader of Alpha said on Tuesday that Alpha’s offer of a
	 * truce stands.": twice in the text, plus the title's word. */
	assert_int_equal(weight_in(x, "alpha", l4), 3);
	assert_int_equal(weight_in(x, "tuesday", l4), 1);
	assert_int_equal(weight_in(x, "truce", l4), 2);
	/* "A spokesman for Beta said: “This is not a time for truce.”" */
	assert_int_equal(weight_in(x, "for", l5), 2);
	assert_int_equal(weight_in(x, "offer", l5), 0);
	/* The section "Capture" of method.md. */
	assert_int_equal(weight_in(x, "capture", capture), 5);
	assert_int_equal(weight_in(x, "verbatim", capture), 1);
}

/* Entries come in the order results of equal rank are shown in, which
 * keeps doc numbers stable as an archive grows: the home page, pages,
 * parties, proposals, articles oldest first. */
static void test_index_order(void **state)
{
	(void)state;
	const struct sindex *x = golden_index();
	static const char *const want[] = {
	    "index.html",	  "method.html",
	    "parties/gamma.html", "parties/hamas.html",
	    "parties/islamic-jihad.html",
	    TRUCE,		  ALPHA,
	    BETA,		  NULL,
	};
	for (size_t i = 0; want[i]; i++) {
		assert_true(i < x->entry_count);
		assert_string_equal(x->entries[i].url, want[i]);
	}
}

/* ---- throwaway archives ---- */

static void test_escaping_and_section_ids(void **state)
{
	(void)state;
	char *dir = temp_dir(), *content = NULL, *out = NULL;
	if (asprintf(&content, "%s/content", dir) < 0 ||
	    asprintf(&out, "%s/out", dir) < 0)
		abort();
	put_file(dir, "content/archive.yaml", "title: Escapes\n", -1);
	put_file(dir, "content/articles/2020-x.txt",
		 "Headline with </script><script>alert(1)</script> in it\n"
		 "A line with <b>tags</b> & ampersands and a line "
		 "separator\xe2\x80\xa8here.\n",
		 -1);
	put_file(dir, "content/articles/2020-x.md",
		 "---\noutlet: Test & <Outlet>\ndate: 2020-05-04\n---\n", -1);
	/* Headings whose ids collide: with each other, and with an id of
	 * the party template ("positions-heading"). */
	put_file(dir, "content/parties/p.md",
		 "---\nname: P </script>\n---\n"
		 "Before the sections.\n\n"
		 "## Positions heading\n\nText one.\n\n"
		 "## History\n\nText two.\n\n"
		 "## History\n\nText three.\n",
		 -1);
	put_file(dir, "content/pages/about.md",
		 "---\ntitle: About <script>\n---\n"
		 "## Sources & *notes*\n\nWhere the texts come from.\n",
		 -1);
	struct run_result r = build(content, out);
	assert_int_equal(r.status, 0);
	run_result_free(&r);

	struct sindex x;
	sindex_load(out, &x);
	/* Nothing in the file can close the script element or open a tag,
	 * nor end a line of older JavaScript. */
	assert_null(strchr(x.raw, '<'));
	assert_null(strchr(x.raw, '>'));
	assert_null(strstr(x.raw, "\xe2\x80\xa8"));
	assert_non_null(strstr(x.raw, "\\u003c/script\\u003e"));
	assert_non_null(strstr(x.raw, "\\u2028"));
	/* ... and it reads back as the text. */
	const struct doc *d = find_doc(&x, "articles/2020-x.html", "l-1");
	assert_non_null(d);
	assert_string_equal(
	    d->text, "Headline with </script><script>alert(1)</script> in it");
	d = find_doc(&x, "articles/2020-x.html", "l-2");
	assert_non_null(d);
	assert_string_equal(d->text, "A line with <b>tags</b> & ampersands and "
				     "a line separator\xe2\x80\xa8here.");
	d = find_doc(&x, "articles/2020-x.html", "");
	assert_non_null(d);
	assert_string_equal(d->text, "Test & <Outlet>");
	assert_string_equal(x.entries[d->entry].date, "4 May 2020");
	d = find_doc(&x, "parties/p.html", "");
	assert_non_null(d);
	assert_string_equal(x.entries[d->entry].title, "P </script>");
	assert_string_equal(d->text, "Before the sections.");

	/* Sections take the ids the page gives their headings. */
	d = find_doc(&x, "parties/p.html", "positions-heading-2");
	assert_non_null(d);
	assert_string_equal(d->heading, "Positions heading");
	assert_string_equal(d->text, "Text one.");
	d = find_doc(&x, "parties/p.html", "history");
	assert_non_null(d);
	assert_string_equal(d->text, "Text two.");
	d = find_doc(&x, "parties/p.html", "history-2");
	assert_non_null(d);
	assert_string_equal(d->text, "Text three.");
	d = find_doc(&x, "about.html", "sources-notes");
	assert_non_null(d);
	assert_string_equal(d->heading, "Sources & notes");
	assert_int_equal(check_fragments(out, &x), 0);

	/* The page links the free pages, escaped as text. */
	htmlDocPtr doc = load_page(out, "search.html");
	assert_non_null(doc);
	char *t = xpath_string(doc, "string(//section[@id='search-all']"
				    "//a[@href='about.html'])");
	assert_string_equal(t, "About <script>");
	free(t);
	assert_int_equal(xpath_count(doc, "//script"), 2);
	xmlFreeDoc(doc);

	sindex_free(&x);
	remove_dir(dir);
	free(content);
	free(out);
	free(dir);
}

static void test_empty_archive(void **state)
{
	(void)state;
	char *dir = temp_dir(), *content = NULL, *out = NULL;
	if (asprintf(&content, "%s/content", dir) < 0 ||
	    asprintf(&out, "%s/out", dir) < 0)
		abort();
	put_file(dir, "content/archive.yaml", "title: Nothing yet\n", -1);
	struct run_result r = build(content, out);
	assert_int_equal(r.status, 0);
	/* An empty index is still reported, and loads. */
	assert_non_null(strstr(r.err, "gloss: search index: "));
	run_result_free(&r);
	struct sindex x;
	sindex_load(out, &x);
	assert_int_equal(x.entry_count, 0);
	assert_int_equal(x.doc_count, 0);
	sindex_free(&x);
	htmlDocPtr doc = load_page(out, "search.html");
	assert_non_null(doc);
	assert_int_equal(xpath_count(doc, "//form[@role='search']"), 1);
	/* The lists, empty, and the home page; every link leads to a
	 * page. */
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']//a"), 6);
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']"
					  "//a[@href='index.html']"),
			 1);
	for (int i = 1; i <= 6; i++) {
		char *xp = NULL;
		if (asprintf(&xp, "string((//section[@id='search-all']//a)[%d]"
				  "/@href)",
			     i) < 0)
			abort();
		char *href = xpath_string(doc, xp);
		assert_true(path_exists(out, href));
		free(href);
		free(xp);
	}
	/* No shard files: nothing to load. */
	assert_false(path_exists(out, "search/d/0.js"));
	assert_false(path_exists(out, "search/t/0.js"));
	xmlFreeDoc(doc);
	remove_dir(dir);
	free(content);
	free(out);
	free(dir);
}

/* An archive of a thousand articles of 80 lines each (82,000 docs, some
 * 80,000 distinct words): no file of the index passes the limit, the
 * entry file stays small, postings too long for a term shard are split
 * across posting files that read back as the whole list, and every word
 * of every doc is where the entry file says. */
#define SCALE_ARTICLES 1000
#define SCALE_LINES 80
#define SCALE_FILE_LIMIT (136 * 1024)

static void test_shards_at_scale(void **state)
{
	(void)state;
	char *dir = temp_dir(), *content = NULL, *out = NULL;
	if (asprintf(&content, "%s/content", dir) < 0 ||
	    asprintf(&out, "%s/out", dir) < 0)
		abort();
	put_file(dir, "content/archive.yaml", "title: Scale\n", -1);
	for (int i = 0; i < SCALE_ARTICLES; i++) {
		char *txt = NULL, *md = NULL, *rel = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&txt, &len);
		fprintf(f, "Headline %d\n", i);
		for (int l = 0; l < SCALE_LINES; l++)
			fprintf(f, "Line %d of article %d: truce truce talks "
				   "w%dx%d.\n",
				l, i, i, l);
		fclose(f);
		if (asprintf(&rel, "content/articles/a%d.txt", i) < 0)
			abort();
		put_file(dir, rel, txt, -1);
		free(rel);
		if (asprintf(&rel, "content/articles/a%d.md", i) < 0 ||
		    asprintf(&md, "---\noutlet: Wire\ndate: %d-%02d\n---\n",
			     2010 + i % 14, 1 + i % 12) < 0)
			abort();
		put_file(dir, rel, md, -1);
		free(rel);
		free(md);
		free(txt);
	}
	struct run_result r = build(content, out);
	assert_int_equal(r.status, 0);
	run_result_free(&r);

	struct sindex x;
	sindex_load(out, &x);
	/* Per article: the whole, the headline and the lines. */
	size_t docs = SCALE_ARTICLES * (2 + SCALE_LINES);
	assert_int_equal(x.doc_count, docs);
	assert_true(x.files > 600); /* 633 doc shards, term shards, ... */
	assert_true(x.entry_bytes < 2048);
	assert_true(x.shard_count > 4);
	assert_true(x.largest <= SCALE_FILE_LIMIT);
	/* "truce" is twice in every line, nowhere else: 80,000 postings of
	 * weight 2, too many for one file. */
	const struct term *t = find_term(&x, "truce");
	assert_non_null(t);
	assert_true(t->files >= 2);
	assert_int_equal(t->n, SCALE_ARTICLES * SCALE_LINES);
	int bad = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct doc *d = &x.docs[t->p[i].doc];
		if (!strstr(d->text, "truce truce") || t->p[i].weight != 2)
			bad++;
	}
	assert_int_equal(bad, 0);
	for (size_t i = 0; i < x.doc_count; i++)
		bad += check_doc_words(&x, i);
	assert_int_equal(bad, 0);
	/* Oldest first: a0 (January 2010) is the first entry. */
	assert_string_equal(x.entries[0].url, "articles/a0.html");
	sindex_free(&x);
	remove_dir(dir);
	free(content);
	free(out);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_form),
	    cmocka_unit_test(test_page_scripts),
	    cmocka_unit_test(test_page_links_lists_without_js),
	    cmocka_unit_test(test_plain_theme_lists_everything),
	    cmocka_unit_test(test_index_size_reported),
	    cmocka_unit_test(test_index_entries),
	    cmocka_unit_test(test_index_article_lines),
	    cmocka_unit_test(test_index_notes),
	    cmocka_unit_test(test_index_parties),
	    cmocka_unit_test(test_index_proposals),
	    cmocka_unit_test(test_index_page_sections),
	    cmocka_unit_test(test_index_every_fragment_exists),
	    cmocka_unit_test(test_index_is_deterministic),
	    cmocka_unit_test(test_index_words_in_their_shards),
	    cmocka_unit_test(test_index_weights),
	    cmocka_unit_test(test_index_order),
	    cmocka_unit_test(test_shards_at_scale),
	    cmocka_unit_test(test_escaping_and_section_ids),
	    cmocka_unit_test(test_empty_archive),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
