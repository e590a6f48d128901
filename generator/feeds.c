#include "feeds.h"

#include <libxml/xmlwriter.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "data.h"
#include "utf8.h"
#include "xalloc.h"

/* The newest articles the feed holds. */
#define FEED_ARTICLES 50

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
/* The sitemap protocol's limit of URLs in one file; beyond it sitemap.xml
 * becomes an index of sitemap-N.xml files. */
#define SITEMAP_MAX_URLS 50000

/* An XML document being written with libxml2's xmlTextWriter, which
 * escapes every text and attribute. OK turns false at the first failure.
 * TEXT and URL are scratch. */
struct xdoc {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	bool ok;
	struct buf text, url;
	const char *base; /* archive.yaml's base_url */
};

static void xdoc_check(struct xdoc *x, int rc)
{
	if (rc < 0)
		x->ok = false;
}

static void xdoc_begin(struct xdoc *x, const char *base)
{
	x->buf = xmlBufferCreate();
	x->w = xmlNewTextWriterMemory(x->buf, 0);
	x->ok = x->buf && x->w;
	x->base = base;
	buf_init(&x->text);
	buf_init(&x->url);
	if (!x->ok)
		return;
	xdoc_check(x, xmlTextWriterSetIndent(x->w, 1));
	xdoc_check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST "  "));
	xdoc_check(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
}

/* S without the characters XML 1.0 does not allow (control characters
 * other than tab and line ends, U+FFFE, U+FFFF), which a capture may hold
 * but would make the document ill-formed. Valid until the next call. */
static const xmlChar *xml_safe(struct xdoc *x, const char *s)
{
	size_t n = strlen(s);
	buf_reset(&x->text);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 0) {
			i++;
			continue;
		}
		if (cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF
			       : cp == '\t' || cp == '\n' || cp == '\r')
			buf_add(&x->text, s + i, k);
		i += k;
	}
	return BAD_CAST x->text.data;
}

static void start(struct xdoc *x, const char *name)
{
	if (x->ok)
		xdoc_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void end(struct xdoc *x)
{
	if (x->ok)
		xdoc_check(x, xmlTextWriterEndElement(x->w));
}

static void attr(struct xdoc *x, const char *name, const char *value)
{
	if (x->ok)
		xdoc_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
							  xml_safe(x, value)));
}

static void element(struct xdoc *x, const char *name, const char *text)
{
	if (x->ok)
		xdoc_check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name,
							xml_safe(x, text)));
}

/* The absolute URL of REL, in X->url until the next call. */
static const char *url(struct xdoc *x, const char *rel)
{
	buf_reset(&x->url);
	site_url(&x->url, x->base, rel);
	return x->url.data;
}

/* Ends the document and writes it to REL; frees X's state either way. */
static void xdoc_end(struct xdoc *x, struct writer *w, const char *rel)
{
	if (x->ok)
		xdoc_check(x, xmlTextWriterEndDocument(x->w));
	if (x->w)
		xmlFreeTextWriter(x->w); /* flushes into x->buf */
	if (x->ok)
		writer_emit(w, rel, xmlBufferContent(x->buf),
			    (size_t)xmlBufferLength(x->buf));
	else if (!w->failed) {
		diag_error(w->d, rel, 0, 0, "cannot write the XML document");
		w->failed = true;
	}
	if (x->buf)
		xmlBufferFree(x->buf);
	buf_release(&x->text);
	buf_release(&x->url);
}

/* ---- feed.xml ---- */

/* DATE as Atom needs it: a full timestamp, its first day at midnight UTC.
 * Only the feed does this; everywhere else a date keeps its precision. */
static void atom_date(struct buf *out, const struct date *d)
{
	buf_addf(out, "%04d-%02d-%02dT00:00:00Z", d->year,
		 d->month ? d->month : 1, d->day ? d->day : 1);
}

static void link_el(struct xdoc *x, const char *rel, const char *type,
		    const char *href)
{
	start(x, "link");
	attr(x, "rel", rel);
	attr(x, "type", type);
	attr(x, "href", href);
	end(x);
}

static void category(struct xdoc *x, const char *scheme, const char *term,
		     const char *label)
{
	start(x, "category");
	attr(x, "term", term);
	attr(x, "scheme", url(x, scheme));
	attr(x, "label", label);
	end(x);
}

static void feed_entry(struct ctx *c, struct xdoc *x, const struct article *art)
{
	struct buf s;
	buf_init(&s);
	start(x, "entry");
	entry_url(&s, "", ENTRY_ARTICLE, art->id);
	element(x, "id", url(x, s.data));
	element(x, "title", art->title);
	link_el(x, "alternate", "text/html", url(x, s.data));
	buf_reset(&s);
	atom_date(&s, &art->date);
	element(x, "updated", s.data);
	buf_reset(&s);
	article_tree(c->a, art);
	plain_text_blocks(c->a, cmark_node_first_child(art->body.doc),
			  art->intro_end, &s);
	element(x, "summary", s.len ? s.data : art->outlet);
	for (size_t i = 0; i < art->named_count; i++)
		category(x, "parties/", art->named[i]->id, art->named[i]->name);
	for (size_t i = 0; i < art->covered_count; i++)
		category(x, "proposals/", art->covered[i]->id,
			 art->covered[i]->title);
	end(x);
	buf_release(&s);
}

static void build_feed(struct ctx *c, struct writer *w,
		       struct article *const *articles, size_t article_count)
{
	const struct archive *a = c->a;
	struct xdoc x;
	struct buf s;
	buf_init(&s);
	xdoc_begin(&x, a->base_url);
	if (x.ok)
		xdoc_check(&x, xmlTextWriterStartElementNS(x.w, NULL,
							   BAD_CAST "feed",
							   BAD_CAST ATOM_NS));
	attr(&x, "xml:lang", a->language);
	element(&x, "id", url(&x, "feed.xml"));
	element(&x, "title", a->title);
	if (a->tagline)
		element(&x, "subtitle", a->tagline);
	link_el(&x, "alternate", "text/html", url(&x, "index.html"));
	link_el(&x, "self", "application/atom+xml", url(&x, "feed.xml"));
	/* The newest article's day: the feed changes only with the archive.
	 * An empty archive has no date of its own; the epoch stands in. */
	if (article_count)
		atom_date(&s, &articles[article_count - 1]->date);
	else
		buf_adds(&s, "1970-01-01T00:00:00Z");
	element(&x, "updated", s.data);
	start(&x, "author");
	element(&x, "name", a->title);
	element(&x, "uri", url(&x, "index.html"));
	end(&x);
	element(&x, "generator", "gloss");
	/* Newest first: ARTICLES run oldest first. A reader subscribes for
	 * what is new; the whole archive is the site's (and the sitemap's):
	 * a feed of every article would grow with it, and parse them all. */
	size_t first = article_count > FEED_ARTICLES
			   ? article_count - FEED_ARTICLES
			   : 0;
	for (size_t i = article_count; i-- > first;)
		feed_entry(c, &x, articles[i]);
	end(&x);
	xdoc_end(&x, w, "feed.xml");
	buf_release(&s);
}

/* ---- sitemap.xml ---- */

/* Whether the manifest line REL (LEN bytes) is a page for the sitemap:
 * every HTML file written, except the error page. */
static bool is_listed_page(const char *rel, size_t len)
{
	return len > 5 && memcmp(rel + len - 5, ".html", 5) == 0 &&
	       !(len == 8 && memcmp(rel, "404.html", 8) == 0);
}

static void urlset(struct xdoc *x, char **pages, size_t n)
{
	if (x->ok)
		xdoc_check(x, xmlTextWriterStartElementNS(x->w, NULL,
							  BAD_CAST "urlset",
							  BAD_CAST SITEMAP_NS));
	for (size_t i = 0; i < n; i++) {
		start(x, "url");
		element(x, "loc", url(x, pages[i]));
		end(x);
	}
	end(x);
}

static void build_sitemap(struct ctx *c, struct writer *w, const char *manifest,
			  size_t manifest_len)
{
	const char *base = c->a->base_url;
	char **pages = NULL;
	size_t n = 0, cap = 0;
	struct buf rel;
	buf_init(&rel);
	for (size_t at = 0; at < manifest_len;) {
		const char *nl = memchr(manifest + at, '\n', manifest_len - at);
		size_t len =
		    nl ? (size_t)(nl - (manifest + at)) : manifest_len - at;
		/* A line is a path, then a tab and more for keyed files. */
		const char *tab = memchr(manifest + at, '\t', len);
		size_t path_len = tab ? (size_t)(tab - (manifest + at)) : len;
		if (is_listed_page(manifest + at, path_len)) {
			pages = xgrow(pages, &cap, n + 1, sizeof *pages);
			pages[n++] = xstrndup(manifest + at, path_len);
		}
		at += len + 1;
	}
	struct xdoc x;
	if (n <= SITEMAP_MAX_URLS) {
		xdoc_begin(&x, base);
		urlset(&x, pages, n);
		xdoc_end(&x, w, "sitemap.xml");
		goto out;
	}
	size_t parts = (n + SITEMAP_MAX_URLS - 1) / SITEMAP_MAX_URLS;
	for (size_t k = 0; k < parts && !w->failed; k++) {
		size_t first = k * SITEMAP_MAX_URLS;
		size_t count =
		    n - first < SITEMAP_MAX_URLS ? n - first : SITEMAP_MAX_URLS;
		buf_reset(&rel);
		buf_addf(&rel, "sitemap-%zu.xml", k + 1);
		xdoc_begin(&x, base);
		urlset(&x, pages + first, count);
		xdoc_end(&x, w, rel.data);
	}
	xdoc_begin(&x, base);
	if (x.ok)
		xdoc_check(&x, xmlTextWriterStartElementNS(
				   x.w, NULL, BAD_CAST "sitemapindex",
				   BAD_CAST SITEMAP_NS));
	for (size_t k = 0; k < parts; k++) {
		buf_reset(&rel);
		buf_addf(&rel, "sitemap-%zu.xml", k + 1);
		start(&x, "sitemap");
		element(&x, "loc", url(&x, rel.data));
		end(&x);
	}
	end(&x);
	xdoc_end(&x, w, "sitemap.xml");
out:
	for (size_t i = 0; i < n; i++)
		free(pages[i]);
	free(pages);
	buf_release(&rel);
}

void build_feeds(struct ctx *c, struct writer *w)
{
	struct article *const *articles = c->articles_by_date;
	size_t article_count = c->a->article_count;
	if (!c->a->base_url || w->failed)
		return;
	/* The manifest grows as files are written: list the pages first. */
	size_t len;
	char *manifest = writer_manifest(w, &len);
	build_feed(c, w, articles, article_count);
	build_sitemap(c, w, manifest, len);
	free(manifest);
}
