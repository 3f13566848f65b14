import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import { startFakeQdrant, type FakeQdrant } from '../fakes/qdrant-server.js';
import { buttonClick, commandFields, eventEnvelope, sendAction, sendCommand, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { eventually, ownRedis } from '../shared-state/helpers.js';
import { freePort } from '../helpers/free-port.js';

const SECRET = 'outage-secret';
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };


/** One replica of `cairn start` over Slack, answering extractively (the model is down), with `env` on top. */
async function replica(dir: string, slack: FakeSlack, env: Record<string, string>): Promise<{ app: Launched; base: string }> {
  await mkdir(path.join(dir, 'docs'), { recursive: true });
  await writeFile(path.join(dir, 'docs/leave.md'), '# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
  const config = loadConfig({
    CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_ADMIN_USER_IDS: 'UADMIN',
    OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`, LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '0',
    ...env,
  });
  const app = await launch(config, io, { logger: pino({ level: 'silent' }) });
  return { app, base: `http://127.0.0.1:${app.port}` };
}

function client(slack: FakeSlack, base: string) {
  let ts = 0;
  const finals = (thread: string) => slack.botMessages('C1').filter((m) => m.thread_ts === thread && m.blocks?.some((b) => b.type === 'actions'));
  return {
    /** Mentions the bot (each envelope `times` times, as Slack retries); returns the final answers in the thread. */
    async ask(text: string, times = 1) {
      ts += 1;
      const thread = `1700000000.${String(ts).padStart(6, '0')}`;
      const envelope = eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${text}`, ts: thread });
      for (let i = 0; i < times; i += 1) expect((await sendEvent(`${base}/slack/events`, SECRET, envelope)).status).toBe(200);
      await slack.waitFor(() => finals(thread).length > 0, 20_000, 'the answer');
      // Long enough for a doubled answer to show up.
      await new Promise((r) => setTimeout(r, 300));
      return finals(thread);
    },
    async status() {
      const id = `status-${ts}-${Math.random()}`;
      await sendCommand(`${base}/slack/events`, SECRET, commandFields({ command: '/cairn-status', user_id: 'UADMIN', channel_id: 'C1', response_url: slack.responseUrl(id) }));
      await slack.waitFor(() => slack.responsesTo(id).length > 0, 10_000, 'the status');
      return JSON.stringify(slack.responsesTo(id)[0]!.body);
    },
    readyz: async () => {
      const res = await fetch(`${base}/readyz`);
      return { status: res.status, body: (await res.json()) as { status: string; degraded?: string[] } };
    },
    errorsOf: async (store: string) => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return Number(new RegExp(`cairn_shared_state_errors_total\\{store="${store}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    },
  };
}

describe('a replica with Redis stopped under it (a redis-server of its own) keeps answering and recovers by itself', () => {
  let dir = '';
  let slack: FakeSlack;
  let qdrant: FakeQdrant;
  let redis: Awaited<ReturnType<typeof ownRedis>>;
  let app: Launched;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-redis-outage-'));
    [slack, qdrant, redis] = await Promise.all([startFakeSlack(), startFakeQdrant(), ownRedis()]);
    const started = await replica(dir, slack, { REDIS_URL: redis.url, QDRANT_URL: qdrant.url });
    app = started.app;
    c = client(slack, started.base);
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await Promise.all([slack?.close(), qdrant?.close(), redis?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers once per event before, during and after the outage; /metrics, /readyz and /cairn-status show it', async () => {
    expect(await c.ask('How many vacation leave days do we get?', 2)).toHaveLength(1);
    expect(await c.readyz()).toEqual({ status: 200, body: { status: 'ready' } });

    await redis.stop();
    // Never silent, and a retry reaching this replica is still deduped (in its own memory).
    const during = await c.ask('Where do vacation leave requests go?', 2);
    expect(during).toHaveLength(1);
    expect(JSON.stringify(during[0]!.blocks)).toContain('manager');
    expect(await c.errorsOf('dedupe')).toBeGreaterThan(0);
    // Still answering, so still ready: the body says what is degraded.
    const degraded = await c.readyz();
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.degraded?.join()).toMatch(/^Redis unreachable .*this replica only/);
    expect(await c.status()).toMatch(/Shared state:\*? ?Redis UNREACHABLE.*failed calls since start: .*dedupe \d+/);

    await redis.start();
    await eventually(async () => (await c.readyz()).body.status === 'ready', 15_000);
    const failures = await c.errorsOf('dedupe');
    expect(await c.ask('How many vacation leave days do we get?', 2)).toHaveLength(1);
    expect(await c.errorsOf('dedupe')).toBe(failures);
    // The claim reached the restarted Redis, where another replica would see it.
    const direct = new Redis(redis.url);
    try {
      expect((await direct.keys('cairn:dedupe:*')).length).toBeGreaterThan(0);
    } finally {
      direct.disconnect();
    }
    expect(await c.status()).toMatch(/Redis reachable/);
  }, 90_000);
});

describe('a replica whose DATABASE_URL points at a closed port', () => {
  let dir = '';
  let slack: FakeSlack;
  let app: Launched;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-pg-outage-'));
    slack = await startFakeSlack();
    const started = await replica(dir, slack, { DATABASE_URL: `postgres://cairn@127.0.0.1:${await freePort()}/cairn` });
    app = started.app;
    c = client(slack, started.base);
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await slack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers, tells a voter the vote was not recorded, and shows PostgreSQL unreachable', async () => {
    const [answer] = await c.ask('How many vacation leave days do we get?');
    expect(JSON.stringify(answer!.blocks)).toContain('25 days of paid vacation leave');

    const buttons = answer!.blocks!.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
    const up = buttons.elements.find((e) => e.action_id === 'cairn_feedback_up')!;
    await sendAction(`http://127.0.0.1:${app.port}/slack/events`, SECRET, buttonClick({ actionId: up.action_id, value: up.value, user: 'U2', channel: 'C1', messageTs: answer!.ts, response_url: slack.responseUrl('vote') }));
    await slack.waitFor(() => slack.responsesTo('vote').length > 0, 15_000, 'the reply to the vote');
    expect(slack.responsesTo('vote')[0]!.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/could not record that feedback/) });
    expect(await c.errorsOf('feedback')).toBeGreaterThanOrEqual(2);

    const ready = await c.readyz();
    expect(ready.status).toBe(200);
    expect(ready.body.degraded?.join()).toMatch(/^PostgreSQL unreachable .*not recording votes/);
    expect(await c.status()).toMatch(/PostgreSQL UNREACHABLE/);
  }, 60_000);
});
