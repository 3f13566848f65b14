import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = path.resolve('.ci/check-file-names');
const dirs: string[] = [];

function repoWith(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-names-'));
  dirs.push(dir);
  execFileSync('git', ['init', '-q', dir]);
  for (const name of names) fs.writeFileSync(path.join(dir, name), 'x');
  execFileSync('git', ['-C', dir, 'add', '--', ...names]);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('.ci/check-file-names', () => {
  it('passes a tree of ordinary names', () => {
    const run = spawnSync('bash', [script, repoWith(['README.md', 'a b.txt'])], { encoding: 'utf8' });
    expect(run.status).toBe(0);
  });

  it.each([['arn|info|debug|X|'], ['bell\u0007.md'], ['tab\there.md']])('fails on a tracked %j and names it', (bad) => {
    const run = spawnSync('bash', [script, repoWith(['ok.md', bad])], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(bad.slice(0, 3));
    expect(run.stderr).not.toContain('ok.md');
  });

  it('passes on this repository', () => {
    expect(spawnSync('bash', [script], { encoding: 'utf8' }).status).toBe(0);
  });
});
