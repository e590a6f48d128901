// Renders pages of a built site to PNG in headless Chromium (through
// playwright-core, as the browser checks do), at 1280 and 390 px wide,
// light and dark, for the README:
//   node tools/screenshots.mjs [SITE [OUT]]   defaults: output docs/screenshots
// The pages are the home page, the timeline, and the first article, party
// and proposal of the site (by file name); the article is shown from its
// captured text, where passages and notes are.
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileUrl, launch } from '../tests/browser/lib.mjs';

const site = resolve(process.argv[2] || 'output');
const out = resolve(process.argv[3] || 'docs/screenshots');
const first = (dir) => readdirSync(join(site, dir))
	.filter((f) => f.endsWith('.html') && f !== 'index.html').sort()[0];
const pages = [
	['home', 'index.html', null],
	['article', `articles/${first('articles')}`, '.text'],
	['party', `parties/${first('parties')}`, null],
	['proposal', `proposals/${first('proposals')}`, null],
	['timeline', 'timeline.html', null],
];
mkdirSync(out, { recursive: true });
const browser = await launch();
for (const scheme of ['light', 'dark']) {
	for (const width of [1280, 390]) {
		const height = width === 1280 ? 1000 : 1400;
		const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
		const page = await context.newPage();
		for (const [name, rel, from] of pages) {
			await page.goto(fileUrl(join(site, rel)));
			if (from)
				await page.evaluate((sel) => {
					const el = document.querySelector(sel);
					if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 24);
				}, from);
			const file = join(out, `${name}-${width}-${scheme}.png`);
			await page.screenshot({ path: file });
			console.log(file);
		}
		await context.close();
	}
}
await browser.close();
