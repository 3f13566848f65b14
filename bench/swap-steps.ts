/**
 * What the swap to a freshly built generation costs the thread that serves questions, step by step.
 *   node --import tsx bench/swap-steps.ts [--chunks 100000] [--dir /tmp/cairn-swap-steps] [--runs 3]
 * Builds one generation the way a full re-index seals it (sealGeneration: SQLite + FTS5, HNSW graphs
 * saved as a snapshot, BM25 term counts, WAL checkpoint), with the rebuild-stall bench's data: 512-d
 * clustered vectors, one chunk in 20 in the `hr` group and the rest in `public`. `--dir` keeps it
 * for the next run. Then it times, on this thread, each step the bot takes at the swap: checksums,
 * usearch `load` versus `view` of each group's graph, opening the SQLite file, the first searches,
 * closing and deleting a generation. Prints a table of milliseconds (median of `--runs`) and one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { Chunk } from '../src/core/documents.js';
import { createGenerationDb, sealGeneration, type BuildJob } from '../src/retrieval/embedded/build-target.js';
import { DEFAULT_SPARSE, sparseSearch } from '../src/retrieval/embedded/sparse.js';
import { OpenGeneration } from '../src/retrieval/embedded/generation.js';
import { listSnapshots, verifySnapshot, verifySnapshotAsync } from '../src/retrieval/embedded/snapshot.js';
import { DEFAULT_HNSW, VectorIndex } from '../src/retrieval/embedded/vector-index.js';
import { writeDocument } from '../src/retrieval/embedded/writes.js';
import { rng } from '../test/retrieval/embedded/fixtures.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100000' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'cairn-swap-steps') },
    runs: { type: 'string', default: '3' },
  },
});
const CHUNKS = Number(values.chunks);
const RUNS = Number(values.runs);
const DIMENSIONS = 512;
const CHUNKS_PER_DOC = 5;
const WORDS = 'leave vacation deploy rotate key manager rota oncall release branch review merge build cache index query answer source group token secret policy budget travel expense laptop access channel thread'.split(' ');
const embedder = { id: 'bench-cluster', dimensions: DIMENSIONS };
const progress = (msg: string) => process.stderr.write(`[swap-steps] ${msg}\n`);
const logger = pino({ level: 'silent' });

const genDir = path.join(values.dir, `gen-${CHUNKS}`);

function build(): void {
  fs.rmSync(genDir, { recursive: true, force: true });
  fs.mkdirSync(genDir, { recursive: true });
  const job: BuildJob = { dir: genDir, embedder, hnsw: DEFAULT_HNSW, hnswThreads: 0 };
  const db = createGenerationDb(job);
  const next = rng(5);
  const centres = Array.from({ length: 256 }, () => Float32Array.from({ length: DIMENSIONS }, () => next() - 0.5));
  const words = rng(9);
  let started = performance.now();
  for (let d = 0; d * CHUNKS_PER_DOC < CHUNKS; d++) {
    const docId = `bench/doc-${d}.md`;
    const group = d % 20 === 0 ? 'hr' : 'public';
    const n = Math.min(CHUNKS_PER_DOC, CHUNKS - d * CHUNKS_PER_DOC);
    const chunks: Chunk[] = Array.from({ length: n }, (_, i) => ({
      id: `${docId}#${i}`, docId, source: docId, title: `Document ${d}`, headingPath: [`Section ${i + 1}`], chunkIndex: i, totalChunks: n,
      contentHash: `h${d}-${i}`, accessGroup: group,
      text: Array.from({ length: 120 }, () => WORDS[Math.floor(words() * WORDS.length)]).join(' ') + ` doc${d} part${i}`,
    }));
    const vectors = chunks.map(() => {
      const c = centres[Math.floor(next() * centres.length)]!;
      return Float32Array.from(c, (x) => x + (next() - 0.5) * 0.65);
    });
    writeDocument(db, { document: { docId, source: docId, title: `Document ${d}`, hash: `v1-${d}`, accessGroup: group }, chunks, vectors }, embedder);
  }
  progress(`wrote ${CHUNKS} chunks in ${((performance.now() - started) / 1000).toFixed(1)} s; sealing`);
  started = performance.now();
  sealGeneration(db, job);
  progress(`sealed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  fs.writeFileSync(path.join(genDir, 'DONE'), '');
}

if (!fs.existsSync(path.join(genDir, 'DONE'))) build();
const snap = listSnapshots(genDir)[0]!;
const manifest = verifySnapshot(snap.dir, snap.seq, DIMENSIONS);

const time = (fn: () => unknown): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;
const newIndex = () =>
  new Index({ dimensions: DIMENSIONS, metric: MetricKind.Cos, quantization: ScalarKind.F32, connectivity: DEFAULT_HNSW.connectivity, expansion_add: DEFAULT_HNSW.expansionAdd, expansion_search: DEFAULT_HNSW.expansionSearch, multi: false });

/** The longest the event loop went without a turn while `work` ran, sampled by a 1 ms timer. */
async function longestHold(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await work();
  clearInterval(timer);
  return Math.max(worst, performance.now() - last);
}

const query = Float32Array.from({ length: DIMENSIONS }, (_, i) => Math.sin(i));
const queryNoise = rng(11);
const queries = Array.from({ length: 100 }, () => Float32Array.from({ length: DIMENSIONS }, () => queryNoise() - 0.5));
const rows: Record<string, number[]> = {};
const add = (name: string, ms: number) => (rows[name] ??= []).push(ms);

for (let run = 0; run < RUNS; run++) {
  add('checksums, synchronous (verifySnapshot)', time(() => verifySnapshot(snap.dir, snap.seq, DIMENSIONS)));
  add('checksums, asynchronous: longest hold', await longestHold(() => verifySnapshotAsync(snap.dir, snap.seq, DIMENSIONS)));
  for (const entry of manifest.groups) {
    const file = path.join(snap.dir, entry.file);
    const loaded = newIndex();
    add(`usearch load, ${entry.group} (${entry.vectors} vectors)`, time(() => loaded.load(file)));
    const viewed = newIndex();
    add(`usearch view, ${entry.group} (${entry.vectors} vectors)`, time(() => viewed.view(file)));
    add(`first search, loaded ${entry.group}`, time(() => loaded.search(query, 10, 1)));
    add(`first search, viewed ${entry.group}`, time(() => viewed.search(query, 10, 1)));
    // Different queries touch different parts of the graph: a mapped file's pages fault in on first touch.
    add(`next 100 searches, viewed ${entry.group}`, time(() => { for (let i = 0; i < 100; i++) viewed.search(queries[i]!, 10, 1); }));
    add(`next 100 searches, loaded ${entry.group}`, time(() => { for (let i = 0; i < 100; i++) loaded.search(queries[i]!, 10, 1); }));
    add(`the same 100 again, viewed ${entry.group}`, time(() => { for (let i = 0; i < 100; i++) viewed.search(queries[i]!, 10, 1); }));
    add(`the same 100 again, loaded ${entry.group}`, time(() => { for (let i = 0; i < 100; i++) loaded.search(queries[i]!, 10, 1); }));
  }
  add('VectorIndex.load (checksums, then every group)', time(() => VectorIndex.load(snap.dir, snap.seq, DIMENSIONS, DEFAULT_HNSW)));
  let gen: OpenGeneration | null = null;
  add('open the SQLite file (OpenGeneration.open)', time(() => (gen = OpenGeneration.open({ name: path.basename(genDir), dir: genDir }, DEFAULT_HNSW, logger))));
  const g = gen! as OpenGeneration;
  add('first BM25 search on the new file', time(() => sparseSearch(g.db, 'how many vacation leave days do we get', 10, undefined, DEFAULT_SPARSE)));
  add('next BM25 search', time(() => sparseSearch(g.db, 'how many vacation leave days do we get', 10, undefined, DEFAULT_SPARSE)));
  add('close the generation (OpenGeneration.close)', time(() => g.close(false)));
}

// Deleting a superseded generation (layout.removeStale) is a recursive rm of one of this size.
const copy = `${genDir}-copy`;
fs.cpSync(genDir, copy, { recursive: true });
const rmMs = time(() => fs.rmSync(copy, { recursive: true, force: true }));

const bytes = fs.readdirSync(genDir, { recursive: true }).reduce((n: number, f) => {
  const st = fs.statSync(path.join(genDir, String(f)));
  return n + (st.isFile() ? st.size : 0);
}, 0);
console.log(`Swap steps for a ${CHUNKS}-chunk generation (${(bytes / 2 ** 20).toFixed(0)} MiB on disk), median of ${RUNS} runs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const result: Record<string, number> = {};
for (const [name, ms] of Object.entries(rows)) {
  result[name] = round(median(ms));
  console.log(`${name.padEnd(52)}${String(result[name]).padStart(10)} ms`);
}
result['delete a generation of this size (rmSync)'] = round(rmMs);
console.log(`${'delete a generation of this size (rmSync)'.padEnd(52)}${String(round(rmMs)).padStart(10)} ms`);
console.log(JSON.stringify({ bench: 'swap-steps', chunks: CHUNKS, loadavg: os.loadavg(), ms: result }));
