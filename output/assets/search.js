/* gloss default theme: search.html's search.
 *
 * gloss writes the index as scripts (their format is in gloss's
 * generator/sindex.h): search.html loads the small entry file,
 * search-index.js, which sets window.GLOSS_SEARCH; this script loads the
 * rest a piece at a time, as searches need it, by adding <script>
 * elements that call window.GLOSS_SEARCH_SHARD. Loading scripts is what
 * lets search work from file://, where fetch and XHR are refused, and
 * loading only the pieces a search needs is what keeps it quick in an
 * archive of any size. Nothing here touches the network.
 *
 * Matching ignores case, accents and the kind of quote marks and dashes;
 * every word of the query must appear, at the start of a word of the text
 * ("truce" finds "truces", not "construce"; a word of one or two letters
 * finds only itself); "quoted words" must appear together. Results are
 * ranked by how many times the words appear, a title or heading counting
 * more, then in the archive's order, and link to the exact line, note or
 * section; they come a page at a time. Text from the index only ever
 * reaches the page as text nodes. */
(function () {
	'use strict';

	var PAGE = 25;             /* results shown at a time */
	var DEBOUNCE_MS = 150;
	var SNIPPET_BEFORE = 60;   /* characters of context before a match */
	var SNIPPET_LENGTH = 220;  /* characters a snippet shows at most */
	var MAX_ROUNDS = 8;        /* pages of candidates checked per request */
	var LABELS = {article: 'Article', note: 'Note', party: 'Party',
		proposal: 'Proposal', page: 'Page'};

	var form = document.getElementById('search-form');
	var input = document.getElementById('search-q');
	var status = document.getElementById('search-status');
	var list = document.getElementById('search-results');
	var moreButton = document.getElementById('search-more');
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

	/* The words of folded text, as gloss cuts them (generator/words.h):
	 * runs of letters and digits, at most WORD_CHARS characters. */
	var NOT_WORD = /[^\p{L}\p{N}]+/u;
	function wordsOf(f, max) {
		return f.split(NOT_WORD).filter(Boolean).map(function (w) {
			var chars = Array.from(w);
			return chars.length > max ? {w: chars.slice(0, max).join(''), cut: true, n: max} :
				{w: w, cut: false, n: chars.length};
		});
	}

	/* The terms of a query: "quoted words" stay together. */
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

	/* Whether TERM appears at I of TEXT (folded) as search finds it: at
	 * the start of a word, and, for a word that finds only itself, at
	 * its end too. */
	function isAt(text, i, term) {
		return startsWord(text, i) && (!term.exact ||
			i + term.text.length >= text.length ||
			!WORD.test(text.charAt(i + term.text.length)));
	}

	function appears(text, term) {
		for (var i = text.indexOf(term.text); i >= 0; i = text.indexOf(term.text, i + 1))
			if (isAt(text, i, term))
				return true;
		return false;
	}

	/* ---- the index ---- */

	var index = window.GLOSS_SEARCH;
	var base = '';
	Array.prototype.forEach.call(document.scripts, function (s) {
		var src = s.getAttribute('src') || '';
		if (/(^|\/)search-index\.js$/.test(src))
			base = src.slice(0, src.length - 'search-index.js'.length);
	});

	var loading = new Map();  /* 'kN' -> promise of the file's data */
	var waiting = new Map();  /* 'kN' -> its resolve function */

	window.GLOSS_SEARCH_SHARD = function (kind, n, data) {
		var done = waiting.get(kind + n);
		if (done) {
			waiting.delete(kind + n);
			done(data);
		}
	};

	/* The data of file search/KIND/N.js, loaded once. */
	function load(kind, n) {
		var key = kind + n;
		var p = loading.get(key);
		if (p)
			return p;
		p = new Promise(function (resolve, reject) {
			var path = 'search/' + kind + '/' + n + '.js';
			var s = document.createElement('script');
			function fail() {
				waiting.delete(key);
				loading.delete(key);
				reject(new Error(path));
			}
			waiting.set(key, resolve);
			s.src = base + path;
			s.onload = function () {
				s.remove();
				if (waiting.has(key))
					fail();
			};
			s.onerror = function () {
				s.remove();
				fail();
			};
			document.head.appendChild(s);
		});
		loading.set(key, p);
		return p;
	}

	/* Compares by code point, as gloss sorts words. */
	function cmp(a, b) {
		var n = Math.min(a.length, b.length);
		for (var i = 0; i < n; i++) {
			var x = a.charCodeAt(i), y = b.charCodeAt(i);
			if (x !== y) {
				if (x >= 0xD800 && y >= 0xD800) {
					x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
					y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
				}
				return x - y;
			}
		}
		return a.length - b.length;
	}

	/* The first index of SORTED (words) not below W. */
	function lowerBound(sorted, w) {
		var lo = 0, hi = sorted.length;
		while (lo < hi) {
			var mid = (lo + hi) >> 1;
			if (cmp(sorted[mid], w) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}

	/* The term shards that may hold W, or words starting with it. */
	function shardsFor(w, prefix) {
		var terms = index.terms;
		var i = lowerBound(terms, w);
		if (i === terms.length || terms[i] !== w)
			i = Math.max(0, i - 1);
		var out = [i];
		while (prefix && i + 1 < terms.length && terms[i + 1].startsWith(w))
			out.push(++i);
		return out;
	}

	var DIGITS = new Int8Array(128).fill(-1);
	'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
		.split('').forEach(function (c, i) { DIGITS[c.charCodeAt(0)] = i; });

	/* Calls FN(doc, weight) for each posting of S. */
	function decode(s, fn) {
		var doc = -1, i = 0, n = s.length;
		function number() {
			var v = 0, mult = 1, d;
			do {
				d = DIGITS[s.charCodeAt(i++)];
				v += (d & 31) * mult;
				mult *= 32;
			} while (d >= 32 && i < n);
			return v;
		}
		while (i < n) {
			var v = number();
			doc += Math.floor(v / 2);
			fn(doc, v % 2 ? number() : 1);
		}
	}

	/* The postings strings of a list of a term shard. */
	function postings(l) {
		if (typeof l === 'string')
			return Promise.resolve([l]);
		var files = [];
		for (var k = 0; k < l[1]; k++)
			files.push(load('p', l[0] + k));
		return Promise.all(files);
	}

	/* What a query asks of the index: GROUPS of words each doc must hold
	 * (a word itself, or any word it starts), and CHECKS, the terms whose
	 * words must also stand together as typed, checked against the text
	 * of each doc before it is shown. */
	function plan(terms) {
		var groups = [], checks = [], seen = new Set();
		terms.forEach(function (t) {
			var ws = wordsOf(t, index.wordChars);
			if (!ws.length)
				return;
			var single = ws.length === 1 && ws[0].w === t && !ws[0].cut;
			ws.forEach(function (w, k) {
				var last = k === ws.length - 1;
				var prefix = w.cut || (last && w.n >= index.prefix);
				if (!single && last && !prefix)
					return; /* checked against the text instead */
				var key = (prefix ? '*' : '=') + w.w;
				if (!seen.has(key)) {
					seen.add(key);
					groups.push({w: w.w, prefix: prefix});
				}
			});
			if (single)
				checks.push(null);
			else
				checks.push({text: t, exact: false});
		});
		return {groups: groups, checks: checks.filter(Boolean)};
	}

	/* The strings of postings of every word GROUP names. */
	function groupLists(group) {
		return Promise.all(shardsFor(group.w, group.prefix).map(function (n) {
			return load('t', n);
		})).then(function (shards) {
			var lists = [];
			shards.forEach(function (sh) {
				for (var i = lowerBound(sh.words, group.w); i < sh.words.length; i++) {
					var w = sh.words[i];
					if (group.prefix ? !w.startsWith(group.w) : w !== group.w)
						break;
					lists.push(postings(sh.lists[i]));
				}
			});
			return Promise.all(lists);
		}).then(function (parts) {
			return [].concat.apply([], parts);
		});
	}

	/* Docs that hold every group, best first: highest weight (the sum
	 * of the words' weights, sindex.h), then in the archive's order. */
	function rank(lists) {
		var order = lists.map(function (ls, g) {
			return {g: g, size: ls.reduce(function (n, s) { return n + s.length; }, 0)};
		}).sort(function (a, b) { return a.size - b.size; });
		var count = order.length;
		var hits = count < 255 ? new Uint8Array(index.docs) : new Uint16Array(index.docs);
		var score = new Uint32Array(index.docs);
		var cand = [];
		order.forEach(function (o, g) {
			lists[o.g].forEach(function (s) {
				decode(s, g === 0 ? function (doc, w) {
					if (hits[doc] === 0) {
						hits[doc] = 1;
						cand.push(doc);
					}
					score[doc] += w;
				} : function (doc, w) {
					var h = hits[doc];
					if (h === g) {
						hits[doc] = g + 1;
						score[doc] += w;
					} else if (h === g + 1) {
						score[doc] += w;
					}
				});
			});
		});
		var docs = Int32Array.from(cand).sort().filter(function (d) {
			return hits[d] === count;
		});
		/* A counting sort by score, stable, so docs of equal score stay
		 * in the archive's order. */
		var max = 0;
		docs.forEach(function (d) { max = Math.max(max, score[d]); });
		if (max > 1 << 20)
			return docs.slice().sort(function (a, b) { return score[b] - score[a] || a - b; });
		var starts = new Uint32Array(max + 2);
		docs.forEach(function (d) { starts[max - score[d] + 1]++; });
		for (var k = 1; k <= max + 1; k++)
			starts[k] += starts[k - 1];
		var ranked = new Int32Array(docs.length);
		docs.forEach(function (d) { ranked[starts[max - score[d]]++] = d; });
		return ranked;
	}

	/* Ranked docs for TERMS (a promise). */
	function search(terms) {
		var p = plan(terms);
		if (!p.groups.length)
			return Promise.resolve({ranked: new Int32Array(0), checks: p.checks});
		return Promise.all(p.groups.map(groupLists)).then(function (lists) {
			if (lists.some(function (ls) { return !ls.length; }))
				return {ranked: new Int32Array(0), checks: p.checks};
			return {ranked: rank(lists), checks: p.checks};
		});
	}

	/* The doc numbered N, with its entry (a promise). */
	function docAt(n) {
		var g = Math.floor(n / index.group);
		return load('d', g).then(function (shard) {
			var d = shard.docs[n - g * index.group];
			var e = shard.entries[d[0]];
			return {
				title: e[0], url: e[1], date: e[2] || '', iso: e[3] || '',
				kind: index.kinds[d[1]] || '', frag: d[2], text: d[3],
				heading: d[4] || '', whole: d[2] === ''
			};
		});
	}

	/* Whether DOC holds every checked term as typed. */
	function passes(doc, checks) {
		if (!checks.length)
			return true;
		var ft = fold(doc.text);
		var fh = doc.whole ? fold(doc.title) : doc.heading ? fold(doc.heading) : '';
		return checks.every(function (c) {
			return appears(ft, c) || (fh !== '' && appears(fh, c));
		});
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

	/* Where the terms appear in M.text as the search finds them:
	 * [start, end, term] for each appearance, in text order. */
	function matches(m, terms) {
		var found = [];
		terms.forEach(function (term, k) {
			for (var i = m.text.indexOf(term.text); i >= 0; i = m.text.indexOf(term.text, i + 1))
				if (isAt(m.text, i, term))
					found.push([i, i + term.text.length, k]);
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
		var li = el('li', 'search-result');
		var head = el('p', 'result-head');
		var a = el('a');
		a.href = doc.url + (doc.frag ? '#' + doc.frag : '');
		appendMarked(a, doc.title, terms, false);
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
		if (doc.date) {
			head.appendChild(document.createTextNode(' '));
			var time = el('time', 'result-date', doc.date);
			time.setAttribute('datetime', doc.iso || doc.date);
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

	/* The search being shown: its ranked docs, how far they have been
	 * read, and how many results are on the page. */
	var current = null;

	function plural(n, one, many) {
		return n + ' ' + (n === 1 ? one : many);
	}

	function describe(s) {
		var quoted = s.quoted;
		if (!s.shown)
			return 'No results for ' + quoted + '.';
		if (s.checks.length) {
			if (s.next < s.ranked.length)
				return plural(s.shown, 'result', 'results') + ' for ' + quoted +
					' so far; there may be more.';
			return plural(s.shown, 'result', 'results') + ' for ' + quoted + '.';
		}
		var total = s.ranked.length;
		return plural(total, 'result', 'results') + ' for ' + quoted +
			(total > s.shown ? '; the first ' + s.shown + ' are shown.' : '.');
	}

	function failed(err) {
		status.textContent = 'Part of the search index (' + err.message +
			') did not load, so this search cannot be completed.';
		if (moreButton)
			moreButton.hidden = true;
	}

	/* Shows the next page of results of S: reads ranked docs a page at a
	 * time, keeping those that pass the checks, until a page is full, the
	 * docs run out or MAX_ROUNDS pages were read. */
	function showMore(s, focus) {
		var found = [];
		var rounds = 0;
		function round() {
			if (s !== current)
				return null;
			if (found.length >= PAGE || s.next >= s.ranked.length || rounds++ >= MAX_ROUNDS) {
				var frag = document.createDocumentFragment();
				found.forEach(function (doc) { frag.appendChild(resultItem(doc, s.terms)); });
				var first = frag.firstChild;
				list.appendChild(frag);
				s.shown += found.length;
				list.hidden = s.shown === 0;
				status.textContent = describe(s);
				if (moreButton)
					moreButton.hidden = s.next >= s.ranked.length;
				if (focus && first)
					first.querySelector('a').focus();
				return null;
			}
			var want = s.checks.length ? PAGE : PAGE - found.length;
			var batch = Array.from(s.ranked.subarray(s.next, s.next + want));
			s.next += batch.length;
			return Promise.all(batch.map(docAt)).then(function (docs) {
				for (var i = 0; i < docs.length; i++) {
					if (found.length === PAGE) {
						/* Not looked at: read again next time. */
						s.next -= docs.length - i;
						break;
					}
					if (passes(docs[i], s.checks))
						found.push(docs[i]);
				}
				return round();
			});
		}
		return Promise.resolve().then(round).catch(failed);
	}

	function show(q) {
		var terms = parseQuery(q);
		list.textContent = '';
		if (moreButton)
			moreButton.hidden = true;
		current = null;
		if (!terms.length) {
			list.hidden = true;
			status.textContent = '';
			return Promise.resolve();
		}
		/* The query as typed, in quote marks unless it has its own. */
		var quoted = /["\u201C\u201D]/.test(q) ? q.trim() : '\u201C' + q.trim() + '\u201D';
		var marks = terms.map(function (t) {
			var ws = wordsOf(t, index.wordChars);
			return {text: t, exact: ws.length === 1 && ws[0].w === t && ws[0].n < index.prefix};
		});
		var s = {quoted: quoted, terms: marks, ranked: null, checks: [], next: 0, shown: 0};
		current = s;
		status.textContent = 'Searching\u2026';
		return search(terms).then(function (r) {
			if (s !== current)
				return null;
			s.ranked = r.ranked;
			s.checks = r.checks;
			return showMore(s, false);
		}).catch(failed);
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

	if (!index || index.version !== 2 || !Array.isArray(index.terms)) {
		status.textContent = 'The search index did not load, so search is ' +
			'not available; the archive\u2019s lists are linked below.';
		return;
	}
	if (all)
		all.hidden = true;
	if (!index.docs) {
		status.textContent = 'There is nothing to search yet: the archive is empty.';
		input.disabled = true;
		return;
	}

	if (moreButton) {
		moreButton.addEventListener('click', function () {
			if (current && current.ranked)
				showMore(current, true);
		});
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
