// Validates every page of every site with the Nu Html Checker (npm
// vnu-jar, run with the system's Java): one JVM for all pages, one test per
// site, which fails on any error and lists them.
//
//   node tests/browser/vnu.mjs NAME=SITE_DIR...

import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesUnder, report, root, run, sitesFromArgs } from './lib.mjs';

run('vnu', async () => {
	const sites = sitesFromArgs();
	const jar = join(root, 'node_modules/vnu-jar/build/dist/vnu.jar');
	const pages = sites.map((s) => filesUnder(s.dir, '.html').map((f) => join(s.dir, f)));
	const all = pages.flat();
	const java = process.env.JAVA || 'java';
	const r = spawnSync(java, ['-jar', jar, '--errors-only', '--format', 'json', ...all], {
		encoding: 'utf8',
		maxBuffer: 256 << 20,
	});
	if (r.error) throw new Error(`cannot run ${java}: ${r.error.message} (make test-deps installs Java)`);
	// vnu writes its JSON report on stderr; exit status 1 means "errors".
	let messages;
	try {
		messages = JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).messages;
	} catch {
		throw new Error(`vnu gave no JSON report (exit ${r.status}):\n${r.stderr}${r.stdout}`);
	}
	const byFile = new Map();
	for (const m of messages) {
		if (m.type !== 'error' && m.type !== 'non-document-error') continue;
		let file = m.url || '';
		if (file.startsWith('file:')) file = fileURLToPath(file.replace(/^file:(?!\/\/)/, 'file://'));
		if (!byFile.has(file)) byFile.set(file, []);
		byFile.get(file).push(m);
	}
	sites.forEach((site, i) => {
		const problems = [];
		for (const page of pages[i]) {
			for (const m of byFile.get(page) || []) {
				const where = m.lastLine ? `:${m.lastLine}:${m.firstColumn ?? m.lastColumn}` : '';
				problems.push(`${relative(site.dir, page)}${where}: ${m.message}`);
				if (m.extract) problems.push(`    near: ${m.extract.replace(/\s+/g, ' ').trim()}`);
			}
			byFile.delete(page);
		}
		const n = pages[i].length;
		report(`vnu ${site.name}: ${n} pages valid HTML`, n ? problems : ['no .html files']);
	});
	// Messages about no page of ours (a file vnu could not read, say).
	const stray = [...byFile.entries()].flatMap(([f, ms]) => ms.map((m) => `${f}: ${m.message}`));
	if (stray.length) report('vnu: messages about no page', stray);
});
