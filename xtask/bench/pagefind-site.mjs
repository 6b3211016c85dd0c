// Pagefind's index of the exported articles (`fixpath export-text`), written under
// `site/pagefind` with its Node API: what `pagefind` would write for a site whose pages
// hold the same text. Shared by the relevance and first-result benchmarks.
import fs from 'node:fs';
import path from 'node:path';

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export async function buildPagefind(docs, site, language = 'en') {
  const pagefind = await import('pagefind');
  const { index } = await pagefind.createIndex({});
  for (const d of docs) {
    const html = `<html lang="${language}"><body><main><h1>${escapeHtml(d.title)}</h1><p>${escapeHtml(d.meta)}</p>` +
      `<h2>${escapeHtml(d.headings)}</h2><p>${escapeHtml(d.body)}</p></main></body></html>`;
    await index.addHTMLFile({ url: `/${d.id}`, content: html });
  }
  fs.rmSync(site, { recursive: true, force: true });
  await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
  await pagefind.close();
}
