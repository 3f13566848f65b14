import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexText } from '../../../src/core/documents.js';
import { openEmbeddedStore } from '../../../src/retrieval/embedded/index.js';
import { SCHEMA_VERSION } from '../../../src/retrieval/embedded/schema.js';
import { EMBEDDER, fixtureDoc } from './fixtures.js';
import { capturingLogger, indexFiles } from './helpers.js';

const logger = pino({ level: 'silent' });
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Another process holding the index's write lock for `ms`; resolves once it holds it. */
async function holdWriteLock(file: string, ms: number): Promise<{ exited: Promise<number | null> }> {
  const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE');
    console.log('locked'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}); db.exec('COMMIT'); db.close();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    void exited.then((code) => reject(new Error(`lock holder exited (${code})`)));
  });
  return { exited };
}

/** Rewrites a current index as release 1 left it: a keyword index of the text alone, schema version 1. */
function downgradeToV1(file: string): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      db.exec('DROP TABLE chunks_fts');
      db.exec("CREATE VIRTUAL TABLE chunks_fts USING fts5 (body, content='', contentless_delete=1, tokenize='porter unicode61')");
      const rows = db.prepare('SELECT c.rowid AS rowid, c.title AS title, c.heading_path AS hp, t.text AS text FROM chunks c JOIN chunk_text t ON t.rowid = c.rowid').all() as Array<{
        rowid: number;
        title: string;
        hp: string;
        text: string;
      }>;
      for (const r of rows) {
        db.prepare('INSERT INTO chunks_fts (rowid, body) VALUES (?, ?)').run(r.rowid, indexText({ title: r.title, headingPath: JSON.parse(r.hp) as string[], text: r.text }));
      }
      db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
    })();
  } finally {
    db.close();
  }
}

describe('opening an index an earlier release wrote', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-migrate-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('upgrades it in place: the same keyword hits, group filters work, and no re-index is needed', async () => {
    const before = await openEmbeddedStore({ dataDir, logger });
    for (let i = 0; i < 30; i++) await before.upsertDocument(fixtureDoc(i, { accessGroup: i % 3 === 0 ? 'hr' : 'public' }), EMBEDDER);
    const want = (await before.searchSparse('alpha marker10', 10)).map((h) => `${h.chunk.id} ${h.score.toFixed(9)}`).sort();
    await before.close();
    const file = indexFiles(dataDir).db();
    downgradeToV1(file);

    const log = capturingLogger();
    const after = await openEmbeddedStore({ dataDir, logger: log.logger });
    try {
      // Said before and after: on a big index the upgrade takes a while.
      expect(log.lines.filter((l) => l.msg.startsWith('upgrading the index')).map((l) => l['chunks'])).toEqual([60]);
      expect(log.lines.filter((l) => l.msg === 'index upgraded to schema 2')).toHaveLength(1);
      expect((await after.searchSparse('alpha marker10', 10)).map((h) => `${h.chunk.id} ${h.score.toFixed(9)}`).sort()).toEqual(want);
      const hr = await after.searchSparse('alpha', 20, { accessGroups: ['hr'] });
      expect(hr.length).toBeGreaterThan(0);
      expect(hr.every((h) => h.chunk.accessGroup === 'hr')).toBe(true);
      // Writes after the upgrade land in the new layout.
      await after.upsertDocument(fixtureDoc(99, { accessGroup: 'hr' }), EMBEDDER);
      expect((await after.searchSparse('marker99', 5, { accessGroups: ['hr'] })).map((h) => h.chunk.id).sort()).toEqual(['doc-99.md#0', 'doc-99.md#1']);
    } finally {
      await after.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('refuses an index from a newer release with a message that says what to do, and leaves it as it was', async () => {
    const store = await openEmbeddedStore({ dataDir, logger });
    await store.upsertDocument(fixtureDoc(1), EMBEDDER);
    await store.close();
    const file = indexFiles(dataDir).db();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    const reopened = await (async () => {
      const s = await openEmbeddedStore({ dataDir, logger });
      try {
        return await s.searchSparse('alpha', 5);
      } finally {
        await s.close();
      }
    })().catch((err: unknown) => err);
    expect(String(reopened)).toMatch(/schema version 99, expected \d+: re-index with `cairn ingest --full/);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('99');
      expect(after.prepare('SELECT count(*) FROM chunks').pluck().get()).toBe(2);
    } finally {
      after.close();
    }
  });

  it('waits for another process writing the index, says why it waits, then upgrades it', async () => {
    const before = await openEmbeddedStore({ dataDir, logger });
    for (let i = 0; i < 6; i++) await before.upsertDocument(fixtureDoc(i, { accessGroup: 'hr' }), EMBEDDER);
    await before.close();
    const file = indexFiles(dataDir).db();
    downgradeToV1(file);
    // The upgrade's first try does not wait at all, so a short hold shows that it then waits (for
    // up to half an hour, where other statements give up after 10 s) and says so.
    const holder = await holdWriteLock(file, 1500);
    const log = capturingLogger();
    const started = Date.now();
    const after = await openEmbeddedStore({ dataDir, logger: log.logger });
    try {
      expect(Date.now() - started).toBeGreaterThan(500);
      expect(log.lines.some((l) => l.msg.startsWith('another process is writing the index'))).toBe(true);
      expect((await after.searchSparse('alpha', 5, { accessGroups: ['hr'] })).length).toBeGreaterThan(0);
    } finally {
      await after.close();
    }
    expect(await holder.exited).toBe(0);
  });
});
