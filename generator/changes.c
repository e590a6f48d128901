#include "changes.h"

#include <string.h>

#include "history.h"
#include "html.h"

/* Digits of a commit id in fragment ids and as shown. */
#define SHORT_ID 12

/* The note a shallow clone gets wherever history is shown. */
#define PARTIAL_NOTE "history partial: shallow clone"

bool have_changes(const struct ctx *c)
{
	return c->history && c->history->present;
}

static void change_href(struct ctx *c, const struct history_change *ch)
{
	buf_reset(&c->href);
	buf_adds(&c->href, c->root);
	buf_adds(&c->href, "changes.html");
	if (ch) {
		buf_adds(&c->href, "#c-");
		buf_add(&c->href, ch->id, SHORT_ID);
	}
}

static void add_commit_date(xmlNodePtr parent, const struct history_time *t)
{
	struct date date;
	history_date(t, &date);
	add_date(parent, &date);
}

void add_history(struct ctx *c, struct tpage *p, enum entry_kind kind,
		 const char *id)
{
	const struct history_entry *e = history_find(c->history, kind, id);
	xmlNodePtr slot = e ? tpage_slot(p, "history") : NULL;
	if (!slot)
		return;
	const struct history *h = c->history;
	xmlNodePtr para = html_elc(slot, "p", "history");
	change_href(c, e->last_change != HISTORY_NONE
			   ? &h->changes[e->last_change]
			   : NULL);
	xmlNodePtr a = html_link(para, c->href.data, "Last changed ");
	add_commit_date(a, &e->last);
	buf_reset(&c->text);
	buf_addf(&c->text, " \u00b7 %zu commit%s", e->commits,
		 e->commits == 1 ? "" : "s");
	if (h->partial)
		buf_adds(&c->text, " (" PARTIAL_NOTE ")");
	html_text(para, c->text.data);
}

static const char *const kind_names[] = {"Article", "Party", "Proposal", "Page",
					 "Home page"};

/* One entry a commit changed: linked by its title when the archive still
 * has it, its ID otherwise. */
static void add_changed_entry(struct ctx *c, xmlNodePtr ul,
			      const struct history_entry *e)
{
	const struct archive *a = c->a;
	xmlNodePtr li = html_el(ul, "li");
	if (e->kind == ENTRY_INDEX) {
		if (a->index) {
			buf_reset(&c->href);
			buf_adds(&c->href, c->root);
			buf_adds(&c->href, "index.html");
			html_link(li, c->href.data, kind_names[ENTRY_INDEX]);
		} else {
			html_text(li, kind_names[ENTRY_INDEX]);
			html_text(li, " (no longer in the archive)");
		}
		return;
	}
	const struct map *maps[] = {&a->article_map, &a->party_map,
				    &a->proposal_map, &a->page_map};
	const void *entry = map_get(maps[e->kind], e->id);
	html_text(li, kind_names[e->kind]);
	html_text(li, ": ");
	if (entry) {
		link_entry(c, li, e->kind, e->id, entry_title(e->kind, entry),
			   NULL);
	} else {
		html_text(html_elc(li, "span", "entry-id"), e->id);
		html_text(li, " (no longer in the archive)");
	}
}

static void add_change(struct ctx *c, xmlNodePtr ol,
		       const struct history_change *ch)
{
	xmlNodePtr li = html_elc(ol, "li", "change");
	buf_reset(&c->text);
	buf_adds(&c->text, "c-");
	buf_add(&c->text, ch->id, SHORT_ID);
	html_attr(li, "id", c->text.data);
	xmlNodePtr head = html_elc(li, "p", "change-head");
	add_commit_date(head, &ch->time);
	html_text(head, " ");
	html_text(html_elc(head, "span", "change-subject"),
		  *ch->subject ? ch->subject : "(no message)");
	html_text(head, " ");
	buf_reset(&c->text);
	buf_add(&c->text, ch->id, SHORT_ID);
	xmlNodePtr code = html_elc(head, "code", "commit");
	html_text(code, c->text.data);
	buf_reset(&c->text);
	buf_addf(&c->text, "Commit %s", ch->id);
	html_attr(code, "title", c->text.data);
	xmlNodePtr ul = html_elc(li, "ul", "change-files");
	for (size_t i = 0; i < ch->entry_count; i++)
		add_changed_entry(c, ul, ch->entries[i]);
	for (size_t i = 0; i < ch->other_count; i++)
		html_text(html_el(html_el(ul, "li"), "code"), ch->others[i]);
	size_t more = ch->entry_total - ch->entry_count + ch->other_total -
		      ch->other_count;
	if (more) {
		buf_reset(&c->text);
		buf_addf(&c->text, "and %zu more", more);
		html_text(html_elc(ul, "li", "more"), c->text.data);
	}
}

void build_changes(struct ctx *c, struct writer *w)
{
	if (!have_changes(c))
		return;
	const struct history *h = c->history;
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {NULL, "Recent changes"}};
	struct tpage *p =
	    page_begin(c, TPL_CHANGES, "Recent changes", crumbs, 2);
	buf_reset(&c->text);
	if (h->commit_count == h->change_count)
		buf_addf(&c->text,
			 "The %zu commit%s that changed the "
			 "archive's files, newest first, with what each "
			 "changed.",
			 h->commit_count, h->commit_count == 1 ? "" : "s");
	else
		buf_addf(&c->text,
			 "The latest %zu of the %zu commits that "
			 "changed the archive's files, newest first, with "
			 "what each changed.",
			 h->change_count, h->commit_count);
	buf_adds(&c->text, " Dates are the committer's, in the committer's "
			   "time zone.");
	tpage_set_text(p, "summary", c->text.data);
	if (h->partial)
		tpage_set_text(p, "partial",
			       "The history is partial: this copy of the "
			       "repository is a shallow clone, so older "
			       "commits are missing, and the oldest commit "
			       "shown counts every file it holds as changed.");
	xmlNodePtr slot = tpage_slot(p, "changes");
	if (slot) {
		xmlNodePtr ol = html_elc(slot, "ol", "changes");
		for (size_t i = 0; i < h->change_count; i++)
			add_change(c, ol, &h->changes[i]);
	}
	page_end(c, w, p, "changes.html");
}
