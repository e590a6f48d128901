/* Building HTML through libxml2's tree (html.h) and writing it
 * (serialize.h): attributes in the order set, a value set again
 * replaced, and text and values escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/HTMLtree.h>

#include "buf.h"
#include "html.h"
#include "serialize.h"

static char *serialized(htmlDocPtr doc)
{
	struct buf b;
	buf_init(&b);
	html_serialize(doc, &b);
	return buf_detach(&b, NULL);
}

static void test_attributes(void **state)
{
	(void)state;
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(doc, root);
	xmlNodePtr a = html_link(root, "x.html?a=1&b=2", "Tom & \"Jerry\" <3");
	html_attr(a, "id", "first");
	html_attr(a, "class", "one");
	html_attr(a, "title", "say \"hi\" & 'bye'");
	html_attr(a, "class", "two");
	html_attr(a, "id", "second");
	char *html = serialized(doc);
	assert_string_equal(html,
		"<!DOCTYPE html>\n<div><a href=\"x.html?a=1&amp;b=2\" "
		"id=\"second\" class=\"two\" "
		"title=\"say &quot;hi&quot; &amp; 'bye'\">"
		"Tom &amp; \"Jerry\" &lt;3</a></div>\n");
	/* The attributes are libxml2's, as xmlSetProp would make them. */
	xmlChar *v = xmlGetProp(a, BAD_CAST "title");
	assert_string_equal((const char *)v, "say \"hi\" & 'bye'");
	xmlFree(v);
	assert_ptr_equal(a->properties->parent, a);
	assert_ptr_equal(a->properties->next->prev, a->properties);
	free(html);
	xmlFreeDoc(doc);
}

/* Every void element is written with no end tag, whatever its first
 * letter; elements that share a first letter or a prefix with one
 * (a, abbr, b, button, section, source's neighbours) keep theirs. */
static void test_void_elements(void **state)
{
	(void)state;
	static const char *const voids[] = {
		"area", "base", "basefont", "br", "col", "embed", "frame", "hr",
		"img", "input", "isindex", "link", "meta", "param", "source",
		"track", "wbr",
	};
	static const char *const others[] = {
		"a", "abbr", "b", "body", "button", "colgroup", "em", "footer",
		"h2", "i", "li", "main", "p", "pre", "s", "span", "section",
		"table", "time", "ul", "baseline", "brr",
	};
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(doc, root);
	struct buf want;
	buf_init(&want);
	buf_adds(&want, "<!DOCTYPE html>\n<div>");
	for (size_t i = 0; i < sizeof voids / sizeof *voids; i++) {
		html_el(root, voids[i]);
		buf_addf(&want, "<%s>", voids[i]);
	}
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		html_el(root, others[i]);
		buf_addf(&want, "<%s></%s>", others[i], others[i]);
	}
	buf_adds(&want, "</div>\n");
	char *html = serialized(doc);
	assert_string_equal(html, want.data);
	free(html);
	buf_release(&want);
	xmlFreeDoc(doc);
}

/* HTML 4's boolean attributes are written bare; others, including ones
 * that share their first letter, with their value. Links are escaped
 * where a byte is not allowed as it is, and script text is raw. */
static void test_attribute_forms(void **state)
{
	(void)state;
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "form", NULL);
	xmlDocSetRootElement(doc, root);
	xmlNodePtr in = html_el(root, "input");
	html_attr(in, "checked", "checked");
	html_attr(in, "class", "c");
	html_attr(in, "disabled", "disabled");
	html_attr(in, "data-x", "d");
	html_attr(in, "nowrap", "nowrap");
	html_attr(in, "name", "n");
	html_attr(in, "selected", "selected");
	html_attr(in, "src", "a b/\xc3\xa9.png?q=1&r=<2>");
	xmlNodePtr a = html_el(root, "a");
	html_attr(a, "href", "../x%20y.html#n-1");
	html_text(a, "x");
	xmlNodePtr script = html_el(root, "script");
	html_text(script, "if (a < b && c) {}");
	char *html = serialized(doc);
	assert_string_equal(
	    html,
	    "<!DOCTYPE html>\n<form><input checked class=\"c\" disabled "
	    "data-x=\"d\" nowrap name=\"n\" selected "
	    "src=\"a%20b/%C3%A9.png?q=1&amp;r=&lt;2&gt;\">"
	    "<a href=\"../x%20y.html#n-1\">x</a>"
	    "<script>if (a < b && c) {}</script></form>\n");
	free(html);
	xmlFreeDoc(doc);
}

/* Elements are linked in as libxml2 links children: after any text,
 * each pointing at its neighbours and its parent. */
static void test_elements_linked(void **state)
{
	(void)state;
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "p", NULL);
	xmlDocSetRootElement(doc, root);
	xmlNodePtr first = html_el(root, "em");
	assert_ptr_equal(root->children, first);
	assert_ptr_equal(root->last, first);
	html_text(root, "and ");
	xmlNodePtr text = root->last;
	xmlNodePtr second = html_el(root, "strong");
	assert_ptr_equal(root->children, first);
	assert_ptr_equal(root->last, second);
	assert_ptr_equal(first->next, text);
	assert_ptr_equal(text->next, second);
	assert_ptr_equal(second->prev, text);
	assert_null(second->next);
	assert_ptr_equal(second->parent, root);
	assert_ptr_equal(second->doc, doc);
	html_text(second, "x");
	char *html = serialized(doc);
	assert_string_equal(html, "<!DOCTYPE html>\n<p><em></em>and "
				  "<strong>x</strong></p>\n");
	free(html);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_void_elements),
		cmocka_unit_test(test_attribute_forms),
		cmocka_unit_test(test_elements_linked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
