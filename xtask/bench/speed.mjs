// Query speed in headless Chromium, Fixpath and lunr in the same page.
//
// usage: node speed.mjs PAGE_URL DOCS.jsonl QUERIES.jsonl CHROMIUM OUT.json
//
// The page is the demo page serving the eval kit's bundle. Fixpath: each dev query is typed
// into the widget (input event) and the time its engine spent ranking is read from the
// `fixpath:search` event (`search_ms`: matching the query to the dictionary plus ranking,
// measured in the wasm widget with performance.now()); the first pass also fetches the
// posting shards and is not counted. lunr 2.3.9: the same article text is indexed in the
// page and `index.query` is timed with performance.now() around batches of 20 calls. Each
// query runs REPEATS times per engine; the per-query median is kept. The page is served
// cross-origin isolated, so performance.now() has microsecond resolution (checked: the run
// fails otherwise; an ordinary page coarsens it to 0.1 ms).
// Writes {"fixpath": [ms per query], "lunr": [ms per query]}.
import fs from 'node:fs';
import { createRequire } from 'node:module';

import { LUNR_FIELDS } from './lunr-fields.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [pageUrl, docsPath, queriesPath, chromiumPath, outPath] = process.argv.slice(2);
const readJsonl = (p) => fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const docs = readJsonl(docsPath);
const queries = readJsonl(queriesPath).map((q) => q.q);
const REPEATS = 7;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
// lunr is added as a script of this page, which its strict CSP would refuse.
const context = await browser.newContext({ bypassCSP: true });
const page = await context.newPage();
await page.goto(pageUrl);
await page.waitForSelector('fixpath-widget[data-ready]');
if (!(await page.evaluate(() => self.crossOriginIsolated))) {
  throw new Error('the page is not cross-origin isolated: timings would be coarsened to 0.1 ms');
}
await page.addScriptTag({ path: require.resolve('lunr') });

const fixpath = await page.evaluate(async ({ queries, repeats }) => {
  const host = document.querySelector('fixpath-widget');
  const input = host.shadowRoot.querySelector('[data-testid=query]');
  const search = (q) =>
    new Promise((resolve) => {
      // A query whose results equal the previous ones fires no event (see `other`): give
      // up on it.
      const timeout = setTimeout(() => resolve(null), 2000);
      const onSearch = (e) => {
        if (e.detail.query === q) {
          clearTimeout(timeout);
          host.removeEventListener('fixpath:search', onSearch);
          resolve(e.detail.search_ms);
        }
      };
      host.addEventListener('fixpath:search', onSearch);
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    });
  // The widget reacts after the event handler returns: let it see the empty query before
  // the next one, or a repeated query looks unchanged and fires no event.
  const clear = async () => {
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  // The widget tells a query and its results once, until another query's results are
  // told: search another query between two runs of the same one.
  const other = (q) => (q === queries[0] ? queries[1] : queries[0]);
  const perQuery = [];
  for (const q of queries) {
    await clear();
    await search(q); // fetches the posting shards: not counted
    const times = [];
    for (let r = 0; r < repeats; r++) {
      await clear();
      await search(other(q));
      await clear();
      const ms = await search(q);
      if (ms !== null) times.push(ms);
    }
    times.sort((a, b) => a - b);
    if (times.length) perQuery.push(times[Math.floor(times.length / 2)]);
  }
  return perQuery;
}, { queries, repeats: REPEATS });

const lunrTimes = await page.evaluate(({ docs, queries, repeats, fields }) => {
  const index = lunr(function () {
    this.ref('id');
    fields.forEach(([field, boost]) => this.field(field, { boost }));
    docs.forEach((d) => this.add(d));
  });
  const run = (q) =>
    index.query((query) => {
      lunr.tokenizer(q).forEach((token) => query.term(token.toString(), {}));
    });
  return queries.map((q) => {
    run(q); // warm-up, as for Fixpath
    const times = [];
    // performance.now() is coarsened to 0.1 ms here: time a batch, report one query.
    const batch = 20;
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      for (let b = 0; b < batch; b++) run(q);
      times.push((performance.now() - started) / batch);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  });
}, { docs, queries, repeats: REPEATS, fields: LUNR_FIELDS });

await browser.close();
fs.writeFileSync(outPath, JSON.stringify({ fixpath, lunr: lunrTimes }));
console.log(`speed: ${queries.length} queries × ${REPEATS} runs per engine`);
