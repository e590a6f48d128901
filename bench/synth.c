/* bench/synth: writes a synthetic annotated archive for the benchmark.
 *
 *   synth N OUTDIR
 *
 * OUTDIR/gloss/ is a gloss content folder of N articles (captured text and
 * annotation with 3-6 anchored notes each), about N/50 parties and N/5
 * proposals with their positions; `gloss check` accepts it with no error
 * and no warning. OUTDIR/hugo/ is the same archive as a Hugo site (content,
 * config.toml and layouts; bench/README.md says how the two correspond).
 *
 * Deterministic: one splitmix64 stream from a fixed seed, consumed in a
 * fixed order, so the same N always gives the same bytes. C11 and libc
 * only; every file is built in memory and written with one fwrite. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SEED 20240501u
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_MENTIONS 32     /* parties one article names */
#define MAX_POSITIONS 6     /* positions anchored in one article */

/* ---- helpers: errors, allocation, random numbers, string buffers ---- */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("synth: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static uint64_t rng_state = SEED;

/* splitmix64 */
static uint64_t rnext(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static size_t rn(size_t n)
{
	return n ? (size_t)(((rnext() >> 32) * (uint64_t)n) >> 32) : 0;
}

/* Uniform in [0, 1). */
static double ru(void)
{
	return (double)(rnext() >> 11) * (1.0 / 9007199254740992.0);
}

static const char *pick(const char *const *list, size_t n)
{
	return list[rn(n)];
}
#define PICK(list) pick((list), ARRAY_LEN(list))

struct sb {
	char *p;
	size_t len, cap;
};

static void sb_need(struct sb *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

static void sb_addn(struct sb *b, const char *s, size_t n)
{
	sb_need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_adds(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_addc(struct sb *b, char c)
{
	sb_addn(b, &c, 1);
}

__attribute__((format(printf, 2, 3)))
static void sb_addf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf failed");
	sb_need(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void sb_reset(struct sb *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* A YAML double-quoted scalar. */
static void sb_yaml(struct sb *b, const char *s)
{
	sb_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(b, '\\');
		if (*s == '\n')
			sb_adds(b, "\\n");
		else
			sb_addc(b, *s);
	}
	sb_addc(b, '"');
}

/* ---- files ---- */

static struct sb path_buf;
static const char *outdir;

static void mkdirs(const char *path)
{
	char *p = xstrndup(path, strlen(path));
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			die("cannot create %s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST)
		die("cannot create %s: %s", p, strerror(errno));
	free(p);
}

__attribute__((format(printf, 2, 3)))
static void write_file(const struct sb *data, const char *fmt, ...)
{
	va_list ap;
	sb_reset(&path_buf);
	sb_adds(&path_buf, outdir);
	sb_addc(&path_buf, '/');
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_need(&path_buf, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(path_buf.p + path_buf.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	path_buf.len += (size_t)n;
	FILE *f = fopen(path_buf.p, "wb");
	if (!f)
		die("cannot write %s: %s", path_buf.p, strerror(errno));
	if (data->len && fwrite(data->p, 1, data->len, f) != data->len)
		die("cannot write %s: %s", path_buf.p, strerror(errno));
	if (fclose(f) != 0)
		die("cannot write %s: %s", path_buf.p, strerror(errno));
}

/* ---- vocabulary ---- */

static const char *const consonants = "bdfgklmnprstvz";
static const char *const vowels = "aeiou";

static const char *const weekdays[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"};
static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"};
static const char *const durations[] = {
	"three-day", "week-long", "ten-day", "month-long", "six-week",
	"72-hour", "year-long", "two-week"};
static const char *const truce_kinds[] = {
	"truce", "ceasefire", "humanitarian pause", "prisoner exchange",
	"de-escalation plan", "period of calm"};
static const char *const roles[] = {
	"spokesman", "spokeswoman", "senior official", "negotiator",
	"foreign minister", "political adviser", "deputy leader"};
static const char *const agencies[] = {
	"the Meridian Wire", "the Harbour Press Agency", "Radio Eastgate",
	"the Coastal Herald", "Northgate Daily", "the Evening Ledger"};
static const char *const outlets[] = {
	"The Meridian Wire", "Harbour Press Agency", "The Coastal Herald",
	"Northgate Daily", "The Evening Ledger", "Radio Eastgate",
	"The Plains Observer", "Valley News Service", "The Morning Courier",
	"Unidentified outlet"};
/* Person names start with a vowel, party names with a consonant: no
 * person is ever taken for a party. */
static const char *const first_names[] = {
	"Amani", "Omar", "Ines", "Elias", "Ayla", "Idris", "Esra", "Umar",
	"Anouk", "Emre", "Ilse", "Oren", "Aziza", "Ivo", "Ebru", "Otto"};
static const char *const surnames[] = {
	"Okafor", "Arslan", "Eriksen", "Aziz", "Osman", "Ibarra", "Ueda",
	"Amsel", "Elkin", "Ortega", "Iqbal", "Andersen", "Oyelaran", "Esposito"};
static const char *const stance_names[] = {
	"accepted", "rejected", "conditional", "undecided"};
static const char *const status_names[] = {
	"proposed", "negotiating", "accepted", "rejected", "lapsed",
	"implemented"};

/* Sentences of the captured texts. %P a party of the article (each one
 * in turn first, then any), %Q another, %N a number, %D a weekday, %L a
 * place, %R a person, %G a role, %O an agency, %U a duration, %T a kind
 * of truce, %M a month. No template starts with a number. */
static const char *const sentences[] = {
	"%P officials said on %D that talks on a %U %T had made progress in %L.",
	"The proposal would see %N prisoners released in exchange for a halt to operations around %L, according to %P sources.",
	"%R, a %G for %P, told %O that the group would study the offer before giving an answer.",
	"Mediators from %P held separate meetings with both delegations in %L on %D.",
	"At least %N people were killed in strikes on %L overnight, local health officials said.",
	"%P has rejected similar offers in the past, saying they did not address the closure of the crossings.",
	"The talks are expected to resume in %L next week, a diplomat familiar with the negotiations told %O.",
	"%P said the %T would collapse if attacks on %L continued.",
	"A senior %P official, speaking on condition of anonymity, said a draft text had been exchanged on %D.",
	"%P and %Q have not held direct talks since %M, when an earlier %T broke down.",
	"Aid convoys carrying %N tonnes of supplies entered %L on %D, the first since the fighting began.",
	"%R said the offer was a step forward but that %Q must first stop its operations in %L.",
	"The %U %T was first proposed in %M by envoys from %P, who have mediated between the sides for years.",
	"Residents of %L described a night of heavy shelling, with %N homes reported damaged.",
	"In a statement issued on %D, %P called on %Q to release %N detainees held since %M.",
	"Negotiators in %L were said to be discussing a phased plan, with the first phase lasting %N days.",
	"According to %O, %P had asked for guarantees that the %T would be observed by both sides.",
	"%R, who leads the %P delegation, arrived in %L on %D for a new round of talks.",
	"Officials in %L said %N rockets had been fired since the start of %M.",
	"The envoy of the United Nations in %L urged both sides to accept the %T without preconditions.",
	"The cabinet of %P met late on %D to discuss the proposal, but no decision was announced.",
	"Previous rounds of talks in %L ended without agreement on the exchange of prisoners.",
	"Critics within %P argued that the %T would allow %Q to regroup.",
	"The border crossing at %L was reopened for %N hours to allow medical evacuations.",
	"%R said there would be no %T until the siege of %L was lifted.",
	"Prices of food and fuel in %L have risen sharply since %M, according to aid groups.",
	"%P denied reports that it had agreed to a %U %T, calling them premature.",
	"A statement from %Q said the proposal contained nothing new.",
	"Talks were held through intermediaries, and the delegations in %L did not meet face to face.",
	"The %T, if agreed, would be monitored by observers from %P, %O reported.",
	"Some %N families remained displaced in and around %L, the local council said on %D.",
	"The plan also provides for the reopening of schools in %L and the repair of the water network.",
	"%R warned that the window for a deal was closing and that %P would not wait indefinitely.",
	"It was not immediately clear whether %Q had received the text of the proposal.",
	"Earlier on %D, %P forces said they had intercepted %N projectiles near %L.",
	"%R of %P described the latest draft as balanced, while officials of %Q called it vague.",
	"Fighting around %L eased on %D, residents said, although sporadic gunfire could still be heard.",
	"Diplomats in %L said the gap between the two sides had narrowed to the number of prisoners, put at %N.",
};

static const char *const headlines[] = {
	"%P rejects %U %T offer as talks in %L stall",
	"%P says it is ready to discuss a %T with %Q",
	"Mediators press %P and %Q to accept %U %T",
	"%P offers %U %T in exchange for %N prisoners",
	"Fighting in %L continues as %P weighs %T proposal",
	"%P and %Q trade accusations as %T talks resume in %L",
	"Envoys of %P arrive in %L with new %T plan",
};

/* ---- the archive's model ---- */

enum { KIND_STATE, KIND_MOVEMENT, KIND_MEDIATOR };

struct party {
	char id[48];
	char name[48];
	char alias[3][48];
	int nalias;
	int kind;
	size_t *positions, npositions; /* indexes into positions[] */
	size_t *proposed, nproposed;    /* proposals it made */
	size_t *mediated, nmediated;    /* proposals it mediated */
	size_t first_article;           /* an article that mentions it */
};

struct article {
	char id[128];
	char *headline;
	int y, m, d, prec; /* prec: 1 year, 2 month, 3 day */
	size_t party[MAX_MENTIONS];
	size_t nparty;
	size_t pos[MAX_POSITIONS]; /* indexes into positions[] */
	size_t npos;
	long listed; /* a proposal named in front matter, or -1 */
};

struct proposal {
	char id[128];
	char title[160];
	char what[96]; /* "a week-long truce" */
	size_t proposer;
	long mediator;
	size_t addressed[2];
	size_t naddressed;
	int status, y, m, prec, dur, kind, num;
	size_t first_pos, npos;
	size_t place;
};

struct position {
	size_t proposal, party, article;
	int stance;
	char *quote;
};

static size_t n_articles, n_parties, n_proposals, n_positions;
static struct article *articles;
static struct party *parties;
static struct proposal *proposals;
static struct position *positions;
static char places[96][8];

/* A capitalised word of three consonant-vowel syllables, distinct for
 * each K below 70^3: k is scrambled by a multiplier prime to 70^3. */
static void syllable_word(size_t k, char *out)
{
	const size_t nsyl = 14 * 5, range = nsyl * nsyl * nsyl;
	size_t v = (k * 104729u + 4111u) % range;
	for (int i = 0; i < 3; i++) {
		size_t s = v % nsyl;
		v /= nsyl;
		out[2 * i] = consonants[s / 5];
		out[2 * i + 1] = vowels[s % 5];
	}
	out[6] = '\0';
	out[0] = (char)(out[0] - 'a' + 'A');
}

static void lower_id(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	bool dash = false;
	for (; *s && n + 2 < cap; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0)
				out[n++] = '-';
			dash = false;
			out[n++] = c;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
}

static void make_parties(void)
{
	static const char *const movement_words[] = {
		"Front", "Movement", "Brigades", "Alliance"};
	static const char *const mediator_words[] = {"Council", "League"};
	for (size_t i = 0; i < n_parties; i++) {
		struct party *p = &parties[i];
		char w[8];
		syllable_word(i, w);
		double u = ru();
		p->kind = u < 0.45 ? KIND_STATE : u < 0.8 ? KIND_MOVEMENT
							   : KIND_MEDIATOR;
		switch (p->kind) {
		case KIND_STATE:
			snprintf(p->name, sizeof p->name, "%s", w);
			snprintf(p->alias[0], sizeof p->alias[0], "%s", w);
			/* the demonym: "Israeli" needs its own alias */
			snprintf(p->alias[1], sizeof p->alias[1], "%sn", w);
			p->nalias = 2;
			if (rn(3) == 0)
				snprintf(p->alias[p->nalias++], sizeof p->alias[0],
					 "Republic of %s", w);
			break;
		case KIND_MOVEMENT:
			snprintf(p->name, sizeof p->name, "%s %s", w,
				 PICK(movement_words));
			snprintf(p->alias[0], sizeof p->alias[0], "%s", p->name);
			p->nalias = 1;
			if (rn(2) == 0)
				snprintf(p->alias[p->nalias++], sizeof p->alias[0],
					 "%s", w);
			break;
		default:
			snprintf(p->name, sizeof p->name, "%s %s", w,
				 PICK(mediator_words));
			snprintf(p->alias[0], sizeof p->alias[0], "%s", p->name);
			p->nalias = 1;
			break;
		}
		lower_id(p->name, p->id, sizeof p->id);
		p->first_article = (size_t)-1;
	}
}

static void make_places(void)
{
	static const char finals[] = "rlkstmd";
	for (size_t i = 0; i < ARRAY_LEN(places); i++) {
		/* consonant-vowel-consonant-vowel-consonant: no party name
		 * (three syllables, ending in a vowel or "n") has that form */
		size_t a = (i * 37 + 5) % 70, b = (i * 53 + 11) % 70;
		char *s = places[i];
		s[0] = (char)(consonants[a / 5] - 'a' + 'A');
		s[1] = vowels[a % 5];
		s[2] = consonants[b / 5];
		s[3] = vowels[b % 5];
		s[4] = finals[i % 7];
		s[5] = '\0';
	}
}

static const char *place(void)
{
	return places[rn(ARRAY_LEN(places))];
}

/* The alias an article uses for party P this time. */
static const char *alias_of(size_t p)
{
	const struct party *pt = &parties[p];
	return pt->alias[rn((size_t)pt->nalias)];
}

/* ---- text ---- */

/* Expansion of templates: the article's parties, each used once in
 * turn, then at random. */
struct voice {
	const size_t *party;
	size_t nparty, next;
	bool used[MAX_MENTIONS];
	size_t last;
};

static size_t voice_party(struct voice *v)
{
	size_t k = v->next < v->nparty ? v->next++ : rn(v->nparty);
	v->used[k] = true;
	v->last = k;
	return v->party[k];
}

static void expand(struct sb *b, const char *t, struct voice *v)
{
	for (; *t; t++) {
		if (*t != '%') {
			sb_addc(b, *t);
			continue;
		}
		switch (*++t) {
		case 'P':
			sb_adds(b, alias_of(voice_party(v)));
			break;
		case 'Q':
			if (v->nparty < 2) {
				sb_adds(b, "the other side");
			} else {
				size_t k = rn(v->nparty - 1);
				if (k >= v->last)
					k++;
				v->used[k] = true;
				sb_adds(b, alias_of(v->party[k]));
			}
			break;
		case 'N':
			sb_addf(b, "%zu", 2 + rn(399));
			break;
		case 'D':
			sb_adds(b, PICK(weekdays));
			break;
		case 'L':
			sb_adds(b, place());
			break;
		case 'R':
			sb_addf(b, "%s %s", PICK(first_names), PICK(surnames));
			break;
		case 'G':
			sb_adds(b, PICK(roles));
			break;
		case 'O':
			sb_adds(b, PICK(agencies));
			break;
		case 'U':
			sb_adds(b, PICK(durations));
			break;
		case 'T':
			sb_adds(b, PICK(truce_kinds));
			break;
		case 'M':
			sb_adds(b, PICK(months));
			break;
		default:
			die("bad template %s", t);
		}
	}
}

static void date_iso(const struct article *a, char *out, size_t cap)
{
	if (a->prec == 3)
		snprintf(out, cap, "%04d-%02d-%02d", a->y, a->m, a->d);
	else if (a->prec == 2)
		snprintf(out, cap, "%04d-%02d", a->y, a->m);
	else
		snprintf(out, cap, "%04d", a->y);
}

static void date_shown(int y, int m, int d, int prec, char *out, size_t cap)
{
	if (prec == 3)
		snprintf(out, cap, "%d %s %d", d, months[m - 1], y);
	else if (prec == 2)
		snprintf(out, cap, "%s %d", months[m - 1], y);
	else
		snprintf(out, cap, "%d", y);
}

static int compare_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

static bool has_party(const struct article *a, size_t p)
{
	for (size_t i = 0; i < a->nparty; i++)
		if (a->party[i] == p)
			return true;
	return false;
}

static void add_party(struct article *a, size_t p)
{
	if (!has_party(a, p) && a->nparty < MAX_MENTIONS)
		a->party[a->nparty++] = p;
}

/* Pass 1: dates, the parties each article is mainly about, headlines
 * and IDs. Articles are in date order. */
static void plan_articles(void)
{
	int *keys = xcalloc(n_articles, sizeof *keys);
	for (size_t i = 0; i < n_articles; i++)
		keys[i] = (int)(2008 + rn(17)) * 10000 + (int)(1 + rn(12)) * 100 +
			  (int)(1 + rn(28));
	qsort(keys, n_articles, sizeof *keys, compare_int);
	struct sb b = {0};
	for (size_t i = 0; i < n_articles; i++) {
		struct article *a = &articles[i];
		a->y = keys[i] / 10000;
		a->m = keys[i] / 100 % 100;
		a->d = keys[i] % 100;
		double u = ru();
		a->prec = u < 0.85 ? 3 : u < 0.95 ? 2 : 1;
		a->listed = -1;
		/* every party is some article's main party, so every party
		 * is mentioned; the others follow a skewed distribution, so
		 * that a few parties are named in many articles */
		add_party(a, i % n_parties);
		for (size_t k = 1 + rn(3); k > 0; k--) {
			double v = ru();
			add_party(a, (size_t)((double)n_parties * v * v * v));
		}
		if (a->nparty < 2 && n_parties > 1)
			add_party(a, (i + 1) % n_parties);
		struct voice voice = {a->party, a->nparty, 0, {0}, 0};
		sb_reset(&b);
		expand(&b, PICK(headlines), &voice);
		a->headline = xstrndup(b.p, b.len);
		char slug[64];
		lower_id(a->headline, slug, 48);
		/* trim the slug at a word */
		char *dash = strrchr(slug, '-');
		if (strlen(slug) > 40 && dash)
			*dash = '\0';
		if (a->prec >= 2)
			snprintf(a->id, sizeof a->id, "%04d-%02d-%s-%zx", a->y,
				 a->m, slug, i);
		else
			snprintf(a->id, sizeof a->id, "%04d-%s-%zx", a->y, slug,
				 i);
	}
	free(b.p);
	free(keys);
}

/* Pass 2: proposals and their positions, anchored in articles around the
 * proposal's date. */
static void plan_proposals(void)
{
	size_t cap = 0;
	size_t span = n_articles / n_proposals;
	if (span == 0)
		span = 1;
	for (size_t j = 0; j < n_proposals; j++) {
		struct proposal *pr = &proposals[j];
		size_t base = j * n_articles / n_proposals + rn(span);
		if (base >= n_articles)
			base = n_articles - 1;
		pr->proposer = articles[base].party[0];
		pr->mediator = -1;
		if (n_parties > 2 && rn(5) < 2) {
			size_t m = rn(n_parties);
			if (m != pr->proposer)
				pr->mediator = (long)m;
		}
		pr->dur = (int)rn(ARRAY_LEN(durations));
		pr->kind = (int)rn(ARRAY_LEN(truce_kinds));
		pr->num = (int)(10 + rn(391));
		pr->status = (int)rn(ARRAY_LEN(status_names));
		pr->place = rn(ARRAY_LEN(places));
		pr->first_pos = n_positions;
		size_t want = 1 + rn(4);
		size_t earliest = n_articles;
		for (size_t k = 0; k < want; k++) {
			/* a party other than the proposer and those already
			 * placed: the article's own parties first */
			size_t party = 0;
			bool found = false;
			for (int tries = 0; tries < 8 && !found; tries++) {
				party = tries < 4 && k < articles[base].nparty
						? articles[base].party[rn(articles[base].nparty)]
						: rn(n_parties);
				found = party != pr->proposer || n_parties == 1;
				for (size_t q = pr->first_pos; found && q < n_positions; q++)
					found = positions[q].party != party;
			}
			if (!found)
				continue;
			size_t art = base + rn(8);
			while (art < n_articles && articles[art].npos >= MAX_POSITIONS)
				art++;
			if (art >= n_articles)
				continue;
			if (n_positions == cap) {
				cap = cap ? cap * 2 : 1024;
				positions = xrealloc(positions, cap * sizeof *positions);
			}
			positions[n_positions] = (struct position){
				j, party, art, (int)rn(4), NULL};
			articles[art].pos[articles[art].npos++] = n_positions;
			add_party(&articles[art], party);
			if (art < earliest)
				earliest = art;
			n_positions++;
		}
		pr->npos = n_positions - pr->first_pos;
		for (size_t q = pr->first_pos; q < n_positions && pr->naddressed < 2; q++)
			pr->addressed[pr->naddressed++] = positions[q].party;
		if (earliest == n_articles)
			earliest = base;
		const struct article *e = &articles[earliest];
		pr->y = e->y;
		pr->m = e->m;
		pr->prec = e->prec == 1 ? 1 : 2;
		const struct party *by = &parties[pr->proposer];
		char when[32];
		date_shown(pr->y, pr->m, 1, pr->prec, when, sizeof when);
		snprintf(pr->what, sizeof pr->what, "a %s %s for %d prisoners",
			 durations[pr->dur], truce_kinds[pr->kind], pr->num);
		snprintf(pr->title, sizeof pr->title, "%s proposal of %s %s (%s)",
			 by->name, durations[pr->dur], truce_kinds[pr->kind], when);
		char slug[80];
		snprintf(slug, sizeof slug, "%s %s %s %zx", by->name,
			 durations[pr->dur], truce_kinds[pr->kind], j);
		char rest[100];
		lower_id(slug, rest, sizeof rest);
		if (pr->prec == 2)
			snprintf(pr->id, sizeof pr->id, "%04d-%02d-%s", pr->y,
				 pr->m, rest);
		else
			snprintf(pr->id, sizeof pr->id, "%04d-%s", pr->y, rest);
	}
	/* an article sometimes names, in its front matter, a proposal it
	 * covers without quoting it */
	for (size_t i = 0; i < n_articles; i++)
		if (rn(10) == 0)
			articles[i].listed = (long)(i * n_proposals / n_articles);
}

/* The sentence of a position: the party's own answer, quoted whole. */
static void position_sentence(struct sb *b, const struct position *pos)
{
	const struct proposal *pr = &proposals[pos->proposal];
	const char *who = alias_of(pos->party);
	switch (pos->stance) {
	case 0:
		sb_addf(b, "%s said it had accepted the proposal for %s, a %s "
			"told reporters in %s", who, pr->what, PICK(roles),
			place());
		break;
	case 1:
		sb_addf(b, "%s has rejected the proposal for %s, saying it did "
			"not meet its demands on %s", who, pr->what, place());
		break;
	case 2:
		sb_addf(b, "%s said it would accept the proposal for %s only if "
			"the crossings into %s were reopened", who, pr->what,
			place());
		break;
	default:
		sb_addf(b, "%s said it was still studying the proposal for %s "
			"and would reply within %zu days", who, pr->what,
			2 + rn(20));
		break;
	}
}

static size_t count_in(const char *hay, size_t hlen, const char *needle,
		       size_t nlen)
{
	size_t n = 0;
	for (const char *p = hay; (size_t)(hay + hlen - p) >= nlen;) {
		const char *hit = memchr(p, needle[0], (size_t)(hay + hlen - p));
		if (!hit || (size_t)(hay + hlen - hit) < nlen)
			break;
		if (memcmp(hit, needle, nlen) == 0)
			n++;
		p = hit + 1;
	}
	return n;
}

struct span {
	size_t start, len;
};

/* One article's captured text and where its sentences are. */
struct capture {
	struct sb txt;          /* the .txt, as written */
	struct sb shown;        /* the shown lines, for Hugo: paragraphs */
	struct span *sent;      /* sentences that notes may quote */
	size_t nsent, capsent;
	struct span pos[MAX_POSITIONS]; /* the position quotes */
	char *omit;             /* the article's own omitted line, or NULL */
};

static void add_line(struct capture *c, const char *s, size_t n, bool shown)
{
	sb_addn(&c->txt, s, n);
	sb_adds(&c->txt, "\n\n");
	if (shown) {
		sb_addn(&c->shown, s, n);
		sb_adds(&c->shown, "\n\n");
	}
}

/* Writes the text of article A into C. Returns false when a position
 * quote does not occur exactly once (the caller draws again). */
static bool write_capture(const struct article *a, struct capture *c)
{
	struct sb line = {0};
	struct voice voice = {a->party, a->nparty, 0, {0}, 0};
	bool ok = true;
	sb_reset(&c->txt);
	sb_reset(&c->shown);
	c->nsent = 0;
	free(c->omit);
	c->omit = NULL;
	add_line(c, a->headline, strlen(a->headline), true);
	voice.next = 1; /* the headline names the main party */
	voice.used[0] = true;
	if (rn(10) < 3) {
		sb_addf(&line, "Photo: %s %s / %s", PICK(first_names),
			PICK(surnames), PICK(agencies));
		c->omit = xstrndup(line.p, line.len);
		add_line(c, line.p, line.len, false);
	}
	size_t target = 3000 + rn(2001);
	size_t paras = 15 + rn(26);
	size_t per = target / paras;
	size_t pos_para[MAX_POSITIONS];
	for (size_t k = 0; k < a->npos; k++)
		pos_para[k] = rn(paras);
	for (size_t p = 0; p < paras; p++) {
		sb_reset(&line);
		size_t base = c->txt.len;
		/* the article's parties not named yet go in the last lines */
		bool last = p + 1 == paras;
		for (size_t k = 0; k < a->npos; k++) {
			if (pos_para[k] != p)
				continue;
			if (line.len)
				sb_addc(&line, ' ');
			c->pos[k].start = base + line.len;
			position_sentence(&line, &positions[a->pos[k]]);
			c->pos[k].len = base + line.len - c->pos[k].start;
			sb_addc(&line, '.');
		}
		/* a sentence is about 110 bytes: stop where the next one
		 * would overshoot by more than half */
		while (line.len == 0 || line.len + 55 < per ||
		       (last && voice.next < voice.nparty)) {
			if (line.len)
				sb_addc(&line, ' ');
			size_t start = line.len;
			expand(&line, PICK(sentences), &voice);
			if (c->nsent == c->capsent) {
				c->capsent = c->capsent ? c->capsent * 2 : 64;
				c->sent = xrealloc(c->sent, c->capsent * sizeof *c->sent);
			}
			c->sent[c->nsent++] = (struct span){base + start,
							    line.len - start};
		}
		add_line(c, line.p, line.len, true);
		if (rn(25) == 0)
			add_line(c, "Advertisement", 13, false);
	}
	if (rn(10) < 3)
		add_line(c, "Share this story", 16, false);
	/* the .txt has single newlines after the last line */
	c->txt.len--;
	c->txt.p[c->txt.len] = '\0';
	for (size_t k = 0; k < a->npos && ok; k++)
		ok = count_in(c->txt.p, c->txt.len, c->txt.p + c->pos[k].start,
			      c->pos[k].len) == 1;
	free(line.p);
	return ok;
}

/* Both renderings of a Markdown text: gloss's entry links and Hugo's
 * site paths (made relative by relativeURLs). */
struct md2 {
	struct sb *g, *h;
};

static void md_text(struct md2 *o, const char *s)
{
	sb_adds(o->g, s);
	sb_adds(o->h, s);
}

__attribute__((format(printf, 2, 3)))
static void md_textf(struct md2 *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	md_text(o, tmp);
}

static void md_party(struct md2 *o, size_t p)
{
	sb_addf(o->g, "[](party:%s)", parties[p].id);
	sb_addf(o->h, "[%s](/parties/%s.html)", parties[p].name, parties[p].id);
}

/* The proposals linked since the caller last cleared it. */
static size_t linked[16];
static size_t nlinked;

static void md_proposal(struct md2 *o, size_t j, const char *text)
{
	if (nlinked < ARRAY_LEN(linked))
		linked[nlinked++] = j;
	sb_addf(o->g, "[%s](proposal:%s)", text, proposals[j].id);
	sb_addf(o->h, "[%s](/proposals/%s.html)", text, proposals[j].id);
}

static void md_article(struct md2 *o, size_t i, const char *text)
{
	sb_addf(o->g, "[%s](article:%s)", text, articles[i].id);
	sb_addf(o->h, "[%s](/articles/%s.html)", text, articles[i].id);
}

/* Another article near I, or I itself when it is alone. */
static size_t near_article(size_t i)
{
	if (n_articles == 1)
		return i;
	size_t d = 1 + rn(30);
	size_t j = rn(2) ? i + d : (i >= d ? i - d : i + d);
	if (j >= n_articles)
		j = i > 0 ? i - 1 : i + 1;
	return j;
}

/* The proposals an article's notes link: those anchored in it, else the
 * one of its time. */
static size_t article_proposal(const struct article *a, size_t i)
{
	if (a->npos)
		return positions[a->pos[rn(a->npos)]].proposal;
	return i * n_proposals / n_articles;
}

static void proposal_name(size_t j, char *out, size_t cap)
{
	const struct proposal *pr = &proposals[j];
	snprintf(out, cap, "%s %s proposal", durations[pr->dur],
		 truce_kinds[pr->kind]);
}

/* A note's text: one or two paragraphs, each linking an entry; the first
 * word is never a link (run.sh edits it). */
static void write_note(struct md2 *o, const struct article *a, size_t i)
{
	size_t x = a->party[rn(a->nparty)];
	size_t y = a->party[rn(a->nparty)];
	size_t j = article_proposal(a, i);
	size_t other = near_article(i);
	const char *rel = other < i ? "earlier" : "later";
	char pname[96], text[128];
	proposal_name(j, pname, sizeof pname);
	switch (rn(8)) {
	case 0:
		md_text(o, "The text attributes this to ");
		md_party(o, x);
		md_text(o, "; no other source in it confirms the account.");
		break;
	case 1:
		md_text(o, "This is the first statement by ");
		md_party(o, x);
		md_text(o, " on the ");
		md_proposal(o, j, pname);
		md_text(o, " in the text.");
		break;
	case 2:
		md_text(o, "Here the report follows the account of ");
		md_party(o, x);
		snprintf(text, sizeof text, "%s report", rel);
		md_text(o, ", which differs in its figures from an ");
		md_article(o, other, text);
		md_text(o, ".");
		break;
	case 3:
		md_text(o, "According to the text, the offer was passed on by "
			   "mediators; the ");
		md_proposal(o, j, pname);
		md_text(o, " names no mediator for ");
		md_party(o, y);
		md_text(o, ".");
		break;
	case 4:
		md_text(o, "No date is given for this statement; a ");
		snprintf(text, sizeof text, "%s report", rel);
		md_article(o, other, text);
		md_textf(o, " places the talks in %s.", place());
		break;
	case 5:
		md_textf(o, "The figure of %zu is not repeated elsewhere; see ",
			 2 + rn(399));
		md_party(o, x);
		md_text(o, " for the other reports.");
		break;
	case 6:
		md_text(o, "This passage is the only place where the text names ");
		md_party(o, x);
		md_text(o, " as a party to the talks.");
		break;
	default:
		md_text(o, "Nothing in the text shows whether ");
		md_party(o, y);
		md_text(o, " answered; the ");
		md_proposal(o, j, pname);
		md_text(o, " stays open in the archive.");
		break;
	}
	if (rn(2) == 0)
		return;
	md_text(o, "\n\n");
	switch (rn(3)) {
	case 0:
		snprintf(text, sizeof text, "%s report", rel);
		md_text(o, "The same point is made in an ");
		md_article(o, other, text);
		md_textf(o, ", where the number is given as %zu.", 2 + rn(399));
		break;
	case 1:
		md_text(o, "It should be read with the ");
		md_proposal(o, j, pname);
		md_text(o, ", whose terms are summarised on its page.");
		break;
	default:
		md_textf(o, "The spokesman quoted in %s is not named elsewhere; "
			    "see also ", place());
		md_party(o, x);
		md_text(o, ".");
		break;
	}
}

struct note {
	size_t start, len;
};

static int compare_notes(const void *x, const void *y)
{
	const struct note *a = x, *b = y;
	return (a->start > b->start) - (a->start < b->start);
}

/* Picks N_NOTES passages: whole sentences or runs of at least six of
 * their words, each occurring once in the text. */
static size_t pick_notes(const struct capture *c, struct note *notes,
			 size_t want)
{
	size_t n = 0;
	for (int tries = 0; n < want && tries < 60; tries++) {
		const struct span *s = &c->sent[rn(c->nsent)];
		const char *t = c->txt.p + s->start;
		size_t start = 0, len = s->len;
		/* half the passages are whole sentences; the others their
		 * first eight words or more, or what follows a comma */
		size_t words[128], nw = 0;
		for (size_t k = 0; k < s->len && nw < 128; k++)
			if (k == 0 || t[k - 1] == ' ')
				words[nw++] = k;
		int how = (int)rn(4);
		if (how == 2 && nw > 10) {
			size_t to = 8 + rn(nw - 9);
			len = words[to] - 1;
		} else if (how == 3) {
			const char *comma = memchr(t, ',', s->len);
			if (comma && s->len - (size_t)(comma - t) > 40) {
				start = (size_t)(comma - t) + 2;
				len = s->len - start;
			}
		}
		/* a passage starts with a letter and has no trailing space */
		while (start < s->len && !((t[start] >= 'A' && t[start] <= 'Z') ||
					   (t[start] >= 'a' && t[start] <= 'z'))) {
			start++;
			len--;
		}
		while (len > 0 && (t[start + len - 1] == ' ' ||
				   t[start + len - 1] == ','))
			len--;
		if (len < 20)
			continue;
		bool taken = false;
		for (size_t k = 0; k < n && !taken; k++)
			taken = notes[k].start < s->start + s->len &&
				notes[k].start + notes[k].len > s->start;
		if (taken)
			continue;
		if (count_in(c->txt.p, c->txt.len, t + start, len) != 1)
			continue;
		notes[n++] = (struct note){s->start + start, len};
	}
	qsort(notes, n, sizeof *notes, compare_notes);
	return n;
}

static const char *const date_notes_month[] = {
	"The capture has no date line; the month follows from the events it reports.",
	"The text does not state its date; it refers to talks held earlier in the same month.",
};
static const char *const date_notes_year[] = {
	"Only the year can be established: the text refers to the fighting of that year.",
	"The capture carries no date; the year follows from the proposals it reports.",
};

/* Pass 3: each article's .txt and .md, and its Hugo page. */
static void write_articles(void)
{
	struct capture c = {0};
	struct sb md = {0}, hu = {0}, gnote = {0}, hnote = {0};
	struct note notes[8];
	for (size_t i = 0; i < n_articles; i++) {
		struct article *a = &articles[i];
		int tries = 0;
		while (!write_capture(a, &c))
			if (++tries > 20)
				die("cannot place the positions of %s", a->id);
		for (size_t k = 0; k < a->npos; k++) {
			struct position *pos = &positions[a->pos[k]];
			pos->quote = xstrndup(c.txt.p + c.pos[k].start,
					      c.pos[k].len);
		}
		for (size_t k = 0; k < a->nparty; k++)
			if (parties[a->party[k]].first_article == (size_t)-1)
				parties[a->party[k]].first_article = i;
		size_t nn = pick_notes(&c, notes, 3 + rn(4));
		char iso[16], shown[32];
		date_iso(a, iso, sizeof iso);
		date_shown(a->y, a->m, a->d, a->prec, shown, sizeof shown);
		const char *outlet = PICK(outlets);
		const char *date_note = a->prec == 3 ? NULL
				      : a->prec == 2 ? PICK(date_notes_month)
						     : PICK(date_notes_year);
		char byline[64] = "";
		if (rn(2))
			snprintf(byline, sizeof byline, "%s %s", PICK(first_names),
				 PICK(surnames));

		/* proposals the article covers: positions, notes, front matter */
		size_t covered[MAX_POSITIONS + 16], ncovered = 0;
#define COVER(j)                                                     \
	do {                                                         \
		size_t j_ = (j), k_ = 0;                             \
		while (k_ < ncovered && covered[k_] != j_)           \
			k_++;                                        \
		if (k_ == ncovered && ncovered < ARRAY_LEN(covered)) \
			covered[ncovered++] = j_;                    \
	} while (0)
		for (size_t k = 0; k < a->npos; k++)
			COVER(positions[a->pos[k]].proposal);

		/* the introduction and the notes, for both sites */
		sb_reset(&gnote);
		sb_reset(&hnote);
		struct md2 o = {&gnote, &hnote};
		size_t x = a->party[0], y = a->party[a->nparty > 1 ? 1 : 0];
		md_textf(&o, "A report from %s on the talks between ", PICK(agencies));
		md_party(&o, x);
		md_text(&o, " and ");
		md_party(&o, y);
		md_textf(&o, " over a %s %s.", PICK(durations), PICK(truce_kinds));
		if (a->npos || rn(2)) {
			size_t j = article_proposal(a, i);
			char pname[96];
			proposal_name(j, pname, sizeof pname);
			md_text(&o, " It also covers the ");
			md_proposal(&o, j, pname);
			md_text(&o, ".");
			COVER(j);
		}
		size_t intro_g = gnote.len;

		sb_reset(&md);
		sb_reset(&hu);
		sb_addf(&md, "---\noutlet: %s\ndate: %s\n", outlet, iso);
		sb_addf(&hu, "---\ntitle: ");
		sb_yaml(&hu, a->headline);
		sb_addf(&hu, "\ndate: %04d-%02d-%02d\ndate_iso: \"%s\"\n"
			"date_shown: \"%s\"\noutlet: ", a->y, a->m,
			a->prec == 3 ? a->d : 1, iso, shown);
		sb_yaml(&hu, outlet);
		sb_addc(&hu, '\n');
		if (date_note) {
			sb_adds(&md, "date_note: ");
			sb_yaml(&md, date_note);
			sb_adds(&md, "\n");
			sb_adds(&hu, "date_note: ");
			sb_yaml(&hu, date_note);
			sb_adds(&hu, "\n");
		}
		sb_addf(&md, "url: https://news.example.org/%s\n", a->id);
		sb_addf(&hu, "source_url: https://news.example.org/%s\n", a->id);
		if (byline[0]) {
			sb_addf(&md, "byline: %s\n", byline);
			sb_addf(&hu, "byline: %s\n", byline);
		}
		if (c.omit) {
			sb_adds(&md, "omit:\n  - ");
			sb_yaml(&md, c.omit);
			sb_addc(&md, '\n');
		}
		if (a->listed >= 0) {
			sb_addf(&md, "proposals: [%s]\n", proposals[a->listed].id);
			COVER((size_t)a->listed);
		}
		sb_adds(&md, "---\n");
		sb_addn(&md, gnote.p, intro_g);
		sb_adds(&md, "\n");
		sb_adds(&hu, "intro: ");
		sb_yaml(&hu, hnote.p);
		sb_adds(&hu, "\nnotes:\n");
		for (size_t k = 0; k < nn; k++) {
			sb_reset(&gnote);
			sb_reset(&hnote);
			nlinked = 0;
			write_note(&o, a, i);
			/* the proposals a note links are covered too */
			for (size_t l = 0; l < nlinked; l++)
				COVER(linked[l]);
			sb_adds(&md, "\n> ");
			sb_addn(&md, c.txt.p + notes[k].start, notes[k].len);
			sb_adds(&md, "\n\n");
			sb_addn(&md, gnote.p, gnote.len);
			sb_adds(&md, "\n");
			char *passage = xstrndup(c.txt.p + notes[k].start,
						 notes[k].len);
			sb_adds(&hu, "  - passage: ");
			sb_yaml(&hu, passage);
			sb_adds(&hu, "\n    text: ");
			sb_yaml(&hu, hnote.p);
			sb_addc(&hu, '\n');
			free(passage);
		}
		if (a->npos) {
			sb_adds(&hu, "positions:\n");
			for (size_t k = 0; k < a->npos; k++) {
				const struct position *pos = &positions[a->pos[k]];
				sb_addf(&hu, "  - proposal: %s\n    party: %s\n"
					"    stance: %s\n    passage: ",
					proposals[pos->proposal].id,
					parties[pos->party].id,
					stance_names[pos->stance]);
				sb_yaml(&hu, pos->quote);
				sb_addc(&hu, '\n');
			}
		}
		sb_adds(&hu, "parties:\n");
		for (size_t k = 0; k < a->nparty; k++)
			sb_addf(&hu, "  - %s\n", parties[a->party[k]].id);
		if (ncovered) {
			sb_adds(&hu, "proposals:\n");
			for (size_t k = 0; k < ncovered; k++)
				sb_addf(&hu, "  - %s\n", proposals[covered[k]].id);
		}
#undef COVER
		sb_adds(&hu, "---\n");
		sb_addn(&hu, c.shown.p, c.shown.len);
		write_file(&c.txt, "gloss/articles/%s.txt", a->id);
		write_file(&md, "gloss/articles/%s.md", a->id);
		write_file(&hu, "hugo/content/articles/%s.md", a->id);
	}
	free(c.txt.p);
	free(c.shown.p);
	free(c.sent);
	free(c.omit);
	free(md.p);
	free(hu.p);
	free(gnote.p);
	free(hnote.p);
}

static void push(size_t **list, size_t *n, size_t v)
{
	/* grows at powers of two */
	if ((*n & (*n - 1)) == 0)
		*list = xrealloc(*list, (*n ? *n * 2 : 1) * sizeof **list);
	(*list)[(*n)++] = v;
}

static void yaml_ids(struct sb *b, const char *key, const size_t *v,
		     size_t n, bool party)
{
	if (!n)
		return;
	sb_addf(b, "%s: [", key);
	for (size_t k = 0; k < n; k++)
		sb_addf(b, "%s%s", k ? ", " : "",
			party ? parties[v[k]].id : proposals[v[k]].id);
	sb_adds(b, "]\n");
}

/* Pass 4: proposals, for both sites. */
static void write_proposals(void)
{
	struct sb g = {0}, h = {0}, gb = {0}, hb = {0};
	struct md2 o = {&gb, &hb};
	for (size_t j = 0; j < n_proposals; j++) {
		struct proposal *pr = &proposals[j];
		char iso[16], shown[32];
		if (pr->prec == 2)
			snprintf(iso, sizeof iso, "%04d-%02d", pr->y, pr->m);
		else
			snprintf(iso, sizeof iso, "%04d", pr->y);
		date_shown(pr->y, pr->m, 1, pr->prec, shown, sizeof shown);
		push(&parties[pr->proposer].proposed,
		     &parties[pr->proposer].nproposed, j);
		size_t mediator = pr->mediator >= 0 ? (size_t)pr->mediator : 0;
		if (pr->mediator >= 0)
			push(&parties[mediator].mediated,
			     &parties[mediator].nmediated, j);
		char terms[3][160];
		size_t nterms = 1 + rn(3);
		snprintf(terms[0], sizeof terms[0], "A %s %s in exchange for the "
			 "release of %d prisoners.", durations[pr->dur],
			 truce_kinds[pr->kind], pr->num);
		snprintf(terms[1], sizeof terms[1], "The reopening of the crossings "
			 "into %s.", places[pr->place]);
		snprintf(terms[2], sizeof terms[2], "Talks on a lasting "
			 "arrangement within %zu days.", 10 + rn(80));

		sb_reset(&gb);
		sb_reset(&hb);
		size_t src = pr->npos ? positions[pr->first_pos].article
				      : j * n_articles / n_proposals;
		char text[64], when[32];
		date_shown(articles[src].y, articles[src].m, articles[src].d,
			   articles[src].prec, when, sizeof when);
		snprintf(text, sizeof text, "report of %s", when);
		md_text(&o, "Reported in the ");
		md_article(&o, src, text);
		md_text(&o, ": ");
		md_party(&o, pr->proposer);
		md_textf(&o, " proposed %s.", pr->what);
		if (pr->naddressed) {
			md_text(&o, " It was addressed to ");
			md_party(&o, pr->addressed[0]);
			md_text(&o, ".");
		}
		if (pr->mediator >= 0) {
			md_text(&o, " The talks went through ");
			md_party(&o, mediator);
			md_text(&o, ".");
		}
		md_textf(&o, "\n\nThe archive records %zu position%s on it.\n",
			 pr->npos, pr->npos == 1 ? "" : "s");

		sb_reset(&g);
		sb_reset(&h);
		sb_adds(&g, "---\ntitle: ");
		sb_yaml(&g, pr->title);
		sb_addf(&g, "\ndate: %s\n", iso);
		sb_adds(&h, "---\ntitle: ");
		sb_yaml(&h, pr->title);
		sb_addf(&h, "\ndate: %04d-%02d-01\ndate_shown: \"%s\"\n", pr->y,
			pr->prec == 2 ? pr->m : 1, shown);
		yaml_ids(&g, "proposed_by", &pr->proposer, 1, true);
		yaml_ids(&h, "proposed_by", &pr->proposer, 1, true);
		if (pr->mediator >= 0) {
			yaml_ids(&g, "mediators", &mediator, 1, true);
			yaml_ids(&h, "mediators", &mediator, 1, true);
		}
		yaml_ids(&g, "addressed_to", pr->addressed, pr->naddressed, true);
		yaml_ids(&h, "addressed_to", pr->addressed, pr->naddressed, true);
		sb_addf(&g, "status: %s\nterms:\n", status_names[pr->status]);
		sb_addf(&h, "status: %s\nterms:\n", status_names[pr->status]);
		for (size_t k = 0; k < nterms; k++) {
			sb_adds(&g, "  - ");
			sb_yaml(&g, terms[k]);
			sb_addc(&g, '\n');
			sb_adds(&h, "  - ");
			sb_yaml(&h, terms[k]);
			sb_addc(&h, '\n');
		}
		sb_adds(&g, pr->npos ? "positions:\n" : "positions: []\n");
		if (pr->npos)
			sb_adds(&h, "positions:\n");
		for (size_t q = pr->first_pos; q < pr->first_pos + pr->npos; q++) {
			const struct position *pos = &positions[q];
			push(&parties[pos->party].positions,
			     &parties[pos->party].npositions, q);
			sb_addf(&g, "  - party: %s\n    stance: %s\n    source: %s\n"
				"    quote: ", parties[pos->party].id,
				stance_names[pos->stance], articles[pos->article].id);
			sb_yaml(&g, pos->quote);
			sb_addc(&g, '\n');
			sb_addf(&h, "  - party: %s\n    stance: %s\n    source: %s\n"
				"    quote: ", parties[pos->party].id,
				stance_names[pos->stance], articles[pos->article].id);
			sb_yaml(&h, pos->quote);
			sb_addc(&h, '\n');
		}
		sb_adds(&g, "---\n");
		sb_adds(&h, "---\n");
		sb_addn(&g, gb.p, gb.len);
		sb_addn(&h, hb.p, hb.len);
		write_file(&g, "gloss/proposals/%s.md", pr->id);
		sb_reset(&path_buf);
		sb_addf(&path_buf, "%s/hugo/content/proposals/%s", outdir, pr->id);
		mkdirs(path_buf.p);
		write_file(&h, "hugo/content/proposals/%s/_index.md", pr->id);
	}
	free(g.p);
	free(h.p);
	free(gb.p);
	free(hb.p);
}

static const char *const kind_names[] = {"state", "armed movement",
					 "mediator"};

/* Pass 5: parties, for both sites. Hugo's party page gets its positions
 * and proposals in front matter (see bench/README.md). */
static void write_parties(void)
{
	struct sb g = {0}, h = {0}, gb = {0}, hb = {0};
	struct md2 o = {&gb, &hb};
	for (size_t i = 0; i < n_parties; i++) {
		struct party *p = &parties[i];
		char summary[160];
		snprintf(summary, sizeof summary, "A %s of the synthetic archive, "
			 "named in its reports from %d on.", kind_names[p->kind],
			 articles[p->first_article].y);
		sb_reset(&gb);
		sb_reset(&hb);
		char text[64], when[32];
		const struct article *first = &articles[p->first_article];
		date_shown(first->y, first->m, first->d, first->prec, when,
			   sizeof when);
		snprintf(text, sizeof text, "report of %s", when);
		md_textf(&o, "%s is a %s. The archive first names it in the ",
			 p->name, kind_names[p->kind]);
		md_article(&o, p->first_article, text);
		md_text(&o, ".");
		if (p->nproposed) {
			char pname[96];
			proposal_name(p->proposed[0], pname, sizeof pname);
			md_text(&o, " It made the ");
			md_proposal(&o, p->proposed[0], pname);
			md_text(&o, ".");
		}
		md_textf(&o, "\n\nIt has %zu recorded position%s on proposals.\n",
			 p->npositions, p->npositions == 1 ? "" : "s");

		sb_reset(&g);
		sb_reset(&h);
		sb_adds(&g, "---\nname: ");
		sb_yaml(&g, p->name);
		sb_adds(&g, "\naliases: [");
		sb_adds(&h, "---\ntitle: ");
		sb_yaml(&h, p->name);
		/* not "aliases", which Hugo takes for redirects */
		sb_adds(&h, "\nnames: [");
		for (int k = 0; k < p->nalias; k++) {
			sb_adds(&g, k ? ", " : "");
			sb_yaml(&g, p->alias[k]);
			sb_adds(&h, k ? ", " : "");
			sb_yaml(&h, p->alias[k]);
		}
		sb_addf(&g, "]\nkind: %s\nsummary: ", kind_names[p->kind]);
		sb_yaml(&g, summary);
		sb_addf(&h, "]\nkind: %s\nsummary: ", kind_names[p->kind]);
		sb_yaml(&h, summary);
		sb_adds(&g, "\n---\n");
		sb_addc(&h, '\n');
		yaml_ids(&h, "proposed", p->proposed, p->nproposed, false);
		yaml_ids(&h, "mediated", p->mediated, p->nmediated, false);
		if (p->npositions)
			sb_adds(&h, "positions:\n");
		for (size_t k = 0; k < p->npositions; k++) {
			const struct position *pos = &positions[p->positions[k]];
			sb_addf(&h, "  - proposal: %s\n    stance: %s\n"
				"    source: %s\n    quote: ",
				proposals[pos->proposal].id,
				stance_names[pos->stance], articles[pos->article].id);
			sb_yaml(&h, pos->quote);
			sb_addc(&h, '\n');
		}
		sb_adds(&h, "---\n");
		sb_addn(&g, gb.p, gb.len);
		sb_addn(&h, hb.p, hb.len);
		write_file(&g, "gloss/parties/%s.md", p->id);
		sb_reset(&path_buf);
		sb_addf(&path_buf, "%s/hugo/content/parties/%s", outdir, p->id);
		mkdirs(path_buf.p);
		write_file(&h, "hugo/content/parties/%s/_index.md", p->id);
	}
	free(g.p);
	free(h.p);
	free(gb.p);
	free(hb.p);
}

/* archive.yaml, the home page and the list pages' content. */
static void write_site(void)
{
	struct sb g = {0}, h = {0}, gb = {0}, hb = {0};
	struct md2 o = {&gb, &hb};
	char title[64];
	snprintf(title, sizeof title, "Synthetic archive of %zu articles",
		 n_articles);
	sb_addf(&g, "title: %s\ntagline: Generated by bench/synth for the "
		"benchmark; invented parties, places and reports\n"
		"language: en\nomit_lines:\n  - Share this story\n"
		"  - Advertisement\n", title);
	write_file(&g, "gloss/archive.yaml");

	md_textf(&o, "This archive holds %zu generated reports of truce "
		 "proposals between %zu invented parties, from 2008 to 2024. "
		 "Its parties include ", n_articles, n_parties);
	for (size_t i = 0; i < n_parties && i < 3; i++) {
		md_text(&o, i ? (i + 1 == n_parties || i == 2 ? " and " : ", ")
			      : "");
		md_party(&o, i);
	}
	md_text(&o, "; its first proposal is the ");
	char pname[96];
	proposal_name(0, pname, sizeof pname);
	md_proposal(&o, 0, pname);
	md_text(&o, ".\n");
	sb_reset(&g);
	sb_addf(&g, "---\ntitle: %s\nsummary: %zu generated reports, "
		"annotated.\n---\n", title, n_articles);
	sb_addn(&g, gb.p, gb.len);
	write_file(&g, "gloss/index.md");
	sb_addf(&h, "---\ntitle: %s\n---\n", title);
	sb_addn(&h, hb.p, hb.len);
	write_file(&h, "hugo/content/_index.md");
	sb_reset(&h);
	sb_adds(&h, "---\ntitle: Articles\n---\n");
	write_file(&h, "hugo/content/articles/_index.md");
	sb_reset(&h);
	sb_adds(&h, "---\ntitle: Parties\n---\n");
	write_file(&h, "hugo/content/parties/_index.md");
	sb_reset(&h);
	sb_adds(&h, "---\ntitle: Proposals\n---\n");
	write_file(&h, "hugo/content/proposals/_index.md");
	free(g.p);
	free(h.p);
	free(gb.p);
	free(hb.p);
}

/* The Hugo site's configuration, layouts and style sheet, copied from
 * bench/hugo/ (HUGO_SITE_DIR, set when synth is compiled; the environment
 * variable SYNTH_HUGO_DIR overrides it). */
#ifndef HUGO_SITE_DIR
#define HUGO_SITE_DIR "bench/hugo"
#endif
static void copy_hugo_files(void)
{
	static const char *const files[] = {
		"config.toml",
		"layouts/_default/baseof.html",
		"layouts/_default/single.html",
		"layouts/_default/list.html",
		"layouts/_default/terms.html",
		"layouts/index.html",
		"layouts/parties/term.html",
		"layouts/proposals/term.html",
		"static/style.css",
	};
	const char *dir = getenv("SYNTH_HUGO_DIR");
	if (!dir || !*dir)
		dir = HUGO_SITE_DIR;
	struct sb data = {0}, from = {0};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		sb_reset(&from);
		sb_addf(&from, "%s/%s", dir, files[i]);
		FILE *f = fopen(from.p, "rb");
		if (!f)
			die("cannot read %s: %s", from.p, strerror(errno));
		sb_reset(&data);
		char chunk[8192];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			sb_addn(&data, chunk, n);
		if (ferror(f))
			die("cannot read %s", from.p);
		fclose(f);
		sb_reset(&path_buf);
		sb_addf(&path_buf, "%s/hugo/%s", outdir, files[i]);
		*strrchr(path_buf.p, '/') = '\0';
		mkdirs(path_buf.p);
		write_file(&data, "hugo/%s", files[i]);
	}
	free(data.p);
	free(from.p);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: synth N OUTDIR\n");
		return 2;
	}
	char *end;
	errno = 0;
	unsigned long long n = strtoull(argv[1], &end, 10);
	if (errno || *end || n < 1 || n > 10000000ULL) {
		fprintf(stderr, "synth: N must be a number from 1 to 10000000\n");
		return 2;
	}
	outdir = argv[2];
	struct stat st;
	struct sb dir = {0};
	sb_addf(&dir, "%s/gloss", outdir);
	if (stat(dir.p, &st) == 0)
		die("%s exists; synth writes into a new folder", dir.p);
	static const char *const dirs[] = {
		"gloss/articles", "gloss/parties", "gloss/proposals",
		"hugo/content/articles", "hugo/content/parties",
		"hugo/content/proposals"};
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
		sb_reset(&dir);
		sb_addf(&dir, "%s/%s", outdir, dirs[i]);
		mkdirs(dir.p);
	}
	free(dir.p);

	n_articles = (size_t)n;
	n_parties = n_articles / 50;
	if (n_parties < 3)
		n_parties = n_articles < 3 ? n_articles : 3;
	n_proposals = n_articles / 5;
	if (n_proposals < 1)
		n_proposals = 1;
	articles = xcalloc(n_articles, sizeof *articles);
	parties = xcalloc(n_parties, sizeof *parties);
	proposals = xcalloc(n_proposals, sizeof *proposals);

	make_places();
	make_parties();
	plan_articles();
	plan_proposals();
	write_articles();
	write_proposals();
	write_parties();
	write_site();
	copy_hugo_files();

	for (size_t i = 0; i < n_articles; i++)
		free(articles[i].headline);
	for (size_t i = 0; i < n_parties; i++) {
		free(parties[i].positions);
		free(parties[i].proposed);
		free(parties[i].mediated);
	}
	for (size_t i = 0; i < n_positions; i++)
		free(positions[i].quote);
	free(articles);
	free(parties);
	free(proposals);
	free(positions);
	free(path_buf.p);
	return 0;
}
