import { Writable } from 'node:stream';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** Every variable that would change what these commands do, blanked, then the test's own. */
const NEUTRAL = [
  'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'JUDGE_MODEL', 'LLM_MODEL', 'LLM_FAST_MODEL', 'QDRANT_URL', 'RERANK_URL', 'WEB_SEARCH_PROVIDER',
  'EMBEDDING_API_KEY', 'EMBEDDING_DIMENSIONS', 'SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'CHUNK_SIZE', 'CHUNK_OVERLAP', 'RETRIEVE_K',
  // .ci/run sets these for the shared-state suites; these commands test the single-process default.
  'REDIS_URL', 'DATABASE_URL',
];

export function stubEnv(vars: Record<string, string>): void {
  for (const name of NEUTRAL) vi.stubEnv(name, undefined);
  vi.stubEnv('LOG_LEVEL', 'error');
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

/** Runs `cairn …args` in this process and returns its exit code and output. */
export async function cairn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(['node', 'cairn', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
