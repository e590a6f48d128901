// Shared pieces of the browser checks (tests/browser/*.mjs).
//
// Each check is a node program given the sites to check as arguments,
// NAME=DIR each (NAME is what the report shows, DIR a built site). It prints
// one line per test, "ok    NAME" or "FAIL  NAME" followed by indented
// details, which tests/run.sh counts; it exits 1 when a test failed.

import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(new URL('../..', import.meta.url).pathname);

// Parses NAME=DIR arguments into [{name, dir}] with absolute folders.
export function sitesFromArgs(argv = process.argv.slice(2)) {
	const sites = [];
	for (const arg of argv) {
		const eq = arg.indexOf('=');
		if (eq <= 0) {
			console.error(`usage: node ${process.argv[1]} NAME=SITE_DIR...`);
			process.exit(2);
		}
		sites.push({ name: arg.slice(0, eq), dir: resolve(arg.slice(eq + 1)) });
	}
	return sites;
}

// The files under DIR whose names end in EXT, as paths relative to DIR,
// sorted, with '/' between folders.
export function filesUnder(dir, ext) {
	const out = [];
	const walk = (rel) => {
		for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) walk(r);
			else if (e.name.endsWith(ext)) out.push(r);
		}
	};
	walk('');
	return out.sort();
}

export function isFile(path) {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

export const fileUrl = (path) => pathToFileURL(path).href;

// A URL a site's page may request: one of the site's own files, or data.
export function ownRequest(url, siteDir) {
	if (url.startsWith('data:') || url === 'about:blank') return true;
	if (!url.startsWith('file://')) return false;
	const prefix = fileUrl(siteDir + sep);
	return url.startsWith(prefix);
}

// Watches every request of CONTEXT: calls FOREIGN(url, from) for one that
// is not for a file of the site in SITE_DIR, and stops any that would leave
// the machine, so that a test never touches the network.
export async function guard(context, siteDir, foreign) {
	context.on('request', (req) => {
		if (!ownRequest(req.url(), siteDir)) {
			let from = '';
			try {
				from = req.frame().url();
			} catch {
				/* a request of a worker has no frame */
			}
			foreign(req.url(), from);
		}
	});
	await context.route((url) => url.protocol !== 'file:' && url.protocol !== 'data:',
		(route) => route.abort('blockedbyclient'));
}

let failures = 0;
let passes = 0;

// Prints a test's result: PROBLEMS (strings) make it fail and are shown,
// at most LIMIT of them; INFO lines are shown under it either way.
export function report(name, problems, { limit = 40, info = [] } = {}) {
	if (problems.length === 0) {
		passes++;
		console.log(`ok    ${name}`);
		for (const line of info) console.log(`      ${line}`);
		return;
	}
	failures++;
	console.log(`FAIL  ${name}`);
	for (const line of info) console.log(`      ${line}`);
	for (const p of problems.slice(0, limit)) console.log(`      ${p}`);
	if (problems.length > limit)
		console.log(`      ... and ${problems.length - limit} more`);
}

export function finish() {
	process.exitCode = failures ? 1 : 0;
	return { passes, failures };
}

// Launches Debian's Chromium, headless, with no network-seeking services.
export async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
}

// Runs FN over ITEMS with at most LIMIT at once; results keep ITEMS' order.
export async function pool(items, limit, fn) {
	const results = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}

// Runs MAIN, and turns a crash into a reported failure instead of a stack
// trace alone, so tests/run.sh counts it.
export function run(name, main) {
	main()
		.then(() => finish())
		.catch((err) => {
			report(`${name}: the check itself failed`, String(err && err.stack || err).split('\n'));
			finish();
		});
}
