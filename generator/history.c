#include "history.h"

#include <git2.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "gitlib.h"
#include "ids.h"
#include "utf8.h"
#include "xalloc.h"

/* A commit found by the walk, before its changes are read. */
struct commit_ref {
	git_oid oid;
	char hex[41];
	struct history_time time;
};

/* A growable list of owned strings. */
struct strvec {
	char **v;
	size_t n, cap;
};

static void strvec_add(struct strvec *s, const char *str)
{
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = xstrdup(str);
}

static void strvec_clear(struct strvec *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static void strvec_release(struct strvec *s)
{
	strvec_clear(s);
	free(s->v);
	s->v = NULL;
	s->cap = 0;
}

struct walk {
	git_repository *repo;
	const char *prefix; /* the content folder in the repository; "" at
			       its top */
	struct history *h;
	struct buf path; /* scratch: the path being compared */
};

/* ---- the content folder's tree in a commit ---- */

/* Sets *OUT to the tree of the content folder in commit C, or NULL when
 * the commit has no such folder. Returns a libgit2 error code. */
static int content_tree(struct walk *w, const git_commit *c, git_tree **out)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	*out = NULL;
	int err = git_commit_tree(&root, c);
	if (err < 0)
		goto out;
	if (!*w->prefix) {
		*out = root;
		root = NULL;
		goto out;
	}
	err = git_tree_entry_bypath(&e, root, w->prefix);
	if (err == GIT_ENOTFOUND) {
		err = 0;
		goto out;
	}
	if (err == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		err = git_tree_lookup(out, w->repo, git_tree_entry_id(e));
out:
	git_tree_entry_free(e);
	git_tree_free(root);
	return err;
}

static bool same_tree(const git_tree *a, const git_tree *b)
{
	if (!a || !b)
		return a == b;
	return git_oid_equal(git_tree_id(a), git_tree_id(b));
}

/* ---- comparing trees ---- */

static int diff_trees(struct walk *w, const git_tree *a, const git_tree *b,
		      struct strvec *out);

/* Compares the entries EA and EB of the same name (either may be NULL:
 * absent on that side), appending the paths that differ below the
 * current path. */
static int diff_entries(struct walk *w, const git_tree_entry *ea,
			const git_tree_entry *eb, struct strvec *out)
{
	bool ta = ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE;
	bool tb = eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE;
	size_t len = w->path.len;
	int err = 0;
	if (ea && eb &&
	    git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
	    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
		return 0;
	/* A file that became a folder, or the reverse: two changes. */
	if (ea && eb && ta != tb) {
		err = diff_entries(w, ea, NULL, out);
		return err < 0 ? err : diff_entries(w, NULL, eb, out);
	}
	const git_tree_entry *any = ea ? ea : eb;
	if (len)
		buf_addc(&w->path, '/');
	buf_adds(&w->path, git_tree_entry_name(any));
	if (ta || tb) {
		git_tree *sa = NULL, *sb = NULL;
		if (ea)
			err = git_tree_lookup(&sa, w->repo,
					      git_tree_entry_id(ea));
		if (err == 0 && eb)
			err = git_tree_lookup(&sb, w->repo,
					      git_tree_entry_id(eb));
		if (err == 0)
			err = diff_trees(w, sa, sb, out);
		git_tree_free(sa);
		git_tree_free(sb);
	} else {
		strvec_add(out, w->path.data);
	}
	w->path.len = len;
	w->path.data[len] = '\0';
	return err;
}

/* Appends to OUT every path below the current one that differs between
 * trees A and B (NULL: an empty tree). Both list their entries in git's
 * order, so one pass over the two lists pairs them; a subtree whose id is
 * the same on both sides is not opened. */
static int diff_trees(struct walk *w, const git_tree *a, const git_tree *b,
		      struct strvec *out)
{
	size_t na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	int err = 0;
	while (err == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea =
		    i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb =
		    j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		if (cmp == 0)
			i++, j++;
		else if (cmp < 0)
			i++, eb = NULL;
		else
			j++, ea = NULL;
		err = diff_entries(w, ea, eb, out);
	}
	return err;
}

/* ---- what a commit changed ---- */

/* Sets *OUT to parent N's content tree; a parent missing from a shallow
 * (or otherwise incomplete) repository counts as empty and makes the
 * history partial. */
static int parent_tree(struct walk *w, const git_commit *c, unsigned n,
		       git_tree **out)
{
	git_commit *p = NULL;
	*out = NULL;
	int err = git_commit_parent(&p, c, n);
	if (err == GIT_ENOTFOUND) {
		w->h->partial = true;
		return 0;
	}
	if (err == 0)
		err = content_tree(w, p, out);
	git_commit_free(p);
	return err;
}

/* Sets OUT to the content-relative paths commit C changed. */
static int commit_changes(struct walk *w, const git_commit *c,
			  struct strvec *out)
{
	unsigned parents = git_commit_parentcount(c);
	git_tree *tree = NULL, **ptrees = NULL;
	struct strvec other = {0};
	struct map seen;
	map_init(&seen);
	int err = content_tree(w, c, &tree);
	if (err < 0)
		goto out;
	ptrees = xcalloc(parents + 1, sizeof *ptrees);
	for (unsigned k = 0; k < parents && err == 0; k++)
		err = parent_tree(w, c, k, &ptrees[k]);
	if (err < 0)
		goto out;
	/* A merge whose folder is one parent's changed nothing of its own:
	 * the usual case, found without opening a tree. */
	for (unsigned k = 0; k < parents; k++)
		if (parents > 1 && same_tree(tree, ptrees[k]))
			goto out;
	if (parents == 0 || !same_tree(tree, ptrees[0])) {
		buf_reset(&w->path);
		err = diff_trees(w, ptrees[0], tree, out);
	}
	/* A merge changed what differs from every parent. */
	for (unsigned k = 1; k < parents && err == 0 && out->n; k++) {
		buf_reset(&w->path);
		strvec_clear(&other);
		map_release(&seen);
		err = diff_trees(w, ptrees[k], tree, &other);
		for (size_t i = 0; i < other.n; i++)
			map_put(&seen, other.v[i], other.v[i]);
		size_t kept = 0;
		for (size_t i = 0; i < out->n; i++) {
			if (map_get(&seen, out->v[i]))
				out->v[kept++] = out->v[i];
			else
				free(out->v[i]);
		}
		out->n = kept;
	}
out:
	map_release(&seen);
	strvec_release(&other);
	for (unsigned k = 0; ptrees && k < parents; k++)
		git_tree_free(ptrees[k]);
	free(ptrees);
	git_tree_free(tree);
	return err;
}

/* ---- recording ---- */

static const struct {
	const char *dir;
	enum entry_kind kind;
} entry_dirs[] = {
    {"articles/", ENTRY_ARTICLE},
    {"parties/", ENTRY_PARTY},
    {"proposals/", ENTRY_PROPOSAL},
    {"pages/", ENTRY_PAGE},
};

/* Sets KEY to the entry key of content-relative PATH and *KIND to its
 * kind; false when PATH is no entry's file (SPEC §2's layout). */
static bool entry_of(const char *path, struct buf *key, enum entry_kind *kind)
{
	buf_reset(key);
	if (strcmp(path, "index.md") == 0) {
		*kind = ENTRY_INDEX;
		buf_adds(key, "index");
		return true;
	}
	for (size_t i = 0; i < sizeof entry_dirs / sizeof *entry_dirs; i++) {
		size_t dl = strlen(entry_dirs[i].dir);
		if (strncmp(path, entry_dirs[i].dir, dl) != 0)
			continue;
		const char *name = path + dl, *dot = strrchr(name, '.');
		if (!dot || strcmp(dot, ".md") != 0) {
			if (!dot || entry_dirs[i].kind != ENTRY_ARTICLE ||
			    strcmp(dot, ".txt") != 0)
				return false;
		}
		if (id_problem(name, (size_t)(dot - name)))
			return false;
		*kind = entry_dirs[i].kind;
		buf_add(key, path, (size_t)(dot - path));
		return true;
	}
	return false;
}

static struct history_entry *entry_get(struct history *h, const char *key,
				       enum entry_kind kind)
{
	struct history_entry *e = map_get(&h->by_key, key);
	if (e)
		return e;
	e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->key = xstrdup(key);
	const char *slash = strchr(e->key, '/');
	e->id = slash ? slash + 1 : e->key;
	e->last_change = HISTORY_NONE;
	h->entries = xgrow(h->entries, &h->entry_cap, h->entry_count + 1,
			   sizeof *h->entries);
	h->entries[h->entry_count++] = e;
	map_put(&h->by_key, e->key, e);
	return e;
}

/* The summary as readers may see it: invalid UTF-8, control characters
 * and the two non-characters XML refuses become U+FFFD or a space. */
static char *clean_subject(const char *s)
{
	struct buf b;
	size_t n = s ? strlen(s) : 0;
	buf_init(&b);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			buf_addc(&b, ' ');
		else if (cp == 0xfffe || cp == 0xffff)
			buf_adds(&b, "\xef\xbf\xbd");
		else
			buf_add(&b, s + i, len);
		i += len;
	}
	return buf_detach(&b, NULL);
}

/* Counts commit INDEX (in time order, among those that changed the
 * folder), which changed PATHS, for its entries; keeps it for
 * changes.html while fewer than HISTORY_CHANGES are kept. */
static void record(struct history *h, const struct commit_ref *ref,
		   git_commit *c, const struct strvec *paths)
{
	size_t index = h->commit_count++;
	struct history_change *ch = NULL;
	struct buf key;
	buf_init(&key);
	if (h->change_count < HISTORY_CHANGES) {
		ch = &h->changes[h->change_count++];
		memcpy(ch->id, ref->hex, sizeof ch->id);
		ch->time = ref->time;
		ch->subject = clean_subject(git_commit_summary(c));
	}
	size_t entry_cap = 0, other_cap = 0;
	for (size_t i = 0; i < paths->n; i++) {
		enum entry_kind kind;
		if (!entry_of(paths->v[i], &key, &kind)) {
			if (ch && ch->other_total++ < HISTORY_CHANGE_FILES) {
				ch->others = xgrow(ch->others, &other_cap,
						   ch->other_count + 1,
						   sizeof *ch->others);
				ch->others[ch->other_count++] =
				    xstrdup(paths->v[i]);
			}
			continue;
		}
		struct history_entry *e = entry_get(h, key.data, kind);
		/* An article's .md and .txt in one commit: one change. */
		if (e->counted == index + 1)
			continue;
		e->counted = index + 1;
		/* Commits come newest first: the first one is the last change.
		 */
		if (e->commits++ == 0) {
			e->last = ref->time;
			e->last_change =
			    ch ? h->change_count - 1 : HISTORY_NONE;
		}
		if (ch && ch->entry_total++ < HISTORY_CHANGE_FILES) {
			ch->entries =
			    xgrow(ch->entries, &entry_cap, ch->entry_count + 1,
				  sizeof *ch->entries);
			ch->entries[ch->entry_count++] = e;
		}
	}
	buf_release(&key);
}

/* ---- the walk ---- */

static int compare_refs(const void *x, const void *y)
{
	const struct commit_ref *a = *(const struct commit_ref *const *)x;
	const struct commit_ref *b = *(const struct commit_ref *const *)y;
	if (a->time.seconds != b->time.seconds)
		return a->time.seconds > b->time.seconds ? -1 : 1;
	return strcmp(a->hex, b->hex);
}

/* Collects every commit reachable from HEAD into *REFS, unordered; a
 * parent missing from the repository (a shallow clone's edge) ends that
 * line and makes the history partial. */
static int collect(struct walk *w, const git_oid *head,
		   struct commit_ref ***refs, size_t *count)
{
	struct map seen;
	git_oid *stack = NULL;
	size_t depth = 0, stack_cap = 0, cap = 0;
	int err = 0;
	map_init(&seen);
	*refs = NULL;
	*count = 0;
	stack = xgrow(stack, &stack_cap, 1, sizeof *stack);
	stack[depth++] = *head;
	while (depth && err == 0) {
		git_oid oid = stack[--depth];
		char hex[41];
		git_oid_tostr(hex, sizeof hex, &oid);
		if (map_get(&seen, hex))
			continue;
		git_commit *c = NULL;
		err = git_commit_lookup(&c, w->repo, &oid);
		if (err == GIT_ENOTFOUND && *count > 0) {
			w->h->partial = true;
			err = 0;
			continue;
		}
		if (err < 0)
			break;
		struct commit_ref *r = xcalloc(1, sizeof *r);
		r->oid = oid;
		memcpy(r->hex, hex, sizeof r->hex);
		r->time.seconds = (long long)git_commit_time(c);
		r->time.offset = git_commit_time_offset(c);
		*refs = xgrow(*refs, &cap, *count + 1, sizeof **refs);
		(*refs)[(*count)++] = r;
		map_put(&seen, r->hex, r);
		unsigned parents = git_commit_parentcount(c);
		for (unsigned k = 0; k < parents; k++) {
			stack =
			    xgrow(stack, &stack_cap, depth + 1, sizeof *stack);
			stack[depth++] = *git_commit_parent_id(c, k);
		}
		git_commit_free(c);
	}
	free(stack);
	map_release(&seen);
	return err;
}

/* The content folder's path inside the work tree: "" for its top, NULL
 * when the folder is not in it. The caller frees the result. */
static char *content_prefix(git_repository *repo, const char *content_dir)
{
	const char *wd = git_repository_workdir(repo);
	char *top = wd ? realpath(wd, NULL) : NULL;
	char *here = realpath(content_dir, NULL);
	char *prefix = NULL;
	if (top && here) {
		size_t n = strlen(top);
		if (strcmp(top, here) == 0)
			prefix = xstrdup("");
		else if (strcmp(top, "/") == 0)
			prefix = xstrdup(here + 1);
		else if (strncmp(top, here, n) == 0 && here[n] == '/')
			prefix = xstrdup(here + n + 1);
	}
	free(top);
	free(here);
	return prefix;
}

static void history_init(struct history *h)
{
	memset(h, 0, sizeof *h);
	map_init(&h->by_key);
}

void history_load(struct history *h, const char *content_dir, struct diag *d)
{
	git_repository *repo = NULL;
	struct commit_ref **refs = NULL;
	size_t count = 0;
	struct strvec paths = {0};
	char *prefix = NULL;
	struct walk w = {0};
	git_oid head;
	int err;

	history_init(h);
	const char *why;
	if (!gitlib_load(&why)) {
		diag_warning(d, content_dir, 0, 0,
			     "cannot load libgit2 to read the history of this "
			     "folder (%s); leaving history out", why);
		return;
	}
	git_libgit2_init();
	/* Each tree is read twice, as a commit's and as its child's
	 * parent's: keep big folders' trees parsed (libgit2 caches only
	 * trees under 4 KiB by default, and reading a folder of thousands
	 * of files again costs milliseconds). */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			 (size_t)64 << 20);
	err = git_repository_open_ext(&repo, content_dir, 0, NULL);
	if (err == GIT_ENOTFOUND) {
		err = 0;
		goto out;
	}
	if (err < 0)
		goto out;
	/* A bare repository, or a content folder inside .git: no work tree
	 * the folder is part of. */
	prefix = content_prefix(repo, content_dir);
	if (!prefix || git_repository_head_unborn(repo) == 1)
		goto out;
	err = git_reference_name_to_id(&head, repo, "HEAD");
	if (err < 0)
		goto out;
	h->partial = git_repository_is_shallow(repo) == 1;
	w.repo = repo;
	w.prefix = prefix;
	w.h = h;
	buf_init(&w.path);
	err = collect(&w, &head, &refs, &count);
	if (count)
		qsort(refs, count, sizeof *refs, compare_refs);
	h->changes = xcalloc(HISTORY_CHANGES, sizeof *h->changes);
	for (size_t i = 0; i < count && err == 0; i++) {
		git_commit *c = NULL;
		err = git_commit_lookup(&c, repo, &refs[i]->oid);
		if (err == 0)
			err = commit_changes(&w, c, &paths);
		if (err == 0 && paths.n)
			record(h, refs[i], c, &paths);
		strvec_clear(&paths);
		git_commit_free(c);
	}
	buf_release(&w.path);
out:
	if (err < 0) {
		const git_error *e = git_error_last();
		diag_warning(d, content_dir, 0, 0,
			     "cannot read the history of the git repository "
			     "holding this folder (%s); leaving history out",
			     e && e->message ? e->message : "unknown error");
		history_release(h);
	}
	h->present = h->commit_count > 0;
	if (!h->present)
		h->partial = false;
	for (size_t i = 0; i < count; i++)
		free(refs[i]);
	free(refs);
	strvec_release(&paths);
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
}

void history_release(struct history *h)
{
	for (size_t i = 0; i < h->change_count; i++) {
		struct history_change *ch = &h->changes[i];
		free(ch->subject);
		free(ch->entries);
		for (size_t k = 0; k < ch->other_count; k++)
			free(ch->others[k]);
		free(ch->others);
	}
	free(h->changes);
	for (size_t i = 0; i < h->entry_count; i++) {
		free(h->entries[i]->key);
		free(h->entries[i]);
	}
	free(h->entries);
	map_release(&h->by_key);
	history_init(h);
}

const struct history_entry *history_find(const struct history *h,
					 enum entry_kind kind, const char *id)
{
	if (!h || !h->present)
		return NULL;
	struct buf key;
	buf_init(&key);
	if (kind == ENTRY_INDEX) {
		buf_adds(&key, "index");
	} else {
		for (size_t i = 0; i < sizeof entry_dirs / sizeof *entry_dirs;
		     i++)
			if (entry_dirs[i].kind == kind)
				buf_adds(&key, entry_dirs[i].dir);
		buf_adds(&key, id);
	}
	const struct history_entry *e = map_get(&h->by_key, key.data);
	buf_release(&key);
	return e;
}

void history_date(const struct history_time *t, struct date *out)
{
	struct tm tm;
	long long local = t->seconds + 60LL * t->offset;
	time_t tt = (time_t)local;
	memset(out, 0, sizeof *out);
	out->precision = DATE_DAY;
	/* gmtime_r reads no time zone: the offset is the commit's own. */
	if ((long long)tt != local || !gmtime_r(&tt, &tm) ||
	    tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999) {
		out->year = 1970;
		out->month = 1;
		out->day = 1;
		return;
	}
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
}
