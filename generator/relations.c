#include "relations.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "fsutil.h"
#include "ids.h"
#include "markdown.h"
#include "parallel.h"
#include "record.h"
#include "xalloc.h"

#define PUSH(arr, count, cap, item)                                  \
	do {                                                         \
		(arr) = xgrow((arr), &(cap), (count) + 1, sizeof *(arr)); \
		(arr)[(count)++] = (item);                           \
	} while (0)

/* Where links are being checked: the body, how to report positions in
 * it, and who is linking. */
struct link_site {
	struct archive *a;
	const char *path;
	int line_base;  /* file line of the body's line 1 */
	int col_base;   /* added to columns: for one-line values in YAML */
	/* A YAML value whose text is not its source byte for byte: every
	 * position inside it is reported at the value's start. */
	bool fixed;
	int fixed_line, fixed_col;
	enum entry_kind kind;
	void *entry;
	struct note *note;
	bool warned_html;
	/* the file's bytes, to check columns against; NULL: read PATH
	 * again when a message needs them (articles drop theirs) */
	const char *src;
	/* When set, referrers wait here, to be added in order later: the
	 * articles are checked on several threads. */
	struct pending *pending;
};

/* Referrers found on a thread: each goes to LISTS[i] as ITEMS[i]. */
struct pending {
	struct reference_list **lists;
	struct reference *items;
	size_t count, cap, lists_cap;
};

static void push_referrer(struct reference_list *list, struct reference r)
{
	/* One referrer's links arrive together: skip repeats. */
	if (list->count > 0) {
		const struct reference *last = &list->items[list->count - 1];
		if (last->entry == r.entry && last->note == r.note)
			return;
	}
	PUSH(list->items, list->count, list->cap, r);
}

static void add_referrer(struct reference_list *list,
			 const struct link_site *site)
{
	struct reference r = {site->kind, site->entry, site->note};
	struct pending *p = site->pending;
	if (!p) {
		push_referrer(list, r);
		return;
	}
	p->lists = xgrow(p->lists, &p->lists_cap, p->count + 1,
			 sizeof *p->lists);
	p->items = xgrow(p->items, &p->cap, p->count + 1, sizeof *p->items);
	p->lists[p->count] = list;
	p->items[p->count++] = r;
}

static const char *kind_word(enum entry_kind kind)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return "article";
	case ENTRY_PARTY:
		return "party";
	case ENTRY_PROPOSAL:
		return "proposal";
	default:
		return "page";
	}
}

static const char *kind_dir(enum entry_kind kind)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return "articles";
	case ENTRY_PARTY:
		return "parties";
	case ENTRY_PROPOSAL:
		return "proposals";
	default:
		return "pages";
	}
}

/* COL when the file's line LINE has the start of a link or image there
 * ('[', '!' or '<'); otherwise 0, for a column cmark got wrong. */
static int checked_col(const struct link_site *site, int line, int col)
{
	char *read = NULL;
	size_t read_len;
	const char *p = site->src;
	if (!p && read_file(site->path, (size_t)-1, &read, &read_len) == 0)
		p = read;
	int checked = 0;
	for (int l = 1; p && l < line; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (p && line >= 1 && col >= 1) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if ((size_t)col <= len && (p[col - 1] == '[' ||
					   p[col - 1] == '!' || p[col - 1] == '<'))
			checked = col;
	}
	free(read);
	return checked;
}

static void node_position(const struct link_site *site, cmark_node *n,
			  int *line, int *col)
{
	if (site->fixed) {
		*line = site->fixed_line;
		*col = site->fixed_col;
		return;
	}
	int l, c;
	md_position(n, &l, &c);
	*line = site->line_base + l - 1;
	*col = checked_col(site, *line, site->col_base + c);
}

/* The archive's map of the IDs of entries of KIND. */
static const struct map *map_of(const struct archive *a, enum entry_kind kind)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return &a->article_map;
	case ENTRY_PARTY:
		return &a->party_map;
	case ENTRY_PROPOSAL:
		return &a->proposal_map;
	default:
		return &a->page_map;
	}
}

static void check_entry_link(struct link_site *site, cmark_node *link,
			     enum entry_kind kind, const char *id,
			     struct diag *d)
{
	struct archive *a = site->a;
	int line = 0, col = 0;
	const char *problem = id_problem(id, strlen(id));
	/* Where the link is costs a walk of its file: only for messages. */
	if (cmark_node_get_type(link) == CMARK_NODE_IMAGE || problem ||
	    !map_get(map_of(a, kind), id))
		node_position(site, link, &line, &col);
	if (cmark_node_get_type(link) == CMARK_NODE_IMAGE) {
		diag_error(d, site->path, line, col, "an image cannot show the "
			   "%s '%s'; use a link: [text](%s:%s)", kind_word(kind),
			   id, kind_word(kind), id);
		return;
	}
	if (problem) {
		char *hint = id_suggest(id, strlen(id));
		diag_error(d, site->path, line, col,
			   "malformed ID in link '%s:%s': %s%s%s%s",
			   kind_word(kind), id, problem,
			   hint[0] ? "; did you mean '" : "", hint,
			   hint[0] ? "'?" : "");
		free(hint);
		return;
	}
	void *target = map_get(map_of(a, kind), id);
	if (!target) {
		diag_error(d, site->path, line, col,
			   "unknown %s '%s' in link; there is no %s/%s.md",
			   kind_word(kind), id, kind_dir(kind), id);
		return;
	}
	if (site->note)
		site->note->entry_links++;
	if (target == site->entry)
		return;
	if (kind == ENTRY_PARTY)
		add_referrer(&((struct party *)target)->referrers, site);
	else if (kind == ENTRY_PROPOSAL)
		add_referrer(&((struct proposal *)target)->referrers, site);
}

/* Calls FN with ARG for each node of the blocks FIRST up to END (NULL:
 * to the end) that checking links looks at: raw HTML, links and images,
 * in document order. */
static void each_link(cmark_node *first, cmark_node *end,
		      void (*fn)(void *arg, cmark_node *n,
				 cmark_node_type type),
		      void *arg)
{
	for (cmark_node *block = first; block && block != end;
	     block = cmark_node_next(block)) {
		cmark_iter *it = cmark_iter_new(block);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			cmark_node_type type = cmark_node_get_type(n);
			if (ev == CMARK_EVENT_ENTER &&
			    (type == CMARK_NODE_HTML_BLOCK ||
			     type == CMARK_NODE_HTML_INLINE ||
			     type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE))
				fn(arg, n, type);
		}
		cmark_iter_free(it);
	}
}

struct link_check {
	struct link_site *site;
	struct diag *d;
};

static void check_node(void *arg, cmark_node *n, cmark_node_type type)
{
	struct link_check *k = arg;
	struct link_site *site = k->site;
	int line = 0, col = 0;
	if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
		if (!site->warned_html) {
			site->warned_html = true;
			node_position(site, n, &line, &col);
			diag_warning(k->d, site->path, line, col,
				     "raw HTML is not rendered; write it as "
				     "Markdown");
		}
		return;
	}
	enum entry_kind kind;
	const char *id = NULL;
	const char *url = cmark_node_get_url(n);
	switch (md_link_class(url ? url : "", &kind, &id)) {
	case LINK_ENTRY:
		check_entry_link(site, n, kind, id, k->d);
		break;
	case LINK_UNSAFE:
		node_position(site, n, &line, &col);
		diag_warning(k->d, site->path, line, col,
			     "link to '%s' dropped: only http, https, "
			     "mailto, entry and relative links are kept", url);
		break;
	default:
		break;
	}
}

/* Checks the links of the blocks FIRST up to END (NULL: to the end). */
static void check_blocks(struct link_site *site, cmark_node *first,
			 cmark_node *end, struct diag *d)
{
	struct link_check k = {site, d};
	each_link(first, end, check_node, &k);
}

/* Calls FN with ARG for each part of ART's body whose links are checked
 * together: the introduction (NOTE NULL), then each block quote and the
 * note after it, up to the next. The links of a note are the note's,
 * even in its quote; a quote that failed to anchor has NOTE NULL. */
static void each_part(struct article *art,
		      void (*fn)(void *arg, cmark_node *first, cmark_node *end,
				 struct note *note),
		      void *arg)
{
	fn(arg, cmark_node_first_child(art->body.doc), art->intro_end, NULL);
	for (cmark_node *q = art->intro_end; q;) {
		cmark_node *end = cmark_node_next(q);
		while (end && cmark_node_get_type(end) != CMARK_NODE_BLOCK_QUOTE)
			end = cmark_node_next(end);
		struct note *note = NULL;
		for (size_t j = 0; j < art->note_count && !note; j++)
			if (art->notes[j].quote == q)
				note = &art->notes[j];
		fn(arg, q, end, note);
		q = end;
	}
}

static void check_part(void *arg, cmark_node *first, cmark_node *end,
		       struct note *note)
{
	struct link_check *k = arg;
	k->site->note = note;
	each_link(first, end, check_node, k);
}

/* ---- the links of an article's record in the annotation cache ---- */

struct link_record {
	const struct note *notes; /* the body's, or NULL */
	const struct note *note;
	struct buf *links; /* each link as the record holds it */
	uint32_t count;
	bool needs_tree;
};

static void record_node(void *arg, cmark_node *n, cmark_node_type type)
{
	struct link_record *r = arg;
	enum entry_kind kind;
	const char *id = NULL;
	const char *url = cmark_node_get_url(n);
	if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
		r->needs_tree = true;
		return;
	}
	switch (md_link_class(url ? url : "", &kind, &id)) {
	case LINK_ENTRY:
		if (type == CMARK_NODE_IMAGE || id_problem(id, strlen(id))) {
			r->needs_tree = true;
			return;
		}
		record_put_u32(r->links, r->note ? (uint32_t)(r->note -
							    r->notes) + 1
						 : 0);
		record_put_u32(r->links, (uint32_t)kind);
		record_put_u32(r->links, (uint32_t)strlen(id));
		buf_adds(r->links, id);
		r->count++;
		break;
	case LINK_UNSAFE:
		r->needs_tree = true;
		break;
	default:
		break;
	}
}

static void record_part(void *arg, cmark_node *first, cmark_node *end,
			struct note *note)
{
	struct link_record *r = arg;
	r->note = note;
	each_link(first, end, record_node, r);
}

/* Writes R's links to OUT as the record holds them. */
static void put_links(const struct link_record *r, const struct buf *links,
		      struct buf *out)
{
	record_put_u32(out, r->needs_tree);
	if (!r->needs_tree) {
		record_put_u32(out, r->count);
		buf_add(out, links->data, links->len);
	}
}

void relations_link_record(struct article *art, struct buf *out)
{
	struct buf links;
	buf_init(&links);
	struct link_record r = {art->notes, NULL, &links, 0, false};
	each_part(art, record_part, &r);
	put_links(&r, &links, out);
	buf_release(&links);
}

void relations_proposal_link_record(struct proposal *p, struct buf *out)
{
	struct buf links;
	buf_init(&links);
	struct link_record r = {NULL, NULL, &links, 0, false};
	if (p->body.doc)
		record_part(&r, cmark_node_first_child(p->body.doc), NULL, NULL);
	for (size_t j = 0; j < p->term_count; j++)
		record_part(&r, cmark_node_first_child(p->terms[j].doc), NULL,
			    NULL);
	put_links(&r, &links, out);
	buf_release(&links);
}

bool relations_read_links(struct link_list *out, size_t note_count,
			  struct record_reader *r)
{
	uint32_t needs_tree = record_get_u32(r);
	if (!r->ok || needs_tree > 1)
		return false;
	if (needs_tree)
		return true;
	uint32_t count = record_get_u32(r);
	/* Each link takes at least 13 bytes of the record. */
	if (!r->ok || count > (size_t)(r->end - r->p) / 13)
		return false;
	/* The IDs' bytes first, for one block of the right size: grown a
	 * link at a time, the block cost more than the rest (30,000
	 * records in a rebuild of 10,000 articles). */
	size_t bytes = 1;
	struct record_reader ahead = *r;
	for (uint32_t i = 0; ahead.ok && i < count; i++) {
		record_get_u32(&ahead);
		record_get_u32(&ahead);
		uint32_t len = record_get_u32(&ahead);
		if (!ahead.ok || len > (size_t)(ahead.end - ahead.p))
			break;
		ahead.p += len;
		bytes += len + 1;
	}
	struct cached_link *links = xcalloc(count + 1, sizeof *links);
	char *ids = xmalloc(bytes);
	size_t used = 0;
	bool ok = true;
	for (uint32_t i = 0; ok && i < count; i++) {
		uint32_t note = record_get_u32(r);
		uint32_t kind = record_get_u32(r);
		uint32_t len = record_get_u32(r);
		ok = r->ok && note <= note_count && kind <= ENTRY_PAGE &&
		     len > 0 && len <= (size_t)(r->end - r->p) &&
		     len + 1 < bytes - used && !memchr(r->p, '\0', len);
		if (!ok)
			break;
		links[i] = (struct cached_link){note, (enum entry_kind)kind,
						(uint32_t)used};
		memcpy(ids + used, r->p, len);
		ids[used + len] = '\0';
		used += len + 1;
		r->p += len;
	}
	if (!ok) {
		free(links);
		free(ids);
		r->ok = false;
		return false;
	}
	ids[used] = '\0';
	out->items = links;
	out->count = count;
	out->ids = ids;
	out->cached = true;
	return true;
}

void relations_forget_links(struct link_list *l)
{
	free(l->items);
	free(l->ids);
	*l = (struct link_list){0};
}

/* A thread's room for the targets of one article's cached links. */
struct target_scratch {
	void **v;
	size_t cap;
};

/* Records LINKS, of a body whose notes are NOTES (NULL: none), from the
 * cache, as checking them on its tree would: false, with nothing
 * recorded, when one of them names an entry that does not exist, whose
 * message needs the tree. */
static bool replay_links(struct link_site *site, const struct link_list *links,
			 struct note *notes, struct target_scratch *found)
{
	/* Each target looked up once: every one must exist before any
	 * referrer is added. */
	found->v = xgrow(found->v, &found->cap, links->count + 1,
			 sizeof *found->v);
	for (size_t i = 0; i < links->count; i++) {
		found->v[i] = map_get(map_of(site->a, links->items[i].kind),
				      links->ids + links->items[i].id);
		if (!found->v[i])
			return false;
	}
	for (size_t i = 0; i < links->count; i++) {
		const struct cached_link *l = &links->items[i];
		void *target = found->v[i];
		site->note = l->note ? &notes[l->note - 1] : NULL;
		if (site->note)
			site->note->entry_links++;
		if (target == site->entry)
			continue;
		if (l->kind == ENTRY_PARTY)
			add_referrer(&((struct party *)target)->referrers, site);
		else if (l->kind == ENTRY_PROPOSAL)
			add_referrer(&((struct proposal *)target)->referrers,
				     site);
	}
	return true;
}

static void check_body(struct archive *a, const char *path, const char *src,
		       const struct body *b, enum entry_kind kind, void *entry,
		       struct diag *d)
{
	struct link_site site = {a, path, b->first_line, 0, false, 0, 0, kind,
				 entry, NULL, false, src};
	if (b->doc)
		check_blocks(&site, cmark_node_first_child(b->doc), NULL, d);
}

/* Each article's and proposal's links, checked on a thread of their
 * own: messages and referrers kept, to be passed on in the order of
 * articles, then proposals. */
struct entry_links {
	struct archive *a;
	struct diag *diags;
	struct pending *pending;
	struct target_scratch *scratch; /* per thread */
};

static void check_article(void *arg, size_t i, unsigned worker)
{
	struct entry_links *l = arg;
	struct article *art = l->a->articles[i];
	struct diag *d = &l->diags[i];
	diag_init_kept(d);
	if (!art->has_body)
		return;
	struct link_site site = {l->a, art->md_path, art->body.first_line,
				 0, false, 0, 0, ENTRY_ARTICLE, art, NULL,
				 false, NULL, &l->pending[i]};
	if (art->links.cached && !art->tree_ready &&
	    replay_links(&site, &art->links, art->notes, &l->scratch[worker]))
		return;
	article_tree(l->a, art);
	struct link_check k = {&site, d};
	each_part(art, check_part, &k);
}

/* A proposal's body and terms: each term is a one-line YAML value. */
static void check_proposal(void *arg, size_t i, unsigned worker)
{
	struct entry_links *l = arg;
	struct proposal *p = l->a->proposals[i];
	struct diag *d = &l->diags[i];
	struct pending *pending = &l->pending[i];
	diag_init_kept(d);
	struct link_site site = {l->a, p->path, p->body.first_line, 0, false,
				 0, 0, ENTRY_PROPOSAL, p, NULL, false, p->source,
				 pending};
	if (p->links.cached && !p->tree_ready &&
	    replay_links(&site, &p->links, NULL, &l->scratch[worker]))
		return;
	proposal_tree(l->a, p);
	if (p->body.doc)
		check_blocks(&site, cmark_node_first_child(p->body.doc), NULL,
			     d);
	const struct ynode *terms = ynode_get(p->fm.root, "terms");
	for (size_t j = 0; j < p->term_count; j++) {
		const struct ynode *t = terms->items[j];
		struct link_site term = {l->a, p->path, t->line,
					 t->value_col - 1, t->value_col == 0,
					 t->line, t->col, ENTRY_PROPOSAL, p,
					 NULL, false, p->source, pending};
		check_blocks(&term, cmark_node_first_child(p->terms[j].doc),
			     NULL, d);
	}
}

/* The referrers the entries' checks left pending, pushed in entry order
 * by PARTS threads: each takes the lists of its share of the targets,
 * so that every list still gets its referrers in that order. */
struct pushing {
	struct pending *pending;
	size_t count;
	unsigned parts;
};

static size_t list_part(const struct reference_list *list, unsigned parts)
{
	return ((uintptr_t)list / sizeof *list) % parts;
}

static void push_part(void *arg, size_t part, unsigned worker)
{
	(void)worker;
	const struct pushing *ps = arg;
	for (size_t i = 0; i < ps->count; i++) {
		const struct pending *p = &ps->pending[i];
		for (size_t k = 0; k < p->count; k++)
			if (list_part(p->lists[k], ps->parts) == part)
				push_referrer(p->lists[k], p->items[k]);
	}
}

/* Checks COUNT entries' links with FN on THREADS threads, then passes
 * their messages and referrers on in entry order. */
static void check_all(struct archive *a, size_t count, unsigned threads,
		      void (*fn)(void *, size_t, unsigned), struct diag *d)
{
	unsigned workers = threads ? threads : 1;
	struct entry_links l = {a, xcalloc(count + 1, sizeof *l.diags),
				xcalloc(count + 1, sizeof *l.pending),
				xcalloc(workers, sizeof *l.scratch)};
	parallel_for(count, threads, fn, &l);
	for (size_t i = 0; i < count; i++)
		diag_pass_on(d, &l.diags[i]);
	struct pushing ps = {l.pending, count, workers};
	parallel_for(workers, workers, push_part, &ps);
	for (size_t i = 0; i < count; i++) {
		free(l.pending[i].lists);
		free(l.pending[i].items);
	}
	for (unsigned w = 0; w < workers; w++)
		free(l.scratch[w].v);
	free(l.scratch);
	free(l.diags);
	free(l.pending);
}

void relations_check_links(struct archive *a, unsigned threads,
			   struct diag *d)
{
	check_all(a, a->article_count, threads, check_article, d);
	for (size_t i = 0; i < a->party_count; i++)
		check_body(a, a->parties[i]->path, a->parties[i]->source,
			   &a->parties[i]->body, ENTRY_PARTY, a->parties[i], d);
	check_all(a, a->proposal_count, threads, check_proposal, d);
	for (size_t i = 0; i < a->page_count; i++)
		check_body(a, a->pages[i]->path, a->pages[i]->source,
			   &a->pages[i]->body, ENTRY_PAGE, a->pages[i], d);
	if (a->index)
		check_body(a, a->index->path, a->index->source,
			   &a->index->body, ENTRY_INDEX, a->index, d);
}

static int compare_proposal_dates(const void *x, const void *y)
{
	const struct proposal *a = *(struct proposal *const *)x;
	const struct proposal *b = *(struct proposal *const *)y;
	int c = date_compare(&a->date, &b->date);
	return c ? c : strcmp(a->id, b->id);
}

static int compare_article_dates(const void *x, const void *y)
{
	const struct article *a = *(struct article *const *)x;
	const struct article *b = *(struct article *const *)y;
	int c = date_compare(&a->date, &b->date);
	return c ? c : strcmp(a->id, b->id);
}

void sort_proposals_by_date(struct proposal **arr, size_t count)
{
	if (count > 1)
		qsort(arr, count, sizeof *arr, compare_proposal_dates);
}

void sort_articles_by_date(struct article **arr, size_t count)
{
	if (count > 1)
		qsort(arr, count, sizeof *arr, compare_article_dates);
}

/* Adds ART to P's coverage once: MARK[article index] remembers the last
 * proposal that took it. */
static void cover(struct proposal *p, struct article *art, size_t *mark)
{
	if (mark[art->index] == p->index + 1)
		return;
	mark[art->index] = p->index + 1;
	PUSH(p->coverage, p->coverage_count, p->coverage_cap, art);
}

void relations_derive(struct archive *a)
{
	size_t n = a->proposal_count;
	struct proposal **by_date = xcalloc(n, sizeof *by_date);
	size_t *mark = xcalloc(a->article_count, sizeof *mark);
	size_t *covered_cap = xcalloc(a->article_count, sizeof *covered_cap);
	if (n)
		memcpy(by_date, a->proposals, n * sizeof *by_date);
	sort_proposals_by_date(by_date, n);
	for (size_t i = 0; i < a->article_count; i++)
		a->articles[i]->index = i;

	/* Articles name proposals in front matter: invert once, so that
	 * each proposal below gathers its coverage in one go and the mark
	 * (the last proposal that took an article) dedupes it. */
	struct article ***named_by = xcalloc(a->proposal_count + 1, sizeof *named_by);
	size_t *named_count = xcalloc(a->proposal_count + 1, sizeof *named_count);
	size_t *named_cap = xcalloc(a->proposal_count + 1, sizeof *named_cap);
	for (size_t i = 0; i < a->article_count; i++) {
		struct article *art = a->articles[i];
		for (size_t j = 0; j < art->proposal_count; j++) {
			size_t k = art->proposals[j]->index;
			PUSH(named_by[k], named_count[k], named_cap[k], art);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct proposal *p = by_date[i];
		for (size_t j = 0; j < p->proposed_by_count; j++)
			PUSH(p->proposed_by[j]->proposed, p->proposed_by[j]->proposed_count,
			     p->proposed_by[j]->proposed_cap, p);
		for (size_t j = 0; j < p->mediator_count; j++)
			PUSH(p->mediators[j]->mediated, p->mediators[j]->mediated_count,
			     p->mediators[j]->mediated_cap, p);
		for (size_t j = 0; j < p->addressed_count; j++)
			PUSH(p->addressed_to[j]->addressed,
			     p->addressed_to[j]->addressed_count,
			     p->addressed_to[j]->addressed_cap, p);
		for (size_t j = 0; j < named_count[p->index]; j++)
			cover(p, named_by[p->index][j], mark);
		for (size_t j = 0; j < p->position_count; j++) {
			struct position *pos = &p->positions[j];
			if (pos->party)
				PUSH(pos->party->positions, pos->party->position_count,
				     pos->party->position_cap, pos);
			if (pos->source)
				cover(p, pos->source, mark);
		}
		for (size_t j = 0; j < p->referrers.count; j++)
			if (p->referrers.items[j].kind == ENTRY_ARTICLE)
				cover(p, p->referrers.items[j].entry, mark);
		sort_articles_by_date(p->coverage, p->coverage_count);
		/* In date order of proposals, so each article's list is too. */
		for (size_t j = 0; j < p->coverage_count; j++) {
			struct article *art = p->coverage[j];
			PUSH(art->covered, art->covered_count,
			     covered_cap[art->index], p);
		}
	}

	/* Parties named in front matter count as named with no mention. */
	for (size_t i = 0; i < a->article_count; i++) {
		struct article *art = a->articles[i];
		size_t cap = 0;
		for (size_t j = 0; j < art->mention_count; j++)
			PUSH(art->named, art->named_count, cap, art->mentions[j].party);
		for (size_t j = 0; j < art->party_count; j++) {
			struct party *p = art->parties[j];
			bool found = false;
			for (size_t k = 0; k < art->mention_count && !found; k++)
				found = art->mentions[k].party == p;
			if (found)
				continue;
			PUSH(art->named, art->named_count, cap, p);
			struct mention m = {p, art, 0};
			PUSH(p->mentions, p->mention_count, p->mention_cap, m);
		}
	}
	for (size_t i = 0; i < a->proposal_count; i++)
		free(named_by[i]);
	free(named_by);
	free(named_count);
	free(named_cap);
	free(covered_cap);
	free(mark);
	free(by_date);
}
