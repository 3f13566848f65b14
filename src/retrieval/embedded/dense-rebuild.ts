import fs from 'node:fs';
import { siblingEntry, startWorker } from '../../core/module-entry.js';
import type { HnswParams } from './vector-index.js';

/** What the rebuild worker (dense-worker.ts) builds: the HNSW graphs of `groups` (every group when null). */
export interface RebuildJob {
  dbFile: string;
  /** Where the worker writes the graphs and their manifest, as a snapshot directory. */
  outDir: string;
  dimensions: number;
  params: HnswParams;
  groups: string[] | null;
}

export type RebuildReply = { kind: 'built'; seq: number } | { kind: 'failed'; message: string };

export interface RunningRebuild {
  /** The seq the graphs in `outDir` reflect. */
  built: Promise<number>;
  /** Stops the worker and deletes what it wrote. */
  cancel(): void;
}

const entry = siblingEntry(import.meta.url, 'dense-worker');

/**
 * Builds HNSW graphs from SQLite on a worker thread, so that a rebuild of a large index never stalls
 * the event loop of a process that is answering questions. usearch and better-sqlite3 are both
 * N-API addons and load in a worker; the graphs come back as files because a native index cannot
 * be handed between threads.
 */
export function rebuildInWorker(job: RebuildJob): RunningRebuild {
  const worker = startWorker(entry, { workerData: job });
  let settled = false;
  const built = new Promise<number>((resolve, reject) => {
    worker.once('message', (reply: RebuildReply) => {
      settled = true;
      if (reply.kind === 'built') resolve(reply.seq);
      else reject(new Error(reply.message));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the HNSW rebuild worker exited with code ${code}`));
    });
  });
  return {
    built,
    cancel() {
      void worker.terminate().finally(() => fs.rmSync(job.outDir, { recursive: true, force: true }));
    },
  };
}
