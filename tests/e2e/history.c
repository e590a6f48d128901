/* End-to-end tests of history from git: the line on each entry's page
 * saying when its files last changed and in how many commits, and
 * changes.html.
 *
 * The group setup makes a git repository (with the git program: the
 * tests may, gloss reads it through libgit2) holding a copy of
 * tests/golden/basic/content and a file outside it, and commits to it
 * with fixed committer times and zones:
 *
 *   C1 2008-04-23 10:00 +0300  "Add the archive"       everything
 *   C2 2009-01-01 01:00 +0200  "Alpha: a later line"   alpha's .txt and .md
 *   C3 2010-05-05 23:30 -0500  "Hamas <script>..."     parties/hamas.md
 *   C4 2011-01-01 12:00 +0000  "Outside the archive"   README only
 *   C5 2012-03-01 00:30 +0100  "Alpha checked again"   alpha.md, map.txt
 *
 * so, by the rules in generator/history.h: alpha changed in C1, C2, C5 (3
 * commits, last 1 March 2012 in its own zone, 29 February in UTC); beta,
 * gamma, the proposal and the method page in C1 only (23 April 2008);
 * hamas in C1 and C3 (2 commits, last 5 May 2010 in its own zone, 6 May in
 * UTC). C4 changed nothing in the content folder and is no editorial
 * commit. */
#include "harness.h"

#include <setjmp.h>

#include <cmocka.h>

#define THEME "themes/default"
#define ALPHA "articles/2008-alpha-offer.html"
#define BETA "articles/2008-03-beta-answer.html"
#define HAMAS "parties/hamas.html"
#define GAMMA "parties/gamma.html"
#define TRUCE "proposals/2008-alpha-truce.html"
#define METHOD "method.html"

#define SUBJECT_C3 "Hamas <script>alert(1)</script> & \"more\""

/* An XPath predicate: the element has class C. */
#define CLS(c)                                                                 \
	"[contains(concat(' ', normalize-space(@class), ' '), ' " c " ')]"
/* The history line of an entry page. */
#define HISTORY_P "//main//p" CLS("history")

static char *g_tmp;	  /* the group's temporary folder */
static char *g_repo;	  /* the repository; the archive is g_repo/content */
static char *g_out;	  /* the site built from it */
static char g_ids[6][41]; /* commit ids C1..C5 (index 1..5) */

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* Runs a shell command; 0 when it succeeded. */
static int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd = NULL;
	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	free(cmd);
	return rc;
}

/* git in REPO, with no configuration but ours. */
#define GIT                                                                    \
	"GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C '%s' "       \
	"-c user.name=Editor -c user.email=editor@example.org "                \
	"-c commit.gpgsign=false -c init.defaultBranch=main "

/* Commits everything in REPO with SUBJECT at WHEN ("EPOCH +HHMM", git's
 * raw form) as author and committer time; stores the id in ID when not
 * NULL. SUBJECT is passed through a file, so any text goes. */
static int commit_all(const char *repo, const char *when, const char *subject,
		      char id[41])
{
	char *msg = xasprintf("%s/../msg.txt", repo);
	FILE *f = fopen(msg, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n\nThe body of the message is not shown.\n", subject);
	fclose(f);
	int rc =
	    sh(GIT "add -A && GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' " GIT
		   "commit -q -F '%s'",
	       repo, when, when, repo, msg);
	free(msg);
	if (rc == 0 && id) {
		char *cmd = xasprintf(GIT "rev-parse HEAD", repo);
		FILE *p = popen(cmd, "r");
		free(cmd);
		if (!p || !fgets(id, 41, p))
			rc = -1;
		if (p)
			pclose(p);
	}
	return rc;
}

/* Runs gloss with ENV ("NAME=VALUE" set, "NAME" unset) in the child. */
static struct run_result run_gloss_env(const char *const *args,
				       const char *const *env)
{
	struct run_result r = {0};
	FILE *out = tmpfile(), *err = tmpfile();
	size_t n = 0;
	while (args[n])
		n++;
	const char **argv = calloc(n + 2, sizeof *argv);
	argv[0] = gloss_binary();
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = args[i];
	pid_t pid = fork();
	if (pid == 0) {
		for (size_t i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			if (eq) {
				char *name =
				    strndup(env[i], (size_t)(eq - env[i]));
				setenv(name, eq + 1, 1);
			} else {
				unsetenv(env[i]);
			}
		}
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	lseek(fileno(out), 0, SEEK_SET);
	lseek(fileno(err), 0, SEEK_SET);
	r.out = slurp_fd(fileno(out));
	r.err = slurp_fd(fileno(err));
	fclose(out);
	fclose(err);
	free(argv);
	return r;
}

/* Builds CONTENT into OUT with THEME, EXTRA (an option or NULL) and ENV;
 * returns gloss's exit status, printing its stderr when not 0. *ERR, when
 * not NULL, receives stderr (the caller frees it). */
static int build_env(const char *content, const char *theme, const char *out,
		     const char *extra, const char *const *env, char **err)
{
	const char *args[] = {"build", "-C", content, "-t", theme,
			      "-o",    out,  extra,   NULL};
	struct run_result r = run_gloss_env(args, env);
	if (r.status != 0)
		fprintf(stderr, "gloss build -C %s exited %d:\n%s%s\n", content,
			r.status, r.out, r.err);
	int status = r.status;
	if (err) {
		*err = r.err;
		r.err = NULL;
	}
	run_result_free(&r);
	return status;
}

static int build(const char *content, const char *out, const char *extra)
{
	return build_env(content, THEME, out, extra, NULL, NULL);
}

/* Makes REPO: a git repository holding a copy of the golden archive in
 * content/, and beside it a README and the themes (for gloss check),
 * nothing committed. */
static int make_repo(const char *repo)
{
	return sh(
	    "mkdir -p '%s' && cp -R tests/golden/basic/content '%s/content' "
	    "&& cp -R themes '%s/themes' "
	    "&& echo 'Not part of the archive.' > '%s/README' && " GIT
	    "init -q",
	    repo, repo, repo, repo, repo);
}

/* ---- group setup ---- */

static int setup(void **state)
{
	(void)state;
	g_tmp = temp_dir();
	g_repo = xasprintf("%s/repo", g_tmp);
	g_out = xasprintf("%s/out", g_tmp);
	const char *r = g_repo;
	if (make_repo(r) ||
	    commit_all(r, "1208934000 +0300", "Add the archive", g_ids[1]) ||
	    sh("printf 'A later line.\\n' >> "
	       "'%s/content/articles/2008-alpha-offer.txt' && "
	       "printf '\\nChecked.\\n' >> "
	       "'%s/content/articles/2008-alpha-offer.md'",
	       r, r) ||
	    commit_all(r, "1230764400 +0200", "Alpha: a later line",
		       g_ids[2]) ||
	    sh("printf '\\nAlso named Alpha.\\n' >> "
	       "'%s/content/parties/hamas.md'",
	       r) ||
	    commit_all(r, "1273120200 -0500", SUBJECT_C3, g_ids[3]) ||
	    sh("echo 'Still not.' >> '%s/README'", r) ||
	    commit_all(r, "1293883200 +0000", "Outside the archive",
		       g_ids[4]) ||
	    sh("printf '\\nChecked again.\\n' >> "
	       "'%s/content/articles/2008-alpha-offer.md' && "
	       "echo 'more' >> '%s/content/static/map.txt'",
	       r, r) ||
	    commit_all(r, "1330558200 +0100", "Alpha checked again", g_ids[5]))
		return -1;
	char *content = xasprintf("%s/content", g_repo);
	int rc = build(content, g_out, NULL);
	free(content);
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	remove_dir(g_tmp);
	free(g_tmp);
	free(g_repo);
	free(g_out);
	return 0;
}

/* ---- helpers on pages ---- */

static htmlDocPtr page_in(const char *dir, const char *rel)
{
	htmlDocPtr doc = load_page(dir, rel);
	if (!doc)
		fail_msg("%s/%s: not written", dir, rel);
	return doc;
}

/* The history line of page REL, white space squeezed (caller frees). */
static char *history_line(const char *dir, const char *rel)
{
	htmlDocPtr doc = page_in(dir, rel);
	char *s = xpath_string(doc, "normalize-space(" HISTORY_P ")");
	xmlFreeDoc(doc);
	return s;
}

static void expect_history(const char *rel, const char *line,
			   const char *datetime, int commit)
{
	char *got = history_line(g_out, rel);
	if (strcmp(got, line) != 0)
		fail_msg("%s: history line \"%s\", want \"%s\"", rel, got,
			 line);
	free(got);
	htmlDocPtr doc = page_in(g_out, rel);
	char *xp = xasprintf(HISTORY_P "//time[@datetime='%s']", datetime);
	assert_int_equal(xpath_count(doc, xp), 1);
	free(xp);
	/* The date links to the commit's item on changes.html. */
	xp = xasprintf(HISTORY_P "/a[@href='%schanges.html#c-%.12s']",
		       strchr(rel, '/') ? "../" : "", g_ids[commit]);
	if (xpath_count(doc, xp) != 1)
		fail_msg("%s: no link %s", rel, xp);
	free(xp);
	xmlFreeDoc(doc);
}

/* ---- entry pages ---- */

static void test_entry_pages(void **state)
{
	(void)state;
	expect_history(ALPHA, "Last changed 1 March 2012 \xc2\xb7 3 commits",
		       "2012-03-01", 5);
	expect_history(BETA, "Last changed 23 April 2008 \xc2\xb7 1 commit",
		       "2008-04-23", 1);
	expect_history(HAMAS, "Last changed 5 May 2010 \xc2\xb7 2 commits",
		       "2010-05-05", 3);
	expect_history(GAMMA, "Last changed 23 April 2008 \xc2\xb7 1 commit",
		       "2008-04-23", 1);
	expect_history(TRUCE, "Last changed 23 April 2008 \xc2\xb7 1 commit",
		       "2008-04-23", 1);
	expect_history(METHOD, "Last changed 23 April 2008 \xc2\xb7 1 commit",
		       "2008-04-23", 1);
}

/* Every page links to changes.html in its navigation. */
static void test_navigation_links_changes(void **state)
{
	(void)state;
	const char *pages[] = {"index.html", ALPHA, HAMAS, "changes.html",
			       "search.html"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		htmlDocPtr doc = page_in(g_out, pages[i]);
		char *xp = xasprintf("//nav//a[@href='%schanges.html']",
				     strchr(pages[i], '/') ? "../" : "");
		if (xpath_count(doc, xp) != 1)
			fail_msg("%s: no navigation link to changes.html",
				 pages[i]);
		free(xp);
		xmlFreeDoc(doc);
	}
}

/* ---- changes.html ---- */

static void test_changes_lists_commits_newest_first(void **state)
{
	(void)state;
	htmlDocPtr doc = page_in(g_out, "changes.html");
	/* C4 changed nothing in the archive. */
	const int order[] = {5, 3, 2, 1};
	const char *subjects[] = {"Alpha checked again", SUBJECT_C3,
				  "Alpha: a later line", "Add the archive"};
	const char *dates[] = {"2012-03-01", "2010-05-05", "2009-01-01",
			       "2008-04-23"};
	assert_int_equal(xpath_count(doc, "//main//li" CLS("change")), 4);
	for (int i = 0; i < 4; i++) {
		char *xp = xasprintf(
		    "string((//main//li" CLS("change") ")[%d]/@id)", i + 1);
		char *id = xpath_string(doc, xp);
		char *want = xasprintf("c-%.12s", g_ids[order[i]]);
		assert_string_equal(id, want);
		free(xp);
		free(id);
		free(want);
		xp =
		    xasprintf("string((//main//li" CLS("change") ")[%d]//*" CLS(
				  "change-subject") ")",
			      i + 1);
		char *subject = xpath_string(doc, xp);
		assert_string_equal(subject, subjects[i]);
		free(xp);
		free(subject);
		xp = xasprintf(
		    "string((//main//li" CLS("change") ")[%d]//time/@datetime)",
		    i + 1);
		char *dt = xpath_string(doc, xp);
		assert_string_equal(dt, dates[i]);
		free(xp);
		free(dt);
	}
	char *summary =
	    xpath_string(doc, "normalize-space(//main//p" CLS("lede") ")");
	assert_non_null(strstr(summary, "The 4 commits that changed"));
	free(summary);
	/* Nothing from the commit outside the archive, nor message bodies. */
	assert_int_equal(
	    xpath_count(doc, "//*[contains(text(), 'Outside the archive')]"),
	    0);
	assert_int_equal(
	    xpath_count(doc, "//*[contains(text(), 'body of the message')]"),
	    0);
	assert_int_equal(xpath_count(doc, "//main//*" CLS("history-partial")),
			 0);
	xmlFreeDoc(doc);
}

static void test_changes_subject_is_text(void **state)
{
	(void)state;
	htmlDocPtr doc = page_in(g_out, "changes.html");
	assert_int_equal(xpath_count(doc, "//script"), 0);
	xmlFreeDoc(doc);
	char *raw = get_file(g_out, "changes.html");
	assert_non_null(raw);
	assert_null(strstr(raw, "<script>"));
	assert_non_null(
	    strstr(raw, "Hamas &lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
	free(raw);
}

/* Each commit lists the entries it changed, linked by title. */
static void test_changes_link_entries(void **state)
{
	(void)state;
	htmlDocPtr doc = page_in(g_out, "changes.html");
#define ITEM(n) "(//main//li" CLS("change") ")[" #n "]//ul" CLS("change-files")
	/* C5: alpha's .md and static/map.txt. */
	assert_int_equal(xpath_count(doc, ITEM(1) "/li"), 2);
	assert_int_equal(
	    xpath_count(doc, ITEM(1) "/li/a[@href='" ALPHA "']"
				     "[.='Alpha offers a "
				     "\xe2\x80\x9ctruce\xe2\x80\x9d to Beta']"),
	    1);
	assert_int_equal(
	    xpath_count(doc, ITEM(1) "/li/code[.='static/map.txt']"), 1);
	/* C3: hamas by name. */
	assert_int_equal(xpath_count(doc, ITEM(2) "/li"), 1);
	assert_int_equal(
	    xpath_count(doc, ITEM(2) "/li/a[@href='" HAMAS "'][.='Hamas']"), 1);
	/* C2 changed alpha's .txt and .md: one entry. */
	assert_int_equal(xpath_count(doc, ITEM(3) "/li"), 1);
	assert_int_equal(xpath_count(doc, ITEM(3) "/li/a[@href='" ALPHA "']"),
			 1);
	/* C1: every entry (2 articles, 3 parties, the proposal, the page,
	 * the home page) and archive.yaml, static/map.txt. */
	assert_int_equal(xpath_count(doc, ITEM(4) "/li"), 10);
	assert_int_equal(xpath_count(doc, ITEM(4) "/li/a"), 8);
	const char *links[] = {
	    ALPHA, BETA,   HAMAS,	GAMMA, "parties/islamic-jihad.html",
	    TRUCE, METHOD, "index.html"};
	for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
		char *xp = xasprintf(ITEM(4) "/li/a[@href='%s']", links[i]);
		if (xpath_count(doc, xp) != 1)
			fail_msg("first commit: no link to %s", links[i]);
		free(xp);
	}
	assert_int_equal(xpath_count(doc, ITEM(4) "/li/code[.='archive.yaml']"),
			 1);
	/* Nothing outside the content folder. */
	assert_int_equal(
	    xpath_count(doc, "//main//code[contains(., 'README')]"), 0);
#undef ITEM
	xmlFreeDoc(doc);
}

/* ---- determinism ---- */

static int same_tree(const char *a, const char *b)
{
	return sh("diff -r '%s' '%s' >/dev/null", a, b) == 0;
}

static void test_deterministic_across_zones(void **state)
{
	(void)state;
	char *content = xasprintf("%s/content", g_repo);
	char *a = xasprintf("%s/det-a", g_tmp),
	     *b = xasprintf("%s/det-b", g_tmp);
	const char *env_a[] = {"TZ=UTC", "LC_ALL=C", NULL};
	const char *env_b[] = {"TZ=Pacific/Kiritimati", "LC_ALL=C.UTF-8", NULL};
	assert_int_equal(build_env(content, THEME, a, NULL, env_a, NULL), 0);
	assert_int_equal(build_env(content, THEME, b, NULL, env_b, NULL), 0);
	assert_true(same_tree(a, b));
	assert_true(same_tree(a, g_out));
	/* A second build into the same folder rewrites nothing. */
	char *err = NULL;
	assert_int_equal(build_env(content, THEME, a, "-v", env_b, &err), 0);
	assert_non_null(strstr(err, " 0 rewritten"));
	free(err);
	free(content);
	free(a);
	free(b);
}

/* ---- merges ---- */

/* Merges count for what they changed themselves: a clean merge for
 * nothing, a resolved conflict for the file resolved. */
static void test_merges(void **state)
{
	(void)state;
	char *repo = xasprintf("%s/merges", g_tmp);
	char *content = xasprintf("%s/content", repo);
	char *out = xasprintf("%s/merges-out", g_tmp);
	const char *r = repo;
	char merge_id[41];
	/* M1 base; S1 on side changes gamma; A1 on main the proposal; a
	 * clean merge; then S2 and A2 change hamas.md's end differently,
	 * and the merge resolves the conflict with a third text. */
	assert_int_equal(make_repo(r), 0);
	assert_int_equal(commit_all(r, "1000000000 +0000", "Base", NULL), 0);
	assert_int_equal(sh(GIT "checkout -q -b side", r), 0);
	assert_int_equal(
	    sh("printf '\\nSide.\\n' >> '%s/content/parties/gamma.md'", r), 0);
	assert_int_equal(commit_all(r, "1000000100 +0000", "Side: gamma", NULL),
			 0);
	assert_int_equal(sh(GIT "checkout -q main", r), 0);
	assert_int_equal(sh("printf '\\nMain.\\n' >> "
			    "'%s/content/proposals/2008-alpha-truce.md'",
			    r),
			 0);
	assert_int_equal(commit_all(r, "1000000200 +0000", "Main: truce", NULL),
			 0);
	assert_int_equal(sh("GIT_AUTHOR_DATE='1000000300 +0000' "
			    "GIT_COMMITTER_DATE='1000000300 +0000' " GIT
			    "merge -q --no-ff -m 'Clean merge' side",
			    r),
			 0);
	assert_int_equal(sh(GIT "checkout -q -b side2", r), 0);
	assert_int_equal(
	    sh("printf '\\nSide line.\\n' >> '%s/content/parties/hamas.md'", r),
	    0);
	assert_int_equal(commit_all(r, "1000000400 +0000", "Side: hamas", NULL),
			 0);
	assert_int_equal(sh(GIT "checkout -q main", r), 0);
	assert_int_equal(
	    sh("printf '\\nMain line.\\n' >> '%s/content/parties/hamas.md'", r),
	    0);
	assert_int_equal(commit_all(r, "1000000500 +0000", "Main: hamas", NULL),
			 0);
	sh(GIT "merge -q side2 >/dev/null 2>&1 || true", r);
	assert_int_equal(sh("git -C '%s' show side2:content/parties/hamas.md | "
			    "sed 's/Side line./Resolved line./' > "
			    "'%s/content/parties/hamas.md'",
			    r, r),
			 0);
	assert_int_equal(
	    commit_all(r, "1000000600 +0000", "Resolve hamas", merge_id), 0);
	assert_int_equal(build(content, out, NULL), 0);

	htmlDocPtr doc = page_in(out, "changes.html");
	/* Newest first: the resolving merge, A2, S2, A1, S1, M1; the clean
	 * merge changed nothing of its own. */
	assert_int_equal(xpath_count(doc, "//main//li" CLS("change")), 6);
	char *first = xpath_string(
	    doc, "string((//main//*" CLS("change-subject") ")[1])");
	assert_string_equal(first, "Resolve hamas");
	free(first);
	assert_int_equal(xpath_count(doc, "//*[.='Clean merge']"), 0);
	assert_int_equal(
	    xpath_count(doc, "(//main//li" CLS("change") ")[1]//ul/li"), 1);
	xmlFreeDoc(doc);
	char *line = history_line(out, HAMAS);
	/* M1, S2, A2 and the merge. */
	assert_string_equal(line,
			    "Last changed 9 September 2001 \xc2\xb7 4 commits");
	free(line);
	line = history_line(out, GAMMA);
	assert_string_equal(line,
			    "Last changed 9 September 2001 \xc2\xb7 2 commits");
	free(line);
	line = history_line(out, BETA);
	assert_string_equal(line,
			    "Last changed 9 September 2001 \xc2\xb7 1 commit");
	free(line);
	free(repo);
	free(content);
	free(out);
}

/* ---- partial and absent history ---- */

static void test_shallow_clone_is_partial(void **state)
{
	(void)state;
	char *clone = xasprintf("%s/shallow", g_tmp);
	char *content = xasprintf("%s/content", clone);
	char *out = xasprintf("%s/shallow-out", g_tmp);
	assert_int_equal(
	    sh("git clone -q --depth 1 'file://%s' '%s' 2>/dev/null", g_repo,
	       clone),
	    0);
	assert_int_equal(build(content, out, NULL), 0);
	/* Only C5 is there, and reads as adding every file. */
	char *line = history_line(out, ALPHA);
	assert_string_equal(line, "Last changed 1 March 2012 \xc2\xb7 1 commit "
				  "(history partial: shallow clone)");
	free(line);
	line = history_line(out, HAMAS);
	assert_string_equal(line, "Last changed 1 March 2012 \xc2\xb7 1 commit "
				  "(history partial: shallow clone)");
	free(line);
	htmlDocPtr doc = page_in(out, "changes.html");
	assert_int_equal(xpath_count(doc, "//main//li" CLS("change")), 1);
	char *note = xpath_string(
	    doc, "normalize-space(//main//p" CLS("history-partial") ")");
	assert_non_null(strstr(note, "shallow clone"));
	free(note);
	xmlFreeDoc(doc);
	remove_dir(clone);
	free(clone);
	free(content);
	free(out);
}

/* No history section, no changes.html, no link to it. */
static void expect_no_history(const char *out)
{
	assert_false(path_exists(out, "changes.html"));
	const char *pages[] = {"index.html", ALPHA, BETA, HAMAS, TRUCE, METHOD};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		htmlDocPtr doc = page_in(out, pages[i]);
		if (xpath_count(doc, "//a[contains(@href, 'changes.html')]") !=
			0 ||
		    xpath_count(doc, "//*" CLS("history") " | //*" CLS(
					 "entry-history")) != 0 ||
		    xpath_count(doc, "//*[contains(text(), 'Last changed')]") !=
			0)
			fail_msg("%s/%s shows history", out, pages[i]);
		xmlFreeDoc(doc);
	}
}

static void test_outside_any_repository(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char *content = xasprintf("%s/content", dir);
	char *out = xasprintf("%s/out", dir);
	assert_int_equal(sh("cp -R '%s/content' '%s'", g_repo, content), 0);
	char *err = NULL;
	assert_int_equal(build_env(content, THEME, out, NULL, NULL, &err), 0);
	assert_null(strstr(err, "warning: cannot read the history"));
	free(err);
	expect_no_history(out);
	remove_dir(dir);
	free(dir);
	free(content);
	free(out);
}

static void test_no_history_option(void **state)
{
	(void)state;
	char *content = xasprintf("%s/content", g_repo);
	char *out = xasprintf("%s/no-history", g_tmp);
	assert_int_equal(build(content, out, "--no-history"), 0);
	expect_no_history(out);
	const char *args[] = {"check", "-C", content, "--no-history", NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	run_result_free(&r);
	assert_int_equal(status, 0);
	free(content);
	free(out);
}

/* Whether gloss ARGS loaded libgit2, as the loader's own log (LD_DEBUG)
 * tells; its exit status goes to *STATUS. */
static bool loads_libgit2(const char *const *args, int *status)
{
	const char *env[] = {"LD_DEBUG=files", NULL};
	struct run_result r = run_gloss_env(args, env);
	*status = r.status;
	if (r.status != 0)
		fprintf(stderr, "gloss exited %d:\n%s\n", r.status, r.err);
	bool loaded = strstr(r.err, "file=libgit2.so") != NULL;
	run_result_free(&r);
	return loaded;
}

/* libgit2 and what it brings are loaded only to read history
 * (gitlib.h): by a build or a check, not with --no-history, nor by
 * --version. */
static void test_libgit2_loaded_only_for_history(void **state)
{
	(void)state;
	char *content = xasprintf("%s/content", g_repo);
	char *with = xasprintf("%s/loads-with", g_tmp);
	char *without = xasprintf("%s/loads-without", g_tmp);
	int status;
	const char *history[] = {"build", "-C", content, "-t", THEME,
				 "-o",    with, NULL};
	assert_true(loads_libgit2(history, &status));
	assert_int_equal(status, 0);
	assert_true(path_exists(with, "changes.html"));
	const char *no_history[] = {"build", "-C", content, "-t", THEME, "-o",
				    without, "--no-history", NULL};
	assert_false(loads_libgit2(no_history, &status));
	assert_int_equal(status, 0);
	const char *check[] = {"check", "-C", content, NULL};
	assert_true(loads_libgit2(check, &status));
	assert_int_equal(status, 0);
	const char *check_only[] = {"check", "-C", content, "--no-history",
				    NULL};
	assert_false(loads_libgit2(check_only, &status));
	assert_int_equal(status, 0);
	const char *version[] = {"--version", NULL};
	assert_false(loads_libgit2(version, &status));
	assert_int_equal(status, 0);
	free(content);
	free(with);
	free(without);
}

/* A repository with nothing committed yet has no history, and says
 * nothing about it. */
static void test_unborn_head(void **state)
{
	(void)state;
	char *repo = xasprintf("%s/unborn", g_tmp);
	char *content = xasprintf("%s/content", repo);
	char *out = xasprintf("%s/unborn-out", g_tmp);
	assert_int_equal(make_repo(repo), 0);
	char *err = NULL;
	assert_int_equal(build_env(content, THEME, out, NULL, NULL, &err), 0);
	assert_null(strstr(err, "history"));
	free(err);
	expect_no_history(out);
	free(repo);
	free(content);
	free(out);
}

/* A repository that cannot be read is a warning; the site is built
 * without history. */
static void test_broken_repository_warns(void **state)
{
	(void)state;
	char *repo = xasprintf("%s/broken", g_tmp);
	char *content = xasprintf("%s/content", repo);
	char *out = xasprintf("%s/broken-out", g_tmp);
	assert_int_equal(make_repo(repo), 0);
	assert_int_equal(commit_all(repo, "1000000000 +0000", "Base", NULL), 0);
	/* HEAD names a commit the repository does not have. */
	assert_int_equal(sh("echo 0123456789abcdef0123456789abcdef01234567 > "
			    "'%s/.git/refs/heads/main'",
			    repo),
			 0);
	char *err = NULL;
	assert_int_equal(build_env(content, THEME, out, NULL, NULL, &err), 0);
	assert_non_null(strstr(err, "warning: cannot read the history"));
	free(err);
	expect_no_history(out);
	free(repo);
	free(content);
	free(out);
}

/* An entry removed since is listed by its ID, unlinked. The subject has
 * a control character and a byte that is not UTF-8 (written into the
 * commit object directly: git commit would re-encode it as Latin-1):
 * readers get a space and U+FFFD. */
static void test_removed_entry(void **state)
{
	(void)state;
	char *repo = xasprintf("%s/removed", g_tmp);
	char *content = xasprintf("%s/content", repo);
	char *out = xasprintf("%s/removed-out", g_tmp);
	assert_int_equal(make_repo(repo), 0);
	assert_int_equal(sh("printf -- '---\nname: Delta\n---\n' > "
			    "'%s/content/parties/delta.md'",
			    repo),
			 0);
	assert_int_equal(commit_all(repo, "1000000000 +0000", "Base", NULL), 0);
	assert_int_equal(sh("rm '%s/content/parties/delta.md'", repo), 0);
	assert_int_equal(
	    commit_all(repo, "1000086400 +0000", "Remove Delta", NULL), 0);
	assert_int_equal(
	    sh("c=$(" GIT "cat-file commit HEAD | "
	       "perl -pe 's/^Remove Delta$/Remove \\x01Delta \\xff/' | " GIT
	       "hash-object -t commit -w --stdin) && " GIT "update-ref HEAD $c",
	       repo, repo, repo),
	    0);
	assert_int_equal(build(content, out, NULL), 0);
	assert_false(path_exists(out, "parties/delta.html"));
	htmlDocPtr doc = page_in(out, "changes.html");
	char *item = xpath_string(
	    doc, "normalize-space((//main//li" CLS("change") ")[1]//ul)");
	assert_string_equal(item, "Party: delta (no longer in the archive)");
	free(item);
	char *subject = xpath_string(doc, "normalize-space((//main//*" CLS(
					      "change-subject") ")[1])");
	assert_string_equal(subject, "Remove Delta \xef\xbf\xbd");
	free(subject);
	assert_int_equal(xpath_count(doc, "//a[contains(@href, 'delta')]"), 0);
	xmlFreeDoc(doc);
	free(repo);
	free(content);
	free(out);
}

static void test_help_names_the_option(void **state)
{
	(void)state;
	const char *args[] = {"--help", NULL};
	struct run_result r = run_gloss(args);
	int found = strstr(r.out, "--no-history") != NULL;
	run_result_free(&r);
	assert_true(found);
}

/* ---- the plain theme ---- */

static void test_plain_theme(void **state)
{
	(void)state;
	char *content = xasprintf("%s/content", g_repo);
	char *out = xasprintf("%s/plain", g_tmp);
	assert_int_equal(
	    build_env(content, "themes/plain", out, NULL, NULL, NULL), 0);
	char *line = history_line(out, HAMAS);
	assert_string_equal(line, "Last changed 5 May 2010 \xc2\xb7 2 commits");
	free(line);
	htmlDocPtr doc = page_in(out, "changes.html");
	assert_int_equal(xpath_count(doc, "//main//li" CLS("change")), 4);
	assert_int_equal(xpath_count(doc, "//nav//a[@href='changes.html']"), 1);
	xmlFreeDoc(doc);
	free(content);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entry_pages),
	    cmocka_unit_test(test_navigation_links_changes),
	    cmocka_unit_test(test_changes_lists_commits_newest_first),
	    cmocka_unit_test(test_changes_subject_is_text),
	    cmocka_unit_test(test_changes_link_entries),
	    cmocka_unit_test(test_deterministic_across_zones),
	    cmocka_unit_test(test_merges),
	    cmocka_unit_test(test_shallow_clone_is_partial),
	    cmocka_unit_test(test_outside_any_repository),
	    cmocka_unit_test(test_no_history_option),
	    cmocka_unit_test(test_libgit2_loaded_only_for_history),
	    cmocka_unit_test(test_unborn_head),
	    cmocka_unit_test(test_broken_repository_warns),
	    cmocka_unit_test(test_removed_entry),
	    cmocka_unit_test(test_help_names_the_option),
	    cmocka_unit_test(test_plain_theme),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
