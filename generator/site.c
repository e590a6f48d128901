#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "changes.h"
#include "data.h"
#include "feeds.h"
#include "fsutil.h"
#include "html.h"
#include "markdown.h"
#include "relations.h"
#include "render.h"
#include "search.h"
#include "timeline.h"
#include "xalloc.h"

/* How many articles the home page lists. */
#define LATEST_ARTICLES 10

/* ---- the article page ---- */

/* Something anchored in the text: a note's passage or a position's. */
struct anchored {
	size_t line, start, end;
	size_t number;               /* shown to readers, in text order */
	const struct note *note;     /* one of these two */
	const struct position *position;
};

static int compare_anchored(const void *x, const void *y)
{
	const struct anchored *a = x, *b = y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	/* Notes before positions; then the stable slug. */
	if (!a->note != !b->note)
		return a->note ? -1 : 1;
	const struct passage *pa = a->note ? &a->note->passage : &a->position->passage;
	const struct passage *pb = b->note ? &b->note->passage : &b->position->passage;
	return strcmp(pa->slug, pb->slug);
}

static const struct passage *anchored_passage(const struct anchored *x)
{
	return x->note ? &x->note->passage : &x->position->passage;
}

static int compare_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* Renders one line of the capture, highlighting the passages X[0..N) in
 * it. Passages may overlap: the line is cut at every passage boundary,
 * and each piece is marked once per passage covering it. Each passage
 * opens with a numbered link to its note, which is also the target of the
 * note's link back, so every passage stays reachable however they nest. */
static void render_line(struct ctx *c, xmlNodePtr para, const char *text,
			const struct line *ln, const struct anchored *x,
			size_t n)
{
	size_t *cuts = xcalloc(2 * n + 2, sizeof *cuts);
	size_t cut_count = 0;
	struct buf id;
	buf_init(&id);
	cuts[cut_count++] = ln->start;
	cuts[cut_count++] = ln->start + ln->len;
	for (size_t i = 0; i < n; i++) {
		cuts[cut_count++] = x[i].start;
		cuts[cut_count++] = x[i].end;
	}
	qsort(cuts, cut_count, sizeof *cuts, compare_size);
	size_t unique = 1;
	for (size_t k = 1; k < cut_count; k++)
		if (cuts[k] != cuts[unique - 1])
			cuts[unique++] = cuts[k];
	for (size_t k = 0; k < unique; k++) {
		size_t from = cuts[k];
		size_t to = k + 1 < unique ? cuts[k + 1] : from;
		/* Reference marks of the passages that start here. */
		for (size_t i = 0; i < n; i++) {
			if (x[i].start != from)
				continue;
			const struct passage *ps = anchored_passage(&x[i]);
			xmlNodePtr sup = html_elc(para, "sup", "ref");
			note_id(&id, x[i].note ? "p-" : "pp-", ps);
			buf_reset(&c->href);
			buf_addc(&c->href, '#');
			buf_adds(&c->href, x[i].note ? "n-" : "pos-");
			buf_adds(&c->href, ps->slug);
			buf_reset(&c->text);
			buf_addf(&c->text, "%zu", x[i].number);
			xmlNodePtr a = html_link(sup, c->href.data, c->text.data);
			html_attr(a, "id", id.data);
			buf_reset(&c->text);
			buf_addf(&c->text, "%s %zu", x[i].note ? "Note" : "Position",
				 x[i].number);
			html_attr(a, "aria-label", c->text.data);
		}
		if (to <= from)
			continue;
		/* The innermost (shortest) passage covering this piece takes
		 * the link; of equal ones, the first, a note before a position. */
		const struct anchored *inner = NULL;
		size_t covering = 0;
		for (size_t i = 0; i < n; i++) {
			if (x[i].start <= from && x[i].end >= to) {
				covering++;
				if (!inner || x[i].end - x[i].start <
						      inner->end - inner->start)
					inner = &x[i];
			}
		}
		if (!inner) {
			html_textn(para, text + from, to - from);
			continue;
		}
		xmlNodePtr mark = html_elc(para, "mark",
					   covering > 1 ? "passage overlap" : "passage");
		buf_reset(&c->href);
		buf_addc(&c->href, '#');
		buf_adds(&c->href, inner->note ? "n-" : "pos-");
		buf_adds(&c->href, anchored_passage(inner)->slug);
		xmlNodePtr a = html_el(mark, "a");
		html_attr(a, "href", c->href.data);
		html_textn(a, text + from, to - from);
	}
	buf_release(&id);
	free(cuts);
}

/* The notes and positions of one paragraph, shown beside it. */
static void render_aside(struct ctx *c, xmlNodePtr parent,
			 const struct anchored *x, size_t n)
{
	struct buf id;
	buf_init(&id);
	xmlNodePtr aside = html_elc(parent, "aside", "annotations");
	buf_reset(&c->text);
	buf_addf(&c->text, n == 1 ? "Annotation %zu" : "Annotations %zu\u2013%zu",
		 x[0].number, x[n - 1].number);
	html_attr(aside, "aria-label", c->text.data);
	for (size_t i = 0; i < n; i++) {
		const struct passage *ps = anchored_passage(&x[i]);
		xmlNodePtr box;
		note_id(&id, x[i].note ? "n-" : "pos-", ps);
		box = html_elc(aside, "div", x[i].note ? "note" : "position");
		html_attr(box, "id", id.data);
		xmlNodePtr head = html_elc(box, "p", "annotation-head");
		note_id(&id, x[i].note ? "#p-" : "#pp-", ps);
		buf_reset(&c->text);
		buf_addf(&c->text, "%zu", x[i].number);
		xmlNodePtr back = html_link(head, id.data, c->text.data);
		html_attr(back, "class", "backref");
		buf_reset(&c->text);
		buf_addf(&c->text, "Back to passage %zu", x[i].number);
		html_attr(back, "aria-label", c->text.data);
		html_text(head, " ");
		if (x[i].note) {
			html_text(html_elc(head, "span", "annotation-kind"), "Note");
			struct md_links links = links_for(c, 3);
			md_render_blocks(x[i].note->first_block,
					 x[i].note->end_block, box, &links);
		} else {
			const struct position *pos = x[i].position;
			html_text(html_elc(head, "span", "annotation-kind"),
				  "Position");
			xmlNodePtr p = html_el(box, "p");
			link_entry(c, p, ENTRY_PARTY, pos->party->id,
				   pos->party->name, NULL);
			html_text(p, " ");
			add_stance(p, pos->stance);
			html_text(p, " ");
			link_entry(c, p, ENTRY_PROPOSAL, pos->proposal->id,
				   pos->proposal->title, NULL);
			html_text(p, " (");
			add_date(p, &pos->date);
			html_text(p, ")");
		}
	}
	buf_release(&id);
}

static void render_text(struct ctx *c, xmlNodePtr slot,
			const struct article *art)
{
	size_t n = 0;
	struct anchored *x = xcalloc(art->note_count + art->position_count + 1,
				     sizeof *x);
	for (size_t i = 0; i < art->note_count; i++) {
		const struct passage *ps = &art->notes[i].passage;
		x[n++] = (struct anchored){ps->line, ps->start, ps->end, 0,
					   &art->notes[i], NULL};
	}
	for (size_t i = 0; i < art->position_count; i++) {
		const struct position *pos = art->positions[i];
		if (!pos->anchored)
			continue;
		x[n++] = (struct anchored){pos->passage.line, pos->passage.start,
					   pos->passage.end, 0, NULL, pos};
	}
	qsort(x, n, sizeof *x, compare_anchored);
	for (size_t i = 0; i < n; i++)
		x[i].number = i + 1;
	size_t k = 0;
	bool first = true;
	for (size_t i = 0; i < art->line_count; i++) {
		const struct line *ln = &art->lines[i];
		size_t from = k;
		while (k < n && x[k].line == i)
			k++;
		if (!ln->shown)
			continue;
		xmlNodePtr para = html_elc(slot, "p", first ? "line headline" : "line");
		/* Line numbers of the capture: stable targets for search
		 * results and for citing a paragraph. */
		buf_reset(&c->text);
		buf_addf(&c->text, "l-%zu", i + 1);
		html_attr(para, "id", c->text.data);
		first = false;
		render_line(c, para, art->text, ln, x + from, k - from);
		if (k > from)
			render_aside(c, slot, x + from, k - from);
	}
	free(x);
}

static void add_fact(xmlNodePtr dl, const char *term, xmlNodePtr *dd)
{
	html_el_text(dl, "dt", term);
	*dd = html_el(dl, "dd");
}

static void build_article(struct ctx *c, struct writer *w,
			  const struct article *art)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"articles/index.html", "Articles"},
				       {NULL, art->title}};
	struct tpage *p = page_begin(c, TPL_ARTICLE, art->title, crumbs, 3);
	xmlNodePtr dd, slot;
	struct buf rel;
	buf_init(&rel);

	if ((slot = tpage_slot(p, "meta"))) {
		xmlNodePtr dl = html_el(slot, "dl");
		add_fact(dl, "Outlet", &dd);
		html_text(dd, art->outlet);
		add_fact(dl, "Date", &dd);
		add_date(dd, &art->date);
		if (art->date_note) {
			add_fact(dl, "How the date was established", &dd);
			html_text(dd, art->date_note);
		}
		if (art->byline) {
			add_fact(dl, "Byline", &dd);
			html_text(dd, art->byline);
		}
		if (art->url) {
			add_fact(dl, "Original", &dd);
			buf_reset(&c->href);
			url_append(&c->href, art->url);
			html_link(dd, c->href.data, art->url);
		}
		add_fact(dl, "Capture", &dd);
		buf_reset(&c->href);
		buf_addf(&c->href, "%s.txt", art->id);
		html_link(dd, c->href.data, "the text as captured");
	}
	add_history(c, p, ENTRY_ARTICLE, art->id);
	render_body(c, p, "intro", &art->body, art->intro_end, 2);
	if ((slot = tpage_slot(p, "text")))
		render_text(c, slot, art);
	if (art->named_count && (slot = tpage_slot(p, "parties"))) {
		xmlNodePtr ul = html_el(slot, "ul");
		for (size_t i = 0; i < art->named_count; i++) {
			const struct party *party = art->named[i];
			size_t count = 0;
			for (size_t j = 0; j < art->mention_count; j++)
				if (art->mentions[j].party == party)
					count = art->mentions[j].count;
			xmlNodePtr li = html_el(ul, "li");
			link_entry(c, li, ENTRY_PARTY, party->id, party->name, NULL);
			buf_reset(&c->text);
			if (count)
				buf_addf(&c->text, " (%zu mention%s)", count,
					 count == 1 ? "" : "s");
			else
				buf_adds(&c->text, " (named by the editors)");
			html_text(html_elc(li, "span", "count"), c->text.data);
		}
	}
	if (art->covered_count && (slot = tpage_slot(p, "proposals"))) {
		xmlNodePtr ul = html_el(slot, "ul");
		for (size_t i = 0; i < art->covered_count; i++)
			proposal_item(c, ul, art->covered[i]);
	}
	buf_addf(&rel, "articles/%s.html", art->id);
	page_end(c, w, p, rel.data);
	buf_reset(&rel);
	buf_addf(&rel, "articles/%s.txt", art->id);
	writer_emit(w, rel.data, art->text, art->text_len);
	buf_release(&rel);
}

/* A table of positions with their evidence: on a party's page one row
 * per proposal, on a proposal's page (BY_PARTY) one row per party. */
static void positions_table(struct ctx *c, xmlNodePtr slot,
			    const struct position *const *list, size_t n,
			    bool by_party)
{
	xmlNodePtr table = html_elc(slot, "table", "positions");
	xmlNodePtr tr = html_el(html_el(table, "thead"), "tr");
	const char *heads[] = {by_party ? "Party" : "Proposal", "Stance", "Date",
			       "Evidence"};
	for (size_t i = 0; i < 4; i++)
		html_attr(html_el_text(tr, "th", heads[i]), "scope", "col");
	xmlNodePtr tbody = html_el(table, "tbody");
	for (size_t i = 0; i < n; i++) {
		const struct position *pos = list[i];
		tr = html_el(tbody, "tr");
		xmlNodePtr th = html_el(tr, "th");
		html_attr(th, "scope", "row");
		if (by_party)
			link_entry(c, th, ENTRY_PARTY, pos->party->id,
				   pos->party->name, NULL);
		else
			link_entry(c, th, ENTRY_PROPOSAL, pos->proposal->id,
				   pos->proposal->title, NULL);
		add_stance(html_el(tr, "td"), pos->stance);
		add_date(html_el(tr, "td"), &pos->date);
		add_evidence(c, html_el(tr, "td"), pos);
	}
}

/* ---- parties ---- */

static void proposal_list_slot(struct ctx *c, struct tpage *p,
			       const char *slot_name, struct proposal *const *list,
			       size_t n)
{
	xmlNodePtr slot = n ? tpage_slot(p, slot_name) : NULL;
	if (!slot)
		return;
	xmlNodePtr ul = html_el(slot, "ul");
	for (size_t i = 0; i < n; i++)
		proposal_item(c, ul, list[i]);
}

static void build_party(struct ctx *c, struct writer *w,
			const struct party *party)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"parties/index.html", "Parties"},
				       {NULL, party->name}};
	struct tpage *p = page_begin(c, TPL_PARTY, party->name, crumbs, 3);
	xmlNodePtr slot;
	struct buf rel;
	buf_init(&rel);
	if (party->summary)
		tpage_set_text(p, "summary", party->summary);
	if (party->kind)
		tpage_set_text(p, "kind", party->kind);
	if ((slot = tpage_slot(p, "aliases"))) {
		for (size_t i = 0; i < party->alias_count; i++) {
			if (i > 0)
				html_text(slot, ", ");
			html_text(html_el(slot, "q"), party->aliases[i]);
		}
	}
	render_body(c, p, "description", &party->body, NULL, 2);
	if (party->position_count && (slot = tpage_slot(p, "positions")))
		positions_table(c, slot, (const struct position *const *)party->positions,
				party->position_count, false);
	proposal_list_slot(c, p, "proposed", party->proposed,
			   party->proposed_count);
	proposal_list_slot(c, p, "mediated", party->mediated,
			   party->mediated_count);
	proposal_list_slot(c, p, "addressed", party->addressed,
			   party->addressed_count);
	if (party->mention_count && (slot = tpage_slot(p, "articles"))) {
		xmlNodePtr ul = html_el(slot, "ul");
		for (size_t i = 0; i < party->mention_count; i++) {
			const struct mention *m = &party->mentions[i];
			xmlNodePtr li = html_el(ul, "li");
			link_entry(c, li, ENTRY_ARTICLE, m->article->id,
				   m->article->title, NULL);
			html_text(li, " ");
			add_date(li, &m->article->date);
			buf_reset(&c->text);
			if (m->count)
				buf_addf(&c->text, " (%zu mention%s)", m->count,
					 m->count == 1 ? "" : "s");
			else
				buf_adds(&c->text, " (named by the editors)");
			html_text(html_elc(li, "span", "count"), c->text.data);
		}
	}
	add_referrers(c, p, &party->referrers);
	add_history(c, p, ENTRY_PARTY, party->id);
	buf_addf(&rel, "parties/%s.html", party->id);
	page_end(c, w, p, rel.data);
	buf_release(&rel);
}

static void build_parties(struct ctx *c, struct writer *w)
{
	const struct archive *a = c->a;
	const struct crumb crumbs[] = {{"index.html", "Home"}, {NULL, "Parties"}};
	struct tpage *p = page_begin(c, TPL_PARTIES, "Parties", crumbs, 2);
	xmlNodePtr slot = tpage_slot(p, "parties");
	if (slot && a->party_count) {
		xmlNodePtr ul = html_elc(slot, "ul", "entries");
		for (size_t i = 0; i < a->party_count; i++) {
			const struct party *party = a->parties[i];
			xmlNodePtr li = html_el(ul, "li");
			link_entry(c, li, ENTRY_PARTY, party->id, party->name, NULL);
			if (party->kind) {
				html_text(li, " ");
				html_text(html_elc(li, "span", "kind"), party->kind);
			}
			if (party->summary)
				html_text(html_elc(li, "p", "summary"), party->summary);
			buf_reset(&c->text);
			buf_addf(&c->text, "%zu article%s, %zu position%s",
				 party->mention_count,
				 party->mention_count == 1 ? "" : "s",
				 party->position_count,
				 party->position_count == 1 ? "" : "s");
			html_text(html_elc(li, "p", "count"), c->text.data);
		}
	}
	page_end(c, w, p, "parties/index.html");
}

/* ---- proposals ---- */

static void build_proposal(struct ctx *c, struct writer *w,
			   const struct proposal *prop)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"proposals/index.html", "Proposals"},
				       {NULL, prop->title}};
	struct tpage *p = page_begin(c, TPL_PROPOSAL, prop->title, crumbs, 3);
	xmlNodePtr slot, dd;
	struct buf rel;
	buf_init(&rel);
	if ((slot = tpage_slot(p, "facts"))) {
		xmlNodePtr dl = html_el(slot, "dl");
		add_fact(dl, "Date", &dd);
		add_date(dd, &prop->date);
		if (prop->has_status) {
			add_fact(dl, "Status", &dd);
			html_text(dd, status_name(prop->status));
		}
		add_fact(dl, "Proposed by", &dd);
		add_party_links(c, dd, prop->proposed_by, prop->proposed_by_count);
		if (prop->mediator_count) {
			add_fact(dl, "Mediated by", &dd);
			add_party_links(c, dd, prop->mediators, prop->mediator_count);
		}
		if (prop->addressed_count) {
			add_fact(dl, "Addressed to", &dd);
			add_party_links(c, dd, prop->addressed_to,
					prop->addressed_count);
		}
	}
	if (prop->term_count && (slot = tpage_slot(p, "terms"))) {
		xmlNodePtr ul = html_el(slot, "ul");
		struct md_links links = links_for(c, 3);
		for (size_t i = 0; i < prop->term_count; i++)
			md_render_inline(prop->terms[i].doc, html_el(ul, "li"),
					 &links);
	}
	render_body(c, p, "description", &prop->body, NULL, 2);
	if (prop->position_count && (slot = tpage_slot(p, "positions"))) {
		const struct position **list = xcalloc(prop->position_count,
						       sizeof *list);
		for (size_t i = 0; i < prop->position_count; i++)
			list[i] = &prop->positions[i];
		positions_table(c, slot, list, prop->position_count, true);
		free(list);
	}
	if (prop->coverage_count && (slot = tpage_slot(p, "coverage"))) {
		xmlNodePtr ul = html_el(slot, "ul");
		for (size_t i = 0; i < prop->coverage_count; i++)
			article_item(c, ul, prop->coverage[i]);
	}
	add_referrers(c, p, &prop->referrers);
	add_history(c, p, ENTRY_PROPOSAL, prop->id);
	buf_addf(&rel, "proposals/%s.html", prop->id);
	page_end(c, w, p, rel.data);
	buf_release(&rel);
}

static void proposals_table(struct ctx *c, xmlNodePtr slot,
			    struct proposal *const *list, size_t n)
{
	xmlNodePtr table = html_elc(slot, "table", "proposals");
	xmlNodePtr tr = html_el(html_el(table, "thead"), "tr");
	const char *heads[] = {"Date", "Proposal", "Proposed by", "Status"};
	for (size_t i = 0; i < 4; i++)
		html_attr(html_el_text(tr, "th", heads[i]), "scope", "col");
	xmlNodePtr tbody = html_el(table, "tbody");
	for (size_t i = 0; i < n; i++) {
		const struct proposal *prop = list[i];
		tr = html_el(tbody, "tr");
		add_date(html_el(tr, "td"), &prop->date);
		xmlNodePtr th = html_el(tr, "th");
		html_attr(th, "scope", "row");
		link_entry(c, th, ENTRY_PROPOSAL, prop->id, prop->title, NULL);
		add_party_links(c, html_el(tr, "td"), prop->proposed_by,
				prop->proposed_by_count);
		html_text(html_el(tr, "td"),
			  prop->has_status ? status_name(prop->status) : "");
	}
}

/* ---- positions matrix ---- */

/* Parties × proposals, keeping only rows and columns that hold a
 * position, each cell the stances with links to their evidence. */
static void positions_matrix(struct ctx *c, xmlNodePtr slot,
			     struct proposal *const *by_date, size_t n)
{
	const struct archive *a = c->a;
	size_t cols = 0;
	struct proposal **col = xcalloc(n + 1, sizeof *col);
	size_t *col_of = xcalloc(a->proposal_count + 1, sizeof *col_of);
	for (size_t i = 0; i < n; i++) {
		if (by_date[i]->position_count == 0)
			continue;
		col_of[by_date[i]->index] = cols;
		col[cols++] = by_date[i];
	}
	if (cols == 0)
		goto out;
	xmlNodePtr wrap = html_elc(slot, "div", "matrix-wrap");
	html_attr(wrap, "role", "region");
	html_attr(wrap, "aria-label", "Positions of parties on proposals");
	html_attr(wrap, "tabindex", "0");
	xmlNodePtr table = html_elc(wrap, "table", "matrix");
	html_el_text(table, "caption",
		     "Each party's stance on each proposal, as the archived "
		     "texts report it; a stance links to its evidence.");
	xmlNodePtr tr = html_el(html_el(table, "thead"), "tr");
	html_attr(html_el_text(tr, "th", "Party"), "scope", "col");
	for (size_t j = 0; j < cols; j++) {
		xmlNodePtr th = html_el(tr, "th");
		html_attr(th, "scope", "col");
		link_entry(c, th, ENTRY_PROPOSAL, col[j]->id, col[j]->title, NULL);
		html_el(th, "br");
		add_date(th, &col[j]->date);
	}
	xmlNodePtr tbody = html_el(table, "tbody");
	xmlNodePtr *cells = xcalloc(cols, sizeof *cells);
	struct buf frag;
	buf_init(&frag);
	for (size_t i = 0; i < a->party_count; i++) {
		const struct party *party = a->parties[i];
		if (party->position_count == 0)
			continue;
		tr = html_el(tbody, "tr");
		xmlNodePtr th = html_el(tr, "th");
		html_attr(th, "scope", "row");
		link_entry(c, th, ENTRY_PARTY, party->id, party->name, NULL);
		for (size_t j = 0; j < cols; j++)
			cells[j] = html_el(tr, "td");
		for (size_t k = 0; k < party->position_count; k++) {
			const struct position *pos = party->positions[k];
			xmlNodePtr cell = cells[col_of[pos->proposal->index]];
			if (cell->children)
				html_el(cell, "br");
			if (pos->anchored) {
				note_id(&frag, "pp-", &pos->passage);
				xmlNodePtr link = link_entry(c, cell, ENTRY_ARTICLE,
							     pos->source->id, "",
							     frag.data);
				xmlNodeSetContent(link, NULL);
				add_stance(link, pos->stance);
			} else {
				add_stance(cell, pos->stance);
			}
		}
	}
	free(cells);
	buf_release(&frag);
out:
	free(col);
	free(col_of);
}

/* ---- lists, home and free pages ---- */

static void build_articles(struct ctx *c, struct writer *w,
			   struct article *const *by_date, size_t n)
{
	const struct crumb crumbs[] = {{"index.html", "Home"}, {NULL, "Articles"}};
	struct tpage *p = page_begin(c, TPL_ARTICLES, "Articles", crumbs, 2);
	xmlNodePtr slot = n ? tpage_slot(p, "articles") : NULL;
	if (slot) {
		xmlNodePtr ol = html_elc(slot, "ol", "entries");
		for (size_t i = 0; i < n; i++)
			article_item(c, ol, by_date[i]);
	}
	page_end(c, w, p, "articles/index.html");
}

static void build_proposals(struct ctx *c, struct writer *w,
			    struct proposal *const *by_date, size_t n)
{
	const struct crumb crumbs[] = {{"index.html", "Home"}, {NULL, "Proposals"}};
	struct tpage *p = page_begin(c, TPL_PROPOSALS, "Proposals", crumbs, 2);
	xmlNodePtr slot = n ? tpage_slot(p, "proposals") : NULL;
	if (slot)
		proposals_table(c, slot, by_date, n);
	page_end(c, w, p, "proposals/index.html");
}

static void build_positions(struct ctx *c, struct writer *w,
			    struct proposal *const *by_date, size_t n)
{
	const struct crumb crumbs[] = {{"index.html", "Home"}, {NULL, "Positions"}};
	struct tpage *p = page_begin(c, TPL_POSITIONS, "Positions", crumbs, 2);
	xmlNodePtr slot = tpage_slot(p, "matrix");
	if (slot)
		positions_matrix(c, slot, by_date, n);
	page_end(c, w, p, "positions.html");
}

static void build_index(struct ctx *c, struct writer *w,
			struct article *const *by_date, size_t articles,
			struct proposal *const *proposals, size_t n)
{
	const struct archive *a = c->a;
	const char *title = a->index && a->index->title ? a->index->title
							: a->title;
	struct tpage *p = page_begin(c, TPL_INDEX, title, NULL, 0);
	xmlNodePtr slot;
	if (a->index)
		render_body(c, p, "intro", &a->index->body, NULL, 2);
	if (articles && (slot = tpage_slot(p, "latest"))) {
		xmlNodePtr ol = html_elc(slot, "ol", "entries");
		for (size_t i = 0; i < articles && i < LATEST_ARTICLES; i++)
			article_item(c, ol, by_date[articles - 1 - i]);
	}
	if (n && (slot = tpage_slot(p, "proposals")))
		proposals_table(c, slot, proposals, n);
	if ((slot = tpage_slot(p, "matrix")))
		positions_matrix(c, slot, proposals, n);
	page_end(c, w, p, "index.html");
}

static void build_page(struct ctx *c, struct writer *w, const struct page *page)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {NULL, page->title}};
	struct tpage *p = page_begin(c, TPL_PAGE, page->title, crumbs, 2);
	struct buf rel;
	buf_init(&rel);
	if (page->summary)
		tpage_set_text(p, "summary", page->summary);
	render_body(c, p, "body", &page->body, NULL, 2);
	add_history(c, p, ENTRY_PAGE, page->id);
	buf_addf(&rel, "%s.html", page->id);
	page_end(c, w, p, rel.data);
	buf_release(&rel);
}

/* ---- the build ---- */

static void build_all(struct ctx *c, struct writer *w)
{
	const struct archive *a = c->a;
	struct article **articles = xcalloc(a->article_count + 1, sizeof *articles);
	struct proposal **proposals = xcalloc(a->proposal_count + 1,
					      sizeof *proposals);
	if (a->article_count)
		memcpy(articles, a->articles, a->article_count * sizeof *articles);
	if (a->proposal_count)
		memcpy(proposals, a->proposals,
		       a->proposal_count * sizeof *proposals);
	sort_articles_by_date(articles, a->article_count);
	sort_proposals_by_date(proposals, a->proposal_count);
	c->articles_by_date = articles;
	c->proposals_by_date = proposals;

	c->root = "";
	build_index(c, w, articles, a->article_count, proposals,
		    a->proposal_count);
	build_positions(c, w, proposals, a->proposal_count);
	build_timeline(c, w);
	build_search(c, w);
	build_data(c, w);
	build_changes(c, w);
	for (size_t i = 0; i < a->page_count; i++)
		build_page(c, w, a->pages[i]);
	c->root = "../";
	build_articles(c, w, articles, a->article_count);
	for (size_t i = 0; i < a->article_count && !w->failed; i++)
		build_article(c, w, a->articles[i]);
	build_parties(c, w);
	for (size_t i = 0; i < a->party_count && !w->failed; i++)
		build_party(c, w, a->parties[i]);
	build_proposals(c, w, proposals, a->proposal_count);
	for (size_t i = 0; i < a->proposal_count && !w->failed; i++)
		build_proposal(c, w, a->proposals[i]);

	char *assets = path_join(c->t->dir, "assets");
	struct stat st;
	if (stat(assets, &st) == 0 && S_ISDIR(st.st_mode))
		writer_tree(w, assets, "assets");
	free(assets);
	for (size_t i = 0; i < a->static_count && !w->failed; i++) {
		char *from = path_join(a->content_dir, "static");
		char *src = path_join(from, a->static_files[i]);
		char *rel = path_join("static", a->static_files[i]);
		writer_copy(w, src, rel);
		free(rel);
		free(src);
		free(from);
	}
	/* Last: the sitemap lists every page written before it. */
	c->root = "";
	build_feeds(c, w);
	c->articles_by_date = NULL;
	c->proposals_by_date = NULL;
	free(articles);
	free(proposals);
}

int site_build(const struct archive *a, const struct theme *t,
	       const struct history *h, const char *output,
	       const struct site_hooks *hooks, struct site_stats *stats,
	       struct diag *d)
{
	struct ctx c = {a, t, "", {0}, {0}, 0, h};
	struct writer w;
	memset(stats, 0, sizeof *stats);
	int rc = writer_open(&w, output, d);
	if (hooks) {
		w.on_file = hooks->on_file;
		w.on_file_arg = hooks->arg;
	}
	if (rc == 0) {
		buf_init(&c.href);
		buf_init(&c.text);
		build_all(&c, &w);
		buf_release(&c.href);
		buf_release(&c.text);
		rc = writer_commit(&w);
	}
	if (rc == 0) {
		stats->files = w.files;
		stats->unchanged = w.unchanged;
		stats->search_index_bytes = c.search_index_bytes;
		stats->search_files = c.search_files;
		stats->search_entry_bytes = c.search_entry_bytes;
		stats->search_largest = c.search_largest;
	}
	writer_release(&w);
	return rc;
}
