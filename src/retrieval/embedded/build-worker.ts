/** Worker-thread entry of build-thread.ts: owns the new generation's database, writes into it and seals it. */
import { parentPort, workerData } from 'node:worker_threads';
import { isCairnError } from '../../core/errors.js';
import { createGenerationDb, sealGeneration, type BuildJob } from './build-target.js';
import type { BuildReply, BuildRequest } from './build-thread.js';
import type { IndexDb } from './database.js';
import { writeDocument } from './writes.js';

const job = workerData as BuildJob;
const port = parentPort!;

function failure(id: number, err: unknown): BuildReply {
  const e = err as { code?: unknown; message?: unknown };
  return {
    id,
    ok: false,
    error: { message: String(e?.message ?? err), code: typeof e?.code === 'string' ? e.code : undefined, cairn: isCairnError(err) },
  };
}

let db: IndexDb | null = null;
try {
  db = createGenerationDb(job);
  port.postMessage({ id: 0, ok: true } satisfies BuildReply);
} catch (err) {
  port.postMessage(failure(0, err));
}

port.on('message', (req: BuildRequest) => {
  try {
    if (!db) throw new Error('the new generation database could not be created');
    if (req.kind === 'write') {
      writeDocument(db, req.doc, job.embedder);
      port.postMessage({ id: req.id, ok: true } satisfies BuildReply);
    } else if (req.kind === 'seal') {
      const vectors = sealGeneration(db, job);
      db = null;
      port.postMessage({ id: req.id, ok: true, seq: vectors.seq } satisfies BuildReply);
    } else {
      if (db.db.open) db.close();
      db = null;
      port.postMessage({ id: req.id, ok: true } satisfies BuildReply);
    }
  } catch (err) {
    port.postMessage(failure(req.id, err));
  }
});
