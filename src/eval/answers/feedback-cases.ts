import type { FeedbackCaseRows } from '../../feedback/feedback-dataset.js';
import type { EvalCase } from './types.js';

/**
 * 👎 cases as eval cases. They have no qrels; they have a gold answer only when a maintainer
 * added one, and count as answerable unless marked otherwise.
 */
export function casesFromFeedback(rows: readonly FeedbackCaseRows[]): EvalCase[] {
  return rows.map(({ query, answer }) => {
    const history = query.metadata.history.length > 0 ? query.metadata.history : query.metadata.context ? [{ role: 'user' as const, text: query.metadata.context }] : [];
    return {
      id: query._id,
      question: query.text,
      history,
      kind: answer.kind,
      answerable: answer.answerable ?? true,
      ...(answer.answer?.trim() ? { goldAnswer: answer.answer } : {}),
      goldDocs: new Map<string, number>(),
      rejected: {
        answer: answer.rejected_answer,
        reasons: answer.reasons,
        contexts: answer.contexts.map((c) => ({ chunkId: c.chunk_id, docId: c.source, title: c.title, source: c.source, text: c.text })),
      },
    };
  });
}
