import type { Config } from '../config/config.js';
import type { Embedder } from '../core/embedder.js';
import type { Logger } from '../core/logger.js';
import type { Reranker, Retriever } from '../core/retriever.js';
import type { SearchMode } from '../core/search.js';
import type { IngestProgress } from '../ingest/index.js';
import { FUSION_CANDIDATES } from '../retrieval/hybrid-retriever.js';
import { loadBeirDataset, type BeirDataset } from './beir.js';
import { evalRetriever, openEvalIndex } from './eval-index.js';
import { documentRanking, dropIdenticalId, evaluateRuns, type RankingMetrics } from './metrics.js';

type RunName = SearchMode | 'reranked';

export interface RetrievalReport {
  dataset: string;
  k: number;
  queries: number;
  docs: number;
  chunks: number;
  embedder: string;
  fusion: { method: string; denseWeight: number; rrfK: number };
  reranker: string | null;
  /** Whether hits whose document id equals the query id were kept (BEIR drops them). */
  identicalIds: 'dropped' | 'kept';
  runs: Partial<Record<RunName, Record<string, number>>>;
}

export interface RetrievalEvalDeps {
  config: Config;
  embedder: Embedder;
  reranker: Reranker | null;
  logger: Logger;
  progress: IngestProgress;
  /** Keep hits whose document id equals the query id, which BEIR's evaluation drops. */
  keepIdenticalIds?: boolean;
  /** Called with "dense 120/300"-style lines while queries run. */
  onQueries?: (line: string) => void;
}

/**
 * Chunks fetched for the ranking metrics: as many as the bot's search fuses from each side, so that
 * nDCG@10 and MRR@10 score the ranking a person gets. Asking for more makes the store fuse longer
 * lists, which min-max scaling turns into another ranking.
 */
const CHUNK_POOL = FUSION_CANDIDATES;
/** Chunks fetched per document wanted: recall@k needs k distinct documents after grouping. */
const CHUNKS_PER_DOCUMENT = 2;

/**
 * Indexes a BEIR corpus into a throw-away embedded index (reused while corpus, embedder and
 * chunking stay the same) and scores dense, sparse, hybrid and reranked runs at document level.
 */
export async function evaluateRetrieval(dir: string, k: number, deps: RetrievalEvalDeps): Promise<RetrievalReport> {
  const dataset = await loadBeirDataset(dir);
  const index = await openEvalIndex(dir, dataset.name, deps, { from: 'corpus' });
  try {
    const info = await index.store.info();
    const cfg = deps.config.retrieval;
    const plain = evalRetriever(index.store, { ...deps, reranker: null });
    const runs: RetrievalReport['runs'] = {};
    let queries = 0;
    const run = async (name: RunName, retriever: Retriever) => {
      const scored = await scoreRetriever(dataset, retriever, name === 'reranked' ? 'hybrid' : name, k, index.accessGroups, {
        ...(deps.keepIdenticalIds ? { keepIdenticalIds: true } : {}),
        onDone: (done, total) => {
          if (done % 50 === 0 || done === total) deps.onQueries?.(`${name} ${done}/${total}`);
        },
      });
      queries = scored.queries;
      runs[name] = scored.metrics;
    };
    for (const mode of ['dense', 'sparse', 'hybrid'] as const) await run(mode, plain);
    if (deps.reranker) await run('reranked', index.retriever);
    return {
      dataset: dataset.name, k, queries, docs: info.documents, chunks: info.chunks, embedder: deps.embedder.id,
      fusion: { method: cfg.fusion, denseWeight: cfg.denseWeight, rrfK: cfg.rrfK }, reranker: deps.reranker?.id ?? null,
      identicalIds: deps.keepIdenticalIds ? 'kept' : 'dropped', runs,
    };
  } finally {
    await index.close();
  }
}

/** The queries and judgements a retrieval run is scored on (a BEIR set, or 👎 cases labelled by hand). */
export type JudgedQueries = Pick<BeirDataset, 'queries' | 'qrels'>;

/** Runs every judged query through `retriever` and scores the document rankings. */
export async function scoreRetriever(
  judged: JudgedQueries,
  retriever: Retriever,
  mode: SearchMode,
  k: number,
  accessGroups: string[],
  opts: { keepIdenticalIds?: boolean; onDone?: (done: number, total: number) => void } = {},
): Promise<{ metrics: Record<string, number>; queries: number }> {
  // Only queries with a relevant judgement count (evaluateRuns skips the rest), so only they are searched.
  const judgedQueries = judged.queries.filter((q) => [...(judged.qrels.get(q.id)?.values() ?? [])].some((g) => g > 0));
  const rankings = new Map<string, string[]>();
  const deepRankings = new Map<string, string[]>();
  const deep = k * CHUNKS_PER_DOCUMENT > CHUNK_POOL;
  const rank = async (id: string, text: string, n: number) => {
    const ranking = documentRanking((await retriever.search(text, { k: n, mode, accessGroups })).map((h) => h.chunk.docId));
    return opts.keepIdenticalIds ? ranking : dropIdenticalId(id, ranking);
  };
  let done = 0;
  for (const q of judgedQueries) {
    rankings.set(q.id, await rank(q.id, q.text, CHUNK_POOL));
    // recall@k needs k distinct documents: a deeper search, scored for recall only.
    if (deep) deepRankings.set(q.id, await rank(q.id, q.text, k * CHUNKS_PER_DOCUMENT));
    done += 1;
    opts.onDone?.(done, judgedQueries.length);
  }
  const m: RankingMetrics & { queries: number } = evaluateRuns(rankings, judged.qrels, k);
  const recall = deep ? evaluateRuns(deepRankings, judged.qrels, k)['recall@k'] : m['recall@k'];
  return { metrics: { [`recall@${k}`]: recall, 'mrr@10': m['mrr@10'], 'ndcg@10': m['ndcg@10'] }, queries: m.queries };
}
