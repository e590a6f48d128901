#include "html.h"

xmlNodePtr html_el(xmlNodePtr parent, const char *name)
{
	xmlNodePtr el = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);
	return xmlAddChild(parent, el);
}

xmlNodePtr html_elc(xmlNodePtr parent, const char *name, const char *cls)
{
	xmlNodePtr el = html_el(parent, name);
	if (cls)
		html_attr(el, "class", cls);
	return el;
}

void html_text(xmlNodePtr parent, const char *text)
{
	xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST text));
}

void html_textn(xmlNodePtr parent, const char *text, size_t len)
{
	xmlAddChild(parent, xmlNewDocTextLen(parent->doc, BAD_CAST text, (int)len));
}

void html_attr(xmlNodePtr el, const char *name, const char *value)
{
	xmlSetProp(el, BAD_CAST name, BAD_CAST value);
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
