import type { QdrantClient } from '@qdrant/js-client-rest';
import { z } from 'zod';
import { CairnError } from '../../core/errors.js';
import { DENSE, INDEXED_FIELDS, SPARSE } from './points.js';
import type { Bm25Params } from './sparse.js';

/**
 * Where the index lives: an alias `<collection>` pointing at a physical `<collection>_<timestamp>`.
 * Readers and writers use the alias, so a rebuild fills a fresh physical collection and swaps the
 * alias in one atomic `update_aliases` call. What built the index (embedder, BM25 constants) is kept
 * in the collection's own metadata (Qdrant ≥ 1.16), so it travels with the vectors through the swap
 * and needs no reserved point or side collection.
 */

const METADATA_VERSION = 1;

const Metadata = z.object({
  cairnMetadata: z.literal(METADATA_VERSION),
  embedderId: z.string(),
  embedderDimensions: z.number().int(),
  bm25: z.object({ k1: z.number(), b: z.number(), avgLength: z.number() }),
  updatedAt: z.string(),
});
export type IndexMetadata = z.infer<typeof Metadata>;

export interface LiveCollection {
  physical: string;
  metadata: IndexMetadata;
}

const MIN_VERSION = [1, 16] as const;

export class CollectionLayout {
  private lastStamp = 0;

  constructor(
    private readonly client: QdrantClient,
    readonly alias: string,
  ) {}

  /** Refuses servers without collection metadata and the RRF constant (both arrived in 1.16). */
  async checkServerVersion(url: string): Promise<void> {
    const { version } = await this.client.versionInfo();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
      throw new CairnError('STORE_UNAVAILABLE', `Qdrant at ${url} runs version ${version}; Cairn needs ${MIN_VERSION.join('.')} or later (collection metadata and the RRF constant). Upgrade Qdrant.`, {
        userMessage: 'The document index is unavailable right now.',
      });
    }
  }

  /** The physical collection the alias points at, or null when nothing has been indexed yet. */
  async current(): Promise<string | null> {
    const { aliases } = await this.client.getAliases();
    const found = aliases.find((a) => a.alias_name === this.alias);
    if (found) return found.collection_name;
    if ((await this.client.collectionExists(this.alias)).exists) {
      throw new CairnError('CONFIG', `Qdrant already has a collection named "${this.alias}" that is not an alias managed by Cairn. Delete it or set QDRANT_COLLECTION to another name.`);
    }
    return null;
  }

  async live(): Promise<LiveCollection | null> {
    const physical = await this.current();
    return physical === null ? null : { physical, metadata: await this.metadata(physical) };
  }

  async metadata(physical: string): Promise<IndexMetadata> {
    const info = await this.client.getCollection(physical);
    const parsed = Metadata.safeParse(info.config.metadata);
    if (!parsed.success) {
      throw new CairnError('STORE_UNAVAILABLE', `Qdrant collection "${physical}" has no Cairn metadata (embedder, BM25 constants); it was not created by this version of Cairn. Run a full re-index.`);
    }
    return parsed.data;
  }

  /** A new, empty physical collection with both vectors, the metadata and the payload indexes. */
  async create(embedder: { id: string; dimensions: number }, bm25: Bm25Params): Promise<string> {
    // Strictly increasing, so a rebuild started in the same millisecond as the first write gets its own name.
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const physical = `${this.alias}_${this.lastStamp}`;
    const metadata: IndexMetadata = {
      cairnMetadata: METADATA_VERSION,
      embedderId: embedder.id,
      embedderDimensions: embedder.dimensions,
      bm25: { ...bm25 },
      updatedAt: new Date().toISOString(),
    };
    // Through the raw API client: QdrantClient.createCollection (1.18) silently drops `metadata`.
    await this.client.api().createCollection({
      collection_name: physical,
      vectors: { [DENSE]: { size: embedder.dimensions, distance: 'Cosine' } },
      sparse_vectors: { [SPARSE]: { modifier: 'idf' } },
      metadata,
    });
    for (const index of INDEXED_FIELDS) {
      await this.client.createPayloadIndex(physical, { ...index, wait: true });
    }
    return physical;
  }

  /** Points the alias at `physical` in one atomic call; returns the collection it pointed at before. */
  async swap(physical: string): Promise<string | null> {
    const previous = await this.current();
    await this.client.updateCollectionAliases({
      actions: [
        ...(previous !== null ? [{ delete_alias: { alias_name: this.alias } }] : []),
        { create_alias: { collection_name: physical, alias_name: this.alias } },
      ],
    });
    return previous;
  }

  /** Metadata updates merge, so only the timestamp is sent. */
  async touch(physical: string): Promise<void> {
    await this.client.updateCollection(physical, { metadata: { updatedAt: new Date().toISOString() } });
  }

  async drop(physical: string): Promise<void> {
    await this.client.deleteCollection(physical);
  }
}
