/* libxml2's allocations in a page's arena (xmlarena.h): documents built
 * there read back whole until the last close, memory from the heap
 * stays the heap's, and a region too small spills to the heap. Under
 * AddressSanitizer, memory released at the close is poisoned. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "xmlarena.h"

/* A document of COUNT paragraphs, the Ith saying "paragraph I". */
static xmlDocPtr paragraphs(int count)
{
	xmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(doc, root);
	char text[64];
	for (int i = 0; i < count; i++) {
		snprintf(text, sizeof text, "paragraph %d", i);
		xmlNodePtr p = xmlNewChild(root, NULL, BAD_CAST "p",
					   BAD_CAST text);
		xmlSetProp(p, BAD_CAST "class", BAD_CAST "x");
	}
	return doc;
}

static void assert_paragraphs(xmlDocPtr doc, int count)
{
	int i = 0;
	char want[64];
	for (xmlNodePtr p = xmlDocGetRootElement(doc)->children; p;
	     p = p->next, i++) {
		snprintf(want, sizeof want, "paragraph %d", i);
		xmlChar *got = xmlNodeGetContent(p);
		assert_string_equal((const char *)got, want);
		xmlFree(got);
	}
	assert_int_equal(i, count);
}

static void test_nested_arenas_keep_until_last_close(void **state)
{
	(void)state;
	assert_true(xml_arena_open());
	xmlDocPtr outer = paragraphs(500);
	assert_true(xml_arena_open());
	xmlDocPtr inner = paragraphs(300);
	/* Freeing in an arena is a no-op: the tree reads back whole. */
	xmlNodePtr first = xmlDocGetRootElement(inner)->children;
	xmlUnlinkNode(first);
	xmlFreeNode(first);
	xml_arena_close();
	assert_paragraphs(outer, 500);
	xml_arena_close();
}

/* Text that grows by realloc keeps what it held. */
static void test_realloc_keeps_content(void **state)
{
	(void)state;
	assert_true(xml_arena_open());
	xmlDocPtr doc = paragraphs(1);
	xmlNodePtr text = xmlDocGetRootElement(doc)->children->children;
	char want[4096] = "paragraph 0";
	for (int i = 0; i < 200; i++) {
		xmlNodeAddContent(text, BAD_CAST "0123456789");
		strcat(want, "0123456789");
	}
	assert_string_equal((const char *)text->content, want);
	xml_arena_close();
}

/* Memory from before the arena is freed and grown on the heap, inside
 * the arena or after it. */
static void test_heap_memory_stays_heap(void **state)
{
	(void)state;
	xmlChar *before = xmlStrdup(BAD_CAST "made before");
	xmlDocPtr kept = paragraphs(20);
	assert_true(xml_arena_open());
	xmlDocPtr page = paragraphs(20);
	before = xmlRealloc(before, 4000);
	assert_string_equal((const char *)before, "made before");
	xml_arena_close();
	assert_paragraphs(kept, 20);
	xmlFree(before);
	xmlFreeDoc(kept);
	(void)page;
}

#ifdef __SANITIZE_ADDRESS__
static void test_closed_arena_is_poisoned(void **state)
{
	(void)state;
	assert_true(xml_arena_open());
	xmlChar *s = xmlStrdup(BAD_CAST "released at the close");
	assert_false(__asan_address_is_poisoned(s));
	xml_arena_close();
	assert_true(__asan_address_is_poisoned(s));
}
#endif

/* In a thread whose region holds a few kilobytes, a page spills to the
 * heap and still reads back whole; the close frees the spill (the leak
 * checkers would say otherwise). */
static void *small_region(void *arg)
{
	int *ok = arg;
	xml_arena_reserve(16 * 1024);
	if (!xml_arena_open())
		return NULL;
	xmlDocPtr doc = paragraphs(2000);
	int i = 0;
	for (xmlNodePtr p = xmlDocGetRootElement(doc)->children; p;
	     p = p->next, i++) {
		char want[64];
		snprintf(want, sizeof want, "paragraph %d", i);
		if (strcmp((const char *)p->children->content, want) != 0)
			return NULL;
	}
	xml_arena_close();
	*ok = i == 2000;
	return NULL;
}

static void test_small_region_spills_to_heap(void **state)
{
	(void)state;
	pthread_t t;
	int ok = 0;
	assert_int_equal(pthread_create(&t, NULL, small_region, &ok), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	xml_arena_reserve((size_t)4 << 30);
	assert_true(ok);
}

int main(void)
{
	xml_arena_install();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_arenas_keep_until_last_close),
		cmocka_unit_test(test_realloc_keeps_content),
		cmocka_unit_test(test_heap_memory_stays_heap),
#ifdef __SANITIZE_ADDRESS__
		cmocka_unit_test(test_closed_arena_is_poisoned),
#endif
		cmocka_unit_test(test_small_region_spills_to_heap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
