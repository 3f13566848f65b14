/**
 * Every metric an answer evaluation can report, with what it means. One catalogue, so the JSON
 * report, the HTML report and the terminal table name and explain them the same way.
 */

export const JUDGE_METRICS = ['faithfulness', 'answer_relevancy', 'context_precision', 'context_recall', 'citation_precision'] as const;

export const JUDGE_FREE_METRICS = [
  'gold_doc_cited',
  'evidence_in_cited',
  'declines_unanswerable',
  'declines_answerable',
  'citations_resolve',
  'cited',
  'differs_from_rejected',
  'recall@k',
  'mrr@10',
  'ndcg@10',
] as const;

type JudgeMetric = (typeof JUDGE_METRICS)[number];
type JudgeFreeMetric = (typeof JUDGE_FREE_METRICS)[number];
export type MetricName = JudgeMetric | JudgeFreeMetric;

/** A question's scores: a metric that does not apply to it (or could not be judged) is null. */
export type MetricValues = Partial<Record<MetricName, number | null>>;

export const METRIC_INFO: Record<MetricName, { label: string; what: string; higherIsBetter: boolean }> = {
  faithfulness: { label: 'faithfulness', what: 'share of the answer’s claims that the retrieved contexts support (judge)', higherIsBetter: true },
  answer_relevancy: { label: 'answer relevancy', what: 'mean cosine similarity between the question and questions the judge derives from the answer; 0 for a non-committal answer (judge + embedder)', higherIsBetter: true },
  context_precision: { label: 'context precision', what: 'precision@k averaged over the ranks of contexts the judge finds useful for the gold answer (judge)', higherIsBetter: true },
  context_recall: { label: 'context recall', what: 'share of the gold answer’s statements attributable to the retrieved contexts (judge)', higherIsBetter: true },
  citation_precision: { label: 'citation precision', what: 'share of (sentence, cited passage) pairs where the passage supports the sentence (judge)', higherIsBetter: true },
  gold_doc_cited: { label: 'gold doc cited', what: 'the answer cites one of the question’s gold documents (qrels)', higherIsBetter: true },
  evidence_in_cited: { label: 'evidence in cited', what: 'the gold evidence phrase occurs in a cited passage', higherIsBetter: true },
  declines_unanswerable: { label: 'declines unanswerable', what: 'the reply declines a question the documents cannot answer', higherIsBetter: true },
  declines_answerable: { label: 'declines answerable', what: 'the reply declines a question the documents do answer (false decline)', higherIsBetter: false },
  citations_resolve: { label: 'citations resolve', what: 'share of [n] markers in the answer that point at a listed source', higherIsBetter: true },
  cited: { label: 'cited', what: 'the answer cites at least one source', higherIsBetter: true },
  differs_from_rejected: { label: 'differs from 👎 answer', what: 'the new answer differs from the answer users voted down', higherIsBetter: true },
  'recall@k': { label: 'recall@k', what: 'share of gold documents among the contexts (k = RETRIEVE_K)', higherIsBetter: true },
  'mrr@10': { label: 'MRR@10', what: 'reciprocal rank of the first gold document among the contexts', higherIsBetter: true },
  'ndcg@10': { label: 'nDCG@10', what: 'graded nDCG of the contexts’ document ranking (trec_eval linear gain)', higherIsBetter: true },
};
