import { words } from '../../retrieval/text/index.js';

/**
 * Whether a web_search query carries text out of a restricted passage: any three consecutive words
 * of the passage, or a word of it of two or more characters holding a digit (codes, amounts, ids, dates), that the user's own
 * question does not contain. The query goes to a third party, so a model that quotes a restricted
 * passage into it (by mistake or steered by an injected document) must be stopped here. A heuristic
 * by design: it errs towards refusing, and it only runs when web_search is offered beside restricted
 * groups at all (WEB_SEARCH_WITH_PRIVATE_GROUPS).
 */
export function quotesRestricted(query: string, restricted: readonly string[], question: string): boolean {
  const asked = new Set(words(question));
  const q = words(query);
  const queryGrams = new Set(trigrams(q).filter((g) => g.some((w) => !asked.has(w))).map((g) => g.join(' ')));
  const queryCodes = new Set(q.filter((w) => /\d/.test(w) && w.length >= 2 && !asked.has(w)));
  for (const text of restricted) {
    const t = words(text);
    if (t.some((w) => queryCodes.has(w))) return true;
    if (trigrams(t).some((g) => queryGrams.has(g.join(' ')))) return true;
  }
  return false;
}

function trigrams(ws: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i + 3 <= ws.length; i++) out.push(ws.slice(i, i + 3));
  return out;
}
