import { describe, expect, it } from 'vitest';
import { eventEnvelope, sendEvent } from '../../fakes/slack-server.js';
import { reply, SECRET, sectionText, startHarness } from './harness.js';

const QUESTIONS = 1000;
const USERS = 50;

// Inherently heavy: ~4,000 loopback HTTP exchanges through the real Bolt App and Web API client.
describe('Slack adapter under a burst', () => {
  it('gives each of 1,000 questions from 50 users exactly one reply: an answer, a rate-limit or a busy notice', async () => {
    const h = await startHarness({ limits: { ratePerMinute: 15, queueConcurrency: 4, queueMax: 20 } });
    try {
      h.answerer.script = async (r) => {
        await new Promise((res) => setTimeout(res, 5));
        return reply(`Answer to: ${r.question}`);
      };
      const ts = (i: number) => `1699990000.${String(i).padStart(6, '0')}`;
      const statuses: number[] = [];
      let next = 0;
      // 50 connections deliver the burst as fast as the app acks.
      await Promise.all(Array.from({ length: 50 }, async () => {
        while (next < QUESTIONS) {
          const i = next++;
          const event = { type: 'app_mention', channel: 'C1', user: `U${i % USERS}`, text: `<@UBOT> question ${i}`, ts: ts(i) };
          statuses.push((await sendEvent(h.url, SECRET, eventEnvelope(event))).status);
        }
      }));
      expect(statuses.filter((s) => s === 200)).toHaveLength(QUESTIONS);
      const isFinal = (m: (typeof h.fake.messages)[number]) => !m.blocks?.some((b) => b.block_id === 'cairn_progress');
      await h.fake.waitFor(() => h.fake.botMessages('C1').length === QUESTIONS && h.fake.botMessages('C1').every(isFinal), 45_000, 'every reply');
      await h.adapter.stop();

      const perThread = new Map<string, number>();
      for (const c of h.fake.callsTo('chat.postMessage')) perThread.set(String(c.args.thread_ts), (perThread.get(String(c.args.thread_ts)) ?? 0) + 1);
      expect(perThread.size).toBe(QUESTIONS);
      expect([...perThread.values()].every((n) => n === 1)).toBe(true);

      const kinds = { answer: 0, rate: 0, busy: 0, other: 0 };
      for (let i = 0; i < QUESTIONS; i += 1) {
        const m = h.fake.botMessages('C1').find((x) => x.thread_ts === ts(i))!;
        const text = sectionText(m);
        if (text.includes(`Answer to: question ${i}`)) kinds.answer += 1;
        else if (/asking faster than I can keep up/.test(text)) kinds.rate += 1;
        else if (/busy with other questions/.test(text)) kinds.busy += 1;
        else kinds.other += 1;
      }
      expect(kinds.other).toBe(0);
      expect(kinds.rate).toBe(USERS * (QUESTIONS / USERS - 15));
      expect(kinds.answer).toBe(h.answerer.requests.length);
      expect(kinds.answer + kinds.busy + kinds.rate).toBe(QUESTIONS);
      expect(kinds.answer).toBeGreaterThan(0);
      expect(kinds.busy).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  }, 60_000);
});
