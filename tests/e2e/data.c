/* End-to-end tests of the site as data: feed.xml and sitemap.xml (when
 * archive.yaml sets base_url) and archive.json with its W3C Web
 * Annotations.
 *
 * The golden archive tests/golden/basic/content is built once; a second,
 * small archive written here holds what the golden one lacks: characters
 * of 2, 3 and 4 bytes before a passage (so byte and character offsets
 * differ), a control character, text that must be escaped in XML and in
 * a <script>, a base_url that needs percent-encoding, and a position
 * without a quote. It is built twice, with and without base_url.
 *
 * XML is read with libxml2's parser (which refuses a document that is not
 * well-formed) and XPath with the Atom and sitemap namespaces; JSON with
 * the small strict parser below. Expected offsets and context are worked
 * out here from the .txt files, counting characters, not bytes. */
#include "harness.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdint.h>

#include <libxml/parser.h>
#include <libxml/xpathInternals.h>

#include <cmocka.h>

#define CONTENT "tests/golden/basic/content"
#define THEME "themes/default"
#define BASE "https://example.org/test-archive/" /* archive.yaml, plus '/' */
#define ATOM_NS "http://www.w3.org/2005/Atom"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define ANNO_CONTEXT "http://www.w3.org/ns/anno.jsonld"

/* The small archive: its base_url, and the same percent-encoded. */
#define UNI_BASE "https://example.org/a b/\xc3\xbc"
#define UNI_BASE_ENC "https://example.org/a%20b/%C3%BC/"

static char *g_tmp;   /* the test's temporary folder */
static char *g_out;   /* the golden archive, built */
static char *g_uni;   /* the small archive's content */
static char *g_uni_a; /* ... built with base_url */
static char *g_uni_b; /* ... built without */

/* ---- memory: what a test allocates is freed after it ---- */

static void **g_kept;
static size_t g_kept_n, g_kept_cap;

static void *keep(void *p)
{
	if (g_kept_n == g_kept_cap) {
		g_kept_cap = g_kept_cap ? 2 * g_kept_cap : 256;
		g_kept = realloc(g_kept, g_kept_cap * sizeof *g_kept);
	}
	g_kept[g_kept_n++] = p;
	return p;
}

/* Parsed documents, freed the same way. */
static xmlDocPtr *g_docs;
static size_t g_docs_n, g_docs_cap;

static xmlDocPtr keep_doc(xmlDocPtr doc)
{
	if (g_docs_n == g_docs_cap) {
		g_docs_cap = g_docs_cap ? 2 * g_docs_cap : 16;
		g_docs = realloc(g_docs, g_docs_cap * sizeof *g_docs);
	}
	g_docs[g_docs_n++] = doc;
	return doc;
}

static int free_kept(void **state)
{
	(void)state;
	for (size_t i = 0; i < g_kept_n; i++)
		free(g_kept[i]);
	g_kept_n = 0;
	for (size_t i = 0; i < g_docs_n; i++)
		xmlFreeDoc(g_docs[i]);
	g_docs_n = 0;
	return 0;
}

static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return keep(s);
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A growing string. */
struct sb {
	char *p;
	size_t n, cap;
};

static void sb_addn(struct sb *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* ---- files ---- */

struct strs {
	const char **v;
	size_t n, cap;
};

static void strs_push(struct strs *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void walk(const char *root, const char *rel, struct strs *l)
{
	const char *dir = *rel ? fmt("%s/%s", root, rel) : root;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		const char *sub =
		    *rel ? fmt("%s/%s", rel, e->d_name) : fmt("%s", e->d_name);
		struct stat st;
		if (lstat(fmt("%s/%s", root, sub), &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(root, sub, l);
		else
			strs_push(l, sub);
	}
	closedir(d);
}

/* Every file under ROOT ending in SUFFIX, as sorted relative paths. */
static struct strs files_ending(const char *root, const char *suffix)
{
	struct strs all = {0}, l = {0};
	walk(root, "", &all);
	for (size_t i = 0; i < all.n; i++)
		if (ends_with(all.v[i], suffix))
			strs_push(&l, all.v[i]);
	free(all.v);
	if (l.v) {
		qsort(l.v, l.n, sizeof *l.v, compare_str);
		keep(l.v);
	}
	return l;
}

static int is_regular_file(const char *dir, const char *rel)
{
	struct stat st;
	return stat(fmt("%s/%s", dir, rel), &st) == 0 && S_ISREG(st.st_mode);
}

/* The bytes of DIR/REL, or fails the test. */
static const char *file(const char *dir, const char *rel)
{
	char *s = get_file(dir, rel);
	if (!s)
		fail_msg("%s/%s is missing", dir, rel);
	return keep(s);
}

/* ---- characters ---- */

static int is_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Characters (code points) in the first N bytes of S. */
static size_t chars_in(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += !is_cont(s[i]);
	return count;
}

/* The byte offset N characters before AT (or 0). */
static size_t chars_back(const char *s, size_t at, size_t n)
{
	while (n-- && at > 0)
		do
			at--;
		while (at > 0 && is_cont(s[at]));
	return at;
}

/* The byte offset N characters after AT (or the end). */
static size_t chars_forward(const char *s, size_t at, size_t n)
{
	size_t len = strlen(s);
	while (n-- && at < len)
		do
			at++;
		while (at < len && is_cont(s[at]));
	return at;
}

/* The byte offset of NEEDLE's only occurrence in S; fails otherwise. */
static size_t only_occurrence(const char *s, const char *needle)
{
	const char *p = strstr(s, needle);
	if (!p)
		fail_msg("\"%s\" is not in the text", needle);
	if (strstr(p + 1, needle))
		fail_msg("\"%s\" occurs more than once", needle);
	return (size_t)(p - s);
}

/* ---- JSON: a small strict parser ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	double num;
	int b;
	char *s;       /* J_STR */
	size_t n;      /* items or members */
	struct jv **v; /* items, or member values */
	char **k;      /* member keys */
};

struct jparser {
	const char *p;
	const char *err;
};

static void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jv_free(v->v[i]);
		if (v->k)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	free(v->s);
	free(v);
}

static void jws(struct jparser *jp)
{
	while (*jp->p == ' ' || *jp->p == '\n' || *jp->p == '\t' ||
	       *jp->p == '\r')
		jp->p++;
}

static int hex4(const char *s, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16;
		if (d == 16)
			return 0;
		*out = *out * 16 + d;
	}
	return 1;
}

static void put_utf8(struct sb *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_addn(b, u, n);
}

static char *jstring(struct jparser *jp)
{
	struct sb b = {0};
	sb_addn(&b, "", 0);
	jp->p++; /* the opening quote */
	while (!jp->err && *jp->p != '"') {
		unsigned char c = (unsigned char)*jp->p;
		if (c < 0x20) {
			jp->err = "control character or end inside a string";
			break;
		}
		if (c != '\\') {
			sb_addn(&b, jp->p++, 1);
			continue;
		}
		char e = *++jp->p;
		const char *plain = strchr("\"\\/", e);
		static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
		const char *ctl = e ? strchr(from, e) : NULL;
		unsigned u, lo;
		if (e && plain) {
			sb_addn(&b, &e, 1);
			jp->p++;
		} else if (ctl) {
			sb_addn(&b, &to[ctl - from], 1);
			jp->p++;
		} else if (e == 'u' && hex4(jp->p + 1, &u)) {
			jp->p += 5;
			if (u >= 0xD800 && u < 0xDC00) {
				if (jp->p[0] != '\\' || jp->p[1] != 'u' ||
				    !hex4(jp->p + 2, &lo) || lo < 0xDC00 ||
				    lo > 0xDFFF) {
					jp->err = "lone surrogate";
					break;
				}
				jp->p += 6;
				u = 0x10000 + ((u - 0xD800) << 10) +
				    (lo - 0xDC00);
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				jp->err = "lone surrogate";
				break;
			}
			put_utf8(&b, u);
		} else {
			jp->err = "bad escape";
		}
	}
	if (!jp->err)
		jp->p++;
	return b.p;
}

static struct jv *jvalue(struct jparser *jp, int depth);

static void jpush(struct jv *v, struct jv *item, char *key)
{
	v->v = realloc(v->v, (v->n + 1) * sizeof *v->v);
	if (key)
		v->k = realloc(v->k, (v->n + 1) * sizeof *v->k);
	v->v[v->n] = item;
	if (key)
		v->k[v->n] = key;
	v->n++;
}

static struct jv *jcontainer(struct jparser *jp, int depth, int object)
{
	struct jv *v = calloc(1, sizeof *v);
	v->t = object ? J_OBJ : J_ARR;
	jp->p++;
	jws(jp);
	if (*jp->p == (object ? '}' : ']')) {
		jp->p++;
		return v;
	}
	while (!jp->err) {
		char *key = NULL;
		jws(jp);
		if (object) {
			if (*jp->p != '"') {
				jp->err = "member name expected";
				break;
			}
			key = jstring(jp);
			jws(jp);
			if (*jp->p != ':') {
				free(key);
				jp->err = "':' expected";
				break;
			}
			jp->p++;
		}
		struct jv *item = jvalue(jp, depth + 1);
		if (!item) {
			free(key);
			break;
		}
		if (object) {
			for (size_t i = 0; i < v->n; i++)
				if (!strcmp(v->k[i], key))
					jp->err = "duplicate member";
		}
		jpush(v, item, key);
		jws(jp);
		if (*jp->p == ',') {
			jp->p++;
			continue;
		}
		if (*jp->p == (object ? '}' : ']')) {
			jp->p++;
			return v;
		}
		jp->err = "',' or end of container expected";
	}
	jv_free(v);
	return NULL;
}

static struct jv *jvalue(struct jparser *jp, int depth)
{
	struct jv *v = NULL;
	jws(jp);
	if (depth > 64) {
		jp->err = "too deep";
		return NULL;
	}
	switch (*jp->p) {
	case '{':
		return jcontainer(jp, depth, 1);
	case '[':
		return jcontainer(jp, depth, 0);
	case '"':
		v = calloc(1, sizeof *v);
		v->t = J_STR;
		v->s = jstring(jp);
		break;
	default:
		if (starts_with(jp->p, "true") || starts_with(jp->p, "false")) {
			v = calloc(1, sizeof *v);
			v->t = J_BOOL;
			v->b = *jp->p == 't';
			jp->p += v->b ? 4 : 5;
		} else if (starts_with(jp->p, "null")) {
			v = calloc(1, sizeof *v);
			jp->p += 4;
		} else if (*jp->p == '-' || (*jp->p >= '0' && *jp->p <= '9')) {
			char *end;
			v = calloc(1, sizeof *v);
			v->t = J_NUM;
			v->num = strtod(jp->p, &end);
			jp->p = end;
		} else {
			jp->err = "value expected";
		}
	}
	if (jp->err) {
		jv_free(v);
		return NULL;
	}
	return v;
}

/* Parses all of TEXT as one JSON value; fails the test if it is not. */
static struct jv *json_parse(const char *text)
{
	struct jparser jp = {text, NULL};
	struct jv *v = jvalue(&jp, 0);
	jws(&jp);
	if (v && *jp.p)
		jp.err = "text after the value";
	if (jp.err) {
		jv_free(v);
		fail_msg("invalid JSON at byte %zu: %s", (size_t)(jp.p - text),
			 jp.err);
	}
	return v;
}

static struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->k[i], key))
			return o->v[i];
	return NULL;
}

/* The string member KEY of O, or NULL when absent or not a string. */
static const char *jstr(const struct jv *o, const char *key)
{
	struct jv *v = jget(o, key);
	return v && v->t == J_STR ? v->s : NULL;
}

/* The array member KEY of O; fails the test when it is not one. */
static const struct jv *jarr(const struct jv *o, const char *key)
{
	struct jv *v = jget(o, key);
	if (!v || v->t != J_ARR)
		fail_msg("\"%s\" is not an array", key);
	return v;
}

static long jint(const struct jv *o, const char *key)
{
	struct jv *v = jget(o, key);
	if (!v || v->t != J_NUM)
		fail_msg("\"%s\" is not a number", key);
	return (long)v->num;
}

/* The item of array A whose member KEY is the string VALUE, or NULL. */
static const struct jv *jfind(const struct jv *a, const char *key,
			      const char *value)
{
	for (size_t i = 0; a && i < a->n; i++) {
		const char *s = jstr(a->v[i], key);
		if (s && !strcmp(s, value))
			return a->v[i];
	}
	return NULL;
}

/* The built archives' archive.json, parsed once. */
static struct jv *g_json, *g_uni_json_a, *g_uni_json_b;

static const struct jv *archive_json(void)
{
	if (!g_json)
		g_json = json_parse(file(g_out, "archive.json"));
	return g_json;
}

/* ---- XML ---- */

static xmlDocPtr xml_load(const char *dir, const char *rel)
{
	const char *path = fmt("%s/%s", dir, rel);
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	if (doc)
		keep_doc(doc);
	else
		fail_msg("%s is missing or not well-formed XML", path);
	return doc;
}

static xmlXPathObjectPtr xeval(xmlDocPtr doc, const char *xp)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST ATOM_NS);
	xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST SITEMAP_NS);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xp, ctx);
	xmlXPathFreeContext(ctx);
	return obj;
}

static int xcount(xmlDocPtr doc, const char *xp)
{
	xmlXPathObjectPtr obj = xeval(doc, xp);
	int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(obj);
	return n;
}

static const char *xstring(xmlDocPtr doc, const char *xp)
{
	xmlXPathObjectPtr obj = xeval(doc, xp);
	xmlChar *s = obj ? xmlXPathCastToString(obj) : xmlStrdup(BAD_CAST "");
	char *copy = keep(strdup((const char *)s));
	xmlFree(s);
	xmlXPathFreeObject(obj);
	return copy;
}

/* The string values of the nodes XP selects, in document order. */
static struct strs xlist(xmlDocPtr doc, const char *xp)
{
	struct strs l = {0};
	xmlXPathObjectPtr obj = xeval(doc, xp);
	int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	for (int i = 0; i < n; i++) {
		xmlChar *s =
		    xmlXPathCastNodeToString(obj->nodesetval->nodeTab[i]);
		strs_push(&l, keep(strdup((const char *)s)));
		xmlFree(s);
	}
	xmlXPathFreeObject(obj);
	if (l.v)
		keep(l.v);
	return l;
}

/* ---- building ---- */

static int build(const char *content, const char *out)
{
	const char *args[] = {"build", "-C", content, "-t",
			      THEME,   "-o", out,     NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	if (status != 0)
		fprintf(stderr, "gloss build -C %s exited %d:\n%s%s\n", content,
			status, r.out, r.err);
	run_result_free(&r);
	return status;
}

/* The small archive. Line 2 of its capture puts characters of 2, 3 and
 * 4 bytes and a combining mark just before the note's passage, and
 * line 1's end falls inside the passage's 32 characters of prefix. */
#define UNI_TXT                                                                \
	"Headline with </script> & \"quotes\" \xe2\x80\x94 \xf0\x9d\x84\x9e "  \
	"end\n"                                                                \
	"Lead: \xf0\x9f\x98\x80\xf0\x9f\x98\x80 e\xcc\x82 \xe2\x80\x94 "       \
	"\xc3\xbc: the passage to find here. And more text after it "          \
	"\xf0\x9f\x98\x80.\n"                                                  \
	"Second line \xe2\x80\x9cok\xe2\x80\x9d.\n"
#define UNI_TITLE                                                              \
	"Headline with </script> & \"quotes\" \xe2\x80\x94 \xf0\x9d\x84\x9e "  \
	"end"
#define UNI_NOTE_PASSAGE "the passage to find here."
#define UNI_POS_PASSAGE "And more text after it"
/* The note as plain text: the code span keeps `</script>`, the line
 * separator U+2028 survives, the list keeps one item a line. */
#define UNI_NOTE_TEXT                                                          \
	"Note: \"quoted\" </script> and \xf0\x9f\x98\x80 and "                 \
	"\xc3\xbcn\xc3\xaf"                                                    \
	"c\xc3\xb6"                                                            \
	"d\xc3\xa9, a line separator "                                         \
	"(\xe2\x80\xa8) here.\n\n- one\n- two"
#define UNI_PARTY_NAME "P \"the </script> party\""

static void write_uni(const char *dir, int with_base)
{
	mkdir(dir, 0777);
	put_file(dir, "archive.yaml",
		 with_base ? "title: \"Quotes \\\" and </script> archive\"\n"
			     "language: fr\n"
			     "base_url: " UNI_BASE "\n"
			   : "title: \"Quotes \\\" and </script> archive\"\n"
			     "language: fr\n",
		 -1);
	put_file(dir, "articles/uni.txt", UNI_TXT, -1);
	/* A control character (U+0001) in the introduction: allowed in a
	 * capture's Markdown, never in XML. */
	put_file(dir, "articles/uni.md",
		 "---\noutlet: \"Le Monde </script>\"\ndate: 2019-07-14\n---\n"
		 "Intro \x01naming [](party:p) with `</script>`.\n\n"
		 "> " UNI_NOTE_PASSAGE "\n\n"
		 "Note: \"quoted\" `</script>` and \xf0\x9f\x98\x80 and "
		 "\xc3\xbcn\xc3\xaf"
		 "c\xc3\xb6"
		 "d\xc3\xa9, a line separator "
		 "(\xe2\x80\xa8) here.\n\n- one\n- two\n",
		 -1);
	put_file(dir, "parties/p.md",
		 "---\nname: '" UNI_PARTY_NAME "'\naliases: [Pee]\n---\n", -1);
	put_file(dir, "proposals/x.md",
		 "---\ntitle: X\ndate: 2019-07\nproposed_by: [p]\n"
		 "positions:\n"
		 "  - party: p\n    stance: conditional\n    source: uni\n"
		 "    quote: " UNI_POS_PASSAGE "\n"
		 "  - party: p\n    stance: undecided\n    source: uni\n"
		 "---\n",
		 -1);
}

static int setup(void **state)
{
	(void)state;
	g_tmp = temp_dir();
	if (asprintf(&g_out, "%s/out", g_tmp) < 0 ||
	    asprintf(&g_uni, "%s/uni", g_tmp) < 0 ||
	    asprintf(&g_uni_a, "%s/uni-a", g_tmp) < 0 ||
	    asprintf(&g_uni_b, "%s/uni-b", g_tmp) < 0)
		return -1;
	if (build(CONTENT, g_out) != 0)
		return -1;
	char *plain = NULL;
	if (asprintf(&plain, "%s-plain", g_uni) < 0)
		return -1;
	write_uni(g_uni, 1);
	write_uni(plain, 0);
	int rc =
	    build(g_uni, g_uni_a) == 0 && build(plain, g_uni_b) == 0 ? 0 : -1;
	free(plain);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	free_kept(NULL);
	free(g_kept);
	g_kept = NULL;
	g_kept_cap = 0;
	free(g_docs);
	g_docs = NULL;
	g_docs_cap = 0;
	jv_free(g_json);
	jv_free(g_uni_json_a);
	jv_free(g_uni_json_b);
	remove_dir(g_tmp);
	free(g_out);
	free(g_uni);
	free(g_uni_a);
	free(g_uni_b);
	free(g_tmp);
	return 0;
}

/* ---- feed.xml ---- */

/* "YYYY-MM-DDT00:00:00Z" */
static int is_first_instant(const char *s)
{
	static const char shape[] = "dddd-dd-ddT00:00:00Z";
	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9')
				    : s[i] != shape[i])
			return 0;
	return 1;
}

static void test_feed_is_atom(void **state)
{
	(void)state;
	xmlDocPtr doc = xml_load(g_out, "feed.xml");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "feed");
	assert_non_null(root->ns);
	assert_string_equal((const char *)root->ns->href, ATOM_NS);
	/* One entry per article of the fixture. */
	struct strs mds = files_ending(CONTENT "/articles", ".md");
	assert_int_equal(mds.n, 2);
	assert_int_equal(xcount(doc, "/a:feed/a:entry"), (int)mds.n);
	/* The elements Atom requires of a feed, and the archive's own. */
	assert_string_equal(xstring(doc, "string(/a:feed/a:title)"),
			    "Test Archive");
	assert_string_equal(xstring(doc, "string(/a:feed/a:subtitle)"),
			    "A small archive that exercises every feature");
	assert_string_equal(xstring(doc, "string(/a:feed/a:id)"),
			    BASE "feed.xml");
	assert_string_equal(xstring(doc, "string(/a:feed/a:author/a:name)"),
			    "Test Archive");
	assert_string_equal(
	    xstring(doc, "string(/a:feed/a:link[@rel='self']/@href)"),
	    BASE "feed.xml");
	assert_string_equal(
	    xstring(doc, "string(/a:feed/a:link[@rel='alternate']/@href)"),
	    BASE "index.html");
	/* The newest article is from March 2008: its first day. */
	assert_string_equal(xstring(doc, "string(/a:feed/a:updated)"),
			    "2008-03-01T00:00:00Z");
	/* Every entry has what Atom requires. */
	assert_int_equal(xcount(doc,
				"/a:feed/a:entry[not(a:id) or not(a:title) "
				"or not(a:updated) or not(a:link)]"),
			 0);
}

/* An archive of more articles than the feed holds: the newest 50, by
 * date, newest first. */
static void test_feed_keeps_the_newest(void **state)
{
	(void)state;
	const char *dir = fmt("%s/many", g_tmp);
	const char *out = fmt("%s/many-out", g_tmp);
	mkdir(dir, 0777);
	put_file(dir, "archive.yaml",
		 "title: Many\nbase_url: https://example.org/many/\n", -1);
	enum { N = 55 };
	for (int i = 0; i < N; i++) {
		/* dates out of ID order: article i is of day i * 7 % N */
		int day = i * 7 % N;
		const char *id = fmt("a%02d", i);
		put_file(dir, fmt("articles/%s.txt", id),
			 fmt("Headline %d\nText.\n", i), -1);
		put_file(dir, fmt("articles/%s.md", id),
			 fmt("---\noutlet: O\ndate: 2019-%02d-%02d\n---\n",
			     day / 28 + 1, day % 28 + 1),
			 -1);
	}
	assert_int_equal(build(dir, out), 0);
	xmlDocPtr doc = xml_load(out, "feed.xml");
	struct strs ids = xlist(doc, "/a:feed/a:entry/a:id");
	assert_int_equal(ids.n, 50);
	/* The days 54 down to 5: the five oldest are left out. */
	for (size_t k = 0; k < ids.n; k++) {
		int day = N - 1 - (int)k, i = 0;
		while (i * 7 % N != day)
			i++;
		assert_string_equal(
		    ids.v[k],
		    fmt("https://example.org/many/articles/a%02d.html", i));
	}
}

static void test_feed_entries_newest_first(void **state)
{
	(void)state;
	xmlDocPtr doc = xml_load(g_out, "feed.xml");
	struct strs updated = xlist(doc, "/a:feed/a:entry/a:updated");
	struct strs ids = xlist(doc, "/a:feed/a:entry/a:id");
	struct strs links =
	    xlist(doc, "/a:feed/a:entry/a:link[@rel='alternate']/@href");
	assert_int_equal(updated.n, 2);
	assert_int_equal(links.n, 2);
	for (size_t i = 0; i < updated.n; i++) {
		if (!is_first_instant(updated.v[i]))
			fail_msg("not a full timestamp: %s", updated.v[i]);
		/* ISO timestamps of one shape compare as strings. */
		if (i && strcmp(updated.v[i - 1], updated.v[i]) < 0)
			fail_msg("entry %zu (%s) is newer than the one before",
				 i, updated.v[i]);
		assert_true(starts_with(links.v[i], BASE));
		assert_true(is_regular_file(g_out, links.v[i] + strlen(BASE)));
		assert_string_equal(ids.v[i], links.v[i]);
	}
	/* 2008-03 (month) before 2008 (year, which becomes 1 January). */
	assert_string_equal(links.v[0],
			    BASE "articles/2008-03-beta-answer.html");
	assert_string_equal(updated.v[0], "2008-03-01T00:00:00Z");
	assert_string_equal(links.v[1], BASE "articles/2008-alpha-offer.html");
	assert_string_equal(updated.v[1], "2008-01-01T00:00:00Z");
	/* Titles as the articles give them; summaries are the editors'
	 * introductions, with an empty link text as the entry's title. */
	assert_string_equal(
	    xstring(doc, "string(/a:feed/a:entry[2]/a:title)"),
	    "Alpha offers a \xe2\x80\x9ctruce\xe2\x80\x9d to Beta");
	assert_string_equal(
	    xstring(doc, "string(/a:feed/a:entry[2]/a:summary)"),
	    "The first report of the Alpha's 2008 truce offer.");
	assert_string_equal(
	    xstring(doc, "string(/a:feed/a:entry[1]/a:summary)"),
	    "Follows up the first report.");
	/* Categories: the parties named, the proposals covered. */
	assert_int_equal(
	    xcount(doc, "/a:feed/a:entry[1]/a:category[@term='gamma' and "
			"@label='Gamma' and @scheme='" BASE "parties/']"),
	    1);
	assert_int_equal(
	    xcount(doc,
		   "/a:feed/a:entry[2]/a:category[@term='2008-alpha-truce' "
		   "and @scheme='" BASE "proposals/']"),
	    1);
}

/* Full timestamps are for the feed only: pages and data keep the
 * precision the editors gave. */
static void test_dates_keep_precision_elsewhere(void **state)
{
	(void)state;
	htmlDocPtr page = load_page(g_out, "articles/2008-alpha-offer.html");
	keep_doc(page);
	assert_non_null(page);
	assert_true(xpath_count(page, "//time[@datetime='2008']") >= 1);
	assert_int_equal(xpath_count(page, "//time[contains(@datetime,'T')]"),
			 0);
	const struct jv *alpha =
	    jfind(jarr(archive_json(), "articles"), "id", "2008-alpha-offer");
	assert_non_null(alpha);
	assert_string_equal(jstr(alpha, "date"), "2008");
	assert_string_equal(jstr(alpha, "date_precision"), "year");
	assert_null(strstr(file(g_out, "archive.json"), "T00:00:00"));
}

/* ---- sitemap.xml ---- */

static void check_sitemap(const char *out, const char *base)
{
	xmlDocPtr doc = xml_load(out, "sitemap.xml");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "urlset");
	assert_string_equal((const char *)root->ns->href, SITEMAP_NS);
	struct strs locs = xlist(doc, "/s:urlset/s:url/s:loc");
	struct strs pages = files_ending(out, ".html");
	struct strs rels = {0};
	for (size_t i = 0; i < locs.n; i++) {
		if (!starts_with(locs.v[i], base))
			fail_msg("not under base_url: %s", locs.v[i]);
		strs_push(&rels, locs.v[i] + strlen(base));
	}
	if (rels.v) {
		qsort(rels.v, rels.n, sizeof *rels.v, compare_str);
		keep(rels.v);
	}
	/* Every page once, nothing else: the same sorted lists. */
	for (size_t i = 0; i < rels.n || i < pages.n; i++) {
		const char *got = i < rels.n ? rels.v[i] : "(nothing)";
		const char *want = i < pages.n ? pages.v[i] : "(nothing)";
		if (strcmp(got, want))
			fail_msg("sitemap entry %zu: %s, page: %s", i, got,
				 want);
	}
	assert_true(pages.n >= 10);
}

static void test_sitemap_lists_every_page(void **state)
{
	(void)state;
	check_sitemap(g_out, BASE);
	check_sitemap(g_uni_a, UNI_BASE_ENC);
}

static void test_no_base_url_no_feeds(void **state)
{
	(void)state;
	assert_false(path_exists(g_uni_b, "feed.xml"));
	assert_false(path_exists(g_uni_b, "sitemap.xml"));
	assert_true(path_exists(g_uni_b, "archive.json"));
	assert_null(strstr(file(g_uni_b, ".gloss-manifest"), ".xml"));
	if (!g_uni_json_b)
		g_uni_json_b = json_parse(file(g_uni_b, "archive.json"));
	assert_null(jget(g_uni_json_b, "base_url"));
	/* Without a base, annotations name their pages relatively. */
	const struct jv *annos = jarr(g_uni_json_b, "annotations");
	assert_int_equal(annos->n, 2);
	for (size_t i = 0; i < annos->n; i++) {
		assert_true(
		    starts_with(jstr(annos->v[i], "id"), "articles/uni.html#"));
		assert_string_equal(jstr(jget(annos->v[i], "target"), "source"),
				    "articles/uni.txt");
	}
}

/* Pages point readers and feed readers at the feed only when it exists;
 * the data file is always linked. */
static void test_pages_link_the_feed_when_there_is_one(void **state)
{
	(void)state;
	htmlDocPtr with = keep_doc(load_page(g_uni_a, "articles/uni.html"));
	htmlDocPtr without = keep_doc(load_page(g_uni_b, "articles/uni.html"));
	assert_non_null(with);
	assert_non_null(without);
	assert_int_equal(xpath_count(with, "//head/link[@rel='alternate'][@type="
					   "'application/atom+xml'][@href='../feed.xml']"), 1);
	assert_int_equal(xpath_count(with, "//body//a[@href='../feed.xml']"), 1);
	assert_int_equal(xpath_count(without, "//*[contains(@href, 'feed.xml')]"), 0);
	assert_int_equal(xpath_count(with, "//a[@href='../archive.json']"), 1);
	assert_int_equal(xpath_count(without, "//a[@href='../archive.json']"), 1);
}

/* A base_url without its final '/', with a space and a non-ASCII letter;
 * text that XML must escape, and a control character it cannot hold. */
static void test_feed_encodes_and_escapes(void **state)
{
	(void)state;
	xmlDocPtr doc = xml_load(g_uni_a, "feed.xml");
	assert_string_equal(xstring(doc, "string(/a:feed/@xml:lang)"), "fr");
	assert_string_equal(
	    xstring(doc, "string(/a:feed/a:link[@rel='self']/@href)"),
	    UNI_BASE_ENC "feed.xml");
	assert_string_equal(xstring(doc, "string(/a:feed/a:entry/a:id)"),
			    UNI_BASE_ENC "articles/uni.html");
	assert_string_equal(xstring(doc, "string(/a:feed/a:title)"),
			    "Quotes \" and </script> archive");
	assert_string_equal(xstring(doc, "string(/a:feed/a:entry/a:title)"),
			    UNI_TITLE);
	/* U+0001 left out, the rest as written. */
	assert_string_equal(xstring(doc, "string(/a:feed/a:entry/a:summary)"),
			    "Intro naming " UNI_PARTY_NAME " with </script>.");
	assert_string_equal(xstring(doc, "string(/a:feed/a:entry/a:updated)"),
			    "2019-07-14T00:00:00Z");
	assert_null(strstr(file(g_uni_a, "feed.xml"), "\x01"));
}

/* ---- archive.json ---- */

static void check_path(const char *out, const char *rel)
{
	if (!rel)
		fail_msg("a page or text path is missing");
	if (!is_regular_file(out, rel))
		fail_msg("%s names no file of the site", rel);
}

static void check_ids(const struct jv *list, const char *key,
		      const struct jv *entries)
{
	const struct jv *ids = jarr(list, key);
	for (size_t i = 0; i < ids->n; i++) {
		assert_int_equal(ids->v[i]->t, J_STR);
		if (!jfind(entries, "id", ids->v[i]->s))
			fail_msg("%s: unknown id %s", key, ids->v[i]->s);
	}
}

static void test_archive_json_shape(void **state)
{
	(void)state;
	const char *text = file(g_out, "archive.json");
	const struct jv *j = archive_json();
	assert_true(starts_with(text, "{\n  \"title\": "));
	assert_string_equal(jstr(j, "title"), "Test Archive");
	assert_string_equal(jstr(j, "language"), "en");
	assert_string_equal(jstr(j, "base_url"), BASE);
	const struct jv *articles = jarr(j, "articles"),
			*parties = jarr(j, "parties"),
			*proposals = jarr(j, "proposals"),
			*pages = jarr(j, "pages");
	assert_int_equal(articles->n, 2);
	assert_int_equal(parties->n, 3);
	assert_int_equal(proposals->n, 1);
	assert_int_equal(pages->n, 1);
	/* Articles by date, oldest first. */
	assert_string_equal(jstr(articles->v[0], "id"), "2008-alpha-offer");
	assert_string_equal(jstr(articles->v[1], "id"), "2008-03-beta-answer");
	for (size_t i = 0; i < articles->n; i++) {
		const struct jv *a = articles->v[i];
		const char *id = jstr(a, "id");
		assert_string_equal(jstr(a, "page"),
				    fmt("articles/%s.html", id));
		assert_string_equal(jstr(a, "text"),
				    fmt("articles/%s.txt", id));
		check_path(g_out, jstr(a, "page"));
		check_path(g_out, jstr(a, "text"));
		check_ids(a, "parties", parties);
		check_ids(a, "proposals", proposals);
		const struct jv *m = jarr(a, "mentions");
		for (size_t k = 0; k < m->n; k++) {
			assert_non_null(
			    jfind(parties, "id", jstr(m->v[k], "party")));
			assert_true(jint(m->v[k], "count") > 0);
		}
	}
	const struct jv *beta = articles->v[1], *alpha = articles->v[0];
	assert_string_equal(jstr(beta, "date"), "2008-03");
	assert_string_equal(jstr(beta, "date_precision"), "month");
	assert_string_equal(jstr(beta, "byline"), "A. Reporter");
	assert_string_equal(jstr(beta, "url"),
			    "https://example.org/story?id=1&x=2");
	assert_string_equal(jstr(beta, "outlet"), "The Test Post");
	assert_null(jget(beta, "date_note"));
	assert_string_equal(jstr(alpha, "date_note"),
			    "Year inferred from the offer it describes.");
	/* Lines 2 ("Share this story", archive-wide) and 6 (the photo
	 * caption in the article's omit) are hidden. */
	const struct jv *omitted = jarr(alpha, "omitted_lines");
	assert_int_equal(omitted->n, 2);
	assert_int_equal((int)omitted->v[0]->num, 2);
	assert_int_equal((int)omitted->v[1]->num, 6);
	/* Gamma is named in alpha's front matter, never mentioned there. */
	const struct jv *ap = jarr(alpha, "parties");
	int has_gamma = 0;
	for (size_t k = 0; k < ap->n; k++)
		has_gamma |= !strcmp(ap->v[k]->s, "gamma");
	assert_true(has_gamma);
	assert_null(jfind(jarr(alpha, "mentions"), "party", "gamma"));
	const struct jv *jihad = jfind(parties, "id", "islamic-jihad");
	assert_string_equal(jstr(jihad, "name"), "Palestinian Islamic Jihad");
	assert_string_equal(jstr(jihad, "kind"), "movement");
	assert_int_equal(jarr(jihad, "aliases")->n, 3);
	for (size_t i = 0; i < parties->n; i++)
		check_path(g_out, jstr(parties->v[i], "page"));
	for (size_t i = 0; i < pages->n; i++)
		check_path(g_out, jstr(pages->v[i], "page"));
	assert_string_equal(jstr(pages->v[0], "summary"),
			    "How the archive is made.");
	const struct jv *p = proposals->v[0];
	check_path(g_out, jstr(p, "page"));
	assert_string_equal(jstr(p, "status"), "rejected");
	assert_string_equal(jstr(p, "date_precision"), "year");
	check_ids(p, "proposed_by", parties);
	check_ids(p, "mediators", parties);
	check_ids(p, "addressed_to", parties);
	check_ids(p, "coverage", articles);
	const struct jv *terms = jarr(p, "terms");
	assert_int_equal(terms->n, 2);
	assert_string_equal(terms->v[1]->s, "No timetable was reported.");
}

/* The fixture's notes: article, passage as the capture has it (the .md
 * quotes some with straight quotes and ASCII dashes, which fold), and the
 * note's text as plain text. */
static const struct {
	const char *article, *exact, *body;
} notes[] = {
    {"2008-alpha-offer", "Alpha\xe2\x80\x99s offer of a truce stands",
     "Hamas restates its offer."},
    {"2008-alpha-offer",
     "\xe2\x80\x9cThis is not a time for truce.\xe2\x80\x9d",
     "Palestinian Islamic Jihad rejects the offer."},
    {"2008-alpha-offer",
     "The offer \xe2\x80\x94 he said \xe2\x80\x94 stands\xe2\x80\xa6 for now.",
     "Overlaps with the next note."},
    {"2008-alpha-offer", "he said \xe2\x80\x94 stands",
     "A nested passage inside the previous one. See also the second "
     "report and the method."},
    {"2008-03-beta-answer", "Gamma was said to mediate",
     "Gamma is reported as mediator. raw html is not rendered."},
};

/* Checks that annotation A targets exactly EXACT in OUT/articles/ID.txt,
 * with prefix, suffix and positions counted in characters, and that its
 * id names an element of the article's page. */
static void check_target(const char *out, const char *base, const struct jv *a,
			 const char *id, const char *exact,
			 const char *frag_prefix)
{
	const char *txt = file(out, fmt("articles/%s.txt", id));
	const struct jv *target = jget(a, "target");
	assert_string_equal(jstr(target, "source"),
			    fmt("%sarticles/%s.txt", base, id));
	const struct jv *sel = jarr(target, "selector");
	assert_int_equal(sel->n, 2);
	const struct jv *q = sel->v[0], *pos = sel->v[1];
	assert_string_equal(jstr(q, "type"), "TextQuoteSelector");
	assert_string_equal(jstr(pos, "type"), "TextPositionSelector");
	size_t start = only_occurrence(txt, exact);
	size_t end = start + strlen(exact);
	size_t before = chars_back(txt, start, 32);
	size_t after = chars_forward(txt, end, 32);
	assert_string_equal(jstr(q, "exact"), exact);
	assert_string_equal(jstr(q, "prefix"),
			    keep(strndup(txt + before, start - before)));
	assert_string_equal(jstr(q, "suffix"),
			    keep(strndup(txt + end, after - end)));
	assert_int_equal(jint(pos, "start"), (long)chars_in(txt, start));
	assert_int_equal(jint(pos, "end"), (long)chars_in(txt, end));
	/* The id is the note's or position's place on the article page. */
	const char *anno_id = jstr(a, "id");
	const char *page = fmt("%sarticles/%s.html#%s", base, id, frag_prefix);
	if (!starts_with(anno_id, page))
		fail_msg("annotation id %s is not under %s", anno_id, page);
	htmlDocPtr doc = keep_doc(load_page(out, fmt("articles/%s.html", id)));
	assert_non_null(doc);
	assert_int_equal(
	    xpath_count(doc, fmt("//*[@id='%s']", strchr(anno_id, '#') + 1)),
	    1);
}

static void check_annotation_frame(const struct jv *a, const char *motivation)
{
	assert_string_equal(jstr(a, "@context"), ANNO_CONTEXT);
	assert_string_equal(jstr(a, "type"), "Annotation");
	assert_string_equal(jstr(a, "motivation"), motivation);
}

static void test_annotations_for_notes(void **state)
{
	(void)state;
	const struct jv *annos = jarr(archive_json(), "annotations");
	size_t n_notes = sizeof notes / sizeof notes[0], found = 0;
	/* 5 notes and 3 anchored positions. */
	assert_int_equal(annos->n, n_notes + 3);
	for (size_t i = 0; i < annos->n; i++) {
		const struct jv *a = annos->v[i];
		const char *m = jstr(a, "motivation");
		if (!m || strcmp(m, "commenting"))
			continue;
		const struct jv *q = jarr(jget(a, "target"), "selector")->v[0];
		size_t k = 0;
		while (k < n_notes && strcmp(notes[k].exact, jstr(q, "exact")))
			k++;
		if (k == n_notes)
			fail_msg("annotation of an unknown passage: %s",
				 jstr(q, "exact"));
		found++;
		check_annotation_frame(a, "commenting");
		check_target(g_out, BASE, a, notes[k].article, notes[k].exact,
			     "n-");
		const struct jv *body = jarr(a, "body");
		assert_string_equal(jstr(body->v[0], "type"), "TextualBody");
		assert_string_equal(jstr(body->v[0], "format"), "text/plain");
		assert_string_equal(jstr(body->v[0], "language"), "en");
		assert_string_equal(jstr(body->v[0], "value"), notes[k].body);
		/* Then each entry the note links, as a linked resource. */
		for (size_t b = 1; b < body->n; b++) {
			assert_string_equal(jstr(body->v[b], "type"),
					    "SpecificResource");
			assert_string_equal(jstr(body->v[b], "purpose"),
					    "linking");
			const char *src = jstr(body->v[b], "source");
			assert_true(starts_with(src, BASE));
			check_path(g_out, src + strlen(BASE));
		}
	}
	assert_int_equal(found, n_notes);
	/* The second note links Islamic Jihad, with an empty link text. */
	const struct jv *second = NULL;
	for (size_t i = 0; i < annos->n && !second; i++)
		if (strstr(jstr(annos->v[i], "id"), "#n-this-is-not"))
			second = annos->v[i];
	assert_non_null(second);
	assert_int_equal(jarr(second, "body")->n, 2);
	assert_string_equal(jstr(jarr(second, "body")->v[1], "source"),
			    BASE "parties/islamic-jihad.html");
}

static void test_annotations_for_positions(void **state)
{
	(void)state;
	const struct jv *j = archive_json();
	const struct jv *annos = jarr(j, "annotations");
	const struct jv *positions =
	    jarr(jarr(j, "proposals")->v[0], "positions");
	static const struct {
		const char *party, *stance, *source, *date, *exact;
	} want[] = {
	    {"islamic-jihad", "rejected", "2008-alpha-offer", "2008",
	     "This is not a time for truce."},
	    {"islamic-jihad", "rejected", "2008-03-beta-answer", "2008-03",
	     "Beta said it rejected the truce offered by Alpha."},
	    {"hamas", "accepted", "2008-alpha-offer", "2008",
	     "Alpha\xe2\x80\x99s offer of a truce stands"},
	};
	assert_int_equal(positions->n, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct jv *p = positions->v[i];
		assert_string_equal(jstr(p, "party"), want[i].party);
		assert_string_equal(jstr(p, "stance"), want[i].stance);
		assert_string_equal(jstr(p, "source"), want[i].source);
		/* The first has no date of its own: its source's. */
		assert_string_equal(jstr(p, "date"), want[i].date);
		const char *id = jstr(p, "annotation");
		assert_non_null(id);
		const struct jv *a = jfind(annos, "id", id);
		if (!a)
			fail_msg("no annotation %s", id);
		check_annotation_frame(a, "assessing");
		check_target(g_out, BASE, a, want[i].source, want[i].exact,
			     "pp-");
		const struct jv *body = jarr(a, "body");
		assert_int_equal(body->n, 3);
		assert_string_equal(jstr(body->v[0], "type"), "TextualBody");
		assert_string_equal(jstr(body->v[0], "purpose"), "tagging");
		assert_string_equal(jstr(body->v[0], "value"), want[i].stance);
		assert_string_equal(jstr(body->v[1], "purpose"), "identifying");
		assert_string_equal(jstr(body->v[1], "source"),
				    fmt(BASE "parties/%s.html", want[i].party));
		assert_string_equal(jstr(body->v[2], "purpose"), "linking");
		assert_string_equal(jstr(body->v[2], "source"),
				    BASE "proposals/2008-alpha-truce.html");
	}
}

/* Characters of several bytes before passages; quotes, </script>, a line
 * separator and emoji in values; a position without a quote. */
static void test_code_points_and_special_characters(void **state)
{
	(void)state;
	const char *text = file(g_uni_a, "archive.json");
	/* Safe inside a <script>: no "</" anywhere. */
	assert_null(strstr(text, "</"));
	if (!g_uni_json_a)
		g_uni_json_a = json_parse(text);
	const struct jv *j = g_uni_json_a;
	assert_string_equal(jstr(j, "title"),
			    "Quotes \" and </script> archive");
	assert_string_equal(jstr(j, "base_url"), UNI_BASE_ENC);
	const struct jv *art = jarr(j, "articles")->v[0];
	assert_string_equal(jstr(art, "title"), UNI_TITLE);
	assert_string_equal(jstr(art, "outlet"), "Le Monde </script>");
	assert_string_equal(jstr(art, "date_precision"), "day");
	assert_string_equal(jstr(jarr(j, "parties")->v[0], "name"),
			    UNI_PARTY_NAME);
	const struct jv *annos = jarr(j, "annotations");
	assert_int_equal(annos->n, 2);
	/* In text order: the note's passage comes first. */
	const struct jv *note = annos->v[0], *pos = annos->v[1];
	check_annotation_frame(note, "commenting");
	check_target(g_uni_a, UNI_BASE_ENC, note, "uni", UNI_NOTE_PASSAGE,
		     "n-");
	assert_string_equal(jstr(jarr(note, "body")->v[0], "value"),
			    UNI_NOTE_TEXT);
	assert_string_equal(jstr(jarr(note, "body")->v[0], "language"), "fr");
	check_annotation_frame(pos, "assessing");
	check_target(g_uni_a, UNI_BASE_ENC, pos, "uni", UNI_POS_PASSAGE, "pp-");
	/* Bytes and characters differ here, so this checks the unit. */
	const struct jv *sel = jarr(jget(note, "target"), "selector")->v[1];
	const char *txt = file(g_uni_a, "articles/uni.txt");
	assert_true((size_t)jint(sel, "start") <
		    only_occurrence(txt, UNI_NOTE_PASSAGE));
	/* The position without a quote is data, not an annotation. */
	const struct jv *positions =
	    jarr(jarr(j, "proposals")->v[0], "positions");
	assert_int_equal(positions->n, 2);
	assert_non_null(jget(positions->v[0], "annotation"));
	assert_string_equal(jstr(positions->v[1], "stance"), "undecided");
	assert_null(jget(positions->v[1], "annotation"));
	assert_null(jget(positions->v[1], "quote"));
	assert_string_equal(jstr(positions->v[1], "date"), "2019-07-14");
}

#define T_(f) cmocka_unit_test_teardown(f, free_kept)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T_(test_feed_is_atom),
	    T_(test_feed_entries_newest_first),
	    T_(test_feed_keeps_the_newest),
	    T_(test_dates_keep_precision_elsewhere),
	    T_(test_sitemap_lists_every_page),
	    T_(test_no_base_url_no_feeds),
	    T_(test_pages_link_the_feed_when_there_is_one),
	    T_(test_feed_encodes_and_escapes),
	    T_(test_archive_json_shape),
	    T_(test_annotations_for_notes),
	    T_(test_annotations_for_positions),
	    T_(test_code_points_and_special_characters),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
