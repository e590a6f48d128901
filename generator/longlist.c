#include "longlist.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xalloc.h"

/* An item with what orders it, for qsort, which takes no context. */
struct dated {
	const void *item;
	const struct date *date;
	int (*tie)(const void *a, const void *b);
};

static int compare_dated(const void *x, const void *y)
{
	const struct dated *a = x, *b = y;
	int cmp = date_compare(a->date, b->date);
	return cmp ? cmp : a->tie(a->item, b->item);
}

static const char *kind_folder(enum entry_kind kind)
{
	return kind == ENTRY_PARTY ? "parties" : "proposals";
}

void long_list_cut(struct long_list *l, const void *const *items, size_t n)
{
	l->count = 0;
	if (n <= l->shown)
		return;
	struct dated *d = xcalloc(n, sizeof *d);
	for (size_t i = 0; i < n; i++)
		d[i] = (struct dated){items[i], l->date_of(items[i]), l->tie};
	qsort(d, n, sizeof *d, compare_dated);
	l->by_date = xcalloc(n, sizeof *l->by_date);
	l->dates = xcalloc(n, sizeof *l->dates);
	for (size_t i = 0; i < n; i++) {
		l->by_date[i] = d[i].item;
		l->dates[i] = d[i].date;
	}
	free(d);
	l->count = n;
	struct buf dir;
	buf_init(&dir);
	buf_adds(&dir, kind_folder(l->kind));
	buf_addc(&dir, '/');
	buf_adds(&dir, l->id);
	buf_addc(&dir, '/');
	buf_adds(&dir, l->folder);
	buf_addc(&dir, '/');
	l->dir = buf_detach(&dir, NULL);
	paging_cut(&l->pg, PAGING_PACKED, l->dir, l->dates, NULL, n,
		   l->per_page);
}

void long_list_release(struct long_list *l)
{
	if (l->count)
		paging_release(&l->pg);
	free(l->by_date);
	free(l->dates);
	free(l->dir);
	l->by_date = NULL;
	l->dates = NULL;
	l->dir = NULL;
	l->count = 0;
}

void long_list_slot(struct ctx *c, xmlNodePtr slot, const struct long_list *l,
		    const void *const *items, size_t n)
{
	if (!l->count) {
		l->render(c, slot, items, n);
		return;
	}
	const void **latest = xcalloc(l->shown, sizeof *latest);
	for (size_t i = 0; i < l->shown; i++)
		latest[i] = l->by_date[l->count - 1 - i];
	l->render(c, slot, latest, l->shown);
	free(latest);
	long_list_more(c, slot, l);
}

void long_list_more(struct ctx *c, xmlNodePtr parent,
		    const struct long_list *l)
{
	xmlNodePtr more = html_elc(parent, "div", "more");
	xmlNodePtr para = html_el(more, "p");
	buf_reset(&c->text);
	if (l->above) {
		buf_adds(&c->text, l->above);
	} else {
		buf_adds(&c->text, "Above, the ");
		buf_addu(&c->text, l->shown, 0);
		buf_adds(&c->text, " latest of the ");
		buf_addu(&c->text, l->count, 0);
		buf_addf(&c->text, " %s %s. ", l->what, l->name);
	}
	html_text(para, c->text.data);
	buf_reset(&c->href);
	paging_url(&l->pg, &c->href, c->root, 0);
	buf_reset(&c->text);
	buf_adds(&c->text, "All ");
	buf_addu(&c->text, l->count, 0);
	buf_adds(&c->text, ", by date");
	html_link(para, c->href.data, c->text.data);
	html_text(para, ", from the year:");
	paging_years(c, more, &l->pg, -1, l->one, l->many);
}

static void fill_page(struct ctx *c, struct tpage *p, const struct paging *pg,
		      size_t k, void *arg)
{
	const struct long_list *l = arg;
	const struct paging_page *pp = &pg->pages[k];
	buf_reset(&c->text);
	if (l->lede) {
		buf_adds(&c->text, l->lede);
	} else {
		buf_adds(&c->text, "The ");
		buf_addu(&c->text, l->count, 0);
		buf_addf(&c->text, " %s %s, by date. The latest are also on ",
			 l->what, l->name);
	}
	tpage_set_text(p, "lede", c->text.data);
	xmlNodePtr lede = tpage_slot(p, "lede");
	if (lede) {
		link_entry(c, lede, l->kind, l->id,
			   l->kind == ENTRY_PARTY ? "the party's page"
						  : "the proposal's page",
			   NULL);
		html_text(lede, ".");
	}
	xmlNodePtr slot = tpage_slot(p, "articles");
	if (!slot)
		return;
	/* A year's items are rendered together, under its heading. */
	for (size_t i = pp->from; i < pp->to;) {
		size_t end = i + 1;
		while (end < pp->to && l->dates[end]->year == l->dates[i]->year)
			end++;
		xmlNodePtr sec = paging_year_section(slot, l->dates[i]->year, 2);
		l->render(c, sec, l->by_date + i, end - i);
		i = end;
	}
}

void long_list_write(struct ctx *c, struct writer *w, struct long_list *l)
{
	if (!l->count)
		return;
	struct buf href, title;
	buf_init(&href);
	buf_init(&title);
	entry_url(&href, "", l->kind, l->id);
	if (l->title) {
		buf_adds(&title, l->title);
	} else {
		/* "Positions of Setoba Front" */
		buf_addf(&title, "%s %s", l->what, l->name);
		if (title.data[0] >= 'a' && title.data[0] <= 'z')
			title.data[0] = (char)(title.data[0] - 'a' + 'A');
	}
	const struct crumb crumbs[] = {
	    {"index.html", "Home"},
	    l->kind == ENTRY_PARTY
		? (struct crumb){"parties/index.html", "Parties"}
		: (struct crumb){"proposals/index.html", "Proposals"},
	    {href.data, l->name}};
	const struct paging_frame frame = {TPL_ARTICLES, crumbs, 3, title.data,
					   l->heading, l->one, l->many,
					   fill_page, l};
	paging_write(c, w, &l->pg, &frame);
	buf_release(&href);
	buf_release(&title);
}
