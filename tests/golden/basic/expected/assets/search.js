/* gloss default theme: search.html's search.
 *
 * gloss writes the index as a script, search-index.js, which search.html
 * loads before this one: it sets window.GLOSS_SEARCH (its format is in
 * gloss's generator/search.h). Loading it with a <script> element is what
 * lets search work from file://, where fetch and XHR are refused. Nothing
 * here touches the network.
 *
 * Matching ignores case, accents and the kind of quote marks and dashes;
 * every word of the query must appear, at the start of a word of the text
 * ("truce" finds "truces", not "construce"); "quoted words" must appear
 * together. Results are ranked by how many times the words appear, a
 * title or heading counting more, and link to the exact line, note or
 * section. Text from the index only ever reaches the page as text nodes. */
(function () {
	'use strict';

	var MAX_RESULTS = 50;
	var DEBOUNCE_MS = 150;
	var SNIPPET_BEFORE = 60;   /* characters of context before a match */
	var SNIPPET_LENGTH = 220;  /* characters a snippet shows at most */
	var LABELS = {article: 'Article', note: 'Note', party: 'Party',
		proposal: 'Proposal', page: 'Page'};

	var form = document.getElementById('search-form');
	var input = document.getElementById('search-q');
	var status = document.getElementById('search-status');
	var list = document.getElementById('search-results');
	var all = document.getElementById('search-all');
	if (!form || !input || !status || !list)
		return;

	/* ---- folding: the same for the text and the query ---- */

	var MARKS = /\p{M}/gu;
	var WORD = /[\p{L}\p{N}]/u;
	var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
	var SPACE = /\s/gu;
	var PLAIN = /^[\x20-\x7e]*$/;
	var SPECIAL = {
		'\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'",
		'\u2032': "'", '\u02BC': "'", '`': "'",
		'\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"',
		'\u00AB': '"', '\u00BB': '"',
		'\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-',
		'\u2014': '-', '\u2015': '-', '\u2212': '-',
		'\u00DF': 'ss', '\u03C2': '\u03C3', '\u0131': 'i'
	};
	var SPECIALS = new RegExp('[' + Object.keys(SPECIAL).join('') + ']', 'gu');
	function special(ch) { return SPECIAL[ch]; }

	/* S as it is compared: compatibility forms decomposed (ligatures,
	 * full-width letters, "\u2026" as "..."), lower case, accents and
	 * other combining marks dropped, quote marks and dashes made plain,
	 * white space a plain space. Every step works character by
	 * character (final sigma aside, which SPECIAL evens out), so folding
	 * a string gives the same as folding its characters one by one,
	 * which foldMapped relies on. Plain ASCII takes the short way. */
	function fold(s) {
		if (PLAIN.test(s))
			return s.replace(/`/g, "'").toLowerCase();
		return s.normalize('NFKD').toLowerCase().normalize('NFKD')
			.replace(MARKS, '').replace(SPECIALS, special)
			.replace(SPACE, ' ');
	}

	var folded = new Map();

	/* One character (a code point), folded. */
	function foldChar(ch) {
		var f = folded.get(ch);
		if (f === undefined) {
			f = fold(ch);
			folded.set(ch, f);
		}
		return f;
	}

	/* S folded, with where each unit of the result came from in S:
	 * FROM[i] and TO[i] bound the original character. Characters are
	 * folded one at a time so that this agrees with fold(). */
	function foldMapped(s) {
		var out = [], from = [], to = [], i = 0;
		for (var ch of s) {
			var f = foldChar(ch);
			for (var k = 0; k < f.length; k++) {
				from.push(i);
				to.push(i + ch.length);
			}
			out.push(f);
			i += ch.length;
		}
		return {text: out.join(''), from: from, to: to, length: s.length};
	}

	/* The words of a query: "quoted words" stay together. */
	function parseQuery(q) {
		var terms = [];
		var re = /"([^"]*)"?|([^\s"]+)/g;
		var f = fold(q), m;
		while ((m = re.exec(f)) !== null) {
			var t = (m[1] !== undefined ? m[1] : m[2]).replace(/\s+/g, ' ')
				.replace(EDGES, '');
			if (t && terms.indexOf(t) < 0)
				terms.push(t);
		}
		return terms;
	}

	function startsWord(text, i) {
		return i === 0 || !WORD.test(text.charAt(i - 1));
	}

	/* How many times TERM starts a word of TEXT (both folded). */
	function count(text, term) {
		var n = 0;
		for (var i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1))
			if (startsWord(text, i))
				n++;
		return n;
	}

	/* ---- the index ---- */

	var index = window.GLOSS_SEARCH;
	var docs = null; /* prepared on first use */

	function prepare() {
		if (docs)
			return docs;
		var titles = index.entries.map(function (e) { return fold(e[0]); });
		docs = index.docs.map(function (d) {
			return {
				entry: d[0], kind: index.kinds[d[1]] || '', frag: d[2],
				text: d[3], heading: d[4] || '',
				ft: fold(d[3]), fh: d[4] ? fold(d[4]) : '',
				title: titles[d[0]], whole: d[2] === ''
			};
		});
		return docs;
	}

	/* Docs holding every term, best first: a term counts once per
	 * appearance in the text, five times in a section's heading, ten
	 * times in the title of the entry's whole doc; a line or note gains
	 * a little when its entry's title holds the term too. */
	function search(terms) {
		var hits = [];
		var prepared = prepare();
		for (var d = 0; d < prepared.length; d++) {
			var doc = prepared[d], score = 0, ok = true;
			for (var t = 0; t < terms.length && ok; t++) {
				var term = terms[t];
				var inText = count(doc.ft, term);
				var inHead = doc.whole ? count(doc.title, term) :
					doc.fh ? count(doc.fh, term) : 0;
				if (inText + inHead === 0)
					ok = false;
				score += inText + inHead * (doc.whole ? 10 : 5);
				if (!doc.whole && count(doc.title, term))
					score += 1;
			}
			if (ok)
				hits.push({doc: d, score: score});
		}
		hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
		return hits;
	}

	/* ---- showing results ---- */

	function el(name, cls, text) {
		var e = document.createElement(name);
		if (cls)
			e.className = cls;
		if (text)
			e.textContent = text;
		return e;
	}

	/* Where the terms start words of M.text: [start, end, term] for each
	 * appearance, in text order. */
	function matches(m, terms) {
		var found = [];
		terms.forEach(function (term, k) {
			for (var i = m.text.indexOf(term); i >= 0; i = m.text.indexOf(term, i + 1))
				if (startsWord(m.text, i))
					found.push([i, i + term.length, k]);
		});
		return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
	}

	/* FOUND as ranges that do not overlap, to be marked. */
	function merge(found) {
		var merged = [];
		found.forEach(function (r) {
			var last = merged[merged.length - 1];
			if (last && r[0] <= last[1])
				last[1] = Math.max(last[1], r[1]);
			else
				merged.push([r[0], r[1]]);
		});
		return merged;
	}

	/* Where a snippet of TEXT (folded, longer than a snippet) starts: at
	 * the start when that shows the matches, otherwise a little before
	 * the match whose window shows the most different terms. */
	function snippetStart(text, found) {
		var best = 0, bestTerms = -1, lo = 0;
		for (var i = 0; i < found.length; i++) {
			var ws = Math.max(0, found[i][0] - SNIPPET_BEFORE);
			var seen = new Set();
			while (found[lo][0] < ws)
				lo++;
			for (var j = lo; j < found.length && found[j][0] < ws + SNIPPET_LENGTH; j++)
				if (found[j][1] <= ws + SNIPPET_LENGTH)
					seen.add(found[j][2]);
			if (seen.size > bestTerms) {
				best = found[i][0];
				bestTerms = seen.size;
			}
		}
		if (best + SNIPPET_BEFORE <= SNIPPET_LENGTH - SNIPPET_BEFORE)
			return 0;
		var start = best - SNIPPET_BEFORE;
		var space = text.indexOf(' ', start);
		return space >= 0 && space < best ? space + 1 : start;
	}

	/* Original offset of folded offset I of M (its end when past it). */
	function origin(m, i) {
		return i < m.from.length ? m.from[i] : m.length;
	}

	/* Appends S to PARENT with the terms in <mark>. With SHORTEN, only a
	 * window of S around the matches, ellipses marking cuts. */
	function appendMarked(parent, s, terms, shorten) {
		var m = foldMapped(s);
		var found = matches(m, terms);
		var ranges = merge(found);
		var start = 0, end = m.text.length;
		if (shorten && end > SNIPPET_LENGTH) {
			start = snippetStart(m.text, found);
			end = Math.min(m.text.length, start + SNIPPET_LENGTH);
			if (end < m.text.length) {
				var cut = m.text.lastIndexOf(' ', end);
				if (cut > start + SNIPPET_BEFORE)
					end = cut;
			}
		}
		var from = origin(m, start);
		var to = end < m.text.length ? origin(m, end) : s.length;
		if (from > 0)
			parent.appendChild(document.createTextNode('\u2026'));
		var at = from;
		ranges.forEach(function (r) {
			var a = Math.max(origin(m, r[0]), from);
			var b = Math.min(m.to[r[1] - 1], to);
			if (a >= b || a < at)
				return;
			if (a > at)
				parent.appendChild(document.createTextNode(s.slice(at, a)));
			parent.appendChild(el('mark', null, s.slice(a, b)));
			at = b;
		});
		if (at < to)
			parent.appendChild(document.createTextNode(s.slice(at, to)));
		if (to < s.length)
			parent.appendChild(document.createTextNode('\u2026'));
	}

	function resultItem(doc, terms) {
		var entry = index.entries[doc.entry];
		var li = el('li', 'search-result');
		var head = el('p', 'result-head');
		var a = el('a');
		a.href = entry[1] + (doc.frag ? '#' + doc.frag : '');
		appendMarked(a, entry[0], terms, false);
		if (doc.heading) {
			a.appendChild(document.createTextNode(' \u203A '));
			appendMarked(a, doc.heading, terms, false);
		}
		head.appendChild(a);
		head.appendChild(document.createTextNode(' '));
		var label = LABELS[doc.kind] || doc.kind;
		if (doc.kind === 'article' && !doc.whole)
			label = 'Article text';
		head.appendChild(el('span', 'result-kind', label));
		if (entry[2]) {
			head.appendChild(document.createTextNode(' '));
			var time = el('time', 'result-date', entry[2]);
			time.setAttribute('datetime', entry[3] || entry[2]);
			head.appendChild(time);
		}
		li.appendChild(head);
		if (doc.text) {
			var p = el('p', 'result-snippet');
			appendMarked(p, doc.text, terms, true);
			li.appendChild(p);
		}
		return li;
	}

	function show(q) {
		var terms = parseQuery(q);
		list.textContent = '';
		if (!terms.length) {
			list.hidden = true;
			status.textContent = '';
			return;
		}
		var hits = search(terms);
		/* The query as typed, in quote marks unless it has its own. */
		var quoted = /["\u201C\u201D]/.test(q) ? q.trim() : '\u201C' + q.trim() + '\u201D';
		if (!hits.length) {
			list.hidden = true;
			status.textContent = 'No results for ' + quoted + '.';
			return;
		}
		var frag = document.createDocumentFragment();
		for (var i = 0; i < hits.length && i < MAX_RESULTS; i++)
			frag.appendChild(resultItem(docs[hits[i].doc], terms));
		list.appendChild(frag);
		list.hidden = false;
		status.textContent = hits.length + (hits.length === 1 ? ' result' : ' results') +
			' for ' + quoted + (hits.length > MAX_RESULTS ?
				'; the first ' + MAX_RESULTS + ' are shown.' : '.');
	}

	/* Keeps ?q= in the address, so a search can be bookmarked or
	 * shared. Browsers may refuse this for file:// pages: no matter. */
	function remember(q) {
		try {
			var url = q ? '?q=' + encodeURIComponent(q).replace(/%20/g, '+') :
				location.pathname.split('/').pop() || '.';
			history.replaceState(null, '', url);
		} catch (e) {
			/* Searching still works. */
		}
	}

	if (!index || !Array.isArray(index.entries) || !Array.isArray(index.docs)) {
		status.textContent = 'The search index did not load, so search is ' +
			'not available; every entry of the archive is listed below.';
		return;
	}
	if (all)
		all.hidden = true;
	if (!index.docs.length) {
		status.textContent = 'There is nothing to search yet: the archive is empty.';
		input.disabled = true;
		return;
	}

	var timer = 0;
	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(function () {
			show(input.value);
			remember(input.value);
		}, DEBOUNCE_MS);
	});
	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		clearTimeout(timer);
		show(input.value);
		remember(input.value);
	});

	var initial = new URLSearchParams(location.search).get('q');
	if (initial) {
		input.value = initial;
		show(initial);
	}
}());
