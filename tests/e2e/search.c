/* End-to-end tests of search.html and its index, search-index.js.
 *
 * The golden archive tests/golden/basic/content is built once; the index
 * is read back with a small JSON reader (below), so the tests check its
 * structure and not only its bytes: every doc links to an element that
 * exists on its page, each shown line of each article is a doc and no
 * omitted line is, notes, aliases, terms and sections are there. Two
 * throwaway archives check escaping and section ids that collide with
 * the theme's, and an empty archive. The layout of the index is in
 * generator/search.h. */
#include "harness.h"

#include <setjmp.h>
#include <stdint.h>

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
	size_t n;
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
	v->items = realloc(v->items, (v->n + 1) * sizeof *v->items);
	memset(&v->items[v->n], 0, sizeof *v->items);
	if (v->t == J_OBJ) {
		v->keys = realloc(v->keys, (v->n + 1) * sizeof *v->keys);
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

struct sindex {
	char *raw; /* the file as written */
	struct jv root;
	struct entry *entries;
	size_t entry_count;
	struct doc *docs;
	size_t doc_count;
};

static void sindex_free(struct sindex *x)
{
	free(x->raw);
	jv_free(&x->root);
	free(x->entries);
	free(x->docs);
	memset(x, 0, sizeof *x);
}

/* Reads DIR's index, failing the test when it is not shaped as
 * generator/search.h says. */
static void sindex_load(const char *dir, struct sindex *x)
{
	memset(x, 0, sizeof *x);
	x->raw = get_file(dir, INDEX_FILE);
	assert_non_null(x->raw);
	size_t len = strlen(x->raw);
	assert_true(len > strlen(INDEX_PREFIX) + strlen(INDEX_SUFFIX));
	assert_memory_equal(x->raw, INDEX_PREFIX, strlen(INDEX_PREFIX));
	assert_string_equal(x->raw + len - strlen(INDEX_SUFFIX), INDEX_SUFFIX);
	const char *p = x->raw + strlen(INDEX_PREFIX);
	assert_true(parse_value(&p, &x->root, 0));
	assert_string_equal(p, INDEX_SUFFIX);

	assert_int_equal(x->root.t, J_OBJ);
	const struct jv *version = jv_get(&x->root, "version");
	const struct jv *kinds = jv_get(&x->root, "kinds");
	const struct jv *entries = jv_get(&x->root, "entries");
	const struct jv *docs = jv_get(&x->root, "docs");
	assert_non_null(version);
	assert_true(version->t == J_NUM && version->num == 1);
	assert_non_null(kinds);
	assert_non_null(entries);
	assert_non_null(docs);
	assert_int_equal(kinds->t, J_ARR);
	assert_int_equal(entries->t, J_ARR);
	assert_int_equal(docs->t, J_ARR);
	const char *const want_kinds[] = {"article", "note", "party",
					  "proposal", "page"};
	assert_int_equal(kinds->n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(kinds->items[i].str, want_kinds[i]);

	x->entry_count = entries->n;
	x->entries = calloc(entries->n + 1, sizeof *x->entries);
	for (size_t i = 0; i < entries->n; i++) {
		const struct jv *e = &entries->items[i];
		assert_int_equal(e->t, J_ARR);
		/* title and url; articles and proposals add two dates */
		assert_true(e->n == 2 || e->n == 4);
		for (size_t k = 0; k < e->n; k++)
			assert_int_equal(e->items[k].t, J_STR);
		x->entries[i].title = e->items[0].str;
		x->entries[i].url = e->items[1].str;
		if (e->n == 4) {
			x->entries[i].date = e->items[2].str;
			x->entries[i].iso = e->items[3].str;
		}
	}
	x->doc_count = docs->n;
	x->docs = calloc(docs->n + 1, sizeof *x->docs);
	for (size_t i = 0; i < docs->n; i++) {
		const struct jv *d = &docs->items[i];
		assert_int_equal(d->t, J_ARR);
		assert_true(d->n == 4 || d->n == 5);
		assert_int_equal(d->items[0].t, J_NUM);
		assert_int_equal(d->items[1].t, J_NUM);
		for (size_t k = 2; k < d->n; k++)
			assert_int_equal(d->items[k].t, J_STR);
		double entry = d->items[0].num, kind = d->items[1].num;
		assert_true(entry >= 0 && entry < (double)entries->n);
		assert_true(kind >= 0 && kind < 5);
		x->docs[i].entry = (size_t)entry;
		x->docs[i].kind = want_kinds[(size_t)kind];
		x->docs[i].frag = d->items[2].str;
		x->docs[i].text = d->items[3].str;
		x->docs[i].heading = d->n == 5 ? d->items[4].str : NULL;
	}
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
	if (!g_index.raw)
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

static void test_page_lists_everything_without_js(void **state)
{
	(void)state;
	htmlDocPtr doc = load_page(g_out, "search.html");
	assert_non_null(doc);
	/* Every article, proposal, party and page of the fixture, linked,
	 * in the section the script hides, which says why it is there. */
	static const char *const links[] = {
	    ALPHA,
	    BETA,
	    TRUCE,
	    "parties/gamma.html",
	    "parties/hamas.html",
	    "parties/islamic-jihad.html",
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
		if (xpath_count(doc, xp) != 1) {
			print_error("not listed once: %s\n", links[i]);
			missing++;
		}
		free(xp);
	}
	assert_int_equal(missing, 0);
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']//a"), 8);
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']/p"
					  "[contains(., 'JavaScript')]"),
			 1);
	/* Link texts are the entries' titles. */
	char *t = xpath_string(doc, "string(//section[@id='search-all']"
				    "//a[@href='parties/islamic-jihad.html'])");
	assert_string_equal(t, "Palestinian Islamic Jihad");
	free(t);
	xmlFreeDoc(doc);
}

/* ---- the index ---- */

static void test_index_size_reported(void **state)
{
	(void)state;
	char *raw = get_file(g_out, INDEX_FILE);
	assert_non_null(raw);
	size_t size = strlen(raw);
	free(raw);
	const char *line = strstr(g_err, "gloss: search index: ");
	assert_non_null(line);
	unsigned long reported = 0;
	char unit[16] = {0};
	assert_int_equal(
	    sscanf(line, "gloss: search index: %lu %15s", &reported, unit), 2);
	assert_int_equal(reported, size);
	assert_string_equal(unit, "bytes");
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
	char *a = get_file(g_out, INDEX_FILE), *b = get_file(again, INDEX_FILE);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(again);
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

	/* The page lists the entries, escaped as text. */
	htmlDocPtr doc = load_page(out, "search.html");
	assert_non_null(doc);
	char *t = xpath_string(doc, "string(//section[@id='search-all']"
				    "//a[@href='parties/p.html'])");
	assert_string_equal(t, "P </script>");
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
	/* Only the home page to list. */
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']//a"), 1);
	assert_int_equal(xpath_count(doc, "//section[@id='search-all']"
					  "//a[@href='index.html']"),
			 1);
	xmlFreeDoc(doc);
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
	    cmocka_unit_test(test_page_lists_everything_without_js),
	    cmocka_unit_test(test_index_size_reported),
	    cmocka_unit_test(test_index_entries),
	    cmocka_unit_test(test_index_article_lines),
	    cmocka_unit_test(test_index_notes),
	    cmocka_unit_test(test_index_parties),
	    cmocka_unit_test(test_index_proposals),
	    cmocka_unit_test(test_index_page_sections),
	    cmocka_unit_test(test_index_every_fragment_exists),
	    cmocka_unit_test(test_index_is_deterministic),
	    cmocka_unit_test(test_escaping_and_section_ids),
	    cmocka_unit_test(test_empty_archive),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
