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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attributes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
