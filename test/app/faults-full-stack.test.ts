import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import { FakeOpenAI } from '../fakes/openai-server.js';
import { buttonClick, eventEnvelope, sendAction, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

const SECRET = 'faults-secret';
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };

/**
 * Faults seen by a Slack user of the whole of `cairn start`: a language model that hangs, and a
 * feedback.sqlite another process holds locked. Limits are short here (a 0.5 s idle limit, the
 * breaker opening after 2 failures); bench/llm-faults.ts measures the defaults.
 */
describe('Cairn end to end over Slack when parts fail', () => {
  let dir = '';
  let slack: FakeSlack;
  let llm: FakeOpenAI;
  let app: Launched;
  let base = '';
  let ts = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-faults-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/leave.md'), '# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
    slack = await startFakeSlack();
    llm = await FakeOpenAI.start();
    llm.when(() => true, { neverAnswer: true });
    const config = loadConfig({
      CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl,
      OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: 'main', LLM_FAST_MODEL: 'fast',
      LLM_TIMEOUT_MS: '5000', LLM_IDLE_TIMEOUT_MS: '500', LLM_MAX_RETRIES: '2', LLM_BREAKER_FAILURES: '2', LLM_BREAKER_COOLDOWN_MS: '600000',
    });
    app = await launch(config, io, { logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${app.port}`;
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await Promise.all([slack?.close(), llm?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Mentions the bot; returns the final answer's text, message and how long it took to appear. */
  async function ask(text: string) {
    ts += 1;
    const thread = `1700000000.${String(ts).padStart(6, '0')}`;
    const started = Date.now();
    await sendEvent(`${base}/slack/events`, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${text}`, ts: thread }));
    const final = () => slack.botMessages('C1').find((m) => m.thread_ts === thread && m.blocks?.some((b) => b.type === 'actions'));
    await slack.waitFor(() => final() !== undefined, 20_000, 'the answer');
    return { ms: Date.now() - started, text: JSON.stringify(final()!.blocks), message: final()! };
  }

  const metrics = async () => (await fetch(`${base}/metrics`)).text();

  it('with the model hanging, answers from the passages within the idle limit, then at once while the breaker is open', async () => {
    for (let i = 0; i < 2; i += 1) {
      const hung = await ask('How many vacation leave days do we get?');
      expect(hung.ms).toBeLessThan(5000);
      expect(hung.text).toContain('The language model is unavailable right now (it stopped responding)');
      expect(hung.text).toContain('25 days of paid vacation leave');
    }
    // Cut off by the idle limit, the calls were not retried.
    expect(llm.requests).toHaveLength(2);
    expect(await metrics()).toMatch(/cairn_llm_circuit_state\{state="open"\} 1/);

    const open = await ask('Where do vacation leave requests go?');
    expect(open.ms).toBeLessThan(2000);
    expect(open.text).toContain('The language model is unavailable right now (it failed several times in a row; I will try it again in about');
    expect(open.text).toContain('leave.md');
    expect(llm.requests).toHaveLength(2);
  }, 60_000);

  it('with feedback.sqlite locked by another process, still answers at once and tells a voter the vote was not recorded', async () => {
    const locker = new Database(path.join(dir, 'data', 'feedback.sqlite'));
    try {
      locker.exec('BEGIN EXCLUSIVE');
      const answered = await ask('How many vacation leave days do we get?');
      expect(answered.ms).toBeLessThan(2000);
      expect(answered.text).toContain('25 days of paid vacation leave');

      const buttons = answered.message.blocks!.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
      const down = buttons.elements.find((e) => e.action_id === 'cairn_feedback_down')!;
      await sendAction(`${base}/slack/events`, SECRET, buttonClick({ actionId: down.action_id, value: down.value, user: 'U2', channel: 'C1', messageTs: answered.message.ts, response_url: slack.responseUrl('vote') }));
      await slack.waitFor(() => slack.responsesTo('vote').length > 0, 10_000, 'the reply to the vote');
      expect(slack.responsesTo('vote')[0]!.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Sorry — I could not record that feedback\./) });

      const text = await metrics();
      expect(text).toMatch(/cairn_feedback_write_failures_total\{what="answer"\} 1/);
      expect(text).toMatch(/cairn_feedback_write_failures_total\{what="vote"\} 1/);
    } finally {
      if (locker.inTransaction) locker.exec('ROLLBACK');
      locker.close();
    }
  }, 60_000);
});
