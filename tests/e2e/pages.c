/* End-to-end tests of the pages gloss writes: the golden archive
 * tests/golden/basic/content is built once with the default theme, and
 * every test reads the pages it needs with libxml2's HTML parser and XPath.
 *
 * The expected values are worked out from the fixture by the rules of
 * SPEC.md (sections 2 and 3), not copied from gloss's output; where a
 * value needs reasoning (mention counts, dates, omitted lines) the
 * reasoning is written beside it. Class names and section headings come
 * from themes/default, which the build names explicitly. */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#define CONTENT "tests/golden/basic/content"
#define THEME "themes/default"
#define SITE_TITLE "Test Archive"
#define TITLE_SUFFIX " \xe2\x80\x94 " SITE_TITLE /* " — Test Archive" */
#define MANIFEST ".gloss-manifest"

#define ALPHA "articles/2008-alpha-offer.html"
#define BETA "articles/2008-03-beta-answer.html"
#define TRUCE "proposals/2008-alpha-truce.html"
#define HAMAS "parties/hamas.html"
#define JIHAD "parties/islamic-jihad.html"
#define GAMMA "parties/gamma.html"

/* Titles and names as the fixture gives them. */
#define ALPHA_TITLE "Alpha offers a \xe2\x80\x9ctruce\xe2\x80\x9d to Beta"
#define BETA_TITLE "Beta rejects the truce"
#define TRUCE_TITLE "Alpha's 2008 truce offer"
#define JIHAD_NAME "Palestinian Islamic Jihad"

/* An XPath predicate: the element has class C. */
#define CLS(c)                                                                 \
	"[contains(concat(' ', normalize-space(@class), ' '), ' " c " ')]"
/* The theme's section whose heading is H. */
#define SEC(h) "//section[h2[normalize-space()='" h "']]"

static char *g_tmp; /* the test's temporary folder */
static char *g_out; /* the site built by the group setup */

/* ---- memory: everything a test allocates is freed after it, even when an
 * assertion stops it half-way ---- */

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

static int free_kept(void **state)
{
	(void)state;
	for (size_t i = 0; i < g_kept_n; i++)
		free(g_kept[i]);
	g_kept_n = 0;
	return 0;
}

static char *fmtv(const char *f, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		abort();
	return keep(s);
}

static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = fmtv(f, ap);
	va_end(ap);
	return s;
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

static void sb_adds(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_addf(struct sb *b, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	sb_adds(b, s);
	free(s);
}

/* Hands the string to the per-test arena ("" when empty). */
static const char *sb_keep(struct sb *b)
{
	if (!b->p)
		sb_addn(b, "", 0);
	return keep(b->p);
}

/* S with every run of white space made one space, trimmed. */
static const char *norm(const char *s)
{
	struct sb b = {0};
	int space = 0;
	sb_addn(&b, "", 0);
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f') {
			space = 1;
			continue;
		}
		if (space && b.n)
			sb_addn(&b, " ", 1);
		space = 0;
		sb_addn(&b, s, 1);
	}
	return sb_keep(&b);
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

/* Fails the test with the problems listed in E, if any. */
#define fail_if_any(e)                                                         \
	do {                                                                   \
		if (*(e)) {                                                    \
			print_error("%s", (e));                                \
			fail();                                                \
		}                                                              \
	} while (0)

/* ---- files ---- */

/* The bytes of PATH, or NULL; *LEN receives their number. */
static char *read_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct sb b = {0};
	char chunk[8192];
	size_t r;
	sb_addn(&b, "", 0);
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_addn(&b, chunk, r);
	fclose(f);
	*len = b.n;
	return b.p;
}

/* 1 when DIR_A/REL_A and DIR_B/REL_B hold the same bytes. */
static int same_bytes(const char *dir_a, const char *rel_a, const char *dir_b,
		      const char *rel_b)
{
	size_t la = 0, lb = 0;
	char *a = read_bytes(fmt("%s/%s", dir_a, rel_a), &la);
	char *b = read_bytes(fmt("%s/%s", dir_b, rel_b), &lb);
	int same = a && b && la == lb && memcmp(a, b, la) == 0;
	free(a);
	free(b);
	return same;
}

static int is_regular(const char *dir, const char *rel)
{
	struct stat st;
	return stat(fmt("%s/%s", dir, rel), &st) == 0 && S_ISREG(st.st_mode);
}

struct strs {
	const char **v;
	size_t n;
};

static void strs_push(struct strs *l, const char *s, size_t *cap)
{
	if (l->n == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		l->v = realloc(l->v, *cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void walk(const char *root, const char *rel, struct strs *l, size_t *cap)
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
			walk(root, sub, l, cap);
		else
			strs_push(l, sub, cap);
	}
	closedir(d);
}

/* Every file under ROOT, as sorted paths relative to it. */
static struct strs list_files(const char *root)
{
	struct strs l = {0};
	size_t cap = 0;
	walk(root, "", &l, &cap);
	if (l.v) {
		qsort(l.v, l.n, sizeof *l.v, compare_str);
		keep(l.v);
	}
	return l;
}

static int strs_has(const struct strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

/* The HTML pages of the built site. */
static struct strs html_pages(void)
{
	struct strs all = list_files(g_out), html = {0};
	html.v = keep(calloc(all.n + 1, sizeof *html.v));
	for (size_t i = 0; i < all.n; i++)
		if (ends_with(all.v[i], ".html"))
			html.v[html.n++] = all.v[i];
	return html;
}

/* ---- pages and XPath ---- */

struct cached {
	char *rel;
	htmlDocPtr doc;
};
static struct cached *g_pages;
static size_t g_page_n, g_page_cap;

/* The page REL of the built site, parsed once; NULL when missing. */
static htmlDocPtr page_try(const char *rel)
{
	for (size_t i = 0; i < g_page_n; i++)
		if (!strcmp(g_pages[i].rel, rel))
			return g_pages[i].doc;
	if (!is_regular(g_out, rel))
		return NULL;
	htmlDocPtr doc = load_page(g_out, rel);
	if (!doc)
		return NULL;
	if (g_page_n == g_page_cap) {
		g_page_cap = g_page_cap ? 2 * g_page_cap : 32;
		g_pages = realloc(g_pages, g_page_cap * sizeof *g_pages);
	}
	g_pages[g_page_n].rel = strdup(rel);
	g_pages[g_page_n++].doc = doc;
	return doc;
}

static htmlDocPtr page(const char *rel)
{
	htmlDocPtr doc = page_try(rel);
	if (!doc)
		fail_msg("page %s is missing or does not parse", rel);
	return doc;
}

static void free_pages(void)
{
	for (size_t i = 0; i < g_page_n; i++) {
		free(g_pages[i].rel);
		xmlFreeDoc(g_pages[i].doc);
	}
	free(g_pages);
	g_pages = NULL;
	g_page_n = g_page_cap = 0;
}

/* The string value of an XPath expression (formatted from F). */
static const char *S(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	return keep(xpath_string(doc, xp));
}

/* Like S, with white space normalised. */
static const char *T(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	return norm(keep(xpath_string(doc, xp)));
}

/* The number of nodes an XPath expression selects. */
static int N(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	return xpath_count(doc, xp);
}

static xmlXPathObjectPtr eval(htmlDocPtr doc, const char *xp)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xp, ctx);
	xmlXPathFreeContext(ctx);
	return obj;
}

/* The normalised string values of the nodes an XPath selects, in
 * document order. */
static struct strs texts(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	struct strs l = {0};
	xmlXPathObjectPtr obj = eval(doc, xp);
	int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	l.v = keep(calloc((size_t)n + 1, sizeof *l.v));
	for (int i = 0; i < n; i++) {
		xmlChar *s =
		    xmlXPathCastNodeToString(obj->nodesetval->nodeTab[i]);
		l.v[l.n++] = norm((const char *)s);
		xmlFree(s);
	}
	xmlXPathFreeObject(obj);
	return l;
}

/* Asserts that L holds exactly the strings WANT (NULL-terminated), in
 * order. */
#define assert_strs(l, ...)                                                    \
	check_strs((l), (const char *const[]){__VA_ARGS__, NULL}, __FILE__,    \
		   __LINE__)

static void check_strs(struct strs l, const char *const *want, const char *file,
		       int line)
{
	size_t n = 0;
	int ok = 1;
	while (want[n])
		n++;
	ok = l.n == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = strcmp(l.v[i], want[i]) == 0;
	if (ok)
		return;
	print_error("want %zu strings:\n", n);
	for (size_t i = 0; i < n; i++)
		print_error("    \"%s\"\n", want[i]);
	print_error("got %zu:\n", l.n);
	for (size_t i = 0; i < l.n; i++)
		print_error("    \"%s\"\n", l.v[i]);
	_fail(file, line);
}

static int has_class(xmlNodePtr n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST "class");
	int found = 0;
	if (v) {
		size_t len = strlen(cls);
		for (const char *s = (const char *)v; *s;) {
			while (*s == ' ')
				s++;
			const char *e = s;
			while (*e && *e != ' ')
				e++;
			if ((size_t)(e - s) == len && !strncmp(s, cls, len))
				found = 1;
			s = e;
		}
		xmlFree(v);
	}
	return found;
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !xmlStrcasecmp(n->name, BAD_CAST name);
}

/* The text of N without the reference marks (sup.ref) gloss puts in
 * front of passages. */
static void text_without_refs(xmlNodePtr n, struct sb *out)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content)
			sb_adds(out, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE &&
			 !(is_el(c, "sup") && has_class(c, "ref")))
			text_without_refs(c, out);
	}
}

/* The shown lines of an article page, without reference marks, empty
 * lines left out. */
static struct strs shown_lines(htmlDocPtr doc)
{
	struct strs l = {0};
	xmlXPathObjectPtr obj = eval(doc, "//div" CLS("text") "/p" CLS("line"));
	int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	l.v = keep(calloc((size_t)n + 1, sizeof *l.v));
	for (int i = 0; i < n; i++) {
		struct sb b = {0};
		text_without_refs(obj->nodesetval->nodeTab[i], &b);
		const char *s = norm(sb_keep(&b));
		if (*s)
			l.v[l.n++] = s;
	}
	xmlXPathFreeObject(obj);
	return l;
}

static xmlNodePtr find_id(xmlNodePtr n, const char *id, int *count)
{
	xmlNodePtr found = NULL;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *v = xmlGetProp(n, BAD_CAST "id");
		if (v && !strcmp((const char *)v, id)) {
			(*count)++;
			if (!found)
				found = n;
		}
		xmlFree(v);
		xmlNodePtr sub = find_id(n->children, id, count);
		if (!found)
			found = sub;
	}
	return found;
}

/* How many elements of DOC have the id ID. */
static int count_id(htmlDocPtr doc, const char *id)
{
	int count = 0;
	find_id(xmlDocGetRootElement(doc), id, &count);
	return count;
}

/* The text highlighted from the reference mark whose link has id REF_ID:
 * the marked pieces that follow it (other reference marks skipped), up to
 * the first piece of text that is not marked. */
static const char *marked_after(htmlDocPtr doc, const char *ref_id)
{
	int count = 0;
	xmlNodePtr a = find_id(xmlDocGetRootElement(doc), ref_id, &count);
	struct sb b = {0};
	if (a && is_el(a->parent, "sup")) {
		for (xmlNodePtr n = a->parent->next; n; n = n->next) {
			if (is_el(n, "sup"))
				continue;
			if (!is_el(n, "mark") || !has_class(n, "passage"))
				break;
			xmlChar *s = xmlNodeGetContent(n);
			sb_adds(&b, (const char *)s);
			xmlFree(s);
		}
	}
	return sb_keep(&b);
}

/* The slug of the note on page ART whose text contains BODY (the id of
 * its box without "n-"). */
static const char *note_slug(const char *art, const char *body)
{
	htmlDocPtr doc = page(art);
	const char *xp = fmt("//div" CLS("note") "[contains(., \"%s\")]", body);
	if (xpath_count(doc, xp) != 1)
		fail_msg("%s: %d notes contain \"%s\", want 1", art,
			 xpath_count(doc, xp), body);
	const char *id = S(doc, "string(%s/@id)", xp);
	if (!starts_with(id, "n-") || !id[2])
		fail_msg("%s: note \"%s\" has id \"%s\", want n-SLUG", art,
			 body, id);
	return id + 2;
}

/* The slug of the position of party PARTY (an ID) shown on page ART. */
static const char *position_slug(const char *art, const char *party)
{
	htmlDocPtr doc = page(art);
	const char *xp =
	    fmt("//div" CLS("position") "[.//a[@href='../parties/%s.html']]",
		party);
	if (xpath_count(doc, xp) != 1)
		fail_msg("%s: %d positions of %s, want 1", art,
			 xpath_count(doc, xp), party);
	const char *id = S(doc, "string(%s/@id)", xp);
	if (!starts_with(id, "pos-") || !id[4])
		fail_msg("%s: position of %s has id \"%s\", want pos-SLUG", art,
			 party, id);
	return id + 4;
}

/* ---- running gloss with a changed environment ---- */

/* Runs gloss like run_gloss, with ENV applied in the child first: each
 * "NAME=VALUE" is set, each bare "NAME" unset. */
static struct run_result run_gloss_env(const char *const *args,
				       const char *const *env)
{
	struct run_result r = {0};
	FILE *out = tmpfile(), *err = tmpfile();
	size_t n = 0;
	while (args[n])
		n++;
	const char **argv = calloc(n + 2, sizeof *argv);
	argv[0] = gloss_binary();
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = args[i];
	pid_t pid = fork();
	if (pid == 0) {
		for (size_t i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			if (eq) {
				char *name =
				    strndup(env[i], (size_t)(eq - env[i]));
				setenv(name, eq + 1, 1);
			} else {
				unsetenv(env[i]);
			}
		}
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	fflush(out);
	fflush(err);
	lseek(fileno(out), 0, SEEK_SET);
	lseek(fileno(err), 0, SEEK_SET);
	r.out = slurp_fd(fileno(out));
	r.err = slurp_fd(fileno(err));
	fclose(out);
	fclose(err);
	free(argv);
	return r;
}

/* Builds the fixture into OUT with ENV; returns the exit status and
 * prints gloss's diagnostics when it is not 0. */
static int build_site(const char *out, const char *const *env)
{
	const char *args[] = {"build", "-C", CONTENT, "-t",
			      THEME,   "-o", out,     NULL};
	struct run_result r = run_gloss_env(args, env);
	int status = r.status;
	if (status != 0)
		fprintf(stderr, "gloss build -o %s exited %d:\n%s%s\n", out,
			status, r.out, r.err);
	run_result_free(&r);
	return status;
}

/* ---- group setup ---- */

static int setup(void **state)
{
	(void)state;
	g_tmp = temp_dir();
	if (asprintf(&g_out, "%s/out", g_tmp) < 0)
		return -1;
	return build_site(g_out, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free_pages();
	free_kept(NULL);
	free(g_kept);
	g_kept = NULL;
	g_kept_cap = 0;
	remove_dir(g_tmp);
	free(g_out);
	free(g_tmp);
	return 0;
}

/* ---- which files exist ---- */

/* The files SPEC §3 asks for, for this archive. timeline.html,
 * search.html come with the reading issue and get their tests there;
 * archive.json, feed.xml and sitemap.xml (the archive sets base_url) are
 * tested in data.c. */
static const char *const expected_files[] = {
    "index.html",
    "articles/index.html",
    "articles/2008/index.html", /* the list by year: tests/e2e/lists.c */
    ALPHA,
    "articles/2008-alpha-offer.txt",
    BETA,
    "articles/2008-03-beta-answer.txt",
    "parties/index.html",
    GAMMA,
    HAMAS,
    JIHAD,
    "proposals/index.html",
    "proposals/2008/index.html",
    TRUCE,
    "positions.html",
    "method.html",
    "assets/style.css",
    "static/map.txt",
    NULL,
};

static const char *const later_files[] = {
    "timeline.html",
    "search.html",
    "search-index.js", /* tests/e2e/search.c */
    "archive.json",
    "feed.xml",
    "sitemap.xml",
    "changes.html", /* when the fixture is in a git checkout: history.c */
    NULL,
};

static void test_expected_files_exist(void **state)
{
	(void)state;
	int missing = 0;
	for (size_t i = 0; expected_files[i]; i++) {
		if (!is_regular(g_out, expected_files[i])) {
			print_error("missing: %s\n", expected_files[i]);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}


static void test_no_pages_for_what_does_not_exist(void **state)
{
	(void)state;
	/* Things the archive does not have, or sources that are not output. */
	static const char *const absent[] = {
	    "about.html",	 /* the theme's placeholder page */
	    "pages/method.html", /* free pages live at the top */
	    "index.md",
	    "archive.yaml",
	    "articles/2008-alpha-offer.md",
	    "articles/2008-03-beta-answer.md",
	    "parties/alpha.html", /* aliases are not parties */
	    "parties/beta.html",
	    "parties/hamas.md",
	    "proposals/2008-alpha-truce.md",
	    "pages/method.md",
	    NULL,
	};
	int bad = 0;
	for (size_t i = 0; absent[i]; i++) {
		if (path_exists(g_out, absent[i])) {
			print_error("should not exist: %s\n", absent[i]);
			bad++;
		}
	}
	/* And nothing else besides the expected files, gloss's manifest,
	 * the pages still to come and the theme's assets. */
	struct strs all = list_files(g_out);
	for (size_t i = 0; i < all.n; i++) {
		const char *f = all.v[i];
		int ok = !strcmp(f, MANIFEST) || !strcmp(f, "404.html");
		for (size_t j = 0; !ok && expected_files[j]; j++)
			ok = !strcmp(f, expected_files[j]);
		for (size_t j = 0; !ok && later_files[j]; j++)
			ok = !strcmp(f, later_files[j]);
		if (!ok && starts_with(f, "assets/"))
			ok = is_regular(THEME, f);
		/* The search index's shards: tests/e2e/search.c. */
		if (!ok && starts_with(f, "search/"))
			ok = 1;
		if (!ok) {
			print_error("unexpected file: %s\n", f);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_copies_are_verbatim(void **state)
{
	(void)state;
	/* The captures are published as they are, omitted lines included. */
	assert_true(same_bytes(g_out, "articles/2008-alpha-offer.txt", CONTENT,
			       "articles/2008-alpha-offer.txt"));
	assert_true(same_bytes(g_out, "articles/2008-03-beta-answer.txt",
			       CONTENT, "articles/2008-03-beta-answer.txt"));
	assert_true(
	    same_bytes(g_out, "static/map.txt", CONTENT, "static/map.txt"));
	assert_true(
	    same_bytes(g_out, "assets/style.css", THEME, "assets/style.css"));
}

/* ---- what every page has ---- */

static void test_every_page_frame(void **state)
{
	(void)state;
	struct strs pages = html_pages();
	struct sb errs = {0};
	assert_true(pages.n >= 12);
	for (size_t i = 0; i < pages.n; i++) {
		const char *rel = pages.v[i];
		char *raw = keep(get_file(g_out, rel));
		if (!starts_with(raw, "<!DOCTYPE html>"))
			sb_addf(&errs,
				"%s: does not start with <!DOCTYPE html>\n",
				rel);
		if (strstr(raw, "data-gloss"))
			sb_addf(&errs, "%s: a data-gloss attribute remains\n",
				rel);
		htmlDocPtr doc = page_try(rel);
		if (!doc) {
			sb_addf(&errs, "%s: does not parse\n", rel);
			continue;
		}
		if (N(doc, "/html[@lang='en']") != 1)
			sb_addf(&errs, "%s: no <html lang=\"en\">\n", rel);
		if (N(doc, "//h1") != 1)
			sb_addf(&errs, "%s: %d h1, want 1\n", rel,
				N(doc, "//h1"));
		if (N(doc, "//main") != 1)
			sb_addf(&errs, "%s: %d main, want 1\n", rel,
				N(doc, "//main"));
		if (N(doc, "//main//h1") != 1)
			sb_addf(&errs, "%s: the h1 is not in main\n", rel);
		if (N(doc, "/html/head/title") != 1)
			sb_addf(&errs, "%s: no title in head\n", rel);
		const char *title = T(doc, "string(/html/head/title)");
		const char *h1 = T(doc, "string(//h1)");
		if (!strcmp(rel, "index.html")) {
			/* The home page: the archive's title, or index.md's. */
			if (strcmp(title, SITE_TITLE) &&
			    strcmp(title, "Test Archive home"))
				sb_addf(&errs,
					"%s: title \"%s\", want \"" SITE_TITLE
					"\" or \"Test Archive home\"\n",
					rel, title);
		} else if (strcmp(title, fmt("%s" TITLE_SUFFIX, h1))) {
			sb_addf(&errs,
				"%s: title \"%s\", want \"%s" TITLE_SUFFIX
				"\"\n",
				rel, title, h1);
		}
		if (!*h1)
			sb_addf(&errs, "%s: empty h1\n", rel);
	}
	const char *e = sb_keep(&errs);
	fail_if_any(e);
}

/* Percent-decodes S. */
static const char *pct_decode(const char *s)
{
	struct sb b = {0};
	sb_addn(&b, "", 0);
	for (; *s; s++) {
		unsigned v;
		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1 && s[1] &&
		    s[2]) {
			char c = (char)v;
			sb_addn(&b, &c, 1);
			s += 2;
		} else {
			sb_addn(&b, s, 1);
		}
	}
	return sb_keep(&b);
}

/* PATH relative to the page FROM, as a path from the site's top; NULL
 * when it leaves the site. */
static const char *resolve(const char *from, const char *path)
{
	const char *slash = strrchr(from, '/');
	const char *joined =
	    slash ? fmt("%.*s/%s", (int)(slash - from), from, path) : path;
	const char *parts[64];
	size_t n = 0;
	char *copy = keep(strdup(joined));
	for (char *save = NULL, *p = strtok_r(copy, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		if (!strcmp(p, "."))
			continue;
		if (!strcmp(p, "..")) {
			if (n == 0)
				return NULL;
			n--;
			continue;
		}
		if (n < 64)
			parts[n++] = p;
	}
	struct sb b = {0};
	sb_addn(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_adds(&b, "/");
		sb_adds(&b, parts[i]);
	}
	return sb_keep(&b);
}

/* The scheme of URL ("" when it has none). */
static const char *scheme_of(const char *url)
{
	size_t i = 0;
	if (!((url[0] >= 'a' && url[0] <= 'z') ||
	      (url[0] >= 'A' && url[0] <= 'Z')))
		return "";
	while (url[i] && url[i] != ':' && url[i] != '/' && url[i] != '?' &&
	       url[i] != '#')
		i++;
	return url[i] == ':' ? fmt("%.*s", (int)i, url) : "";
}

/* Checks one href or src of page REL, adding what is wrong to ERRS. */
static void check_link(const char *rel, const char *attr, const char *url,
		       struct sb *errs)
{
	const char *scheme = scheme_of(url);
	if (*scheme) {
		if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https") &&
		    strcasecmp(scheme, "mailto"))
			sb_addf(errs,
				"%s: %s=\"%s\": scheme %s is not allowed\n",
				rel, attr, url, scheme);
		return;
	}
	if (!*url) {
		sb_addf(errs, "%s: empty %s\n", rel, attr);
		return;
	}
	if (url[0] == '/') {
		sb_addf(errs, "%s: %s=\"%s\" is not relative\n", rel, attr,
			url);
		return;
	}
	const char *hash = strchr(url, '#');
	const char *path = hash ? fmt("%.*s", (int)(hash - url), url) : url;
	const char *frag = hash ? pct_decode(hash + 1) : NULL;
	const char *target = rel;
	if (strchr(path, '?')) {
		sb_addf(errs, "%s: %s=\"%s\" has a query\n", rel, attr, url);
		return;
	}
	if (*path) {
		target = resolve(rel, pct_decode(path));
		if (!target) {
			sb_addf(errs, "%s: %s=\"%s\" leaves the site\n", rel,
				attr, url);
			return;
		}
		const char *last = strrchr(target, '/');
		last = last ? last + 1 : target;
		if (ends_with(path, "/") || !strchr(last, '.')) {
			sb_addf(errs, "%s: %s=\"%s\" does not name a file\n",
				rel, attr, url);
			return;
		}
		if (!is_regular(g_out, target)) {
			sb_addf(errs, "%s: %s=\"%s\": %s does not exist\n", rel,
				attr, url, target);
			return;
		}
	}
	if (frag) {
		if (!ends_with(target, ".html")) {
			sb_addf(errs,
				"%s: %s=\"%s\": fragment on a file that is "
				"not a page\n",
				rel, attr, url);
			return;
		}
		htmlDocPtr doc = page_try(target);
		int n = doc ? count_id(doc, frag) : 0;
		if (n != 1)
			sb_addf(errs,
				"%s: %s=\"%s\": %d elements with id \"%s\" "
				"in %s, want 1\n",
				rel, attr, url, n, frag, target);
	}
}

static void test_every_link_resolves(void **state)
{
	(void)state;
	struct strs pages = html_pages();
	struct sb errs = {0};
	size_t checked = 0;
	for (size_t i = 0; i < pages.n; i++) {
		htmlDocPtr doc = page_try(pages.v[i]);
		if (!doc) {
			sb_addf(&errs, "%s: does not parse\n", pages.v[i]);
			continue;
		}
		xmlXPathObjectPtr obj = eval(doc, "//@href | //@src");
		int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
		for (int k = 0; k < n; k++) {
			xmlNodePtr at = obj->nodesetval->nodeTab[k];
			xmlChar *v = xmlNodeGetContent(at);
			check_link(pages.v[i], (const char *)at->name,
				   v ? (const char *)v : "", &errs);
			xmlFree(v);
			checked++;
		}
		xmlXPathFreeObject(obj);
	}
	const char *e = sb_keep(&errs);
	fail_if_any(e);
	/* The site is cross-linked: far more than a few links. */
	assert_true(checked > 100);
}

static void test_ids_are_unique(void **state)
{
	(void)state;
	struct strs pages = html_pages();
	struct sb errs = {0};
	for (size_t i = 0; i < pages.n; i++) {
		htmlDocPtr doc = page(pages.v[i]);
		struct strs ids = texts(doc, "//@id");
		qsort(ids.v, ids.n, sizeof *ids.v, compare_str);
		for (size_t k = 1; k < ids.n; k++)
			if (!strcmp(ids.v[k], ids.v[k - 1]) &&
			    (k < 2 || strcmp(ids.v[k], ids.v[k - 2])))
				sb_addf(
				    &errs,
				    "%s: id \"%s\" is used more than once\n",
				    pages.v[i], ids.v[k]);
	}
	const char *e = sb_keep(&errs);
	fail_if_any(e);
}

static void test_no_raw_html_or_unsafe_links(void **state)
{
	(void)state;
	struct strs pages = html_pages();
	struct sb errs = {0};
	for (size_t i = 0; i < pages.n; i++) {
		htmlDocPtr doc = page(pages.v[i]);
		/* beta's note has "<b>raw html</b>": never an element. */
		if (N(doc, "//b") != 0)
			sb_addf(&errs, "%s: raw <b> from Markdown rendered\n",
				pages.v[i]);
		/* Only the search page has scripts: the theme's, and the
		 * index gloss writes (tests/e2e/search.c). */
		if (N(doc, "//script[not(@src='search-index.js' or "
			   "@src='assets/search.js')] | //iframe | //object | "
			   "//embed") != 0 ||
		    (strcmp(pages.v[i], "search.html") != 0 &&
		     N(doc, "//script") != 0))
			sb_addf(&errs, "%s: active content\n", pages.v[i]);
		/* method.md's [unsafe one](javascript:alert(1)). */
		if (N(doc, "//*[@href[contains(translate(., 'JAVSCRIPT', "
			   "'javscript'), 'javascript')]]") != 0)
			sb_addf(&errs, "%s: a javascript: link\n", pages.v[i]);
		if (N(doc, "//a[contains(., 'unsafe one')]") != 0)
			sb_addf(&errs, "%s: the unsafe link is an <a>\n",
				pages.v[i]);
	}
	const char *e = sb_keep(&errs);
	fail_if_any(e);
	/* The words themselves stay. */
	assert_int_equal(N(page("method.html"), "//main//*[contains(text(), "
						"'unsafe one')]"),
			 1);
	htmlDocPtr beta = page(BETA);
	const char *slug = note_slug(BETA, "is reported as mediator.");
	assert_true(strstr(T(beta, "string(//div[@id='n-%s'])", slug),
			   "raw html") != NULL);
}

/* ---- article pages ---- */

static void test_article_text_and_omitted_lines(void **state)
{
	(void)state;
	htmlDocPtr alpha = page(ALPHA);
	/* The shown text: every line but the omitted ones ("Share this
	 * story" from archive.yaml's omit_lines, "Photo: caption of a photo"
	 * from the article's omit); the headline first. */
	assert_strs(
	    shown_lines(alpha), ALPHA_TITLE,
	    "The leader of Alpha said on Tuesday that Alpha\xe2\x80\x99s "
	    "offer of a truce stands.",
	    "A spokesman for Beta said: \xe2\x80\x9cThis is not a time "
	    "for truce.\xe2\x80\x9d",
	    "Alpha and Alpha-run ministries, and Beta, and the "
	    "Palestinian Islamic Jihad, and Islamic Jihad.",
	    "The offer \xe2\x80\x94 he said \xe2\x80\x94 stands\xe2\x80\xa6 "
	    "for now.");
	const char *raw = keep(get_file(g_out, ALPHA));
	assert_null(strstr(raw, "Share this story"));
	assert_null(strstr(raw, "caption of a photo"));
	/* The headline is the first line, marked as such, and (no title in
	 * the front matter) the page's title. */
	assert_string_equal(
	    T(alpha, "string(//div" CLS("text") "/p" CLS("line") "[1])"),
	    ALPHA_TITLE);
	assert_int_equal(N(alpha, "//div" CLS("text") "/p" CLS(
				      "line") "[1]" CLS("headline")),
			 1);
	assert_string_equal(T(alpha, "string(//h1)"), ALPHA_TITLE);

	htmlDocPtr beta = page(BETA);
	assert_strs(shown_lines(beta), "Beta answers Alpha",
		    "Beta said it rejected the truce offered by Alpha.",
		    "Gamma was said to mediate between them.");
	/* beta's title comes from its front matter; its headline is still
	 * shown as the first line of the text. */
	assert_string_equal(T(beta, "string(//h1)"), BETA_TITLE);
	assert_int_equal(
	    N(beta, "//div" CLS("text") "/p" CLS(
			"headline") "[normalize-space()='Beta answers Alpha']"),
	    1);
}

struct note_case {
	const char *article;
	const char *passage; /* as shown: the capture's characters */
	const char *body;    /* words of the note */
};

static const struct note_case notes[] = {
    {ALPHA, "Alpha\xe2\x80\x99s offer of a truce stands", "restates its"},
    {ALPHA, "\xe2\x80\x9cThis is not a time for truce.\xe2\x80\x9d",
     "rejects the offer."},
    {ALPHA,
     "The offer \xe2\x80\x94 he said \xe2\x80\x94 stands\xe2\x80\xa6 "
     "for now.",
     "Overlaps with the next note."},
    {ALPHA, "he said \xe2\x80\x94 stands", "A nested passage inside"},
    {BETA, "Gamma was said to mediate", "is reported as mediator."},
};

static void test_article_notes_link_both_ways(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
		const struct note_case *c = &notes[i];
		htmlDocPtr doc = page(c->article);
		const char *slug = note_slug(c->article, c->body);
		/* The passage's reference mark links to the note... */
		assert_int_equal(N(doc,
				   "//div" CLS("text") "//sup" CLS(
				       "ref") "/a[@id='p-%s'][@href='#n-%s']",
				   slug, slug),
				 1);
		/* ...and the note links back to it. */
		assert_int_equal(
		    N(doc, "//div[@id='n-%s']//a[@href='#p-%s']", slug, slug),
		    1);
		/* The passage is highlighted. */
		const char *marked = marked_after(doc, fmt("p-%s", slug));
		if (!starts_with(marked, c->passage))
			fail_msg("%s: note %s highlights \"%s\", want \"%s\"",
				 c->article, slug, marked, c->passage);
		/* The note stands beside its paragraph. */
		assert_int_equal(
		    N(doc,
		      "//p" CLS("line") "[.//a[@id='p-%s']]"
					"/following-sibling::*[1][self::aside]"
					"//div[@id='n-%s']",
		      slug, slug),
		    1);
		assert_int_equal(
		    N(doc, "//aside//div" CLS("note") "[@id='n-%s']", slug), 1);
	}
	/* Exactly the notes of the fixture, no more. */
	assert_int_equal(N(page(ALPHA), "//div" CLS("note")), 4);
	assert_int_equal(N(page(BETA), "//div" CLS("note")), 1);
}

static void test_article_overlapping_passages_reachable(void **state)
{
	(void)state;
	htmlDocPtr alpha = page(ALPHA);
	/* The four notes of alpha all overlap something: the first two
	 * share their passage with a position, the last two nest. Each has
	 * its own reference link, with its own target. */
	struct strs refs =
	    texts(alpha, "//div" CLS("text") "//sup" CLS(
			     "ref") "/a[starts-with(@href, '#n-')]/@href");
	assert_int_equal(refs.n, 4);
	qsort(refs.v, refs.n, sizeof *refs.v, compare_str);
	for (size_t i = 1; i < refs.n; i++)
		assert_string_not_equal(refs.v[i], refs.v[i - 1]);
	/* The nested passage sits inside the outer one: both reference marks
	 * are on the same line, the outer first. */
	const char *outer = note_slug(ALPHA, "Overlaps with the next note.");
	const char *inner = note_slug(ALPHA, "A nested passage inside");
	assert_int_equal(N(alpha,
			   "//p" CLS("line") "[.//a[@id='p-%s']]"
					     "[.//a[@id='p-%s']]",
			   outer, inner),
			 1);
	assert_int_equal(
	    N(alpha, "//a[@id='p-%s']/following::a[@id='p-%s']", outer, inner),
	    1);
	/* Text covered by several passages is marked as an overlap. */
	assert_true(N(alpha, "//mark" CLS("passage") CLS("overlap")) >= 1);
	/* Two positions, too, with their own references. */
	assert_int_equal(N(alpha, "//div" CLS("text") "//sup" CLS(
				      "ref") "/a[starts-with(@href, '#pos-')]"),
			 2);
}

struct position_case {
	const char *article;
	const char *party; /* ID */
	const char *name;
	const char *stance; /* as shown: shape and word */
	const char *date;   /* as shown */
	const char *passage;
};

/* proposals/2008-alpha-truce.md's positions. A position without a date
 * takes its source's: 2008 for alpha. */
static const struct position_case positions[] = {
    {ALPHA, "hamas", "Hamas", "\xe2\x9c\x93 accepted", "2008",
     "Alpha\xe2\x80\x99s offer of a truce stands"},
    {ALPHA, "islamic-jihad", JIHAD_NAME, "\xe2\x9c\x97 rejected", "2008",
     "This is not a time for truce."},
    {BETA, "islamic-jihad", JIHAD_NAME, "\xe2\x9c\x97 rejected", "March 2008",
     "Beta said it rejected the truce offered by Alpha."},
};

static void test_article_positions_beside_passages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof positions / sizeof *positions; i++) {
		const struct position_case *c = &positions[i];
		htmlDocPtr doc = page(c->article);
		const char *slug = position_slug(c->article, c->party);
		const char *box = fmt("//div[@id='pos-%s']", slug);
		assert_int_equal(
		    N(doc,
		      "//div" CLS("text") "//sup" CLS(
			  "ref") "/a[@id='pp-%s'][@href='#pos-%s']",
		      slug, slug),
		    1);
		assert_int_equal(N(doc, "%s//a[@href='#pp-%s']", box, slug), 1);
		assert_int_equal(
		    N(doc,
		      "//p" CLS(
			  "line") "[.//a[@id='pp-%s']]"
				  "/following-sibling::*[1][self::aside]%s",
		      slug, box),
		    1);
		const char *marked = marked_after(doc, fmt("pp-%s", slug));
		if (!starts_with(marked, c->passage))
			fail_msg(
			    "%s: position %s highlights \"%s\", want \"%s\"",
			    c->article, slug, marked, c->passage);
		/* The party, the stance in words, the proposal, the date. */
		assert_string_equal(T(doc,
				      "string(%s//a[@href='../parties/%s"
				      ".html'])",
				      box, c->party),
				    c->name);
		assert_string_equal(
		    T(doc, "string(%s//*" CLS("stance") ")", box), c->stance);
		assert_string_equal(
		    T(doc, "string(%s//a[@href='../" TRUCE "'])", box),
		    TRUCE_TITLE);
		assert_string_equal(T(doc, "string(%s//time)", box), c->date);
	}
	assert_int_equal(N(page(ALPHA), "//div" CLS("position")), 2);
	assert_int_equal(N(page(BETA), "//div" CLS("position")), 1);
}

static void test_article_metadata(void **state)
{
	(void)state;
	const char *meta = "//div" CLS("meta");
	htmlDocPtr alpha = page(ALPHA);
	const char *m = T(alpha, "string(%s)", meta);
	assert_non_null(strstr(m, "The Test Monitor"));
	/* date: 2008, shown at exactly that precision. */
	assert_int_equal(N(alpha, "%s//time", meta), 1);
	assert_string_equal(T(alpha, "string(%s//time)", meta), "2008");
	assert_string_equal(S(alpha, "string(%s//time/@datetime)", meta),
			    "2008");
	assert_non_null(
	    strstr(m, "Year inferred from the offer it describes."));
	assert_int_equal(N(alpha, "%s//a[@href='2008-alpha-offer.txt']", meta),
			 1);
	/* No url, no byline. */
	assert_int_equal(N(alpha, "%s//a[starts-with(@href, 'http')]", meta),
			 0);
	assert_null(strstr(m, "A. Reporter"));

	htmlDocPtr beta = page(BETA);
	m = T(beta, "string(%s)", meta);
	assert_non_null(strstr(m, "The Test Post"));
	assert_int_equal(N(beta, "%s//time", meta), 1);
	assert_string_equal(T(beta, "string(%s//time)", meta), "March 2008");
	assert_string_equal(S(beta, "string(%s//time/@datetime)", meta),
			    "2008-03");
	assert_non_null(strstr(m, "A. Reporter"));
	assert_null(strstr(m, "inferred"));
	assert_string_equal(S(beta,
			      "string(%s//a[starts-with(@href, 'http')]"
			      "/@href)",
			      meta),
			    "https://example.org/story?id=1&x=2");
	assert_string_equal(
	    T(beta, "string(%s//a[starts-with(@href, 'http')])", meta),
	    "https://example.org/story?id=1&x=2");
	assert_int_equal(
	    N(beta, "%s//a[@href='2008-03-beta-answer.txt']", meta), 1);
}

static void test_article_intro(void **state)
{
	(void)state;
	/* What comes before the first block quote. */
	assert_string_equal(T(page(ALPHA), "string(//section" CLS("intro") ")"),
			    "The first report of the " TRUCE_TITLE ".");
	assert_string_equal(T(page(BETA), "string(//section" CLS("intro") ")"),
			    "Follows up the first report.");
	assert_int_equal(
	    N(page(BETA), "//section" CLS("intro") "//a[@href='../" ALPHA "']"),
	    1);
	/* Notes are not part of the introduction. */
	assert_int_equal(
	    N(page(ALPHA),
	      "//section" CLS("intro") "[contains(., 'restates')]"),
	    0);
}

/* The count shown beside party ID in the "Parties mentioned" list. */
static const char *mention_count(htmlDocPtr doc, const char *id)
{
	return T(
	    doc,
	    "string(" SEC("Parties mentioned") "//li[a[@href='../parties/"
					       "%s.html']]//*" CLS("count") ")",
	    id);
}

static void test_article_parties_mentioned(void **state)
{
	(void)state;
	/* Shown text of alpha (omitted lines left out), aliases Alpha
	 * (hamas), Beta / Palestinian Islamic Jihad / Islamic Jihad
	 * (islamic-jihad, longest first), Gamma (gamma, by default):
	 *   headline  "Alpha offers a “truce” to Beta"      Alpha 1, Beta 1
	 *   line 4    "...of Alpha ... that Alpha’s offer"  Alpha 2
	 *   line 5    "A spokesman for Beta said"           Beta 1
	 *   line 7    "Alpha and Alpha-run ..., and Beta, and the Palestinian
	 *              Islamic Jihad, and Islamic Jihad."    Alpha 2, Beta 1,
	 *              PIJ 1 (not also "Islamic Jihad" inside it), IJ 1
	 *   line 8    none
	 * hamas 5, islamic-jihad 5; gamma is not mentioned but named in the
	 * front matter's parties. */
	htmlDocPtr alpha = page(ALPHA);
	assert_int_equal(N(alpha, SEC("Parties mentioned") "//li"), 3);
	assert_string_equal(mention_count(alpha, "hamas"), "(5 mentions)");
	assert_string_equal(mention_count(alpha, "islamic-jihad"),
			    "(5 mentions)");
	assert_string_equal(mention_count(alpha, "gamma"),
			    "(named by the editors)");
	assert_string_equal(
	    T(alpha,
	      "string(" SEC("Parties mentioned") "//a[@href='../" JIHAD "'])"),
	    JIHAD_NAME);
	/* beta: "Beta answers Alpha" (Beta 1, Alpha 1), "Beta said it
	 * rejected the truce offered by Alpha." (Beta 1, Alpha 1), "Gamma was
	 * said to mediate between them." (Gamma 1). */
	htmlDocPtr beta = page(BETA);
	assert_int_equal(N(beta, SEC("Parties mentioned") "//li"), 3);
	assert_string_equal(mention_count(beta, "hamas"), "(2 mentions)");
	assert_string_equal(mention_count(beta, "islamic-jihad"),
			    "(2 mentions)");
	assert_string_equal(mention_count(beta, "gamma"), "(1 mention)");
}

static void test_article_proposals_covered(void **state)
{
	(void)state;
	/* alpha links the proposal and is the source of two positions; beta
	 * is the source of one. */
	const char *articles[] = {ALPHA, BETA};
	for (size_t i = 0; i < 2; i++) {
		htmlDocPtr doc = page(articles[i]);
		assert_int_equal(N(doc, SEC("Proposals covered") "//li"), 1);
		assert_string_equal(
		    T(doc,
		      "string(" SEC("Proposals covered") "//a[@href='../" TRUCE
							 "'])"),
		    TRUCE_TITLE);
		assert_non_null(
		    strstr(T(doc, "string(" SEC("Proposals covered") ")"),
			   "rejected"));
	}
}

/* ---- links between entries ---- */

static void test_entry_links(void **state)
{
	(void)state;
	htmlDocPtr alpha = page(ALPHA);
	const char *n1 =
	    fmt("//div[@id='n-%s']", note_slug(ALPHA, "restates its"));
	const char *n2 =
	    fmt("//div[@id='n-%s']", note_slug(ALPHA, "rejects the offer."));
	const char *n4 = fmt("//div[@id='n-%s']",
			     note_slug(ALPHA, "A nested passage inside"));
	/* [Hamas](party:hamas) keeps its text; from an article the URL
	 * climbs one folder. */
	assert_string_equal(T(alpha, "string(%s//a[@href='../" HAMAS "'])", n1),
			    "Hamas");
	assert_string_equal(T(alpha, "string(%s//a[@href='../" TRUCE "'])", n1),
			    "offer");
	/* [](party:islamic-jihad) takes the party's name. */
	assert_string_equal(T(alpha, "string(%s//a[@href='../" JIHAD "'])", n2),
			    JIHAD_NAME);
	/* [](proposal:...) takes the proposal's title. */
	assert_string_equal(T(alpha, "string(//section" CLS(
					 "intro") "//a[@href='../" TRUCE "'])"),
			    TRUCE_TITLE);
	/* article: and page: links. */
	assert_string_equal(T(alpha, "string(%s//a[@href='../" BETA "'])", n4),
			    "the second report");
	assert_string_equal(
	    T(alpha, "string(%s//a[@href='../method.html'])", n4),
	    "the method");

	/* From the home page, URLs do not climb. */
	htmlDocPtr home = page("index.html");
	const char *intro = "//div" CLS("intro");
	assert_string_equal(T(home, "string(%s//a[@href='" HAMAS "'])", intro),
			    "Hamas");
	assert_string_equal(T(home, "string(%s//a[@href='" JIHAD "'])", intro),
			    JIHAD_NAME);
	assert_string_equal(T(home, "string(%s//a[@href='" TRUCE "'])", intro),
			    TRUCE_TITLE);

	/* From a proposal: [](article:...) in a term, [](page:...) in the
	 * description. */
	htmlDocPtr truce = page(TRUCE);
	assert_string_equal(
	    T(truce,
	      "string(" SEC("Terms, as reported") "//a[@href='../" ALPHA "'])"),
	    ALPHA_TITLE);
	assert_string_equal(
	    T(truce,
	      "string(//div" CLS("description") "//a[@href='../method.html'])"),
	    "Method");
	/* From a party: [](proposal:...). */
	assert_string_equal(
	    T(page(HAMAS),
	      "string(//div" CLS("description") "//a[@href='../" TRUCE "'])"),
	    TRUCE_TITLE);

	/* No entry scheme survives anywhere. */
	struct strs pages = html_pages();
	for (size_t i = 0; i < pages.n; i++)
		assert_int_equal(N(page(pages.v[i]),
				   "//@href[starts-with(., 'party:') or "
				   "starts-with(., 'proposal:') or "
				   "starts-with(., 'article:') or "
				   "starts-with(., 'page:')]"),
				 0);
}

/* ---- party pages ---- */

/* The positions table of a party page: one row per position. */
#define PARTY_POSITIONS SEC("Positions on proposals") "//tbody/tr"

static void test_party_hamas(void **state)
{
	(void)state;
	htmlDocPtr doc = page(HAMAS);
	assert_string_equal(T(doc, "string(//h1)"), "Hamas");
	assert_string_equal(
	    T(doc, "string(//p" CLS("summary") ")"),
	    "The movement that offers the truce in these tests.");
	assert_int_equal(N(doc, "//dl" CLS("facts") "/dd[normalize-space()="
						    "'movement']"),
			 1);
	assert_strs(texts(doc, "//dl" CLS("facts") "//q"), "Alpha");
	assert_string_equal(T(doc, "string(//div" CLS("description") ")"),
			    "Offers the " TRUCE_TITLE ".");

	assert_int_equal(N(doc, PARTY_POSITIONS), 1);
	const char *row = PARTY_POSITIONS "[1]";
	assert_string_equal(
	    T(doc, "string(%s/th//a[@href='../" TRUCE "'])", row), TRUCE_TITLE);
	assert_string_equal(T(doc, "string(%s//*" CLS("stance") ")", row),
			    "\xe2\x9c\x93 accepted");
	assert_string_equal(T(doc, "string(%s//time)", row), "2008");
	assert_string_equal(T(doc, "string(%s//q)", row),
			    "Alpha\xe2\x80\x99s offer of a truce stands");
	assert_string_equal(
	    S(doc, "string(%s//cite//a/@href)", row),
	    fmt("../" ALPHA "#pp-%s", position_slug(ALPHA, "hamas")));

	assert_strs(texts(doc, SEC("Proposals made") "//a/@href"), "../" TRUCE);
	assert_int_equal(N(doc, SEC("Proposals mediated")), 0);
	assert_int_equal(N(doc, SEC("Proposals addressed to it")), 0);

	/* Most mentions first: alpha 5, beta 2. */
	assert_strs(texts(doc, SEC("Articles, by mentions") "//li/a/@href"),
		    "../" ALPHA, "../" BETA);
	assert_strs(
	    texts(doc, SEC("Articles, by mentions") "//li/*" CLS("count")),
	    "(5 mentions)", "(2 mentions)");

	/* alpha's first note links Hamas; so does the home page. */
	const char *notes_sec = SEC("Notes and pages that link here");
	assert_int_equal(N(doc, "%s//a[@href='../" ALPHA "#n-%s']", notes_sec,
			   note_slug(ALPHA, "restates its")),
			 1);
	assert_int_equal(N(doc, "%s//a[@href='../index.html']", notes_sec), 1);
	assert_int_equal(N(doc, "%s//a[contains(@href, '#n-')]", notes_sec), 1);
}

static void test_party_islamic_jihad(void **state)
{
	(void)state;
	htmlDocPtr doc = page(JIHAD);
	assert_string_equal(T(doc, "string(//h1)"), JIHAD_NAME);
	assert_string_equal(T(doc, "string(//p" CLS("summary") ")"),
			    "Rejects the truce in these tests.");
	assert_int_equal(N(doc, "//dl" CLS("facts") "/dd[normalize-space()="
						    "'movement']"),
			 1);
	assert_strs(texts(doc, "//dl" CLS("facts") "//q"), "Beta",
		    "Palestinian Islamic Jihad", "Islamic Jihad");
	assert_string_equal(T(doc, "string(//div" CLS("description") ")"),
			    "A smaller movement.");

	/* Two positions on the one proposal, each with its evidence. */
	assert_int_equal(N(doc, PARTY_POSITIONS), 2);
	const char *alpha_row = PARTY_POSITIONS "[.//time='2008']";
	const char *beta_row = PARTY_POSITIONS "[.//time='March 2008']";
	assert_int_equal(N(doc, alpha_row), 1);
	assert_int_equal(N(doc, beta_row), 1);
	assert_string_equal(T(doc, "string(%s//q)", alpha_row),
			    "This is not a time for truce.");
	assert_string_equal(
	    T(doc, "string(%s//q)", beta_row),
	    "Beta said it rejected the truce offered by Alpha.");
	assert_string_equal(
	    S(doc, "string(%s//cite//a/@href)", alpha_row),
	    fmt("../" ALPHA "#pp-%s", position_slug(ALPHA, "islamic-jihad")));
	assert_string_equal(
	    S(doc, "string(%s//cite//a/@href)", beta_row),
	    fmt("../" BETA "#pp-%s", position_slug(BETA, "islamic-jihad")));
	assert_int_equal(
	    N(doc, PARTY_POSITIONS "[.//*" CLS(
		       "stance") "[normalize-space()='\xe2\x9c\x97 rejected']]"
				 "[th//a[@href='../" TRUCE "']]"),
	    2);

	assert_int_equal(N(doc, SEC("Proposals made")), 0);
	assert_int_equal(N(doc, SEC("Proposals mediated")), 0);
	assert_strs(texts(doc, SEC("Proposals addressed to it") "//a/@href"),
		    "../" TRUCE);

	assert_strs(texts(doc, SEC("Articles, by mentions") "//li/a/@href"),
		    "../" ALPHA, "../" BETA);
	assert_strs(
	    texts(doc, SEC("Articles, by mentions") "//li/*" CLS("count")),
	    "(5 mentions)", "(2 mentions)");

	const char *notes_sec = SEC("Notes and pages that link here");
	assert_int_equal(N(doc, "%s//a[@href='../" ALPHA "#n-%s']", notes_sec,
			   note_slug(ALPHA, "rejects the offer.")),
			 1);
	assert_int_equal(N(doc, "%s//a[@href='../index.html']", notes_sec), 1);
	assert_int_equal(N(doc, "%s//a[contains(@href, '#n-')]", notes_sec), 1);
}

static void test_party_gamma(void **state)
{
	(void)state;
	htmlDocPtr doc = page(GAMMA);
	assert_string_equal(T(doc, "string(//h1)"), "Gamma");
	assert_string_equal(T(doc, "string(//p" CLS("summary") ")"),
			    "A mediator.");
	assert_int_equal(N(doc, "//dl" CLS("facts") "/dd[normalize-space()="
						    "'state']"),
			 1);
	/* No aliases: the name is the alias. */
	assert_strs(texts(doc, "//dl" CLS("facts") "//q"), "Gamma");
	/* No body, no positions, nothing proposed or addressed. */
	assert_string_equal(T(doc, "string(//div" CLS("description") ")"), "");
	assert_int_equal(N(doc, SEC("Positions on proposals")), 0);
	assert_int_equal(N(doc, SEC("Proposals made")), 0);
	assert_int_equal(N(doc, SEC("Proposals addressed to it")), 0);
	assert_strs(texts(doc, SEC("Proposals mediated") "//a/@href"),
		    "../" TRUCE);

	/* beta mentions Gamma once; alpha only names it in `parties`. */
	assert_strs(texts(doc, SEC("Articles, by mentions") "//li/a/@href"),
		    "../" BETA, "../" ALPHA);
	assert_strs(
	    texts(doc, SEC("Articles, by mentions") "//li/*" CLS("count")),
	    "(1 mention)", "(named by the editors)");

	const char *notes_sec = SEC("Notes and pages that link here");
	assert_int_equal(N(doc, "%s//a[@href='../" BETA "#n-%s']", notes_sec,
			   note_slug(BETA, "is reported as mediator.")),
			 1);
	assert_int_equal(N(doc, "%s//a[contains(@href, '#n-')]", notes_sec), 1);
}

static void test_parties_index(void **state)
{
	(void)state;
	htmlDocPtr doc = page("parties/index.html");
	assert_string_equal(T(doc, "string(//h1)"), "Parties");
	assert_int_equal(N(doc, "//main//a[starts-with(@href, '../parties/')]"),
			 3);
	assert_string_equal(T(doc, "string(//main//a[@href='../" GAMMA "'])"),
			    "Gamma");
	assert_string_equal(T(doc, "string(//main//a[@href='../" HAMAS "'])"),
			    "Hamas");
	assert_string_equal(T(doc, "string(//main//a[@href='../" JIHAD "'])"),
			    JIHAD_NAME);
}

/* ---- proposal pages ---- */

/* The dd after the dt TERM in the proposal's facts. */
#define FACT(term)                                                             \
	"//div" CLS("facts") "//dt[normalize-space()='" term                   \
			     "']/following-sibling::dd[1]"

static void test_proposal_facts(void **state)
{
	(void)state;
	htmlDocPtr doc = page(TRUCE);
	assert_string_equal(T(doc, "string(//h1)"), TRUCE_TITLE);
	assert_string_equal(T(doc, "string(" FACT("Date") "//time)"), "2008");
	assert_string_equal(T(doc, "string(" FACT("Status") ")"), "rejected");
	assert_strs(texts(doc, FACT("Proposed by") "//a/@href"), "../" HAMAS);
	assert_strs(texts(doc, FACT("Mediated by") "//a/@href"), "../" GAMMA);
	assert_strs(texts(doc, FACT("Addressed to") "//a/@href"), "../" JIHAD);
	assert_string_equal(T(doc, "string(" FACT("Addressed to") ")"),
			    JIHAD_NAME);
	assert_string_equal(T(doc, "string(//div" CLS("description") ")"),
			    "The offer as the archive reports it. See Method.");
}

static void test_proposal_terms(void **state)
{
	(void)state;
	htmlDocPtr doc = page(TRUCE);
	const char *terms = SEC("Terms, as reported") "//li";
	assert_strs(texts(doc, "%s", terms),
		    "A truce if incursions stop, as reported by " ALPHA_TITLE
		    ".",
		    "No timetable was reported.");
	/* Inline Markdown: *timetable* is emphasis, not asterisks. */
	assert_string_equal(T(doc, "string((%s)[2]/em)", terms), "timetable");
	assert_int_equal(N(doc, "(%s)[1]/a[@href='../" ALPHA "']", terms), 1);
	/* Each term is one line: no paragraph inside the list item. */
	assert_int_equal(N(doc, "%s/p", terms), 0);
}

/* The positions table of a proposal page. */
#define PROPOSAL_POSITIONS SEC("Positions") "//tbody/tr"

static void test_proposal_positions(void **state)
{
	(void)state;
	htmlDocPtr doc = page(TRUCE);
	assert_int_equal(N(doc, PROPOSAL_POSITIONS), 3);
	for (size_t i = 0; i < sizeof positions / sizeof *positions; i++) {
		const struct position_case *c = &positions[i];
		const char *href = fmt("../%s#pp-%s", c->article,
				       position_slug(c->article, c->party));
		const char *row =
		    fmt(PROPOSAL_POSITIONS "[.//cite//a[@href='%s']]", href);
		assert_int_equal(N(doc, "%s", row), 1);
		assert_string_equal(T(doc,
				      "string(%s/th//a[@href='../parties/"
				      "%s.html'])",
				      row, c->party),
				    c->name);
		assert_string_equal(
		    T(doc, "string(%s//*" CLS("stance") ")", row), c->stance);
		assert_string_equal(T(doc, "string(%s//time)", row), c->date);
		assert_string_equal(T(doc, "string(%s//q)", row), c->passage);
		assert_string_equal(T(doc, "string(%s//cite)", row),
				    strcmp(c->article, ALPHA) ? BETA_TITLE
							      : ALPHA_TITLE);
	}
}

static void test_proposal_coverage_and_notes(void **state)
{
	(void)state;
	htmlDocPtr doc = page(TRUCE);
	/* alpha links it and holds two positions, beta one. */
	assert_int_equal(N(doc, SEC("Coverage") "//li"), 2);
	assert_int_equal(N(doc, SEC("Coverage") "//a[@href='../" ALPHA "']"),
			 1);
	assert_int_equal(N(doc, SEC("Coverage") "//a[@href='../" BETA "']"), 1);
	/* alpha's first note links the proposal ("its [offer]"); the
	 * hamas party page, the home page and alpha's introduction do too. */
	const char *sec = SEC("Notes and pages that link here");
	assert_int_equal(N(doc, "%s//a[@href='../" ALPHA "#n-%s']", sec,
			   note_slug(ALPHA, "restates its")),
			 1);
	assert_int_equal(N(doc, "%s//a[contains(@href, '#n-')]", sec), 1);
	assert_int_equal(N(doc, "%s//li/a[@href='../" HAMAS "']", sec), 1);
	assert_int_equal(N(doc, "%s//li/a[@href='../index.html']", sec), 1);
	assert_int_equal(N(doc, "%s//li/a[@href='../" ALPHA "']", sec), 1);
}

/* An article that names two proposals in front matter and is the source
 * of a position on each appears once in each proposal's coverage. */
static void test_coverage_lists_each_article_once(void **state)
{
	(void)state;
	char *dir = temp_dir();
	put_file(dir, "content/archive.yaml", "title: Coverage\n", -1);
	put_file(dir, "content/parties/p.md", "---\nname: P\n---\n", -1);
	put_file(dir, "content/articles/a.txt",
		 "Headline\nP accepted the first.\nP rejected the second.\n", -1);
	put_file(dir, "content/articles/a.md",
		 "---\noutlet: O\ndate: 2020\nproposals: [one, two]\n---\n", -1);
	for (int i = 0; i < 2; i++) {
		char *md = NULL;
		assert_true(asprintf(&md,
				     "---\ntitle: T%d\ndate: 2020\nproposed_by: [p]\n"
				     "positions:\n  - party: p\n    stance: %s\n"
				     "    source: a\n    quote: P %s the %s.\n---\n",
				     i, i ? "rejected" : "accepted",
				     i ? "rejected" : "accepted",
				     i ? "second" : "first") > 0);
		put_file(dir, i ? "content/proposals/two.md"
				: "content/proposals/one.md", md, -1);
		free(md);
	}
	char *content = NULL, *out = NULL, *theme = NULL;
	assert_true(asprintf(&content, "%s/content", dir) > 0);
	assert_true(asprintf(&out, "%s/out", dir) > 0);
	const char *args[] = {"build", "-C", content, "-t", "themes/default",
			      "-o", out, NULL};
	struct run_result r = run_gloss(args);
	assert_int_equal(r.status, 0);
	const char *pages[] = {"proposals/one.html", "proposals/two.html"};
	for (int i = 0; i < 2; i++) {
		htmlDocPtr doc = load_page(out, pages[i]);
		assert_non_null(doc);
		assert_int_equal(xpath_count(doc, "//section[h2='Coverage']//li"),
				 1);
		xmlFreeDoc(doc);
	}
	run_result_free(&r);
	remove_dir(dir);
	free(theme);
	free(content);
	free(out);
	free(dir);
}

static void test_proposals_index(void **state)
{
	(void)state;
	htmlDocPtr doc = page("proposals/index.html");
	assert_string_equal(T(doc, "string(//h1)"), "Proposals");
	const char *row = "//main//tr[.//a[@href='../" TRUCE "']]";
	assert_int_equal(N(doc, "%s", row), 1);
	assert_string_equal(T(doc, "string(%s//a[@href='../" TRUCE "'])", row),
			    TRUCE_TITLE);
	assert_string_equal(T(doc, "string(%s//time)", row), "2008");
	assert_int_equal(N(doc, "%s//a[@href='../" HAMAS "']", row), 1);
	assert_int_equal(N(doc, "%s/*[normalize-space()='rejected']", row), 1);
}

/* ---- the positions matrix ---- */

/* Checks the matrix in DOC, a page at the top of the site. */
static void check_matrix(htmlDocPtr doc)
{
	const char *table = "//table" CLS("matrix");
	assert_int_equal(N(doc, "%s", table), 1);
	/* One column per proposal with positions, after the parties'. */
	assert_int_equal(N(doc, "%s/thead/tr/th", table), 2);
	assert_string_equal(
	    T(doc, "string(%s/thead//a[@href='" TRUCE "'])", table),
	    TRUCE_TITLE);
	/* One row per party with positions: not gamma. */
	assert_int_equal(N(doc, "%s/tbody/tr", table), 2);
	assert_int_equal(N(doc, "%s/tbody/tr/th//a[@href='" GAMMA "']", table),
			 0);
	const char *hamas = fmt("%s/tbody/tr[th//a[@href='" HAMAS "']]", table);
	const char *jihad = fmt("%s/tbody/tr[th//a[@href='" JIHAD "']]", table);
	assert_int_equal(N(doc, "%s/td", hamas), 1);
	assert_int_equal(N(doc, "%s/td", jihad), 1);
	/* Each cell: the stance in words, linked to its evidence. */
	assert_strs(texts(doc, "%s/td//a/@href", hamas),
		    fmt(ALPHA "#pp-%s", position_slug(ALPHA, "hamas")));
	assert_strs(texts(doc, "%s/td//a", hamas), "\xe2\x9c\x93 accepted");
	struct strs links = texts(doc, "%s/td//a/@href", jihad);
	assert_int_equal(links.n, 2);
	assert_true(
	    strs_has(&links, fmt(ALPHA "#pp-%s",
				 position_slug(ALPHA, "islamic-jihad"))));
	assert_true(strs_has(
	    &links, fmt(BETA "#pp-%s", position_slug(BETA, "islamic-jihad"))));
	assert_strs(texts(doc, "%s/td//a", jihad), "\xe2\x9c\x97 rejected",
		    "\xe2\x9c\x97 rejected");
	/* The evidence fragments are the positions' passages. */
	struct strs all = texts(doc, "%s//td//a/@href", table);
	for (size_t i = 0; i < all.n; i++) {
		const char *hash = strchr(all.v[i], '#');
		assert_non_null(hash);
		htmlDocPtr art =
		    page(fmt("%.*s", (int)(hash - all.v[i]), all.v[i]));
		assert_int_equal(
		    N(art,
		      "//div" CLS("text") "//p" CLS("line") "//*[@id='%s']",
		      hash + 1),
		    1);
	}
}

static void test_positions_page(void **state)
{
	(void)state;
	htmlDocPtr doc = page("positions.html");
	assert_string_equal(T(doc, "string(//h1)"), "Positions");
	check_matrix(doc);
}

/* ---- home page and lists ---- */

static void test_home_page(void **state)
{
	(void)state;
	htmlDocPtr doc = page("index.html");
	/* index.md's title heads the home page. */
	assert_string_equal(T(doc, "string(//h1)"), "Test Archive home");
	assert_string_equal(T(doc, "string(//div" CLS("intro") ")"),
			    "An archive of two reports on the " TRUCE_TITLE
			    ", offered by Hamas and answered by " JIHAD_NAME
			    ".");
	/* Latest articles, newest first: March 2008, then 2008. */
	assert_strs(texts(doc,
			  SEC("Latest articles") "//li//a[starts-with(@href, "
						 "'articles/2008')]/@href"),
		    BETA, ALPHA);
	assert_strs(texts(doc, SEC("Latest articles") "//li//time"),
		    "March 2008", "2008");
	/* Proposals, with status. */
	const char *row =
	    SEC("Latest proposals") "//tr[.//a[@href='" TRUCE "']]";
	assert_int_equal(N(doc, "%s", row), 1);
	assert_int_equal(N(doc, "%s/*[normalize-space()='rejected']", row), 1);
	/* The matrix. */
	check_matrix(doc);
}

static void test_articles_index(void **state)
{
	(void)state;
	htmlDocPtr doc = page("articles/index.html");
	assert_string_equal(T(doc, "string(//h1)"), "Articles");
	/* The years, each linked with its count. */
	assert_strs(texts(doc, "//main//ul" CLS("years") "/li/a/@href"),
		    "../articles/2008/index.html");
	assert_strs(texts(doc, "//main//ul" CLS("years") "/li"),
		    "2008 2 articles");
	/* The latest, newest first: March 2008, then 2008. */
	assert_strs(texts(doc, SEC("Latest articles") "//li//a/@href"),
		    "../" BETA, "../" ALPHA);
	/* The year's page: by date, 2008 (year only) before March 2008. */
	doc = page("articles/2008/index.html");
	assert_string_equal(T(doc, "string(//h1)"), "Articles, 2008");
	assert_strs(texts(doc,
			  "//main//ol//li//a[starts-with(@href, "
			  "'../../articles/')]/@href"),
		    "../../" ALPHA, "../../" BETA);
	assert_strs(texts(doc,
			  "//main//ol//li//a[starts-with(@href, "
			  "'../../articles/')]"),
		    ALPHA_TITLE, BETA_TITLE);
	assert_strs(texts(doc, "//main//ol//li//time"), "2008", "March 2008");
	assert_strs(texts(doc, "//main//ol//li//time/@datetime"), "2008",
		    "2008-03");
}

static void test_free_page(void **state)
{
	(void)state;
	htmlDocPtr doc = page("method.html");
	assert_string_equal(T(doc, "string(//h1)"), "Method");
	assert_string_equal(T(doc, "string(//main//*" CLS("summary") ")"),
			    "How the archive is made.");
	/* "## Capture" stays a heading, below the page's h1. */
	assert_int_equal(N(doc, "//main//*[self::h2 or self::h3]"
				"[normalize-space()='Capture']"),
			 1);
	assert_int_equal(N(doc, "//main//img[@src='static/map.txt']"
				"[@alt='a map']"),
			 1);
	/* Every page's navigation lists the free page. */
	assert_int_equal(N(page("index.html"), "//nav//a[@href='method.html']"),
			 1);
	assert_int_equal(N(page(ALPHA), "//nav//a[@href='../method.html']"), 1);
}

/* ---- determinism ---- */

static void test_deterministic(void **state)
{
	(void)state;
	const char *a = fmt("%s/det-a", g_tmp), *b = fmt("%s/det-b", g_tmp);
	const char *const env_a[] = {"LC_ALL",	 "LANG",       "LANGUAGE",
				     "LC_CTYPE", "LC_COLLATE", "TZ=UTC",
				     NULL};
	const char *const env_b[] = {"LC_ALL=C.UTF-8", "LANG=C.UTF-8",
				     "TZ=Pacific/Kiritimati", NULL};
	assert_int_equal(build_site(a, env_a), 0);
	assert_int_equal(build_site(b, env_b), 0);
	struct strs fa = list_files(a), fb = list_files(b),
		    fo = list_files(g_out);
	struct sb errs = {0};
	const char *dirs[] = {b, g_out};
	const struct strs *lists[] = {&fb, &fo};
	for (size_t d = 0; d < 2; d++) {
		for (size_t i = 0; i < fa.n; i++)
			if (!strs_has(lists[d], fa.v[i]))
				sb_addf(&errs, "%s: only in one build\n",
					fa.v[i]);
			else if (!same_bytes(a, fa.v[i], dirs[d], fa.v[i]))
				sb_addf(&errs, "%s: differs between builds\n",
					fa.v[i]);
		for (size_t i = 0; i < lists[d]->n; i++)
			if (!strs_has(&fa, lists[d]->v[i]))
				sb_addf(&errs, "%s: only in one build\n",
					lists[d]->v[i]);
	}
	const char *e = sb_keep(&errs);
	fail_if_any(e);
	assert_true(fa.n >= 16);
}

#define T_(f) cmocka_unit_test_teardown(f, free_kept)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T_(test_expected_files_exist),
	    T_(test_no_pages_for_what_does_not_exist),
	    T_(test_copies_are_verbatim),
	    T_(test_every_page_frame),
	    T_(test_every_link_resolves),
	    T_(test_ids_are_unique),
	    T_(test_no_raw_html_or_unsafe_links),
	    T_(test_article_text_and_omitted_lines),
	    T_(test_article_notes_link_both_ways),
	    T_(test_article_overlapping_passages_reachable),
	    T_(test_article_positions_beside_passages),
	    T_(test_article_metadata),
	    T_(test_article_intro),
	    T_(test_article_parties_mentioned),
	    T_(test_article_proposals_covered),
	    T_(test_entry_links),
	    T_(test_party_hamas),
	    T_(test_party_islamic_jihad),
	    T_(test_party_gamma),
	    T_(test_parties_index),
	    T_(test_proposal_facts),
	    T_(test_proposal_terms),
	    T_(test_proposal_positions),
	    T_(test_proposal_coverage_and_notes),
	    T_(test_coverage_lists_each_article_once),
	    T_(test_proposals_index),
	    T_(test_positions_page),
	    T_(test_home_page),
	    T_(test_articles_index),
	    T_(test_free_page),
	    T_(test_deterministic),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
