import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setEnvVariables } from '../../src/cli/env-file.js';

describe('setEnvVariables', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-env-'));
  afterEach(() => fs.rmSync(path.join(dir, 'x.env'), { force: true }));

  it('replaces keys where they stand, appends new ones and keeps every other line', async () => {
    const file = path.join(dir, 'x.env');
    fs.writeFileSync(file, '# tuned by hand\nexport FUSION=rrf\nRRF_KX=1\n\nOPENAI_API_KEY=sk-keep\n');
    await setEnvVariables(file, { FUSION: 'linear', FUSION_DENSE_WEIGHT: '0.3' });
    expect(fs.readFileSync(file, 'utf8')).toBe('# tuned by hand\nFUSION=linear\nRRF_KX=1\n\nOPENAI_API_KEY=sk-keep\nFUSION_DENSE_WEIGHT=0.3\n');
    expect(fs.readdirSync(dir)).toEqual(['x.env']);
  });

  it('creates the file when it does not exist', async () => {
    const file = path.join(dir, 'x.env');
    await setEnvVariables(file, { RERANKER: 'off' });
    expect(fs.readFileSync(file, 'utf8')).toBe('RERANKER=off\n');
  });
});
