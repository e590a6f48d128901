// Runs axe-core on every page of every site in headless Chromium, opened
// over file:// as a reader opens a folder: at 1280 and 390 px wide, each in
// the light and the dark colour scheme (contrast differs). One test per site
// and mode fails on any serious or critical violation. While the pages are
// open, every request is watched: one more test per site fails when a page
// asks for anything but the site's own files.
//
//   node tests/browser/axe.mjs NAME=SITE_DIR...

import { join } from 'node:path';
import {
	fileUrl, filesUnder, guard, launch, pool, report, root, run, sitesFromArgs,
} from './lib.mjs';

const AXE = join(root, 'node_modules/axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);
const MODES = [
	{ name: '1280px light', width: 1280, height: 900, scheme: 'light' },
	{ name: '1280px dark', width: 1280, height: 900, scheme: 'dark' },
	{ name: '390px light', width: 390, height: 844, scheme: 'light' },
	{ name: '390px dark', width: 390, height: 844, scheme: 'dark' },
];
const PARALLEL = 2;

// Checks one page in an open tab in every mode; returns, for each mode,
// lines describing its violations. The page is loaded and axe injected
// once; the modes only change the viewport and the colour scheme.
async function checkPage(page, site, rel) {
	await page.goto(fileUrl(join(site.dir, rel)), { waitUntil: 'load' });
	await page.addScriptTag({ path: AXE });
	const out = [];
	for (const mode of MODES) {
		await page.setViewportSize({ width: mode.width, height: mode.height });
		await page.emulateMedia({ colorScheme: mode.scheme, reducedMotion: 'reduce' });
		const violations = await page.evaluate(async (tags) => {
			await new Promise((done) => requestAnimationFrame(() => done()));
			const r = await window.axe.run(document, {
				runOnly: { type: 'tag', values: tags },
				resultTypes: ['violations'],
			});
			return r.violations.map((v) => ({
				id: v.id,
				impact: v.impact,
				help: v.help,
				nodes: v.nodes.map((n) => ({
					impact: n.impact,
					target: n.target.join(' '),
					summary: n.failureSummary,
				})),
			}));
		}, TAGS);
		out.push(describe(rel, violations));
	}
	return out;
}

function describe(rel, violations) {
	const lines = [];
	for (const v of violations) {
		const nodes = v.nodes.filter((n) => FAILING.has(n.impact || v.impact));
		if (!nodes.length) continue;
		lines.push(`${rel}: ${v.id} (${v.impact}): ${v.help}`);
		for (const n of nodes.slice(0, 5)) {
			lines.push(`    at ${n.target}`);
			const why = (n.summary || '').split('\n').map((s) => s.trim()).filter(Boolean);
			// The first reason names the numbers (contrast ratio, colours).
			if (why[1]) lines.push(`       ${why[1]}`);
		}
		if (nodes.length > 5) lines.push(`    ... and ${nodes.length - 5} more elements`);
	}
	return lines;
}

run('axe', async () => {
	const sites = sitesFromArgs();
	const browser = await launch();
	try {
		for (const site of sites) {
			const pages = filesUnder(site.dir, '.html');
			const foreign = new Set();
			const context = await browser.newContext();
			await guard(context, site.dir, (url, from) => foreign.add(`${url} (from ${from})`));
			const free = await Promise.all(
				Array.from({ length: PARALLEL }, () => context.newPage()));
			const results = await pool(pages, PARALLEL, async (rel) => {
				const tab = free.pop();
				try {
					return await checkPage(tab, site, rel);
				} catch (err) {
					const why = `${rel}: could not be checked: ${String(err.message || err).split('\n')[0]}`;
					return MODES.map(() => [why]);
				} finally {
					free.push(tab);
				}
			});
			await context.close();
			MODES.forEach((mode, m) => {
				const problems = results.flatMap((r) => r[m]);
				report(`axe ${site.name} ${mode.name}: ${pages.length} pages, no serious or critical violation`,
					pages.length ? problems : ['no .html files'], { limit: 60 });
			});
			report(`requests ${site.name}: pages ask only for the site's own files`,
				[...foreign].sort());
		}
	} finally {
		await browser.close();
	}
});
