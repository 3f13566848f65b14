import { JUDGE_FREE_METRICS, JUDGE_METRICS, type MetricName } from './metric-names.js';
import type { AnswerRow, MetricSummary } from './types.js';
import { round4 } from '../metrics.js';

const ORDER: readonly MetricName[] = [...JUDGE_METRICS, ...JUDGE_FREE_METRICS];

/** Mean of each metric over the rows it applies to (non-null values), in catalogue order. */
export function averageMetrics(rows: readonly AnswerRow[]): Partial<Record<MetricName, MetricSummary>> {
  const out: Partial<Record<MetricName, MetricSummary>> = {};
  for (const name of ORDER) {
    const values = rows.map((r) => r.metrics[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length === 0) continue;
    out[name] = { mean: round4(values.reduce((a, b) => a + b, 0) / values.length), n: values.length };
  }
  return out;
}

export function averagesByKind(rows: readonly AnswerRow[]): Record<string, Partial<Record<MetricName, MetricSummary>>> {
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  return Object.fromEntries(kinds.map((kind) => [kind, averageMetrics(rows.filter((r) => r.kind === kind))]));
}

/**
 * One number per question for "worst cases": an unanswerable question scores whether it was
 * declined; an answerable one the mean of its answer-quality metrics (lower-is-better ones flipped).
 */
export function caseScore(row: AnswerRow): number {
  const m = row.metrics;
  if (!row.answerable) return m.declines_unanswerable ?? 0;
  const parts: number[] = [];
  for (const name of ['faithfulness', 'answer_relevancy', 'citation_precision', 'context_recall', 'gold_doc_cited', 'evidence_in_cited', 'cited'] as const) {
    const v = m[name];
    if (typeof v === 'number') parts.push(v);
  }
  if (typeof m.declines_answerable === 'number') parts.push(1 - m.declines_answerable);
  return parts.length === 0 ? 0 : parts.reduce((a, b) => a + b, 0) / parts.length;
}

export function worstCases(rows: readonly AnswerRow[], count: number): AnswerRow[] {
  return [...rows].sort((a, b) => caseScore(a) - caseScore(b) || a.id.localeCompare(b.id)).slice(0, count);
}

