import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingServer } from '../embed/embedding-server.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { FakeOpenAI, match, messageText } from '../fakes/openai-server.js';
import { startFakeQdrant, type FakeQdrant } from '../fakes/qdrant-server.js';
import { buttonClick, commandFields, eventEnvelope, sendAction, sendCommand, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { freePort } from '../helpers/free-port.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../helpers/round-robin-proxy.js';
import { DATABASE_URL, ownRedis, skipWithout } from '../shared-state/helpers.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'test/helpers/cairn-cli.ts');
const SECRET = 'fleet-secret';
const GUILD = '200000000000000001';
const CHANNEL = '300000000000000001';
const QUESTION = 'How many vacation leave days do we get?';
const ANSWER = 'Employees get 25 days of paid vacation leave each year [1].';

interface Replica {
  child: ChildProcess;
  base: string;
  /** Its log lines (JSON, stderr), as an operator's log collector would read them. */
  log: string[];
}

/** A Slack message Cairn posted as a final answer (with its 👍/👎 row) in a thread. */
const finals = (slack: FakeSlack, thread: string) => slack.botMessages('C1').filter((m) => m.thread_ts === thread && m.blocks?.some((b) => b.type === 'actions'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!DATABASE_URL)(`three cairn start processes behind a round-robin proxy, sharing Redis, PostgreSQL and Qdrant${skipWithout('DATABASE_URL', DATABASE_URL)}`, () => {
  let dir = '';
  let database = '';
  let redis: Awaited<ReturnType<typeof ownRedis>>;
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let qdrant: FakeQdrant;
  let llm: FakeOpenAI;
  const embeddings = new EmbeddingServer();
  let proxy: RoundRobinProxy;
  let env: Record<string, string> = {};
  const replicas: Replica[] = [];
  let ts = 0;
  const nextTs = () => `1800000000.${String((ts += 1)).padStart(6, '0')}`;

  async function admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  function cairn(args: string[], extra: Record<string, string>): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  async function startReplica(i: number): Promise<Replica> {
    const port = await freePort();
    const child = cairn(['start', '--no-terminal'], { CAIRN_DATA_DIR: path.join(dir, `replica-${i}`), PORT: String(port) });
    const log: string[] = [];
    let rest = '';
    child.stderr!.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      log.push(...lines);
    });
    return { child, base: `http://127.0.0.1:${port}`, log };
  }

  async function ready(r: Replica, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${r.base}/readyz`).then((res) => res.status, () => 0);
      if (status === 200) return;
      if (r.child.exitCode !== null || Date.now() > deadline) throw new Error(`replica at ${r.base} not ready (exit ${r.child.exitCode}):\n${r.log.slice(-20).join('\n')}`);
      await sleep(250);
    }
  }

  const answeredBy = (r: Replica) => r.log.filter((l) => l.includes('"msg":"question answered"')).length;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-fleet-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/leave.md'), '# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
    database = `cairn_fleet_${randomUUID().slice(0, 8)}`;
    await admin(`CREATE DATABASE ${database}`);
    [redis, slack, qdrant, llm] = await Promise.all([ownRedis(), startFakeSlack(), startFakeQdrant(), FakeOpenAI.start()]);
    discord = await FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'general' }] }] });
    llm.when(match.all(match.model('fast'), match.lastUserIncludes('search queries')), { content: JSON.stringify({ standalone: QUESTION, queries: ['vacation leave days'] }) });
    llm.when(match.all(match.model('fast'), match.lastUserIncludes('You check statements')), { content: JSON.stringify({ supported: [1, 2, 3] }) });
    llm.when(match.model('main'), { content: ANSWER });
    const databaseUrl = new URL(DATABASE_URL!);
    databaseUrl.pathname = `/${database}`;
    env = {
      DOCS_DIR: path.join(dir, 'docs'), LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_ADMIN_USER_IDS: 'UADMIN',
      DISCORD_TOKEN: 'discord-token', DISCORD_API_URL: discord.apiUrl,
      QDRANT_URL: qdrant.url, REDIS_URL: redis.url, DATABASE_URL: databaseUrl.toString(),
      EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${await embeddings.start()}/v1`, FUSION_DENSE_WEIGHT: '0.2',
      OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: 'main', LLM_FAST_MODEL: 'fast', LLM_MAX_RETRIES: '0', RATE_LIMIT_PER_MINUTE: '1000',
    };
    replicas.push(...(await Promise.all([0, 1, 2].map(startReplica))));
    await Promise.all(replicas.map((r) => ready(r, 180_000)));
    proxy = await startRoundRobinProxy(replicas.map((r) => r.base));
    await discord.until(() => discord.connectedShards().length === 1, 30_000);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(replicas.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    }));
    await Promise.all([proxy?.close(), slack?.close(), discord?.close(), qdrant?.close(), llm?.close(), embeddings.stop(), redis?.stop()]);
    if (database) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  let thread = '';
  let answeredFirst = -1;

  it('answers a Slack event once when it and its two retries each reach a different replica', async () => {
    thread = nextTs();
    const envelope = eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${QUESTION}`, ts: thread });
    const before = proxy.routed.length;
    for (let retry = 0; retry < 3; retry += 1) {
      expect((await sendEvent(`${proxy.url}/slack/events`, SECRET, envelope, retry > 0 ? { retryNum: retry } : {})).status).toBe(200);
    }
    expect(new Set(proxy.routed.slice(before)).size).toBe(3);
    await slack.waitFor(() => finals(slack, thread).length > 0, 60_000, 'the answer');
    await sleep(1500);
    expect(finals(slack, thread)).toHaveLength(1);
    expect(JSON.stringify(finals(slack, thread)[0]!.blocks)).toContain('25 days');
    const counts = replicas.map(answeredBy);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    answeredFirst = counts.indexOf(1);
  }, 90_000);

  it('answers a Discord mention once with all three replicas up (one gateway connection)', async () => {
    expect(discord.connectedShards()).toEqual([0]);
    const asked = discord.say(CHANNEL, `<@${discord.botUser.id}> ${QUESTION}`);
    await discord.until(() => discord.messagesIn(asked.id).find((m) => m.author?.id === discord.botUser.id && String(m.content).includes('25 days')), 60_000);
    await sleep(1500);
    expect(discord.messagesIn(asked.id).filter((m) => m.author?.id === discord.botUser.id)).toHaveLength(1);
  }, 90_000);

  it('answers a thread follow-up on another replica from the shared thread memory, without conversations.replies', async () => {
    const other = replicas[(answeredFirst + 1) % replicas.length]!;
    const follow = nextTs();
    const before = llm.bodies.length;
    const answered = answeredBy(other);
    await sendEvent(`${other.base}/slack/events`, SECRET, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'and who approves them?', ts: follow, thread_ts: thread }));
    await slack.waitFor(() => finals(slack, thread).length === 2, 60_000, 'the follow-up answer');
    expect(answeredBy(other)).toBe(answered + 1);
    expect(slack.callsTo('conversations.replies')).toHaveLength(0);
    const answerCall = llm.bodies.slice(before).find((b) => b.model === 'main')!;
    expect(answerCall.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messageText(answerCall.messages[1])).toContain(QUESTION);
  }, 90_000);

  it('keeps votes cast through two replicas: one cairn export sft has both', async () => {
    const [first, second] = finals(slack, thread);
    for (const [i, answer] of [[0, first!], [1, second!]] as const) {
      const row = answer.blocks!.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
      const up = row.elements.find((e) => e.action_id === 'cairn_feedback_up')!;
      const id = `vote-${i}`;
      await sendAction(`${replicas[i]!.base}/slack/events`, SECRET, buttonClick({ actionId: up.action_id, value: up.value, user: `UV${i}`, channel: 'C1', messageTs: answer.ts, response_url: slack.responseUrl(id) }));
      await slack.waitFor(() => slack.responsesTo(id).length > 0, 15_000, `the reply to vote ${i}`);
    }
    const out = path.join(dir, 'sft.jsonl');
    const exporter = cairn(['export', 'sft', '--out', out], { CAIRN_DATA_DIR: path.join(dir, 'exporter'), LOG_LEVEL: 'error' });
    let stdout = '';
    exporter.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    expect(await new Promise((r) => exporter.once('exit', r))).toBe(0);
    expect(stdout).toMatch(/^Wrote 2 conversations/);
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(2);
  }, 90_000);

  it('runs one of two /cairn-reindex sent to two replicas and tells the other one is running', async () => {
    await writeFile(path.join(dir, 'docs/travel.md'), '# Travel\n\nBook travel through the travel desk at least two weeks ahead.\n');
    // A slow embedding endpoint keeps the first run going while the second arrives.
    embeddings.delayMs = 3000;
    try {
      const acks = await Promise.all([0, 1].map((i) => sendCommand(`${replicas[i]!.base}/slack/events`, SECRET, commandFields({ command: '/cairn-reindex', user_id: 'UADMIN', channel_id: 'C1', response_url: slack.responseUrl(`reindex-${i}`) }))));
      // What each admin sees: the command's own reply, then what comes through its response_url.
      const said = (i: number) => [acks[i]!.body, ...slack.responsesTo(`reindex-${i}`).map((r) => JSON.stringify(r.body))].join('\n');
      await slack.waitFor(() => /already running/.test(said(0) + said(1)), 15_000, 'one replica saying a re-index is running');
      const busy = /already running/.test(said(0)) ? 0 : 1;
      expect(said(1 - busy)).not.toMatch(/already running/);
      await slack.waitFor(() => /Re-index done: .*1 document ingested/s.test(said(1 - busy)), 60_000, 'the re-index finishing');
    } finally {
      embeddings.delayMs = 0;
    }
  }, 90_000);

  it('moves the Discord gateway to another replica within 15 s of a kill -9 of its holder, which answers the next mention', async () => {
    const holder = replicas.find((r) => r.log.some((l) => l.includes('"msg":"holding discord shard"')))!;
    expect(holder).toBeDefined();
    const identifies = discord.identifies.length;
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await discord.until(() => discord.identifies.length > identifies && discord.connectedShards().length === 1, 15_000);
    expect(discord.identifies.at(-1)!.at - killedAt).toBeLessThan(15_000);
    const asked = discord.say(CHANNEL, `<@${discord.botUser.id}> ${QUESTION}`);
    await discord.until(() => discord.messagesIn(asked.id).find((m) => m.author?.id === discord.botUser.id && String(m.content).includes('25 days')), 60_000);
    const taker = replicas.find((r) => r !== holder && r.log.some((l) => l.includes('took over discord shard')));
    expect(taker).toBeDefined();
  }, 90_000);

  it('keeps answering, once per question, with Redis stopped', async () => {
    await redis.stop();
    const live = replicas.find((r) => r.child.exitCode === null && r.child.signalCode === null)!;
    const asked = nextTs();
    await sendEvent(`${live.base}/slack/events`, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U2', text: `<@UBOT> ${QUESTION}`, ts: asked }));
    await slack.waitFor(() => finals(slack, asked).length > 0, 60_000, 'the answer with Redis stopped');
    await sleep(1000);
    expect(finals(slack, asked)).toHaveLength(1);
  }, 90_000);
});
