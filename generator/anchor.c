/* memmem is a GNU and BSD extension, in POSIX from 2024. */
#define _GNU_SOURCE
#include "anchor.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define NONE SIZE_MAX

/* How far the closest passage may grow to take in a word it cuts: long
 * enough for nearly any word, short enough that text with no spaces (Chinese,
 * Japanese) is not swallowed whole. */
#define WORD_SLACK 32

/* Returns the Knuth-Morris-Pratt failure table of NEEDLE, owned by the
 * caller: entry i is the length of the longest proper prefix of
 * NEEDLE[0..i] that is also its suffix. */
static size_t *kmp_table(const char *needle, size_t nlen)
{
	size_t *fail = xmalloc(nlen * sizeof *fail);
	size_t k = 0;

	fail[0] = 0;
	for (size_t i = 1; i < nlen; i++) {
		while (k > 0 && needle[i] != needle[k])
			k = fail[k - 1];
		if (needle[i] == needle[k])
			k++;
		fail[i] = k;
	}
	return fail;
}

/* Knuth-Morris-Pratt rather than memmem in a loop: restarting memmem one
 * byte after each hit costs O(NLEN) per overlapping match, so a periodic
 * needle in a periodic text ("----" in a rule of dashes) would take
 * quadratic time. But while no prefix of the needle is matched, memmem
 * (vectorised in the C library) finds the next whole match far faster
 * than stepping byte by byte; it scans each byte once more at most, since
 * the search resumes past the match it found, so the time stays linear. */
size_t anchor_find_all(const struct folded *hay, const char *needle,
		       size_t nlen, size_t *starts, size_t max)
{
	size_t *fail = NULL;
	size_t count = 0, k = 0;

	/* A folded passage holds no '\n' (it is white space), and matching
	 * stays within one line, so a needle that does would only match
	 * across a line break. */
	if (nlen == 0 || memchr(needle, '\n', nlen))
		goto out;
	fail = kmp_table(needle, nlen);
	for (size_t i = 0; i < hay->len; i++) {
		if (k == 0) {
			const char *hit = memmem(hay->text + i, hay->len - i,
						 needle, nlen);
			if (!hit)
				break;
			i = (size_t)(hit - hay->text) + nlen - 1;
			k = nlen;
			if (count < max)
				starts[count] = i + 1 - nlen;
			count++;
			k = fail[k - 1];
			continue;
		}
		while (k > 0 && hay->text[i] != needle[k])
			k = fail[k - 1];
		if (hay->text[i] == needle[k])
			k++;
		if (k == nlen) {
			if (count < max)
				starts[count] = i + 1 - nlen;
			count++;
			k = fail[k - 1];
		}
	}
out:
	free(fail);
	return count;
}

/* A suffix automaton of the needle: every substring of the needle is a
 * path from state 0, so one walk of the haystack through it finds the
 * longest substring the two share, wherever it lies in the needle. That
 * finds the right sentence even when the editor's passage differs from
 * the article both near its start and near its end, in time linear in
 * both lengths. */
struct state {
	size_t len;   /* length of the longest string reaching the state */
	size_t link;  /* state of its longest suffix reaching another state */
	size_t end;   /* needle offset just past its first occurrence */
	size_t edges; /* first outgoing edge, or NONE */
};

struct edge {
	size_t to;
	size_t next; /* next edge of the same state, or NONE */
	unsigned char c;
};

struct automaton {
	struct state *states;
	size_t nstates, states_cap;
	struct edge *edges;
	size_t nedges, edges_cap;
	/* The walk falls back to state 0 at nearly every byte that does not
	 * continue a match, so its edges are a table, not a list. */
	size_t root[256];
};

static void automaton_init(struct automaton *a)
{
	a->states = NULL;
	a->nstates = a->states_cap = 0;
	a->edges = NULL;
	a->nedges = a->edges_cap = 0;
	for (size_t c = 0; c < 256; c++)
		a->root[c] = NONE;
}

static void automaton_release(struct automaton *a)
{
	free(a->states);
	free(a->edges);
}

static size_t new_state(struct automaton *a, size_t len, size_t link,
			size_t end)
{
	a->states = xgrow(a->states, &a->states_cap, a->nstates + 1,
			  sizeof *a->states);
	a->states[a->nstates] = (struct state){ len, link, end, NONE };
	return a->nstates++;
}

static size_t transition(const struct automaton *a, size_t s,
			 unsigned char c)
{
	if (s == 0)
		return a->root[c];
	for (size_t e = a->states[s].edges; e != NONE; e = a->edges[e].next)
		if (a->edges[e].c == c)
			return a->edges[e].to;
	return NONE;
}

/* Adds an edge from S, which must have none on C yet. */
static void add_edge(struct automaton *a, size_t s, unsigned char c, size_t to)
{
	a->edges = xgrow(a->edges, &a->edges_cap, a->nedges + 1,
			 sizeof *a->edges);
	a->edges[a->nedges] = (struct edge){ to, a->states[s].edges, c };
	a->states[s].edges = a->nedges++;
}

static void set_transition(struct automaton *a, size_t s, unsigned char c,
			   size_t to)
{
	if (s == 0) {
		a->root[c] = to;
		return;
	}
	for (size_t e = a->states[s].edges; e != NONE; e = a->edges[e].next) {
		if (a->edges[e].c == c) {
			a->edges[e].to = to;
			return;
		}
	}
	add_edge(a, s, c, to);
}

/* The textbook online construction (Blumer et al.), one byte at a time. */
static void automaton_build(struct automaton *a, const char *needle,
			    size_t nlen)
{
	size_t last = new_state(a, 0, NONE, 0);

	for (size_t i = 0; i < nlen; i++) {
		unsigned char c = (unsigned char)needle[i];
		size_t cur = new_state(a, a->states[last].len + 1, 0, i + 1);
		size_t p = last, q, clone;

		while (p != NONE && transition(a, p, c) == NONE) {
			set_transition(a, p, c, cur);
			p = a->states[p].link;
		}
		last = cur;
		if (p == NONE)
			continue;
		q = transition(a, p, c);
		if (a->states[p].len + 1 == a->states[q].len) {
			a->states[cur].link = q;
			continue;
		}
		clone = new_state(a, a->states[p].len + 1, a->states[q].link,
				  a->states[q].end);
		/* q is never state 0 (its strings are longer than p's), so
		 * its edges are a list, of distinct bytes: the clone takes
		 * them without a search. Indices survive add_edge's
		 * realloc. */
		for (size_t e = a->states[q].edges; e != NONE;
		     e = a->edges[e].next)
			add_edge(a, clone, a->edges[e].c, a->edges[e].to);
		while (p != NONE && transition(a, p, c) == q) {
			set_transition(a, p, c, clone);
			p = a->states[p].link;
		}
		a->states[q].link = clone;
		a->states[cur].link = clone;
	}
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Fits the window [*WS, *WE) of the line [LS, LE) of T to what an editor
 * reads best: a word it cuts is taken in whole when it ends within
 * WORD_SLACK bytes, a character is never cut, and no space is left at
 * either end. */
static void fit_to_words(const char *t, size_t ls, size_t le, size_t *ws,
			 size_t *we)
{
	size_t s = *ws, e = *we, k;

	if (s < e && s > ls && t[s - 1] != ' ' && t[s] != ' ') {
		for (k = s; k > ls && t[k - 1] != ' ' && s - k < WORD_SLACK; k--)
			;
		if (k == ls || t[k - 1] == ' ')
			s = k;
		/* Stray continuation bytes are copied through by folding,
		 * so step back over at most those of one character. */
		for (k = 0; k < 3 && s > ls && is_continuation(t[s]); k++)
			s--;
	}
	if (s < e && e < le && t[e - 1] != ' ' && t[e] != ' ') {
		for (k = e; k < le && t[k] != ' ' && k - e < WORD_SLACK; k++)
			;
		if (k == le || t[k] == ' ')
			e = k;
		for (k = 0; k < 3 && e < le && is_continuation(t[e]); k++)
			e++;
	}
	while (s < e && t[s] == ' ')
		s++;
	while (e > s && t[e - 1] == ' ')
		e--;
	*ws = s;
	*we = e;
}

/* Does T[FROM..TO) hold the end of a sentence (". ", "? ", "! ")?
 * Returns the offset just after the last one, or 0. */
static size_t sentence_break(const char *t, size_t from, size_t to)
{
	size_t found = 0;
	for (size_t i = from; i + 1 < to; i++)
		if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && t[i + 1] == ' ')
			found = i + 2;
	return found;
}

void anchor_closest(const struct folded *hay, const char *needle,
		    size_t nlen, size_t *start, size_t *end)
{
	const char *t = hay->text;
	struct automaton a;
	size_t v = 0, len = 0, best = 0, hay_end = 0, needle_end = 0;
	size_t hs, ns, ls, le, ws, we;

	automaton_init(&a);
	*start = *end = 0;
	if (hay->len == 0)
		goto out;
	automaton_build(&a, needle, nlen);
	for (size_t i = 0; i < hay->len; i++) {
		unsigned char c = (unsigned char)t[i];
		size_t next;

		/* The closest passage stays within one line, as a match
		 * would. */
		if (c == '\n') {
			v = len = 0;
			continue;
		}
		while (v != 0 && transition(&a, v, c) == NONE) {
			v = a.states[v].link;
			len = a.states[v].len;
		}
		next = transition(&a, v, c);
		if (next != NONE) {
			v = next;
			len++;
		}
		if (len > best) {
			best = len;
			hay_end = i + 1;
			needle_end = a.states[v].end;
		}
	}
	if (best > 0) {
		hs = hay_end - best;
		ns = needle_end - best;
	} else {
		/* Nothing in common: show the start of the first line that
		 * has text, usually the headline. */
		for (hs = 0; hs < hay->len && t[hs] == '\n'; hs++)
			;
		ns = 0;
	}
	for (ls = hs; ls > 0 && t[ls - 1] != '\n'; ls--)
		;
	for (le = hs; le < hay->len && t[le] != '\n'; le++)
		;
	/* Lay the needle over the text so that the common part lines up:
	 * what surrounds it is then what the editor's words stand for. */
	ws = hs - ls > ns ? hs - ns : ls;
	we = nlen - ns < le - hs ? hs + (nlen - ns) : le;
	fit_to_words(t, ls, le, &ws, &we);
	/* Words the window took from before the common part belong to
	 * another sentence when one ends there and the needle's own words
	 * before it do not: leave that sentence out. */
	if (best > 0 && ws < hs && !sentence_break(needle, 0, ns)) {
		size_t cut = sentence_break(t, ws, hs + 1);
		if (cut > ws && cut <= hs)
			ws = cut;
	}
	*start = ws;
	*end = we;
out:
	automaton_release(&a);
}
