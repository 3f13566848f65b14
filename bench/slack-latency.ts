/**
 * Slack adapter latency over loopback, with the real Bolt App against the local fake Slack.
 *   node --import tsx bench/slack-latency.ts [--events 50] [--slow-ms 3000] [--burst 1000] [--users 50]
 * 1. Signed events with a slow answerer: time to the HTTP ack and to the first visible message
 *    (the placeholder arriving at the fake's chat.postMessage), and to the final answer.
 * 2. A burst of questions: replies per second and p95 time to reply (answer or notice).
 * Prints a table and one JSON line.
 */
import { parseArgs } from 'node:util';
import { eventEnvelope, sendEvent } from '../test/fakes/slack-server.js';
import { reply, SECRET, startHarness } from '../test/chat/slack/harness.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '50' },
    'slow-ms': { type: 'string', default: '3000' },
    burst: { type: 'string', default: '1000' },
    users: { type: 'string', default: '50' },
  },
});
const EVENTS = Number(values.events);
const SLOW_MS = Number(values['slow-ms']);
const BURST = Number(values.burst);
const USERS = Number(values.users);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;
const tsOf = (i: number) => `1699990000.${String(i).padStart(6, '0')}`;
const isFinal = (m: { blocks?: { block_id?: string }[] }) => !m.blocks?.some((b) => b.block_id === 'cairn_progress');

async function latency() {
  const h = await startHarness({ limits: { queueConcurrency: EVENTS, queueMax: EVENTS * 2, ratePerMinute: 1000 }, adapter: { progressIntervalMs: 1500 } });
  try {
    h.answerer.script = async (r) => {
      await new Promise((res) => setTimeout(res, SLOW_MS));
      return reply(`Answer to: ${r.question} [1]`);
    };
    const sentAt = new Map<string, number>();
    const ack: number[] = [];
    for (let i = 0; i < EVENTS; i += 1) {
      const ts = tsOf(i);
      sentAt.set(ts, Date.now());
      ack.push((await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: `U${i % 10}`, text: `<@UBOT> q${i}`, ts }))).ms);
      await new Promise((r) => setTimeout(r, 20));
    }
    await h.fake.waitFor(() => h.fake.botMessages('C1').filter((m) => m.edits > 0 && isFinal(m)).length === EVENTS, SLOW_MS + 30_000, 'all answers');
    const first: number[] = [];
    const final: number[] = [];
    for (const m of h.fake.botMessages('C1')) {
      const t0 = sentAt.get(m.thread_ts ?? '') ?? NaN;
      first.push(m.postedAt - t0);
      final.push((m.editedAt ?? NaN) - t0);
    }
    return { ack, first, final };
  } finally {
    await h.close();
  }
}

async function burst() {
  const h = await startHarness({ limits: { ratePerMinute: 30, queueConcurrency: 4, queueMax: 20 } });
  try {
    h.answerer.script = async (r) => {
      await new Promise((res) => setTimeout(res, 20));
      return reply(`Answer to: ${r.question}`);
    };
    const sentAt = new Map<string, number>();
    const started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < BURST) {
        const i = next++;
        sentAt.set(tsOf(i), Date.now());
        await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: `U${i % USERS}`, text: `<@UBOT> q${i}`, ts: tsOf(i) }));
      }
    }));
    await h.fake.waitFor(() => h.fake.botMessages('C1').length === BURST && h.fake.botMessages('C1').every((m) => m.edits > 0 && isFinal(m)), 120_000, 'every reply');
    const msgs = h.fake.botMessages('C1');
    const replyMs = msgs.map((m) => (m.editedAt ?? m.postedAt) - (sentAt.get(m.thread_ts ?? '') ?? NaN));
    const lastAt = Math.max(...msgs.map((m) => m.editedAt ?? m.postedAt));
    const kinds = { answers: 0, busy: 0, rateLimited: 0 };
    for (const m of msgs) {
      const text = m.text ?? '';
      if (text.startsWith('Answer to:')) kinds.answers += 1;
      else if (text.includes('busy')) kinds.busy += 1;
      else if (text.includes('faster than')) kinds.rateLimited += 1;
    }
    return { seconds: (lastAt - started) / 1000, replyMs, kinds, answerCalls: h.answerer.requests.length };
  } finally {
    await h.close();
  }
}

const l = await latency();
const b = await burst();
const result = {
  events: EVENTS,
  slowAnswerMs: SLOW_MS,
  ackMs: { p50: round(pct(l.ack, 50)), p95: round(pct(l.ack, 95)), max: round(Math.max(...l.ack)) },
  firstVisibleMs: { p50: round(pct(l.first, 50)), p95: round(pct(l.first, 95)), max: round(Math.max(...l.first)) },
  finalAnswerMs: { p50: round(pct(l.final, 50)), p95: round(pct(l.final, 95)) },
  burst: {
    questions: BURST, users: USERS, seconds: round(b.seconds), repliesPerSecond: round(BURST / b.seconds),
    answersPerSecond: round(b.kinds.answers / b.seconds), p95ReplyMs: round(pct(b.replyMs, 95)), p50ReplyMs: round(pct(b.replyMs, 50)), ...b.kinds,
  },
};
console.log(`Slack adapter over loopback (${EVENTS} events, answerer ${SLOW_MS} ms)`);
console.log('metric                      p50       p95       max');
for (const [name, v] of [['HTTP ack (ms)', result.ackMs], ['first visible (ms)', result.firstVisibleMs], ['final answer (ms)', { ...result.finalAnswerMs, max: NaN }]] as const) {
  console.log(`${name.padEnd(26)}${String(v.p50).padStart(6)}${String(v.p95).padStart(10)}${String(Number.isNaN(v.max) ? '' : v.max).padStart(10)}`);
}
console.log(`burst: ${BURST} questions from ${USERS} users in ${result.burst.seconds} s — ${result.burst.repliesPerSecond} replies/s, ${result.burst.answersPerSecond} answers/s, p50 ${result.burst.p50ReplyMs} ms, p95 ${result.burst.p95ReplyMs} ms to reply (answers ${b.kinds.answers}, busy ${b.kinds.busy}, rate-limited ${b.kinds.rateLimited})`);
console.log(JSON.stringify({ bench: 'slack-latency', ...result }));
