/* Fuzz target: Markdown bodies (markdown.h).
 *
 * The input is a Markdown body. It is parsed, rendered into a libxml2
 * document as a page would render it (block by block, and inline as a
 * proposal's term), reduced to plain text, and the document serialised.
 * The rendered tree must hold only the elements and attributes the
 * renderer makes, every link must be one md_link_class calls safe and
 * written with URL characters only, and all text must be UTF-8. The
 * heading level and the page's depth come from the input's length, so
 * that seeds stay plain Markdown files. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLtree.h>
#include <libxml/xmlsave.h>

#include "buf.h"
#include "fuzz.h"
#include "markdown.h"
#include "utf8.h"

/* The loader hands md_parse only UTF-8 (it refuses other files), and
 * cmark passes bytes through unchecked: text is checked to be UTF-8 only
 * when the input was. Other inputs still run, for crashes and leaks. */
static bool input_utf8;

/* A resolver that knows one entry of each kind, as the loader's would
 * know the archive's. */
static const char *resolve(void *ctx, enum entry_kind kind, const char *id,
			   struct buf *href)
{
	static const char *const known[][2] = {
		[ENTRY_ARTICLE] = {"2008-alpha-offer", "Alpha offers a truce"},
		[ENTRY_PARTY] = {"hamas", "Hamas"},
		[ENTRY_PROPOSAL] = {"truce", "The <truce> & \"terms\""},
		[ENTRY_PAGE] = {"method", "Method"},
	};
	static const char *const dirs[] = {"articles/", "parties/",
					   "proposals/", ""};
	const char *root = ctx;
	CHECK(kind <= ENTRY_PAGE);
	CHECK(id != NULL);
	if (strcmp(id, known[kind][0]) != 0)
		return NULL;
	buf_addf(href, "%s%s%s.html", root, dirs[kind], id);
	return known[kind][1];
}

static bool url_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-._~!$&'()*+,;=:@/?#%", c));
}

/* url_append keeps URL characters and writes the others as %XX. */
static void check_url_append(const char *url)
{
	struct buf out;
	buf_init(&out);
	buf_adds(&out, "x");
	url_append(&out, url);
	CHECK(out.data[0] == 'x');
	size_t j = 1;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		CHECK(j < out.len);
		if (url_char(*p)) {
			CHECK((unsigned char)out.data[j] == *p);
			j++;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			CHECK(j + 3 <= out.len);
			CHECK(out.data[j] == '%' &&
			      out.data[j + 1] == hex[*p >> 4] &&
			      out.data[j + 2] == hex[*p & 15]);
			j += 3;
		}
	}
	CHECK(j == out.len && strlen(out.data) == out.len);
	buf_release(&out);
}

static void check_link_class(const char *url)
{
	enum entry_kind kind = ENTRY_INDEX;
	const char *id = NULL;
	enum link_class c = md_link_class(url, &kind, &id);
	size_t len = strlen(url);
	switch (c) {
	case LINK_ENTRY:
		CHECK(kind <= ENTRY_PAGE);
		CHECK(id > url && id <= url + len && id[-1] == ':');
		break;
	case LINK_WEB:
		CHECK(strncasecmp(url, "http:", 5) == 0 ||
		      strncasecmp(url, "https:", 6) == 0 ||
		      strncasecmp(url, "mailto:", 7) == 0);
		break;
	case LINK_RELATIVE: {
		/* No scheme a browser would act on: a letter, then scheme
		 * characters, then ':' would be one. */
		size_t scheme = strspn(url, "abcdefghijklmnopqrstuvwxyz"
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "0123456789+-.");
		bool letter = (url[0] >= 'a' && url[0] <= 'z') ||
			      (url[0] >= 'A' && url[0] <= 'Z');
		CHECK(!(letter && url[scheme] == ':'));
		CHECK(len == 0 || (unsigned char)url[0] > ' ');
		break;
	}
	case LINK_UNSAFE:
		break;
	default:
		CHECK(!"no such link class");
	}
}

/* True when the nodes from N on say something to a reader: text other
 * than Unicode white space, or an image with alt text. */
static bool has_words(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			const char *t = (const char *)n->content;
			size_t len = strlen(t), i = 0, k;
			uint32_t cp;
			while (i < len && (k = utf8_decode(t + i, len - i, &cp)) &&
			       utf8_is_space(cp))
				i += k;
			if (i < len)
				return true;
		} else if (n->type == XML_ELEMENT_NODE) {
			xmlChar *alt = xmlGetProp(n, BAD_CAST "alt");
			bool words = alt && *alt;
			xmlFree(alt);
			if (words || has_words(n->children))
				return true;
		}
	}
	return false;
}

/* Only what markdown.c makes may be in the tree, and every link has
 * words a reader can name it by. */
static void check_tree(xmlNodePtr n, size_t depth)
{
	static const char *const names[] = {
		"div", "p", "blockquote", "ol", "ul", "li", "h1", "h2", "h3",
		"h4", "h5", "h6", "em", "strong", "a", "span", "pre", "code",
		"hr", "br", "img", NULL};
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE) {
			const xmlChar *t = n->content;
			CHECK(t != NULL && (!input_utf8 || xmlCheckUTF8(t)));
			continue;
		}
		CHECK(n->type == XML_ELEMENT_NODE);
		bool known = false;
		for (size_t i = 0; names[i]; i++)
			known |= strcmp((const char *)n->name, names[i]) == 0;
		CHECK(known);
		if (strcmp((const char *)n->name, "a") == 0)
			CHECK(has_words(n->children));
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			const char *an = (const char *)a->name;
			xmlChar *v = xmlGetProp(n, a->name);
			CHECK(v != NULL);
			if (strcmp(an, "href") == 0 || strcmp(an, "src") == 0) {
				enum entry_kind kind;
				const char *id;
				CHECK(md_link_class((const char *)v, &kind,
						    &id) != LINK_UNSAFE);
				for (const xmlChar *p = v; *p; p++)
					CHECK(url_char(*p));
			} else {
				CHECK(strcmp(an, "alt") == 0 ||
				      strcmp(an, "start") == 0);
				CHECK(!input_utf8 || xmlCheckUTF8(v));
			}
			xmlFree(v);
		}
		check_tree(n->children, depth + 1);
	}
}

static size_t serialise(xmlNodePtr el)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlSaveCtxtPtr save = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_AS_HTML |
							       XML_SAVE_NO_DECL);
	CHECK(save != NULL);
	xmlSaveTree(save, el);
	xmlSaveClose(save);
	size_t n = (size_t)xmlBufferLength(xb);
	const char *s = (const char *)xmlBufferContent(xb);
	CHECK(n >= 11 && memcmp(s, "<div>", 5) == 0);
	CHECK(strstr(s, "<script") == NULL && strstr(s, "<SCRIPT") == NULL);
	xmlBufferFree(xb);
	return n;
}

/* Visits every link and image of the parsed tree, and checks that every
 * node lies within the LINES lines of the text ('\n' ends a line). */
static void check_urls(cmark_node *doc, int lines)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t != CMARK_NODE_DOCUMENT)
			CHECK(cmark_node_get_start_line(n) <= lines &&
			      cmark_node_get_end_line(n) <= lines);
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			int line, col;
			md_position(n, &line, &col);
			CHECK(line >= 1 && line <= lines && col >= 0);
			const char *url = cmark_node_get_url(n);
			if (url) {
				check_link_class(url);
				check_url_append(url);
			}
		}
	}
	cmark_iter_free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *root = (size / 6) % 2 ? "../" : "";
	struct md_links links = {resolve, (void *)root, root,
				 (int)(size % 6) + 1, 0};
	struct body body;
	struct buf plain;

	input_utf8 = utf8_validate(text, size) == size;
	md_parse(&body, text, size, 3);
	CHECK(body.doc != NULL && body.first_line == 3);
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	check_urls(body.doc, lines);

	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr div = xmlNewDocNode(doc, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(doc, div);
	md_render_blocks(cmark_node_first_child(body.doc), NULL, div, &links);
	check_tree(div, 0);
	serialise(div);

	/* A one-line value, such as a proposal's term. */
	xmlNodePtr inl = xmlNewDocNode(doc, NULL, BAD_CAST "div", NULL);
	xmlAddChild(div, inl);
	md_render_inline(body.doc, inl, &links);
	check_tree(inl, 0);
	serialise(div);

	buf_init(&plain);
	md_plain_text(body.doc, &plain);
	CHECK(strlen(plain.data) == plain.len);
	buf_release(&plain);

	/* The raw input as a URL, up to its first NUL. */
	char *url = malloc(size + 1);
	memcpy(url, text, size);
	url[size] = '\0';
	check_link_class(url);
	check_url_append(url);
	free(url);

	xmlFreeDoc(doc);
	cmark_node_free(body.doc);
	return 0;
}
