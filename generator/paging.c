#include "paging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xalloc.h"

void paging_cut(struct paging *pg, enum paging_mode mode, const char *dir,
		const struct date *const *dates, const size_t *weights,
		size_t n, size_t max)
{
	size_t page_cap = 0, year_cap = 0, weight = 0;
	memset(pg, 0, sizeof *pg);
	pg->mode = mode;
	pg->dir = dir;
	pg->dates = dates;

	struct buf root;
	buf_init(&root);
	for (const char *s = dir; *s; s++)
		if (*s == '/')
			buf_adds(&root, "../");
	if (mode == PAGING_BY_YEAR)
		buf_adds(&root, "../");
	pg->root = buf_detach(&root, NULL);

	for (size_t i = 0; i < n; i++) {
		int year = dates[i]->year;
		size_t wi = weights ? weights[i] : 1;
		bool new_year = pg->year_count == 0 ||
				pg->years[pg->year_count - 1].year != year;
		bool full = pg->page_count && weight + wi > max &&
			    pg->pages[pg->page_count - 1].from < i;
		if (pg->page_count == 0 || full ||
		    (new_year && mode == PAGING_BY_YEAR)) {
			pg->pages =
			    xgrow(pg->pages, &page_cap, pg->page_count + 1,
				  sizeof *pg->pages);
			struct paging_page p = {year, 1, 1, i, i};
			/* A part after the first of its year (or list). */
			if (pg->page_count &&
			    (mode == PAGING_PACKED || !new_year))
				p.part = pg->pages[pg->page_count - 1].part + 1;
			pg->pages[pg->page_count++] = p;
			weight = 0;
		}
		if (new_year) {
			pg->years =
			    xgrow(pg->years, &year_cap, pg->year_count + 1,
				  sizeof *pg->years);
			struct paging_year y = {year, i, i, pg->page_count - 1};
			pg->years[pg->year_count++] = y;
		}
		weight += wi;
		pg->pages[pg->page_count - 1].to = i + 1;
		pg->years[pg->year_count - 1].to = i + 1;
	}
	/* Each part learns how many parts its year (or the list) has,
	 * walking back from the last. */
	size_t parts = 0;
	for (size_t k = pg->page_count; k-- > 0;) {
		struct paging_page *p = &pg->pages[k];
		if (k + 1 == pg->page_count || pg->pages[k + 1].part == 1)
			parts = p->part;
		p->parts = parts;
	}
}

void paging_release(struct paging *pg)
{
	free(pg->root);
	free(pg->pages);
	free(pg->years);
	memset(pg, 0, sizeof *pg);
}

void paging_span(const struct paging *pg, size_t k, size_t *from, size_t *to)
{
	const struct paging_page *p = &pg->pages[k];
	*from = pg->pages[k - (p->part - 1)].from;
	*to = pg->pages[k - p->part + p->parts].to;
}

void paging_url(const struct paging *pg, struct buf *out, const char *root,
		size_t k)
{
	const struct paging_page *p = &pg->pages[k];
	buf_adds(out, root);
	buf_adds(out, pg->dir);
	if (pg->mode == PAGING_BY_YEAR)
		buf_addf(out, "%04d/", p->year);
	if (p->part == 1)
		buf_adds(out, "index.html");
	else
		buf_addf(out, "%zu.html", p->part);
}

void paging_year_url(const struct paging *pg, struct buf *out, const char *root,
		     size_t y)
{
	paging_url(pg, out, root, pg->years[y].page);
	if (pg->mode == PAGING_PACKED)
		buf_addf(out, "#y-%04d", pg->years[y].year);
}

static void add_count(struct buf *b, size_t n, const char *one,
		      const char *many)
{
	buf_addf(b, "%zu %s", n, n == 1 ? one : many);
}

void paging_years(struct ctx *c, xmlNodePtr parent, const struct paging *pg,
		  int current, const char *one, const char *many)
{
	if (!pg->year_count)
		return;
	xmlNodePtr ul = html_elc(parent, "ul", "years");
	for (size_t y = 0; y < pg->year_count; y++) {
		const struct paging_year *yr = &pg->years[y];
		xmlNodePtr li = html_el(ul, "li");
		buf_reset(&c->text);
		buf_addf(&c->text, "%04d", yr->year);
		if (yr->year == current) {
			html_attr(html_el_text(li, "span", c->text.data),
				  "aria-current", "page");
		} else {
			buf_reset(&c->href);
			paging_year_url(pg, &c->href, c->root, y);
			html_link(li, c->href.data, c->text.data);
		}
		buf_reset(&c->text);
		buf_adds(&c->text, " ");
		add_count(&c->text, yr->to - yr->from, one, many);
		html_text(html_elc(li, "span", "count"), c->text.data);
	}
}

/* "12 March 2015 – 30 June 2015", or one date when both are the same. */
static void range_label(struct buf *b, const struct date *first,
			const struct date *last)
{
	date_shown(b, first);
	if (date_compare(first, last) != 0) {
		buf_adds(b, " \u2013 ");
		date_shown(b, last);
	}
}

/* The parts of page K's year (or list), each labelled by its dates. */
static void add_parts(struct ctx *c, xmlNodePtr slot, const struct paging *pg,
		      size_t k)
{
	const struct paging_page *cur = &pg->pages[k];
	size_t first = k - (cur->part - 1);
	buf_reset(&c->text);
	if (pg->mode == PAGING_BY_YEAR)
		buf_addf(&c->text, "%04d is on %zu pages; this is page %zu.",
			 cur->year, cur->parts, cur->part);
	else
		buf_addf(&c->text,
			 "The list is on %zu pages; this is page "
			 "%zu.",
			 cur->parts, cur->part);
	html_text(html_el(slot, "p"), c->text.data);
	xmlNodePtr ol = html_elc(slot, "ol", "parts");
	for (size_t j = first; j < first + cur->parts; j++) {
		const struct paging_page *p = &pg->pages[j];
		xmlNodePtr li = html_el(ol, "li");
		buf_reset(&c->text);
		buf_addf(&c->text, "Page %zu: ", p->part);
		range_label(&c->text, pg->dates[p->from], pg->dates[p->to - 1]);
		if (j == k) {
			html_attr(html_el_text(li, "span", c->text.data),
				  "aria-current", "page");
		} else {
			buf_reset(&c->href);
			paging_url(pg, &c->href, c->root, j);
			html_link(li, c->href.data, c->text.data);
		}
	}
}

void paging_write(struct ctx *c, struct writer *w, const struct paging *pg,
		  const struct paging_frame *frame)
{
	const char *saved_root = c->root;
	size_t n = frame->crumb_count;
	struct crumb *crumbs = xcalloc(n + 1, sizeof *crumbs);
	struct buf title, last, rel;
	buf_init(&title);
	buf_init(&last);
	buf_init(&rel);
	if (n)
		memcpy(crumbs, frame->crumbs, n * sizeof *crumbs);
	c->root = pg->root;
	for (size_t k = 0; k < pg->page_count && !w->failed; k++) {
		const struct paging_page *p = &pg->pages[k];
		buf_reset(&title);
		buf_reset(&last);
		buf_adds(&title, frame->title);
		if (pg->mode == PAGING_BY_YEAR) {
			buf_addf(&title, ", %04d", p->year);
			buf_addf(&last, "%04d", p->year);
		} else {
			buf_adds(&last, frame->crumb);
		}
		if (p->parts > 1) {
			buf_addf(&title, " (page %zu of %zu)", p->part,
				 p->parts);
			buf_addf(&last, ", page %zu", p->part);
		}
		crumbs[n].href = NULL;
		crumbs[n].text = last.data;
		struct tpage *page =
		    page_begin(c, frame->kind, title.data, crumbs, n + 1);
		xmlNodePtr slot = tpage_slot(page, "years");
		if (slot)
			paging_years(c, slot, pg,
				     pg->mode == PAGING_BY_YEAR ? p->year : -1,
				     frame->one, frame->many);
		if (p->parts > 1 && (slot = tpage_slot(page, "parts")))
			add_parts(c, slot, pg, k);
		frame->fill(c, page, pg, k, frame->arg);
		buf_reset(&rel);
		paging_url(pg, &rel, "", k);
		page_end(c, w, page, rel.data);
	}
	c->root = saved_root;
	buf_release(&title);
	buf_release(&last);
	buf_release(&rel);
	free(crumbs);
}

xmlNodePtr paging_year_section(xmlNodePtr parent, int year, int level)
{
	char id[16], name[4] = {'h', (char)('0' + level), '\0', '\0'};
	xmlNodePtr sec = html_elc(parent, "section", "year");
	snprintf(id, sizeof id, "y-%04d", year);
	html_attr(sec, "aria-labelledby", id);
	xmlNodePtr h = html_el(sec, name);
	html_attr(h, "id", id);
	html_text(h, id + 2);
	return sec;
}
