import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataFile } from '../../src/core/sqlite-file.js';

describe('openDataFile', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-datafile-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the data directory and the tables, in WAL mode, and opens the same file again with its rows', () => {
    const dir = path.join(root, 'not', 'yet');
    const db = openDataFile(dir, 'x.sqlite', 'CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)');
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openDataFile(dir, 'x.sqlite', 'CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)', { busyTimeoutMs: 50 });
    expect(again.prepare('SELECT k FROM t').pluck().all()).toEqual(['a']);
    expect(again.pragma('busy_timeout', { simple: true })).toBe(50);
    again.close();
  });

  it('throws the schema error and leaves no connection open', () => {
    // Every file descriptor this process holds on the database file (Linux).
    const openOn = (file: string) =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    const file = path.join(root, 'bad.sqlite');
    expect(() => openDataFile(root, 'bad.sqlite', 'CREATE TABLE broken (')).toThrow(/syntax error|incomplete input/);
    expect(openOn(file)).toBe(0);
    const db = openDataFile(root, 'bad.sqlite', 'CREATE TABLE IF NOT EXISTS ok (k)');
    expect(openOn(file)).toBe(1);
    db.close();
  });
});
