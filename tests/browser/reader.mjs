// What a reader does, in headless Chromium over file://, on each site:
//
// - search: on search.html, type a word found in one article only (picked
//   now from the site's own texts, not fixed in this file), wait for the
//   results, follow the first result that is a line of an article, and land
//   on that line: the URL's fragment names it, it is the :target, it is in
//   the viewport and styled apart from the other lines;
// - notes, at 1280 and at 390 px: on an article, follow a highlighted
//   passage to its note (the :target, in view), then the note's back link to
//   the passage's reference mark (the :target, in view).
//
// Every request must be for the site's own files.
//
//   node tests/browser/reader.mjs NAME=SITE_DIR...

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	fileUrl, filesUnder, guard, isFile, launch, report, run, sitesFromArgs,
} from './lib.mjs';

const WAIT = 5000;

// A tab with its own context, recording requests for files not the site's.
async function openTab(browser, site, width) {
	const context = await browser.newContext({
		viewport: { width, height: width > 600 ? 900 : 844 },
		reducedMotion: 'reduce',
	});
	const foreign = [];
	await guard(context, site.dir, (url, from) => foreign.push(`requested ${url} (from ${from})`));
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT);
	const errors = [];
	page.on('pageerror', (err) => errors.push(`script error: ${err.message}`));
	return { context, page, foreign, errors };
}

// Where an element is, as the reader sees it.
function placement(id) {
	const el = document.getElementById(id);
	if (!el) return null;
	const r = el.getBoundingClientRect();
	const style = getComputedStyle(el);
	return {
		target: el.matches(':target'),
		visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden',
		inView: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
		top: Math.round(r.top),
		height: window.innerHeight,
	};
}

function checkPlacement(what, id, p, problems) {
	if (!p) return problems.push(`${what}: no element has id "${id}"`);
	if (!p.target) problems.push(`${what}: #${id} is not the :target`);
	if (!p.visible) problems.push(`${what}: #${id} is not visible`);
	if (!p.inView) problems.push(`${what}: #${id} is out of view (top ${p.top}px, viewport ${p.height}px high)`);
}

const articlesOf = (site) => filesUnder(site.dir, '.html')
	.filter((f) => /^articles\/[^/]+\.html$/.test(f) && f !== 'articles/index.html');

// A word of one shown line of one article that no other article's text
// holds, even inside another word, so that the first result which is an
// article line can only be that line. Prefers a line far down the page (so
// that reaching it takes a scroll) and a long word.
async function pickWord(page, site) {
	const articles = articlesOf(site);
	const texts = new Map();
	for (const a of articles) {
		const txt = join(site.dir, a.replace(/\.html$/, '.txt'));
		texts.set(a, isFile(txt) ? readFileSync(txt, 'utf8').toLowerCase() : '');
	}
	for (const a of articles) {
		await page.goto(fileUrl(join(site.dir, a)));
		const lines = await page.$$eval('[id^="l-"]', (els) =>
			els.filter((e) => /^l-\d+$/.test(e.id)).map((e) => ({ id: e.id, text: e.textContent })));
		const lower = lines.map((l) => l.text.toLowerCase());
		let best = null;
		lines.forEach((line) => {
			for (const word of new Set(line.text.match(/[A-Za-z]{7,}/g) || [])) {
				const w = word.toLowerCase();
				if (lower.filter((t) => t.includes(w)).length !== 1) continue;
				if ([...texts].some(([b, t]) => b !== a && t.includes(w))) continue;
				const n = Number(line.id.slice(2));
				if (!best || n > best.n || (n === best.n && w.length > best.word.length))
					best = { article: a, id: line.id, n, word: w };
			}
		});
		if (best) return best;
	}
	return null;
}

async function searchTest(browser, site) {
	const name = `reader ${site.name}: search for a word, follow the result to the highlighted line`;
	const problems = [];
	const info = [];
	const { context, page, foreign, errors } = await openTab(browser, site, 1280);
	try {
		if (!isFile(join(site.dir, 'search.html'))) {
			problems.push('the site has no search.html');
			return;
		}
		const pick = await pickWord(page, site);
		if (!pick) {
			problems.push('found no word that occurs in one line of one article only');
			return;
		}
		const want = `${pick.article}#${pick.id}`;
		info.push(`searched "${pick.word}", which only ${want} holds`);
		await page.goto(fileUrl(join(site.dir, 'search.html')));
		const input = page.locator('input[type=search]').first();
		if (!(await input.count())) {
			// A theme without script: search.html must then list every
			// article, for the reader to find it by the browser's own
			// find-in-page.
			if ((await page.$$('script')).length === 0) {
				const listed = await page.$$eval('main a[href^="articles/"]',
					(els) => els.map((e) => e.getAttribute('href')));
				if (!listed.includes(want.replace(/#.*/, '')))
					problems.push(`search.html has no search form and does not list ${want.replace(/#.*/, '')}`);
				return;
			}
			problems.push('search.html has no input[type=search]: search is not built into this page');
			return;
		}
		// Results are links into article lines (#l-N) in the page's main
		// content; nothing else on search.html links a line.
		const resultSel = 'main a[href*="#l-"]';
		await input.fill(pick.word);
		let found = await page.waitForSelector(resultSel, { timeout: WAIT }).catch(() => null);
		if (!found) {
			// A search that answers on submit rather than as one types.
			await input.press('Enter');
			await page.waitForLoadState('load');
			found = await page.waitForSelector(resultSel, { timeout: WAIT }).catch(() => null);
		}
		if (!found) {
			const live = await page.$$eval('[aria-live]', (els) => els.map((e) => e.textContent.trim()).join(' | '));
			problems.push(`searched "${pick.word}" (in ${want}): no result linking to an article line`
				+ ` in main within ${WAIT / 1000}s; the live regions say: "${live.slice(0, 300)}"`);
			return;
		}
		const links = page.locator(resultSel);
		const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')));
		const first = hrefs.findIndex((h) => /(^|\/)articles\/[^/?#]+\.html(\?[^#]*)?#l-\d+$/.test(h));
		if (first < 0) {
			problems.push(`searched "${pick.word}": no result is an article line (articles/ID.html#l-N): ${hrefs.join(' ')}`);
			return;
		}
		await Promise.all([page.waitForURL(/#l-\d+$/), links.nth(first).click()]);
		await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
		const url = new URL(page.url());
		const landed = `${fileURLToPath(`file://${url.pathname}`)}${url.hash}`;
		if (landed !== join(site.dir, want)) {
			problems.push(`searched "${pick.word}": the first article-line result led to ${landed}, not ${want}`);
			return;
		}
		checkPlacement(`searched "${pick.word}", followed ${hrefs[first]}`, pick.id,
			await page.evaluate(placement, pick.id), problems);
		// Styled apart: some property of the targeted line differs from a
		// line that is not the target.
		const diff = await page.evaluate((id) => {
			const el = document.getElementById(id);
			const other = [...document.querySelectorAll('[id^="l-"]')]
				.find((e) => e !== el && e.className === el.className) ||
				[...document.querySelectorAll('[id^="l-"]')].find((e) => e !== el);
			if (!el || !other) return null;
			const props = ['background-color', 'background-image', 'outline-style', 'outline-color',
				'outline-width', 'box-shadow', 'border-left-style', 'border-left-color',
				'border-left-width', 'color', 'text-decoration-line', 'font-weight'];
			const a = getComputedStyle(el);
			const b = getComputedStyle(other);
			return props.filter((p) => a.getPropertyValue(p) !== b.getPropertyValue(p));
		}, pick.id);
		if (diff && diff.length === 0)
			problems.push(`searched "${pick.word}": the targeted line #${pick.id} looks like every other line`
				+ ' (no :target style: background, outline, border or box-shadow)');
	} catch (err) {
		problems.push(`failed: ${String(err.message || err).split('\n')[0]}`);
	} finally {
		problems.push(...errors, ...foreign);
		await context.close();
		report(name, problems, { info });
	}
}

async function notesTest(browser, site, width) {
	const name = `reader ${site.name} ${width}px: passage to its note and back`;
	const problems = [];
	const info = [];
	const { context, page, foreign, errors } = await openTab(browser, site, width);
	try {
		let article = null;
		let link = null;
		for (const a of articlesOf(site)) {
			await page.goto(fileUrl(join(site.dir, a)));
			for (const sel of ['mark.passage a[href^="#n-"]', 'sup.ref a[href^="#n-"]']) {
				if (await page.locator(sel).count()) {
					link = page.locator(sel).first();
					break;
				}
			}
			if (link) {
				article = a;
				break;
			}
		}
		if (!link) {
			problems.push('no article page has a passage linking to a note (mark.passage a or sup.ref a with href #n-...)');
			return;
		}
		const noteId = (await link.getAttribute('href')).slice(1);
		info.push(`${article}: #${noteId}`);
		await link.click();
		await page.waitForFunction((h) => location.hash === h, `#${noteId}`);
		checkPlacement(`${article}: followed the passage to its note`, noteId,
			await page.evaluate(placement, noteId), problems);
		const back = page.locator(`[id="${noteId}"] a.backref`).first();
		if (!(await back.count())) {
			problems.push(`${article}: the note #${noteId} has no back link (a.backref)`);
			return;
		}
		const refId = (await back.getAttribute('href')).replace(/^#/, '');
		if (!refId.startsWith('p-'))
			problems.push(`${article}: the back link of #${noteId} leads to #${refId}, not to a passage (#p-...)`);
		await back.click();
		await page.waitForFunction((h) => location.hash === h, `#${refId}`);
		checkPlacement(`${article}: followed the back link of #${noteId}`, refId,
			await page.evaluate(placement, refId), problems);
		const refHref = await page.evaluate((id) => document.getElementById(id)?.getAttribute('href'), refId);
		if (refHref !== `#${noteId}`)
			problems.push(`${article}: #${refId} should be the reference mark of #${noteId}, but links to ${refHref}`);
	} catch (err) {
		problems.push(`failed: ${String(err.message || err).split('\n')[0]}`);
	} finally {
		problems.push(...errors, ...foreign);
		await context.close();
		report(name, problems, { info });
	}
}

run('reader', async () => {
	const sites = sitesFromArgs();
	const browser = await launch();
	try {
		for (const site of sites) {
			await searchTest(browser, site);
			await notesTest(browser, site, 1280);
			await notesTest(browser, site, 390);
		}
	} finally {
		await browser.close();
	}
});
