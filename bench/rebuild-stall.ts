/**
 * Does a full re-index stall a running bot?
 *   node --import tsx bench/rebuild-stall.ts [--chunks 100000] [--every-ms 100] [--warmup-s 0]
 * Launches `cairn start`'s service (launch()) against the local fake Slack, answering extractively from
 * a small index, then rebuilds the embedded index with `--chunks` synthetic chunks through the same
 * path `cairn ingest --full` takes after chunking (embedAndWrite → IndexBuild.write, then commit). The
 * embedder is a cheap deterministic one (clustered 512-d vectors, no model), so the store's own work
 * is what is measured. Meanwhile one signed app_mention is sent every `--every-ms`: each HTTP ack is
 * timed, and each must be answered; with `--warmup-s`, questions start that long before the re-index,
 * so the bot's first answers (code compiled on first use) fall outside it. Event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms
 * resolution) is reported per phase: writing the new generation, and committing it; the longest
 * stalls are listed with when they began, so one at the swap (the end of the commit) stands out.
 * Prints a table and one JSON line.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { launch } from '../src/app/start.js';
import { loadConfig } from '../src/config/config.js';
import type { Chunk } from '../src/core/documents.js';
import type { Embedder } from '../src/core/embedder.js';
import { embedAndWrite, type WriteUnit } from '../src/ingest/embed-write.js';
import { silentProgress } from '../src/ingest/progress.js';
import { siblingEntry, startWorker } from '../src/core/module-entry.js';
import { EmbeddingServer } from '../test/embed/embedding-server.js';
import { startFakeSlack } from '../test/fakes/slack-server.js';
import type { Ack, SenderJob } from './slack-sender-worker.js';
import { rng } from '../test/retrieval/embedded/fixtures.js';

const { values } = parseArgs({
  options: { chunks: { type: 'string', default: '100000' }, 'every-ms': { type: 'string', default: '100' }, 'warmup-s': { type: 'string', default: '0' } },
});
const CHUNKS = Number(values.chunks);
const EVERY_MS = Number(values['every-ms']);
const DIMENSIONS = 512;
const CHUNKS_PER_DOC = 5;
const SECRET = 'bench-signing-secret';
const WORDS = 'leave vacation deploy rotate key manager rota oncall release branch review merge build cache index query answer source group token secret policy budget travel expense laptop access channel thread'.split(' ');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;
const progress = (msg: string) => process.stderr.write(`[rebuild-stall] ${msg}\n`);

/** Clustered vectors from the tests' seeded PRNG: cheap, deterministic, and not all alike (HNSW does real work); cosine needs no normalising. */
class ClusterEmbedder implements Embedder {
  private readonly next = rng(5);
  private readonly centres = Array.from({ length: 256 }, () => Float32Array.from({ length: DIMENSIONS }, () => this.next() - 0.5));
  constructor(readonly id: string, readonly dimensions: number) {}
  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map(() => {
      const c = this.centres[Math.floor(this.next() * this.centres.length)]!;
      return Float32Array.from(c, (x) => x + (this.next() - 0.5) * 0.65);
    });
  }
  async embedQuery(): Promise<Float32Array> {
    throw new Error('not used');
  }
}

function units(total: number): WriteUnit[] {
  const next = rng(9);
  const out: WriteUnit[] = [];
  for (let d = 0; d * CHUNKS_PER_DOC < total; d++) {
    const docId = `bench/doc-${d}.md`;
    const group = d % 20 === 0 ? 'hr' : 'public';
    const n = Math.min(CHUNKS_PER_DOC, total - d * CHUNKS_PER_DOC);
    const chunks: Chunk[] = Array.from({ length: n }, (_, i) => ({
      id: `${docId}#${i}`, docId, source: docId, title: `Document ${d}`, headingPath: [`Section ${i + 1}`], chunkIndex: i, totalChunks: n,
      contentHash: `h${d}-${i}`, accessGroup: group,
      text: Array.from({ length: 120 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ') + ` doc${d} part${i}`,
    }));
    out.push({ document: { docId, source: docId, title: `Document ${d}`, hash: `v1-${d}`, accessGroup: group }, chunks });
  }
  return out;
}

/** Every gap of more than STALL_MS between turns of a 5 ms timer: when it began (performance.now()) and how long it was. */
const STALL_MS = 100;
function stallRecorder() {
  const stalls: Array<{ at: number; ms: number; gcMs: number }> = [];
  // Garbage-collection pauses of this thread, to tell them from waiting for a core.
  const gcs: Array<{ at: number; ms: number }> = [];
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => ({ at: e.startTime, ms: e.duration }))));
  observer.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > STALL_MS) stalls.push({ at: last, ms: now - last, gcMs: 0 });
    last = now;
  }, 5);
  return {
    stalls,
    stop: () => {
      clearInterval(timer);
      observer.disconnect();
      for (const stall of stalls) stall.gcMs = gcs.filter((g) => g.at >= stall.at && g.at < stall.at + stall.ms).reduce((n, g) => n + g.ms, 0);
    },
  };
}

/** A stall is recorded when the monitor's timer finally fires: let it fire before reading. */
const settle = () => new Promise((r) => setTimeout(r, 30));

function delays(h: IntervalHistogram) {
  const ms = (ns: number) => round(ns / 1e6);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-rebuild-stall-'));
const fake = await startFakeSlack();
const embeddings = new EmbeddingServer();
const embeddingUrl = await embeddings.start();
await mkdir(path.join(dir, 'docs'));
await writeFile(path.join(dir, 'docs/leave.md'), '---\ntitle: Leave policy\n---\n\n# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
const config = loadConfig({
  CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent',
  SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
  EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${embeddingUrl}/v1`, EMBEDDING_DIMENSIONS: String(DIMENSIONS), RATE_LIMIT_PER_MINUTE: '10000',
});
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };
const app = await launch(config, io, { logger: pino({ level: 'silent' }) });
const url = `http://127.0.0.1:${app.port}/slack/events`;
const rt = app.cairn.runtime;

progress(`generating ${CHUNKS} chunks`);
const work = units(CHUNKS);
const embedder = new ClusterEmbedder(rt.embedder.id, rt.embedder.dimensions);

// Questions: one app_mention every EVERY_MS from another thread, until the rebuild has committed.
const sender = startWorker(siblingEntry(import.meta.url, 'slack-sender-worker'), {
  workerData: { url, secret: SECRET, everyMs: EVERY_MS, text: 'how many vacation leave days do we get?' } satisfies SenderJob,
});
const sent = new Promise<Ack[]>((resolve, reject) => {
  sender.once('message', resolve);
  sender.once('error', reject);
});
await new Promise((r) => setTimeout(r, Number(values['warmup-s']) * 1000));

const monitors: Record<string, IntervalHistogram> = { write: monitorEventLoopDelay({ resolution: 10 }), commit: monitorEventLoopDelay({ resolution: 10 }) };
const all = monitorEventLoopDelay({ resolution: 10 });
all.enable();
const recorder = stallRecorder();
monitors.write!.enable();
const started = performance.now();
const writeStartedAt = Date.now();
const build = await rt.store.beginRebuild({ id: rt.embedder.id, dimensions: rt.embedder.dimensions });
await embedAndWrite(work, (doc) => build.write(doc), embedder, silentProgress(), { batchSize: 64 });
const writeS = (performance.now() - started) / 1000;
progress(`wrote ${CHUNKS} chunks in ${writeS.toFixed(1)} s; committing`);
await settle();
monitors.write!.disable();
const commitStartedAt = Date.now();
monitors.commit!.enable();
const commitStarted = performance.now();
await build.commit();
const commitEnded = performance.now();
const commitS = (commitEnded - commitStarted) / 1000;
await settle();
recorder.stop();
monitors.commit!.disable();
all.disable();
const committedAt = Date.now();
sender.postMessage('stop');
const acks = await sent;
await sender.terminate();
progress(`committed in ${commitS.toFixed(1)} s; waiting for every answer`);
await fake.waitFor(() => fake.botMessages('C1').filter((m) => !m.blocks?.some((b) => b.block_id === 'cairn_progress') && true).length >= acks.filter((a) => a.status === 200).length, 120_000, 'every answer');
const info = await rt.store.info();
await app.shutdown('bench end');
await embeddings.stop();
await fake.close();
await rm(dir, { recursive: true, force: true });

const during = acks.filter((a) => a.sentAt >= writeStartedAt && a.sentAt < committedAt);
const ackMs = during.map((a) => a.ms);
const result = {
  chunks: CHUNKS,
  indexedAfter: info.chunks,
  writeS: round(writeS),
  commitS: round(commitS),
  events: during.length,
  failedDeliveries: during.filter((a) => a.status !== 200).length,
  ackMs: { p50: round(pct(ackMs, 50)), p95: round(pct(ackMs, 95)), max: round(Math.max(...ackMs)) },
  ackMsDuringCommit: (() => {
    const c = during.filter((a) => a.sentAt >= commitStartedAt).map((a) => a.ms);
    return { events: c.length, p95: round(pct(c, 95)), max: round(Math.max(...c)) };
  })(),
  loopDelayMs: { all: delays(all), write: delays(monitors.write!), commit: delays(monitors.commit!) },
  stallsOver100Ms: recorder.stalls.length,
  longestStalls: [...recorder.stalls]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map(({ at, ms, gcMs }) => ({ ms: round(ms), gcMs: round(gcMs), phase: at < commitStarted ? 'write' : 'commit', sBeforeCommitEnd: round((commitEnded - at) / 1000) })),
  gcMsInStalls: round(recorder.stalls.reduce((n, x) => n + x.gcMs, 0)),
  stallMsTotal: round(recorder.stalls.reduce((n, x) => n + x.ms, 0)),
};
console.log(`Full re-index of ${CHUNKS} chunks inside a running bot: written in ${result.writeS} s, committed in ${result.commitS} s`);
console.log(`Slack acks (${result.events} events, one per ${EVERY_MS} ms, ${result.failedDeliveries} failed): p50 ${result.ackMs.p50} ms, p95 ${result.ackMs.p95} ms, max ${result.ackMs.max} ms`);
console.log(`  during commit (${result.ackMsDuringCommit.events} events): p95 ${result.ackMsDuringCommit.p95} ms, max ${result.ackMsDuringCommit.max} ms`);
console.log('event-loop delay (ms)   p50      p99      max');
for (const [name, d] of Object.entries(result.loopDelayMs)) console.log(`${name.padEnd(22)}${String(d.p50).padStart(5)}${String(d.p99).padStart(9)}${String(d.max).padStart(9)}`);
console.log(`stalls over ${STALL_MS} ms: ${result.stallsOver100Ms}, ${result.stallMsTotal} ms in all, of which garbage collection ${result.gcMsInStalls} ms`);
console.log(`  longest: ${result.longestStalls.map((x) => `${x.ms} ms (gc ${x.gcMs} ms; ${x.phase}, ${x.sBeforeCommitEnd} s before the commit ended)`).join('; ')}`);
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(JSON.stringify({ bench: 'rebuild-stall', ...result, loadavg: os.loadavg() }));
