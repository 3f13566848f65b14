import type { RetrieveOptions, Retriever } from '../core/retriever.js';
import type { SearchHit } from '../core/search.js';
import type { Metrics } from './metrics.js';

/** Records rag_retrieval_latency_seconds and rag_retrieval_total around any Retriever. */
export class InstrumentedRetriever implements Retriever {
  constructor(private readonly inner: Retriever, private readonly metrics: Metrics) {}

  async search(query: string, options: RetrieveOptions): Promise<SearchHit[]> {
    const stop = this.metrics.retrievalLatency.startTimer({ mode: options.mode ?? 'hybrid' });
    try {
      const hits = await this.inner.search(query, options);
      this.metrics.retrievalTotal.inc({ status: hits.length > 0 ? 'success' : 'empty' });
      return hits;
    } catch (err) {
      this.metrics.retrievalTotal.inc({ status: 'error' });
      throw err;
    } finally {
      stop();
    }
  }
}
