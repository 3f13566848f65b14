import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryClaims, RedisClaims, SqliteClaims, type Claims } from '../../src/shared-state/claims.js';
import { PgClaims } from '../../src/shared-state/pg-claims.js';
import { DATABASE_URL, isolatedRedis, pgSchema, REDIS_URL, skipWithout } from './helpers.js';

/** `open` makes a new store over the same data: a restart, or another replica. */
type Factory = () => Promise<{ open: () => Claims; cleanup: () => Promise<void> }>;

/** The behaviour every Claims must have. */
function runClaimsContract(name: string, make: Factory, opts: { durable: boolean; skip?: boolean }): void {
  const { durable, skip = false } = opts;
  describe.skipIf(skip)(`Claims contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    const opened: Claims[] = [];
    const open = () => {
      const c = made!.open();
      opened.push(c);
      return c;
    };
    afterEach(async () => {
      for (const c of opened.splice(0)) await c.close();
      await made?.cleanup();
      made = undefined;
    });

    it('gives a key to its first claim only, and again once released', async () => {
      made = await make();
      const c = open();
      expect(await c.claim('gaps-summary:slack:C1:2026-12-07T09')).toBe(true);
      expect(await c.claim('gaps-summary:slack:C1:2026-12-07T09')).toBe(false);
      expect(await c.claim('gaps-summary:slack:C1:2026-12-14T09')).toBe(true);
      await c.release('gaps-summary:slack:C1:2026-12-07T09');
      expect(await c.claim('gaps-summary:slack:C1:2026-12-07T09')).toBe(true);
    });

    it('gives one of many simultaneous claims, from as many replicas, the key', async () => {
      made = await make();
      const replicas = durable ? Array.from({ length: 5 }, open) : [open()];
      const got = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % replicas.length]!.claim('week')));
      expect(got.filter(Boolean)).toHaveLength(1);
    });

    // In-process claims are lost on restart by design.
    if (durable) it('keeps a claim across a restart', async () => {
      made = await make();
      const before = open();
      expect(await before.claim('week')).toBe(true);
      await before.close();
      opened.splice(opened.indexOf(before), 1);
      expect(await open().claim('week')).toBe(false);
    });
  });
}

runClaimsContract('in-process', async () => {
  const one = new MemoryClaims();
  return { open: () => one, cleanup: async () => undefined };
}, { durable: false });

runClaimsContract('claims.sqlite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-claims-'));
  return { open: () => new SqliteClaims(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
}, { durable: true });

runClaimsContract(
  `Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`,
  async () => {
    const { redis, cleanup } = await isolatedRedis();
    return { open: () => new RedisClaims(redis), cleanup };
  },
  { durable: true, skip: !REDIS_URL },
);

runClaimsContract(
  `PostgreSQL at DATABASE_URL${skipWithout('DATABASE_URL', DATABASE_URL)}`,
  async () => {
    const { schema, drop } = pgSchema();
    return { open: () => new PgClaims(DATABASE_URL!, { schema }), cleanup: drop };
  },
  { durable: true, skip: !DATABASE_URL },
);

describe.skipIf(!REDIS_URL)(`RedisClaims${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('lets a claim expire only after its TTL', async () => {
    const { redis, cleanup } = await isolatedRedis();
    try {
      const claims = new RedisClaims(redis, { ttlMs: 200 });
      expect(await claims.claim('week')).toBe(true);
      expect(await claims.claim('week')).toBe(false);
      await new Promise((r) => setTimeout(r, 300));
      expect(await claims.claim('week')).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
