// Runs the relevance queries through Fixpath's peers, fed the same article text Fixpath
// indexes (`fixpath export-text`). Writes one run file per engine:
// {"id": query id, "results": [article ids, best first]} a line.
//
// usage: node peers.mjs DOCS.jsonl QUERIES.jsonl OUT_DIR CHROMIUM [sizes-only|build-times]
//
// BENCH_LANGUAGE (default en) is the articles' language: lunr gets that language's plugin
// from lunr-languages 1.22.0 (stemmer, stop words), Pagefind reads it from the pages'
// `lang`, MiniSearch has no language support and runs as it ships.
//
// Also writes sizes.json: what lunr and MiniSearch ship to a browser (library and
// serialized index, raw and brotli) for the same articles.
//
// lunr 2.3.9 and MiniSearch 7.2.0 run here in Node. Pagefind 1.6.0 builds its index with its
// Node API and is searched by its own pagefind.js in headless Chromium (driven by
// playwright-core with Debian's chromium), as on a real site.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

import { LUNR_FIELDS } from './lunr-fields.mjs';
import { buildPagefind } from './pagefind-site.mjs';

const require = createRequire(import.meta.url);
const lunr = require('lunr');
const MiniSearch = require('minisearch');

const [docsPath, queriesPath, outDir, chromium, mode] = process.argv.slice(2);
const language = process.env.BENCH_LANGUAGE || 'en';
if (language !== 'en') {
  require('lunr-languages/lunr.stemmer.support')(lunr);
  require(`lunr-languages/lunr.${language}`)(lunr);
}
const readJsonl = (p) => fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const docs = readJsonl(docsPath);
const queries = readJsonl(queriesPath);
fs.mkdirSync(outDir, { recursive: true });
const writeRun = (name, rows) =>
  fs.writeFileSync(path.join(outDir, `run-${name}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

function buildLunr() {
  return lunr(function () {
    if (language !== 'en') this.use(lunr[language]);
    this.ref('id');
    LUNR_FIELDS.forEach(([field, boost]) => this.field(field, { boost }));
    docs.forEach((d) => this.add(d));
  });
}

function runLunr(index) {
  // Terms are added one by one (OR semantics): lunr's query syntax would choke on pasted
  // error messages (`:`, `-`, `~`, `*`).
  return queries.map((q) => {
    const results = index.query((query) => {
      lunr.tokenizer(q.q).forEach((token) => query.term(token.toString(), {}));
    });
    return { id: q.id, results: results.slice(0, 10).map((r) => r.ref) };
  });
}

// MiniSearch with prefix and fuzzy 0.2 on every word, as its documentation suggests.
function buildMiniSearch() {
  const index = new MiniSearch({ fields: ['title', 'meta', 'headings', 'body'], idField: 'id' });
  index.addAll(docs);
  return index;
}

function runMiniSearch(index) {
  const options = { boost: { title: 3, meta: 2, headings: 1.5 }, prefix: true, fuzzy: 0.2 };
  return queries.map((q) => ({ id: q.id, results: index.search(q.q, options).slice(0, 10).map((r) => r.id) }));
}

async function runPagefind() {
  const site = path.join(outDir, 'pagefind-site');
  await buildPagefind(docs, site, language);
  fs.writeFileSync(path.join(site, 'queries.json'), JSON.stringify(queries.map((q) => ({ id: q.id, q: q.q }))));
  fs.writeFileSync(path.join(site, 'bench.js'), `
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.init();
    const queries = await (await fetch('/queries.json')).json();
    const rows = [];
    for (const q of queries) {
      const search = await pagefind.search(q.q);
      const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
      rows.push({ id: q.id, results: data.map((d) => decodeURI(d.url).replace(/^\\//, '')) });
    }
    const out = document.createElement('pre');
    out.id = 'out';
    out.textContent = JSON.stringify(rows);
    document.body.append(out);
  `);
  // pagefind.js searches the index of the page's language.
  fs.writeFileSync(path.join(site, 'index.html'), `<!doctype html><html lang="${language}"><body><script type="module" src="/bench.js"></script></body></html>`);

  const types = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(site, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const { chromium: launcher } = require('playwright-core');
  const browser = await launcher.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('#out', { state: 'attached', timeout: 120000 });
  const text = await page.textContent('#out');
  await browser.close();
  server.close();
  return JSON.parse(text);
}

// `build-times`: how long each peer takes to build (and serialize, as a static site ships
// it) its index of the same articles; the median of 3 runs, in ms, into build-times.json.
if (mode === 'build-times') {
  const median = async (build) => {
    const ms = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await build();
      ms.push(performance.now() - started);
    }
    return ms.sort((a, b) => a - b)[1];
  };
  const times = {
    'lunr 2.3.9': await median(() => JSON.stringify(buildLunr())),
    'MiniSearch 7.2.0': await median(() => JSON.stringify(buildMiniSearch())),
    'Pagefind 1.6.0': await median(() => buildPagefind(docs, path.join(outDir, 'pagefind-site'), language)),
  };
  fs.writeFileSync(path.join(outDir, 'build-times.json'), JSON.stringify(times, null, 2));
  process.exit(0);
}

const sized = (bytes) => ({ raw: bytes.length, brotli: zlib.brotliCompressSync(bytes, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length });
const lunrIndex = buildLunr();
const miniIndex = buildMiniSearch();
// Read by path: package `exports` maps may hide these files from require.resolve.
const libFile = (p) => fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules', p));
fs.writeFileSync(path.join(outDir, 'sizes.json'), JSON.stringify({
  'lunr 2.3.9 library (lunr.min.js)': sized(libFile('lunr/lunr.min.js')),
  'lunr 2.3.9 serialized index': sized(Buffer.from(JSON.stringify(lunrIndex))),
  'MiniSearch 7.2.0 library (umd, unminified)': sized(libFile('minisearch/dist/umd/index.js')),
  'MiniSearch 7.2.0 serialized index': sized(Buffer.from(JSON.stringify(miniIndex))),
}, null, 2));
if (mode !== 'sizes-only') {
  writeRun('lunr', runLunr(lunrIndex));
  writeRun('minisearch', runMiniSearch(miniIndex));
  writeRun('pagefind', await runPagefind());
  console.log(`peers: wrote ${queries.length} results each for lunr, minisearch, pagefind to ${outDir}`);
}
