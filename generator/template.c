#include "template.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "html.h"
#include "serialize.h"
#include "xalloc.h"
#include "xmlarena.h"

static const char *const template_files[TPL_COUNT] = {
	[TPL_INDEX] = "index.html",       [TPL_ARTICLE] = "article.html",
	[TPL_ARTICLES] = "articles.html", [TPL_PARTY] = "party.html",
	[TPL_PARTIES] = "parties.html",   [TPL_PROPOSAL] = "proposal.html",
	[TPL_PROPOSALS] = "proposals.html", [TPL_POSITIONS] = "positions.html",
	[TPL_PAGE] = "page.html",         [TPL_TIMELINE] = "timeline.html",
	[TPL_SEARCH] = "search.html",     [TPL_CHANGES] = "changes.html",
};

#define ATTR_SLOT "data-gloss"
#define ATTR_IF "data-gloss-if"
#define ATTR_ROOT "data-gloss-root"

/* libxml2 2.9 knows only HTML 4 and complains of <main> or <nav>: its
 * complaints are silenced, and pages are checked by a real validator in
 * the tests. NONET: a template never makes gloss touch the network. */
static htmlDocPtr parse_template(const char *path, struct diag *d)
{
	char *data;
	size_t len;
	if (read_file(path, (size_t)16 << 20, &data, &len) != 0) {
		diag_error(d, path, 0, 0, "cannot read template; a theme needs "
			   "layout.html and one template per kind of page");
		return NULL;
	}
	htmlDocPtr doc = htmlReadMemory(data, (int)len, path, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
						HTML_PARSE_NONET);
	free(data);
	if (!doc || !xmlDocGetRootElement(doc)) {
		diag_error(d, path, 0, 0, "template is not an HTML document");
		if (doc)
			xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static xmlNodePtr find_attr_value(xmlNodePtr n, const char *attr,
				  const char *value)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *v = xmlGetProp(n, BAD_CAST attr);
		bool hit = v && strcmp((const char *)v, value) == 0;
		xmlFree(v);
		if (hit)
			return n;
		xmlNodePtr in = find_attr_value(n->children, attr, value);
		if (in)
			return in;
	}
	return NULL;
}

static xmlNodePtr find_element(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
		xmlNodePtr in = find_element(n->children, name);
		if (in)
			return in;
	}
	return NULL;
}

/* The value of N's attribute NAME, owned by the caller, or NULL. */
static char *attr_dup(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

/* Records the marked elements below N, numbering elements from *COUNT
 * in document order, and strips their marks. */
static void record_marks(struct tprepared *tp, xmlNodePtr n, size_t *count,
			 size_t *cap)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		size_t element = (*count)++;
		bool root = xmlHasProp(n, BAD_CAST ATTR_ROOT) != NULL;
		char *slot = attr_dup(n, ATTR_SLOT), *cond = attr_dup(n, ATTR_IF);
		if (slot || cond || root) {
			tp->marks = xgrow(tp->marks, cap, tp->mark_count + 1,
					  sizeof *tp->marks);
			tp->marks[tp->mark_count++] =
				(struct tmark){element, slot, cond, root};
			xmlUnsetProp(n, BAD_CAST ATTR_SLOT);
			xmlUnsetProp(n, BAD_CAST ATTR_IF);
			xmlUnsetProp(n, BAD_CAST ATTR_ROOT);
		}
		record_marks(tp, n->children, count, cap);
	}
}

static void make_image(struct tprepared *tp);
static void free_image(struct timage *img);

static void prepare(struct theme *t, enum template_kind kind)
{
	struct tprepared *tp = &t->pages[kind];
	size_t count = 0, cap = 0;
	tp->doc = xmlCopyDoc(t->layout, 1);
	xmlNodePtr main = find_attr_value(tp->doc->children, ATTR_SLOT, "main");
	xmlNodePtr body = find_element(t->kinds[kind]->children, "body");
	for (xmlNodePtr c = body->children; c; c = c->next)
		xmlAddChild(main, xmlDocCopyNode(c, tp->doc, 1));
	xmlUnsetProp(main, BAD_CAST ATTR_SLOT);
	record_marks(tp, tp->doc->children, &count, &cap);
	make_image(tp);
}

int theme_load(struct theme *t, const char *dir, struct diag *d)
{
	int rc = 0;
	memset(t, 0, sizeof *t);
	t->dir = xstrdup(dir);
	char *path = path_join(dir, "layout.html");
	t->layout = parse_template(path, d);
	if (t->layout && !find_attr_value(t->layout->children, ATTR_SLOT, "main")) {
		diag_error(d, path, 0, 0, "layout has no element marked "
			   "data-gloss=\"main\" to hold the pages' content");
		rc = -1;
	}
	if (!t->layout)
		rc = -1;
	free(path);
	for (int k = 0; k < TPL_COUNT; k++) {
		path = path_join(dir, template_files[k]);
		t->kinds[k] = parse_template(path, d);
		if (t->kinds[k] && !find_element(t->kinds[k]->children, "body")) {
			diag_error(d, path, 0, 0, "template has no <body>");
			rc = -1;
		}
		if (!t->kinds[k])
			rc = -1;
		free(path);
	}
	for (int k = 0; k < TPL_COUNT && rc == 0; k++)
		prepare(t, (enum template_kind)k);
	return rc;
}

void theme_release(struct theme *t)
{
	if (t->layout)
		xmlFreeDoc(t->layout);
	for (int k = 0; k < TPL_COUNT; k++) {
		struct tprepared *tp = &t->pages[k];
		if (t->kinds[k])
			xmlFreeDoc(t->kinds[k]);
		if (tp->doc)
			xmlFreeDoc(tp->doc);
		for (size_t i = 0; i < tp->mark_count; i++) {
			free(tp->marks[i].slot);
			free(tp->marks[i].cond);
		}
		free(tp->marks);
		free_image(&tp->image);
	}
	free(t->dir);
	memset(t, 0, sizeof *t);
}

/* Finds the marked elements of a page's copy: the same walk as
 * record_marks, in a tree of the same shape. */
static void find_marked(struct tpage *p, xmlNodePtr n, size_t *count,
			size_t *next)
{
	for (; n && *next < p->marked_count; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (p->marks[*next].element == (*count)++)
			p->marked[(*next)++] = n;
		find_marked(p, n->children, count, next);
	}
}

/* ---- the image a page starts from ----
 *
 * Each kind's prepared page is also laid out once as an image: its
 * nodes, attributes and strings in one block, as libxml2 would hold
 * them, with a list of the fields that point inside the block. A page
 * is then one allocation in the thread's arena, a memcpy, and those
 * pointers moved to the copy: xmlCopyDoc, node by node, interning names
 * and filling a table of ids no page reads, was 5 % of a build.
 *
 * Every string in the image is preceded by the header the arena's
 * allocations carry, so that libxml2 can grow it (xmlRealloc copies it
 * out); freeing anything in it is a no-op, as for any memory of the
 * arena (xmlarena.h). Only trees of elements, text, comments and CDATA
 * without namespaces are laid out; a theme with anything else, or a
 * page made outside an arena, is copied by xmlCopyDoc. */

/* Laying out an image: with BASE NULL only its size is counted. */
struct layout {
	char *base;
	size_t used;
	size_t *pointers;
	size_t pointer_count, pointer_cap;
};

#define IMAGE_ALIGN 16

static void *carve(struct layout *l, size_t size)
{
	void *p = l->base ? l->base + l->used : NULL;
	l->used += (size + IMAGE_ALIGN - 1) & ~(size_t)(IMAGE_ALIGN - 1);
	return p;
}

static bool in_image(const struct layout *l, const void *p)
{
	return p && (const char *)p >= l->base &&
	       (const char *)p < l->base + l->used;
}

/* Sets *FIELD to TARGET, and records the field when both lie in the
 * image, to be moved with it (FIELD may be a variable of the walk's). */
static void point(struct layout *l, void *field, const void *target)
{
	memcpy(field, &target, sizeof target);
	if (!in_image(l, field) || !in_image(l, target))
		return;
	l->pointers = xgrow(l->pointers, &l->pointer_cap,
			    l->pointer_count + 1, sizeof *l->pointers);
	l->pointers[l->pointer_count++] = (size_t)((char *)field - l->base);
}

static const xmlChar *carve_string(struct layout *l, const xmlChar *s)
{
	if (!s)
		return NULL;
	size_t n = strlen((const char *)s) + 1;
	carve(l, XML_ARENA_HEADER);
	xmlChar *d = carve(l, n);
	if (d) {
		xml_arena_header(d, n);
		memcpy(d, s, n);
	}
	return d;
}

/* A node that has no attributes: text, a comment, CDATA, or an element
 * before its attributes and children are added. */
static xmlNodePtr carve_node(struct layout *l, xmlNodePtr from,
			     xmlNodePtr parent, xmlDocPtr doc)
{
	xmlNodePtr n = carve(l, sizeof *n);
	const xmlChar *name = from->name;
	/* Text and comments are named by libxml2's own constants. */
	if (name && name != xmlStringText && name != xmlStringTextNoenc &&
	    name != xmlStringComment)
		name = carve_string(l, name);
	const xmlChar *content = carve_string(l, from->content);
	if (!n)
		return NULL;
	n->type = from->type;
	point(l, &n->name, name);
	point(l, &n->content, content);
	point(l, &n->doc, doc);
	point(l, &n->parent, parent);
	return n;
}

/* Links N after the last child of the node whose first and last child
 * are *CHILDREN and *LAST. */
static void carve_link(struct layout *l, xmlNodePtr n, xmlNodePtr *children,
		       xmlNodePtr *last)
{
	if (!n)
		return;
	if (*last) {
		point(l, &n->prev, *last);
		point(l, &(*last)->next, n);
	} else {
		point(l, children, n);
	}
	point(l, last, n);
}

/* The image of FROM and everything under it; the Ith element in document
 * order is counted in *ELEMENT, and the offsets of marked ones recorded
 * in MARKED (per mark, from *NEXT on). */
static xmlNodePtr carve_tree(struct layout *l, const struct tprepared *tp,
			     xmlNodePtr from, xmlNodePtr parent, xmlDocPtr doc,
			     size_t *element, size_t *next)
{
	xmlNodePtr n = carve_node(l, from, parent, doc);
	if (from->type != XML_ELEMENT_NODE)
		return n;
	if (*next < tp->mark_count && tp->marks[*next].element == *element) {
		if (n)
			tp->image.marked[*next] = (size_t)((char *)n - l->base);
		(*next)++;
	}
	(*element)++;
	xmlAttrPtr last = NULL;
	for (xmlAttrPtr a = from->properties; a; a = a->next) {
		xmlAttrPtr attr = carve(l, sizeof *attr);
		const xmlChar *name = carve_string(l, a->name);
		xmlNodePtr text_last = NULL;
		for (xmlNodePtr v = a->children; v; v = v->next) {
			xmlNodePtr text = carve_node(l, v, (xmlNodePtr)attr, doc);
			if (attr)
				carve_link(l, text, &attr->children, &text_last);
		}
		if (!attr)
			continue;
		/* Each field is pointed once: a field recorded twice would
		 * be moved twice. */
		point(l, &attr->last, text_last);
		attr->type = XML_ATTRIBUTE_NODE;
		point(l, &attr->name, name);
		point(l, &attr->parent, n);
		point(l, &attr->doc, doc);
		if (last) {
			point(l, &attr->prev, last);
			point(l, &last->next, attr);
		} else {
			point(l, &n->properties, attr);
		}
		last = attr;
	}
	xmlNodePtr children = NULL, child_last = NULL;
	for (xmlNodePtr k = from->children; k; k = k->next)
		carve_link(l, carve_tree(l, tp, k, n, doc, element, next),
			   &children, &child_last);
	if (n) {
		point(l, &n->children, children);
		point(l, &n->last, child_last);
	}
	return n;
}

/* Lays out the whole page: the document, then its tree (no DTD). */
static void carve_page(struct layout *l, struct tprepared *tp)
{
	size_t element = 0, next = 0;
	xmlDocPtr doc = carve(l, sizeof *doc);
	xmlNodePtr children = NULL, last = NULL;
	if (doc) {
		/* As htmlNewDocNoDtD makes it. */
		doc->type = XML_HTML_DOCUMENT_NODE;
		point(l, &doc->doc, doc);
		doc->standalone = 1;
		doc->charset = XML_CHAR_ENCODING_UTF8;
		doc->properties = XML_DOC_HTML | XML_DOC_USERBUILT;
	}
	for (xmlNodePtr k = tp->doc->children; k; k = k->next)
		if (k->type != XML_DTD_NODE)
			carve_link(l, carve_tree(l, tp, k, (xmlNodePtr)doc, doc,
						 &element, &next),
				   &children, &last);
	if (doc) {
		point(l, &doc->children, children);
		point(l, &doc->last, last);
	}
}

/* Whether the nodes from N on, and under them, are all kinds an image
 * holds: elements, text, comments and CDATA, with no namespaces, and
 * attributes holding only text. */
static bool plain_tree(xmlNodePtr n)
{
	for (; n; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (n->ns || n->nsDef || !plain_tree(n->children))
				return false;
			for (xmlAttrPtr a = n->properties; a; a = a->next) {
				if (a->ns)
					return false;
				for (xmlNodePtr v = a->children; v; v = v->next)
					if (v->type != XML_TEXT_NODE)
						return false;
			}
			break;
		case XML_TEXT_NODE:
		case XML_COMMENT_NODE:
		case XML_CDATA_SECTION_NODE:
			break;
		default:
			return false;
		}
	}
	return true;
}

static void make_image(struct tprepared *tp)
{
	struct timage *img = &tp->image;
	for (xmlNodePtr k = tp->doc->children; k; k = k->next)
		if (k->type != XML_DTD_NODE && !plain_tree(k))
			return;
	struct layout l = {0};
	carve_page(&l, tp);
	img->size = l.used;
	img->bytes = xcalloc(1, img->size);
	img->marked = xcalloc(tp->mark_count ? tp->mark_count : 1,
			      sizeof *img->marked);
	/* calloc's blocks are 16-byte aligned on this platform; an image
	 * that is not is simply not used. */
	if ((uintptr_t)img->bytes % IMAGE_ALIGN) {
		free(img->bytes);
		img->bytes = NULL;
		return;
	}
	l = (struct layout){.base = img->bytes};
	carve_page(&l, tp);
	img->pointers = l.pointers;
	img->pointer_count = l.pointer_count;
}

static void free_image(struct timage *img)
{
	free(img->bytes);
	free(img->pointers);
	free(img->marked);
	memset(img, 0, sizeof *img);
}

/* A copy of the image in the thread's open arena, or false. */
static bool page_from_image(struct tpage *p, const struct timage *img)
{
	if (!img->bytes)
		return false;
	char *to = xmlMalloc(img->size);
	if (!to)
		return false;
	if (!xml_arena_holds(to)) {
		xmlFree(to);
		return false;
	}
	memcpy(to, img->bytes, img->size);
	uintptr_t from = (uintptr_t)img->bytes, base = (uintptr_t)to;
	for (size_t i = 0; i < img->pointer_count; i++) {
		uintptr_t v;
		memcpy(&v, to + img->pointers[i], sizeof v);
		v = v - from + base;
		memcpy(to + img->pointers[i], &v, sizeof v);
	}
	p->doc = (htmlDocPtr)to;
	for (size_t i = 0; i < p->marked_count; i++)
		p->marked[i] = (xmlNodePtr)(to + img->marked[i]);
	return true;
}

struct tpage *tpage_new(const struct theme *t, enum template_kind kind)
{
	const struct tprepared *tp = &t->pages[kind];
	struct tpage *p = xcalloc(1, sizeof *p);
	p->in_arena = xml_arena_open();
	p->marks = tp->marks;
	p->marked_count = tp->mark_count;
	p->marked = xcalloc(p->marked_count ? p->marked_count : 1,
			    sizeof *p->marked);
	p->filled = xcalloc(p->marked_count ? p->marked_count : 1,
			    sizeof *p->filled);
	if (!p->in_arena || !page_from_image(p, &tp->image)) {
		size_t count = 0, next = 0;
		p->doc = xmlCopyDoc(tp->doc, 1);
		find_marked(p, p->doc->children, &count, &next);
	}
	return p;
}

void tpage_free(struct tpage *p)
{
	if (!p)
		return;
	if (p->in_arena)
		xml_arena_close();
	else
		xmlFreeDoc(p->doc);
	free(p->marked);
	free(p->filled);
	free(p);
}

/* Is mark I of P slot NAME? */
static bool slot_is(const struct tpage *p, size_t i, const char *name)
{
	return p->marks[i].slot && strcmp(p->marks[i].slot, name) == 0;
}

static void clear_children(xmlNodePtr n)
{
	xmlNodePtr c = n->children;
	while (c) {
		xmlNodePtr next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
		c = next;
	}
}

xmlNodePtr tpage_slot(struct tpage *p, const char *name)
{
	for (size_t i = 0; i < p->marked_count; i++) {
		if (!slot_is(p, i, name))
			continue;
		if (!p->filled[i]) {
			clear_children(p->marked[i]);
			p->filled[i] = true;
		}
		return p->marked[i];
	}
	return NULL;
}

void tpage_set_text(struct tpage *p, const char *name, const char *text)
{
	for (size_t i = 0; i < p->marked_count; i++) {
		if (!slot_is(p, i, name))
			continue;
		clear_children(p->marked[i]);
		p->filled[i] = true;
		html_text(p->marked[i], text);
	}
}

/* A slot counts as empty when it holds no element and only white space. */
static bool slot_empty(const struct tpage *p, const char *name)
{
	for (size_t i = 0; i < p->marked_count; i++) {
		xmlNodePtr n = p->marked[i];
		if (!n || !p->filled[i] || !slot_is(p, i, name))
			continue;
		for (xmlNodePtr c = n->children; c; c = c->next) {
			if (c->type == XML_ELEMENT_NODE)
				return false;
			if (c->type == XML_TEXT_NODE && c->content &&
			    strspn((const char *)c->content, " \t\r\n") !=
				    strlen((const char *)c->content))
				return false;
		}
	}
	return true;
}

static void prefix_attr(xmlNodePtr n, const char *attr, const char *root)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST attr);
	if (!v)
		return;
	struct buf b;
	buf_init(&b);
	buf_adds(&b, root);
	buf_adds(&b, (const char *)v);
	xmlSetProp(n, BAD_CAST attr, BAD_CAST b.data);
	buf_release(&b);
	xmlFree(v);
}

/* Is N inside (or equal to) an element being removed? */
static bool within(xmlNodePtr n, xmlNodePtr *removed, size_t count)
{
	for (; n; n = n->parent)
		for (size_t i = 0; i < count; i++)
			if (removed[i] == n)
				return true;
	return false;
}

void tpage_finish(struct tpage *p, const char *root, const char *lang,
		  struct buf *out)
{
	xmlNodePtr *removed = xcalloc(p->marked_count ? p->marked_count : 1,
				      sizeof *removed);
	size_t removed_count = 0;
	/* Unfilled slots lose the designer's sample content. */
	for (size_t i = 0; i < p->marked_count; i++)
		if (!p->filled[i] && p->marks[i].slot)
			clear_children(p->marked[i]);
	for (size_t i = 0; i < p->marked_count; i++)
		if (p->marks[i].cond && slot_empty(p, p->marks[i].cond))
			removed[removed_count++] = p->marked[i];
	/* Change marked nodes from the last to the first, and free removed
	 * ones only after the walk, so no freed node is visited. */
	for (size_t i = p->marked_count; i-- > 0;) {
		xmlNodePtr n = p->marked[i];
		if (!p->marks[i].root || within(n, removed, removed_count))
			continue;
		prefix_attr(n, "href", root);
		prefix_attr(n, "src", root);
	}
	for (size_t i = 0; i < removed_count; i++) {
		if (within(removed[i]->parent, removed, removed_count))
			continue;
		xmlUnlinkNode(removed[i]);
		xmlFreeNode(removed[i]);
	}
	free(removed);
	xmlNodePtr html = xmlDocGetRootElement(p->doc);
	if (html)
		xmlSetProp(html, BAD_CAST "lang", BAD_CAST lang);

	buf_reset(out);
	html_serialize(p->doc, out);
}
