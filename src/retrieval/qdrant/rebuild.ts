import type { QdrantClient } from '@qdrant/js-client-rest';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DocumentWrite, IndexBuild } from '../../core/store.js';
import type { CollectionLayout } from './collection.js';
import type { Bm25Params } from './sparse.js';
import { writeDocument } from './write.js';

type Guard = <T>(action: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Fills a fresh physical collection; readers keep using the alias until `commit()` swaps it over.
 * A crash before commit leaves an orphan `<collection>_<timestamp>` that serves nobody.
 */
export class QdrantIndexBuild implements IndexBuild {
  private state: 'open' | 'committed' | 'aborted' = 'open';

  constructor(
    private readonly client: QdrantClient,
    private readonly layout: CollectionLayout,
    private readonly physical: string,
    private readonly bm25: Bm25Params,
    private readonly guard: Guard,
    private readonly logger: Logger,
  ) {}

  async write(doc: DocumentWrite): Promise<void> {
    this.assertOpen();
    await this.guard('write a document into the new collection', () => writeDocument(this.client, this.physical, doc, this.bm25));
  }

  async commit(): Promise<void> {
    this.assertOpen();
    const previous = await this.guard('swap the collection alias', async () => {
      await this.layout.touch(this.physical);
      return this.layout.swap(this.physical);
    });
    this.state = 'committed';
    this.logger.info({ collection: this.physical, alias: this.layout.alias }, 'qdrant rebuild committed');
    if (previous === null) return;
    // The swap already happened; a leftover old collection wastes space but serves nobody.
    await this.layout.drop(previous).catch((err: unknown) => {
      this.logger.warn({ err, collection: previous }, 'could not delete the replaced Qdrant collection; delete it by hand');
    });
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.guard('delete the unfinished collection', () => this.layout.drop(this.physical));
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new CairnError('INPUT', `This index build was already ${this.state}; start a new rebuild.`);
  }
}
