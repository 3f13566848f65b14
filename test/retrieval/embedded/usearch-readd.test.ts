import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const here = import.meta.dirname;
let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Guards the usearch version against a regression or downgrade: see usearch-readd-child.ts (issue 18).
it('usearch survives remove → save → load → add into the freed slots (in a child process, so an abort cannot kill the run)', () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-usearch-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'usearch-readd-child.ts'), dir], { cwd: path.resolve(here, '../../..'), encoding: 'utf8' });
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  expect(run.stdout).toBe('ok\n');
});
