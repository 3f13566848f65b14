import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cairn, stubEnv } from './helpers.js';

describe('cairn ask --file', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cairn-ask-file-'));
    stubEnv({ CAIRN_DATA_DIR: path.join(dir, 'data') });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a missing file', async () => path.join(dir, 'nope.csv'), /^cairn: Cannot read .*nope\.csv: ENOENT\.\n$/],
    ['a binary file', async () => { const p = path.join(dir, 'logo.png'); await writeFile(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])); return p; }, /^cairn: logo\.png is not a UTF-8 text file; run_code reads text files such as CSV, JSON or TXT\.\n$/],
  ])('refuses %s with a message, before opening the index', async (_name, makeFile, message) => {
    const file = await makeFile();
    const { code, stdout, stderr } = await cairn('ask', 'What is the total?', '--file', file);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });
});
