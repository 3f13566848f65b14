import { createHash } from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { CairnError } from '../core/errors.js';
import { openDataFile } from '../core/sqlite-file.js';

export const CACHE_FILE = 'embedding-cache.sqlite';

/** sha256 of the exact text that was embedded: the cache key beside the embedder's id. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Vectors already computed, keyed by (embedder id, text hash), in `<dataDir>/embedding-cache.sqlite`.
 * Survives re-ingests and rebuilds, so an unchanged chunk is never embedded twice by the same model.
 */
export class VectorCache {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string, string], { vector: Buffer }>;
  private readonly insert: Database.Statement<[string, string, Buffer]>;

  constructor(dataDir: string) {
    const file = path.join(dataDir, CACHE_FILE);
    try {
      this.db = openDataFile(
        dataDir,
        CACHE_FILE,
        `CREATE TABLE IF NOT EXISTS vectors (
           embedder TEXT NOT NULL,
           hash TEXT NOT NULL,
           vector BLOB NOT NULL,
           PRIMARY KEY (embedder, hash)
         ) WITHOUT ROWID`,
      );
    } catch (cause) {
      throw new CairnError('STORE_UNAVAILABLE', `Cannot open the embedding cache at ${file}: ${(cause as Error).message}. Check that CAIRN_DATA_DIR is writable.`, {
        cause,
        userMessage: 'Search is unavailable right now.',
      });
    }
    this.select = this.db.prepare('SELECT vector FROM vectors WHERE embedder = ? AND hash = ?');
    this.insert = this.db.prepare('INSERT OR REPLACE INTO vectors (embedder, hash, vector) VALUES (?, ?, ?)');
  }

  /** One entry per hash, same order; undefined where nothing of `dimensions` floats is stored. */
  getMany(embedderId: string, dimensions: number, hashes: string[]): (Float32Array | undefined)[] {
    return this.db.transaction(() =>
      hashes.map((hash) => {
        const row = this.select.get(embedderId, hash);
        if (!row || row.vector.byteLength !== dimensions * Float32Array.BYTES_PER_ELEMENT) return undefined;
        return fromBlob(row.vector);
      }),
    )();
  }

  putMany(embedderId: string, entries: { hash: string; vector: Float32Array }[]): void {
    this.db.transaction(() => {
      for (const { hash, vector } of entries) this.insert.run(embedderId, hash, toBlob(vector));
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Copies into a fresh, aligned buffer: SQLite's Buffer may start at any byte offset. */
function fromBlob(blob: Buffer): Float32Array {
  return new Float32Array(new Uint8Array(blob).buffer);
}
