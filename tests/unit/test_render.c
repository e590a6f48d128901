/* Shared page pieces (render.h): the ids headings take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/HTMLtree.h>

#include "html.h"
#include "render.h"

/* A page holding an element with id EXISTING (or none) and a body with
 * one heading per text of HEADINGS; gives the headings ids. */
static xmlNodePtr headings_page(htmlDocPtr *doc, const char *existing,
				const char *const *headings)
{
	*doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr root = xmlNewDocNode(*doc, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(*doc, root);
	if (existing)
		html_attr(html_el(root, "p"), "id", existing);
	xmlNodePtr body = html_el(root, "div");
	for (size_t i = 0; headings[i]; i++)
		html_el_text(body, "h2", headings[i]);
	heading_ids(body);
	return body;
}

static void assert_ids(xmlNodePtr body, const char *const *want)
{
	size_t i = 0;
	for (xmlNodePtr n = body->children; n; n = n->next, i++) {
		xmlChar *id = xmlGetProp(n, BAD_CAST "id");
		assert_non_null(want[i]);
		assert_string_equal((const char *)id, want[i]);
		xmlFree(id);
	}
	assert_null(want[i]);
}

static void test_ids_from_words(void **state)
{
	(void)state;
	htmlDocPtr doc;
	const char *const h[] = {"Terms of the truce", "Terms of the truce",
				 "***", "Main", NULL};
	const char *const want[] = {"terms-of-the-truce", "terms-of-the-truce-2",
				    "section", "main-2", NULL};
	assert_ids(headings_page(&doc, "main", h), want);
	xmlFreeDoc(doc);
}

/* Caught by fuzz_archive's checks: a heading "L 1" in an article's
 * introduction took the id l-1 that the article's first line gets after
 * it; and two headings "L" took l and l-2, the second line's. Headings
 * never take the form of line, passage, note or position ids, with the
 * number that tells two of the same words apart or without. */
static void test_ids_never_like_generated_ones(void **state)
{
	(void)state;
	htmlDocPtr doc;
	const char *const h[] = {"L 1", "N: a note", "P-2", "PP x", "Pos 3",
				 "Positions", "Section L 1", "l", "L --",
				 "P", "pos", "Lx", NULL};
	const char *const want[] = {"section-l-1", "section-n-a-note",
				    "section-p-2", "section-pp-x",
				    "section-pos-3", "positions",
				    "section-l-1-2", "section-l", "section-l-2",
				    "section-p", "section-pos", "lx", NULL};
	assert_ids(headings_page(&doc, NULL, h), want);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_from_words),
		cmocka_unit_test(test_ids_never_like_generated_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
