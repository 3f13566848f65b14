import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import { FakeOpenAI, match } from '../fakes/openai-server.js';
import { buttonClick, commandFields, eventEnvelope, sendAction, sendCommand, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

const SECRET = 'metrics-secret';
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };

describe('/metrics after real traffic: an agent answer with a tool call, a vote and a re-index', () => {
  let dir = '';
  let slack: FakeSlack;
  let llm: FakeOpenAI;
  let app: Launched;
  let base = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-metrics-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/leave.md'), '# Leave\n\nEmployees get 25 days of paid vacation leave each year.\n');
    slack = await startFakeSlack();
    llm = await FakeOpenAI.start();
    // The answer model first asks the calculator, then answers with a citation.
    llm.when(match.model('main'), { toolCalls: [{ name: 'calculator', arguments: { expression: '25 * 2' } }] }, 1);
    llm.when(match.model('main'), { content: 'Employees get 25 days of paid vacation leave each year [1].' });
    const config = loadConfig({
      CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_ADMIN_USER_IDS: 'UADMIN',
      OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: 'main', LLM_FAST_MODEL: 'fast', LLM_MAX_RETRIES: '0',
    });
    app = await launch(config, io, { logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${app.port}`;
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await Promise.all([slack?.close(), llm?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exposes every Cairn series with the traffic counted', async () => {
    const thread = '1700000001.000100';
    await sendEvent(`${base}/slack/events`, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> How many vacation days do we get?', ts: thread }));
    const final = () => slack.botMessages('C1').find((m) => m.thread_ts === thread && m.blocks?.some((b) => b.type === 'actions'));
    await slack.waitFor(() => final() !== undefined, 30_000, 'the answer');
    const actions = final()!.blocks!.find((b) => b.type === 'actions') as { elements: { value: string }[] };
    await sendAction(`${base}/slack/events`, SECRET, buttonClick({ actionId: 'cairn_feedback_up', value: actions.elements[0]!.value, user: 'U1', channel: 'C1', messageTs: final()!.ts, response_url: slack.responseUrl('vote') }));
    await sendCommand(`${base}/slack/events`, SECRET, commandFields({ command: '/cairn-reindex', user_id: 'UADMIN', channel_id: 'C1', response_url: slack.responseUrl('reindex') }));
    await slack.waitFor(() => slack.responsesTo('reindex').some((r) => /unchanged/.test(JSON.stringify(r.body))), 30_000, 're-index done');

    const text = await (await fetch(`${base}/metrics`)).text();
    const expectSeries = (re: RegExp) => expect(text).toMatch(re);
    expectSeries(/rag_retrieval_latency_seconds_bucket\{le="0\.005",mode="hybrid"\} \d+/);
    expectSeries(/rag_retrieval_latency_seconds_bucket\{le="2\.5",mode="hybrid"\} [1-9]/);
    expectSeries(/rag_retrieval_total\{status="success"\} [1-9]/);
    expectSeries(/cairn_llm_latency_seconds_count\{model="main",purpose="answer"\} 2/);
    expectSeries(/cairn_llm_tokens_total\{model="main",purpose="answer",kind="prompt"\} [1-9]/);
    expectSeries(/cairn_llm_tokens_total\{model="main",purpose="answer",kind="completion"\} [1-9]/);
    expectSeries(/cairn_tool_calls_total\{tool="calculator",outcome="ok"\} 1/);
    expectSeries(/cairn_grounding_verdicts_total\{verdict="supported"\} 1/);
    expectSeries(/cairn_answers_total\{platform="slack",outcome="answer"\} 1/);
    expectSeries(/cairn_feedback_votes_total\{platform="slack",vote="up"\} 1/);
    expectSeries(/cairn_queue_depth 0/);
    expectSeries(/cairn_llm_circuit_state\{state="closed"\} 1/);
    expectSeries(/cairn_reindex_runs_total\{outcome="success"\} 1/);
    expectSeries(/cairn_reindex_duration_seconds_count 1/);
    expectSeries(/nodejs_heap_size_used_bytes \d+/);
  }, 90_000);
});
