// Time and bytes from page load to the first result, in headless Chromium, Fixpath's widget
// against Pagefind's own UI over the same articles, served by the same server.
//
// usage: node first-result.mjs OUT.json CHROMIUM DOCS.jsonl QUERIES.jsonl FIXPATH_HELP [LARGE_HELP]
//
// The server answers every request with brotli (quality 11, as a host that precompresses
// would) and can throttle: a fixed latency before each response starts and one shared
// bandwidth for all response bytes. It throttles where every request passes — Pagefind
// fetches its index from a Web Worker, whose requests Chromium's page-level network
// emulation would not slow. Each load is cold (a new browser context, empty cache). A probe
// in the page types the query as soon as the search box exists and notes
// `performance.now()` (from navigation start) when the first result is in the DOM, then
// tells the server, which counts the bytes it sent for requests that arrived before that:
// the bytes the first result cost, measured on the wire. Fixpath's second piece (guides,
// form), fetched once results are on screen, is not counted even if its request wins the
// race with the probe's.
//
// Writes {"runs": [{engine, kb, link, query, ms, bytes, requests}], "pagefind_ui": {...}}.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

import { buildPagefind } from './pagefind-site.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [outPath, chromiumPath, docsPath, queriesPath, fixpathHelp, largeHelp] = process.argv.slice(2);
const readJsonl = (p) => fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const docs = readJsonl(docsPath);
const allQueries = readJsonl(queriesPath).map((q) => q.q);
const REPEATS = 3;
const LINKS = {
  unthrottled: { latencyMs: 0, bytesPerMs: Infinity },
  // 1.6 Mbps down, 150 ms before each response: Lighthouse's "slow 4G".
  slow: { latencyMs: 150, bytesPerMs: 1.6e6 / 8 / 1000 },
};

const site = path.join(path.dirname(outPath), 'pagefind-site');
await buildPagefind(docs, site);

const PAGES = {
  fixpath: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Help</title></head>
<body><script type="module" src="/help/fixpath.js"></script><fixpath-widget></fixpath-widget></body></html>`,
  // Pagefind's Default UI as its docs embed it; no debounce, so its figure is its pipeline.
  pagefind: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Help</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>window.addEventListener('DOMContentLoaded', () => {
new PagefindUI({ element: '#search', showImages: false, debounceTimeoutMs: 0 }); });</script></body></html>`,
};

// Finds the search box and the first result of each engine; types, then reports.
const probe = ({ engine, query }) => {
  const root = () => (engine === 'fixpath' ? document.querySelector('fixpath-widget')?.shadowRoot : document);
  const input = () => root()?.querySelector(engine === 'fixpath' ? '[data-testid=query]' : '.pagefind-ui__search-input');
  const result = () => root()?.querySelector(engine === 'fixpath' ? '[data-testid=result]' : '.pagefind-ui__result-link');
  let typed = false;
  const tick = () => {
    const box = typed ? null : input();
    if (box) {
      box.focus();
      box.value = query;
      box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      typed = true;
    }
    if (typed && result()) {
      window.__firstResult = performance.now();
      fetch('/__first-result', { method: 'POST', cache: 'no-store' });
      return;
    }
    setTimeout(tick, 2);
  };
  tick();
};

const TYPES = {
  '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.html': 'text/html',
  '.wasm': 'application/wasm', '.bin': 'application/octet-stream',
};
const compressed = new Map();
const brotli = (file) => {
  if (!compressed.has(file)) {
    compressed.set(file, zlib.brotliCompressSync(fs.readFileSync(file), {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 22 },
    }));
  }
  return compressed.get(file);
};
// Compressed once, before any load is timed: a host serves precompressed files.
const warm = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) warm(file);
    else if (!/\.(br|gz)$/.test(entry.name)) brotli(file);
  }
};
warm(path.join(site, 'pagefind'));
for (const help of [fixpathHelp, largeHelp].filter(Boolean)) {
  // Everything but the guides' content, which no first result fetches.
  const files = fs.readdirSync(help).map((n) => path.join(help, n))
    .concat(fs.readdirSync(path.join(help, 'kb')).map((n) => path.join(help, 'kb', n)));
  for (const file of files) {
    if (fs.statSync(file).isFile() && !/\.(br|gz)$/.test(file) && !/content-\d+\./.test(file)) brotli(file);
  }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What the current load serves, and what it has sent.
let current = null;
const server = http.createServer(async (req, res) => {
  const load = current;
  const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (pathname === '/__first-result') {
    load.mark ??= load.log.length;
    res.writeHead(204).end();
    return;
  }
  const entry = { path: pathname, bytes: 0 };
  load.log.push(entry);
  let body;
  if (pathname === '/') {
    body = zlib.brotliCompressSync(Buffer.from(PAGES[load.engine]));
    entry.page = true;
  } else {
    const [prefix, dir] = load.engine === 'fixpath' ? ['/help/', load.help] : ['/pagefind/', path.join(site, 'pagefind')];
    const file = pathname.startsWith(prefix) ? path.join(dir, pathname.slice(prefix.length)) : null;
    if (!file || !file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    body = brotli(file);
  }
  const { latencyMs, bytesPerMs } = load.link;
  if (latencyMs) await sleep(latencyMs);
  const type = TYPES[path.extname(pathname)] || (pathname === '/' ? 'text/html' : 'application/octet-stream');
  res.writeHead(200, { 'content-type': type, 'content-encoding': 'br', 'cache-control': 'no-store' });
  // One link shared by every response: each chunk waits for the link to be free.
  for (let at = 0; at < body.length; at += 16384) {
    const chunk = body.subarray(at, at + 16384);
    if (bytesPerMs !== Infinity) {
      const start = Math.max(performance.now(), load.linkFree);
      load.linkFree = start + chunk.length / bytesPerMs;
      await sleep(load.linkFree - performance.now());
    }
    entry.bytes += chunk.length;
    await new Promise((resolve) => res.write(chunk, resolve));
  }
  res.end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Fixpath's pieces, fetched after the first result: named in the loader's FILES line.
const piecesOf = (help) => {
  const line = fs.readFileSync(path.join(help, 'fixpath.js'), 'utf8').split('\n').find((l) => l.startsWith('const FILES = '));
  return JSON.parse(line.slice('const FILES = '.length).replace(/;\s*$/, '')).pieces ?? [];
};

async function loadOnce(engine, kb, help, linkName, query) {
  const pieces = help ? piecesOf(help).map((p) => `/help/${p}`) : [];
  current = { engine, help, link: LINKS[linkName], linkFree: 0, log: [], mark: undefined };
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(probe, { engine, query });
  await page.goto(url);
  await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: 60000, polling: 50 });
  const ms = await page.evaluate(() => window.__firstResult);
  // The mark's request follows the result at once; give it a moment to arrive.
  for (let i = 0; i < 100 && current.mark === undefined; i++) await sleep(10);
  // A piece requested once the results were on screen can reach the server just before
  // the probe's mark: only those trailing the last other request are left out. A piece
  // fetched earlier, competing with the query's own files, counts.
  const log = current.log.slice(0, current.mark);
  const lastOther = log.findLastIndex((e) => !pieces.includes(e.path));
  const before = log.filter((e, i) => !e.page && (i <= lastOther || !pieces.includes(e.path)));
  await context.close();
  return { engine, kb, link: linkName, query, ms, bytes: before.reduce((n, e) => n + e.bytes, 0), requests: before.length };
}

// Pagefind shows a result only when an article holds every word of the query; a query it
// has no answer for would never finish. Five dev queries it answers, spread over the set,
// each loaded cold REPEATS times per engine and link.
async function answeredByPagefind(queries) {
  current = { engine: 'pagefind', link: LINKS.unthrottled, linkFree: 0, log: [] };
  const page = await browser.newPage();
  await page.goto(url);
  const answered = await page.evaluate(async (queries) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.init();
    const answered = [];
    for (const q of queries) {
      if ((await pagefind.search(q)).results.length > 0) answered.push(q);
    }
    return answered;
  }, queries);
  await page.close();
  return answered;
}
const answered = await answeredByPagefind(allQueries);
const QUERIES = [0, 1, 2, 3, 4].map((i) => answered[Math.floor((i * answered.length) / 5)]);
console.log(`Pagefind answers ${answered.length} of the ${allQueries.length} dev queries; timing ${JSON.stringify(QUERIES)}`);

const runs = [];
for (const linkName of Object.keys(LINKS)) {
  for (const query of QUERIES) {
    for (let r = 0; r < REPEATS; r++) {
      for (const [engine, help] of [['fixpath', fixpathHelp], ['pagefind', null]]) {
        const run = await loadOnce(engine, 'eval-kb', help, linkName, query);
        console.log(`${linkName} ${engine} ${JSON.stringify(query)}: ${run.ms.toFixed(0)} ms, ${run.bytes} B in ${run.requests} requests`);
        runs.push(run);
      }
    }
  }
}
if (largeHelp) {
  for (const query of QUERIES) {
    const run = await loadOnce('fixpath', 'large', largeHelp, 'unthrottled', query);
    console.log(`large fixpath ${JSON.stringify(query)}: ${run.ms.toFixed(0)} ms, ${run.bytes} B in ${run.requests} requests`);
    runs.push(run);
  }
}
await browser.close();
server.close();
fs.writeFileSync(outPath, JSON.stringify({ runs, queries: QUERIES, answered: answered.length, of: allQueries.length }, null, 1));
