#include "timeline.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "paging.h"
#include "xalloc.h"

/* ---- geometry ----
 *
 * Every coordinate is a long in tenths of a pixel of the viewBox (PX
 * converts whole pixels), printed as a decimal by put_u: no floating
 * point, so the output does not depend on the locale or the machine. */

#define PX(n) ((long)(n)*10)

enum {
	VIEW_W = 960,	   /* width of the viewBox */
	PAD_X = 12,	   /* margin left and right of the plot */
	GAP_MAX = 56,	   /* width of a collapsed run of empty years */
	GAP_NARROW = 24,   /* the same, when years are labelled sparsely */
	GAP_MIN_YEARS = 3, /* empty years in a row that are collapsed */
	YEAR_BASE = 16,	   /* baseline of the year labels */
	MONTH_BASE = 31,   /* baseline of the month labels, when shown */
	LABEL_GAP = 48,	   /* least distance between two year labels */
	LANE_LABEL_H = 22, /* the row holding a lane's name */
	HIST_H = 40,	   /* the tallest article column */
	ROW_H = 28,	   /* one row of marks in a party's lane */
	LANE_PAD = 6,	   /* below a lane's last row */
	MAX_ROWS = 12,	   /* rows per lane before marks may overlap */
	MARK_GAP = 8,	   /* least room between marks in a row */
	CHAR_W = 66,	   /* estimated width of a label character, tenths */
	DIGIT_W = 68,	   /* estimated width of a digit of a number */
	TITLE_CHARS = 96,  /* longest proposal title written in the chart */
	TITLE_MIN = 12,	   /* shortest cut title worth writing */
	LANES_MAX = 12,	   /* parties with lanes; the others share one */
	LANE_MARKS_MAX = 60, /* marks in a lane before they are counted */
	LIST_INLINE = 500, /* entries listed on the page itself, at most */
};

/* Appends V (tenths) as a decimal: 125 -> "12.5", 120 -> "12". */
static void put_u(struct buf *b, long v)
{
	if (v < 0) {
		buf_addc(b, '-');
		v = -v;
	}
	buf_addf(b, "%ld", v / 10);
	if (v % 10)
		buf_addf(b, ".%ld", v % 10);
}

/* What the drawing functions share: the context, a scratch buffer for
 * attribute values, and the list's pages by year when it has them
 * (NULL: the list is on the page, years at #y-YYYY). */
struct draw {
	struct ctx *c;
	struct buf s;
	const struct paging *pg;
};

static void attr_u(struct draw *d, xmlNodePtr el, const char *name, long v)
{
	buf_reset(&d->s);
	put_u(&d->s, v);
	html_attr(el, name, d->s.data);
}

static xmlNodePtr rect(struct draw *d, xmlNodePtr parent, const char *cls,
		       long x, long y, long w, long h)
{
	xmlNodePtr r = html_elc(parent, "rect", cls);
	attr_u(d, r, "x", x);
	attr_u(d, r, "y", y);
	attr_u(d, r, "width", w);
	attr_u(d, r, "height", h);
	return r;
}

/* Shapes carry presentation attributes in currentColor, so the chart is
 * legible under any theme, or none; a theme's CSS overrides them. */
static xmlNodePtr line(struct draw *d, xmlNodePtr parent, const char *cls,
		       long x1, long y1, long x2, long y2)
{
	xmlNodePtr l = html_elc(parent, "line", cls);
	html_attr(l, "stroke", "currentColor");
	if (strstr(cls, "tl-grid") || strstr(cls, "tl-sep") ||
	    strstr(cls, "tl-tick-month"))
		html_attr(l, "stroke-opacity", "0.3");
	attr_u(d, l, "x1", x1);
	attr_u(d, l, "y1", y1);
	attr_u(d, l, "x2", x2);
	attr_u(d, l, "y2", y2);
	return l;
}

/* A <text> at X, Y; ANCHOR is "start", "middle" or "end". */
static xmlNodePtr text_at(struct draw *d, xmlNodePtr parent, const char *cls,
			  long x, long y, const char *anchor, const char *text)
{
	xmlNodePtr t = html_elc(parent, "text", cls);
	attr_u(d, t, "x", x);
	attr_u(d, t, "y", y);
	if (strcmp(anchor, "start") != 0)
		html_attr(t, "text-anchor", anchor);
	if (text)
		html_text(t, text);
	return t;
}

/* Path data: "M" or "L" followed by a point. */
static void path_to(struct buf *b, char op, long x, long y)
{
	if (b->len)
		buf_addc(b, ' ');
	buf_addc(b, op);
	put_u(b, x);
	buf_addc(b, ' ');
	put_u(b, y);
}

static xmlNodePtr path(xmlNodePtr parent, const char *cls, struct buf *data)
{
	xmlNodePtr p = html_elc(parent, "path", cls);
	html_attr(p, "d", data->data);
	/* Glyphs and the axis break are strokes. */
	if (!strcmp(cls, "tl-glyph") || !strcmp(cls, "tl-axis-break")) {
		html_attr(p, "fill", "none");
		html_attr(p, "stroke", "currentColor");
		html_attr(p, "stroke-width", "2");
	}
	return p;
}

/* ---- the calendar ---- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int year_days(int y)
{
	return leap(y) ? 366 : 365;
}

/* Day of the year (0-based) on which month M (1–12; 13 for the year's
 * end) starts. */
static int month_start(int y, int m)
{
	static const int cum[] = {0,   31,  59,	 90,  120, 151, 181,
				  212, 243, 273, 304, 334, 365};
	return cum[m - 1] + (m > 2 && leap(y));
}

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr",
					 "May", "Jun", "Jul", "Aug",
					 "Sep", "Oct", "Nov", "Dec"};

/* ---- the time axis ----
 *
 * Years run left to right at one width. A run of GAP_MIN_YEARS or more
 * years in which nothing happened is collapsed into a narrow shaded gap
 * (labelled with the years it leaves out when there is room), so that an
 * archive of two periods far apart does not spend its width on nothing. */

struct gap {
	int from, to; /* years left out */
	long left, width;
};

struct axis {
	int first, years; /* years first .. first + years - 1 */
	long *left;	  /* per year: left edge, -1 when collapsed */
	long year_w;	  /* width of a year */
	struct gap *gaps; /* collapsed runs, left to right */
	size_t gap_count;
	long right;	 /* right edge of the last year */
	int step;	 /* a year label every STEP years */
	bool gap_labels; /* gaps are labelled with their years */
	bool by_month;	 /* articles counted per month, else per year */
	bool month_ticks, month_labels;
	long axis_y; /* the axis line */
};

static void axis_release(struct axis *ax)
{
	free(ax->left);
	free(ax->gaps);
}

static void span_year(int *lo, int *hi, const struct date *d)
{
	if (d->year < *lo)
		*lo = d->year;
	if (d->year > *hi)
		*hi = d->year;
}

/* Places the years and gaps across the plot, gaps at most GAP_W wide,
 * and picks how often years are labelled. */
static void axis_layout(struct axis *ax, int shown, long gap_w)
{
	static const int steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
	long plot = PX(VIEW_W - 2 * PAD_X);
	if (ax->gap_count && gap_w > plot / (3 * (long)ax->gap_count))
		gap_w = plot / (3 * (long)ax->gap_count);
	if (!ax->gap_count)
		gap_w = 0;
	ax->year_w = (plot - (long)ax->gap_count * gap_w) / shown;
	long x = PX(PAD_X);
	size_t g = 0;
	for (int i = 0; i < ax->years; i++) {
		if (g < ax->gap_count && ax->first + i == ax->gaps[g].from) {
			ax->gaps[g].left = x;
			ax->gaps[g].width = gap_w;
			x += gap_w;
			for (; ax->first + i <= ax->gaps[g].to; i++)
				ax->left[i] = -1;
			i--;
			g++;
			continue;
		}
		ax->left[i] = x;
		x += ax->year_w;
	}
	ax->right = x;
	ax->step = 2000;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		if (ax->year_w * steps[i] >= PX(LABEL_GAP)) {
			ax->step = steps[i];
			break;
		}
	}
}

/* Sets up the axis for everything dated in the archive; false when
 * nothing is. */
static bool axis_init(struct axis *ax, struct article *const *articles,
		      size_t article_count, struct proposal *const *proposals,
		      size_t proposal_count)
{
	int lo = INT_MAX, hi = INT_MIN;
	memset(ax, 0, sizeof *ax);
	for (size_t i = 0; i < article_count; i++)
		span_year(&lo, &hi, &articles[i]->date);
	for (size_t i = 0; i < proposal_count; i++) {
		const struct proposal *p = proposals[i];
		span_year(&lo, &hi, &p->date);
		for (size_t k = 0; k < p->position_count; k++)
			span_year(&lo, &hi, &p->positions[k].date);
	}
	if (lo > hi)
		return false;
	ax->first = lo;
	ax->years = hi - lo + 1;
	bool *used = xcalloc((size_t)ax->years, sizeof *used);
	for (size_t i = 0; i < article_count; i++)
		used[articles[i]->date.year - lo] = true;
	for (size_t i = 0; i < proposal_count; i++) {
		const struct proposal *p = proposals[i];
		used[p->date.year - lo] = true;
		for (size_t k = 0; k < p->position_count; k++)
			used[p->positions[k].date.year - lo] = true;
	}
	size_t gap_cap = 0;
	int shown = ax->years;
	for (int i = 0; i < ax->years;) {
		int j = i;
		while (j < ax->years && !used[j])
			j++;
		if (j - i >= GAP_MIN_YEARS) {
			ax->gaps = xgrow(ax->gaps, &gap_cap, ax->gap_count + 1,
					 sizeof *ax->gaps);
			struct gap g = {lo + i, lo + j - 1, 0, 0};
			ax->gaps[ax->gap_count++] = g;
			shown -= j - i;
		}
		i = j > i ? j : i + 1;
	}
	free(used);

	/* Gaps wide enough for a label of the years they leave out, unless
	 * that leaves too little room to label each year: then narrow ones,
	 * so the years on either side can carry labels. */
	ax->left = xcalloc((size_t)ax->years, sizeof *ax->left);
	ax->gap_labels = true;
	axis_layout(ax, shown, PX(GAP_MAX));
	if (ax->step > 1 && ax->gap_count) {
		ax->gap_labels = false;
		axis_layout(ax, shown, PX(GAP_NARROW));
	}
	ax->by_month = ax->year_w >= PX(36);
	ax->month_ticks = ax->year_w >= PX(12 * 5);
	ax->month_labels = ax->year_w >= PX(12 * 30);
	ax->axis_y = PX(ax->month_labels ? MONTH_BASE + 7 : YEAR_BASE + 8);
	return true;
}

/* X of day DAY (0-based, may be the year's length: its end) of YEAR. */
static long day_x(const struct axis *ax, int year, int day)
{
	long left = ax->left[year - ax->first];
	long n = year_days(year);
	return left + (ax->year_w * day * 2 + n) / (2 * n);
}

/* The stretch of the axis DATE covers: its year, its month or its day. */
static void period(const struct axis *ax, const struct date *d, long *x0,
		   long *x1)
{
	int s, e;
	switch (d->precision) {
	case DATE_YEAR:
		s = 0;
		e = year_days(d->year);
		break;
	case DATE_MONTH:
		s = month_start(d->year, d->month);
		e = month_start(d->year, d->month + 1);
		break;
	default:
		s = month_start(d->year, d->month) + d->day - 1;
		e = s + 1;
		break;
	}
	*x0 = day_x(ax, d->year, s);
	*x1 = day_x(ax, d->year, e);
}

/* ---- text helpers ---- */

static size_t code_points(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Appends S, cut to MAX code points with "…" when longer. */
static void add_cut(struct buf *b, const char *s, size_t max)
{
	if (code_points(s) <= max) {
		buf_adds(b, s);
		return;
	}
	size_t n = 0;
	const char *p = s;
	for (; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max - 1)
			break;
	buf_add(b, s, (size_t)(p - s));
	buf_adds(b, "\u2026");
}

static int digits(int n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void add_count(struct buf *b, size_t n, const char *one,
		      const char *many)
{
	buf_addf(b, "%zu %s", n, n == 1 ? one : many);
}

/* ---- marks of proposals and positions, in lanes by party ---- */

enum mark_kind { MARK_PROPOSAL, MARK_POSITION };

struct mark {
	enum mark_kind kind;
	const struct proposal *p;
	const struct position *pos; /* for a position */
	const struct date *date;
	long x0, x1;	    /* the period the date covers */
	long left, right;   /* with its label, for packing */
	bool label_left;    /* label before the mark */
	size_t title_chars; /* of the title in the label; 0: none */
	int row;
};

/* Proposals and positions counted in one stretch of the axis. */
struct tally {
	size_t proposals, positions;
};

/* A party's lane: its marks, or, when it has more than LANE_MARKS_MAX,
 * their counts per month (or year). The lane of the other parties
 * (PARTY NULL) is always counted. */
struct lane {
	const struct party *party;
	struct mark *marks;
	size_t count, cap;
	int rows;
	long top;
	size_t total;	     /* proposals made and positions taken */
	bool other;	     /* counted in the other parties' lane */
	struct tally *tally; /* counted lanes: per bucket (bucket_of) */
};

/* What the chart is drawn from. */
struct chart {
	struct axis ax;
	int *number;	     /* per proposal index: its number by date */
	struct lane *lanes;  /* per party index */
	struct lane **order; /* lanes drawn: parties by name, then others */
	size_t lane_count;
	size_t position_count;
	struct lane others;   /* the parties without a lane of their own */
	size_t other_parties; /* how many */
	size_t buckets;	      /* per counted lane */
};

static bool is_span(const struct date *d)
{
	return d->precision != DATE_DAY;
}

/* Spans narrower than MIN are widened about their middle to stay
 * visible; they still cover their own period. */
static void visible(long *x0, long *x1, long min)
{
	if (*x1 - *x0 >= min)
		return;
	long mid = (*x0 + *x1) / 2;
	*x0 = mid - min / 2;
	*x1 = *x0 + min;
}

/* The part of a mark that is drawn, without its label: a proposal's bar
 * or diamond; a position's bar or pointer with its badge above. */
static void mark_body(const struct mark *m, long *l, long *r)
{
	long xc = (m->x0 + m->x1) / 2;
	long half = m->kind == MARK_POSITION ? PX(9) : PX(7);
	*l = m->x0;
	*r = m->x1;
	visible(l, r, PX(3));
	if (m->kind == MARK_POSITION || !is_span(m->date)) {
		if (xc - half < *l)
			*l = xc - half;
		if (xc + half > *r)
			*r = xc + half;
	}
}

/* Where a label may run from, rightwards (*FROM) or, ending there,
 * leftwards (*TO): a proposal's title sits above its bar, from its start
 * or to its end; a position's number beside its badge. */
static void label_room(const struct mark *m, long *from, long *to)
{
	long xc = (m->x0 + m->x1) / 2;
	if (m->kind == MARK_POSITION) {
		*from = xc + PX(11);
		*to = xc - PX(11);
	} else {
		mark_body(m, to, from);
		long l = *to;
		*to = *from;
		*from = l;
	}
}

/* Places a mark's label: its number, and for a proposal WITH_TITLE its
 * title, to the right, or to the left when only that side has room; a
 * title too long for either side is cut to the room there is, or left
 * out. */
static void mark_extent(const struct chart *ch, struct mark *m, bool with_title)
{
	long l, r, from, to;
	mark_body(m, &l, &r);
	label_room(m, &from, &to);
	long num = DIGIT_W * digits(ch->number[m->p->index]);
	size_t want = 0;
	if (with_title && m->kind == MARK_PROPOSAL) {
		want = code_points(m->p->title);
		if (want > TITLE_CHARS)
			want = TITLE_CHARS;
	}
	long room_r = PX(VIEW_W - 4) - from;
	long room_l = to - PX(4);
	long need = num + (want ? CHAR_W * (long)(1 + want) : 0);
	m->label_left = need > room_r && room_l > room_r;
	long room = m->label_left ? room_l : room_r;
	if (need > room && want) {
		long fit = (room - num) / CHAR_W - 1;
		want = fit >= TITLE_MIN ? (size_t)fit : 0;
	}
	m->title_chars = want;
	long w = num + (want ? CHAR_W * (long)(1 + want) : 0);
	m->left = m->label_left && to - w < l ? to - w : l;
	m->right = !m->label_left && from + w > r ? from + w : r;
}

static int position_index(const struct position *pos)
{
	return (int)(pos - pos->proposal->positions);
}

static int compare_marks(const void *va, const void *vb)
{
	const struct mark *a = va, *b = vb;
	if (a->x0 != b->x0)
		return a->x0 < b->x0 ? -1 : 1;
	if (a->x1 != b->x1)
		return a->x1 > b->x1 ? -1 : 1; /* wider first */
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	int c = strcmp(a->p->id, b->p->id);
	if (c || a->kind == MARK_PROPOSAL)
		return c;
	return position_index(a->pos) - position_index(b->pos);
}

static int first_fit(const long *row_end, int rows, long left)
{
	for (int r = 0; r < rows; r++)
		if (row_end[r] + PX(MARK_GAP) <= left)
			return r;
	return -1;
}

/* Puts a lane's marks in rows, left to right, each in the first row where
 * it does not touch the one before; a proposal whose title fits nowhere
 * keeps only its number, and past MAX_ROWS marks may overlap. */
static void pack_lane(const struct chart *ch, struct lane *l)
{
	long row_end[MAX_ROWS];
	qsort(l->marks, l->count, sizeof *l->marks, compare_marks);
	l->rows = 0;
	for (size_t i = 0; i < l->count; i++) {
		struct mark *m = &l->marks[i];
		mark_extent(ch, m, true);
		int r = first_fit(row_end, l->rows, m->left);
		if (r < 0 && l->rows < MAX_ROWS) {
			r = l->rows++;
			row_end[r] = LONG_MIN;
		}
		if (r < 0 && m->title_chars) {
			mark_extent(ch, m, false);
			r = first_fit(row_end, l->rows, m->left);
		}
		if (r < 0) {
			r = 0;
			for (int k = 1; k < l->rows; k++)
				if (row_end[k] < row_end[r])
					r = k;
		}
		if (m->right > row_end[r])
			row_end[r] = m->right;
		m->row = r;
	}
	if (l->rows == 0)
		l->rows = 1;
}

static void lane_add(const struct axis *ax, struct lane *l, enum mark_kind kind,
		     const struct proposal *p, const struct position *pos)
{
	struct mark m = {.kind = kind,
			 .p = p,
			 .pos = pos,
			 .date = pos ? &pos->date : &p->date};
	period(ax, m.date, &m.x0, &m.x1);
	l->marks = xgrow(l->marks, &l->cap, l->count + 1, sizeof *l->marks);
	l->marks[l->count++] = m;
}

static int compare_lanes(const void *va, const void *vb)
{
	const struct lane *a = *(const struct lane *const *)va;
	const struct lane *b = *(const struct lane *const *)vb;
	int c = strcmp(a->party->name, b->party->name);
	return c ? c : strcmp(a->party->id, b->party->id);
}

/* Most marks first, then by name: the parties that get a lane. */
static int compare_lanes_by_total(const void *va, const void *vb)
{
	const struct lane *a = *(const struct lane *const *)va;
	const struct lane *b = *(const struct lane *const *)vb;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return compare_lanes(va, vb);
}

/* The bucket DATE is counted in: its month, or its year (month 0) when
 * it is dated only to the year or the axis counts per year. */
static size_t bucket_of(const struct axis *ax, const struct date *d)
{
	int month = ax->by_month && d->precision != DATE_YEAR ? d->month : 0;
	return (size_t)(d->year - ax->first) * 13 + (size_t)month;
}

/* A proposal made or a position taken, in its party's lane: a mark, or
 * a count in the party's tally or the other parties'. */
static void chart_place(struct chart *ch, struct lane *l, enum mark_kind kind,
			const struct proposal *p, const struct position *pos)
{
	if (l->other)
		l = &ch->others;
	if (!l->tally) {
		lane_add(&ch->ax, l, kind, p, pos);
		return;
	}
	struct tally *t = &l->tally[bucket_of(&ch->ax, pos ? &pos->date
							   : &p->date)];
	if (kind == MARK_PROPOSAL)
		t->proposals++;
	else
		t->positions++;
}

/* Lanes for the LANES_MAX parties with the most proposals made and
 * positions taken (all of them when there are no more), by name, and
 * one for the other parties together, counted, so the chart's height
 * does not grow with the number of parties; a lane of more than
 * LANE_MARKS_MAX marks is counted too, so neither does its size. */
static void chart_init(struct chart *ch, const struct archive *a,
		       struct proposal *const *proposals, size_t n)
{
	ch->number = xcalloc(a->proposal_count + 1, sizeof *ch->number);
	ch->lanes = xcalloc(a->party_count + 1, sizeof *ch->lanes);
	ch->buckets = (size_t)ch->ax.years * 13;
	for (size_t i = 0; i < a->party_count; i++)
		ch->lanes[i].party = a->parties[i];
	for (size_t i = 0; i < n; i++) {
		const struct proposal *p = proposals[i];
		for (size_t k = 0; k < p->proposed_by_count; k++)
			ch->lanes[p->proposed_by[k]->index].total++;
		for (size_t k = 0; k < p->position_count; k++)
			ch->lanes[p->positions[k].party->index].total++;
		ch->position_count += p->position_count;
	}
	ch->order = xcalloc(a->party_count + 2, sizeof *ch->order);
	for (size_t i = 0; i < a->party_count; i++)
		if (ch->lanes[i].total)
			ch->order[ch->lane_count++] = &ch->lanes[i];
	if (ch->lane_count > LANES_MAX) {
		qsort(ch->order, ch->lane_count, sizeof *ch->order,
		      compare_lanes_by_total);
		for (size_t i = LANES_MAX; i < ch->lane_count; i++) {
			ch->order[i]->other = true;
			ch->others.total += ch->order[i]->total;
			ch->other_parties++;
		}
		ch->lane_count = LANES_MAX;
		ch->others.tally =
		    xcalloc(ch->buckets, sizeof *ch->others.tally);
	}
	for (size_t i = 0; i < ch->lane_count; i++)
		if (ch->order[i]->total > LANE_MARKS_MAX)
			ch->order[i]->tally =
			    xcalloc(ch->buckets, sizeof *ch->order[i]->tally);
	for (size_t i = 0; i < n; i++) {
		const struct proposal *p = proposals[i];
		ch->number[p->index] = (int)i + 1;
		for (size_t k = 0; k < p->proposed_by_count; k++)
			chart_place(ch, &ch->lanes[p->proposed_by[k]->index],
				    MARK_PROPOSAL, p, NULL);
		for (size_t k = 0; k < p->position_count; k++)
			chart_place(ch,
				    &ch->lanes[p->positions[k].party->index],
				    MARK_POSITION, p, &p->positions[k]);
	}
	for (size_t i = 0; i < ch->lane_count; i++)
		if (!ch->order[i]->tally)
			pack_lane(ch, ch->order[i]);
	qsort(ch->order, ch->lane_count, sizeof *ch->order, compare_lanes);
	if (ch->other_parties)
		ch->order[ch->lane_count++] = &ch->others;
}

static void chart_release(struct chart *ch, size_t party_count)
{
	for (size_t i = 0; i < party_count; i++) {
		free(ch->lanes[i].marks);
		free(ch->lanes[i].tally);
	}
	free(ch->others.tally);
	free(ch->lanes);
	free(ch->order);
	free(ch->number);
	axis_release(&ch->ax);
}

/* ---- articles, counted per month or per year ---- */

struct bucket {
	int year, month; /* month 0: the whole year */
	size_t count;
};

/* Counts ARTICLES (sorted by date) per month, with those dated only to a
 * year in a bucket of their own, or per year when BY_MONTH is false. The
 * sort keeps each bucket's articles together. */
static struct bucket *count_articles(struct article *const *articles, size_t n,
				     bool by_month, size_t *count)
{
	struct bucket *b = NULL;
	size_t cap = 0;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct date *d = &articles[i]->date;
		int month =
		    by_month && d->precision != DATE_YEAR ? d->month : 0;
		if (*count && b[*count - 1].year == d->year &&
		    b[*count - 1].month == month) {
			b[*count - 1].count++;
			continue;
		}
		b = xgrow(b, &cap, *count + 1, sizeof *b);
		struct bucket nb = {d->year, month, 1};
		b[(*count)++] = nb;
	}
	return b;
}

/* ---- drawing ---- */

/* An <a> to HREF holding a <title>: a mark's link and its name. */
static xmlNodePtr mark_link(xmlNodePtr parent, const char *cls,
			    const char *href, const char *title)
{
	xmlNodePtr a = html_elc(parent, "a", cls);
	html_attr(a, "href", href);
	html_el_text(a, "title", title);
	return a;
}

/* The shape of stance S in a badge of radius 8 centred on CX, CY: the
 * same four shapes as stance_shape, drawn, so no font is needed. */
static void draw_stance(struct draw *d, xmlNodePtr parent, enum stance s,
			long cx, long cy)
{
	struct buf *b = &d->s;
	xmlNodePtr c = html_elc(parent, "circle", "tl-badge");
	html_attr(c, "fill", "none");
	html_attr(c, "stroke", "currentColor");
	attr_u(d, c, "cx", cx);
	attr_u(d, c, "cy", cy);
	attr_u(d, c, "r", PX(8));
	buf_reset(b);
	switch (s) {
	case STANCE_ACCEPTED: /* ✓ */
		path_to(b, 'M', cx - 42, cy + 2);
		path_to(b, 'L', cx - 12, cy + 34);
		path_to(b, 'L', cx + 44, cy - 36);
		path(parent, "tl-glyph", b);
		break;
	case STANCE_REJECTED: /* ✗ */
		path_to(b, 'M', cx - 35, cy - 35);
		path_to(b, 'L', cx + 35, cy + 35);
		path_to(b, 'M', cx + 35, cy - 35);
		path_to(b, 'L', cx - 35, cy + 35);
		path(parent, "tl-glyph", b);
		break;
	case STANCE_CONDITIONAL: /* ◐: the left half filled */
		path_to(b, 'M', cx, cy - PX(8));
		buf_adds(b, " A8 8 0 0 0 ");
		put_u(b, cx);
		buf_addc(b, ' ');
		put_u(b, cy + PX(8));
		buf_adds(b, " Z");
		path(parent, "tl-glyph-fill", b);
		break;
	default: /* ? */
		text_at(d, parent, "tl-glyph-text", cx, cy + 42, "middle", "?");
		break;
	}
}

/* A diamond centred on CX, CY: a day. */
static void draw_diamond(struct draw *d, xmlNodePtr parent, const char *cls,
			 long cx, long cy, long r)
{
	struct buf *b = &d->s;
	buf_reset(b);
	path_to(b, 'M', cx, cy - r);
	path_to(b, 'L', cx + r, cy);
	path_to(b, 'L', cx, cy + r);
	path_to(b, 'L', cx - r, cy);
	buf_adds(b, " Z");
	path(parent, cls, b);
}

/* A small triangle pointing down at X, its tip at Y: a position's day. */
static void draw_pointer(struct draw *d, xmlNodePtr parent, const char *cls,
			 long x, long y)
{
	struct buf *b = &d->s;
	buf_reset(b);
	path_to(b, 'M', x - PX(5), y - PX(6));
	path_to(b, 'L', x + PX(5), y - PX(6));
	path_to(b, 'L', x, y);
	buf_adds(b, " Z");
	path(parent, cls, b);
}

static const char *span_class(const struct date *d)
{
	return d->precision == DATE_YEAR ? "tl-span tl-span-year"
					 : "tl-span tl-span-month";
}

/* Half the width of a gap's label ("2009–2020"), or 0 when the gap is
 * too narrow to hold one. */
static long gap_label_half(const struct axis *ax, const struct gap *gp)
{
	return ax->gap_labels && gp->width >= PX(48) ? PX(27) : 0;
}

/* Year labels along Y. When every year has room for its label, each is
 * centred over its year. Otherwise labels mark the left edges of every
 * STEP-th year and of the first year after each gap, and a label that
 * would touch the one before it or a gap's label is left out. */
static void draw_year_labels(struct draw *d, xmlNodePtr g,
			     const struct axis *ax, long y)
{
	const long w = PX(34), room = PX(10); /* a label; space between */
	struct buf lab;
	buf_init(&lab);
	long last_end = LONG_MIN;
	size_t gi = 0;
	for (int i = 0; i < ax->years; i++) {
		int year = ax->first + i;
		long left = ax->left[i];
		if (left < 0)
			continue;
		buf_reset(&lab);
		buf_addf(&lab, "%d", year);
		if (ax->step == 1) {
			text_at(d, g, "tl-year", left + ax->year_w / 2, y,
				"middle", lab.data);
			continue;
		}
		bool after_gap = i > 0 && ax->left[i - 1] < 0;
		if (after_gap) {
			const struct gap *gp = &ax->gaps[gi++];
			long end =
			    gp->left + gp->width / 2 + gap_label_half(ax, gp);
			if (end > last_end)
				last_end = end;
		}
		if (year % ax->step != 0 && i != 0 && !after_gap)
			continue;
		const char *anchor = "middle";
		long start = left - w / 2;
		if (i == 0 || after_gap) {
			anchor = "start";
			start = left + PX(2);
		} else if (left + w / 2 > PX(VIEW_W - 2)) {
			anchor = "end";
			start = left - w;
		}
		long end = start + w;
		if (last_end != LONG_MIN && start < last_end + room)
			continue;
		if (gi < ax->gap_count) {
			const struct gap *gp = &ax->gaps[gi];
			long half = gap_label_half(ax, gp);
			if (half &&
			    end + room > gp->left + gp->width / 2 - half)
				continue;
		}
		text_at(d, g, "tl-year", anchor[0] == 's' ? start : left, y,
			anchor, lab.data);
		last_end = end;
	}
	buf_release(&lab);
}

/* Is year YEAR's left edge a gridline? Every year when each is labelled,
 * else the labelled ones. */
static bool grid_year(const struct axis *ax, int i)
{
	return ax->step == 1 || (ax->first + i) % ax->step == 0 || i == 0 ||
	       ax->left[i - 1] < 0;
}

static void draw_axis(struct draw *d, xmlNodePtr back, xmlNodePtr g,
		      const struct axis *ax, long bottom)
{
	long y = ax->axis_y;
	struct buf lab;
	buf_init(&lab);
	/* Shaded gaps for collapsed years, through every lane. */
	for (size_t k = 0; k < ax->gap_count; k++) {
		const struct gap *gp = &ax->gaps[k];
		xmlNodePtr r =
		    rect(d, back, "tl-gap", gp->left, y, gp->width, bottom - y);
		html_attr(r, "fill-opacity", "0.08");
		buf_reset(&lab);
		buf_addf(&lab, "%d\u2013%d: nothing in the archive", gp->from,
			 gp->to);
		html_el_text(r, "title", lab.data);
	}
	for (int i = 0; i < ax->years; i++) {
		if (ax->left[i] < 0)
			continue;
		if (grid_year(ax, i))
			line(d, back, "tl-grid", ax->left[i], y, ax->left[i],
			     bottom);
		/* The year's right edge closes a stretch before a gap and
		 * at the end. */
		if (i + 1 == ax->years || ax->left[i + 1] < 0)
			line(d, back, "tl-grid", ax->left[i] + ax->year_w, y,
			     ax->left[i] + ax->year_w, bottom);
	}

	line(d, g, "tl-axis-line", PX(PAD_X), y, ax->right, y);
	for (int i = 0; i < ax->years; i++) {
		long left = ax->left[i];
		if (left < 0)
			continue;
		line(d, g, "tl-tick", left, y - PX(6), left, y);
		if (i + 1 == ax->years || ax->left[i + 1] < 0)
			line(d, g, "tl-tick", left + ax->year_w, y - PX(6),
			     left + ax->year_w, y);
		int year = ax->first + i;
		for (int m = 1; ax->month_ticks && m <= 12; m++) {
			long x0 = day_x(ax, year, month_start(year, m));
			long x1 = day_x(ax, year, month_start(year, m + 1));
			if (m > 1)
				line(d, g, "tl-tick tl-tick-month", x0,
				     y - PX(3), x0, y);
			if (ax->month_labels)
				text_at(d, g, "tl-month", (x0 + x1) / 2,
					PX(MONTH_BASE), "middle",
					month_abbr[m - 1]);
		}
	}
	draw_year_labels(d, g, ax, PX(YEAR_BASE));
	/* A break in the axis line where years are left out. */
	for (size_t k = 0; k < ax->gap_count; k++) {
		const struct gap *gp = &ax->gaps[k];
		long mid = gp->left + gp->width / 2;
		html_attr(rect(d, g, "tl-axis-cut", mid - PX(6), y - PX(3),
			       PX(12), PX(6)),
			  "fill", "none");
		buf_reset(&d->s);
		path_to(&d->s, 'M', mid - PX(7), y + PX(5));
		path_to(&d->s, 'L', mid - PX(2), y - PX(5));
		path_to(&d->s, 'M', mid + PX(2), y + PX(5));
		path_to(&d->s, 'L', mid + PX(7), y - PX(5));
		path(g, "tl-axis-break", &d->s);
		if (gap_label_half(ax, gp)) {
			buf_reset(&lab);
			buf_addf(&lab, "%d\u2013%d", gp->from, gp->to);
			text_at(d, g, "tl-gap-label", mid,
				PX(YEAR_BASE) - PX(1), "middle", lab.data);
		}
	}
	buf_release(&lab);
}

/* The link to YEAR in the list by date: its heading on this page, or
 * its first page. */
static void year_href(const struct draw *d, struct buf *b, int year)
{
	buf_reset(b);
	const struct paging *pg = d->pg;
	if (!pg) {
		buf_addf(b, "#y-%04d", year);
		return;
	}
	size_t lo = 0, hi = pg->year_count;
	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if (pg->years[mid].year <= year)
			lo = mid;
		else
			hi = mid;
	}
	paging_year_url(pg, b, d->c->root, lo);
}

/* The articles lane: a column per month (height: the number of
 * articles), a band under the year for those dated only to a year; per
 * year on long axes. Each links to its year in the list below. */
static void draw_articles(struct draw *d, xmlNodePtr svg, const struct axis *ax,
			  const struct bucket *b, size_t n, long top)
{
	size_t most = 0;
	for (size_t i = 0; i < n; i++)
		if ((b[i].month || !ax->by_month) && b[i].count > most)
			most = b[i].count;
	xmlNodePtr g = html_elc(svg, "g", "tl-lane tl-lane-articles");
	struct buf lab, title, href;
	buf_init(&lab);
	buf_init(&title);
	buf_init(&href);
	buf_adds(&lab,
		 ax->by_month ? "Articles per month" : "Articles per year");
	if (most) {
		buf_adds(&lab, " (tallest: ");
		add_count(&lab, most, "article", "articles");
		buf_adds(&lab, ")");
	}
	text_at(d, g, "tl-lane-label", PX(PAD_X), top + PX(15), "start",
		lab.data);
	long base = top + PX(LANE_LABEL_H + HIST_H);
	for (size_t i = 0; i < n; i++) {
		const struct bucket *k = &b[i];
		struct date dt = {k->year, k->month, 0,
				  k->month ? DATE_MONTH : DATE_YEAR};
		long x0, x1;
		period(ax, &dt, &x0, &x1);
		buf_reset(&title);
		date_shown(&title, &dt);
		if (!k->month && ax->by_month)
			buf_adds(&title, ", dated to the year only");
		buf_adds(&title, ": ");
		add_count(&title, k->count, "article", "articles");
		year_href(d, &href, k->year);
		xmlNodePtr a =
		    mark_link(g, "tl-articles", href.data, title.data);
		if (!k->month && ax->by_month) {
			rect(d, a,
			     "tl-mark tl-art tl-art-year tl-span tl-span-year",
			     x0, base + PX(3), x1 - x0, PX(5));
			continue;
		}
		/* A hair of space between neighbouring columns. */
		if (x1 - x0 >= PX(4)) {
			x0 += 5;
			x1 -= 5;
		}
		visible(&x0, &x1, PX(2));
		long h = PX(HIST_H) * (long)k->count / (long)most;
		if (h < PX(3))
			h = PX(3);
		rect(d, a,
		     k->month ? "tl-mark tl-art tl-span tl-span-month"
			      : "tl-mark tl-art tl-span tl-span-year",
		     x0, base - h, x1 - x0, h);
	}
	line(d, g, "tl-baseline", PX(PAD_X), base, ax->right, base);
	buf_release(&lab);
	buf_release(&title);
	buf_release(&href);
}

static long articles_lane_height(void)
{
	return PX(LANE_LABEL_H + HIST_H + 14);
}

static long lane_height(const struct lane *l)
{
	if (l->tally)
		return articles_lane_height();
	return PX(LANE_LABEL_H) + PX(ROW_H) * l->rows + PX(LANE_PAD);
}

/* The link of a position's mark: its quoted passage in the source when
 * anchored, else the proposal's page. */
static void position_href(struct ctx *c, const struct position *pos)
{
	buf_reset(&c->href);
	if (pos->quote && pos->anchored) {
		entry_url(&c->href, c->root, ENTRY_ARTICLE, pos->source->id);
		buf_adds(&c->href, "#pp-");
		buf_adds(&c->href, pos->passage.slug);
	} else {
		entry_url(&c->href, c->root, ENTRY_PROPOSAL, pos->proposal->id);
	}
}

static void draw_mark(struct draw *d, const struct chart *ch, xmlNodePtr g,
		      const struct mark *m, long top)
{
	struct ctx *c = d->c;
	struct buf title, lab;
	buf_init(&title);
	buf_init(&lab);
	long ry = top + PX(ROW_H) * m->row;
	long x0 = m->x0, x1 = m->x1, xc = (x0 + x1) / 2;
	long from, to;
	label_room(m, &from, &to);
	long tx = m->label_left ? to : from;
	const char *anchor = m->label_left ? "end" : "start";
	int num = ch->number[m->p->index];
	xmlNodePtr a, t;
	visible(&x0, &x1, PX(3));
	if (m->kind == MARK_PROPOSAL) {
		buf_addf(&title, "%s \u2014 ", m->p->title);
		date_shown(&title, m->date);
		buf_reset(&c->href);
		entry_url(&c->href, c->root, ENTRY_PROPOSAL, m->p->id);
		a = mark_link(g, "tl-proposal", c->href.data, title.data);
		if (is_span(m->date)) {
			buf_reset(&lab);
			buf_addf(&lab, "tl-mark tl-prop %s",
				 span_class(m->date));
			xmlNodePtr r = rect(d, a, lab.data, x0, ry + PX(17),
					    x1 - x0, PX(8));
			html_attr(r, "rx", "2");
		} else {
			draw_diamond(d, a, "tl-mark tl-prop tl-point", xc,
				     ry + PX(21), PX(6));
		}
		t = text_at(d, a, "tl-label", tx, ry + PX(13), anchor, NULL);
	} else {
		const struct position *pos = m->pos;
		buf_addf(&title, "%s on %s: %s \u2014 ", pos->party->name,
			 m->p->title, stance_name(pos->stance));
		date_shown(&title, m->date);
		position_href(c, pos);
		buf_addf(&lab, "tl-position tl-stance-%s",
			 stance_name(pos->stance));
		a = mark_link(g, lab.data, c->href.data, title.data);
		if (is_span(m->date)) {
			buf_reset(&lab);
			buf_addf(&lab, "tl-mark tl-pos %s",
				 span_class(m->date));
			rect(d, a, lab.data, x0, ry + PX(21), x1 - x0, PX(4));
		} else {
			draw_pointer(d, a, "tl-mark tl-pos tl-point", xc,
				     ry + PX(26));
		}
		draw_stance(d, a, pos->stance, xc, ry + PX(10));
		t = text_at(d, a, "tl-label tl-label-pos", tx, ry + PX(14),
			    anchor, NULL);
	}
	buf_reset(&lab);
	buf_addf(&lab, "%d", num);
	html_attr(html_el_text(t, "tspan", lab.data), "class", "tl-num");
	if (m->title_chars) {
		buf_reset(&lab);
		buf_addc(&lab, ' ');
		add_cut(&lab, m->p->title, m->title_chars);
		html_text(t, lab.data);
	}
	buf_release(&title);
	buf_release(&lab);
}

/* "3 proposals and 2 positions", leaving out a count of none. */
static void add_tally(struct buf *b, const struct tally *t)
{
	if (t->proposals)
		add_count(b, t->proposals, "proposal", "proposals");
	if (t->proposals && t->positions)
		buf_adds(b, " and ");
	if (t->positions)
		add_count(b, t->positions, "position", "positions");
}

/* A counted lane: a column per month (or year) whose height is the
 * number of proposals made and positions taken in it, a band under the
 * year for those dated only to the year; each links to its year in the
 * list by date. */
static void draw_tally_lane(struct draw *d, const struct chart *ch,
			    xmlNodePtr svg, const struct lane *l)
{
	struct ctx *c = d->c;
	const struct axis *ax = &ch->ax;
	xmlNodePtr g = html_elc(svg, "g", "tl-lane tl-lane-counted");
	struct buf lab, title, href;
	buf_init(&lab);
	buf_init(&title);
	buf_init(&href);
	size_t most = 0;
	for (size_t i = 0; i < ch->buckets; i++) {
		const struct tally *t = &l->tally[i];
		if ((i % 13 || !ax->by_month) &&
		    t->proposals + t->positions > most)
			most = t->proposals + t->positions;
	}
	line(d, g, "tl-sep", 0, l->top, PX(VIEW_W), l->top);
	if (l->party) {
		buf_adds(&lab, l->party->name);
		buf_reset(&c->href);
		entry_url(&c->href, c->root, ENTRY_PARTY, l->party->id);
		xmlNodePtr a = html_elc(g, "a", "tl-lane-link");
		html_attr(a, "href", c->href.data);
		text_at(d, a, "tl-lane-label", PX(PAD_X), l->top + PX(16),
			"start", lab.data);
	} else {
		buf_addf(&lab, "Other parties (%zu)", ch->other_parties);
		text_at(d, g, "tl-lane-label", PX(PAD_X), l->top + PX(16),
			"start", lab.data);
	}
	buf_reset(&lab);
	buf_adds(&lab, ax->by_month ? "proposals and positions per month"
				    : "proposals and positions per year");
	if (most)
		buf_addf(&lab, " (tallest: %zu)", most);
	text_at(d, g, "tl-lane-note", PX(VIEW_W - PAD_X), l->top + PX(16),
		"end", lab.data);
	long base = l->top + PX(LANE_LABEL_H + HIST_H);
	for (size_t i = 0; i < ch->buckets; i++) {
		const struct tally *t = &l->tally[i];
		if (!t->proposals && !t->positions)
			continue;
		int year = ax->first + (int)(i / 13), month = (int)(i % 13);
		struct date dt = {year, month, 0,
				  month ? DATE_MONTH : DATE_YEAR};
		long x0, x1;
		period(ax, &dt, &x0, &x1);
		buf_reset(&title);
		date_shown(&title, &dt);
		if (!month && ax->by_month)
			buf_adds(&title, ", dated to the year only");
		buf_adds(&title, ": ");
		add_tally(&title, t);
		if (l->party)
			buf_addf(&title, " (%s)", l->party->name);
		else
			buf_adds(&title, " (other parties)");
		year_href(d, &href, year);
		xmlNodePtr a =
		    mark_link(g, "tl-counted", href.data, title.data);
		if (!month && ax->by_month) {
			rect(d, a, "tl-mark tl-tally tl-span tl-span-year", x0,
			     base + PX(3), x1 - x0, PX(5));
			continue;
		}
		if (x1 - x0 >= PX(4)) {
			x0 += 5;
			x1 -= 5;
		}
		visible(&x0, &x1, PX(2));
		long h = PX(HIST_H) * (long)(t->proposals + t->positions) /
			 (long)most;
		if (h < PX(3))
			h = PX(3);
		rect(d, a,
		     month ? "tl-mark tl-tally tl-span tl-span-month"
			   : "tl-mark tl-tally tl-span tl-span-year",
		     x0, base - h, x1 - x0, h);
	}
	line(d, g, "tl-baseline", PX(PAD_X), base, ax->right, base);
	buf_release(&lab);
	buf_release(&title);
	buf_release(&href);
}

static void draw_lane(struct draw *d, const struct chart *ch, xmlNodePtr svg,
		      const struct lane *l)
{
	struct ctx *c = d->c;
	if (l->tally) {
		draw_tally_lane(d, ch, svg, l);
		return;
	}
	xmlNodePtr g = html_elc(svg, "g", "tl-lane");
	line(d, g, "tl-sep", 0, l->top, PX(VIEW_W), l->top);
	buf_reset(&c->href);
	entry_url(&c->href, c->root, ENTRY_PARTY, l->party->id);
	xmlNodePtr a = html_elc(g, "a", "tl-lane-link");
	html_attr(a, "href", c->href.data);
	text_at(d, a, "tl-lane-label", PX(PAD_X), l->top + PX(16), "start",
		l->party->name);
	for (size_t i = 0; i < l->count; i++)
		draw_mark(d, ch, g, &l->marks[i], l->top + PX(LANE_LABEL_H));
}

static void chart_title(struct buf *b, const struct chart *ch, size_t proposals,
			size_t articles)
{
	const struct axis *ax = &ch->ax;
	buf_addf(b, "Timeline, %d", ax->first);
	if (ax->years > 1)
		buf_addf(b, " to %d", ax->first + ax->years - 1);
	buf_adds(b, ": ");
	if (proposals) {
		add_count(b, proposals, "proposal", "proposals");
		buf_adds(b, " and ");
		add_count(b, ch->position_count, "position", "positions");
		buf_adds(b, " by party");
		if (ch->other_parties)
			buf_addf(b, " (the %d with the most in lanes of their "
				 "own, %zu others counted together)",
				 LANES_MAX, ch->other_parties);
		if (articles)
			buf_adds(b, ", and ");
	}
	if (articles) {
		add_count(b, articles, "article", "articles");
		buf_adds(b, ax->by_month ? " counted per month"
					 : " counted per year");
	}
}

static void draw_chart(struct draw *d, struct chart *ch, xmlNodePtr slot,
		       struct article *const *articles, size_t article_count,
		       size_t proposal_count)
{
	const struct axis *ax = &ch->ax;
	size_t bucket_count = 0;
	struct bucket *buckets = count_articles(articles, article_count,
						ax->by_month, &bucket_count);
	long y = ax->axis_y + PX(4);
	long articles_top = y;
	if (article_count)
		y += articles_lane_height();
	for (size_t i = 0; i < ch->lane_count; i++) {
		ch->order[i]->top = y;
		y += lane_height(ch->order[i]);
	}
	long bottom = y;
	bool axis_below = ch->lane_count >= 4;
	long height = bottom + (axis_below ? PX(YEAR_BASE + 10) : PX(4));

	xmlNodePtr svg = html_elc(slot, "svg", "tl-svg");
	html_attr(svg, "fill", "currentColor");
	buf_reset(&d->s);
	buf_adds(&d->s, "0 0 ");
	put_u(&d->s, PX(VIEW_W));
	buf_addc(&d->s, ' ');
	put_u(&d->s, height);
	html_attr(svg, "viewBox", d->s.data);
	attr_u(d, svg, "width", PX(VIEW_W));
	attr_u(d, svg, "height", height);
	html_attr(svg, "aria-labelledby", "tl-svg-title");
	struct buf title;
	buf_init(&title);
	chart_title(&title, ch, proposal_count, article_count);
	html_attr(html_el_text(svg, "title", title.data), "id", "tl-svg-title");
	buf_release(&title);

	xmlNodePtr back = html_elc(svg, "g", "tl-back");
	xmlNodePtr axis = html_elc(svg, "g", "tl-axis");
	draw_axis(d, back, axis, ax, bottom);
	if (article_count)
		draw_articles(d, svg, ax, buckets, bucket_count, articles_top);
	for (size_t i = 0; i < ch->lane_count; i++)
		draw_lane(d, ch, svg, ch->order[i]);
	if (axis_below) {
		xmlNodePtr g = html_elc(svg, "g", "tl-axis tl-axis-below");
		line(d, g, "tl-axis-line", PX(PAD_X), bottom, ax->right,
		     bottom);
		draw_year_labels(d, g, ax, bottom + PX(YEAR_BASE));
	}
	free(buckets);
}

/* ---- the legend, in HTML with the chart's own shapes ---- */

/* A small inline SVG W px wide for a legend entry; the words beside it
 * say what it means, so it is hidden from assistive technology. */
static xmlNodePtr key_svg(struct draw *d, xmlNodePtr li, long w)
{
	xmlNodePtr svg = html_elc(li, "svg", "tl-key");
	html_attr(svg, "fill", "currentColor");
	buf_reset(&d->s);
	buf_adds(&d->s, "0 0 ");
	put_u(&d->s, w);
	buf_adds(&d->s, " 28");
	html_attr(svg, "viewBox", d->s.data);
	attr_u(d, svg, "width", w);
	html_attr(svg, "height", "28");
	html_attr(svg, "aria-hidden", "true");
	return svg;
}

/* A legend entry: its key (an SVG W px wide), then TEXT. */
static xmlNodePtr key_item(struct draw *d, xmlNodePtr ul, long w,
			   const char *text, xmlNodePtr *svg)
{
	xmlNodePtr li = html_el(ul, "li");
	*svg = key_svg(d, li, w);
	html_text(li, " ");
	html_el_text(li, "span", text);
	return li;
}

static void draw_legend(struct draw *d, const struct chart *ch, xmlNodePtr slot,
			struct article *const *articles, size_t article_count,
			size_t proposal_count)
{
	static const enum stance stances[] = {STANCE_ACCEPTED, STANCE_REJECTED,
					      STANCE_CONDITIONAL,
					      STANCE_UNDECIDED};
	const struct axis *ax = &ch->ax;
	xmlNodePtr ul = html_elc(slot, "ul", "tl-legend-list");
	xmlNodePtr svg, g;
	if (proposal_count) {
		key_item(d, ul, PX(40),
			 "Proposal dated to a month or a year: "
			 "a bar across it",
			 &svg);
		g = html_elc(svg, "g", "tl-proposal");
		html_attr(rect(d, g, "tl-mark tl-prop tl-span", PX(2), PX(10),
			       PX(36), PX(8)),
			  "rx", "2");
		key_item(d, ul, PX(40),
			 "Proposal dated to a day: a diamond on "
			 "the day",
			 &svg);
		g = html_elc(svg, "g", "tl-proposal");
		draw_diamond(d, g, "tl-mark tl-prop tl-point", PX(20), PX(14),
			     PX(6));
	}
	if (ch->position_count) {
		xmlNodePtr li = html_elc(ul, "li", "tl-legend-stances");
		html_el_text(li, "span", "Position:");
		html_text(li, " ");
		for (size_t i = 0; i < 4; i++) {
			buf_reset(&d->s);
			buf_addf(&d->s, "tl-position tl-stance-%s",
				 stance_name(stances[i]));
			xmlNodePtr span =
			    html_elc(li, "span", "tl-legend-stance");
			svg = key_svg(d, span, PX(20));
			g = html_elc(svg, "g", d->s.data);
			draw_stance(d, g, stances[i], PX(10), PX(14));
			html_text(span, " ");
			html_text(span, stance_name(stances[i]));
			if (i + 1 < 4)
				html_text(li, " ");
		}
		key_item(d, ul, PX(40),
			 "Under a position: a bar across its "
			 "month or year, or a triangle at its day",
			 &svg);
		g = html_elc(svg, "g", "tl-position");
		rect(d, g, "tl-mark tl-pos tl-span", PX(2), PX(14), PX(18),
		     PX(4));
		draw_pointer(d, g, "tl-mark tl-pos tl-point", PX(31), PX(20));
		key_item(d, ul, PX(40),
			 "Proposals are numbered by date; a "
			 "position shows the number of the proposal it answers",
			 &svg);
		text_at(d, svg, "tl-key-num", PX(20), PX(19), "middle", "3");
	}
	bool counted = false;
	for (size_t i = 0; i < ch->lane_count && !counted; i++)
		counted = ch->order[i]->tally != NULL;
	if (counted) {
		key_item(d, ul, PX(40),
			 ch->other_parties
			     ? (ax->by_month
				    ? "Other parties, and parties with many "
				      "marks: proposals and positions per "
				      "month, the taller, the more"
				    : "Other parties, and parties with many "
				      "marks: proposals and positions per "
				      "year, the taller, the more")
			     : (ax->by_month
				    ? "Parties with many marks: proposals "
				      "and positions per month, the taller, "
				      "the more"
				    : "Parties with many marks: proposals "
				      "and positions per year, the taller, "
				      "the more"),
			 &svg);
		g = html_elc(svg, "g", "tl-counted");
		rect(d, g, "tl-mark tl-tally", PX(5), PX(16), PX(8), PX(10));
		rect(d, g, "tl-mark tl-tally", PX(16), PX(6), PX(8), PX(20));
		rect(d, g, "tl-mark tl-tally", PX(27), PX(12), PX(8), PX(14));
	}
	if (article_count) {
		key_item(d, ul, PX(40),
			 ax->by_month
			     ? "Articles per month: the taller, the more"
			     : "Articles per year: the taller, the more",
			 &svg);
		g = html_elc(svg, "g", "tl-articles");
		rect(d, g, "tl-mark tl-art", PX(5), PX(14), PX(8), PX(12));
		rect(d, g, "tl-mark tl-art", PX(16), PX(4), PX(8), PX(22));
		rect(d, g, "tl-mark tl-art", PX(27), PX(20), PX(8), PX(6));
		bool year_only = false;
		for (size_t i = 0; i < article_count && !year_only; i++)
			year_only = articles[i]->date.precision == DATE_YEAR;
		if (ax->by_month && year_only) {
			key_item(d, ul, PX(40),
				 "Articles dated only to a "
				 "year: a band under the year",
				 &svg);
			g = html_elc(svg, "g", "tl-articles");
			rect(d, g, "tl-mark tl-art tl-art-year", PX(2), PX(12),
			     PX(36), PX(5));
		}
	}
	if (ax->gap_count) {
		key_item(d, ul, PX(40),
			 "Years with nothing in the archive, "
			 "left out of the axis",
			 &svg);
		html_attr(rect(d, svg, "tl-gap", PX(8), 0, PX(24), PX(28)),
			  "fill-opacity", "0.08");
	}
}

/* ---- the list by date ---- */

enum event_kind { EVENT_PROPOSAL, EVENT_POSITION, EVENT_ARTICLE };

static const struct date *event_date(enum event_kind k, const void *e)
{
	switch (k) {
	case EVENT_PROPOSAL:
		return &((const struct proposal *)e)->date;
	case EVENT_POSITION:
		return &((const struct position *)e)->date;
	default:
		return &((const struct article *)e)->date;
	}
}

/* Positions are listed by date, then by their proposal's number, then as
 * the proposal lists them. */
struct position_order {
	const struct position *pos;
	int number;
};

static int compare_positions(const void *va, const void *vb)
{
	const struct position_order *a = va, *b = vb;
	int c = date_compare(&a->pos->date, &b->pos->date);
	if (c)
		return c;
	if (a->number != b->number)
		return a->number - b->number;
	return position_index(a->pos) - position_index(b->pos);
}

struct year_counts {
	size_t of[3];
};

static void set_counts(xmlNodePtr p, const struct year_counts *n)
{
	static const char *const one[] = {"proposal", "position", "article"};
	static const char *const many[] = {"proposals", "positions",
					   "articles"};
	struct buf b;
	buf_init(&b);
	for (int k = 0; k < 3; k++) {
		if (!n->of[k])
			continue;
		if (b.len)
			buf_adds(&b, ", ");
		add_count(&b, n->of[k], one[k], many[k]);
	}
	html_text(p, b.data);
	buf_release(&b);
}

/* One entry of the list; NUMBER is a proposal's number in the chart. */
static void event_item(struct ctx *c, xmlNodePtr ol, enum event_kind k,
		       const void *e, size_t number)
{
	static const char *const cls[] = {"tl-event tl-event-proposal",
					  "tl-event tl-event-position",
					  "tl-event tl-event-article"};
	static const char *const kind[] = {"Proposal", "Position", "Article"};
	xmlNodePtr li = html_elc(ol, "li", cls[k]);
	add_date(li, event_date(k, e));
	html_text(li, " ");
	xmlNodePtr tag = html_elc(li, "span", "tl-kind");
	html_text(tag, kind[k]);
	if (k == EVENT_PROPOSAL) {
		struct buf num;
		buf_init(&num);
		buf_addf(&num, " %zu", number);
		html_text(tag, num.data);
		buf_release(&num);
	}
	html_text(li, " ");
	if (k == EVENT_ARTICLE) {
		const struct article *art = e;
		link_entry(c, li, ENTRY_ARTICLE, art->id, art->title, NULL);
		if (art->outlet) {
			html_text(li, " ");
			html_text(html_elc(li, "span", "outlet"), art->outlet);
		}
	} else if (k == EVENT_PROPOSAL) {
		const struct proposal *p = e;
		link_entry(c, li, ENTRY_PROPOSAL, p->id, p->title, NULL);
		html_text(li, ", by ");
		add_party_links(c, li, p->proposed_by, p->proposed_by_count);
	} else {
		const struct position *pos = e;
		link_entry(c, li, ENTRY_PARTY, pos->party->id, pos->party->name,
			   NULL);
		html_text(li, " on ");
		link_entry(c, li, ENTRY_PROPOSAL, pos->proposal->id,
			   pos->proposal->title, NULL);
		html_text(li, ": ");
		add_stance(li, pos->stance);
		xmlNodePtr src = html_elc(li, "span", "tl-source");
		html_text(src, " \u2014 source: ");
		xmlNodePtr cite = html_el(src, "cite");
		struct buf frag;
		buf_init(&frag);
		if (pos->quote && pos->anchored)
			note_id(&frag, "pp-", &pos->passage);
		link_entry(c, cite, ENTRY_ARTICLE, pos->source->id,
			   pos->source->title, frag.len ? frag.data : NULL);
		buf_release(&frag);
	}
}

/* One entry of the list by date; NUMBER is a proposal's number. */
struct event {
	enum event_kind kind;
	const void *e;
	size_t number;
};

/* Every proposal, position and article, merged by date (proposals,
 * then positions, then articles on the same date); *COUNT receives
 * their number. The caller frees the result. */
static struct event *merge_events(struct article *const *articles,
				  size_t article_count,
				  struct proposal *const *proposals,
				  size_t proposal_count,
				  const struct position_order *positions,
				  size_t position_count, size_t *count)
{
	size_t at[3] = {0, 0, 0};
	const size_t total[3] = {proposal_count, position_count, article_count};
	size_t n = proposal_count + position_count + article_count;
	struct event *ev = xcalloc(n + 1, sizeof *ev);
	for (size_t i = 0; i < n; i++) {
		enum event_kind best = EVENT_PROPOSAL;
		const void *e = NULL;
		for (int k = 0; k < 3; k++) {
			if (at[k] == total[k])
				continue;
			const void *cand =
			    k == EVENT_PROPOSAL ? (const void *)proposals[at[k]]
			    : k == EVENT_POSITION
				? (const void *)positions[at[k]].pos
				: (const void *)articles[at[k]];
			if (!e ||
			    date_compare(event_date((enum event_kind)k, cand),
					 event_date(best, e)) < 0) {
				best = (enum event_kind)k;
				e = cand;
			}
		}
		at[best]++;
		struct event one = {best, e, at[EVENT_PROPOSAL]};
		ev[i] = one;
	}
	*count = n;
	return ev;
}

static void count_events(struct year_counts *n, const struct event *ev,
			 size_t from, size_t to)
{
	memset(n, 0, sizeof *n);
	for (size_t i = from; i < to; i++)
		n->of[ev[i].kind]++;
}

/* The list on the page itself: the events grouped by year. */
static void build_list(struct ctx *c, xmlNodePtr slot, const struct event *ev,
		       size_t n)
{
	struct buf id;
	buf_init(&id);
	for (size_t i = 0; i < n;) {
		int year = event_date(ev[i].kind, ev[i].e)->year;
		size_t end = i;
		while (end < n &&
		       event_date(ev[end].kind, ev[end].e)->year == year)
			end++;
		buf_reset(&id);
		buf_addf(&id, "y-%04d", year);
		xmlNodePtr sec = html_elc(slot, "section", "tl-year");
		html_attr(sec, "aria-labelledby", id.data);
		xmlNodePtr h = html_el(sec, "h3");
		html_attr(h, "id", id.data);
		buf_reset(&id);
		buf_addf(&id, "%d", year);
		html_text(h, id.data);
		struct year_counts counts;
		count_events(&counts, ev, i, end);
		set_counts(html_elc(sec, "p", "count tl-count"), &counts);
		xmlNodePtr ol = html_elc(sec, "ol", "entries tl-events");
		for (; i < end; i++)
			event_item(c, ol, ev[i].kind, ev[i].e, ev[i].number);
	}
	buf_release(&id);
}

/* A page of the list by year: timeline/YYYY/index.html. */
static void fill_year(struct ctx *c, struct tpage *p, const struct paging *pg,
		      size_t k, void *arg)
{
	const struct event *ev = arg;
	const struct paging_page *pp = &pg->pages[k];
	struct year_counts counts;
	size_t from, to;
	paging_span(pg, k, &from, &to);
	count_events(&counts, ev, from, to);
	struct buf b;
	buf_init(&b);
	buf_addf(&b, "%04d: ", pp->year);
	for (int kind = 0, first = 1; kind < 3; kind++) {
		static const char *const one[] = {"proposal", "position",
						  "article"};
		static const char *const many[] = {"proposals", "positions",
						   "articles"};
		if (!counts.of[kind])
			continue;
		if (!first)
			buf_adds(&b, ", ");
		add_count(&b, counts.of[kind], one[kind], many[kind]);
		first = 0;
	}
	buf_adds(&b, ", by date, each as precisely as its date is known: "
		     "one dated only to the year comes first, and one dated "
		     "to a month before the days of that month.");
	tpage_set_text(p, "lede", b.data);
	buf_release(&b);
	xmlNodePtr slot = tpage_slot(p, "events");
	if (!slot)
		return;
	xmlNodePtr ol = html_elc(slot, "ol", "entries tl-events");
	for (size_t i = pp->from; i < pp->to; i++)
		event_item(c, ol, ev[i].kind, ev[i].e, ev[i].number);
}

/* Where the list is split by year, timeline.html links the years. */
static void list_years(struct ctx *c, xmlNodePtr slot, const struct paging *pg)
{
	html_text(html_el(slot, "p"),
		  "The list of proposals, positions and articles by date is "
		  "on a page per year:");
	paging_years(c, slot, pg, -1, "entry", "entries");
}

/* ---- the page ---- */

void build_timeline(struct ctx *c, struct writer *w)
{
	struct article *const *articles = c->articles_by_date;
	struct proposal *const *proposals = c->proposals_by_date;
	size_t article_count = c->a->article_count;
	size_t proposal_count = c->a->proposal_count;
	const struct crumb crumbs[] = {{"index.html", "Home"},
				       {"timeline.html", "Timeline"}};
	const struct crumb here[] = {{"index.html", "Home"},
				     {NULL, "Timeline"}};
	struct tpage *p = page_begin(c, TPL_TIMELINE, "Timeline", here, 2);
	struct chart ch;
	struct draw d = {c, {0}, NULL};
	struct position_order *positions = NULL;
	struct event *events = NULL;
	const struct date **dates = NULL;
	struct paging pg;
	size_t position_count = 0, event_count = 0, cap = 0;
	xmlNodePtr slot;
	memset(&ch, 0, sizeof ch);
	memset(&pg, 0, sizeof pg);
	buf_init(&d.s);
	tpage_set_text(p, "lede",
		       "Articles, proposals and positions on one time axis. "
		       "Each is placed as precisely as its date is known: to "
		       "the year, the month or the day.");

	if (!axis_init(&ch.ax, articles, article_count, proposals,
		       proposal_count)) {
		tpage_set_text(p, "empty",
			       "The archive has no articles or "
			       "proposals yet: nothing to place "
			       "in time.");
		page_end(c, w, p, "timeline.html");
		goto out;
	}

	for (size_t i = 0; i < proposal_count; i++) {
		const struct proposal *pr = proposals[i];
		for (size_t k = 0; k < pr->position_count; k++) {
			positions = xgrow(positions, &cap, position_count + 1,
					  sizeof *positions);
			struct position_order o = {&pr->positions[k],
						   (int)i + 1};
			positions[position_count++] = o;
		}
	}
	if (position_count)
		qsort(positions, position_count, sizeof *positions,
		      compare_positions);
	events = merge_events(articles, article_count, proposals,
			      proposal_count, positions, position_count,
			      &event_count);
	/* A long list goes on pages by year, which the chart links to. */
	if (event_count > LIST_INLINE) {
		dates = xcalloc(event_count, sizeof *dates);
		for (size_t i = 0; i < event_count; i++)
			dates[i] = event_date(events[i].kind, events[i].e);
		paging_cut(&pg, PAGING_BY_YEAR, "timeline/", dates, NULL,
			   event_count, PAGING_MAX);
		d.pg = &pg;
	}

	chart_init(&ch, c->a, proposals, proposal_count);
	if ((slot = tpage_slot(p, "chart")))
		draw_chart(&d, &ch, slot, articles, article_count,
			   proposal_count);
	if ((slot = tpage_slot(p, "legend")))
		draw_legend(&d, &ch, slot, articles, article_count,
			    proposal_count);
	if ((slot = tpage_slot(p, "events"))) {
		if (d.pg)
			list_years(c, slot, &pg);
		else
			build_list(c, slot, events, event_count);
	}
	page_end(c, w, p, "timeline.html");

	if (d.pg) {
		const struct paging_frame frame = {
		    TPL_TIMELINE, crumbs, 2, "Timeline", NULL, "entry",
		    "entries", fill_year, events};
		paging_write(c, w, &pg, &frame);
		paging_release(&pg);
	}
out:
	if (ch.lanes)
		chart_release(&ch, c->a->party_count);
	else
		axis_release(&ch.ax);
	free(dates);
	free(events);
	free(positions);
	buf_release(&d.s);
}
