import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddingServer } from '../embed/embedding-server.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { FakeOpenAI, match } from '../fakes/openai-server.js';
import { startFakeQdrant, type FakeQdrant } from '../fakes/qdrant-server.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { ownRedis } from '../shared-state/helpers.js';
import { freePort } from './free-port.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'test/helpers/cairn-cli.ts');

export const FLEET = {
  secret: 'fleet-secret',
  guild: '200000000000000001',
  channel: '300000000000000001',
  question: 'How many vacation leave days do we get?',
  answer: 'Employees get 25 days of paid vacation leave each year [1].',
} as const;

/** A `cairn` process of the fleet: its HTTP base and its log lines (JSON on stderr), as a log collector reads them. */
export interface CairnProcess {
  child: ChildProcess;
  base: string;
  log: string[];
}

/**
 * What a fleet shares, all on loopback: a Redis of its own (stoppable without touching the
 * machine's), a throw-away PostgreSQL database, the fake Qdrant, Slack, Discord, model and
 * embedding endpoint; `env` is what every replica is started with.
 */
export interface FleetServices {
  dir: string;
  env: Record<string, string>;
  redis: Awaited<ReturnType<typeof ownRedis>>;
  slack: FakeSlack;
  discord: FakeDiscord;
  qdrant: FakeQdrant;
  llm: FakeOpenAI;
  embeddings: EmbeddingServer;
  /** `cairn <args>` with the fleet's environment and `extra` on top. */
  cairn(args: string[], extra: Record<string, string>): ChildProcess;
  /** `cairn start` on a free port with a data directory of its own. */
  startReplica(name: string, extra?: Record<string, string>): Promise<CairnProcess>;
  close(replicas: CairnProcess[]): Promise<void>;
}

async function admin(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Answers every agent call: the query rewrite, the claim check and the answer (after `answerDelayMs`). */
function scriptModel(llm: FakeOpenAI, answerDelayMs: number): void {
  llm.when(match.all(match.model('fast'), match.lastUserIncludes('search queries')), { content: JSON.stringify({ standalone: FLEET.question, queries: ['vacation leave days'] }) });
  llm.when(match.all(match.model('fast'), match.lastUserIncludes('You check statements')), { content: JSON.stringify({ supported: [1, 2, 3] }) });
  llm.when(match.model('main'), { content: FLEET.answer, ...(answerDelayMs > 0 ? { delayMs: answerDelayMs } : {}) });
}

export async function startFleetServices(databaseUrl: string, opts: { answerDelayMs?: number } = {}): Promise<FleetServices> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-fleet-'));
  await mkdir(path.join(dir, 'docs'));
  await writeFile(path.join(dir, 'docs/leave.md'), '# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
  const database = `cairn_fleet_${randomUUID().slice(0, 8)}`;
  await admin(databaseUrl, `CREATE DATABASE ${database}`);
  const [redis, slack, qdrant, llm] = await Promise.all([ownRedis(), startFakeSlack(), startFakeQdrant(), FakeOpenAI.start()]);
  const discord = await FakeDiscord.start({ guilds: [{ id: FLEET.guild, channels: [{ id: FLEET.channel, name: 'general' }] }] });
  const embeddings = new EmbeddingServer();
  scriptModel(llm, opts.answerDelayMs ?? 0);
  const fleetDb = new URL(databaseUrl);
  fleetDb.pathname = `/${database}`;
  const env: Record<string, string> = {
    DOCS_DIR: path.join(dir, 'docs'), LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: FLEET.secret, SLACK_API_URL: slack.apiUrl, SLACK_ADMIN_USER_IDS: 'UADMIN',
    DISCORD_TOKEN: 'discord-token', DISCORD_API_URL: discord.apiUrl,
    QDRANT_URL: qdrant.url, REDIS_URL: redis.url, DATABASE_URL: fleetDb.toString(),
    EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${await embeddings.start()}/v1`, FUSION_DENSE_WEIGHT: '0.2',
    OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: 'main', LLM_FAST_MODEL: 'fast', LLM_MAX_RETRIES: '0', RATE_LIMIT_PER_MINUTE: '1000',
  };
  const cairn = (args: string[], extra: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    dir, env, redis, slack, discord, qdrant, llm, embeddings, cairn,
    async startReplica(name, extra = {}) {
      const port = await freePort();
      const child = cairn(['start', '--no-terminal'], { CAIRN_DATA_DIR: path.join(dir, name), PORT: String(port), ...extra });
      const log: string[] = [];
      let rest = '';
      child.stderr!.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop() ?? '';
        log.push(...lines);
      });
      return { child, base: `http://127.0.0.1:${port}`, log };
    },
    async close(replicas) {
      await Promise.all(replicas.map(stopProcess));
      await Promise.all([slack.close(), discord.close(), qdrant.close(), llm.close(), embeddings.stop(), redis.stop()]);
      await admin(databaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the process answers /readyz with 200; rejects with its last log lines if it exits or takes too long. */
export async function untilReady(p: CairnProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${p.base}/readyz`).then((res) => res.status, () => 0);
    if (status === 200) return;
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`cairn at ${p.base} not ready (exit ${p.child.exitCode}):\n${p.log.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** SIGTERM (a graceful drain), then SIGKILL after 10 s. */
async function stopProcess({ child }: CairnProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
