/* End-to-end tests of the theme boundary: the golden archive built with
 * themes/default and with themes/plain gives the same pages with the same
 * content in each slot, each in its own theme's markup, and `theme:` in
 * archive.yaml chooses the theme. gloss knows a theme only by its slots,
 * so everything gloss generates (links with fragments, dates, highlighted
 * passages, ids of passages and notes) must be identical in both. */
#include "harness.h"

#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#define CONTENT "tests/golden/basic/content"

static char *g_tmp, *g_default, *g_plain;

static char *xasprintf(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static int build(const char *theme, const char *out)
{
	const char *args[] = {"build", "-C", CONTENT, "-t", theme, "-o", out, NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	if (status != 0)
		fprintf(stderr, "%s", r.err);
	run_result_free(&r);
	return status;
}

static int setup(void **state)
{
	(void)state;
	g_tmp = temp_dir();
	g_default = xasprintf("%s/default", g_tmp);
	g_plain = xasprintf("%s/plain", g_tmp);
	if (build("themes/default", g_default) != 0 ||
	    build("themes/plain", g_plain) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_dir(g_tmp);
	free(g_tmp);
	free(g_default);
	free(g_plain);
	return 0;
}

/* The manifest's lines that are pages (end in .html), joined by '\n'. */
static char *pages_of(const char *site)
{
	char *manifest = manifest_paths(site);
	assert_non_null(manifest);
	size_t len = 0;
	char *out = calloc(strlen(manifest) + 1, 1);
	for (char *line = strtok(manifest, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line);
		if (n > 5 && strcmp(line + n - 5, ".html") == 0) {
			memcpy(out + len, line, n);
			len += n;
			out[len++] = '\n';
		}
	}
	free(manifest);
	return out;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The values XPATH selects in the page, sorted and joined by '\n': a
 * multiset that does not depend on where a theme puts each slot. */
static char *values(const char *site, const char *page, const char *xpath)
{
	htmlDocPtr doc = load_page(site, page);
	assert_non_null(doc);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	size_t n = res && res->nodesetval ? (size_t)res->nodesetval->nodeNr : 0;
	char **items = calloc(n + 1, sizeof *items);
	size_t total = 1;
	for (size_t i = 0; i < n; i++) {
		items[i] = (char *)xmlNodeGetContent(res->nodesetval->nodeTab[i]);
		total += strlen(items[i]) + 1;
	}
	qsort(items, n, sizeof *items, compare_strings);
	char *out = calloc(total, 1);
	for (size_t i = 0; i < n; i++) {
		strcat(out, items[i]);
		strcat(out, "\n");
		xmlFree(items[i]);
	}
	free(items);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

/* Both themes give exactly the same set of pages. */
static void same_pages_in_both_themes(void **state)
{
	(void)state;
	char *a = pages_of(g_default), *b = pages_of(g_plain);
	assert_true(strlen(a) > 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* Each theme's assets are copied, and its pages use its own stylesheet. */
static void each_theme_brings_its_assets(void **state)
{
	(void)state;
	assert_true(path_exists(g_default, "assets/style.css"));
	assert_false(path_exists(g_default, "assets/plain.css"));
	assert_true(path_exists(g_plain, "assets/plain.css"));
	assert_false(path_exists(g_plain, "assets/style.css"));
	htmlDocPtr doc = load_page(g_plain, "articles/2008-alpha-offer.html");
	assert_non_null(doc);
	char *href = xpath_string(doc, "string(//link[@rel='stylesheet']/@href)");
	assert_string_equal(href, "../assets/plain.css");
	free(href);
	xmlFreeDoc(doc);
}

/* The plain theme has no script on any page. */
static void plain_pages_have_no_script(void **state)
{
	(void)state;
	char *pages = pages_of(g_plain);
	size_t checked = 0;
	for (char *page = strtok(pages, "\n"); page; page = strtok(NULL, "\n")) {
		htmlDocPtr doc = load_page(g_plain, page);
		assert_non_null(doc);
		if (xpath_count(doc, "//script | //@*[starts-with(name(), 'on')]") != 0)
			fail_msg("%s has a script", page);
		xmlFreeDoc(doc);
		checked++;
	}
	assert_true(checked >= 10);
	free(pages);
}

/* Everything gloss generates inside the main content is the same in both
 * themes: links with fragments (passages, notes, evidence), dates, the
 * highlighted passages, and the ids of lines, passages and notes. The
 * markup around them differs (the themes' own headings and classes). */
static void slot_content_is_the_same(void **state)
{
	(void)state;
	static const char *const queries[] = {
		"//main//a[contains(@href, '#')]/@href",
		/* Links to entries; the themes' own links go to lists. */
		"//main//a[contains(@href, '/')]/@href"
		"[not(substring(., string-length(.) - 9) = 'index.html')]",
		"//main//time/@datetime",
		"//main//mark",
		"//main//*[starts-with(@id, 'p-') or starts-with(@id, 'n-') or "
		"starts-with(@id, 'pp-') or starts-with(@id, 'pos-') or "
		"starts-with(@id, 'l-')]/@id",
	};
	char *pages = pages_of(g_default);
	size_t compared = 0;
	for (char *page = strtok(pages, "\n"); page; page = strtok(NULL, "\n")) {
		/* Without script, the default theme's search page links the
		 * lists (slot "lists"); the plain theme's lists every entry
		 * (slot "all"). */
		if (!strcmp(page, "search.html"))
			continue;
		for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
			char *a = values(g_default, page, queries[q]);
			char *b = values(g_plain, page, queries[q]);
			int same = strcmp(a, b) == 0;
			if (!same)
				fprintf(stderr, "%s differs between themes for %s:\n"
					"default:\n%s\nplain:\n%s", page,
					queries[q], a, b);
			compared += strlen(a) > 0;
			free(a);
			free(b);
			if (!same) {
				free(pages);
				fail();
			}
		}
	}
	/* Not vacuous: most pages have some of these. */
	assert_true(compared >= 20);
	free(pages);
}

/* The markup really is the theme's: the default theme's article page
 * sets notes in <aside class="annotations"> inside its own section
 * heading; the plain theme's heading differs. */
static void markup_is_the_themes_own(void **state)
{
	(void)state;
	const char *page = "articles/2008-alpha-offer.html";
	htmlDocPtr d = load_page(g_default, page), p = load_page(g_plain, page);
	assert_non_null(d);
	assert_non_null(p);
	assert_int_equal(xpath_count(d, "//h2[normalize-space()='The text as captured']"), 1);
	assert_int_equal(xpath_count(p, "//h2[normalize-space()='The text as captured']"), 0);
	assert_int_equal(xpath_count(p, "//h2[normalize-space()='Text']"), 1);
	xmlFreeDoc(d);
	xmlFreeDoc(p);
}

/* `theme: plain` in archive.yaml chooses the plain theme, found in
 * themes/ beside the content folder. */
static void theme_key_chooses_the_theme(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char *content = xasprintf("%s/content", dir);
	char *out = xasprintf("%s/out", dir);
	char *themes = realpath("themes", NULL);
	char *link = xasprintf("%s/themes", dir);
	assert_non_null(themes);
	assert_int_equal(symlink(themes, link), 0);
	assert_int_equal(mkdir(content, 0777), 0);
	put_file(content, "archive.yaml", "title: Chosen\ntheme: plain\n", -1);
	const char *args[] = {"build", "-C", content, "-o", out, NULL};
	struct run_result r = run_gloss(args);
	if (r.status != 0)
		fprintf(stderr, "%s", r.err);
	assert_int_equal(r.status, 0);
	assert_true(path_exists(out, "assets/plain.css"));
	assert_false(path_exists(out, "assets/style.css"));
	htmlDocPtr doc = load_page(out, "index.html");
	assert_non_null(doc);
	assert_int_equal(xpath_count(doc, "//link[@href='assets/plain.css']"), 1);
	xmlFreeDoc(doc);
	run_result_free(&r);
	remove_dir(dir);
	free(themes);
	free(link);
	free(content);
	free(out);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_pages_in_both_themes),
		cmocka_unit_test(each_theme_brings_its_assets),
		cmocka_unit_test(plain_pages_have_no_script),
		cmocka_unit_test(slot_content_is_the_same),
		cmocka_unit_test(markup_is_the_themes_own),
		cmocka_unit_test(theme_key_chooses_the_theme),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
