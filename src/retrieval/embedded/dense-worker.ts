/** Worker-thread entry of dense-rebuild.ts: builds the requested HNSW graphs from SQLite and writes them out. */
import { parentPort, workerData } from 'node:worker_threads';
import { IndexDb } from './database.js';
import type { RebuildJob, RebuildReply } from './dense-rebuild.js';
import { openDatabase } from './schema.js';
import { VectorIndex } from './vector-index.js';

const job = workerData as RebuildJob;
let reply: RebuildReply;
try {
  const db = new IndexDb(openDatabase(job.dbFile, { create: false }));
  try {
    const vectors = VectorIndex.build(db, job.dimensions, job.params, job.groups ?? undefined);
    vectors.writeTo(job.outDir);
    reply = { kind: 'built', seq: vectors.seq };
  } finally {
    db.close();
  }
} catch (err) {
  reply = { kind: 'failed', message: (err as Error).message };
}
parentPort?.postMessage(reply);
