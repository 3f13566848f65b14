import { CairnError } from '../../core/errors.js';

/** Which embedder (and so which vector space) an index was built with. */
export interface EmbedderStamp {
  id: string;
  dimensions: number;
}

export function assertSameEmbedder(stored: EmbedderStamp | null, configured: EmbedderStamp): void {
  if (!stored || (stored.id === configured.id && stored.dimensions === configured.dimensions)) return;
  throw new CairnError(
    'EMBEDDER_MISMATCH',
    `The index was built with ${stored.id} (${stored.dimensions}-d) but the configured embedder is ${configured.id} ` +
      `(${configured.dimensions}-d): re-index needed — run \`cairn ingest --full <paths>\`.`,
    { userMessage: 'The search index needs to be rebuilt before I can search it.' },
  );
}
