/* Incremental builds: a rebuild renders only the pages whose inputs
 * changed (inputs.h), and is always byte for byte the site a fresh build
 * writes, whatever was edited. */
#include "harness.h"

#include <fcntl.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

static char *xasprintf(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* Each test has a folder of its own for gloss's annotation cache
 * (acache.h), which builds read and save. */
static int setup(void **state)
{
	char *dir = temp_dir();
	char *cmd = xasprintf("cp -R tests/golden/basic/content '%s/content' && "
			      "cp -R themes/default '%s/theme'", dir, dir);
	int rc = system(cmd);
	free(cmd);
	char *cache = xasprintf("%s/cache", dir);
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	*state = dir;
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	remove_dir(*state);
	free(*state);
	return 0;
}

/* Waits 50 ms, several ticks of the file system's clock: what was
 * written before is then told from any later change by its stamp
 * (fsutil.h's settled stamps), which a build records only then. */
static void settle(void)
{
	struct timespec pause = {0, 50000000};
	nanosleep(&pause, NULL);
}

/* Builds DIR/content into DIR/OUT with OPTION (NULL: none), verbose;
 * returns the exit status, and the messages in *ERR when ERR is given. */
static int build_with(const char *dir, const char *out, const char *option,
		      char **err)
{
	char *content = xasprintf("%s/content", dir);
	char *theme = xasprintf("%s/theme", dir);
	char *output = xasprintf("%s/%s", dir, out);
	const char *args[] = {"build", "-C", content, "-t", theme, "-o", output,
			      "-v", "--no-history", option, NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	if (err)
		*err = strdup(r.err);
	else if (status != 0)
		fprintf(stderr, "%s", r.err);
	run_result_free(&r);
	free(content);
	free(theme);
	free(output);
	return status;
}

static int build_into(const char *dir, const char *out)
{
	return build_with(dir, out, NULL, NULL);
}

/* Rebuilds DIR/out after an edit, with what the annotation cache kept
 * of the previous build, builds DIR/fresh from nothing and without the
 * cache, and asserts the two sites are the same bytes. */
static void rebuild_matches_fresh(const char *dir, const char *what)
{
	char *cmd = xasprintf("rm -rf '%s/fresh'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(build_into(dir, "out"), 0);
	assert_int_equal(build_with(dir, "fresh", "--no-cache", NULL), 0);
	cmd = xasprintf("diff -r '%s/out' '%s/fresh' >&2", dir, dir);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0)
		fail_msg("after %s, the rebuilt site differs from a fresh one",
			 what);
}

/* Replaces the first FROM in DIR/REL with TO. */
static void edit(const char *dir, const char *rel, const char *from,
		 const char *to)
{
	char *text = get_file(dir, rel);
	assert_non_null(text);
	char *at = strstr(text, from);
	if (!at)
		fail_msg("'%s' is not in %s", from, rel);
	*at = '\0';
	char *out = xasprintf("%s%s%s", text, to, at + strlen(from));
	put_file(dir, rel, out, -1);
	free(out);
	free(text);
}

static void every_edit_rebuilds_to_the_fresh_site(void **state)
{
	const char *dir = *state;
	const char *alpha = "content/articles/2008-alpha-offer.md";
	assert_int_equal(build_into(dir, "out"), 0);

	edit(dir, alpha, "rejects the offer.", "rejected the offer.");
	rebuild_matches_fresh(dir, "a note's words");
	edit(dir, alpha, "Overlaps with the next note.",
	     "Overlaps with the next note, says [](party:gamma).");
	rebuild_matches_fresh(dir, "a note now linking a party");
	edit(dir, "content/parties/gamma.md", "name: Gamma", "name: Gamma State");
	rebuild_matches_fresh(dir, "a party's name");
	edit(dir, "content/parties/gamma.md", "summary: A mediator.",
	     "summary: A mediator.\naliases: [The leader]");
	rebuild_matches_fresh(dir, "a party's aliases (mentions)");
	edit(dir, "content/proposals/2008-alpha-truce.md", "stance: accepted",
	     "stance: conditional");
	rebuild_matches_fresh(dir, "a position's stance");
	edit(dir, "content/proposals/2008-alpha-truce.md", "title: ",
	     "title: Renamed ");
	rebuild_matches_fresh(dir, "a proposal's title");
	edit(dir, "content/proposals/2008-alpha-truce.md",
	     "quote: Beta said it rejected the truce offered by Alpha.",
	     "quote: Gamma was said to mediate between them.");
	rebuild_matches_fresh(dir, "a position's quote (anchoring)");
	edit(dir, "content/archive.yaml", "  - Share this story",
	     "  - Share this story\n  - Beta answers Alpha");
	rebuild_matches_fresh(dir, "an omit line (lines shown)");
	edit(dir, "content/articles/2008-alpha-offer.txt", "truce",
	     "ceasefire or truce");
	rebuild_matches_fresh(dir, "an article's text");
	edit(dir, "theme/article.html", "<article class=\"article\">",
	     "<article class=\"article edited\">");
	rebuild_matches_fresh(dir, "a template");
	edit(dir, "content/archive.yaml", "title: ", "title: Retitled ");
	rebuild_matches_fresh(dir, "archive.yaml");
	put_file(dir, "content/pages/more.md",
		 "---\ntitle: More\n---\nOn [](party:hamas).\n", -1);
	rebuild_matches_fresh(dir, "a new page linking a party");
	char *cmd = xasprintf("rm '%s/content/pages/more.md'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	rebuild_matches_fresh(dir, "a page removed");
}

/* A page whose inputs did not change is not rendered at all: a page
 * altered in the output after the last build stays as it is, where the
 * edited article's page is rendered anew. */
static void unchanged_pages_are_not_rendered(void **state)
{
	const char *dir = *state;
	assert_int_equal(build_into(dir, "out"), 0);
	const char *beta = "out/articles/2008-03-beta-answer.html";
	const char *alpha = "out/articles/2008-alpha-offer.html";
	char *page = get_file(dir, beta);
	char *marked = xasprintf("%s<!-- kept -->", page);
	put_file(dir, beta, marked, -1);
	put_file(dir, alpha, "stale", -1);
	edit(dir, "content/articles/2008-alpha-offer.md",
	     "A nested passage inside", "A passage nested inside");
	assert_int_equal(build_into(dir, "out"), 0);
	char *after = get_file(dir, beta);
	assert_string_equal(after, marked);
	char *alpha_page = get_file(dir, alpha);
	assert_non_null(strstr(alpha_page, "A passage nested inside"));
	free(alpha_page);
	free(after);
	free(marked);
	free(page);
}

/* Whether DIR/REL holds NEEDLE. */
static bool holds(const char *dir, const char *rel, const char *needle)
{
	char *text = get_file(dir, rel);
	assert_non_null(text);
	bool found = strstr(text, needle) != NULL;
	free(text);
	return found;
}

/* A party's page shows the notes that link it: an edit of another note
 * of the same article leaves the page unrendered (a mark put in it
 * stays), an edit of a note it shows renders it, and so does a changed
 * link reference definition that such a note uses, wherever in the
 * file it is (here inside the last note). Each rebuild is the fresh
 * site. */
static void party_pages_follow_the_notes_they_show(void **state)
{
	const char *dir = *state;
	const char *md = "content/articles/2008-alpha-offer.md";
	const char *hamas = "out/parties/hamas.html";
	edit(dir, md, "restates its [offer](proposal:2008-alpha-truce).",
	     "restates its [offer](proposal:2008-alpha-truce) in [a "
	     "statement][s].");
	edit(dir, md, "and [the method](page:method).",
	     "and [the method](page:method).\n\n[s]: https://example.org/first");
	assert_int_equal(build_into(dir, "out"), 0);
	assert_true(holds(dir, hamas, "https://example.org/first"));

	/* Another note of the article: not rendered. */
	char *page = get_file(dir, hamas);
	char *marked = xasprintf("%s<!-- kept -->", page);
	put_file(dir, hamas, marked, -1);
	edit(dir, md, "Overlaps with the next note.",
	     "Overlaps with the note after it.");
	assert_int_equal(build_into(dir, "out"), 0);
	assert_true(holds(dir, hamas, "<!-- kept -->"));
	assert_true(holds(dir, "out/articles/2008-alpha-offer.html",
			  "Overlaps with the note after it."));

	/* The note it shows: rendered. */
	edit(dir, md, "restates its", "repeats its");
	assert_int_equal(build_into(dir, "out"), 0);
	assert_false(holds(dir, hamas, "<!-- kept -->"));
	assert_true(holds(dir, hamas, "repeats its"));

	/* The definition its link takes its destination from. */
	put_file(dir, hamas, marked, -1);
	edit(dir, md, "https://example.org/first", "https://example.org/second");
	assert_int_equal(build_into(dir, "out"), 0);
	assert_false(holds(dir, hamas, "<!-- kept -->"));
	assert_true(holds(dir, hamas, "https://example.org/second"));
	rebuild_matches_fresh(dir, "a link reference definition");
	free(marked);
	free(page);
}

/* How many articles the -v messages in ERR say were annotated from the
 * cache, and of how many; fails when they do not say. */
static void cached_counts(const char *err, size_t *cached, size_t *all)
{
	const char *line = strstr(err, "gloss: annotations: ");
	if (!line || sscanf(line, "gloss: annotations: %zu of %zu", cached,
			    all) != 2)
		fail_msg("no count of cached annotations in: %s", err);
}

static void expect_cached(const char *dir, const char *out,
			  const char *option, size_t cached, size_t all)
{
	char *err = NULL;
	size_t got, got_all;
	assert_int_equal(build_with(dir, out, option, &err), 0);
	cached_counts(err, &got, &got_all);
	if (got != cached || got_all != all)
		fail_msg("%zu of %zu articles from the cache, expected %zu of "
			 "%zu", got, got_all, cached, all);
	free(err);
}

/* Builds DIR/fresh without the cache: -v then says nothing of WHAT. */
static void no_count_without_cache(const char *dir, const char *what)
{
	char *err = NULL;
	assert_int_equal(build_with(dir, "fresh", "--no-cache", &err), 0);
	char label[64];
	snprintf(label, sizeof label, "gloss: %s:", what);
	assert_null(strstr(err, label));
	free(err);
}

/* What annotating found is read back from the cache for the articles
 * whose inputs did not change, and the site is the same bytes as a
 * build without it; a cache file that is not as gloss writes it is not
 * used; gloss check reads the cache and writes none. */
static void annotations_come_from_the_cache(void **state)
{
	const char *dir = *state;
	char *err = NULL;
	size_t cached, all;
	assert_int_equal(build_with(dir, "out", NULL, &err), 0);
	cached_counts(err, &cached, &all);
	free(err);
	assert_int_equal(cached, 0);
	assert_true(all >= 2);
	expect_cached(dir, "out", NULL, all, all);
	edit(dir, "content/articles/2008-alpha-offer.md", "rejects the offer.",
	     "rejected the offer.");
	expect_cached(dir, "out", NULL, all - 1, all);
	/* Every article again when the aliases change (mentions). */
	edit(dir, "content/parties/gamma.md", "summary: A mediator.",
	     "summary: A mediator.\naliases: [The leader]");
	expect_cached(dir, "out", NULL, 0, all);
	expect_cached(dir, "out", NULL, all, all);
	/* Without the cache, -v does not speak of it. */
	no_count_without_cache(dir, "annotations");
	char *cmd = xasprintf("diff -r '%s/out' '%s/fresh' >&2", dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);

	/* A cache file with one byte changed, or cut short, is not used,
	 * and the site stays the same bytes. */
	static const char *const spoil[] = {
	    "printf '\\377' | dd of=\"$f\" bs=1 seek=$(( $(wc -c < \"$f\") - 3 )) "
	    "conv=notrunc 2>/dev/null",
	    "head -c 100 \"$f\" > \"$f.cut\" && mv \"$f.cut\" \"$f\"",
	};
	for (size_t k = 0; k < 2; k++) {
		cmd = xasprintf("for f in '%s'/cache/gloss/*.annotations; do "
				"%s || exit 1; done", dir, spoil[k]);
		assert_int_equal(system(cmd), 0);
		free(cmd);
		expect_cached(dir, "out", NULL, 0, all);
		cmd = xasprintf("diff -r '%s/out' '%s/fresh' >&2", dir, dir);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}

	/* gloss check saves nothing. (It finds the theme in themes/
	 * beside the content folder.) */
	cmd = xasprintf("rm -rf '%s/cache' && mkdir '%s/themes' && "
			"cp -R '%s/theme' '%s/themes/default'", dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *content = xasprintf("%s/content", dir);
	const char *args[] = {"check", "-C", content, "-v", "--no-history",
			      NULL};
	struct run_result r = run_gloss(args);
	assert_int_equal(r.status, 0);
	cached_counts(r.err, &cached, &all);
	assert_int_equal(cached, 0);
	run_result_free(&r);
	free(content);
	assert_false(path_exists(dir, "cache/gloss"));
}

/* How many entries of WHAT ("articles", "proposals") the -v messages in
 * ERR say had their Markdown parsed, and of how many; fails when they
 * do not say. */
static void parsed_counts(const char *err, const char *what, size_t *parsed,
			  size_t *all)
{
	const char *tag = "gloss: Markdown: ";
	char word[32];
	for (const char *line = strstr(err, tag); line;
	     line = strstr(line + 1, tag))
		if (sscanf(line, "gloss: Markdown: %zu of %zu %31s parsed",
			   parsed, all, word) == 3 &&
		    strcmp(word, what) == 0)
			return;
	fail_msg("no count of %s parsed in: %s", what, err);
}

/* Builds DIR/out, expecting a build without error whose -v messages
 * say PARSED of ALL entries of WHAT had their Markdown parsed. */
static void expect_parsed_of(const char *dir, const char *what, size_t parsed,
			     size_t all)
{
	char *err = NULL;
	size_t got, got_all;
	assert_int_equal(build_with(dir, "out", NULL, &err), 0);
	parsed_counts(err, what, &got, &got_all);
	if (got != parsed || got_all != all)
		fail_msg("%zu of %zu %s parsed, expected %zu of %zu:\n%s", got,
			 got_all, what, parsed, all, err);
	free(err);
}

static void expect_parsed(const char *dir, size_t parsed, size_t all)
{
	expect_parsed_of(dir, "articles", parsed, all);
}

/* The lines of ERR that are messages about the content. */
static char *messages(const char *err)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	assert_non_null(out);
	for (const char *line = err; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		char *copy = strndup(line, len);
		if (strstr(copy, ": error: ") || strstr(copy, ": warning: "))
			fputs(copy, out);
		free(copy);
		line += len;
	}
	fclose(out);
	return text;
}

/* Builds DIR/out with the cache and DIR/fresh without, and asserts that
 * they report the same messages. */
static void same_messages_as_fresh(const char *dir, int status)
{
	char *cached = NULL, *fresh = NULL;
	assert_int_equal(build_with(dir, "out", NULL, &cached), status);
	assert_int_equal(build_with(dir, "fresh", "--no-cache", &fresh), status);
	char *a = messages(cached), *b = messages(fresh);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(cached);
	free(fresh);
}

/* Removes the files RM names (shell words, under DIR/content), then
 * expects a build that fails with MESSAGE among its messages, the
 * same messages as a fresh build's. */
static void removed_gives(const char *dir, const char *rm, const char *message)
{
	char *cmd = xasprintf("cd '%s/content' && rm %s", dir, rm);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *err = NULL;
	assert_int_equal(build_with(dir, "out", NULL, &err), 1);
	assert_non_null(strstr(err, message));
	free(err);
	same_messages_as_fresh(dir, 1);
}

/* An article annotated from the cache is parsed only when a page needs
 * its Markdown: its links are checked from the cache too, and the site
 * is the same bytes. (Without base_url: the feed shows the
 * introductions of the newest articles, here all of them.) */
static void unchanged_articles_are_not_parsed(void **state)
{
	const char *dir = *state;
	edit(dir, "content/archive.yaml", "base_url:", "# base_url:");
	expect_parsed(dir, 2, 2);
	/* Raw HTML is warned of, from its tree, on every run. */
	expect_parsed(dir, 1, 2);
	/* Beta's note: its page and the pages of what it links, none of
	 * which shows alpha's notes. */
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     "is reported as mediator", "is said to mediate");
	expect_parsed(dir, 1, 2);
	rebuild_matches_fresh(dir, "a note's words, with no other article parsed");
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     " <b>raw html</b> is not rendered.", "");
	expect_parsed(dir, 1, 2);
	expect_parsed(dir, 0, 2);
	rebuild_matches_fresh(dir, "nothing edited, no article parsed");
	/* A note that links nothing is warned of, its links counted from
	 * the cache. */
	edit(dir, "content/articles/2008-alpha-offer.md",
	     "Overlaps with the next note.", "Overlaps with the next one.");
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     "[Gamma](party:gamma) is said", "Gamma is said");
	assert_int_equal(build_into(dir, "out"), 0);
	same_messages_as_fresh(dir, 0);
	/* Alpha's record and links come from the cache, but one links beta,
	 * now gone: the message is the one alpha's tree gives. */
	removed_gives(dir,
		      "articles/2008-03-beta-answer.md "
		      "articles/2008-03-beta-answer.txt",
		      "2008-alpha-offer.md:24:52: error: unknown article "
		      "'2008-03-beta-answer' in link; there is no "
		      "articles/2008-03-beta-answer.md");
}

/* A proposal whose file did not change is parsed only when a page
 * needs its Markdown: the text cache keeps its links, which are checked
 * from there and list the proposal on the pages it links. Raw HTML is
 * warned of from its tree on every run, and a link whose entry is gone
 * is reported as a fresh build reports it. */
static void unchanged_proposals_are_not_parsed(void **state)
{
	const char *dir = *state;
	const char *alpha = "content/proposals/2008-alpha-truce.md";
	put_file(dir, "content/parties/delta.md",
		 "---\nname: Delta\nkind: state\nsummary: An observer.\n---\n",
		 -1);
	edit(dir, alpha, "  - No *timetable* was reported.",
	     "  - No *timetable* was reported; [](party:delta) observed.");
	expect_parsed_of(dir, "proposals", 1, 1);
	expect_parsed_of(dir, "proposals", 0, 1);
	rebuild_matches_fresh(dir, "nothing edited, no proposal parsed");
	/* Delta's page lists the proposal only because its term links
	 * delta: the link came from the cache. */
	htmlDocPtr page = load_page(dir, "out/parties/delta.html");
	assert_int_equal(
	    xpath_count(page, "//ul[@class='referrers']//a[@href="
			      "'../proposals/2008-alpha-truce.html']"),
	    1);
	xmlFreeDoc(page);

	/* The proposal's page is the one page that shows its terms. */
	edit(dir, "content/parties/delta.md", "name: Delta", "name: Delta State");
	expect_parsed_of(dir, "proposals", 1, 1);
	rebuild_matches_fresh(dir, "the name of a party a proposal links");

	edit(dir, alpha, "See [](page:method).",
	     "See [](page:method). <b>raw html</b>");
	expect_parsed_of(dir, "proposals", 1, 1);
	expect_parsed_of(dir, "proposals", 1, 1);
	same_messages_as_fresh(dir, 0);
	edit(dir, alpha, " <b>raw html</b>", "");
	expect_parsed_of(dir, "proposals", 1, 1);

	removed_gives(dir, "parties/delta.md",
		      "2008-alpha-truce.md:10:34: error: unknown party "
		      "'delta' in link; there is no parties/delta.md");
}

/* Builds DIR/out, which must succeed, and checks -v's line "gloss:
 * WHAT: N of ALL DONE" (DONE: "read", "listed from the cache") for
 * COUNT of ALL. */
static void expect_count(const char *dir, const char *what, const char *done,
			 size_t count, size_t all)
{
	char *err = NULL;
	size_t got, got_all;
	assert_int_equal(build_with(dir, "out", NULL, &err), 0);
	char label[64];
	snprintf(label, sizeof label, "gloss: %s: ", what);
	const char *line = strstr(err, label);
	if (!line ||
	    sscanf(line + strlen(label), "%zu of %zu", &got, &got_all) != 2)
		fail_msg("no count of %s %s in: %s", what, done, err);
	if (got != count || got_all != all)
		fail_msg("%zu of %zu %s %s, expected %zu of %zu:\n%s", got,
			 got_all, what, done, count, all, err);
	free(err);
}

/* Checks -v's count of WHAT read ("captures", "articles' .md files"). */
static void expect_files_read(const char *dir, const char *what, size_t read,
			      size_t all)
{
	expect_count(dir, what, "read", read, all);
}

static void expect_read(const char *dir, size_t read, size_t all)
{
	expect_files_read(dir, "captures", read, all);
}

/* Checks -v's count of entry folders listed from the cache. */
static void expect_listed(const char *dir, size_t from_cache, size_t all)
{
	expect_count(dir, "folders", "listed from the cache", from_cache, all);
}

/* The names in an entry folder come from the cache while the folder
 * keeps its stamp; a file added, removed or renamed in it moves the
 * stamp, and the folder is read again: the site is a fresh build's. */
static void folders_are_listed_from_the_cache(void **state)
{
	const char *dir = *state;
	expect_listed(dir, 0, 4);
	settle();
	expect_listed(dir, 4, 4);
	/* A new article: its page is there, and its folder was read. */
	put_file(dir, "content/articles/2008-delta-note.txt",
		 "Delta reports a quiet night.\n", -1);
	put_file(dir, "content/articles/2008-delta-note.md",
		 "---\noutlet: The Test Monitor\ndate: 2008-05\n"
		 "date_note: Month given in the report.\n---\n"
		 "A short report.\n", -1);
	settle();
	expect_listed(dir, 3, 4);
	assert_true(path_exists(dir, "out/articles/2008-delta-note.html"));
	settle();
	expect_listed(dir, 4, 4);
	/* A party added, then renamed: the old name's page goes. */
	put_file(dir, "content/parties/delta.md",
		 "---\nname: Delta\nkind: state\nsummary: A neighbour.\n---\n",
		 -1);
	settle();
	expect_listed(dir, 3, 4);
	assert_true(path_exists(dir, "out/parties/delta.html"));
	char *from = xasprintf("%s/content/parties/delta.md", dir);
	char *to = xasprintf("%s/content/parties/delta-state.md", dir);
	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);
	settle();
	expect_listed(dir, 3, 4);
	assert_false(path_exists(dir, "out/parties/delta.html"));
	assert_true(path_exists(dir, "out/parties/delta-state.html"));
	/* The article removed again. */
	char *md = xasprintf("%s/content/articles/2008-delta-note.md", dir);
	char *txt = xasprintf("%s/content/articles/2008-delta-note.txt", dir);
	assert_int_equal(unlink(md), 0);
	assert_int_equal(unlink(txt), 0);
	free(md);
	free(txt);
	settle();
	rebuild_matches_fresh(dir, "an article removed");
	assert_false(path_exists(dir, "out/articles/2008-delta-note.html"));
}

/* A capture whose stamp did not change since the build that recorded
 * it is read only when a page shows its text; an edited one is read
 * again, and the site is the same bytes as a fresh build's. (The
 * copied captures are first left to settle: a stamp is only recorded
 * for a file changed before the build started, fsutil.h.) */
static void captures_are_read_when_needed(void **state)
{
	const char *dir = *state;
	settle();
	expect_read(dir, 2, 2);
	expect_read(dir, 0, 2);
	/* Beta's note: its page shows beta's text, and the pages of what
	 * the note links show no passage of alpha's. */
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     "is reported as mediator", "is said to mediate");
	expect_read(dir, 1, 2);
	edit(dir, "content/articles/2008-alpha-offer.txt", "truce",
	     "ceasefire or truce");
	settle();
	/* Alpha's, changed; and beta's, quoted as evidence on the pages
	 * of the parties alpha's text now mentions differently. */
	expect_read(dir, 2, 2);
	expect_read(dir, 0, 2);
	rebuild_matches_fresh(dir, "an article's text, read again");
	/* Without the cache, -v does not speak of captures. */
	no_count_without_cache(dir, "captures");
}

/* An article's .md file whose stamp did not change since the build that
 * recorded it is read only when its body is parsed; an edited one is
 * read again, and the site is the same bytes as a fresh build's. */
static void md_files_are_read_when_needed(void **state)
{
	const char *dir = *state;
	const char *what = "articles' .md files";
	/* Without what parses every article on every run: the feed's
	 * introductions, and raw HTML warned of from its tree. */
	edit(dir, "content/archive.yaml", "base_url:", "# base_url:");
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     " <b>raw html</b> is not rendered.", "");
	settle();
	expect_files_read(dir, what, 2, 2);
	expect_files_read(dir, what, 0, 2);
	/* Beta's, edited: read while loading. */
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     "is reported as mediator", "is said to mediate");
	settle();
	expect_files_read(dir, what, 1, 2);
	expect_files_read(dir, what, 0, 2);
	/* Alpha's capture, edited: alpha is annotated again, which parses
	 * its body; the pages of the parties its text now mentions
	 * differently show beta's notes that link them, which parses beta's.
	 * Both are read when parsed (-v: "Markdown: 2 of 2"). */
	edit(dir, "content/articles/2008-alpha-offer.txt", "truce",
	     "ceasefire or truce");
	settle();
	expect_files_read(dir, what, 2, 2);
	expect_files_read(dir, what, 0, 2);
	rebuild_matches_fresh(dir, "an article's .md file, read when parsed");
	no_count_without_cache(dir, "articles' .md files");
}

/* A proposal's file is read while loading only when its stamp changed;
 * otherwise when the proposal is parsed, which its page does when a
 * name it shows changed. */
static void proposal_files_are_read_when_needed(void **state)
{
	const char *dir = *state;
	const char *what = "proposals' files";
	const char *alpha = "content/proposals/2008-alpha-truce.md";
	settle();
	expect_files_read(dir, what, 1, 1);
	expect_files_read(dir, what, 0, 1);
	edit(dir, alpha, "See [](page:method).", "See [](page:method) too.");
	settle();
	expect_files_read(dir, what, 1, 1);
	expect_files_read(dir, what, 0, 1);
	rebuild_matches_fresh(dir, "a proposal's file, read while loading");
	/* Its page shows gamma's name: rendered again, it reads the file. */
	edit(dir, "content/parties/gamma.md", "name: Gamma", "name: Gamma State");
	settle();
	expect_files_read(dir, what, 1, 1);
	expect_files_read(dir, what, 0, 1);
	rebuild_matches_fresh(dir, "a proposal's file, read when parsed");
	no_count_without_cache(dir, "proposals' files");
}

/* The count of the line of -v's messages in ERR that starts "gloss:
 * search index: N of ALL" and ends in WHAT, out of *ALL; 0 (and *ALL 0)
 * when there is none. */
static size_t search_count(const char *err, const char *what, size_t *all)
{
	size_t count = 0;
	*all = 0;
	const char *label = "gloss: search index: ";
	for (const char *line = strstr(err, label); line;
	     line = strstr(line + 1, label)) {
		const char *end = strchr(line, '\n');
		size_t len = strlen(what);
		if (end && (size_t)(end + 1 - line) > len &&
		    strncmp(end + 1 - len, what, len) == 0) {
			assert_int_equal(sscanf(line + strlen(label),
						"%zu of %zu", &count, all),
					 2);
			break;
		}
	}
	return count;
}

/* Builds DIR/out and returns -v's count of the search index's files
 * stamped once written, out of *ALL the index's record names. */
static size_t search_files_stamped(const char *dir, size_t *all)
{
	char *err = NULL;
	assert_int_equal(build_with(dir, "out", NULL, &err), 0);
	size_t stamped = search_count(
	    err, " files stamped once written, the rest kept untouched with "
		 "their stamps\n", all);
	free(err);
	return stamped;
}

/* Builds DIR/out and returns -v's count of the search index's files
 * found unchanged by their stamps, out of *ALL; none when the record was
 * not used. */
static size_t stamped_search_files(const char *dir, size_t *all)
{
	char *err = NULL;
	assert_int_equal(build_with(dir, "out", NULL, &err), 0);
	size_t stamped = search_count(
	    err, " files found unchanged by their stamps\n", all);
	free(err);
	return stamped;
}

/* The search index's files are stamped as they are written into the
 * new folder: once builds follow one another, each finds every file of
 * the index by its stamp, none hashed again. */
static void search_files_are_found_by_their_stamps(void **state)
{
	const char *dir = *state;
	size_t all = 0, stamped = 0;
	for (int i = 0; i < 4; i++) {
		settle();
		stamped = stamped_search_files(dir, &all);
	}
	assert_true(all > 0);
	assert_int_equal(stamped, all);
	/* An edit rewrites some, which builds that follow find by their
	 * stamps again. */
	edit(dir, "content/articles/2008-03-beta-answer.md",
	     "is reported as mediator", "is said to mediate");
	for (int i = 0; i < 4; i++) {
		settle();
		stamped = stamped_search_files(dir, &all);
	}
	assert_int_equal(stamped, all);
	rebuild_matches_fresh(dir, "search files found by their stamps");
}

/* A search file kept untouched, the folder being written holding it
 * already, keeps the stamp its record gave it: it is not stamped again.
 * One the build links into a new folder (the first rebuild has no
 * previous folder to recycle) has a new change time, and is. */
static void kept_search_files_keep_their_stamps(void **state)
{
	const char *dir = *state;
	size_t all = 0;
	settle();
	size_t stamped = search_files_stamped(dir, &all);
	assert_true(all > 0);
	assert_int_equal(stamped, all);
	/* the first rebuild links every file into an empty folder */
	settle();
	stamped = search_files_stamped(dir, &all);
	assert_int_equal(stamped, all);
	for (int i = 0; i < 6 && stamped; i++) {
		settle();
		stamped = search_files_stamped(dir, &all);
	}
	assert_int_equal(stamped, 0);
	/* and the next build finds every one by its stamp */
	settle();
	size_t found = stamped_search_files(dir, &all);
	assert_int_equal(found, all);
	/* Without the folder to recycle, every file is linked into a new
	 * one, which moves its change time: every file is stamped again
	 * (a file linked in the clock tick it is stamped in gets no stamp,
	 * and is hashed by the next build). */
	char *cmd = xasprintf("rm -rf '%s/out.gloss-old'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	settle();
	stamped = search_files_stamped(dir, &all);
	assert_int_equal(stamped, all);
	rebuild_matches_fresh(dir, "search files kept with their stamps");
}

/* The inode of DIR/REL, which must exist. */
static ino_t inode_of(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	free(path);
	return st.st_ino;
}

/* Opens DIR/REL, which must exist: while it is open its inode cannot be
 * freed and given to a new file. */
static int hold(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	free(path);
	return fd;
}

/* Whether FD, from hold, is the file DIR/REL is now; closes it. */
static bool is_held(int fd, const char *dir, const char *rel)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	return st.st_ino == inode_of(dir, rel);
}

/* A rebuild's archive.json starts from the one the folder it recycles
 * holds (out.gloss-old) when that is the file the previous build
 * replaced, as it was: the new file is that file, cut where it differs
 * and written on. One changed there since is not used. Either way the
 * site is a fresh build's bytes. */
static void archive_json_starts_from_the_recycled_one(void **state)
{
	const char *dir = *state;
	const char *alpha = "content/articles/2008-alpha-offer.md";
	const char *recycled = "out.gloss-old/archive.json";
	assert_int_equal(build_into(dir, "out"), 0);
	settle();
	edit(dir, alpha, "rejects the offer.", "rejected the offer.");
	rebuild_matches_fresh(dir, "a note's words");
	settle();

	edit(dir, alpha, "rejected the offer.", "rejects the offer.");
	int fd = hold(dir, recycled);
	rebuild_matches_fresh(dir, "a note's words undone");
	assert_true(is_held(fd, dir, "out/archive.json"));
	settle();

	/* One byte of the recycled file changed, its length the same. */
	char *old = get_file(dir, recycled);
	assert_non_null(old);
	old[0] = ' ';
	char *path = xasprintf("%s/%s", dir, recycled);
	FILE *f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fwrite(old, 1, 1, f), 1);
	assert_int_equal(fclose(f), 0);
	free(path);
	free(old);
	fd = hold(dir, recycled);
	edit(dir, alpha, "rejects the offer.", "rejected the offer.");
	rebuild_matches_fresh(dir, "a note's words, the recycled file changed");
	assert_false(is_held(fd, dir, "out/archive.json"));
}

/* The recycled archive.json is written over from where it differs, so
 * when the new one is shorter, what the recycled one held past the new
 * end must be cut: a note made longer, then shorter than it first was,
 * leaves the recycled file (the first) longer than the new one. */
static void a_shorter_archive_json_leaves_nothing_past_its_end(void **state)
{
	const char *dir = *state;
	const char *alpha = "content/articles/2008-alpha-offer.md";
	const char *recycled = "out.gloss-old/archive.json";
	assert_int_equal(build_into(dir, "out"), 0);
	settle();
	edit(dir, alpha, "rejects the offer.",
	     "rejects the offer, its spokesman said in a statement.");
	rebuild_matches_fresh(dir, "a note made longer");
	settle();

	char *before = get_file(dir, recycled);
	assert_non_null(before);
	int fd = hold(dir, recycled);
	edit(dir, alpha, "rejects the offer, its spokesman said in a statement.",
	     "rejects it.");
	rebuild_matches_fresh(dir, "a note made shorter than it was");
	assert_true(is_held(fd, dir, "out/archive.json"));
	char *after = get_file(dir, "out/archive.json");
	assert_non_null(after);
	assert_true(strlen(after) < strlen(before));
	free(before);
	free(after);
}

/* The files of DIR's cache folder, one a line: inode and name. */
static char *cache_files(const char *dir)
{
	char *cmd = xasprintf("cd '%s/cache/gloss' && stat -c '%%i %%n' * | "
			      "sort -k 2", dir);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char *text = NULL;
	size_t cap = 0;
	ssize_t got = getdelim(&text, &cap, '\0', f);
	assert_int_equal(pclose(f), 0);
	assert_true(got > 0);
	free(cmd);
	return text;
}

/* Whether DIR's cache folder has a file whose name ends in SUFFIX. */
static bool cache_has(const char *dir, const char *suffix)
{
	char *files = cache_files(dir);
	bool found = false;
	for (char *line = strtok(files, "\n"); line && !found;
	     line = strtok(NULL, "\n")) {
		size_t n = strlen(line), k = strlen(suffix);
		found = n >= k && strcmp(line + n - k, suffix) == 0;
	}
	free(files);
	return found;
}

/* Fails unless every cache file of BEFORE (cache_files) but the
 * layout's is in NOW, the same file: none was written again. The
 * layout's records hold the stamps of the site's files (main.c), which
 * move as the site is put in place. */
static void expect_caches_kept(const char *before, const char *now)
{
	char *lines = strdup(before);
	for (char *line = strtok(lines, "\n"); line;
	     line = strtok(NULL, "\n")) {
		if (!strstr(line, ".archive") && !strstr(now, line))
			fail_msg("cache file rewritten: %s\nnow:\n%s", line, now);
	}
	free(lines);
}

/* An edit of one article of many leaves the caches' files as they are
 * and saves its records in small files beside them (acache.h), which
 * the next build reads: it annotates nothing again, and writes no
 * cache file. Undoing the edit, the small file goes. Each rebuild is
 * the bytes of a fresh build. */
static void an_edit_saves_its_records_beside_the_caches(void **state)
{
	const char *dir = *state;
	/* 16 articles, each its own text: one changed record is within
	 * an eighth of their records */
	char *cmd = xasprintf(
	    "cd '%s/content/articles' && for i in $(seq 10 23); do "
	    "cp 2008-alpha-offer.md 2008-copy-$i.md && "
	    "{ cat 2008-alpha-offer.txt && echo \"Copy $i.\"; } "
	    "> 2008-copy-$i.txt; done", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	settle();
	assert_int_equal(build_into(dir, "out"), 0);
	settle();
	expect_cached(dir, "out", NULL, 16, 16);
	char *before = cache_files(dir);
	assert_false(cache_has(dir, ".delta"));

	edit(dir, "content/articles/2008-copy-17.md", "Overlaps with",
	     "Overlaps, in part, with");
	settle();
	expect_cached(dir, "out", NULL, 15, 16);
	assert_true(cache_has(dir, ".annotations.delta"));
	assert_true(cache_has(dir, ".captures.delta"));
	/* the big files are the same files */
	char *after = cache_files(dir);
	expect_caches_kept(before, after);
	/* The next build finds every record, and writes no cache file. */
	expect_cached(dir, "out", NULL, 16, 16);
	char *again = cache_files(dir);
	expect_caches_kept(after, again);
	free(again);
	free(after);
	rebuild_matches_fresh(dir, "an edit whose records went beside");

	edit(dir, "content/articles/2008-copy-17.md", "Overlaps, in part, with",
	     "Overlaps with");
	settle();
	expect_cached(dir, "out", NULL, 16, 16);
	assert_false(cache_has(dir, ".annotations.delta"));
	rebuild_matches_fresh(dir, "the edit undone");
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    every_edit_rebuilds_to_the_fresh_site, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unchanged_pages_are_not_rendered, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    party_pages_follow_the_notes_they_show, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    annotations_come_from_the_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unchanged_articles_are_not_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unchanged_proposals_are_not_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    captures_are_read_when_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    md_files_are_read_when_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    proposal_files_are_read_when_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    search_files_are_found_by_their_stamps, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    archive_json_starts_from_the_recycled_one, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    a_shorter_archive_json_leaves_nothing_past_its_end, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    folders_are_listed_from_the_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    an_edit_saves_its_records_beside_the_caches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    kept_search_files_keep_their_stamps, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
