import type { BeirDataset } from '../beir.js';
import type { EvalCase } from './types.js';

/**
 * A BEIR-layout set's questions as eval cases. A follow-up's `metadata.context` (the previous
 * user turn) becomes its history. Without an answers row, a question with relevant qrels counts
 * as answerable and one without as unanswerable, as the layout defines.
 */
export function casesFromDataset(ds: BeirDataset): EvalCase[] {
  return ds.queries.map((q) => {
    const goldDocs = ds.qrels.get(q.id) ?? new Map<string, number>();
    const hasGold = [...goldDocs.values()].some((g) => g > 0);
    const row = ds.answers.get(q.id);
    return {
      id: q.id,
      question: q.text,
      history: q.context ? [{ role: 'user' as const, text: q.context }] : [],
      kind: row?.kind || (hasGold ? 'single' : 'unanswerable'),
      answerable: row ? row.answerable : hasGold,
      ...(row?.answer ? { goldAnswer: row.answer } : {}),
      goldDocs,
      ...(row?.evidence ? { evidence: row.evidence } : {}),
    };
  });
}
