#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "fsutil.h"
#include "html.h"
#include "inputs.h"
#include "runs.h"
#include "sindex.h"
#include "xalloc.h"
#include "xmlarena.h"

/* The index being built: the docs of each entry go to the index as
 * they are gathered. */
struct index {
	struct ctx *c;
	struct writer *w;
	struct sindex sx;
	/* where bodies without sections are rendered: one document per
	 * entry (scratch_open) */
	xmlDocPtr scratch;
	xmlNodePtr holder;
	bool in_arena; /* scratch is in the thread's arena */
	struct buf text, heading, frag;
};

/* Plain text being gathered: white space runs become one space; GAP asks
 * for a space before the next word (between blocks), SEP for " · "
 * (between fields that do not read on as one text: a party's aliases,
 * kind and summary; proposal terms; a passage and its note). */
struct plain_text {
	struct buf *out;
	bool gap, sep;
};

/* An entry's bodies are rendered, for their words, into a document of
 * its own, made in the thread's arena when there is one: closing the
 * arena then drops the document whole, and nothing rendered is walked
 * to be freed. */
static void scratch_open(struct index *x)
{
	x->in_arena = xml_arena_open();
	x->scratch = htmlNewDocNoDtD(NULL, NULL);
	x->holder = xmlNewDocNode(x->scratch, NULL, BAD_CAST "div", NULL);
	xmlDocSetRootElement(x->scratch, x->holder);
}

static void scratch_close(struct index *x)
{
	if (x->in_arena)
		xml_arena_close();
	else
		xmlFreeDoc(x->scratch);
	x->scratch = NULL;
	x->holder = NULL;
}

/* Takes N, rendered for its words, out of the scratch document. */
static void scratch_drop(struct index *x, xmlNodePtr n)
{
	xmlUnlinkNode(n);
	if (!x->in_arena)
		xmlFreeNode(n);
}

static void add_words(struct plain_text *w, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (runs_is_space((unsigned char)s[i])) {
			w->gap = true;
			i++;
			continue;
		}
		/* A run of words with one ' ' between each, as most text
		 * is, is copied as it stands. */
		size_t end = runs_end(s, len, i + 1, false);
		if (w->sep && w->out->len)
			buf_adds(w->out, " \u00b7 ");
		else if (w->gap && w->out->len)
			buf_addc(w->out, ' ');
		w->gap = w->sep = false;
		buf_add(w->out, s + i, end - i);
		i = end;
	}
}

/* Adds S as a field of its own, set apart from what comes before and
 * after it. */
static void add_field(struct plain_text *w, const char *s)
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
	const char *name = (const char *)n->name;
	for (size_t i = 0; names[i]; i++)
		if (names[i][0] == name[0] && strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The words of N and everything under it, as a reader sees them. */
static void node_words(struct plain_text *w, xmlNodePtr n)
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

/* Starts an entry. DATE may be NULL. */
static void add_entry(struct index *x, const char *title, const char *url,
		      const struct date *date)
{
	struct buf *t = &x->c->text;
	if (!date) {
		sindex_entry(&x->sx, title, url, NULL, NULL);
		return;
	}
	buf_reset(t);
	date_shown(t, date);
	size_t shown = t->len;
	buf_addc(t, '\0');
	date_iso(t, date);
	sindex_entry(&x->sx, title, url, t->data, t->data + shown + 1);
}

/* Adds a doc to the current entry. HEADING may be NULL. */
static void add_doc(struct index *x, enum sindex_kind kind, const char *frag,
		    const char *text, size_t len, const char *heading)
{
	sindex_doc(&x->sx, kind, frag, text, len, heading);
}

/* Whether the current entry's docs were copied from the previous build's
 * index: only when the inputs of the entry's page, which cover everything
 * its docs are made from, are those that build recorded for it. */
static bool reused(struct index *x, enum entry_kind kind, const void *entry)
{
	return x->sx.prev && x->c->inputs &&
	       inputs_unchanged(x->c->inputs, x->w, kind, entry) &&
	       sindex_reuse(&x->sx);
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

static void rendered_free(struct index *x, struct rendered *r)
{
	if (r->page) {
		tpage_free(r->page);
	} else if (r->root) {
		scratch_drop(x, r->root);
	}
}

/* The words of R's blocks before its first section. */
static void head_words(struct plain_text *w, const struct rendered *r)
{
	for (xmlNodePtr n = r->root ? r->root->children : NULL;
	     n && !section_id(n); n = n->next)
		node_words(w, n);
}

/* One doc per section of R, linking to its heading on the page. */
static void section_docs(struct index *x, enum sindex_kind kind,
			 const struct rendered *r)
{
	xmlNodePtr n = r->root ? r->root->children : NULL;
	while (n && !section_id(n))
		n = n->next;
	while (n) {
		struct plain_text heading = {&x->heading, false, false};
		struct plain_text text = {&x->text, false, false};
		buf_reset(&x->heading);
		buf_reset(&x->text);
		buf_reset(&x->frag);
		buf_adds(&x->frag, (const char *)section_id(n));
		node_words(&heading, n);
		for (n = n->next; n && !section_id(n); n = n->next)
			node_words(&text, n);
		add_doc(x, kind, x->frag.data, x->text.data, x->text.len,
			x->heading.data);
	}
}

/* ---- the entries ---- */

static void index_home(struct index *x)
{
	const struct archive *a = x->c->a;
	const char *title = a->index->title ? a->index->title : a->title;
	add_entry(x, title, "index.html", NULL);
	if (reused(x, ENTRY_INDEX, NULL))
		return;
	scratch_open(x);
	struct rendered r = render_for_index(x, TPL_INDEX, title, "intro",
					     &a->index->body, NULL);
	struct plain_text w = {&x->text, false, false};
	buf_reset(&x->text);
	head_words(&w, &r);
	add_doc(x, SINDEX_PAGE, "", x->text.data, x->text.len, NULL);
	section_docs(x, SINDEX_PAGE, &r);
	rendered_free(x, &r);
	scratch_close(x);
}

static void index_page(struct index *x, const struct page *page)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_PAGE, page->id);
	add_entry(x, page->title, url.data, NULL);
	if (reused(x, ENTRY_PAGE, page)) {
		buf_release(&url);
		return;
	}
	scratch_open(x);
	struct rendered r = render_for_index(x, TPL_PAGE, page->title, "body",
					     &page->body, NULL);
	struct plain_text w = {&x->text, false, false};
	buf_reset(&x->text);
	add_field(&w, page->summary);
	head_words(&w, &r);
	add_doc(x, SINDEX_PAGE, "", x->text.data, x->text.len, NULL);
	section_docs(x, SINDEX_PAGE, &r);
	rendered_free(x, &r);
	scratch_close(x);
	buf_release(&url);
}

static void index_party(struct index *x, const struct party *party)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_PARTY, party->id);
	add_entry(x, party->name, url.data, NULL);
	if (reused(x, ENTRY_PARTY, party)) {
		buf_release(&url);
		return;
	}
	scratch_open(x);
	struct rendered r = render_for_index(x, TPL_PARTY, party->name,
					     "description", &party->body, NULL);
	struct plain_text w = {&x->text, false, false};
	buf_reset(&x->text);
	/* The name is the title; aliases other than the name add words. */
	for (size_t i = 0; i < party->alias_count; i++)
		if (strcmp(party->aliases[i], party->name) != 0)
			add_field(&w, party->aliases[i]);
	add_field(&w, party->kind);
	add_field(&w, party->summary);
	head_words(&w, &r);
	add_doc(x, SINDEX_PARTY, "", x->text.data, x->text.len, NULL);
	section_docs(x, SINDEX_PARTY, &r);
	rendered_free(x, &r);
	scratch_close(x);
	buf_release(&url);
}

static void index_proposal(struct index *x, const struct proposal *prop)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_PROPOSAL, prop->id);
	add_entry(x, prop->title, url.data, &prop->date);
	if (reused(x, ENTRY_PROPOSAL, prop)) {
		buf_release(&url);
		return;
	}
	proposal_tree(x->c->a, prop);
	scratch_open(x);
	struct plain_text w = {&x->text, false, false};
	struct md_links links = links_for(x->c, 3);
	buf_reset(&x->text);
	for (size_t i = 0; i < prop->term_count; i++) {
		xmlNodePtr li = html_el(x->holder, "li");
		md_render_inline(prop->terms[i].doc, li, &links);
		w.sep = true;
		node_words(&w, li);
		w.sep = true;
		scratch_drop(x, li);
	}
	struct rendered r = render_for_index(x, TPL_PROPOSAL, prop->title,
					     "description", &prop->body, NULL);
	head_words(&w, &r);
	add_doc(x, SINDEX_PROPOSAL, "", x->text.data, x->text.len, NULL);
	section_docs(x, SINDEX_PROPOSAL, &r);
	rendered_free(x, &r);
	scratch_close(x);
	buf_release(&url);
}

/* An article: its introduction and metadata, then every shown line,
 * then every note with the passage it is on. */
static void index_article(struct index *x, const struct article *art)
{
	struct buf url;
	buf_init(&url);
	entry_url(&url, "", ENTRY_ARTICLE, art->id);
	add_entry(x, art->title, url.data, &art->date);
	if (reused(x, ENTRY_ARTICLE, art)) {
		buf_release(&url);
		return;
	}
	article_tree(x->c->a, art);
	const char *text = article_text(x->c->a, art);
	scratch_open(x);
	struct rendered r = render_for_index(
	    x, TPL_ARTICLE, art->title, "intro", &art->body, art->intro_end);
	struct plain_text w = {&x->text, false, false};
	buf_reset(&x->text);
	add_field(&w, art->outlet);
	add_field(&w, art->byline);
	add_field(&w, art->date_note);
	head_words(&w, &r);
	add_doc(x, SINDEX_ARTICLE, "", x->text.data, x->text.len, NULL);
	section_docs(x, SINDEX_ARTICLE, &r);
	rendered_free(x, &r);

	for (size_t i = 0; i < art->line_count; i++) {
		const struct line *ln = &art->lines[i];
		if (!ln->shown)
			continue;
		buf_reset(&x->text);
		w.gap = w.sep = false;
		add_words(&w, text + ln->start, ln->len);
		buf_reset(&x->frag);
		buf_adds(&x->frag, "l-");
		buf_addu(&x->frag, i + 1, 0);
		add_doc(x, SINDEX_ARTICLE, x->frag.data, x->text.data,
			x->text.len, NULL);
	}

	struct md_links links = links_for(x->c, 3);
	for (size_t i = 0; i < art->note_count; i++) {
		const struct note *n = &art->notes[i];
		buf_reset(&x->text);
		w.gap = w.sep = false;
		add_words(&w, text + n->passage.start,
			  n->passage.end - n->passage.start);
		w.sep = true;
		xmlNodePtr div = html_el(x->holder, "div");
		md_render_blocks(n->first_block, n->end_block, div, &links);
		node_words(&w, div);
		scratch_drop(x, div);
		note_id(&x->frag, "n-", &n->passage);
		add_doc(x, SINDEX_NOTE, x->frag.data, x->text.data, x->text.len,
			NULL);
	}
	scratch_close(x);
	buf_release(&url);
}

/* Writes the index: the entries in the order results of equal rank are
 * shown, which is also the order that keeps the index's files stable
 * when an archive grows: the home page, free pages, parties, then
 * proposals and articles, oldest first, so that a new article adds docs
 * at the end and leaves the numbers of every other doc as they were. */
static void write_index(struct ctx *c, struct writer *w,
			struct article *const *articles,
			struct proposal *const *proposals,
			struct sindex_stats *st)
{
	const struct archive *a = c->a;
	struct index x = {.c = c, .w = w};
	struct sprev own;
	struct sprev *prev = NULL;
	sindex_init(&x.sx, w);
	if (c->search_index)
		sindex_record(&x.sx, c->search_index);
	if (c->inputs && c->prev_read)
		prev = c->prev_index;
	else if (c->inputs && sprev_open(&own, w, NULL, 0))
		prev = &own;
	if (prev)
		sindex_prev(&x.sx, prev);
	buf_init(&x.text);
	buf_init(&x.heading);
	buf_init(&x.frag);

	if (a->index)
		index_home(&x);
	for (size_t i = 0; i < a->page_count; i++)
		index_page(&x, a->pages[i]);
	for (size_t i = 0; i < a->party_count; i++)
		index_party(&x, a->parties[i]);
	for (size_t i = 0; i < a->proposal_count; i++)
		index_proposal(&x, proposals[i]);
	for (size_t i = 0; i < a->article_count; i++)
		index_article(&x, articles[i]);
	sindex_finish(&x.sx, st);
	/* The files' stamps, taken on this job's thread as soon as they are
	 * written, not at the end of the build: nothing touches them after,
	 * the site's swap into place included. */
	if (c->search_index && c->search_index->len && !writer_failed(w))
		st->stamped = sindex_record_stamp(c->search_index, w->stage,
						  file_stamp_clock(), 1,
						  &st->recorded);

	sindex_release(&x.sx);
	if (prev == &own)
		sprev_release(&own);
	buf_release(&x.text);
	buf_release(&x.heading);
	buf_release(&x.frag);
}

/* ---- the page ---- */

/* Up to this many articles, proposals and parties in all, slot "all"
 * lists each of them; beyond, it links the lists, which are cut into
 * pages, as slot "lists" does. */
#define SEARCH_ALL_MAX 1000

/* Every entry of the archive, linked: what a theme without script may
 * show instead of search (slot "all"). */
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

/* One item of list_lists: a link to a list page and how many entries it
 * lists. */
static void list_link(struct ctx *c, xmlNodePtr list, const char *href,
		      const char *text, size_t count, const char *one,
		      const char *many)
{
	xmlNodePtr li = html_el(list, "li");
	html_link(li, href, text);
	buf_reset(&c->text);
	buf_addf(&c->text, ": %zu %s", count, count == 1 ? one : many);
	html_text(li, c->text.data);
}

/* The archive's lists and free pages, linked: what readers without
 * JavaScript get instead of search (slot "lists"). Its size does not
 * grow with the number of articles, proposals or parties. */
static void list_lists(struct ctx *c, xmlNodePtr slot)
{
	const struct archive *a = c->a;
	xmlNodePtr list = html_elc(slot, "ul", "entries");
	list_link(c, list, "articles/index.html", "Articles",
		  a->article_count, "article, by date", "articles, by date");
	list_link(c, list, "proposals/index.html", "Proposals",
		  a->proposal_count, "proposal, by date",
		  "proposals, by date");
	list_link(c, list, "parties/index.html", "Parties", a->party_count,
		  "party", "parties");
	html_link(html_el(list, "li"), "positions.html", "Positions");
	html_link(html_el(list, "li"), "timeline.html", "Timeline");
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

	write_index(c, w, articles, proposals, &c->search);

	struct tpage *p = page_begin(c, TPL_SEARCH, "Search", crumbs, 2);
	const struct archive *a = c->a;
	bool few = a->article_count + a->proposal_count + a->party_count <=
		   SEARCH_ALL_MAX;
	xmlNodePtr slot = tpage_slot(p, "all");
	if (slot && few) {
		list_all(c, slot, articles, proposals);
	} else if (slot) {
		buf_reset(&c->text);
		buf_addf(&c->text, "The archive holds %zu articles, %zu "
			 "proposals and %zu parties, too many for one page; "
			 "the lists below hold them, articles and proposals "
			 "on pages by year.",
			 a->article_count, a->proposal_count, a->party_count);
		html_text(html_el(slot, "p"), c->text.data);
		list_lists(c, slot);
	}
	slot = tpage_slot(p, "lists");
	if (slot)
		list_lists(c, slot);
	page_end(c, w, p, "search.html");
}
