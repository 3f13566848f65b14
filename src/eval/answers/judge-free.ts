import { NO_LLM, stripMarkers } from '../../agent/index.js';
import { documentRanking, ndcgAt, recallAt, reciprocalRankAt } from '../metrics.js';
import type { MetricValues } from './metric-names.js';
import type { AnswerRun, EvalCase } from './types.js';

/**
 * Openings of a reply that declines: Cairn's own "I couldn't find that in the docs." and the
 * usual ways a model says the documents do not hold the answer.
 */
const DECLINE =
  /\b(?:could ?n[o']?t|can ?n?[o']?t|unable to|wasn'?t able to) (?:find|finish|locate|answer)\b|\b(?:docs?|documents?|documentation|sources?|passages?) (?:do(?:es)?(?: not|n'?t)|never) (?:say|mention|cover|contain|describe|include|state|explain)|\bno (?:information|mention|details?)\b|\bnot (?:mentioned|covered|documented|described)\b|\bI don'?t know\b/i;

/**
 * Whether the reply declines to answer: judged on its opening sentence (up to the first line
 * break or . ! ? :), after Cairn's no-model notice, so a quoted passage saying "Cannot find…"
 * does not count.
 */
export function isDecline(text: string): boolean {
  const plain = stripMarkers(text).replace(NO_LLM, '').replace(/’/g, "'").trim();
  const first = plain.split(/(?<=[.!?:])\s+|\n/)[0] ?? '';
  return DECLINE.test(first);
}

/** The metrics that need no language model, for one case. Null marks a metric that does not apply. */
export function judgeFreeMetrics(c: EvalCase, run: AnswerRun, k: number): MetricValues {
  const m: MetricValues = {};
  const relevant = [...c.goldDocs.values()].some((g) => g > 0);
  m.citations_resolve = markerResolution(run);
  if (c.rejected) m.differs_from_rejected = normalise(run.answer) === normalise(c.rejected.answer) ? 0 : 1;
  if (!c.answerable) {
    m.declines_unanswerable = run.declined ? 1 : 0;
    return m;
  }
  m.declines_answerable = run.declined ? 1 : 0;
  // A decline's "closest sources" are not an answer citing them.
  const citations = run.declined ? [] : run.citations;
  m.cited = citations.length > 0 ? 1 : 0;
  if (relevant) {
    m.gold_doc_cited = citations.some((cite) => (c.goldDocs.get(cite.docId) ?? 0) > 0) ? 1 : 0;
    const ranked = documentRanking(run.contexts.map((p) => p.docId));
    m['recall@k'] = recallAt(documentRanking(run.contexts.slice(0, k).map((p) => p.docId)), c.goldDocs, k);
    m['mrr@10'] = reciprocalRankAt(ranked, c.goldDocs, 10);
    m['ndcg@10'] = ndcgAt(ranked, c.goldDocs, 10);
  }
  if (c.evidence?.trim()) {
    const cited = new Set(citations.map((cite) => cite.chunkId));
    const wanted = normalise(c.evidence);
    m.evidence_in_cited = run.contexts.some((p) => cited.has(p.chunkId) && normalise(p.text).includes(wanted)) ? 1 : 0;
  }
  return m;
}

/** Share of `[n]` markers (repeats counted) that name a listed citation; null when there are none. */
function markerResolution(run: AnswerRun): number | null {
  const listed = new Set(run.citations.map((c) => c.n));
  const markers = [...run.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (markers.length === 0) return null;
  return markers.filter((n) => listed.has(n)).length / markers.length;
}

/** Case, whitespace and Markdown emphasis do not make a phrase different. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
}
