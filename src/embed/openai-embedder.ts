import { OpenAIEmbeddings } from '@langchain/openai';
import type { Embedder } from '../core/embedder.js';
import { CairnError, httpStatus } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { embedderUnavailable } from './errors.js';
import { RetriesExhausted, withRetry, type RetryPolicy } from './retry.js';
import { normalize } from './vectors.js';

export interface OpenAIEmbedderOptions {
  /** The API root, e.g. http://127.0.0.1:8080/v1 (TEI), http://127.0.0.1:11434/v1 (Ollama), Azure's …/openai/v1. */
  baseUrl?: string;
  apiKey?: string;
  model: string;
  /** Sent as `dimensions` when set; otherwise learnt by embedding one probe text. */
  dimensions?: number;
  batchSize: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
// Local servers need no key, but the OpenAI client refuses to start without one.
const PLACEHOLDER_KEY = 'no-key-needed';
const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 20_000 };
const PROBE_TEXT = 'dimension probe';

/**
 * Any server that speaks OpenAI's POST /v1/embeddings: OpenAI, Azure OpenAI (v1 API), Hugging Face
 * TEI, Ollama, vLLM. Sends one batch at a time so progress is reported per batch.
 */
export class OpenAIEmbedder implements Embedder {
  private readonly client: OpenAIEmbeddings;
  private readonly model: string;
  private readonly baseUrl: string;
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger | undefined;
  private dims: number | undefined;
  private probing: Promise<void> | null = null;

  constructor(options: OpenAIEmbedderOptions) {
    this.model = options.model;
    // Always explicit: left unset, the OpenAI client would read OPENAI_BASE_URL, which configures the LLM.
    this.baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    this.batchSize = Math.max(1, options.batchSize);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger;
    this.dims = options.dimensions;
    this.client = new OpenAIEmbeddings({
      model: options.model,
      apiKey: options.apiKey ?? PLACEHOLDER_KEY,
      configuration: { baseURL: this.baseUrl },
      ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
      batchSize: this.batchSize,
      timeout: options.timeoutMs ?? 60_000,
      // Retries happen in withRetry; a second layer here would multiply attempts.
      maxRetries: 0,
      // Chunk text is embedded exactly as stored; the cache is keyed by that exact text.
      stripNewLines: false,
      // Without it the client asks for base64, which some OpenAI-compatible servers do not implement.
      encodingFormat: 'float',
    });
  }

  get id(): string {
    return `openai:${this.model}@${this.requireDimensions()}`;
  }

  get dimensions(): number {
    return this.requireDimensions();
  }

  /** Learns the vector size from the server when it was not configured. */
  ready(): Promise<void> {
    if (this.dims !== undefined) return Promise.resolve();
    this.probing ??= this.embedBatch([PROBE_TEXT]).then(
      () => undefined,
      (err: unknown) => {
        this.probing = null;
        throw err;
      },
    );
    return this.probing;
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    await this.ready();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize))));
      onProgress?.(vectors.length, texts.length);
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    await this.ready();
    const [vector] = await this.embedBatch([text]);
    if (!vector) throw this.failure(new Error('the response held no vector'));
    return vector;
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    let raw: number[][];
    try {
      raw = await withRetry(() => this.client.embedDocuments(texts), this.retry, (notice) =>
        this.logger?.warn({ host: this.host, model: this.model, ...notice }, 'embedding request failed; retrying'),
      );
    } catch (err) {
      throw this.failure(err);
    }
    if (raw.length !== texts.length) {
      throw this.failure(new Error(`the response held ${raw.length} vectors for ${texts.length} texts`));
    }
    return raw.map((values) => this.checkSize(normalize(values)));
  }

  private checkSize(vector: Float32Array): Float32Array {
    if (this.dims === undefined) {
      this.dims = vector.length;
      this.logger?.info({ host: this.host, model: this.model, dimensions: this.dims }, 'embedding dimensions discovered');
    } else if (vector.length !== this.dims) {
      throw new CairnError(
        'CONFIG',
        `Embedding service at ${this.host} returned ${vector.length}-d vectors for ${this.model}, but ${this.dims} were expected. ` +
          `If EMBEDDING_DIMENSIONS is set, this model or server ignores it: unset it or set it to ${vector.length}.`,
      );
    }
    return vector;
  }

  private requireDimensions(): number {
    if (this.dims === undefined) {
      throw new CairnError('INTERNAL', `The size of ${this.model}'s vectors is not known yet: await ready() before reading id or dimensions.`);
    }
    return this.dims;
  }

  private get host(): string {
    return new URL(this.baseUrl).host;
  }

  private failure(err: unknown): CairnError {
    const last = err instanceof RetriesExhausted ? err.lastError : err;
    const attempts = err instanceof RetriesExhausted && err.attempts > 1 ? ` (after ${err.attempts} attempts)` : '';
    const detail = last instanceof Error ? last.message.replace(/\.$/, '') : String(last);
    return embedderUnavailable(`Embedding service at ${this.host} failed: ${detail}${attempts}. ${hintFor(last, this.baseUrl)}`, last);
  }
}

function hintFor(err: unknown, baseUrl: string): string {
  const status = httpStatus(err);
  if (status === undefined) return `Check that the server at ${new URL(baseUrl).origin} is running and reachable.`;
  if (status === 401 || status === 403) return 'Check EMBEDDING_API_KEY.';
  if (status === 404) return 'Check EMBEDDING_MODEL, and that EMBEDDING_BASE_URL is the API root (it usually ends in /v1).';
  if (status === 413) return 'Lower EMBEDDING_BATCH_SIZE.';
  if (status === 429) {
    return (err as { code?: unknown }).code === 'insufficient_quota'
      ? "The account is out of quota: check the account's plan and billing."
      : "The service is rate-limiting Cairn or overloaded: check the server's load and the account's rate limits and quota, lower EMBEDDING_BATCH_SIZE, or try again later.";
  }
  if (status >= 500) return 'The server is failing: check its logs and that it has the model loaded.';
  return 'The server refused the request: check EMBEDDING_MODEL, EMBEDDING_DIMENSIONS and EMBEDDING_BATCH_SIZE.';
}
