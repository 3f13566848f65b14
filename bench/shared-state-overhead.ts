/**
 * What Redis and PostgreSQL add to one answer (issue 12, goal: ≤ 5 ms p95 on loopback).
 *   REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *   node --import tsx bench/shared-state-overhead.ts [--answers 1000]
 * Runs the shared-state calls an answer in a thread awaits, in order, once with the in-process
 * implementations and once with the shared ones: two delivery claims (the Slack event and its
 * message twin), the rate limit, the thread-participation check, the thread lock taken and
 * released, the thread remembered, and thread memory read and written by a one-node LangGraph graph
 * with the checkpointer (durability "exit", as the agent runs). Recording the answer for feedback is
 * not awaited by an answer, so it is left out. Prints p50/p95 per mode and the difference; one JSON
 * line last.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Annotation, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import pg from 'pg';
import { pino } from 'pino';
import { createCheckpointer } from '../src/agent/checkpointer.js';
import { MemoryDedupe, RedisDedupe, type DeliveryDedupe } from '../src/shared-state/dedupe.js';
import { MemoryLeases, RedisLeases } from '../src/shared-state/lease.js';
import { MemoryRateLimit, RedisRateLimit, type RateLimit } from '../src/shared-state/rate-limit.js';
import { connectRedis, redisReady } from '../src/shared-state/redis.js';
import { LeaseThreadLocks, type ThreadLocks } from '../src/shared-state/thread-lock.js';
import { MemoryThreadRegistry, RedisThreadRegistry, type ThreadRegistry } from '../src/shared-state/threads.js';

const { values } = parseArgs({ options: { answers: { type: 'string', default: '1000' } } });
const ANSWERS = Number(values.answers);
const { REDIS_URL, DATABASE_URL } = process.env;
if (!REDIS_URL || !DATABASE_URL) {
  process.stderr.write('Set REDIS_URL and DATABASE_URL (the servers this bench measures).\n');
  process.exit(2);
}
const silent = pino({ level: 'silent' });
const fail = (store: string, err: unknown) => {
  throw new Error(`${store} failed during the bench: ${String(err)}`);
};

interface Stores {
  dedupe: DeliveryDedupe;
  rateLimit: RateLimit;
  threads: ThreadRegistry;
  locks: ThreadLocks;
  saver: BaseCheckpointSaver;
}

function notebook(saver: BaseCheckpointSaver) {
  const State = Annotation.Root({ notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b].slice(-20), default: () => [] }) });
  return new StateGraph(State).addNode('keep', () => ({})).addEdge('__start__', 'keep').addEdge('keep', '__end__').compile({ checkpointer: saver });
}

interface Timing {
  total: number;
  /** The coordination calls alone (Redis when shared). */
  coordination: number;
  /** The graph run with its checkpoint read and write (PostgreSQL when shared). */
  memory: number;
}

/** One answer's awaited shared-state calls, timed. */
async function oneAnswer(s: Stores, graph: ReturnType<typeof notebook>, i: number, run: string): Promise<Timing> {
  const thread = `slack:C${i % 50}:${run}.${i % 200}`;
  const started = performance.now();
  await s.dedupe.claim(`slack:event:A1:T1:${run}-${i}`);
  await s.dedupe.claim(`slack:message:C${i % 50}:${run}-${i}`);
  await s.rateLimit.consume(`slack:U${i % 50}`);
  await s.threads.has(thread);
  const lock = await s.locks.acquire(thread, 60_000);
  const graphStarted = performance.now();
  await graph.invoke({ notes: [`turn ${i}`] }, { configurable: { thread_id: thread }, durability: 'exit' });
  const memory = performance.now() - graphStarted;
  await s.threads.remember(thread);
  await lock?.release();
  const total = performance.now() - started;
  return { total, memory, coordination: total - memory };
}

type Figures = Record<keyof Timing, { p50: number; p95: number }>;

async function measure(name: string, s: Stores): Promise<Figures> {
  const graph = notebook(s.saver);
  const run = randomUUID().slice(0, 8);
  for (let i = 0; i < 50; i += 1) await oneAnswer(s, graph, i, `warm-${run}`);
  const timings: Timing[] = [];
  for (let i = 0; i < ANSWERS; i += 1) timings.push(await oneAnswer(s, graph, i, run));
  process.stderr.write(`[bench] ${name}: ${ANSWERS} answers\n`);
  const figures = (key: keyof Timing) => {
    const ms = timings.map((t) => t[key]).sort((a, b) => a - b);
    const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]! * 100) / 100;
    return { p50: at(0.5), p95: at(0.95) };
  };
  return { total: figures('total'), coordination: figures('coordination'), memory: figures('memory') };
}

const points = 1_000_000; // never limited here: the limiter's cost is measured, not its refusals
const memory = await measure('in process', {
  dedupe: new MemoryDedupe(),
  rateLimit: new MemoryRateLimit({ points }),
  threads: new MemoryThreadRegistry(),
  locks: new LeaseThreadLocks(new MemoryLeases()),
  saver: createCheckpointer('memory', { dataDir: '', memoryThreads: 1000 }).saver,
});

const prefix = `cairn-bench:${randomUUID().slice(0, 8)}:`;
const redis = connectRedis(REDIS_URL, silent, { keyPrefix: prefix });
if (!(await redisReady(redis, 5000))) throw new Error(`Redis at ${REDIS_URL} is not reachable`);
const schema = `cairn_bench_${randomUUID().slice(0, 8)}`;
const checkpointer = createCheckpointer('postgres', { dataDir: '', memoryThreads: 1000, postgres: { url: DATABASE_URL, retentionDays: 30, logger: silent, schema, onError: fail } });
let shared: Figures;
try {
  shared = await measure('Redis + PostgreSQL', {
    dedupe: new RedisDedupe(redis, fail),
    rateLimit: new RedisRateLimit(redis, fail, { points }),
    threads: new RedisThreadRegistry(redis, fail),
    locks: new LeaseThreadLocks(new RedisLeases(redis, fail, { ttlMs: 15_000, store: 'thread_lock' })),
    saver: checkpointer.saver,
  });
} finally {
  await checkpointer.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
  redis.disconnect();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const row = (f: Figures) => (['total', 'coordination', 'memory'] as const).map((k) => `${k} p50 ${f[k].p50} / p95 ${f[k].p95} ms`).join('   ');
const added = { p50: Math.round((shared.total.p50 - memory.total.p50) * 100) / 100, p95: Math.round((shared.total.p95 - memory.total.p95) * 100) / 100 };
process.stdout.write(
  [
    `shared-state calls per answer (${ANSWERS} answers, sequential, loopback; coordination = Redis when shared, memory = checkpoint read + write)`,
    `  in process          ${row(memory)}`,
    `  Redis + PostgreSQL  ${row(shared)}`,
    `  added               total p50 ${added.p50} / p95 ${added.p95} ms   (goal: p95 ≤ 5 ms)`,
    '',
  ].join('\n'),
);
process.stdout.write(`${JSON.stringify({ answers: ANSWERS, in_process: memory, shared, added })}\n`);
