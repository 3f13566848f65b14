import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cairn, stubEnv } from './helpers.js';

describe('cairn ask and cairn search with nothing to look up', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cairn-empty-input-'));
    stubEnv({ CAIRN_DATA_DIR: path.join(dir, 'data') });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['ask', '', 'cairn: The question is empty. Ask me a question about the docs, e.g. cairn ask "How do I re-index?"\n'],
    ['ask', '  \n ', 'cairn: The question is empty. Ask me a question about the docs, e.g. cairn ask "How do I re-index?"\n'],
    ['search', '', 'cairn: The query is empty. Give the words to search for, e.g. cairn search "parental leave".\n'],
  ])('cairn %s %j fails as a usage error with a hint, before loading the index or the embedder', async (command, text, hint) => {
    const { code, stdout, stderr } = await cairn(command, text);
    expect(stderr).toBe(hint);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // Nothing was opened: the data directory was never created.
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });
});
