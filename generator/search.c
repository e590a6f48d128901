#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "json.h"
#include "xalloc.h"

/* The kinds of docs, as the index's "kinds" table names them. */
enum doc_kind {
	DOC_ARTICLE,
	DOC_NOTE,
	DOC_PARTY,
	DOC_PROPOSAL,
	DOC_PAGE,
	DOC_KIND_COUNT
};
static const char *const doc_kinds[DOC_KIND_COUNT] = {
    "article", "note", "party", "proposal", "page"};

/* The index being built: entries and docs go to two JSON arrays, joined
 * at the end, so each entry is written once and docs refer to it. */
struct index {
	struct ctx *c;
	struct buf entries_out, docs_out;
	struct json entries, docs;
	size_t entry_count;
	xmlDocPtr scratch; /* where bodies without sections are rendered */
	xmlNodePtr holder;
	struct buf text, heading, frag;
};

/* Plain text being gathered: white space runs become one space; GAP asks
 * for a space before the next word (between blocks), SEP for " · "
 * (between fields that do not read on as one text: a party's aliases,
 * kind and summary; proposal terms; a passage and its note). */
struct words {
	struct buf *out;
	bool gap, sep;
};

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

static void add_words(struct words *w, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (is_space(s[i])) {
			w->gap = true;
			continue;
		}
		if (w->sep && w->out->len)
			buf_adds(w->out, " \u00b7 ");
		else if (w->gap && w->out->len)
			buf_addc(w->out, ' ');
		w->gap = w->sep = false;
		buf_addc(w->out, s[i]);
	}
}

/* Adds S as a field of its own, set apart from what comes before and
 * after it. */
static void add_field(struct words *w, const char *s)
{
	if (!s)
		return;
	w->sep = true;
	add_words(w, s, strlen(s));
	w->sep = true;
}

/* Elements that run inside a line of text; any other starts a block,
 * whose words are kept apart from their neighbours'. */
static bool is_inline(xmlNodePtr n)
{
	static const char *const names[] = {"a",    "em",   "strong", "code",
					    "span", "q",    "sup",    "sub",
					    "time", "mark", "abbr",   NULL};
	for (size_t i = 0; names[i]; i++)
		if (strcmp((const char *)n->name, names[i]) == 0)
			return true;
	return false;
}

/* The words of N and everything under it, as a reader sees them. */
static void node_words(struct words *w, xmlNodePtr n)
{
	if (n->type == XML_TEXT_NODE && n->content) {
		add_words(w, (const char *)n->content,
			  strlen((const char *)n->content));
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	bool block = !is_inline(n);
	if (block)
		w->gap = true;
	for (xmlNodePtr k = n->children; k; k = k->next)
		node_words(w, k);
	if (block)
		w->gap = true;
}

/* Appends an entry and returns its index. DATE may be NULL. */
static size_t add_entry(struct index *x, const char *title, const char *url,
			const struct date *date)
{
	struct buf *t = &x->c->text;
	json_array_begin(&x->entries);
	json_string(&x->entries, title);
	json_string(&x->entries, url);
	if (date) {
		buf_reset(t);
		date_shown(t, date);
		json_string(&x->entries, t->data);
		buf_reset(t);
		date_iso(t, date);
		json_string(&x->entries, t->data);
	}
	json_array_end(&x->entries);
	return x->entry_count++;
}

/* Appends a doc of entry ENTRY. HEADING may be NULL. */
static void add_doc(struct index *x, size_t entry, enum doc_kind kind,
		    const char *frag, const char *text, size_t len,
		    const char *heading)
{
	json_array_begin(&x->docs);
	json_int(&x->docs, (long long)entry);
	json_int(&x->docs, kind);
	json_string(&x->docs, frag);
	json_stringn(&x->docs, text, len);
	if (heading)
		json_string(&x->docs, heading);
	json_array_end(&x->docs);
}

static bool is_heading_el(xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	return n->type == XML_ELEMENT_NODE && name[0] == 'h' &&
	       name[1] >= '1' && name[1] <= '6' && name[2] == '\0';
}

/* A heading that starts a section: one the page gives an id. */
static const xmlChar *section_id(xmlNodePtr n)
{
	if (!is_heading_el(n))
		return NULL;
	xmlAttrPtr id = xmlHasProp(n, BAD_CAST "id");
	return id && id->children ? id->children->content : NULL;
}

static bool has_top_heading(const struct body *b, cmark_node *end)
{
	for (cmark_node *n = cmark_node_first_child(b->doc); n && n != end;
	     n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
			return true;
	return false;
}

/* A Markdown body rendered for the index: its top-level blocks are the
 * children of ROOT, which belongs to PAGE when that is not NULL. */
struct rendered {
	struct tpage *page;
	xmlNodePtr root;
};

/* Renders the blocks of B up to END. A body with headings is rendered
 * into slot SLOT of a page of kind KIND, exactly as its own page renders
 * it, so that the headings get the ids they have there; any other into
 * scratch, where it is cheaper. */
static struct rendered render_for_index(struct index *x,
					enum template_kind kind,
					const char *title, const char *slot,
					const struct body *b, cmark_node *end)
{
	struct rendered r = {NULL, NULL};
	if (!b->doc)
		return r;
	if (has_top_heading(b, end)) {
		r.page = page_begin(x->c, kind, title, NULL, 0);
		render_body(x->c, r.page, slot, b, end, 2);
		r.root = tpage_slot(r.page, slot);
		if (r.root)
			return r;
		/* The theme does not show this body: no sections to link. */
		tpage_free(r.page);
		r.page = NULL;
	}
	struct md_links links = links_for(x->c, 2);
	r.root = html_el(x->holder, "div");
	md_render_blocks(cmark_node_first_child(b->doc), end, r.root, &links);
	return r;
}

static void rendered_free(struct rendered *r)
{
	if (r->page) {
		tpage_free(r->page);
	} else if (r->root) {
		xmlUnlinkNode(r->root);
		xmlFreeNode(r->root);
	}
}

/* The words of R's blocks before its first section. */
static void head_words(struct words *w, const struct rendered *r)
{
	for (xmlNodePtr n = r->root ? r->root->children : NULL;
	     n && !section_id(n); n = n->next)
		node_words(w, n);
}

/* One doc per section of R, linking to its heading on the page. */
static void section_docs(struct index *x, size_t entry, enum doc_kind kind,
			 const struct rendered *r)
{
	xmlNodePtr n = r->root ? r->root->children : NULL;
	while (n && !section_id(n))
		n = n->next;
	while (n) {
		struct words heading = {&x->heading, false, false};
		struct words text = {&x->text, false, false};
		buf_reset(&x->heading);
		buf_reset(&x->text);
		buf_reset(&x->frag);
		buf_adds(&x->frag, (const char *)section_id(n));
		node_words(&heading, n);
		for (n = n->next; n && !section_id(n); n = n->next)
			node_words(&text, n);
		add_doc(x, entry, kind, x->frag.data, x->text.data, x->text.len,
			x->heading.data);
	}
}

/* ---- the entries ---- */

static void index_home(struct index *x)
{
	const struct archive *a = x->c->a;
	const char *title = a->index->title ? a->index->title : a->title;
	size_t e = add_entry(x, title, "index.html", NULL);
	struct rendered r = render_for_index(x, TPL_INDEX, title, "intro",
					     &a->index->body, NULL);
	struct words w = {&x->text, false, false};
	buf_reset(&x->text);
	head_words(&w, &r);
	add_doc(x, e, DOC_PAGE, "", x->text.data, x->text.len, NULL);
	section_docs(x, e, DOC_PAGE, &r);
	rendered_free(&r);
}

static void index_page(struct index *x, const struct page *page)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_PAGE, page->id);
	size_t e = add_entry(x, page->title, url.data, NULL);
	struct rendered r = render_for_index(x, TPL_PAGE, page->title, "body",
					     &page->body, NULL);
	struct words w = {&x->text, false, false};
	buf_reset(&x->text);
	add_field(&w, page->summary);
	head_words(&w, &r);
	add_doc(x, e, DOC_PAGE, "", x->text.data, x->text.len, NULL);
	section_docs(x, e, DOC_PAGE, &r);
	rendered_free(&r);
	buf_release(&url);
}

static void index_party(struct index *x, const struct party *party)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_PARTY, party->id);
	size_t e = add_entry(x, party->name, url.data, NULL);
	struct rendered r = render_for_index(x, TPL_PARTY, party->name,
					     "description", &party->body, NULL);
	struct words w = {&x->text, false, false};
	buf_reset(&x->text);
	/* The name is the title; aliases other than the name add words. */
	for (size_t i = 0; i < party->alias_count; i++)
		if (strcmp(party->aliases[i], party->name) != 0)
			add_field(&w, party->aliases[i]);
	add_field(&w, party->kind);
	add_field(&w, party->summary);
	head_words(&w, &r);
	add_doc(x, e, DOC_PARTY, "", x->text.data, x->text.len, NULL);
	section_docs(x, e, DOC_PARTY, &r);
	rendered_free(&r);
	buf_release(&url);
}

static void index_proposal(struct index *x, const struct proposal *prop)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_PROPOSAL, prop->id);
	size_t e = add_entry(x, prop->title, url.data, &prop->date);
	struct words w = {&x->text, false, false};
	struct md_links links = links_for(x->c, 3);
	buf_reset(&x->text);
	for (size_t i = 0; i < prop->term_count; i++) {
		xmlNodePtr li = html_el(x->holder, "li");
		md_render_inline(prop->terms[i].doc, li, &links);
		w.sep = true;
		node_words(&w, li);
		w.sep = true;
		xmlUnlinkNode(li);
		xmlFreeNode(li);
	}
	struct rendered r = render_for_index(x, TPL_PROPOSAL, prop->title,
					     "description", &prop->body, NULL);
	head_words(&w, &r);
	add_doc(x, e, DOC_PROPOSAL, "", x->text.data, x->text.len, NULL);
	section_docs(x, e, DOC_PROPOSAL, &r);
	rendered_free(&r);
	buf_release(&url);
}

/* An article: its introduction and metadata, then every shown line,
 * then every note with the passage it is on. */
static void index_article(struct index *x, const struct article *art)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_ARTICLE, art->id);
	size_t e = add_entry(x, art->title, url.data, &art->date);
	struct rendered r = render_for_index(
	    x, TPL_ARTICLE, art->title, "intro", &art->body, art->intro_end);
	struct words w = {&x->text, false, false};
	buf_reset(&x->text);
	add_field(&w, art->outlet);
	add_field(&w, art->byline);
	add_field(&w, art->date_note);
	head_words(&w, &r);
	add_doc(x, e, DOC_ARTICLE, "", x->text.data, x->text.len, NULL);
	section_docs(x, e, DOC_ARTICLE, &r);
	rendered_free(&r);

	for (size_t i = 0; i < art->line_count; i++) {
		const struct line *ln = &art->lines[i];
		if (!ln->shown)
			continue;
		buf_reset(&x->text);
		w.gap = w.sep = false;
		add_words(&w, art->text + ln->start, ln->len);
		buf_reset(&x->frag);
		buf_addf(&x->frag, "l-%zu", i + 1);
		add_doc(x, e, DOC_ARTICLE, x->frag.data, x->text.data,
			x->text.len, NULL);
	}

	struct md_links links = links_for(x->c, 3);
	for (size_t i = 0; i < art->note_count; i++) {
		const struct note *n = &art->notes[i];
		buf_reset(&x->text);
		w.gap = w.sep = false;
		add_words(&w, art->text + n->passage.start,
			  n->passage.end - n->passage.start);
		w.sep = true;
		xmlNodePtr div = html_el(x->holder, "div");
		md_render_blocks(n->first_block, n->end_block, div, &links);
		node_words(&w, div);
		xmlUnlinkNode(div);
		xmlFreeNode(div);
		note_id(&x->frag, "n-", &n->passage);
		add_doc(x, e, DOC_NOTE, x->frag.data, x->text.data, x->text.len,
			NULL);
	}
	buf_release(&url);
}

/* Writes the index script and returns its size. */
static size_t write_index(struct ctx *c, struct writer *w,
			  struct article *const *articles,
			  struct proposal *const *proposals)
{
	const struct archive *a = c->a;
	struct index x = {.c = c};
	buf_init(&x.entries_out);
	buf_init(&x.docs_out);
	buf_init(&x.text);
	buf_init(&x.heading);
	buf_init(&x.frag);
	json_init(&x.entries, &x.entries_out, false);
	json_init(&x.docs, &x.docs_out, false);
	x.scratch = htmlNewDocNoDtD(NULL, NULL);
	x.holder = xmlNewDocNode(x.scratch, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(x.scratch, x.holder);

	json_array_begin(&x.entries);
	json_array_begin(&x.docs);
	if (a->index)
		index_home(&x);
	for (size_t i = 0; i < a->page_count; i++)
		index_page(&x, a->pages[i]);
	for (size_t i = 0; i < a->party_count; i++)
		index_party(&x, a->parties[i]);
	for (size_t i = a->proposal_count; i-- > 0;)
		index_proposal(&x, proposals[i]);
	for (size_t i = a->article_count; i-- > 0;)
		index_article(&x, articles[i]);
	json_array_end(&x.entries);
	json_array_end(&x.docs);

	struct buf out;
	struct json j;
	buf_init(&out);
	buf_adds(&out, "window.GLOSS_SEARCH = {\"version\":1,\"kinds\":");
	json_init(&j, &out, false);
	json_array_begin(&j);
	for (size_t k = 0; k < DOC_KIND_COUNT; k++)
		json_string(&j, doc_kinds[k]);
	json_array_end(&j);
	json_release(&j);
	buf_adds(&out, ",\"entries\":");
	buf_add(&out, x.entries_out.data, x.entries_out.len);
	buf_adds(&out, ",\"docs\":");
	buf_add(&out, x.docs_out.data, x.docs_out.len);
	buf_adds(&out, "};\n");
	writer_emit(w, SEARCH_INDEX, out.data, out.len);
	size_t size = out.len;

	buf_release(&out);
	json_release(&x.entries);
	json_release(&x.docs);
	buf_release(&x.entries_out);
	buf_release(&x.docs_out);
	buf_release(&x.text);
	buf_release(&x.heading);
	buf_release(&x.frag);
	xmlFreeDoc(x.scratch);
	return size;
}

/* ---- the page ---- */

/* Every entry of the archive, linked: what readers without JavaScript
 * get instead of search. */
static void list_all(struct ctx *c, xmlNodePtr slot,
		     struct article *const *articles,
		     struct proposal *const *proposals)
{
	const struct archive *a = c->a;
	xmlNodePtr list;
	if (a->article_count) {
		html_el_text(slot, "h3", "Articles");
		list = html_elc(slot, "ol", "entries");
		for (size_t i = 0; i < a->article_count; i++)
			article_item(c, list, articles[i]);
	}
	if (a->proposal_count) {
		html_el_text(slot, "h3", "Proposals");
		list = html_elc(slot, "ol", "entries");
		for (size_t i = 0; i < a->proposal_count; i++)
			proposal_item(c, list, proposals[i]);
	}
	if (a->party_count) {
		html_el_text(slot, "h3", "Parties");
		list = html_elc(slot, "ul", "entries");
		for (size_t i = 0; i < a->party_count; i++)
			link_entry(c, html_el(list, "li"), ENTRY_PARTY,
				   a->parties[i]->id, a->parties[i]->name,
				   NULL);
	}
	html_el_text(slot, "h3", "Pages");
	list = html_elc(slot, "ul", "entries");
	html_link(html_el(list, "li"), "index.html",
		  a->index && a->index->title ? a->index->title : a->title);
	for (size_t i = 0; i < a->page_count; i++)
		link_entry(c, html_el(list, "li"), ENTRY_PAGE, a->pages[i]->id,
			   a->pages[i]->title, NULL);
}

void build_search(struct ctx *c, struct writer *w)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {NULL, "Search"}};
	struct article *const *articles = c->articles_by_date;
	struct proposal *const *proposals = c->proposals_by_date;

	c->search_index_bytes = write_index(c, w, articles, proposals);

	struct tpage *p = page_begin(c, TPL_SEARCH, "Search", crumbs, 2);
	xmlNodePtr slot = tpage_slot(p, "all");
	if (slot)
		list_all(c, slot, articles, proposals);
	page_end(c, w, p, "search.html");
}
