import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EmbeddingServer } from '../embed/embedding-server.js';
import { scratchDir } from '../eval/answers/helpers.js';

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

/**
 * The world most CLI tests run in: a local OpenAI-compatible embeddings endpoint, a scratch data
 * directory, and the environment pointing Cairn at both (plus `env`). Registers its own hooks; read
 * `dir` inside a test or a later hook.
 */
export function cliWithEmbeddings(env: Record<string, string> = {}): { readonly dir: string } {
  const embeddings = new EmbeddingServer();
  let url = '';
  let scratch: Awaited<ReturnType<typeof scratchDir>> | undefined;
  beforeAll(async () => { url = await embeddings.start(); });
  afterAll(async () => { await embeddings.stop(); });
  beforeEach(async () => {
    scratch = await scratchDir();
    stubEnv({ CAIRN_DATA_DIR: scratch.dir, EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${url}/v1`, ...env });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await scratch?.cleanup();
  });
  return { get dir() { return scratch!.dir; } };
}
