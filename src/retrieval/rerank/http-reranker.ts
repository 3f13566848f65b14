import { z } from 'zod';
import { indexText } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Reranker } from '../../core/retriever.js';
import type { SearchHit } from '../../core/search.js';

/**
 * Which body the server takes. `documents`: Cohere, Jina and vLLM — {model, query, documents, top_n}
 * → {results: [{index, relevance_score}]}. `texts`: Hugging Face TEI — {query, texts} → [{index, score}].
 * `auto` sends the first and switches to the second for good when the server answers 422/400, which
 * is how TEI refuses a body without `texts`.
 */
export type RerankProtocol = 'auto' | 'documents' | 'texts';

export interface HttpRerankerOptions {
  /** The endpoint, or a base URL to which `/rerank` is added. */
  url: string;
  apiKey?: string;
  model?: string;
  timeoutMs?: number;
  protocol?: RerankProtocol;
  logger: Logger;
}

const Scored = z.object({ index: z.number().int().nonnegative() });
const DocumentsResponse = z.object({ results: z.array(Scored.extend({ relevance_score: z.number() })) });
const TextsResponse = z.array(Scored.extend({ score: z.number() }));

function endpoint(url: string): string {
  const u = new URL(url);
  if (!/\/rerank\/?$/.test(u.pathname)) u.pathname = `${u.pathname.replace(/\/+$/, '')}/rerank`;
  return u.toString();
}

/** Reads either response shape, whatever was asked, since some servers answer one for the other. */
function scores(body: unknown): Array<{ index: number; score: number }> {
  const documents = DocumentsResponse.safeParse(body);
  if (documents.success) return documents.data.results.map((r) => ({ index: r.index, score: r.relevance_score }));
  const texts = TextsResponse.safeParse(body);
  if (texts.success) return texts.data;
  throw new Error('the response is neither {results: [{index, relevance_score}]} nor [{index, score}]');
}

async function failure(res: Response): Promise<string> {
  return `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
}

/** A cross-encoder (or any scorer) behind the common HTTP `/rerank` shape. */
export class HttpReranker implements Reranker {
  readonly id: string;
  /** Each candidate is a model input: the top 30 keep a cross-encoder's latency in check. */
  readonly candidates = 30;
  private readonly url: string;
  private protocol: RerankProtocol;

  constructor(private readonly opts: HttpRerankerOptions) {
    this.url = endpoint(opts.url);
    this.protocol = opts.protocol ?? 'auto';
    this.id = `http:${opts.model ?? new URL(this.url).host}`;
  }

  async rerank(query: string, hits: SearchHit[], k: number): Promise<SearchHit[]> {
    if (hits.length === 0) return [];
    const texts = hits.map((h) => indexText(h.chunk));
    try {
      let res = await this.post(this.protocol === 'texts' ? 'texts' : 'documents', query, texts, k);
      if (this.protocol === 'auto' && (res.status === 422 || res.status === 400)) {
        const refusal = await failure(res);
        res = await this.post('texts', query, texts, k);
        // Neither body worked: the first refusal is the one that explains the problem.
        if (!res.ok) throw new Error(refusal);
        this.protocol = 'texts';
        this.opts.logger.info({ url: this.url }, 'reranker takes the TEI {query, texts} body');
      } else if (this.protocol === 'auto' && res.ok) {
        this.protocol = 'documents';
      }
      if (!res.ok) throw new Error(await failure(res));
      const ranked = scores(await res.json());
      for (const r of ranked) if (r.index >= hits.length) throw new Error(`result index ${r.index} is out of range for ${hits.length} documents`);
      return ranked
        .sort((a, b) => b.score - a.score)
        .slice(0, k)
        .map((r) => ({ chunk: hits[r.index]!.chunk, score: r.score }));
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : err instanceof Error ? err.message : String(err);
      throw new CairnError('RERANKER_UNAVAILABLE', `Reranker at ${this.url} failed: ${reason}. Check RERANK_URL, or set RERANKER=lexical or off.`, {
        cause: err,
        userMessage: 'Search ranking is unavailable right now.',
      });
    }
  }

  private get timeoutMs(): number {
    return this.opts.timeoutMs ?? 10_000;
  }

  private post(shape: 'documents' | 'texts', query: string, texts: string[], k: number): Promise<Response> {
    const body =
      shape === 'texts'
        ? { query, texts }
        : { ...(this.opts.model ? { model: this.opts.model } : {}), query, documents: texts, top_n: Math.min(k, texts.length) };
    return fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}
