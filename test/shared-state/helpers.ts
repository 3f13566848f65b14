import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { connectRedis, redisReady } from '../../src/shared-state/redis.js';
import type { SharedStateErrorSink, SharedStore } from '../../src/shared-state/errors.js';
import { freePort } from '../helpers/free-port.js';

/** The machine's Redis (`.ci/run` sets it); suites that need it are skipped, by name, without it. */
export const REDIS_URL = process.env.REDIS_URL;
export const DATABASE_URL = process.env.DATABASE_URL;
export const silent = pino({ level: 'silent' });

/**
 * A connection whose keys all start with a prefix of its own, so test files running in parallel
 * never see each other's keys; `cleanup` deletes them.
 */
export async function isolatedRedis(url = REDIS_URL!): Promise<{ redis: Redis; cleanup: () => Promise<void> }> {
  const prefix = `cairn-test:${randomUUID().slice(0, 8)}:`;
  const redis = connectRedis(url, silent, { keyPrefix: prefix });
  if (!(await redisReady(redis, 5000))) throw new Error(`Redis at ${url} is not reachable`);
  return {
    redis,
    cleanup: async () => {
      const keys = await redis.keys(`${prefix}*`).catch(() => [] as string[]);
      // KEYS returns full names; the client adds the prefix again to commands, so strip it.
      if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length))).catch(() => undefined);
      redis.disconnect();
    },
  };
}

/** Records what a store reported, for the failure tests. */
export function errorRecorder(): { sink: SharedStateErrorSink; stores: SharedStore[]; errors: unknown[] } {
  const stores: SharedStore[] = [];
  const errors: unknown[] = [];
  return { sink: (store, err) => void (stores.push(store), errors.push(err)), stores, errors };
}


/**
 * A Redis of the test's own, on a port of its own, that the test may stop and start again: the
 * machine's shared server is never touched. `stop` kills it; `start` brings it back on the same port.
 */
export async function ownRedis(): Promise<{ url: string; start: () => Promise<void>; stop: () => Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
    });
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

/** Polls until `check` holds (the client reconnects on its own schedule). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const skipWithout = (name: string, value: string | undefined) => (value ? '' : ` (skipped: ${name} is not set)`);

/** A PostgreSQL schema of its own per store, so test files running in parallel never share tables. */
export function pgSchema(): { schema: string; drop: () => Promise<void> } {
  const schema = `cairn_test_${randomUUID().slice(0, 8)}`;
  return {
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
