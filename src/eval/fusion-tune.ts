import type { Config } from '../config/config.js';
import type { Embedder } from '../core/embedder.js';
import type { Reranker } from '../core/retriever.js';
import type { VectorStore } from '../core/store.js';
import { createHybridRetriever } from '../retrieval/hybrid-retriever.js';
import { scoreRetriever, type JudgedQueries } from './retrieval-eval.js';

/** One point of the sweep: how the two sides are fused, and whether the reranker re-scores the result. */
export interface FusionSetting {
  fusion: 'linear' | 'rrf';
  denseWeight: number;
  rrfK: number;
  rerank: boolean;
}

export interface TuneRow {
  setting: FusionSetting;
  metrics: Record<string, number>;
  /** The setting the configuration in use runs today. */
  current: boolean;
}

export interface TuneReport {
  queries: number;
  k: number;
  reranker: string | null;
  /** Best first: nDCG@10, then recall@k, then grid order. */
  rows: TuneRow[];
}

export interface TuneDeps {
  store: VectorStore;
  embedder: Embedder;
  /** The reranker the "rerank" rows use; null sweeps fusion only. */
  reranker: Reranker | null;
  accessGroups: string[];
  current: Pick<Config['retrieval'], 'fusion' | 'denseWeight' | 'rrfK'> & { rerank: boolean };
  keepIdenticalIds?: boolean;
  onProgress?: (done: number, total: number) => void;
}

const LINEAR_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const RRF_KS = [10, 30, 60, 100];
const RRF_WEIGHTS = [0.5, 1];

/** Every setting the sweep measures, the current one included even when it lies off the grid. */
export function fusionGrid(current: TuneDeps['current'], withRerank: boolean): FusionSetting[] {
  const grid: FusionSetting[] = [];
  for (const rerank of withRerank ? [false, true] : [false]) {
    // rrfK is irrelevant to linear fusion; it keeps the current value so --write leaves it alone.
    for (const denseWeight of LINEAR_WEIGHTS) grid.push({ fusion: 'linear', denseWeight, rrfK: current.rrfK, rerank });
    for (const rrfK of RRF_KS) for (const denseWeight of RRF_WEIGHTS) grid.push({ fusion: 'rrf', denseWeight, rrfK, rerank });
  }
  const cur: FusionSetting = { fusion: current.fusion, denseWeight: current.denseWeight, rrfK: current.rrfK, rerank: current.rerank && withRerank };
  if (!grid.some((s) => sameSetting(s, cur))) grid.push(cur);
  return grid;
}

/**
 * Scores every grid setting on the judged queries over one index and ranks them. Each query is
 * embedded once for the whole sweep; the store's candidate depth and the reranker's pool stay as
 * the runtime uses them, so the winner is what a user would get.
 */
export async function tuneFusion(judged: JudgedQueries, k: number, deps: TuneDeps): Promise<TuneReport> {
  const embedder = memoiseQueries(deps.embedder);
  const grid = fusionGrid(deps.current, deps.reranker !== null);
  const rows: TuneRow[] = [];
  let queries = 0;
  for (const [i, setting] of grid.entries()) {
    const retriever = createHybridRetriever(deps.store, embedder, setting.rerank ? deps.reranker : null, setting);
    const scored = await scoreRetriever(judged, retriever, 'hybrid', k, deps.accessGroups, deps.keepIdenticalIds ? { keepIdenticalIds: true } : {});
    queries = scored.queries;
    rows.push({ setting, metrics: scored.metrics, current: sameSetting(setting, { ...deps.current, rerank: deps.current.rerank && deps.reranker !== null }) });
    deps.onProgress?.(i + 1, grid.length);
  }
  const recall = `recall@${k}`;
  const order = new Map(rows.map((r, i) => [r, i]));
  rows.sort((a, b) => (b.metrics['ndcg@10']! - a.metrics['ndcg@10']!) || (b.metrics[recall]! - a.metrics[recall]!) || order.get(a)! - order.get(b)!);
  return { queries, k, reranker: deps.reranker?.id ?? null, rows };
}

function sameSetting(a: FusionSetting, b: FusionSetting): boolean {
  return a.fusion === b.fusion && a.denseWeight === b.denseWeight && a.rerank === b.rerank && (a.fusion === 'linear' || a.rrfK === b.rrfK);
}

/**
 * The sweep asks for each query's vector once per setting. The embedder's own query cache is an LRU of
 * 500: a larger labelled set would cycle through it and miss on every setting, so the sweep keeps its own.
 */
function memoiseQueries(embedder: Embedder): Embedder {
  const seen = new Map<string, Promise<Float32Array>>();
  return {
    get id() { return embedder.id; },
    get dimensions() { return embedder.dimensions; },
    embedDocuments: (texts, onProgress) => embedder.embedDocuments(texts, onProgress),
    embedQuery(text) {
      let v = seen.get(text);
      if (!v) {
        v = embedder.embedQuery(text);
        seen.set(text, v);
      }
      return v;
    },
    ...(embedder.ready ? { ready: () => embedder.ready!() } : {}),
  };
}
