import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/retrieval/embedded/index.js';
import { groupToken, KEYWORD_TABLE } from '../../../src/retrieval/embedded/keyword-table.js';
import { EMBEDDER, fixtureDoc } from './fixtures.js';

const NAMES = ['hr', 'eng/ops', 'Ünïcode group', 'sales-emea', 'a.b_c', 'partners (external)', 'ed', 'ies'];

describe('groupToken', () => {
  it('turns any group name into one token that the Porter tokenizer stores unchanged, and distinct names into distinct tokens', () => {
    const db = new Database(':memory:');
    try {
      db.exec(KEYWORD_TABLE);
      db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, chunks_fts, 'row')");
      NAMES.forEach((name, i) => db.prepare('INSERT INTO chunks_fts (rowid, body, access_group) VALUES (?, ?, ?)').run(i + 1, '', groupToken(name)));
      const stored = db.prepare('SELECT term FROM temp.vocab ORDER BY term').pluck().all();
      expect(stored).toEqual(NAMES.map(groupToken).sort());
      expect(new Set(stored).size).toBe(NAMES.length);
    } finally {
      db.close();
    }
  });
});

describe('keyword search within access groups', () => {
  let dataDir: string;
  let store: EmbeddedStore;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-kwgroups-'));
    store = await openEmbeddedStore({ dataDir, logger: pino({ level: 'silent' }) });
    for (let i = 0; i < 24; i++) await store.upsertDocument(fixtureDoc(i, { accessGroup: NAMES[i % NAMES.length]! }), EMBEDDER);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const groupsOf = (hits: Array<{ chunk: { accessGroup: string } }>) => [...new Set(hits.map((h) => h.chunk.accessGroup))].sort();

  it('returns only chunks of the filter’s groups, whatever their names, with the same scores as an unfiltered search', async () => {
    // "alpha" is the first word of docs 0, 10 and 20 (groups hr, Ünïcode group, a.b_c) and the second of others.
    const all = await store.searchSparse('alpha', 48);
    for (const groups of [['hr'], ['Ünïcode group', 'partners (external)'], ['eng/ops', 'ed', 'ies']]) {
      const hits = await store.searchSparse('alpha', 48, { accessGroups: groups });
      const want = all.filter((h) => groups.includes(h.chunk.accessGroup));
      expect(want.length).toBeGreaterThan(0);
      // Chunks tying on score may come back in either order: compare as sets.
      const pairs = (list: typeof hits) => list.map((h) => `${h.chunk.id} ${h.score.toFixed(9)}`).sort();
      expect(pairs(hits), groups.join()).toEqual(pairs(want));
      expect(groupsOf(hits).every((g) => groups.includes(g))).toBe(true);
    }
    expect(await store.searchSparse('alpha', 10, { accessGroups: [] })).toEqual([]);
  });

  it('never matches a question word against the group column', async () => {
    expect(await store.searchSparse(groupToken('hr'), 10)).toEqual([]);
    expect(await store.searchSparse(groupToken('hr'), 10, { accessGroups: ['hr'] })).toEqual([]);
  });
});
