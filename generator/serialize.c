#include "serialize.h"

#include <libxml/uri.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

/* NAME is one of the LIST of names, which ends with NULL. */
static bool one_of(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* Elements with no content and no end tag (HTML 4's, which libxml2 knows,
 * plus HTML5's). Each element is looked up: by its first letter first,
 * which most names (a, p, div, span, li) end at. */
static bool is_void(const char *name)
{
	static const char *const a[] = {"area", NULL};
	static const char *const b[] = {"base", "basefont", "br", NULL};
	static const char *const c[] = {"col", NULL};
	static const char *const e[] = {"embed", NULL};
	static const char *const f[] = {"frame", NULL};
	static const char *const h[] = {"hr", NULL};
	static const char *const i[] = {"img", "input", "isindex", NULL};
	static const char *const l[] = {"link", NULL};
	static const char *const m[] = {"meta", NULL};
	static const char *const p[] = {"param", NULL};
	static const char *const s[] = {"source", NULL};
	static const char *const t[] = {"track", NULL};
	static const char *const w[] = {"wbr", NULL};
	if (!name[0] || !name[1])
		return false; /* a, b, i, p, q, s, u */
	switch (name[0]) {
	case 'a': return one_of(name, a);
	case 'b': return one_of(name, b);
	case 'c': return one_of(name, c);
	case 'e': return one_of(name, e);
	case 'f': return one_of(name, f);
	case 'h': return one_of(name, h);
	case 'i': return one_of(name, i);
	case 'l': return one_of(name, l);
	case 'm': return one_of(name, m);
	case 'p': return one_of(name, p);
	case 's': return one_of(name, s);
	case 't': return one_of(name, t);
	case 'w': return one_of(name, w);
	default: return false;
	}
}

/* Elements whose text is written as it is. */
static bool is_raw_text(const char *name)
{
	return (name[0] == 's') &&
	       (strcmp(name, "script") == 0 || strcmp(name, "style") == 0);
}

/* Attributes written without a value, as HTML 4 had them. */
static bool is_boolean_attr(const char *name)
{
	static const char *const c[] = {"checked", "compact", NULL};
	static const char *const d[] = {"declare", "defer", "disabled", NULL};
	static const char *const i[] = {"ismap", NULL};
	static const char *const m[] = {"multiple", NULL};
	static const char *const n[] = {"nohref", "noresize", "noshade",
					"nowrap", NULL};
	static const char *const r[] = {"readonly", NULL};
	static const char *const s[] = {"selected", NULL};
	switch (name[0]) {
	case 'c': return one_of(name, c);
	case 'd': return one_of(name, d);
	case 'i': return one_of(name, i);
	case 'm': return one_of(name, m);
	case 'n': return one_of(name, n);
	case 'r': return one_of(name, r);
	case 's': return one_of(name, s);
	default: return false;
	}
}

/* Appends TEXT with & < > and CR as character references. Text is
 * mostly runs with none of them, which strcspn skips quickly. */
static void add_escaped(struct buf *out, const char *text)
{
	const char *s = text;
	for (;;) {
		size_t run = strcspn(s, "&<>\r");
		buf_add(out, s, run);
		s += run;
		switch (*s) {
		case '&': buf_add(out, "&amp;", 5); break;
		case '<': buf_add(out, "&lt;", 4); break;
		case '>': buf_add(out, "&gt;", 4); break;
		case '\r': buf_add(out, "&#13;", 5); break;
		default: return; /* the end */
		}
		s++;
	}
}

/* The characters xmlURIEscapeStr leaves alone with the list libxml2's
 * serialiser gives it: a table, since every byte of every link is
 * looked up. */
static bool uri_plain_table[256];

static void uri_plain_init(void)
{
	for (int c = 0; c < 256; c++)
		uri_plain_table[c] = (c >= 'a' && c <= 'z') ||
				     (c >= 'A' && c <= 'Z') ||
				     (c >= '0' && c <= '9') ||
				     (c && strchr("-_.!~*'()@/:=?;#%&,+<>", c));
}

/* Appends VALUE between quotes: double quotes, or single ones when the
 * value holds a double quote and no single one; else &quot;. */
static void add_quoted(struct buf *out, const char *value)
{
	if (!strchr(value, '"')) {
		buf_addc(out, '"');
		buf_adds(out, value);
		buf_addc(out, '"');
	} else if (!strchr(value, '\'')) {
		buf_addc(out, '\'');
		buf_adds(out, value);
		buf_addc(out, '\'');
	} else {
		buf_addc(out, '"');
		for (const char *s = value; *s; s++) {
			if (*s == '"')
				buf_adds(out, "&quot;");
			else
				buf_addc(out, *s);
		}
		buf_addc(out, '"');
	}
}

static bool is_url_attr(xmlAttrPtr attr)
{
	const char *name = (const char *)attr->name;
	if (attr->ns || attr->parent->ns)
		return false;
	switch (name[0]) {
	case 'h': return strcmp(name, "href") == 0;
	case 's': return strcmp(name, "src") == 0;
	case 'a': return strcmp(name, "action") == 0;
	case 'n':
		return strcmp(name, "name") == 0 &&
		       strcmp((const char *)attr->parent->name, "a") == 0;
	default: return false;
	}
}

static void add_attr(struct buf *out, xmlAttrPtr attr, struct buf *tmp)
{
	buf_addc(out, ' ');
	if (attr->ns && attr->ns->prefix) {
		buf_adds(out, (const char *)attr->ns->prefix);
		buf_addc(out, ':');
	}
	buf_adds(out, (const char *)attr->name);
	if (!attr->children || is_boolean_attr((const char *)attr->name))
		return;
	buf_reset(tmp);
	for (xmlNodePtr c = attr->children; c; c = c->next)
		if (c->content)
			add_escaped(tmp, (const char *)c->content);
	buf_addc(out, '=');
	if (!is_url_attr(attr)) {
		add_quoted(out, tmp->data ? tmp->data : "");
		return;
	}
	const char *value = tmp->data ? tmp->data : "";
	value += strspn(value, " \t\n\r");
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, uri_plain_init);
	bool plain = true;
	for (const unsigned char *s = (const unsigned char *)value; *s; s++)
		if (!uri_plain_table[*s]) {
			plain = false;
			break;
		}
	if (plain) {
		add_quoted(out, value);
		return;
	}
	xmlChar *escaped = xmlURIEscapeStr(BAD_CAST value,
					   BAD_CAST "@/:=?;#%&,+<>");
	add_quoted(out, escaped ? (const char *)escaped : value);
	xmlFree(escaped);
}

static void start_tag(struct buf *out, xmlNodePtr el, struct buf *tmp)
{
	buf_addc(out, '<');
	if (el->ns && el->ns->prefix) {
		buf_adds(out, (const char *)el->ns->prefix);
		buf_addc(out, ':');
	}
	buf_adds(out, (const char *)el->name);
	for (xmlAttrPtr a = el->properties; a; a = a->next)
		add_attr(out, a, tmp);
	buf_addc(out, '>');
}

static void end_tag(struct buf *out, xmlNodePtr el)
{
	buf_adds(out, "</");
	if (el->ns && el->ns->prefix) {
		buf_adds(out, (const char *)el->ns->prefix);
		buf_addc(out, ':');
	}
	buf_adds(out, (const char *)el->name);
	buf_addc(out, '>');
}

/* Text, comments and references: the nodes without children. */
static void leaf(struct buf *out, xmlNodePtr n)
{
	const char *content = (const char *)n->content;
	switch (n->type) {
	case XML_TEXT_NODE:
		if (!content)
			break;
		if (n->parent && n->parent->type == XML_ELEMENT_NODE &&
		    is_raw_text((const char *)n->parent->name))
			buf_adds(out, content);
		else
			add_escaped(out, content);
		break;
	case XML_CDATA_SECTION_NODE:
		if (content)
			buf_adds(out, content);
		break;
	case XML_COMMENT_NODE:
		buf_adds(out, "<!--");
		if (content)
			buf_adds(out, content);
		buf_adds(out, "-->");
		break;
	case XML_ENTITY_REF_NODE:
		buf_addc(out, '&');
		buf_adds(out, (const char *)n->name);
		buf_addc(out, ';');
		break;
	default:
		break;
	}
}

/* Walks the tree from TOP without recursion: a body can nest deeply. */
static void node(struct buf *out, xmlNodePtr top, struct buf *tmp)
{
	xmlNodePtr n = top;
	for (;;) {
		bool descend = false;
		if (n->type == XML_ELEMENT_NODE) {
			start_tag(out, n, tmp);
			if (is_void((const char *)n->name))
				; /* no content, no end tag */
			else if (n->children)
				descend = true;
			else
				end_tag(out, n);
		} else {
			leaf(out, n);
		}
		if (descend) {
			n = n->children;
			continue;
		}
		/* Close the elements this was the last child of. */
		while (n != top && !n->next) {
			n = n->parent;
			end_tag(out, n);
		}
		if (n == top)
			return;
		n = n->next;
	}
}

void html_serialize(xmlDocPtr doc, struct buf *out)
{
	struct buf tmp;
	buf_init(&tmp);
	buf_adds(out, "<!DOCTYPE html>\n");
	for (xmlNodePtr n = doc->children; n; n = n->next)
		if (n->type != XML_DTD_NODE)
			node(out, n, &tmp);
	buf_addc(out, '\n');
	buf_release(&tmp);
}
