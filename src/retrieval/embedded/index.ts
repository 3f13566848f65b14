import { CairnError, isCairnError } from '../../core/errors.js';
import { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';

export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';
export type { HnswParams } from './vector-index.js';
export type { DenseOptions } from './dense.js';
export type { SparseOptions } from './sparse.js';

/** Opens (or prepares to create) the embedded index under `<dataDir>/index/`, cleaning up after crashed re-indexes. */
export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const store = new EmbeddedStore(opts);
  try {
    store.open();
  } catch (err) {
    if (isCairnError(err)) throw err;
    throw new CairnError('STORE_UNAVAILABLE', `Cannot open the embedded index in ${opts.dataDir}: ${(err as Error).message}`, {
      cause: err,
      userMessage: 'The search index is unavailable right now.',
    });
  }
  return store;
}
