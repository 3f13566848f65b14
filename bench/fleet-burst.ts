/**
 * A burst of Slack questions against one `cairn start` process and against three behind a
 * round-robin proxy (shared Redis, PostgreSQL and the fake Qdrant), with a fixed-latency fake model:
 *   DATABASE_URL=postgres://… node --import tsx bench/fleet-burst.ts [--questions 1000] [--users 50] [--answer-ms 200] [--retries 100]
 * Every question is one app_mention; `--retries` of them are delivered a second time (as Slack
 * retries, landing on the next replica). Reports, per fleet size: outcomes (exactly one per question;
 * lost and doubled counted), answers vs notices, throughput and time to reply p50/p95.
 * Prints a table and one JSON line.
 */
import { parseArgs } from 'node:util';
import { eventEnvelope, sendEvent, type StoredMessage } from '../test/fakes/slack-server.js';
import { FLEET, startFleetServices, untilReady, type CairnProcess } from '../test/helpers/fleet.js';
import { startRoundRobinProxy } from '../test/helpers/round-robin-proxy.js';
import { percentiles } from './percentiles.js';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: '1000' },
    users: { type: 'string', default: '50' },
    'answer-ms': { type: 'string', default: '200' },
    retries: { type: 'string', default: '100' },
  },
});
const QUESTIONS = Number(values.questions);
const USERS = Number(values.users);
const ANSWER_MS = Number(values['answer-ms']);
const RETRIES = Number(values.retries);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL (a PostgreSQL server whose user may create databases), e.g. postgres://postgres@127.0.0.1:5432/test');
  process.exit(2);
}

const tsOf = (i: number) => `1799990000.${String(i).padStart(6, '0')}`;
const isFinal = (m: StoredMessage) => m.edits > 0 && !m.blocks?.some((b) => b.block_id === 'cairn_progress');
const round = (x: number) => Math.round(x * 10) / 10;

async function burst(replicaCount: number) {
  const fleet = await startFleetServices(databaseUrl!, { answerDelayMs: ANSWER_MS });
  const replicas: CairnProcess[] = [];
  try {
    // Questions may queue as deep as the burst: the figure wanted is the time to reply, not the busy notice.
    replicas.push(...(await Promise.all(Array.from({ length: replicaCount }, (_, i) => fleet.startReplica(`replica-${i}`, { QUEUE_MAX: String(QUESTIONS) })))));
    await Promise.all(replicas.map((r) => untilReady(r, 240_000)));
    const proxy = await startRoundRobinProxy(replicas.map((r) => r.base));
    const url = `${proxy.url}/slack/events`;
    const sentAt = new Map<string, number>();
    const started = Date.now();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < QUESTIONS; i += 1) {
      const ts = tsOf(i);
      const envelope = eventEnvelope({ type: 'app_mention', channel: 'C1', user: `U${i % USERS}`, text: `<@UBOT> ${FLEET.question} (${i})`, ts });
      sentAt.set(ts, Date.now());
      sends.push(sendEvent(url, FLEET.secret, envelope));
      if (i < RETRIES) sends.push(sendEvent(url, FLEET.secret, envelope, { retryNum: 1 }));
      // 50 in flight at most, as a busy workspace's event stream.
      if (sends.length >= 50) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);
    const finalsByThread = () => {
      const byThread = new Map<string, StoredMessage[]>();
      for (const m of fleet.slack.botMessages('C1')) if (m.thread_ts && isFinal(m)) byThread.set(m.thread_ts, [...(byThread.get(m.thread_ts) ?? []), m]);
      return byThread;
    };
    await fleet.slack.waitFor(() => finalsByThread().size >= QUESTIONS, 600_000, 'an outcome for every question').catch(() => undefined);
    // Long enough for a doubled reply to show.
    await new Promise((r) => setTimeout(r, 2000));
    const byThread = finalsByThread();
    const replies = [...byThread.values()].map((ms) => ms[0]!);
    const times = replies.map((m) => (m.editedAt ?? NaN) - (sentAt.get(m.thread_ts!) ?? NaN));
    const lastAt = Math.max(...replies.map((m) => m.editedAt ?? 0));
    await proxy.close();
    return {
      replicas: replicaCount,
      questions: QUESTIONS,
      outcomes: byThread.size,
      lost: QUESTIONS - byThread.size,
      doubled: [...byThread.values()].filter((ms) => ms.length > 1).length,
      answers: replies.filter((m) => m.blocks?.some((b) => b.type === 'actions')).length,
      notices: replies.filter((m) => !m.blocks?.some((b) => b.type === 'actions')).length,
      perSecond: round(byThread.size / ((lastAt - started) / 1000)),
      reply: percentiles(times),
    };
  } finally {
    await fleet.close(replicas);
  }
}

const results = [];
for (const n of [1, 3]) results.push(await burst(n));
console.log(`burst of ${QUESTIONS} questions from ${USERS} users (${RETRIES} delivered twice), model answer ${ANSWER_MS} ms`);
console.log('replicas | outcomes | lost | doubled | answers | notices | replies/s | reply p50 | reply p95');
for (const r of results) {
  console.log(`${r.replicas} | ${r.outcomes} | ${r.lost} | ${r.doubled} | ${r.answers} | ${r.notices} | ${r.perSecond} | ${Math.round(r.reply.p50_ms)} ms | ${Math.round(r.reply.p95_ms)} ms`);
}
console.log(JSON.stringify({ questions: QUESTIONS, users: USERS, answerMs: ANSWER_MS, retries: RETRIES, results }));
process.exit(0);
