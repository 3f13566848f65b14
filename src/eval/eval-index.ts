import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Embedder } from '../core/embedder.js';
import type { Logger } from '../core/logger.js';
import type { Reranker, Retriever } from '../core/retriever.js';
import type { VectorStore } from '../core/store.js';
import { CHUNKER_VERSION, ingest, type IngestProgress } from '../ingest/index.js';
import { openEmbeddedStore } from '../retrieval/embedded/index.js';
import { createHybridRetriever } from '../retrieval/hybrid-retriever.js';

export interface EvalIndex {
  store: VectorStore;
  retriever: Retriever;
  /** Every access group in the index (an eval answers from all of them). */
  accessGroups: string[];
  /** The dataset's corpus id of an indexed document, from a chunk's or citation's `source`. */
  corpusId(source: string): string;
  /** `docs` when built from the dataset's `docs/` folder, `corpus` when from corpus.jsonl. */
  from: 'docs' | 'corpus';
  close(): Promise<void>;
}

export interface EvalIndexDeps {
  config: Pick<Config, 'dataDir' | 'ingest' | 'embedding' | 'retrieval'>;
  embedder: Embedder;
  reranker: Reranker | null;
  logger: Logger;
  progress: IngestProgress;
}

/**
 * A throw-away embedded index of a dataset under `<dataDir>/eval/`, kept while the source,
 * embedder and chunking stay the same, and brought up to date by an incremental ingest (cheap
 * when nothing changed). It is built the way a user would build it: from `docs/` when the set
 * has one (sources `docs/<corpus id>`), else from `corpus.jsonl` (document id = `_id`); `opts.from`
 * forces one (the retrieval eval scores the corpus, as BEIR tooling does).
 */
export async function openEvalIndex(datasetDir: string, name: string, deps: EvalIndexDeps, opts: { from?: 'docs' | 'corpus' } = {}): Promise<EvalIndex> {
  const from = opts.from ?? ((await exists(path.join(datasetDir, 'docs'))) ? 'docs' : 'corpus');
  const input = from === 'docs' ? 'docs' : 'corpus.jsonl';
  await deps.embedder.ready?.();
  const { chunkSize, chunkOverlap } = deps.config.ingest;
  const key = createHash('sha256')
    .update(JSON.stringify([path.resolve(datasetDir, input), deps.embedder.id, chunkSize, chunkOverlap, CHUNKER_VERSION]))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(deps.config.dataDir, 'eval', `${name}-${from}-${key}`);
  await mkdir(dir, { recursive: true });
  const store = await openEmbeddedStore({ dataDir: dir, logger: deps.logger });
  try {
    // cwd = the dataset, so sources do not depend on how the user spelled its path.
    await ingest(
      { paths: [input], cwd: path.resolve(datasetDir), defaultAccessGroup: 'public', publicAccessGroups: ['public'], chunkSize, chunkOverlap, maxFileBytes: Number.MAX_SAFE_INTEGER, embedBatchSize: deps.config.embedding.batchSize },
      { store, embedder: deps.embedder, logger: deps.logger, progress: deps.progress },
    );
    const accessGroups = [...new Set((await store.listDocuments()).map((d) => d.accessGroup))];
    return {
      store,
      retriever: evalRetriever(store, deps),
      accessGroups,
      corpusId: (source) => stripPrefix(source, from === 'docs' ? 'docs/' : 'corpus.jsonl#'),
      from,
      close: () => store.close(),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Hybrid search with the live runtime's fusion and rerank settings. */
export function evalRetriever(store: VectorStore, deps: Pick<EvalIndexDeps, 'config' | 'embedder' | 'reranker' | 'logger'>): Retriever {
  return createHybridRetriever(store, deps.embedder, deps.reranker, deps.config.retrieval, deps.logger);
}

function stripPrefix(source: string, prefix: string): string {
  return source.startsWith(prefix) ? source.slice(prefix.length) : source;
}

function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}
