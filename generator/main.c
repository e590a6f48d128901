/* gloss: the command line, and nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "archive.h"
#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "scaffold.h"
#include "site.h"
#include "template.h"
#include "xalloc.h"

#define GLOSS_VERSION "0.1.0"

enum exit_status { EXIT_OK = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_text[] =
	"usage: gloss build [-C CONTENT] [-t THEME_DIR] [-o OUTPUT]\n"
	"       gloss check [-C CONTENT]\n"
	"       gloss new article ID --from RAW.txt [--date DATE] [-C CONTENT]\n"
	"       gloss new party|page ID [-C CONTENT]\n"
	"       gloss new proposal ID [--date DATE] [--by PARTY] [-C CONTENT]\n"
	"       gloss --help | --version\n";

static const char help_text[] =
	"gloss turns an annotated archive (captured articles, Markdown notes\n"
	"anchored to their passages, parties and proposals) into a\n"
	"cross-linked static HTML site that works from a host or a folder.\n"
	"\n"
	"commands:\n"
	"  build   check the archive, then write the site\n"
	"  check   check the archive and its theme; write nothing\n"
	"  new     add an entry: an article from a capture (copied byte for\n"
	"          byte, with a title, a date and omit lines proposed for\n"
	"          the editor to check), or a party, proposal or page\n"
	"          skeleton that gloss check accepts\n"
	"\n"
	"options:\n"
	"  -C CONTENT    the content folder (default: content)\n"
	"  -t THEME_DIR  the theme folder (default: the theme named in\n"
	"                archive.yaml, looked for in themes/ beside CONTENT,\n"
	"                then beside the gloss program)\n"
	"  -o OUTPUT     the output folder (default: output); it must be\n"
	"                absent, empty, or a site gloss wrote\n"
	"  --from RAW    new article: the text as captured\n"
	"  --date DATE   new article or proposal: its date, when the ID does\n"
	"                not start with it (YYYY, YYYY-MM or YYYY-MM-DD)\n"
	"  --by PARTY    new proposal: who proposed it, when the ID does not\n"
	"                name the party\n"
	"  --help        show this help\n"
	"  --version     show the version\n"
	"\n"
	"Problems are reported as FILE:LINE:COL: error: MESSAGE, all of\n"
	"them in one run; a build with errors writes nothing.\n"
	"\n"
	"exit status: 0 success, 1 errors in the archive, 2 usage errors,\n"
	"3 failure to read or write.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "gloss: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage_text);
	return EXIT_USAGE;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder holding the gloss program, for finding installed themes. */
static char *program_dir(void)
{
	char *exe = realpath("/proc/self/exe", NULL);
	if (!exe)
		return NULL;
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return exe;
}

/* SPEC §4: themes/NAME beside the content folder, then in gloss's
 * installation. Returns a path the caller frees, or NULL. */
static char *find_theme(const char *content, const char *name)
{
	struct buf b;
	char *dir = NULL;
	buf_init(&b);
	buf_addf(&b, "%s/../themes/%s", content, name);
	if (is_dir(b.data))
		dir = buf_detach(&b, NULL);
	char *prog = dir ? NULL : program_dir();
	const char *const installed[] = {"../themes", "../share/gloss/themes"};
	for (size_t i = 0; prog && !dir && i < 2; i++) {
		buf_reset(&b);
		buf_addf(&b, "%s/%s/%s", prog, installed[i], name);
		if (is_dir(b.data))
			dir = buf_detach(&b, NULL);
	}
	free(prog);
	buf_release(&b);
	return dir;
}

static void summary(const struct diag *d)
{
	if (d->errors || d->warnings)
		fprintf(stderr, "gloss: %zu error%s, %zu warning%s\n", d->errors,
			d->errors == 1 ? "" : "s", d->warnings,
			d->warnings == 1 ? "" : "s");
}

static int run(bool build, const char *content, const char *theme_dir,
	       const char *output)
{
	struct diag d;
	struct theme theme = {0};
	bool have_theme = false;
	char *found = NULL;
	int rc = EXIT_OK;
	diag_init(&d, stderr);
	struct archive *a = archive_load(content, &d);
	/* A broken archive.yaml has been reported; its theme is unknown. */
	if (a && !theme_dir && a->config_ok) {
		found = find_theme(content, a->theme);
		if (!found)
			diag_error(&d, a->config_path, a->theme_line, a->theme_col,
				   "theme '%s' not found "
				   "in themes/ beside the content folder or in "
				   "gloss's installation; check 'theme', or give "
				   "a theme folder with -t", a->theme);
		theme_dir = found;
	}
	if (a && theme_dir)
		have_theme = theme_load(&theme, theme_dir, &d) == 0;
	if (d.errors) {
		summary(&d);
		fprintf(stderr, "gloss: nothing written\n");
		rc = EXIT_CONTENT;
		goto out;
	}
	if (build && have_theme) {
		struct site_stats stats;
		rc = site_build(a, &theme, output, &stats, &d);
		summary(&d);
		if (rc != 0)
			fprintf(stderr, "gloss: nothing written\n");
		if (rc == 0)
			fprintf(stderr, "gloss: wrote %zu files to %s (%zu articles, "
				"%zu parties, %zu proposals, %zu pages)\n",
				stats.files, output, a->article_count,
				a->party_count, a->proposal_count, a->page_count);
		if (rc == 0 && stats.search_index_bytes)
			fprintf(stderr, "gloss: search index: %zu bytes\n",
				stats.search_index_bytes);
	} else {
		summary(&d);
	}
out:
	if (have_theme || theme.dir)
		theme_release(&theme);
	free(found);
	archive_free(a);
	return rc;
}

/* gloss new KIND ID [options] */
static int run_new(int argc, char **argv)
{
	struct scaffold_options o = {"content", NULL, NULL, NULL, NULL, NULL};
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i];
		const char **target = NULL;
		if (strcmp(opt, "-C") == 0)
			target = &o.content;
		else if (strcmp(opt, "--from") == 0)
			target = &o.from;
		else if (strcmp(opt, "--date") == 0)
			target = &o.date;
		else if (strcmp(opt, "--by") == 0)
			target = &o.by;
		else if (opt[0] == '-')
			return usage_error("unknown option '%s'", opt);
		else if (!o.kind)
			o.kind = opt;
		else if (!o.id)
			o.id = opt;
		else
			return usage_error("unexpected argument '%s'", opt);
		if (target && i + 1 >= argc)
			return usage_error("option '%s' needs a value", opt);
		if (target)
			*target = argv[++i];
	}
	if (!o.kind || !o.id)
		return usage_error("%s", "new needs a kind (article, party, "
				   "proposal or page) and an ID");
	struct diag d;
	diag_init(&d, stderr);
	xmlInitParser();
	int rc = scaffold_new(&o, &d);
	xmlCleanupParser();
	return rc;
}

int main(int argc, char **argv)
{
	const char *content = "content", *theme = NULL, *output = "output";
	int rc;
	if (argc < 2)
		return usage_error("%s", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		fputs("\n", stdout);
		fputs(help_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("gloss %s\n", GLOSS_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "new") == 0)
		return run_new(argc, argv);
	bool build = strcmp(cmd, "build") == 0;
	if (!build && strcmp(cmd, "check") != 0)
		return usage_error("unknown command '%s'", cmd);
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i];
		const char **target = NULL;
		if (strcmp(opt, "-C") == 0)
			target = &content;
		else if (strcmp(opt, "-t") == 0 && build)
			target = &theme;
		else if (strcmp(opt, "-o") == 0 && build)
			target = &output;
		else
			return usage_error("unknown option '%s'", opt);
		if (i + 1 >= argc)
			return usage_error("option '%s' needs a value", opt);
		*target = argv[++i];
	}
	xmlInitParser();
	rc = run(build, content, theme, output);
	xmlCleanupParser();
	return rc;
}
