/* Pages of a theme (template.h): a page made in a thread's arena from the
 * prepared page's image is the page xmlCopyDoc makes, filled and
 * written; its nodes can be grown, removed and freed as libxml2's own. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/tree.h>

#include "buf.h"
#include "diag.h"
#include "html.h"
#include "template.h"
#include "xmlarena.h"

static const char *const kinds[] = {
	"index.html",  "article.html",   "articles.html",  "party.html",
	"parties.html", "proposal.html", "proposals.html", "positions.html",
	"page.html",   "timeline.html",  "search.html",    "changes.html",
};

/* A layout with a comment, a script, attributes of several values, every
 * kind of mark, and text in slots that pages replace or keep. */
static const char layout[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	"<title data-gloss=\"title\">Sample</title>\n"
	"<link rel=\"stylesheet\" href=\"assets/style.css\" data-gloss-root>\n"
	"<script>if (a < b && c) { d(); }</script>\n"
	"</head>\n<body>\n<!-- the frame -->\n"
	"<p class=\"tagline x\" data-gloss=\"tagline\" "
	"data-gloss-if=\"tagline\">Tagline &amp; more</p>\n"
	"<nav aria-label=\"Site\"><a href=\"index.html\" data-gloss-root>"
	"Home</a> <a href=\"search.html\" data-gloss-root>Search</a></nav>\n"
	"<main id=\"main\" data-gloss=\"main\"></main>\n"
	"<footer><span data-gloss=\"site-title\">Archive</span> &#169;</footer>\n"
	"</body>\n</html>\n";

static const char body[] =
	"<html><body>\n<h1 data-gloss=\"page-title\">Title</h1>\n"
	"<div data-gloss=\"body\"><p>Sample body</p></div>\n"
	"<section data-gloss-if=\"extra\"><h2>Extra</h2>"
	"<div data-gloss=\"extra\"></div></section>\n</body></html>\n";

static char theme_dir[] = "/tmp/gloss-test-template-XXXXXX";

static void write_text(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", theme_dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_theme(void **state)
{
	(void)state;
	if (!mkdtemp(theme_dir))
		return -1;
	write_text("layout.html", layout);
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		write_text(kinds[i], body);
	return 0;
}

static int remove_theme(void **state)
{
	(void)state;
	char path[256];
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		snprintf(path, sizeof path, "%s/%s", theme_dir, kinds[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/layout.html", theme_dir);
	unlink(path);
	return rmdir(theme_dir);
}

static void load(struct theme *t)
{
	struct diag d;
	diag_init(&d, stderr);
	assert_int_equal(theme_load(t, theme_dir, &d), 0);
	assert_int_equal(d.errors, 0);
}

/* A page of KIND filled as pages are, FILL choosing how much, written
 * into OUT. */
static void render(const struct theme *t, enum template_kind kind, int fill,
		   struct buf *out)
{
	struct tpage *p = tpage_new(t, kind);
	tpage_set_text(p, "title", "A <page> & its title");
	tpage_set_text(p, "site-title", "The archive");
	if (fill > 0) {
		tpage_set_text(p, "tagline", "Said \"so\"");
		xmlNodePtr b = tpage_slot(p, "body");
		html_text(html_el(b, "p"), "First");
		html_attr(html_el(b, "p"), "id", "second");
	}
	if (fill > 1)
		html_text(tpage_slot(p, "extra"), "more");
	tpage_finish(p, fill ? "../" : "", "en", out);
	tpage_free(p);
}

struct fallback {
	const struct theme *t;
	struct buf pages[3];
};

/* In a thread whose arena region is too small for any page's image,
 * every page is made by xmlCopyDoc. */
static void *render_without_image(void *arg)
{
	struct fallback *f = arg;
	xml_arena_reserve(64);
	for (int fill = 0; fill < 3; fill++)
		render(f->t, TPL_ARTICLE, fill, &f->pages[fill]);
	return NULL;
}

static void test_image_pages_are_copied_pages(void **state)
{
	(void)state;
	struct theme t;
	load(&t);
	assert_non_null(t.pages[TPL_ARTICLE].image.bytes);
	struct fallback f = {&t, {{0}}};
	for (int fill = 0; fill < 3; fill++)
		buf_init(&f.pages[fill]);
	pthread_t thread;
	assert_int_equal(pthread_create(&thread, NULL, render_without_image, &f),
			 0);
	assert_int_equal(pthread_join(thread, NULL), 0);
	xml_arena_reserve((size_t)4 << 30);
	for (int fill = 0; fill < 3; fill++) {
		struct buf page;
		buf_init(&page);
		render(&t, TPL_ARTICLE, fill, &page);
		assert_string_equal(page.data, f.pages[fill].data);
		buf_release(&page);
		buf_release(&f.pages[fill]);
	}
	theme_release(&t);
}

/* What the pages show, in both ways of making them. */
static void test_page_contents(void **state)
{
	(void)state;
	struct theme t;
	load(&t);
	struct buf page;
	buf_init(&page);
	render(&t, TPL_PARTY, 0, &page);
	/* Unfilled: the optional parts go, sample text goes, links stay at
	 * the root. */
	assert_non_null(strstr(page.data, "<title>A &lt;page&gt; &amp; its "
					  "title</title>"));
	assert_null(strstr(page.data, "Tagline"));
	assert_null(strstr(page.data, "Extra"));
	assert_null(strstr(page.data, "Sample body"));
	assert_non_null(strstr(page.data, "href=\"assets/style.css\""));
	assert_non_null(strstr(page.data, "<!-- the frame -->"));
	assert_non_null(strstr(page.data, "if (a < b && c) { d(); }"));
	assert_non_null(strstr(page.data, "The archive</span> \u00a9"));
	assert_null(strstr(page.data, "data-gloss"));
	buf_reset(&page);
	render(&t, TPL_PARTY, 2, &page);
	assert_non_null(strstr(page.data, "href=\"../assets/style.css\""));
	assert_non_null(strstr(page.data, "href=\"../search.html\""));
	assert_non_null(strstr(page.data, "class=\"tagline x\">Said \"so\"</p>"));
	assert_non_null(strstr(page.data, "<p>First</p><p id=\"second\"></p>"));
	assert_non_null(strstr(page.data, "<h2>Extra</h2><div>more</div>"));
	buf_release(&page);
	theme_release(&t);
}

/* The nodes of a page made from the image are libxml2's to change: text
 * grows (xmlRealloc reads the image's headers), nodes are unlinked and
 * freed, attributes set again; and the next page starts from the image
 * as it was. */
static void test_image_nodes_change_like_any(void **state)
{
	(void)state;
	struct theme t;
	load(&t);
	struct tpage *p = tpage_new(&t, TPL_PAGE);
	assert_true(p->in_arena);
	xmlNodePtr footer = NULL;
	for (xmlNodePtr n = xmlDocGetRootElement(p->doc)->last; n; n = n->prev)
		if (n->type == XML_ELEMENT_NODE)
			for (xmlNodePtr k = n->children; k; k = k->next)
				if (k->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)k->name, "footer") == 0)
					footer = k;
	assert_non_null(footer);
	xmlNodePtr text = footer->last;
	assert_int_equal(text->type, XML_TEXT_NODE);
	char want[4096];
	snprintf(want, sizeof want, "%s", (const char *)text->content);
	for (int i = 0; i < 100; i++) {
		xmlNodeAddContent(text, BAD_CAST " grows");
		strcat(want, " grows");
	}
	assert_string_equal((const char *)text->content, want);
	xmlSetProp(footer, BAD_CAST "class", BAD_CAST "changed");
	xmlNodePtr span = footer->children;
	xmlUnlinkNode(span);
	xmlFreeNode(span);
	struct buf out;
	buf_init(&out);
	tpage_finish(p, "", "fr", &out);
	tpage_free(p);
	assert_non_null(strstr(out.data, "<html lang=\"fr\">"));
	assert_non_null(strstr(out.data, "<footer class=\"changed\"> \u00a9 grows"));
	buf_reset(&out);
	render(&t, TPL_PAGE, 0, &out);
	assert_non_null(strstr(out.data, "<footer><span>The archive</span> "
					 "\u00a9</footer>"));
	buf_release(&out);
	theme_release(&t);
}

int main(void)
{
	xml_arena_install();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_pages_are_copied_pages),
		cmocka_unit_test(test_page_contents),
		cmocka_unit_test(test_image_nodes_change_like_any),
	};
	return cmocka_run_group_tests(tests, make_theme, remove_theme);
}
