#include "markdown.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "digest.h"
#include "html.h"
#include "utf8.h"
#include "xalloc.h"

/* cmark 0.30 copies a node's strings out of its chunks the first time
 * they are read, writing to the node: reading them all once here makes
 * every later read a pure read, so pages can render in several threads
 * from the same trees. */
static void settle(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			cmark_node_get_literal(n);
			break;
		case CMARK_NODE_CODE_BLOCK:
			cmark_node_get_literal(n);
			cmark_node_get_fence_info(n);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			cmark_node_get_url(n);
			cmark_node_get_title(n);
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
			cmark_node_get_on_enter(n);
			cmark_node_get_on_exit(n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

void md_parse(struct body *body, const char *text, size_t len, int first_line)
{
	char *copy = NULL;
	/* cmark ends a line at a lone '\r' too, where gloss's files and
	 * positions end lines at '\n' (or "\r\n") only: a stray '\r' is
	 * a space for cmark, so that its line numbers are the file's. */
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\r' || (i + 1 < len && text[i + 1] == '\n'))
			continue;
		if (!copy) {
			copy = xmalloc(len);
			memcpy(copy, text, len);
		}
		copy[i] = ' ';
	}
	/* CMARK_OPT_DEFAULT keeps raw HTML in the tree, where the renderer
	 * below skips it; nothing of it is ever output. */
	body->doc = cmark_parse_document(copy ? copy : text, len,
					 CMARK_OPT_DEFAULT);
	body->first_line = first_line;
	free(copy);
	settle(body->doc);
}

static bool is_scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

static bool scheme_is(const char *url, size_t n, const char *scheme)
{
	return strlen(scheme) == n && strncasecmp(url, scheme, n) == 0;
}

static bool is_block(cmark_node_type t)
{
	return t >= CMARK_NODE_FIRST_BLOCK && t <= CMARK_NODE_LAST_BLOCK;
}

static int count_newlines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

void md_position(cmark_node *n, int *line, int *col)
{
	cmark_node *block = n;
	*line = cmark_node_get_start_line(n);
	*col = cmark_node_get_start_column(n);
	if (is_block(cmark_node_get_type(n)))
		return;
	while (block && !is_block(cmark_node_get_type(block)))
		block = cmark_node_parent(block);
	if (!block)
		return;
	/* cmark 0.30 gives a link that spans lines the line where it ends,
	 * and forgets a line after a hard break written as a backslash. The
	 * line is counted instead: the block's first line, plus every line
	 * ending before N. A title's line breaks count when the title is
	 * written in the link; one from a reference definition is elsewhere,
	 * which the tree does not tell: the line found is then later than
	 * the link's, but never past the block. */
	int breaks = 0;
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(cur);
		if (cur == n && ev == CMARK_EVENT_ENTER)
			break;
		if (ev == CMARK_EVENT_EXIT) {
			if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
				breaks += count_newlines(cmark_node_get_title(cur));
			continue;
		}
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			breaks++;
		} else if (t == CMARK_NODE_HTML_INLINE) {
			breaks += count_newlines(cmark_node_get_literal(cur));
		}
	}
	cmark_iter_free(it);
	*line = cmark_node_get_start_line(block) + breaks;
	if (*line > cmark_node_get_end_line(block))
		*line = cmark_node_get_end_line(block);
}

enum link_class md_link_class(const char *url, enum entry_kind *kind,
			      const char **id)
{
	static const struct {
		const char *scheme;
		enum entry_kind kind;
	} entries[] = {
		{"article", ENTRY_ARTICLE},
		{"party", ENTRY_PARTY},
		{"proposal", ENTRY_PROPOSAL},
		{"page", ENTRY_PAGE},
	};
	size_t n = 0;
	const char *p = url;
	/* Browsers ignore leading spaces and control characters in URLs,
	 * which would let " javascript:" past a naive check. */
	while (*p && (unsigned char)*p <= ' ')
		p++;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return p == url ? LINK_RELATIVE : LINK_UNSAFE;
	while (is_scheme_char(p[n]))
		n++;
	if (p[n] != ':')
		return p == url ? LINK_RELATIVE : LINK_UNSAFE;
	for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
		if (p == url && strncmp(p, entries[i].scheme, n) == 0 &&
		    strlen(entries[i].scheme) == n) {
			*kind = entries[i].kind;
			*id = p + n + 1;
			return LINK_ENTRY;
		}
	}
	if (scheme_is(p, n, "http") || scheme_is(p, n, "https") ||
	    scheme_is(p, n, "mailto"))
		return p == url ? LINK_WEB : LINK_UNSAFE;
	return LINK_UNSAFE;
}

/* Characters HTML does not allow in text: controls other than tab and
 * line breaks, and noncharacters. Files cannot hold them (loading checks
 * the bytes), but a character reference can: &#xFFFF; or &#x1;. */
static bool unfit_for_html(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	       (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
	       (cp & 0xFFFE) == 0xFFFE;
}

/* How many bytes of TEXT HTML allows as they are: up to the first byte
 * that is not UTF-8 or character that is unfit_for_html. */
static size_t fit_prefix(const char *text, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;
	for (;;) {
		/* Printable ASCII, as most text is, needs no decoding. */
		while (i < len && (((unsigned char)text[i] >= 0x20 &&
				    (unsigned char)text[i] < 0x7F) ||
				   text[i] == '\n' || text[i] == '\t'))
			i++;
		if (i == len || (n = utf8_decode(text + i, len - i, &cp)) == 0 ||
		    unfit_for_html(cp))
			return i;
		i += n;
	}
}

/* Appends cmark's TEXT to OUT, any character HTML does not allow
 * replaced by U+FFFD, as cmark itself replaces &#0;. Bytes that are not
 * UTF-8 are replaced too: cmark 0.30 writes &#xFFFF; as the lone byte
 * 0xFF (cmark issue 548). */
static void add_fit(struct buf *out, const char *text, size_t len)
{
	size_t i = fit_prefix(text, len), n;
	uint32_t cp;
	buf_add(out, text, i);
	for (; i < len; i += n) {
		n = utf8_decode(text + i, len - i, &cp);
		if (n == 0 || unfit_for_html(cp)) {
			buf_adds(out, "\xEF\xBF\xBD");
			n = n ? n : 1;
		} else {
			buf_add(out, text + i, n);
		}
	}
}

void md_plain_text(cmark_node *n, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(cur)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE: {
			const char *lit = cmark_node_get_literal(cur);
			add_fit(out, lit, strlen(lit));
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* What RFC 3986 allows in a URL as written, '%' included, so that an
 * editor's own escapes are not escaped twice. */
static bool url_kept(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '-': case '.': case '_': case '~': case '!': case '$': case '&':
	case '\'': case '(': case ')': case '*': case '+': case ',': case ';':
	case '=': case ':': case '@': case '/': case '?': case '#': case '%':
		return true;
	default:
		return false;
	}
}

void url_append(struct buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)url;
	while (*p) {
		const unsigned char *run = p;
		while (*p && url_kept(*p))
			p++;
		buf_add(out, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		buf_addc(out, '%');
		buf_addc(out, hex[*p >> 4]);
		buf_addc(out, hex[*p & 15]);
		p++;
	}
}

/* Paragraphs in tight lists render without <p>, as in cmark's HTML. */
static bool in_tight_list(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;
	return list && cmark_node_get_type(list) == CMARK_NODE_LIST &&
	       cmark_node_get_list_tight(list);
}

static void link_href(cmark_node *link, const struct md_links *links,
		      struct buf *href, const char **title, bool *ok)
{
	enum entry_kind kind;
	const char *id = NULL;
	const char *url = cmark_node_get_url(link);
	*title = NULL;
	*ok = false;
	if (!url)
		return;
	switch (md_link_class(url, &kind, &id)) {
	case LINK_ENTRY:
		*title = links->resolve(links->ctx, kind, id, href);
		*ok = *title != NULL;
		break;
	case LINK_WEB:
		url_append(href, url);
		*ok = true;
		break;
	case LINK_RELATIVE:
		if (url[0] != '#' && url[0] != '/' && url[0] != '\0')
			buf_adds(href, links->root);
		url_append(href, url);
		*ok = true;
		break;
	case LINK_UNSAFE:
		break;
	}
}

/* cmark sends ENTER and EXIT for containers, only ENTER for leaves. */
static bool is_leaf(cmark_node_type type)
{
	switch (type) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT:
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		return true;
	default:
		return false;
	}
}

/* Creates the element for a container node entered, or returns NULL when
 * its children go straight into PARENT. */
static xmlNodePtr open_container(cmark_node *node, xmlNodePtr parent,
				 const struct md_links *links, struct buf *tmp)
{
	xmlNodePtr el = NULL;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
		return html_el(parent, "blockquote");
	case CMARK_NODE_LIST: {
		bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
		int start = cmark_node_get_list_start(node);
		el = html_el(parent, ordered ? "ol" : "ul");
		if (ordered && start != 1) {
			buf_reset(tmp);
			buf_addf(tmp, "%d", start);
			html_attr(el, "start", tmp->data);
		}
		return el;
	}
	case CMARK_NODE_ITEM:
		return html_el(parent, "li");
	case CMARK_NODE_PARAGRAPH:
		return in_tight_list(node) ? NULL : html_el(parent, "p");
	case CMARK_NODE_HEADING: {
		int level = cmark_node_get_heading_level(node) + links->shift;
		char name[3] = {'h', (char)('0' + (level > 6 ? 6 : level)), 0};
		return html_el(parent, name);
	}
	case CMARK_NODE_EMPH:
		return html_el(parent, "em");
	case CMARK_NODE_STRONG:
		return html_el(parent, "strong");
	case CMARK_NODE_LINK: {
		const char *title;
		bool ok;
		buf_reset(tmp);
		link_href(node, links, tmp, &title, &ok);
		/* Unsafe or unresolved: keep the words, drop the link. */
		if (!ok)
			return html_el(parent, "span");
		el = html_el(parent, "a");
		html_attr(el, "href", tmp->data);
		return el;
	}
	default:
		/* Documents pass their children through; custom blocks and
		 * inlines render nothing of their own. */
		return NULL;
	}
}

/* Appends cmark's TEXT to PARENT as add_fit writes it. */
static void add_literal(xmlNodePtr parent, const char *text)
{
	size_t len = strlen(text);
	if (fit_prefix(text, len) == len) {
		html_textn(parent, text, len);
		return;
	}
	struct buf b;
	buf_init(&b);
	add_fit(&b, text, len);
	html_textn(parent, b.data, b.len);
	buf_release(&b);
}

static void render_leaf(cmark_node *node, xmlNodePtr parent)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_CODE_BLOCK: {
		xmlNodePtr code = html_el(html_el(parent, "pre"), "code");
		add_literal(code, cmark_node_get_literal(node));
		break;
	}
	case CMARK_NODE_THEMATIC_BREAK:
		html_el(parent, "hr");
		break;
	case CMARK_NODE_TEXT:
		add_literal(parent, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_SOFTBREAK:
		html_text(parent, "\n");
		break;
	case CMARK_NODE_LINEBREAK:
		html_el(parent, "br");
		break;
	case CMARK_NODE_CODE:
		add_literal(html_el(parent, "code"), cmark_node_get_literal(node));
		break;
	default:
		/* Raw HTML, block or inline, is never rendered. */
		break;
	}
}

/* True when the nodes from N on say something to a reader: text other
 * than white space, or an image with alt text. */
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
			xmlChar *alt = xmlStrEqual(n->name, BAD_CAST "img")
					       ? xmlGetProp(n, BAD_CAST "alt")
					       : NULL;
			bool words = alt && *alt;
			xmlFree(alt);
			if (words || has_words(n->children))
				return true;
		}
	}
	return false;
}

/* A link whose text has no words, [](party:hamas) or [ ](https://x.org),
 * takes the title of its entry, or else its URL as written, so that a
 * reader always has a name for it. One with neither, [](), is no link. */
static void name_link(cmark_node *link, xmlNodePtr a,
		      const struct md_links *links, struct buf *tmp)
{
	const char *title;
	bool ok;
	if (!xmlStrEqual(a->name, BAD_CAST "a") || has_words(a->children))
		return;
	buf_reset(tmp);
	link_href(link, links, tmp, &title, &ok);
	add_literal(a, title ? title : cmark_node_get_url(link));
	if (!has_words(a->children)) {
		xmlNodeSetName(a, BAD_CAST "span");
		xmlUnsetProp(a, BAD_CAST "href");
	}
}

/* Renders ROOT and everything under it into PARENT, following cmark's
 * events with a stack of the elements open. */
static void render(cmark_node *root, xmlNodePtr parent,
		   const struct md_links *links)
{
	xmlNodePtr *stack = NULL;
	size_t depth = 0, cap = 0;
	xmlNodePtr cur = parent;
	struct buf tmp;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	buf_init(&tmp);

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_EXIT) {
			if (type == CMARK_NODE_LINK && cur != stack[depth - 1])
				name_link(node, cur, links, &tmp);
			cur = stack[--depth];
			continue;
		}
		if (is_leaf(type)) {
			render_leaf(node, cur);
			continue;
		}
		if (type == CMARK_NODE_IMAGE) {
			const char *title;
			bool ok;
			buf_reset(&tmp);
			link_href(node, links, &tmp, &title, &ok);
			xmlNodePtr img = ok ? html_el(cur, "img") : NULL;
			if (img)
				html_attr(img, "src", tmp.data);
			buf_reset(&tmp);
			md_plain_text(node, &tmp);
			if (img)
				html_attr(img, "alt", tmp.data);
			else
				html_text(cur, tmp.data);
			/* The alt text is all of it: skip the children. */
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			continue;
		}
		xmlNodePtr el = open_container(node, cur, links, &tmp);
		stack = xgrow(stack, &cap, depth + 1, sizeof *stack);
		stack[depth++] = cur;
		if (el)
			cur = el;
	}
	cmark_iter_free(it);
	buf_release(&tmp);
	free(stack);
}

/* The highest level (smallest number) of the headings in FIRST..END, or
 * 0 when there are none. Headings are blocks, found in the document or
 * in container blocks (quotes, lists, items), never inside a paragraph:
 * only blocks are visited, not the inlines that make most of a body. */
static int highest_heading(cmark_node *first, cmark_node *end)
{
	int best = 0;
	for (cmark_node *b = first; b && b != end; b = cmark_node_next(b)) {
		int level = 0;
		switch (cmark_node_get_type(b)) {
		case CMARK_NODE_HEADING:
			level = cmark_node_get_heading_level(b);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
		case CMARK_NODE_LIST:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_CUSTOM_BLOCK:
			level = highest_heading(cmark_node_first_child(b), NULL);
			break;
		default:
			break;
		}
		if (level && (!best || level < best))
			best = level;
	}
	return best;
}

void md_render_blocks(cmark_node *first, cmark_node *end, xmlNodePtr parent,
		      const struct md_links *links)
{
	struct md_links shifted = *links;
	int top = highest_heading(first, end);
	shifted.shift = top ? links->top_heading - top : 0;
	for (cmark_node *n = first; n && n != end; n = cmark_node_next(n))
		render(n, parent, &shifted);
}

uint64_t md_blocks_digest(cmark_node *first, cmark_node *end)
{
	struct digest x = digest_new(31);
	for (cmark_node *b = first; b && b != end; b = cmark_node_next(b)) {
		cmark_iter *it = cmark_iter_new(b);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			cmark_node_type type = cmark_node_get_type(n);
			digest_u64(&x, (uint64_t)ev << 16 | (uint64_t)type);
			if (ev != CMARK_EVENT_ENTER)
				continue;
			digest_str(&x, cmark_node_get_literal(n));
			switch (type) {
			case CMARK_NODE_HEADING:
				digest_u64(&x, (uint64_t)cmark_node_get_heading_level(n));
				break;
			case CMARK_NODE_LIST:
				digest_u64(&x, (uint64_t)cmark_node_get_list_type(n));
				digest_u64(&x, (uint64_t)cmark_node_get_list_delim(n));
				digest_u64(&x, (uint64_t)cmark_node_get_list_start(n));
				digest_u64(&x, (uint64_t)cmark_node_get_list_tight(n));
				break;
			case CMARK_NODE_CODE_BLOCK:
				digest_str(&x, cmark_node_get_fence_info(n));
				break;
			case CMARK_NODE_LINK:
			case CMARK_NODE_IMAGE:
				digest_str(&x, cmark_node_get_url(n));
				digest_str(&x, cmark_node_get_title(n));
				break;
			case CMARK_NODE_CUSTOM_BLOCK:
			case CMARK_NODE_CUSTOM_INLINE:
				digest_str(&x, cmark_node_get_on_enter(n));
				digest_str(&x, cmark_node_get_on_exit(n));
				break;
			default:
				break;
			}
		}
		cmark_iter_free(it);
	}
	return x.h;
}

void md_render_inline(cmark_node *doc, xmlNodePtr parent,
		      const struct md_links *links)
{
	cmark_node *para = cmark_node_first_child(doc);
	if (!para)
		return;
	if (cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) {
		render(para, parent, links);
		return;
	}
	for (cmark_node *n = cmark_node_first_child(para); n; n = cmark_node_next(n))
		render(n, parent, links);
}
