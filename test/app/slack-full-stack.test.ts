import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import { commandFields, eventEnvelope, sendCommand, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { freePort } from '../helpers/free-port.js';

const SECRET = 'full-stack-secret';
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };


describe('Cairn end to end over Slack: real store, agent, ChatService and Bolt', () => {
  let dir = '';
  let fake: FakeSlack;
  let app: Launched;
  let base = '';
  let ts = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/hr-leave.md'), '---\ntitle: HR leave policy\naccess_group: hr\n---\n\n# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
    await writeFile(path.join(dir, 'docs/eng-oncall.md'), '---\ntitle: Engineering on-call\naccess_group: eng\n---\n\n# On-call\n\nEngineers on call get 2 extra vacation leave days per on-call week. Vacation leave is booked in the rota tool.\n');
    fake = await startFakeSlack();
    const config = loadConfig({
      CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      CHANNEL_ACCESS: 'CHR=hr;CENG=eng',
      OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`, LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '0',
    });
    app = await launch(config, io, { logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${app.port}`;
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function ask(channel: string, text: string) {
    ts += 1;
    const thread = `1700000000.${String(ts).padStart(6, '0')}`;
    const res = await sendEvent(`${base}/slack/events`, SECRET, eventEnvelope({ type: 'app_mention', channel, user: 'U1', text: `<@UBOT> ${text}`, ts: thread }));
    expect(res.status).toBe(200);
    const final = () => fake.botMessages(channel).find((m) => m.thread_ts === thread && !m.blocks?.some((b) => b.block_id === 'cairn_progress'));
    await fake.waitFor(() => final() !== undefined, 20_000, `the answer in ${channel}`);
    return JSON.stringify(final()!.blocks);
  }

  it('cites only documents the channel may see, in both directions', async () => {
    const hr = await ask('CHR', 'How many vacation leave days do we get?');
    expect(hr).toContain('hr-leave.md');
    expect(hr).not.toContain('eng-oncall.md');
    const eng = await ask('CENG', 'How many vacation leave days do we get?');
    expect(eng).toContain('eng-oncall.md');
    expect(eng).not.toContain('hr-leave.md');
    const pub = await ask('COTHER', 'How many vacation leave days do we get?');
    expect(pub).not.toMatch(/hr-leave\.md|eng-oncall\.md/);
  }, 60_000);

  it('lists in /cairn-sources only the documents the channel may read', async () => {
    await sendCommand(`${base}/slack/events`, SECRET, commandFields({ command: '/cairn-sources', user_id: 'U1', channel_id: 'CHR', response_url: fake.responseUrl('src-hr') }));
    await fake.waitFor(() => fake.responsesTo('src-hr').length > 0, 10_000, 'the sources list');
    const listed = JSON.stringify(fake.responsesTo('src-hr')[0]!.body);
    expect(listed).toContain('hr-leave.md');
    expect(listed).not.toContain('eng-oncall.md');
  });

  it('with the LLM down, says the language model is unavailable and keeps answering the next question', async () => {
    const first = await ask('CHR', 'Who approves vacation leave requests?');
    expect(first).toMatch(/language model is unavailable/i);
    expect(first).not.toMatch(/ECONNREFUSED|\bat [\w.]+ \(/);
    const second = await ask('CHR', 'How many vacation days?');
    expect(second).toMatch(/language model is unavailable/i);
    expect(second).toContain('hr-leave.md');
  }, 60_000);

  it('serves /healthz, /readyz and Prometheus series on /metrics after answering', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/rag_retrieval_latency_seconds_bucket\{le="0\.1",mode="hybrid"\} \d+/);
    expect(text).toMatch(/rag_retrieval_total\{status="success"\} [1-9]/);
    expect(text).toMatch(/cairn_answers_total\{platform="slack",outcome="answer"\} [1-9]/);
    expect(text).toMatch(/cairn_grounding_verdicts_total\{verdict="\w+"\} [1-9]/);
    expect(text).toMatch(/cairn_queue_depth 0/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });
});
