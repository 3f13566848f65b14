import type { Worker } from 'node:worker_threads';
import { CairnError, type ErrorCode } from '../../core/errors.js';
import { siblingEntry, startWorker } from '../../core/module-entry.js';
import type { DocumentWrite } from '../../core/store.js';
import type { BuildJob, BuildTarget } from './build-target.js';
import { snapshotDir } from './snapshot.js';
import { VectorIndex } from './vector-index.js';
import { checkVectors } from './writes.js';

type Request = { kind: 'write'; doc: DocumentWrite } | { kind: 'seal' } | { kind: 'close' };
export type BuildRequest = Request & { id: number };
export type BuildReply = { id: number; ok: true; seq?: number } | { id: number; ok: false; error: { message: string; code: string | undefined; cairn: boolean } };

/**
 * Documents sent to the worker and not yet written. Enough to keep it busy while the caller embeds
 * the next batch; few enough that a failed write is reported within a batch of the document.
 */
const WRITES_IN_FLIGHT = 32;

const entry = siblingEntry(import.meta.url, 'build-worker');

/** An error from the worker, as the caller would have seen it thrown here: the same code and message. */
function revive(error: { message: string; code: string | undefined; cairn: boolean }): Error {
  if (error.cairn && error.code) return new CairnError(error.code as ErrorCode, error.message);
  return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
}

/**
 * A full re-index on a worker thread (build-worker.ts), so that a process answering questions keeps
 * answering while it runs: the SQLite and FTS5 writes, the HNSW build (usearch is synchronous), the
 * snapshot, the BM25 term counts and the WAL checkpoint all happen there. The worker's HNSW index
 * cannot cross threads, so this thread maps the snapshot the worker saved (VectorIndex.loadAsync):
 * no graph is copied onto this thread's heap.
 */
export class WorkerTarget implements BuildTarget {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: BuildReply & { ok: true }) => void; reject: (e: Error) => void }>();
  private readonly unacked: Array<Promise<unknown>> = [];
  private crashed: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly job: BuildJob,
  ) {
    worker.on('message', (reply: BuildReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply);
      else w.reject(revive(reply.error));
    });
    worker.once('error', (err) => this.fail(err));
    worker.once('exit', (code) => this.fail(new Error(`the index build worker exited with code ${code}`)));
  }

  /** Starts the worker and waits until it has created the generation's database. */
  static async start(job: BuildJob): Promise<WorkerTarget> {
    const target = new WorkerTarget(startWorker(entry, { workerData: job }), job);
    try {
      await target.reply(0);
    } catch (err) {
      await target.worker.terminate();
      throw err;
    }
    return target;
  }

  /** Sends the document and returns at once, unless WRITES_IN_FLIGHT are still unwritten: then it waits for the oldest. */
  async write(doc: DocumentWrite): Promise<void> {
    // Checked here, so a bad document is refused by its own write().
    checkVectors(doc, this.job.embedder);
    const written = this.request({ kind: 'write', doc });
    // Awaited below or in seal(); until then a failure must not count as unhandled.
    written.catch(() => undefined);
    this.unacked.push(written);
    if (this.unacked.length > WRITES_IN_FLIGHT) await this.unacked.shift();
  }

  async seal(): Promise<VectorIndex> {
    for (const written of this.unacked.splice(0)) await written;
    const { seq } = await this.request({ kind: 'seal' });
    // Frees the worker's copy of the graphs before this thread maps the files.
    await this.worker.terminate();
    return VectorIndex.loadAsync(snapshotDir(this.job.dir, seq!), seq!, this.job.embedder.dimensions, this.job.hnsw);
  }

  async close(): Promise<void> {
    try {
      if (!this.crashed) await this.request({ kind: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(req: Request): Promise<BuildReply & { ok: true }> {
    const id = this.nextId++;
    const replied = this.reply(id);
    if (!this.crashed) this.worker.postMessage({ ...req, id });
    return replied;
  }

  private reply(id: number): Promise<BuildReply & { ok: true }> {
    if (this.crashed) return Promise.reject(this.crashed);
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /** The worker died: every request still waiting fails with why. */
  private fail(err: Error): void {
    this.crashed ??= err;
    for (const w of this.waiting.values()) w.reject(this.crashed);
    this.waiting.clear();
  }
}
