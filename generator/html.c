#include "html.h"

#include <string.h>

/* A new element is linked in as the last child directly: xmlAddChild's
 * checks (text to merge, a document to set, an attribute) never apply
 * to a fresh element of the parent's document. */
xmlNodePtr html_el(xmlNodePtr parent, const char *name)
{
	xmlNodePtr el = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);
	if (!el || parent->type != XML_ELEMENT_NODE)
		return xmlAddChild(parent, el);
	el->parent = parent;
	if (parent->last) {
		el->prev = parent->last;
		parent->last->next = el;
	} else {
		parent->children = el;
	}
	parent->last = el;
	return el;
}

xmlNodePtr html_elc(xmlNodePtr parent, const char *name, const char *cls)
{
	xmlNodePtr el = html_el(parent, name);
	if (cls)
		html_attr(el, "class", cls);
	return el;
}

/* A text node of TEXT: through xmlNewDocTextLen, since xmlNewDocText
 * measures the text a byte at a time (4 % of a build in profiles). */
static xmlNodePtr new_text(xmlDocPtr doc, const char *text)
{
	return xmlNewDocTextLen(doc, BAD_CAST text, (int)strlen(text));
}

void html_text(xmlNodePtr parent, const char *text)
{
	xmlAddChild(parent, new_text(parent->doc, text));
}

void html_textn(xmlNodePtr parent, const char *text, size_t len)
{
	xmlAddChild(parent, xmlNewDocTextLen(parent->doc, BAD_CAST text, (int)len));
}

/* A new attribute is linked in directly: xmlSetProp would also enter
 * every id in the document's table of ids, which nothing here reads, at
 * a cost that showed in profiles. An attribute set again goes through
 * xmlSetProp, which replaces its value. */
void html_attr(xmlNodePtr el, const char *name, const char *value)
{
	xmlAttrPtr last = NULL;
	for (xmlAttrPtr a = el->properties; a; a = a->next) {
		if (!a->ns && xmlStrEqual(a->name, BAD_CAST name)) {
			xmlSetProp(el, BAD_CAST name, BAD_CAST value);
			return;
		}
		last = a;
	}
	xmlAttrPtr attr = xmlMalloc(sizeof *attr);
	xmlChar *copy = xmlStrdup(BAD_CAST name);
	xmlNodePtr text = new_text(el->doc, value);
	if (!attr || !copy || !text) { /* no memory: libxml2's own way */
		xmlFree(attr);
		xmlFree(copy);
		xmlFreeNode(text);
		xmlSetProp(el, BAD_CAST name, BAD_CAST value);
		return;
	}
	memset(attr, 0, sizeof *attr);
	attr->type = XML_ATTRIBUTE_NODE;
	attr->name = copy;
	attr->parent = el;
	attr->doc = el->doc;
	attr->children = attr->last = text;
	text->parent = (xmlNodePtr)attr;
	attr->prev = last;
	if (last)
		last->next = attr;
	else
		el->properties = attr;
}

xmlNodePtr html_link(xmlNodePtr parent, const char *href, const char *text)
{
	xmlNodePtr a = html_el(parent, "a");
	html_attr(a, "href", href);
	html_text(a, text);
	return a;
}

xmlNodePtr html_el_text(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr el = html_el(parent, name);
	html_text(el, text);
	return el;
}
