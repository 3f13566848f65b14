import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingServer } from '../embed/embedding-server.js';

/**
 * Issue 18 end to end, as ../shared/repro/index-readd/run.sh runs it but smaller: a docs folder with
 * one large document beside small ones; ingest, ingest without it, ingest with it again, search.
 * Before usearch 2.26 the third ingest, and everything after it, aborted (exit 134). The large
 * document only has to leave many more removed slots than live vectors: 400 chunks beside 5.
 */

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'test/helpers/cairn-cli.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cairn(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), LOG_LEVEL: 'error', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input);
  });
}

const ok = (run: Run) => ({ code: run.code, signal: run.signal, stderr: run.stderr.split('\n').filter((l) => /abort|corrupt|malloc|error/i.test(l)) });

describe('removing a large document and adding it back (issue 18)', () => {
  const server = new EmbeddingServer();
  let work = '';
  let env: Record<string, string> = {};
  const docs = () => path.join(work, 'docs');
  const big = () => path.join(work, 'big.md');
  const putBack = () => fs.copyFileSync(big(), path.join(docs(), 'big.md'));
  const takeAway = () => fs.rmSync(path.join(docs(), 'big.md'));

  beforeAll(async () => {
    const url = await server.start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-readd-'));
    fs.mkdirSync(docs());
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(docs(), `small${i}.md`), `# Small ${i}\n\nA short page about topic ${i} and nothing else.\n`);
    const sections = Array.from({ length: 400 }, (_, s) => `## Section ${s}\n\nSection ${s} covers item ${s * 7} of the large manual in a few words.\n`);
    fs.writeFileSync(big(), `# Big manual\n\n${sections.join('\n')}`);
    // The fake endpoint's vectors are hashes with no meaning: BM25 leads, as with the offline model.
    env = { EMBEDDING_BASE_URL: `${url}/v1`, EMBEDDING_API_KEY: 'x', EMBEDDING_MODEL: 'hash', FUSION_DENSE_WEIGHT: '0.2', DOCS_DIR: docs(), PORT: '0' };
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('cairn ingest three times, then cairn search answers', async () => {
    const data = { ...env, CAIRN_DATA_DIR: path.join(work, 'data-ingest') };
    putBack();
    const first = await cairn(['ingest', docs()], data);
    expect(ok(first)).toEqual({ code: 0, signal: null, stderr: [] });
    expect(first.stdout).toMatch(/6 documents ingested \(405 chunks\)/);
    takeAway();
    const second = await cairn(['ingest', docs()], data);
    expect(ok(second)).toEqual({ code: 0, signal: null, stderr: [] });
    expect(second.stdout).toMatch(/5 unchanged, 1 removed/);
    putBack();
    const third = await cairn(['ingest', docs()], data);
    expect(ok(third)).toEqual({ code: 0, signal: null, stderr: [] });
    expect(third.stdout).toMatch(/1 document ingested \(400 chunks\), 5 unchanged/);
    const search = await cairn(['search', 'Section 12 covers item 84', '--k', '3'], data);
    expect(ok(search)).toEqual({ code: 0, signal: null, stderr: [] });
    expect(search.stdout).toMatch(/^ 1\. .*big\.md .*\n\s+Big manual › Section 12\n/);
  }, 120_000);

  it('cairn start answers a question after each of the three steps', async () => {
    const data = { ...env, CAIRN_DATA_DIR: path.join(work, 'data-start') };
    const question = 'What does Section 12 cover?\n';
    putBack();
    const steps: Run[] = [await cairn(['start'], data, question)];
    takeAway();
    steps.push(await cairn(['start'], data, 'What is small page 3 about?\n'));
    putBack();
    steps.push(await cairn(['start'], data, question));
    for (const run of steps) expect(ok(run)).toEqual({ code: 0, signal: null, stderr: [] });
    expect(steps.map((r) => /Sources:\n\s+\[1\] (\S.*?) —/.exec(r.stdout)?.[1])).toEqual(['Big manual', 'Small 3', 'Big manual']);
    expect(steps[2]!.stdout).toMatch(/Section 12 covers item 84/);
  }, 120_000);
});
