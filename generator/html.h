/* Building HTML through libxml2's tree. Text always goes in as text
 * nodes, so it is escaped when the page is written: nothing built here can
 * inject markup, whatever the archive's files hold. */
#ifndef GLOSS_HTML_H
#define GLOSS_HTML_H

#include <libxml/tree.h>

/* Appends a new element NAME to PARENT and returns it (owned by the tree). */
xmlNodePtr html_el(xmlNodePtr parent, const char *name);
/* As html_el, with a class attribute when CLASS is not NULL. */
xmlNodePtr html_elc(xmlNodePtr parent, const char *name, const char *cls);
/* Appends TEXT (UTF-8) to PARENT as a text node. */
void html_text(xmlNodePtr parent, const char *text);
void html_textn(xmlNodePtr parent, const char *text, size_t len);
/* Sets attribute NAME to VALUE (escaped on output). */
void html_attr(xmlNodePtr el, const char *name, const char *value);
/* Appends <a href=HREF>TEXT</a> and returns it. */
xmlNodePtr html_link(xmlNodePtr parent, const char *href, const char *text);
/* Appends an element NAME holding TEXT and returns it. */
xmlNodePtr html_el_text(xmlNodePtr parent, const char *name, const char *text);

#endif
