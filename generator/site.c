#include "site.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annotate.h"
#include "buf.h"
#include "changes.h"
#include "data.h"
#include "feeds.h"
#include "fsutil.h"
#include "html.h"
#include "inputs.h"
#include "longlist.h"
#include "markdown.h"
#include "paging.h"
#include "parallel.h"
#include "relations.h"
#include "render.h"
#include "search.h"
#include "timeline.h"
#include "xalloc.h"

/* What the home page lists: the latest articles and proposals. */
#define LATEST_ARTICLES 10
#define LATEST_PROPOSALS 10
/* What the indexes of lists show of the latest entries. */
#define LATEST_LIST 20
/* The largest matrix of parties × proposals shown as a grid; beyond it
 * positions are listed by proposal, without empty cells. */
#define MATRIX_MAX_CELLS 400
/* The home page's matrix beyond that: recent proposals, few parties. */
#define HOME_COLS 6
#define HOME_ROWS 12
/* Stances listed under a proposal in those lists. */
#define STANCES_SHOWN 20
/* Articles on a party's page, by mentions; all of them are on pages of
 * their own, by date. */
#define PARTY_TOP_ARTICLES 50
/* A party's or proposal's page shows the latest notes, articles and
 * proposals that link it, each note whole; beyond that many, all are on
 * pages of their own, fewer to a page than other lists since each note
 * is shown whole. */
#define LINKING_NOTES_SHOWN 50
#define LINKING_NOTES_PAGE 200
/* A party's positions, and the proposals it made, mediated or was
 * addressed: the latest on its page, all on pages of their own
 * (longlist.h), positions fewer to a page since each quotes its
 * evidence. */
#define PARTY_LIST_SHOWN 50
#define PARTY_POSITIONS_PAGE 200
#define PARTY_PROPOSALS_PAGE 500

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
			buf_addu(&c->text, x[i].number, 0);
			xmlNodePtr a = html_link(sup, c->href.data, c->text.data);
			html_attr(a, "id", id.data);
			buf_reset(&c->text);
			buf_adds(&c->text, x[i].note ? "Note " : "Position ");
			buf_addu(&c->text, x[i].number, 0);
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
		buf_addu(&c->text, x[i].number, 0);
		xmlNodePtr back = html_link(head, id.data, c->text.data);
		html_attr(back, "class", "backref");
		buf_reset(&c->text);
		buf_adds(&c->text, "Back to passage ");
		buf_addu(&c->text, x[i].number, 0);
		html_attr(back, "aria-label", c->text.data);
		html_text(head, " ");
		if (x[i].note) {
			html_text(html_elc(head, "span", "annotation-kind"), "Note");
			struct md_links links = links_for(c, 3);
			article_tree(c->a, x[i].note->article);
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
	const char *text = article_text(c->a, art);
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
		buf_adds(&c->text, "l-");
		buf_addu(&c->text, i + 1, 0);
		html_attr(para, "id", c->text.data);
		first = false;
		render_line(c, para, text, ln, x + from, k - from);
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
	article_tree(c->a, art);
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
	buf_adds(&rel, "articles/");
	buf_adds(&rel, art->id);
	buf_adds(&rel, ".html");
	page_end(c, w, p, rel.data);
	buf_reset(&rel);
	buf_addf(&rel, "articles/%s.txt", art->id);
	writer_emit(w, rel.data, article_text(c->a, art), art->text_len);
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

/* An article that mentions a party (or that the editors name as about
 * it), with the count of mentions: the date after the title in a list
 * BY_MENTIONS, else before it as in every list by date. */
static void mention_item(struct ctx *c, xmlNodePtr list,
			 const struct mention *m, bool by_mentions)
{
	xmlNodePtr li = html_el(list, "li");
	if (!by_mentions) {
		add_date(li, &m->article->date);
		html_text(li, " ");
	}
	link_entry(c, li, ENTRY_ARTICLE, m->article->id, m->article->title,
		   NULL);
	if (by_mentions) {
		html_text(li, " ");
		add_date(li, &m->article->date);
	}
	buf_reset(&c->text);
	if (m->count)
		buf_addf(&c->text, " (%zu mention%s)", m->count,
			 m->count == 1 ? "" : "s");
	else
		buf_adds(&c->text, " (named by the editors)");
	html_text(html_elc(li, "span", "count"), c->text.data);
}

/* Every article that mentions a party, by date, on the pages
 * parties/ID/articles/index.html, 2.html... (longlist.h); the party's
 * page shows those with the most mentions. */
struct party_articles {
	struct long_list list;
	struct buf lede, above;
};

static const struct date *mention_date(const void *item)
{
	return &((const struct mention *)item)->article->date;
}

static int mention_tie(const void *x, const void *y)
{
	return strcmp(((const struct mention *)x)->article->id,
		      ((const struct mention *)y)->article->id);
}

static void render_mentions(struct ctx *c, xmlNodePtr parent,
			    const void *const *items, size_t n)
{
	xmlNodePtr ol = html_elc(parent, "ol", "entries");
	for (size_t i = 0; i < n; i++)
		mention_item(c, ol, items[i], false);
}

/* Mentions, most first, then the latest, then by article ID. */
static int compare_most_mentions(const void *x, const void *y)
{
	const struct mention *a = *(const struct mention *const *)x;
	const struct mention *b = *(const struct mention *const *)y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	int c = date_compare(&b->article->date, &a->article->date);
	return c ? c : strcmp(a->article->id, b->article->id);
}

static void party_articles_cut(struct party_articles *all,
			       const struct party *party)
{
	size_t n = party->mention_count;
	all->list = (struct long_list){
	    .kind = ENTRY_PARTY,
	    .id = party->id,
	    .name = party->name,
	    .folder = "articles",
	    .heading = "Articles",
	    .one = "article",
	    .many = "articles",
	    .what = "articles that mention",
	    .shown = PARTY_TOP_ARTICLES,
	    .per_page = PAGING_MAX,
	    .date_of = mention_date,
	    .tie = mention_tie,
	    .render = render_mentions,
	};
	buf_init(&all->lede);
	buf_init(&all->above);
	const void **items = xcalloc(n + 1, sizeof *items);
	for (size_t i = 0; i < n; i++)
		items[i] = &party->mentions[i];
	long_list_cut(&all->list, items, n);
	free(items);
	if (!all->list.count)
		return;
	buf_addf(&all->lede,
		 "The %zu articles that mention %s, or that the editors name "
		 "as about it, by date, with the number of mentions. Those "
		 "with the most mentions come first on ",
		 n, party->name);
	buf_addf(&all->above, "Above, the %d of %zu articles with the most "
		 "mentions. ", PARTY_TOP_ARTICLES, n);
	all->list.lede = all->lede.data;
	all->list.above = all->above.data;
}

static void party_articles_release(struct party_articles *all)
{
	long_list_release(&all->list);
	buf_release(&all->lede);
	buf_release(&all->above);
}

/* Every note, article and proposal that links a party or proposal, by
 * date, on the pages ID/notes/index.html, 2.html... (longlist.h), the
 * entry's page showing the latest; parties and pages that link it, few
 * and undated, are always on the entry's page. */
struct linking_notes {
	struct long_list list;
	struct buf title, lede;
};

/* The date of what links: a note's or an article's, a proposal's; NULL
 * for parties and pages. */
static const struct date *reference_date(const struct reference *r)
{
	if (r->note)
		return &r->note->article->date;
	if (r->kind == ENTRY_ARTICLE)
		return &((const struct article *)r->entry)->date;
	if (r->kind == ENTRY_PROPOSAL)
		return &((const struct proposal *)r->entry)->date;
	return NULL;
}

static const struct date *referrer_date(const void *item)
{
	return reference_date(item);
}

static int referrer_tie(const void *x, const void *y)
{
	const struct reference *q = x, *r = y;
	int cmp = 0;
	if (q->kind != r->kind)
		cmp = q->kind < r->kind ? -1 : 1;
	if (!cmp)
		cmp = strcmp(entry_id(q->kind, q->entry),
			     entry_id(r->kind, r->entry));
	/* An article's own text (no note) before its notes, in order. */
	if (!cmp && (q->note != NULL) != (r->note != NULL))
		cmp = q->note ? 1 : -1;
	if (!cmp && q->note && q->note->passage.start != r->note->passage.start)
		cmp = q->note->passage.start < r->note->passage.start ? -1 : 1;
	return cmp;
}

static void render_referrers(struct ctx *c, xmlNodePtr parent,
			     const void *const *items, size_t n)
{
	xmlNodePtr ul = html_elc(parent, "ul", "referrers");
	for (size_t i = 0; i < n; i++)
		referrer_item(c, ul, items[i]);
}

static void linking_notes_cut(struct linking_notes *ln, enum entry_kind kind,
			      const char *id, const char *name,
			      const struct reference_list *refs)
{
	ln->list = (struct long_list){
	    .kind = kind,
	    .id = id,
	    .name = name,
	    .folder = "notes",
	    .heading = "What links here",
	    .one = "item",
	    .many = "items",
	    .what = "notes, articles and proposals that link",
	    .shown = LINKING_NOTES_SHOWN,
	    .per_page = LINKING_NOTES_PAGE,
	    .date_of = referrer_date,
	    .tie = referrer_tie,
	    .render = render_referrers,
	};
	buf_init(&ln->title);
	buf_init(&ln->lede);
	const void **dated = xcalloc(refs->count + 1, sizeof *dated);
	size_t n = 0;
	for (size_t i = 0; i < refs->count; i++)
		if (reference_date(&refs->items[i]))
			dated[n++] = &refs->items[i];
	long_list_cut(&ln->list, dated, n);
	free(dated);
	if (!ln->list.count)
		return;
	buf_addf(&ln->title, "What links %s", name);
	buf_addf(&ln->lede, "The %zu notes, articles and proposals that link "
		 "%s, by date, each note with its passage. The latest are also "
		 "on ", n, name);
	ln->list.title = ln->title.data;
	ln->list.lede = ln->lede.data;
}

static void linking_notes_release(struct linking_notes *ln)
{
	long_list_release(&ln->list);
	buf_release(&ln->title);
	buf_release(&ln->lede);
}

/* Slot "notes" of a party's or proposal's page: what links it and, when
 * that is much, the parties and pages and the latest of the rest, newest
 * first, then the way to all of them. */
static void linking_notes_slot(struct ctx *c, struct tpage *p,
			       const struct reference_list *refs,
			       const struct linking_notes *ln)
{
	const struct long_list *l = &ln->list;
	if (!l->count) {
		add_referrers(c, p, refs, NULL, 0);
		return;
	}
	const struct reference *latest[LINKING_NOTES_SHOWN];
	for (size_t i = 0; i < LINKING_NOTES_SHOWN; i++)
		latest[i] = l->by_date[l->count - 1 - i];
	xmlNodePtr ul = add_referrers(c, p, refs, latest, LINKING_NOTES_SHOWN);
	if (ul)
		long_list_more(c, ul->parent, l);
}

static const struct date *position_date(const void *item)
{
	return &((const struct position *)item)->date;
}

static int position_tie(const void *x, const void *y)
{
	const struct position *a = x, *b = y;
	return strcmp(a->proposal->id, b->proposal->id);
}

static void render_positions(struct ctx *c, xmlNodePtr parent,
			     const void *const *items, size_t n)
{
	positions_table(c, parent, (const struct position *const *)items, n,
			false);
}

static const struct date *proposal_date(const void *item)
{
	return &((const struct proposal *)item)->date;
}

static int proposal_tie(const void *x, const void *y)
{
	return strcmp(((const struct proposal *)x)->id,
		      ((const struct proposal *)y)->id);
}

static void render_proposals(struct ctx *c, xmlNodePtr parent,
			     const void *const *items, size_t n)
{
	xmlNodePtr ul = html_el(parent, "ul");
	for (size_t i = 0; i < n; i++)
		proposal_item(c, ul, items[i]);
}

/* The lists of a party's page that grow with the archive. */
enum party_list { PL_POSITIONS, PL_PROPOSED, PL_MEDIATED, PL_ADDRESSED,
		  PL_COUNT };

static void party_lists(const struct party *party, struct long_list *l,
			const void *const **items, size_t *counts)
{
	static const char *const slots[PL_COUNT] = {"positions", "proposed",
						    "mediated", "addressed"};
	static const char *const headings[PL_COUNT] = {
	    "Positions", "Proposals made", "Proposals mediated",
	    "Proposals addressed to it"};
	static const char *const whats[PL_COUNT] = {
	    "positions of", "proposals made by", "proposals mediated by",
	    "proposals addressed to"};
	items[PL_POSITIONS] = (const void *const *)party->positions;
	counts[PL_POSITIONS] = party->position_count;
	items[PL_PROPOSED] = (const void *const *)party->proposed;
	counts[PL_PROPOSED] = party->proposed_count;
	items[PL_MEDIATED] = (const void *const *)party->mediated;
	counts[PL_MEDIATED] = party->mediated_count;
	items[PL_ADDRESSED] = (const void *const *)party->addressed;
	counts[PL_ADDRESSED] = party->addressed_count;
	for (int k = 0; k < PL_COUNT; k++) {
		bool pos = k == PL_POSITIONS;
		l[k] = (struct long_list){
		    .kind = ENTRY_PARTY,
		    .id = party->id,
		    .name = party->name,
		    .folder = slots[k],
		    .heading = headings[k],
		    .one = pos ? "position" : "proposal",
		    .many = pos ? "positions" : "proposals",
		    .what = whats[k],
		    .shown = PARTY_LIST_SHOWN,
		    .per_page = pos ? PARTY_POSITIONS_PAGE
				    : PARTY_PROPOSALS_PAGE,
		    .date_of = pos ? position_date : proposal_date,
		    .tie = pos ? position_tie : proposal_tie,
		    .render = pos ? render_positions : render_proposals,
		};
		long_list_cut(&l[k], items[k], counts[k]);
	}
}

static void build_party(struct ctx *c, struct writer *w,
			const struct party *party)
{
	static const char *const list_slots[PL_COUNT] = {
	    "positions", "proposed", "mediated", "addressed"};
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
	struct long_list lists[PL_COUNT];
	const void *const *items[PL_COUNT];
	size_t counts[PL_COUNT];
	party_lists(party, lists, items, counts);
	for (int k = 0; k < PL_COUNT; k++)
		if (counts[k] && (slot = tpage_slot(p, list_slots[k])))
			long_list_slot(c, slot, &lists[k], items[k], counts[k]);
	/* The articles with the most mentions; beyond PARTY_TOP_ARTICLES,
	 * all of them by date on pages of their own. */
	struct party_articles all;
	party_articles_cut(&all, party);
	if (party->mention_count && (slot = tpage_slot(p, "articles"))) {
		/* Ordered here, on the page's own thread, and only when the
		 * page is made: a rebuild that keeps it sorts nothing. */
		size_t n = party->mention_count;
		const struct mention **most = xcalloc(n, sizeof *most);
		for (size_t i = 0; i < n; i++)
			most[i] = &party->mentions[i];
		qsort(most, n, sizeof *most, compare_most_mentions);
		xmlNodePtr ul = html_el(slot, "ul");
		for (size_t i = 0; i < n && i < PARTY_TOP_ARTICLES; i++)
			mention_item(c, ul, most[i], true);
		free(most);
		if (all.list.count)
			long_list_more(c, slot, &all.list);
	}
	struct linking_notes ln;
	linking_notes_cut(&ln, ENTRY_PARTY, party->id, party->name,
			  &party->referrers);
	linking_notes_slot(c, p, &party->referrers, &ln);
	add_history(c, p, ENTRY_PARTY, party->id);
	buf_addf(&rel, "parties/%s.html", party->id);
	page_end(c, w, p, rel.data);
	long_list_write(c, w, &all.list);
	long_list_write(c, w, &ln.list);
	for (int k = 0; k < PL_COUNT; k++) {
		long_list_write(c, w, &lists[k]);
		long_list_release(&lists[k]);
	}
	linking_notes_release(&ln);
	party_articles_release(&all);
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
	proposal_tree(c->a, prop);
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
	struct linking_notes ln;
	linking_notes_cut(&ln, ENTRY_PROPOSAL, prop->id, prop->title,
			  &prop->referrers);
	linking_notes_slot(c, p, &prop->referrers, &ln);
	add_history(c, p, ENTRY_PROPOSAL, prop->id);
	buf_addf(&rel, "proposals/%s.html", prop->id);
	page_end(c, w, p, rel.data);
	long_list_write(c, w, &ln.list);
	linking_notes_release(&ln);
	buf_release(&rel);
}

static void proposals_table(struct ctx *c, xmlNodePtr slot,
			    struct proposal *const *list, size_t n,
			    bool newest_first)
{
	xmlNodePtr table = html_elc(slot, "table", "proposals");
	xmlNodePtr tr = html_el(html_el(table, "thead"), "tr");
	const char *heads[] = {"Date", "Proposal", "Proposed by", "Status"};
	for (size_t i = 0; i < 4; i++)
		html_attr(html_el_text(tr, "th", heads[i]), "scope", "col");
	xmlNodePtr tbody = html_el(table, "tbody");
	for (size_t i = 0; i < n; i++) {
		const struct proposal *prop =
		    list[newest_first ? n - 1 - i : i];
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

/* ---- positions: a matrix while it is small, lists by year beyond ---- */

/* A stance, linked to its evidence (the quoted passage in the source)
 * when the quote anchors. */
static void add_stance_link(struct ctx *c, xmlNodePtr parent,
			    const struct position *pos, struct buf *frag)
{
	if (!pos->anchored) {
		add_stance(parent, pos->stance);
		return;
	}
	note_id(frag, "pp-", &pos->passage);
	xmlNodePtr link = link_entry(c, parent, ENTRY_ARTICLE, pos->source->id,
				     "", frag->data);
	xmlNodeSetContent(link, NULL);
	html_attr(link, "class", "stance-link");
	add_stance(link, pos->stance);
}

/* Parties × the proposals COLS[0..N) (in date order, each holding a
 * position): a row per party with a position on one of them, by ID, at
 * most MAX_ROWS of them; each cell the party's stances on the proposal,
 * linked to their evidence. */
static void positions_matrix(struct ctx *c, xmlNodePtr slot,
			     struct proposal *const *cols, size_t n,
			     size_t max_rows, const char *caption)
{
	const struct archive *a = c->a;
	if (n == 0)
		return;
	/* row_of: per party index, its row + 1, or 0. */
	size_t *row_of = xcalloc(a->party_count + 1, sizeof *row_of);
	for (size_t j = 0; j < n; j++)
		for (size_t k = 0; k < cols[j]->position_count; k++)
			row_of[cols[j]->positions[k].party->index] = 1;
	const struct party **row = xcalloc(a->party_count + 1, sizeof *row);
	size_t rows = 0, left_out = 0;
	for (size_t i = 0; i < a->party_count; i++) {
		if (!row_of[i])
			continue;
		if (rows == max_rows) {
			row_of[i] = 0;
			left_out++;
			continue;
		}
		row[rows] = a->parties[i];
		row_of[i] = ++rows;
	}

	xmlNodePtr wrap = html_elc(slot, "div", "matrix-wrap");
	html_attr(wrap, "role", "region");
	html_attr(wrap, "aria-label", "Positions of parties on proposals");
	html_attr(wrap, "tabindex", "0");
	xmlNodePtr table = html_elc(wrap, "table", "matrix");
	html_el_text(table, "caption", caption);
	xmlNodePtr tr = html_el(html_el(table, "thead"), "tr");
	html_attr(html_el_text(tr, "th", "Party"), "scope", "col");
	for (size_t j = 0; j < n; j++) {
		xmlNodePtr th = html_el(tr, "th");
		html_attr(th, "scope", "col");
		link_entry(c, th, ENTRY_PROPOSAL, cols[j]->id, cols[j]->title,
			   NULL);
		html_el(th, "br");
		add_date(th, &cols[j]->date);
	}
	xmlNodePtr tbody = html_el(table, "tbody");
	xmlNodePtr *cells = xcalloc(rows * n, sizeof *cells);
	for (size_t r = 0; r < rows; r++) {
		tr = html_el(tbody, "tr");
		xmlNodePtr th = html_el(tr, "th");
		html_attr(th, "scope", "row");
		link_entry(c, th, ENTRY_PARTY, row[r]->id, row[r]->name, NULL);
		for (size_t j = 0; j < n; j++)
			cells[r * n + j] = html_el(tr, "td");
	}
	struct buf frag;
	buf_init(&frag);
	for (size_t j = 0; j < n; j++) {
		for (size_t k = 0; k < cols[j]->position_count; k++) {
			const struct position *pos = &cols[j]->positions[k];
			size_t r = row_of[pos->party->index];
			if (!r)
				continue;
			xmlNodePtr cell = cells[(r - 1) * n + j];
			if (cell->children)
				html_el(cell, "br");
			add_stance_link(c, cell, pos, &frag);
		}
	}
	if (left_out) {
		buf_reset(&c->text);
		buf_addf(&c->text,
			 "%zu more part%s hold%s positions on these proposals, "
			 "shown on each proposal's page.",
			 left_out, left_out == 1 ? "y" : "ies",
			 left_out == 1 ? "s" : "");
		html_text(html_elc(slot, "p", "count"), c->text.data);
	}
	buf_release(&frag);
	free(cells);
	free(row);
	free(row_of);
}

/* The proposals that hold a position, in date order, from BY_DATE
 * (N proposals); *COUNT receives their number. The caller frees them. */
static struct proposal **
proposals_with_positions(struct proposal *const *by_date, size_t n,
			 size_t *count)
{
	struct proposal **list = xcalloc(n + 1, sizeof *list);
	*count = 0;
	for (size_t i = 0; i < n; i++)
		if (by_date[i]->position_count)
			list[(*count)++] = by_date[i];
	return list;
}

/* Whether the whole matrix (parties with a position × proposals with
 * one, COLS of them) is small enough to show as a grid. */
static bool matrix_is_small(const struct archive *a, size_t cols)
{
	size_t rows = 0;
	for (size_t i = 0; i < a->party_count; i++)
		rows += a->parties[i]->position_count > 0;
	return cols == 0 || rows <= MATRIX_MAX_CELLS / cols;
}

static const char matrix_caption[] =
	"Each party's stance on each proposal, as the archived texts report "
	"it; a stance links to its evidence.";

/* One proposal and the stances taken on it: a column of the matrix
 * without its empty cells. At most STANCES_SHOWN, then how many more
 * the proposal's page shows. */
static void stances_item(struct ctx *c, xmlNodePtr list,
			 const struct proposal *prop, struct buf *frag)
{
	xmlNodePtr li = html_elc(list, "li", "stances-entry");
	xmlNodePtr head = html_elc(li, "p", "stances-head");
	add_date(head, &prop->date);
	html_text(head, " ");
	link_entry(c, head, ENTRY_PROPOSAL, prop->id, prop->title, NULL);
	xmlNodePtr ul = html_elc(li, "ul", "stances");
	size_t shown = prop->position_count < STANCES_SHOWN
			       ? prop->position_count
			       : STANCES_SHOWN;
	for (size_t k = 0; k < shown; k++) {
		const struct position *pos = &prop->positions[k];
		xmlNodePtr item = html_el(ul, "li");
		link_entry(c, item, ENTRY_PARTY, pos->party->id,
			   pos->party->name, NULL);
		html_text(item, ": ");
		add_stance_link(c, item, pos, frag);
	}
	if (shown < prop->position_count) {
		xmlNodePtr item = html_elc(ul, "li", "more");
		buf_reset(&c->text);
		buf_addf(&c->text, "%zu more on ",
			 prop->position_count - shown);
		html_text(item, c->text.data);
		link_entry(c, item, ENTRY_PROPOSAL, prop->id,
			   "the proposal's page", NULL);
	}
}

static void stances_list(struct ctx *c, xmlNodePtr slot,
			 struct proposal *const *list, size_t n,
			 bool newest_first)
{
	struct buf frag;
	buf_init(&frag);
	xmlNodePtr ol = html_elc(slot, "ol", "entries stances-list");
	for (size_t i = 0; i < n; i++)
		stances_item(c, ol, list[newest_first ? n - 1 - i : i], &frag);
	buf_release(&frag);
}

static void fill_positions_year(struct ctx *c, struct tpage *p,
				const struct paging *pg, size_t k, void *arg)
{
	struct proposal *const *list = arg;
	const struct paging_page *pp = &pg->pages[k];
	size_t from, to, positions = 0;
	paging_span(pg, k, &from, &to);
	for (size_t i = from; i < to; i++)
		positions += list[i]->position_count;
	buf_reset(&c->text);
	buf_addf(&c->text,
		 "%zu position%s on the %zu proposal%s of %04d that parties "
		 "took positions on, by the proposals' dates; each stance "
		 "links to its evidence.",
		 positions, positions == 1 ? "" : "s", to - from,
		 to - from == 1 ? "" : "s", pp->year);
	tpage_set_text(p, "lede", c->text.data);
	xmlNodePtr slot = tpage_slot(p, "positions");
	if (slot)
		stances_list(c, slot, list + pp->from, pp->to - pp->from,
			     false);
}

/* ---- lists, home and free pages ---- */

/* How many of N entries a list of the latest MAX shows. */
static size_t latest(size_t n, size_t max)
{
	return n < max ? n : max;
}

/* The dates of N articles or proposals, for paging_cut. */
static const struct date **article_dates(struct article *const *list, size_t n)
{
	const struct date **dates = xcalloc(n + 1, sizeof *dates);
	for (size_t i = 0; i < n; i++)
		dates[i] = &list[i]->date;
	return dates;
}

static const struct date **proposal_dates(struct proposal *const *list,
					  size_t n)
{
	const struct date **dates = xcalloc(n + 1, sizeof *dates);
	for (size_t i = 0; i < n; i++)
		dates[i] = &list[i]->date;
	return dates;
}

/* The lede of a year's page: how many entries, and where the ones
 * dated only to the year or a month stand. */
static void year_lede(struct ctx *c, struct tpage *p, const struct paging *pg,
		      size_t k, const char *one, const char *many)
{
	size_t from, to;
	paging_span(pg, k, &from, &to);
	buf_reset(&c->text);
	buf_addf(&c->text,
		 "%zu %s dated in %04d, oldest first. Those dated only to the "
		 "year come before those dated to a month, and those dated to "
		 "a month before the days of that month.",
		 to - from, to - from == 1 ? one : many, pg->pages[k].year);
	tpage_set_text(p, "lede", c->text.data);
}

static void fill_articles_year(struct ctx *c, struct tpage *p,
			       const struct paging *pg, size_t k, void *arg)
{
	struct article *const *list = arg;
	const struct paging_page *pp = &pg->pages[k];
	year_lede(c, p, pg, k, "article", "articles");
	xmlNodePtr slot = tpage_slot(p, "articles");
	if (!slot)
		return;
	/* Under a heading per month, and one for the articles dated only
	 * to the year. */
	xmlNodePtr ol = NULL;
	int month = -1;
	for (size_t i = pp->from; i < pp->to; i++) {
		const struct date *d = &list[i]->date;
		int m = d->precision == DATE_YEAR ? 0 : d->month;
		if (!ol || m != month) {
			struct date shown = {d->year, m, 0, DATE_MONTH};
			month = m;
			buf_reset(&c->text);
			if (m)
				date_shown(&c->text, &shown);
			else
				buf_addf(&c->text, "Dated only to %04d",
					 d->year);
			html_el_text(slot, "h2", c->text.data);
			ol = html_elc(slot, "ol", "entries");
		}
		article_item(c, ol, list[i]);
	}
}

static void build_articles(struct ctx *c, struct writer *w,
			   struct article *const *by_date, size_t n)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"articles/index.html", "Articles"}};
	const struct date **dates = article_dates(by_date, n);
	struct paging pg;
	paging_cut(&pg, PAGING_BY_YEAR, "articles/", dates, NULL, n,
		   PAGING_MAX);

	const struct crumb here[] = {{"index.html", "Home"},
				     {NULL, "Articles"}};
	struct tpage *p = page_begin(c, TPL_ARTICLES, "Articles", here, 2);
	xmlNodePtr slot;
	buf_reset(&c->text);
	if (n == 0)
		buf_adds(&c->text, "The archive has no articles yet.");
	else
		buf_addf(&c->text,
			 "The archive's %zu article%s, listed by year, each "
			 "dated as precisely as its text allows: to the year, "
			 "the month or the day.",
			 n, n == 1 ? "" : "s");
	tpage_set_text(p, "lede", c->text.data);
	if ((slot = tpage_slot(p, "years")))
		paging_years(c, slot, &pg, -1, "article", "articles");
	if (n && (slot = tpage_slot(p, "latest"))) {
		xmlNodePtr ol = html_elc(slot, "ol", "entries");
		for (size_t i = 0; i < n && i < LATEST_LIST; i++)
			article_item(c, ol, by_date[n - 1 - i]);
	}
	page_end(c, w, p, "articles/index.html");

	const struct paging_frame frame = {
	    TPL_ARTICLES, crumbs, 2, "Articles", NULL, "article", "articles",
	    fill_articles_year, (void *)by_date};
	paging_write(c, w, &pg, &frame);
	paging_release(&pg);
	free(dates);
}

static void fill_proposals_year(struct ctx *c, struct tpage *p,
				const struct paging *pg, size_t k, void *arg)
{
	struct proposal *const *list = arg;
	const struct paging_page *pp = &pg->pages[k];
	year_lede(c, p, pg, k, "proposal", "proposals");
	xmlNodePtr slot = tpage_slot(p, "proposals");
	if (slot)
		proposals_table(c, slot, list + pp->from, pp->to - pp->from,
				false);
}

static void build_proposals(struct ctx *c, struct writer *w,
			    struct proposal *const *by_date, size_t n)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"proposals/index.html", "Proposals"}};
	const struct date **dates = proposal_dates(by_date, n);
	struct paging pg;
	paging_cut(&pg, PAGING_BY_YEAR, "proposals/", dates, NULL, n,
		   PAGING_MAX);

	const struct crumb here[] = {{"index.html", "Home"},
				     {NULL, "Proposals"}};
	struct tpage *p = page_begin(c, TPL_PROPOSALS, "Proposals", here, 2);
	xmlNodePtr slot;
	buf_reset(&c->text);
	if (n == 0)
		buf_adds(&c->text, "The archive has no proposals yet.");
	else
		buf_addf(&c->text,
			 "The archive's %zu truce, ceasefire and exchange "
			 "proposal%s, listed by year, with the status last "
			 "reported.",
			 n, n == 1 ? "" : "s");
	tpage_set_text(p, "lede", c->text.data);
	if ((slot = tpage_slot(p, "years")))
		paging_years(c, slot, &pg, -1, "proposal", "proposals");
	if (n && (slot = tpage_slot(p, "latest")))
		proposals_table(c, slot, by_date + n - latest(n, LATEST_LIST),
				latest(n, LATEST_LIST), true);
	page_end(c, w, p, "proposals/index.html");

	const struct paging_frame frame = {
	    TPL_PROPOSALS, crumbs, 2, "Proposals", NULL, "proposal",
	    "proposals", fill_proposals_year, (void *)by_date};
	paging_write(c, w, &pg, &frame);
	paging_release(&pg);
	free(dates);
}

/* positions.html: the matrix while parties × proposals stays within
 * MATRIX_MAX_CELLS; beyond, the latest proposals with their stances,
 * and a page per year (positions/YYYY/index.html) listing each proposal
 * with the stances taken on it, so no page holds an empty cell. */
static void build_positions(struct ctx *c, struct writer *w,
			    struct proposal *const *by_date, size_t n)
{
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"positions.html", "Positions"}};
	size_t cols = 0;
	struct proposal **list = proposals_with_positions(by_date, n, &cols);
	const struct crumb here[] = {{"index.html", "Home"},
				     {NULL, "Positions"}};
	struct tpage *p = page_begin(c, TPL_POSITIONS, "Positions", here, 2);
	xmlNodePtr slot;
	if (cols == 0)
		tpage_set_text(p, "empty", "No positions yet.");
	if (matrix_is_small(c->a, cols)) {
		if ((slot = tpage_slot(p, "matrix")))
			positions_matrix(c, slot, list, cols, SIZE_MAX,
					 matrix_caption);
		page_end(c, w, p, "positions.html");
		free(list);
		return;
	}

	const struct date **dates = proposal_dates(list, cols);
	size_t *weights = xcalloc(cols + 1, sizeof *weights);
	for (size_t i = 0; i < cols; i++)
		weights[i] = 1 + (list[i]->position_count < STANCES_SHOWN
					  ? list[i]->position_count
					  : STANCES_SHOWN);
	struct paging pg;
	paging_cut(&pg, PAGING_BY_YEAR, "positions/", dates, weights, cols,
		   PAGING_MAX);
	if ((slot = tpage_slot(p, "years")))
		paging_years(c, slot, &pg, -1, "proposal", "proposals");
	if ((slot = tpage_slot(p, "latest")))
		stances_list(c, slot, list + cols - latest(cols, LATEST_LIST),
			     latest(cols, LATEST_LIST), true);
	page_end(c, w, p, "positions.html");

	const struct paging_frame frame = {
	    TPL_POSITIONS, crumbs, 2, "Positions", NULL, "proposal",
	    "proposals", fill_positions_year, list};
	paging_write(c, w, &pg, &frame);
	paging_release(&pg);
	free(weights);
	free(dates);
	free(list);
}

/* The home page's matrix: the whole of it while small; else the most
 * recent proposals that hold positions, as many as fit in HOME_COLS
 * columns and HOME_ROWS parties (at least one proposal). */
static void home_matrix(struct ctx *c, xmlNodePtr slot,
			struct proposal *const *by_date, size_t n)
{
	const struct archive *a = c->a;
	size_t cols = 0;
	struct proposal **list = proposals_with_positions(by_date, n, &cols);
	if (matrix_is_small(a, cols)) {
		positions_matrix(c, slot, list, cols, SIZE_MAX, matrix_caption);
		free(list);
		return;
	}
	bool *seen = xcalloc(a->party_count + 1, sizeof *seen);
	size_t taken = 0, parties = 0;
	while (taken < cols && taken < HOME_COLS) {
		const struct proposal *prop = list[cols - 1 - taken];
		size_t more = 0;
		for (size_t k = 0; k < prop->position_count; k++) {
			size_t i = prop->positions[k].party->index;
			if (!seen[i]) {
				seen[i] = true;
				more++;
			}
		}
		if (taken && parties + more > HOME_ROWS)
			break;
		parties += more;
		taken++;
	}
	free(seen);
	buf_reset(&c->text);
	buf_addf(&c->text,
		 "Each party's stance on the %zu most recent proposals that "
		 "parties took positions on, as the archived texts report "
		 "it; a stance links to its evidence.",
		 taken);
	char *caption = xstrdup(c->text.data);
	positions_matrix(c, slot, list + cols - taken, taken, HOME_ROWS,
			 caption);
	free(caption);
	free(list);
}

/* The home page stays the same size however large the archive: the
 * latest articles and proposals, and a bounded matrix. */
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
		proposals_table(c, slot,
				proposals + n - latest(n, LATEST_PROPOSALS),
				latest(n, LATEST_PROPOSALS), true);
	if ((slot = tpage_slot(p, "matrix")))
		home_matrix(c, slot, proposals, n);
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

/* One page, or one set of files built together, rendered by one worker.
 * Pages depend only on the archive, which no page changes, so they can be
 * rendered in any order and on any thread: the bytes are the same. */
enum job_kind {
	JOB_SEARCH, JOB_DATA, JOB_ASIDE, JOB_TIMELINE, JOB_INDEX, JOB_POSITIONS,
	JOB_ARTICLES, JOB_PARTIES, JOB_PROPOSALS, JOB_CHANGES,
	JOB_PAGE, JOB_ARTICLE, JOB_PARTY, JOB_PROPOSAL,
};

struct job {
	enum job_kind kind;
	size_t index; /* of the entry, for the kinds of one entry */
};

/* The job's tag and key (inputs.h), into TAG; 0 for the jobs that always
 * run: the search index and archive.json draw on every note (the index
 * copies the docs of unchanged entries from the previous one: search.h). */
static uint64_t job_key(const struct ctx *c, struct job job, struct buf *tag)
{
	const struct archive *a = c->a;
	const struct page_inputs *in = c->inputs;
	static const char *const singles[] = {
		[JOB_TIMELINE] = "timeline",   [JOB_INDEX] = "index",
		[JOB_POSITIONS] = "positions", [JOB_ARTICLES] = "articles",
		[JOB_PARTIES] = "parties",     [JOB_PROPOSALS] = "proposals",
		[JOB_CHANGES] = "changes",
	};
	switch (job.kind) {
	case JOB_SEARCH:
	case JOB_DATA:
	case JOB_ASIDE:
		buf_reset(tag);
		return 0;
	case JOB_ARTICLE:
		return inputs_entry(in, ENTRY_ARTICLE, a->articles[job.index],
				    tag);
	case JOB_PARTY:
		return inputs_entry(in, ENTRY_PARTY, a->parties[job.index], tag);
	case JOB_PROPOSAL:
		return inputs_entry(in, ENTRY_PROPOSAL, a->proposals[job.index],
				    tag);
	case JOB_PAGE:
		return inputs_entry(in, ENTRY_PAGE, a->pages[job.index], tag);
	default:
		buf_reset(tag);
		buf_adds(tag, singles[job.kind]);
		return inputs_lists(in);
	}
}

static void render_job(struct ctx *c, struct writer *w, struct job job)
{
	const struct archive *a = c->a;
	struct article *const *articles = c->articles_by_date;
	struct proposal *const *proposals = c->proposals_by_date;
	c->root = "";
	switch (job.kind) {
	case JOB_SEARCH: build_search(c, w); break;
	case JOB_DATA: build_data(c, w); break;
	case JOB_ASIDE: c->aside(c->aside_arg); break;
	case JOB_TIMELINE: build_timeline(c, w); break;
	case JOB_INDEX:
		build_index(c, w, articles, a->article_count, proposals,
			    a->proposal_count);
		break;
	case JOB_POSITIONS:
		build_positions(c, w, proposals, a->proposal_count);
		break;
	case JOB_CHANGES: build_changes(c, w); break;
	case JOB_PAGE: build_page(c, w, a->pages[job.index]); break;
	case JOB_ARTICLES:
		c->root = "../";
		build_articles(c, w, articles, a->article_count);
		break;
	case JOB_PARTIES:
		c->root = "../";
		build_parties(c, w);
		break;
	case JOB_PROPOSALS:
		c->root = "../";
		build_proposals(c, w, proposals, a->proposal_count);
		break;
	case JOB_ARTICLE:
		c->root = "../";
		build_article(c, w, a->articles[job.index]);
		break;
	case JOB_PARTY:
		c->root = "../";
		build_party(c, w, a->parties[job.index]);
		break;
	case JOB_PROPOSAL:
		c->root = "../";
		build_proposal(c, w, a->proposals[job.index]);
		break;
	}
}

static void run_job(struct ctx *c, struct writer *w, struct job job)
{
	struct buf tag;
	buf_init(&tag);
	uint64_t key = c->inputs ? job_key(c, job, &tag) : 0;
	writer_job(w, key ? tag.data : NULL, key);
	if (!key || !writer_keep(w, tag.data, key))
		render_job(c, w, job);
	writer_job(w, NULL, 0);
	buf_release(&tag);
}

/* The pages of the site, the largest first, so that no worker is left
 * with a long page when the others are done. The caller's work (ASIDE)
 * comes first when the two largest jobs build from nothing: what it lets
 * go of (the caches' records) is then not held while their pages fill
 * memory. In a rebuild (REBUILD: there is a previous site to copy from)
 * they copy most of what they write, and the caller's work comes after
 * them, not ahead of archive.json's job, the longest. */
static struct job *site_jobs(const struct archive *a, bool aside,
			     bool rebuild, size_t *count)
{
	static const enum job_kind singles[] = {
		JOB_SEARCH, JOB_DATA, JOB_TIMELINE, JOB_INDEX,
		JOB_POSITIONS, JOB_ARTICLES, JOB_PARTIES, JOB_PROPOSALS,
		JOB_CHANGES,
	};
	size_t n_singles = sizeof singles / sizeof *singles;
	size_t n = 1 + n_singles + a->page_count + a->party_count +
		   a->proposal_count + a->article_count;
	struct job *jobs = xcalloc(n, sizeof *jobs);
	size_t k = 0;
	for (size_t i = 0; i < n_singles; i++) {
		if (aside && i == (rebuild ? 2 : 0))
			jobs[k++] = (struct job){JOB_ASIDE, 0};
		jobs[k++] = (struct job){singles[i], 0};
	}
	for (size_t i = 0; i < a->party_count; i++)
		jobs[k++] = (struct job){JOB_PARTY, i};
	for (size_t i = 0; i < a->proposal_count; i++)
		jobs[k++] = (struct job){JOB_PROPOSAL, i};
	for (size_t i = 0; i < a->page_count; i++)
		jobs[k++] = (struct job){JOB_PAGE, i};
	for (size_t i = 0; i < a->article_count; i++)
		jobs[k++] = (struct job){JOB_ARTICLE, i};
	*count = k;
	return jobs;
}

/* The jobs and one context per thread, each a copy of the build's with
 * scratch buffers of its own. */
struct job_run {
	struct writer *w;
	const struct job *jobs;
	struct ctx *contexts;
};

static void run_one(void *arg, size_t i, unsigned worker)
{
	struct job_run *r = arg;
	/* After a failed write nothing more is rendered; the build fails.
	 * The caller's work is its own. */
	if (!writer_failed(r->w) || r->jobs[i].kind == JOB_ASIDE)
		run_job(&r->contexts[worker], r->w, r->jobs[i]);
}

/* Renders every page on THREADS threads (the caller's one of them). */
static void run_jobs(struct ctx *c, struct writer *w, const struct job *jobs,
		     size_t count, unsigned threads)
{
	if (threads == 0)
		threads = 1;
	struct job_run r = {w, jobs, xcalloc(threads, sizeof *r.contexts)};
	for (unsigned t = 0; t < threads; t++) {
		r.contexts[t] = *c;
		buf_init(&r.contexts[t].href);
		buf_init(&r.contexts[t].text);
		buf_init(&r.contexts[t].page);
		memset(&r.contexts[t].search, 0, sizeof r.contexts[t].search);
		r.contexts[t].data_entries = r.contexts[t].data_copied = 0;
	}
	parallel_for(count, threads, run_one, &r);
	for (unsigned t = 0; t < threads; t++) {
		/* One thread built the search index and knows its size. */
		if (r.contexts[t].search.files)
			c->search = r.contexts[t].search;
		if (r.contexts[t].data_entries) {
			c->data_entries = r.contexts[t].data_entries;
			c->data_copied = r.contexts[t].data_copied;
		}
		buf_release(&r.contexts[t].href);
		buf_release(&r.contexts[t].text);
		buf_release(&r.contexts[t].page);
	}
	free(r.contexts);
}

static void build_all(struct ctx *c, struct writer *w, unsigned threads)
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

	struct page_inputs inputs;
	inputs_compute(&inputs, a, c->t, c->history);
	inputs_work_out_keys(&inputs, w, threads);
	c->inputs = &inputs;
	size_t job_count;
	struct job *jobs = site_jobs(a, c->aside != NULL,
				     c->prev_data || c->prev_index, &job_count);
	run_jobs(c, w, jobs, job_count, threads);
	free(jobs);
	c->inputs = NULL;
	inputs_release(&inputs);

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

/* Reports each capture, article's .md file or proposal's file read while
 * pages were written that was no longer the bytes the archive was loaded
 * from: pages made from it are wrong, and the site is not put in place. */
static bool report_lost_texts(const struct archive *a, struct diag *d)
{
	if (atomic_load(&a->texts_lost) == 0)
		return false;
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		if (art->source_lost)
			diag_error(d, art->md_path, 0, 0, "%s",
				   ARTICLE_SOURCE_LOST);
		if (art->text_lost)
			diag_error(d, art->txt_path, 0, 0, "%s",
				   ARTICLE_TEXT_LOST);
	}
	for (size_t i = 0; i < a->proposal_count; i++)
		if (a->proposals[i]->source_lost)
			diag_error(d, a->proposals[i]->path, 0, 0, "%s",
				   ARTICLE_SOURCE_LOST);
	return true;
}

int site_build(const struct archive *a, const struct theme *t,
	       const struct history *h, const char *output,
	       const struct site_hooks *hooks, struct site_stats *stats,
	       struct diag *d)
{
	struct ctx c = {.a = a, .t = t, .root = "", .history = h};
	struct writer own;
	struct writer *w = &own;
	struct prev_site *prev = hooks ? hooks->prev : NULL;
	int rc;
	memset(stats, 0, sizeof *stats);
	if (prev) {
		prev_site_join(prev, d);
		w = &prev->w;
		rc = prev->rc ? prev->rc : writer_stage(w);
		c.prev_read = true;
		c.prev_index = prev->index_ok ? &prev->index : NULL;
		c.prev_data = prev->data_ok ? &prev->data : NULL;
	} else {
		rc = writer_open(&own, output, d);
	}
	if (hooks) {
		w->on_file = hooks->on_file;
		w->on_file_arg = hooks->arg;
		c.data_index = hooks->data_index;
		c.search_index = hooks->search_index;
		c.aside = hooks->aside;
		c.aside_arg = hooks->aside_arg;
	}
	if (rc == 0) {
		buf_init(&c.href);
		buf_init(&c.text);
		buf_init(&c.page);
		build_all(&c, w, hooks && hooks->threads ? hooks->threads : 1);
		buf_release(&c.href);
		buf_release(&c.text);
		buf_release(&c.page);
		bool lost = report_lost_texts(a, d);
		if (!lost && hooks && hooks->rendered)
			hooks->rendered(hooks->rendered_arg);
		rc = lost ? 3 : writer_commit(w);
	}
	if (rc == 0) {
		stats->files = w->files;
		stats->unchanged = w->unchanged;
		stats->search_index_bytes = c.search.bytes;
		stats->search_files = c.search.files;
		stats->search_entry_bytes = c.search.entry_bytes;
		stats->search_largest = c.search.largest;
		stats->search_entries = c.search.entries;
		stats->search_reused = c.search.reused;
		stats->search_stamped = c.search.stamped;
		stats->search_recorded = c.search.recorded;
		stats->data_entries = c.data_entries;
		stats->data_copied = c.data_copied;
	}
	/* A writer read ahead is released with the rest of what was read
	 * (prev_site_release); a new folder not committed goes with it. */
	if (w == &own)
		writer_release(&own);
	return rc;
}
