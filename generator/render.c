#include "render.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "history.h"
#include "html.h"
#include "map.h"
#include "xalloc.h"

static const char *entry_dir(enum entry_kind kind)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return "articles/";
	case ENTRY_PARTY:
		return "parties/";
	case ENTRY_PROPOSAL:
		return "proposals/";
	default:
		return "";
	}
}

/* Appends the URL of an entry page, relative to the current page. */
void entry_url(struct buf *out, const char *root, enum entry_kind kind,
		      const char *id)
{
	buf_adds(out, root);
	buf_adds(out, entry_dir(kind));
	buf_adds(out, id);
	buf_adds(out, ".html");
}

static const char *resolve_link(void *vctx, enum entry_kind kind,
				const char *id, struct buf *href)
{
	const struct ctx *c = vctx;
	const struct map *maps[] = {&c->a->article_map, &c->a->party_map,
				    &c->a->proposal_map, &c->a->page_map};
	if (kind > ENTRY_PAGE)
		return NULL;
	void *e = map_get(maps[kind], id);
	if (!e)
		return NULL;
	entry_url(href, c->root, kind, id);
	return entry_title(kind, e);
}

struct md_links links_for(struct ctx *c, int top_heading)
{
	struct md_links l = {resolve_link, c, c->root, top_heading, 0};
	return l;
}

xmlNodePtr link_entry(struct ctx *c, xmlNodePtr parent,
			     enum entry_kind kind, const char *id,
			     const char *text, const char *fragment)
{
	buf_reset(&c->href);
	entry_url(&c->href, c->root, kind, id);
	if (fragment) {
		buf_addc(&c->href, '#');
		buf_adds(&c->href, fragment);
	}
	return html_link(parent, c->href.data, text);
}

static const char *const month_names[] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December"};

void date_iso(struct buf *out, const struct date *date)
{
	buf_addu(out, (unsigned)date->year, 4);
	if (date->precision == DATE_YEAR)
		return;
	buf_addc(out, '-');
	buf_addu(out, (unsigned)date->month, 2);
	if (date->precision == DATE_MONTH)
		return;
	buf_addc(out, '-');
	buf_addu(out, (unsigned)date->day, 2);
}

void date_shown(struct buf *out, const struct date *date)
{
	if (date->precision != DATE_YEAR && date->precision != DATE_MONTH) {
		buf_addu(out, (unsigned)date->day, 0);
		buf_addc(out, ' ');
	}
	if (date->precision != DATE_YEAR) {
		buf_adds(out, month_names[date->month - 1]);
		buf_addc(out, ' ');
	}
	buf_addu(out, (unsigned)date->year, 0);
}

void add_date(xmlNodePtr parent, const struct date *date)
{
	struct buf iso, shown;
	buf_init(&iso);
	buf_init(&shown);
	date_iso(&iso, date);
	date_shown(&shown, date);
	xmlNodePtr t = html_el_text(parent, "time", shown.data);
	html_attr(t, "datetime", iso.data);
	buf_release(&iso);
	buf_release(&shown);
}

static const char *const stance_shapes[] = {"\u2713", "\u2717", "\u25D0", "?"};

const char *stance_shape(enum stance s)
{
	return stance_shapes[s];
}

void add_stance(xmlNodePtr parent, enum stance s)
{
	struct buf cls;
	buf_init(&cls);
	buf_addf(&cls, "stance stance-%s", stance_name(s));
	xmlNodePtr span = html_elc(parent, "span", cls.data);
	xmlNodePtr shape = html_elc(span, "span", "stance-shape");
	html_attr(shape, "aria-hidden", "true");
	html_text(shape, stance_shapes[s]);
	html_text(span, " ");
	html_text(span, stance_name(s));
	buf_release(&cls);
}

void add_party_links(struct ctx *c, xmlNodePtr parent,
			    struct party *const *parties, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			html_text(parent, i + 1 == n ? " and " : ", ");
		link_entry(c, parent, ENTRY_PARTY, parties[i]->id,
			   parties[i]->name, NULL);
	}
}

/* Fragment ids of passages and of what is said about them. */
void note_id(struct buf *b, const char *prefix, const struct passage *p)
{
	buf_reset(b);
	buf_adds(b, prefix);
	buf_adds(b, p->slug);
}

/* ---- page frame ---- */


struct tpage *page_begin(struct ctx *c, enum template_kind kind,
				const char *title, const struct crumb *crumbs,
				size_t crumb_count)
{
	const struct archive *a = c->a;
	struct tpage *p = tpage_new(c->t, kind);
	struct buf doc_title;
	buf_init(&doc_title);
	/* The home page is the archive's own: no " — archive" after it. */
	if (kind == TPL_INDEX)
		buf_adds(&doc_title, title);
	else if (title && strcmp(title, a->title) != 0)
		buf_addf(&doc_title, "%s \u2014 %s", title, a->title);
	else
		buf_adds(&doc_title, a->title);
	tpage_set_text(p, "title", doc_title.data);
	tpage_set_text(p, "page-title", title ? title : a->title);
	tpage_set_text(p, "site-title", a->title);
	if (a->tagline)
		tpage_set_text(p, "tagline", a->tagline);
	/* feed.xml exists only with base_url: its links come and go with it. */
	if (a->base_url)
		tpage_set_text(p, "feed", "Atom feed");
	/* So does changes.html with git history. */
	if (c->history && c->history->present)
		tpage_set_text(p, "changes-link", "Changes");
	buf_release(&doc_title);

	xmlNodePtr nav = tpage_slot(p, "nav-pages");
	for (size_t i = 0; nav && i < a->page_count; i++) {
		xmlNodePtr li = html_el(nav, "li");
		link_entry(c, li, ENTRY_PAGE, a->pages[i]->id, a->pages[i]->title,
			   NULL);
	}
	xmlNodePtr bc = tpage_slot(p, "breadcrumbs");
	if (bc && crumb_count > 0) {
		xmlNodePtr ol = html_el(bc, "ol");
		for (size_t i = 0; i < crumb_count; i++) {
			xmlNodePtr li = html_el(ol, "li");
			if (crumbs[i].href) {
				buf_reset(&c->href);
				buf_adds(&c->href, c->root);
				buf_adds(&c->href, crumbs[i].href);
				html_link(li, c->href.data, crumbs[i].text);
			} else {
				html_attr(html_el_text(li, "span", crumbs[i].text),
					  "aria-current", "page");
			}
		}
	}
	return p;
}

void page_end(struct ctx *c, struct writer *w, struct tpage *p,
		     const char *rel)
{
	tpage_finish(p, c->root, c->a->language, &c->page);
	writer_emit(w, rel, c->page.data, c->page.len);
	tpage_free(p);
}

void render_body(struct ctx *c, struct tpage *p, const char *slot,
			const struct body *b, cmark_node *end, int top_heading)
{
	xmlNodePtr el = tpage_slot(p, slot);
	struct md_links links = links_for(c, top_heading);
	if (el && b->doc) {
		md_render_blocks(cmark_node_first_child(b->doc), end, el, &links);
		heading_ids(el);
	}
}

static void collect_ids(xmlNodePtr n, struct map *ids)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlAttrPtr id = xmlHasProp(n, BAD_CAST "id");
		if (id && id->children && id->children->content)
			map_put(ids, (const char *)id->children->content, n);
		collect_ids(n->children, ids);
	}
}

static bool is_heading(xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	return n->type == XML_ELEMENT_NODE && name[0] == 'h' &&
	       name[1] >= '1' && name[1] <= '6' && name[2] == '\0';
}

/* The prefixes of the ids gloss gives lines, passages, notes and
 * positions on article pages, which are added after the headings' ids. */
static const char *const generated_prefixes[] = {"l-", "p-", "n-", "pp-",
						 "pos-", NULL};

/* An id from a heading's text: ASCII letters and digits lowercased, runs
 * of anything else as one hyphen. One that would look like an id gloss
 * generates ("L 1" gives l-1), or would once a number tells it from a
 * heading of the same words ("L" gives l, and the second l-2), starts
 * with "section-" instead, so that no heading takes the id of a line or
 * a note. */
static void heading_slug(struct buf *out, const char *text)
{
	bool gap = false;
	for (const char *s = text; *s; s++) {
		char ch = *s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (gap && out->len)
				buf_addc(out, '-');
			buf_addc(out, ch);
			gap = false;
		} else {
			gap = true;
		}
	}
	if (out->len == 0)
		buf_adds(out, "section");
	for (size_t i = 0; generated_prefixes[i]; i++) {
		size_t n = strlen(generated_prefixes[i]);
		/* the slug and the hyphen a number would follow */
		if (out->len + 1 >= n &&
		    strncmp(out->data, generated_prefixes[i], n - 1) == 0 &&
		    (out->len >= n ? out->data[n - 1] == '-'
				   : out->len == n - 1)) {
			char *slug = buf_detach(out, NULL);
			buf_init(out);
			buf_addf(out, "section-%s", slug);
			free(slug);
			break;
		}
	}
}

static void assign_heading_ids(xmlNodePtr n, struct map *ids)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_heading(n) && !xmlHasProp(n, BAD_CAST "id")) {
			xmlChar *text = xmlNodeGetContent(n);
			struct buf base, id;
			buf_init(&base);
			buf_init(&id);
			heading_slug(&base, (const char *)text);
			buf_adds(&id, base.data);
			for (int k = 2; map_get(ids, id.data); k++) {
				buf_reset(&id);
				buf_addf(&id, "%s-%d", base.data, k);
			}
			html_attr(n, "id", id.data);
			/* The map borrows the attribute's own copy. */
			map_put(ids, (const char *)xmlHasProp(n, BAD_CAST "id")
					      ->children->content, n);
			buf_release(&base);
			buf_release(&id);
			xmlFree(text);
		}
		assign_heading_ids(n->children, ids);
	}
}

/* True when N or an element after it, or under either, is a heading. */
static bool has_heading(xmlNodePtr n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (is_heading(n) || has_heading(n->children)))
			return true;
	return false;
}

void heading_ids(xmlNodePtr root)
{
	/* Most bodies have no heading: the page's ids are gathered only
	 * for one that has. */
	if (!has_heading(root->children))
		return;
	struct map ids;
	map_init(&ids);
	collect_ids(xmlDocGetRootElement(root->doc), &ids);
	assign_heading_ids(root->children, &ids);
	map_release(&ids);
}

/* ---- shared lists ---- */

void article_item(struct ctx *c, xmlNodePtr list,
			 const struct article *art)
{
	xmlNodePtr li = html_el(list, "li");
	add_date(li, &art->date);
	html_text(li, " ");
	link_entry(c, li, ENTRY_ARTICLE, art->id, art->title, NULL);
	if (art->outlet) {
		html_text(li, " ");
		html_text(html_elc(li, "span", "outlet"), art->outlet);
	}
}

void proposal_item(struct ctx *c, xmlNodePtr list,
			  const struct proposal *p)
{
	xmlNodePtr li = html_el(list, "li");
	add_date(li, &p->date);
	html_text(li, " ");
	link_entry(c, li, ENTRY_PROPOSAL, p->id, p->title, NULL);
	if (p->has_status) {
		html_text(li, " ");
		struct buf cls;
		buf_init(&cls);
		buf_addf(&cls, "status status-%s", status_name(p->status));
		html_el_text(html_elc(li, "span", cls.data), "span",
			     status_name(p->status));
		buf_release(&cls);
	}
}

/* The quote of a position, linked to its passage in the source. */
void add_evidence(struct ctx *c, xmlNodePtr parent,
			 const struct position *pos)
{
	if (pos->quote && pos->anchored) {
		struct buf frag;
		buf_init(&frag);
		note_id(&frag, "pp-", &pos->passage);
		xmlNodePtr q = html_el(parent, "q");
		const struct article *src = pos->source;
		html_textn(q, article_text(c->a, src) + pos->passage.start,
			   pos->passage.end - pos->passage.start);
		html_text(parent, " ");
		xmlNodePtr cite = html_el(parent, "cite");
		link_entry(c, cite, ENTRY_ARTICLE, src->id, src->title, frag.data);
		buf_release(&frag);
	} else if (pos->source) {
		xmlNodePtr cite = html_el(parent, "cite");
		link_entry(c, cite, ENTRY_ARTICLE, pos->source->id,
			   pos->source->title, NULL);
	}
}

/* Notes and entries that link a party or proposal. */
void referrer_item(struct ctx *c, xmlNodePtr ul, const struct reference *r)
{
	xmlNodePtr li = html_el(ul, "li");
	if (r->note) {
		const struct note *n = r->note;
		const struct article *art = n->article;
		struct buf frag;
		buf_init(&frag);
		note_id(&frag, "n-", &n->passage);
		xmlNodePtr head = html_elc(li, "p", "referrer-head");
		html_text(head, "Note on ");
		link_entry(c, head, ENTRY_ARTICLE, art->id, art->title,
			   frag.data);
		html_text(head, " (");
		add_date(head, &art->date);
		html_text(head, ")");
		xmlNodePtr bq = html_el(li, "blockquote");
		html_textn(html_el(bq, "p"),
			   article_text(c->a, art) + n->passage.start,
			   n->passage.end - n->passage.start);
		struct md_links links = links_for(c, 3);
		xmlNodePtr body = html_elc(li, "div", "note-body");
		article_tree(c->a, art);
		md_render_blocks(n->first_block, n->end_block, body, &links);
		buf_release(&frag);
	} else {
		static const char *const kinds[] = {
			"Article", "Party", "Proposal", "Page", "Home page"};
		html_text(li, kinds[r->kind]);
		html_text(li, ": ");
		if (r->kind == ENTRY_INDEX) {
			buf_reset(&c->href);
			buf_adds(&c->href, c->root);
			buf_adds(&c->href, "index.html");
			html_link(li, c->href.data, c->a->title);
		} else {
			link_entry(c, li, r->kind, entry_id(r->kind, r->entry),
				   entry_title(r->kind, r->entry), NULL);
		}
	}
}

xmlNodePtr add_referrers(struct ctx *c, struct tpage *p,
			 const struct reference_list *refs,
			 const struct reference *const *notes,
			 size_t note_count)
{
	xmlNodePtr slot = refs->count ? tpage_slot(p, "notes") : NULL;
	if (!slot)
		return NULL;
	xmlNodePtr ul = html_elc(slot, "ul", "referrers");
	for (size_t i = 0; i < refs->count; i++) {
		const struct reference *r = &refs->items[i];
		if (!notes || (!r->note && r->kind != ENTRY_ARTICLE &&
			       r->kind != ENTRY_PROPOSAL))
			referrer_item(c, ul, r);
	}
	for (size_t i = 0; notes && i < note_count; i++)
		referrer_item(c, ul, notes[i]);
	return ul;
}

