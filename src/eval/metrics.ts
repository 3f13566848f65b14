/**
 * Document-level IR metrics as trec_eval computes them: linear gain (the qrels grade),
 * log2 discount, ideal DCG from every judged relevant document.
 */
export type Qrels = Map<string, Map<string, number>>;

export interface RankingMetrics {
  'recall@k': number;
  'mrr@10': number;
  'ndcg@10': number;
}

export function ndcgAt(ranked: string[], judged: Map<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((doc, i) => {
    const gain = judged.get(doc) ?? 0;
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  });
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAt(ranked: string[], judged: Map<string, number>, k: number): number {
  const relevant = [...judged.entries()].filter(([, g]) => g > 0).map(([d]) => d);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((d) => top.has(d)).length / relevant.length;
}

export function reciprocalRankAt(ranked: string[], judged: Map<string, number>, k: number): number {
  const i = ranked.slice(0, k).findIndex((d) => (judged.get(d) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Averages over the queries that have at least one relevant judgement. */
export function evaluateRuns(runs: Map<string, string[]>, qrels: Qrels, k: number): RankingMetrics & { queries: number } {
  let n = 0;
  const sum = { recall: 0, mrr: 0, ndcg: 0 };
  for (const [qid, judged] of qrels) {
    if (![...judged.values()].some((g) => g > 0)) continue;
    const ranked = runs.get(qid) ?? [];
    n += 1;
    sum.recall += recallAt(ranked, judged, k);
    sum.mrr += reciprocalRankAt(ranked, judged, 10);
    sum.ndcg += ndcgAt(ranked, judged, 10);
  }
  const avg = (x: number) => (n === 0 ? 0 : round4(x / n));
  return { 'recall@k': avg(sum.recall), 'mrr@10': avg(sum.mrr), 'ndcg@10': avg(sum.ndcg), queries: n };
}

/**
 * BEIR's `EvaluateRetrieval` convention (`ignore_identical_ids`, on by default): a hit whose
 * document id is the query's own id is dropped. Some sets (ArguAna, Quora, CQADupStack) hold each
 * query as a document too, and finding the query itself says nothing about retrieval.
 */
export function dropIdenticalId(queryId: string, ranking: readonly string[]): string[] {
  return ranking.filter((docId) => docId !== queryId);
}

/** A document ranks where its best chunk ranks. */
export function documentRanking(chunkDocIds: string[]): string[] {
  return [...new Set(chunkDocIds)];
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
