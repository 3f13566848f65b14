import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageText } from '../fakes/openai-server.js';
import { buttonClick, commandFields, eventEnvelope, sendAction, sendCommand, sendEvent, type FakeSlack } from '../fakes/slack-server.js';
import { FLEET, startFleetServices, untilReady, type CairnProcess, type FleetServices } from '../helpers/fleet.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../helpers/round-robin-proxy.js';
import { DATABASE_URL, skipWithout } from '../shared-state/helpers.js';

const { secret: SECRET, channel: CHANNEL, question: QUESTION } = FLEET;

/** A Slack message Cairn posted as a final answer (with its 👍/👎 row) in a thread. */
const finals = (slack: FakeSlack, thread: string) => slack.botMessages('C1').filter((m) => m.thread_ts === thread && m.blocks?.some((b) => b.type === 'actions'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answeredBy = (r: CairnProcess) => r.log.filter((l) => l.includes('"msg":"question answered"')).length;

describe.skipIf(!DATABASE_URL)(`three cairn start processes behind a round-robin proxy, sharing Redis, PostgreSQL and Qdrant${skipWithout('DATABASE_URL', DATABASE_URL)}`, () => {
  let fleet: FleetServices;
  let slack: FakeSlack;
  let proxy: RoundRobinProxy;
  const replicas: CairnProcess[] = [];
  let ts = 0;
  const nextTs = () => `1800000000.${String((ts += 1)).padStart(6, '0')}`;

  beforeAll(async () => {
    fleet = await startFleetServices(DATABASE_URL!);
    slack = fleet.slack;
    replicas.push(...(await Promise.all([0, 1, 2].map((i) => fleet.startReplica(`replica-${i}`)))));
    await Promise.all(replicas.map((r) => untilReady(r, 180_000)));
    proxy = await startRoundRobinProxy(replicas.map((r) => r.base));
    await fleet.discord.until(() => fleet.discord.connectedShards().length === 1, 30_000);
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    await fleet?.close(replicas);
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
    expect(fleet.discord.connectedShards()).toEqual([0]);
    const asked = fleet.discord.say(CHANNEL, `<@${fleet.discord.botUser.id}> ${QUESTION}`);
    await fleet.discord.until(() => fleet.discord.messagesIn(asked.id).find((m) => m.author?.id === fleet.discord.botUser.id && String(m.content).includes('25 days')), 60_000);
    await sleep(1500);
    expect(fleet.discord.messagesIn(asked.id).filter((m) => m.author?.id === fleet.discord.botUser.id)).toHaveLength(1);
  }, 90_000);

  it('answers a thread follow-up on another replica from the shared thread memory, without conversations.replies', async () => {
    const other = replicas[(answeredFirst + 1) % replicas.length]!;
    const follow = nextTs();
    const before = fleet.llm.bodies.length;
    const answered = answeredBy(other);
    await sendEvent(`${other.base}/slack/events`, SECRET, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'and who approves them?', ts: follow, thread_ts: thread }));
    await slack.waitFor(() => finals(slack, thread).length === 2, 60_000, 'the follow-up answer');
    expect(answeredBy(other)).toBe(answered + 1);
    expect(slack.callsTo('conversations.replies')).toHaveLength(0);
    const answerCall = fleet.llm.bodies.slice(before).find((b) => b.model === 'main')!;
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
    const out = path.join(fleet.dir, 'sft.jsonl');
    const exporter = fleet.cairn(['export', 'sft', '--out', out], { CAIRN_DATA_DIR: path.join(fleet.dir, 'exporter'), LOG_LEVEL: 'error' });
    let stdout = '';
    exporter.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    expect(await new Promise((r) => exporter.once('exit', r))).toBe(0);
    expect(stdout).toMatch(/^Wrote 2 conversations/);
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(2);
  }, 90_000);

  it('runs one of two /cairn-reindex sent to two replicas and tells the other one is running', async () => {
    await writeFile(path.join(fleet.dir, 'docs/travel.md'), '# Travel\n\nBook travel through the travel desk at least two weeks ahead.\n');
    // A slow embedding endpoint keeps the first run going while the second arrives.
    fleet.embeddings.delayMs = 3000;
    try {
      const acks = await Promise.all([0, 1].map((i) => sendCommand(`${replicas[i]!.base}/slack/events`, SECRET, commandFields({ command: '/cairn-reindex', user_id: 'UADMIN', channel_id: 'C1', response_url: slack.responseUrl(`reindex-${i}`) }))));
      // What each admin sees: the command's own reply, then what comes through its response_url.
      const said = (i: number) => [acks[i]!.body, ...slack.responsesTo(`reindex-${i}`).map((r) => JSON.stringify(r.body))].join('\n');
      await slack.waitFor(() => /already running/.test(said(0) + said(1)), 15_000, 'one replica saying a re-index is running');
      const busy = /already running/.test(said(0)) ? 0 : 1;
      expect(said(1 - busy)).not.toMatch(/already running/);
      await slack.waitFor(() => /Re-index done: .*1 document ingested/s.test(said(1 - busy)), 60_000, 'the re-index finishing');
    } finally {
      fleet.embeddings.delayMs = 0;
    }
  }, 90_000);

  it('moves the Discord gateway to another replica within 15 s of a kill -9 of its holder, which answers the next mention', async () => {
    const holder = replicas.find((r) => r.log.some((l) => l.includes('"msg":"holding discord shard"')))!;
    expect(holder).toBeDefined();
    const identifies = fleet.discord.identifies.length;
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await fleet.discord.until(() => fleet.discord.identifies.length > identifies && fleet.discord.connectedShards().length === 1, 15_000);
    expect(fleet.discord.identifies.at(-1)!.at - killedAt).toBeLessThan(15_000);
    const asked = fleet.discord.say(CHANNEL, `<@${fleet.discord.botUser.id}> ${QUESTION}`);
    await fleet.discord.until(() => fleet.discord.messagesIn(asked.id).find((m) => m.author?.id === fleet.discord.botUser.id && String(m.content).includes('25 days')), 60_000);
    const taker = replicas.find((r) => r !== holder && r.log.some((l) => l.includes('took over discord shard')));
    expect(taker).toBeDefined();
  }, 90_000);

  it('keeps answering, once per question, with Redis stopped', async () => {
    await fleet.redis.stop();
    const live = replicas.find((r) => r.child.exitCode === null && r.child.signalCode === null)!;
    const asked = nextTs();
    await sendEvent(`${live.base}/slack/events`, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U2', text: `<@UBOT> ${QUESTION}`, ts: asked }));
    await slack.waitFor(() => finals(slack, asked).length > 0, 60_000, 'the answer with Redis stopped');
    await sleep(1000);
    expect(finals(slack, asked)).toHaveLength(1);
  }, 90_000);
});
