import { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';

export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';
export type { HnswParams } from './vector-index.js';
export type { DenseOptions } from './dense.js';
export type { SparseOptions } from './sparse.js';

/**
 * Opens (or prepares to create) the embedded index under `<dataDir>/index/`. An index that cannot be
 * read does not stop this: its error comes with the first call that needs it, and `ingest --full`
 * can still rebuild it.
 */
export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const store = new EmbeddedStore(opts);
  store.open();
  return store;
}
