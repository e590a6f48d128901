/* Writing a page's libxml2 tree out as HTML5 text.
 *
 * libxml2's own HTML serialiser looks every element up in its HTML 4
 * table by a case-insensitive linear search, and was a fifth of a large
 * build. This one writes the same bytes for the trees gloss builds: the
 * escaping is the same (& < > and CR in text and attribute values; URL
 * attributes percent-encoded as libxml2 does, by xmlURIEscapeStr), the
 * same elements are void, script and style content is written as it is.
 * Only text and attribute nodes produce characters: markup comes from
 * element names, so nothing in the archive's files can inject any. */
#ifndef GLOSS_SERIALIZE_H
#define GLOSS_SERIALIZE_H

#include <libxml/tree.h>

#include "buf.h"

/* Appends DOC as "<!DOCTYPE html>\n", its top-level nodes, and a newline
 * after the root element. */
void html_serialize(xmlDocPtr doc, struct buf *out);

#endif
