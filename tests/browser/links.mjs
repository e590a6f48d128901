// Checks every link of every page of each site, with the page parsed by
// Chromium (scripts off, so what is checked is what gloss wrote): each
// relative href or src must name a file of the site, and each #fragment an
// id in the page it names. Links to other sites are counted, not fetched;
// a link by absolute path would break when the site is read from a folder.
// The site's .xml files must be well-formed, and its .json files parse.
// One test per site.
//
//   node tests/browser/links.mjs NAME=SITE_DIR...

import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	fileUrl, filesUnder, guard, isFile, launch, pool, report, run, sitesFromArgs,
} from './lib.mjs';

const PARALLEL = 4;

// What gloss wrote on a page: its ids, and each URL with the attribute it
// came from.
function collect() {
	const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
	for (const a of document.querySelectorAll('a[name]')) ids.push(a.getAttribute('name'));
	const links = [];
	const take = (sel, attr) => {
		for (const e of document.querySelectorAll(sel))
			links.push({ tag: e.localName, attr, url: e.getAttribute(attr) });
	};
	take('[href]', 'href');
	take('[src]', 'src');
	take('form[action]', 'action');
	return { ids, links };
}

function wellFormed(source) {
	const doc = new DOMParser().parseFromString(source, 'application/xml');
	const err = doc.getElementsByTagName('parsererror')[0];
	if (!err) return null;
	const text = err.textContent.replace(/\s+/g, ' ');
	const m = /error on line .*?(?=\s*Below is|$)/.exec(text);
	return m ? m[0] : text;
}

async function checkSite(browser, site) {
	const pages = filesUnder(site.dir, '.html');
	const context = await browser.newContext({ javaScriptEnabled: false });
	await guard(context, site.dir, () => {});
	const tabs = await Promise.all(Array.from({ length: PARALLEL }, () => context.newPage()));
	const parsed = new Map();
	await pool(pages, PARALLEL, async (rel) => {
		const tab = tabs.pop();
		try {
			await tab.goto(fileUrl(join(site.dir, rel)), { waitUntil: 'domcontentloaded' });
			const info = await tab.evaluate(collect);
			parsed.set(rel, { ids: new Set(info.ids), links: info.links });
		} finally {
			tabs.push(tab);
		}
	});
	const problems = [];
	let local = 0;
	let external = 0;
	for (const rel of pages) {
		const base = fileUrl(join(site.dir, rel));
		for (const { tag, attr, url: raw } of parsed.get(rel).links) {
			const where = `${rel}: <${tag} ${attr}="${raw}">`;
			const value = raw.trim();
			if (/^(https?:|mailto:)/i.test(value)) {
				external++;
				continue;
			}
			if (/^data:/i.test(value) && attr === 'src') continue;
			if (value.startsWith('/')) {
				problems.push(`${where}: an absolute path, which breaks when the site is read from a folder`);
				continue;
			}
			let url;
			try {
				url = new URL(value, base);
			} catch {
				problems.push(`${where}: not a URL`);
				continue;
			}
			if (url.protocol !== 'file:') {
				problems.push(`${where}: unexpected scheme ${url.protocol}`);
				continue;
			}
			local++;
			const path = fileURLToPath(url);
			const target = relative(site.dir, path).split(sep).join('/');
			if (target.startsWith('..')) {
				problems.push(`${where}: leads out of the site`);
				continue;
			}
			if (!isFile(path)) {
				problems.push(`${where}: ${target || '(the site folder)'} is not a file of the site`);
				continue;
			}
			if (!url.hash || url.hash === '#') continue;
			const info = parsed.get(target);
			if (!info) {
				problems.push(`${where}: a fragment in ${target}, which is not a page`);
				continue;
			}
			let frag;
			try {
				frag = decodeURIComponent(url.hash.slice(1));
			} catch {
				problems.push(`${where}: badly escaped fragment`);
				continue;
			}
			if (!info.ids.has(frag))
				problems.push(`${where}: ${target} has no element with id "${frag}"`);
		}
	}
	// Data files, parsed by the browser's XML parser and by JSON.parse.
	const data = [...filesUnder(site.dir, '.xml'), ...filesUnder(site.dir, '.json')];
	const tab = tabs[0];
	await tab.goto('about:blank');
	for (const rel of data) {
		const text = readFileSync(join(site.dir, rel), 'utf8');
		if (rel.endsWith('.json')) {
			try {
				JSON.parse(text);
			} catch (err) {
				problems.push(`${rel}: not valid JSON: ${err.message}`);
			}
		} else {
			const err = await tab.evaluate(wellFormed, text);
			if (err) problems.push(`${rel}: not well-formed XML: ${err}`);
		}
	}
	await context.close();
	const files = data.length ? data.join(', ') : 'none';
	report(`links ${site.name}: ${pages.length} pages, ${local} links to its own files,`
		+ ` ${external} to other sites (not fetched); data files parsed: ${files}`, problems);
}

run('links', async () => {
	const sites = sitesFromArgs();
	const browser = await launch();
	try {
		for (const site of sites) await checkSite(browser, site);
	} finally {
		await browser.close();
	}
});
