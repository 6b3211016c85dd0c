// lunr's fields and boosts for every benchmark, the same weights as Fixpath's BM25F:
// title 3, meta 2, headings 1.5, body 1. Plain data, so it can also be handed to a page.
export const LUNR_FIELDS = [
  ['title', 3],
  ['meta', 2],
  ['headings', 1.5],
  ['body', 1],
];
