import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gapsTargets, slotAt, startGapsSummary, type GapsSummaryDeps, type GapsSummarySchedule } from '../../src/app/gaps-summary.js';
import type { GapsSummary } from '../../src/chat/shared/admin.js';
import { readableGroups } from '../../src/core/access.js';
import { MemoryClaims, RedisClaims, SqliteClaims, type Claims } from '../../src/shared-state/claims.js';
import { PgClaims } from '../../src/shared-state/pg-claims.js';
import { CHANNEL_A, startHarness as startDiscord, type Harness as DiscordHarness } from '../chat/discord/harness.js';
import { startHarness as startSlack, type Harness as SlackHarness } from '../chat/slack/harness.js';
import { DATABASE_URL, isolatedRedis, pgSchema, REDIS_URL, skipWithout } from '../shared-state/helpers.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Monday 09:00 UTC, the default. */
const AT = { weekday: 1, hour: 9 };
const MONDAY_9 = Date.parse('2026-12-07T09:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADMIN_CHANNEL = 'CADMIN';
const POLICY = { channels: { CHR: ['hr'], [ADMIN_CHANNEL]: ['ops'] }, users: {}, publicGroups: ['public'] };

/** A clock `lead` ms of real time before the due hour a week after MONDAY_9: the start catches up the week before, the timer posts the next. */
function clockBefore(dueAt: number, lead: number): () => number {
  const shift = dueAt - lead - Date.now();
  return () => Date.now() + shift;
}

const topics = (n: number, days = 7): GapsSummary => ({
  days,
  questions: n * 2,
  topics: Array.from({ length: n }, (_, i) => ({ size: 2, suggestedTitle: `Topic ${i + 1}`, examples: [`How do I do thing ${i + 1}? ${'detail '.repeat(40)}`, `Question <!channel> ${i + 1}`], closest: ['VPN guide'] })),
});

describe('slotAt: the weekly due time at or before now (UTC)', () => {
  it('is the due hour itself, the week before it, and the same week after it', () => {
    expect(slotAt(MONDAY_9, AT)).toBe(MONDAY_9);
    expect(slotAt(MONDAY_9 - 1, AT)).toBe(MONDAY_9 - WEEK);
    expect(slotAt(MONDAY_9 + 6 * 24 * HOUR + 23 * HOUR, AT)).toBe(MONDAY_9);
    expect(slotAt(MONDAY_9 + WEEK, AT)).toBe(MONDAY_9 + WEEK);
    // Sunday 23:00, due hours either side of midnight and the year's end.
    expect(new Date(slotAt(Date.parse('2027-01-03T22:00:00Z'), { weekday: 0, hour: 23 })).toISOString()).toBe('2026-12-27T23:00:00.000Z');
    expect(new Date(slotAt(Date.parse('2027-01-01T00:30:00Z'), { weekday: 5, hour: 0 })).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('the weekly gaps summary in cairn start', () => {
  let logged: Array<{ msg: string; level: number; channel?: string }>;
  const logger = pino({ level: 'debug' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  let slack: SlackHarness | undefined;
  let discord: DiscordHarness | undefined;
  const schedules: GapsSummarySchedule[] = [];
  let dir = '';
  let asked: string[][];

  beforeEach(async () => {
    logged = [];
    asked = [];
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-gaps-summary-'));
  });
  afterEach(async () => {
    await Promise.all(schedules.splice(0).map((s) => s.stop()));
    await slack?.close();
    await discord?.close();
    slack = discord = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  function start(over: Partial<GapsSummaryDeps> & Pick<GapsSummaryDeps, 'targets' | 'claims' | 'now'>): GapsSummarySchedule {
    const schedule = startGapsSummary({
      at: AT,
      channelGroups: (channelId) => readableGroups(POLICY, { kind: 'conversation', channelId }),
      gaps: async (groups, days) => {
        asked.push(groups);
        return topics(2, days);
      },
      logger,
      ...over,
    });
    schedules.push(schedule);
    return schedule;
  }
  const summaries = () => slack!.fake.botMessages(ADMIN_CHANNEL).filter((m) => String(m.text).includes('Weekly coverage gaps'));

  it('Slack: posts the week missed at start and the next at its hour, with the admin channel’s groups; a restart that week posts nothing', async () => {
    slack = await startSlack({ gapsChannel: ADMIN_CHANNEL });
    const now = clockBefore(MONDAY_9 + WEEK, 300);
    const claims = new SqliteClaims(dir);
    start({ targets: gapsTargets([slack.adapter]), claims, now });
    await slack.fake.waitFor(() => summaries().length === 2, 5000, 'the missed week, then the next one');
    expect(asked).toEqual([['ops'], ['ops']]);
    const text = String(summaries()[0]!.text);
    expect(text).toContain('*Weekly coverage gaps* (last 7 days, 4 weak answers');
    expect(text).toContain('Topic 2');
    // A question's `<!channel>` is shown, not sent to everyone.
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');

    // A restart in the same week (a new process over the same claims.sqlite) finds the week posted.
    await schedules.pop()!.stop();
    await claims.close();
    const restarted = new SqliteClaims(dir);
    start({ targets: gapsTargets([slack.adapter]), claims: restarted, now });
    await sleep(300);
    expect(summaries()).toHaveLength(2);
    expect(logged.filter((l) => l.msg.startsWith('weekly gaps summary already posted'))).toHaveLength(1);
    await schedules.pop()!.stop();
    await restarted.close();
  });

  it('a refused post is logged, frees its claim, and is tried again; a failing gaps report stops nothing', async () => {
    slack = await startSlack({ gapsChannel: ADMIN_CHANNEL });
    slack.fake.failNext('chat.postMessage', 'not_in_channel');
    let failures = 1;
    start({
      targets: gapsTargets([slack.adapter]), claims: new MemoryClaims(), now: clockBefore(MONDAY_9 + WEEK, 60_000), retryMs: 100,
      gaps: async (_groups, days) => {
        if (failures-- > 0) throw new Error('embedder unreachable');
        return topics(1, days);
      },
    });
    await slack.fake.waitFor(() => summaries().length === 1, 5000, 'the summary on the third try');
    const errors = logged.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(errors).toEqual(['weekly gaps summary could not be posted', 'weekly gaps summary could not be posted']);
    await sleep(300);
    expect(summaries()).toHaveLength(1);
  });

  it('gives up on a week after three failed tries, saying so, and posts nothing after stop()', async () => {
    slack = await startSlack({ gapsChannel: ADMIN_CHANNEL });
    const schedule = start({
      targets: gapsTargets([slack.adapter]), claims: new MemoryClaims(), now: clockBefore(MONDAY_9 + WEEK, 60_000), retryMs: 50,
      gaps: async () => {
        throw new Error('embedder unreachable');
      },
    });
    for (let i = 0; i < 100 && !logged.some((l) => l.msg.startsWith('weekly gaps summary not posted this week')); i++) await sleep(20);
    expect(logged.filter((l) => l.msg === 'weekly gaps summary could not be posted')).toHaveLength(3);
    expect(logged.some((l) => l.msg.startsWith('weekly gaps summary not posted this week'))).toBe(true);
    await schedule.stop();
    expect(summaries()).toHaveLength(0);
  });

  it('Discord: a week with no weak answers gets one friendly line, and a long summary is split under 2,000 characters and pings nobody', async () => {
    discord = await startDiscord({ config: { gapsChannel: CHANNEL_A } });
    let report = topics(0);
    start({ targets: gapsTargets([discord.adapter]), claims: new MemoryClaims(), now: clockBefore(MONDAY_9 + WEEK, 300), gaps: async (_g, days) => ({ ...report, days }) });
    await discord.fake.until(() => discord!.botMessages(CHANNEL_A).length === 1);
    expect(discord.botMessages(CHANNEL_A)[0]!.content).toBe('**Weekly coverage gaps**: no gaps this week. No declined, unsupported or 👎 answers in the last 7 days that this channel may see.');
    report = topics(5);
    report.topics.forEach((t) => (t.examples = [`${t.examples[0]!}${'x'.repeat(600)}`, t.examples[1]!]));
    await discord.fake.until(() => discord!.botMessages(CHANNEL_A).length > 2, 5000);
    const posts = discord.fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL_A}/messages`);
    expect(posts.length).toBeGreaterThan(2);
    for (const p of posts) {
      expect(String(p.body.content).length).toBeLessThanOrEqual(2000);
      expect(p.body.allowed_mentions).toEqual({ parse: [] });
    }
  });

  const stores: Array<[string, () => Promise<{ open: () => Claims; cleanup: () => Promise<void> }>, boolean]> = [
    ['claims.sqlite (two processes on one machine)', async () => ({ open: () => new SqliteClaims(dir), cleanup: async () => undefined }), false],
    [`Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`, async () => {
      const { redis, cleanup } = await isolatedRedis();
      return { open: () => new RedisClaims(redis), cleanup };
    }, !REDIS_URL],
    [`PostgreSQL at DATABASE_URL${skipWithout('DATABASE_URL', DATABASE_URL)}`, async () => {
      const { schema, drop } = pgSchema();
      return { open: () => new PgClaims(DATABASE_URL!, { schema }), cleanup: drop };
    }, !DATABASE_URL],
  ];
  for (const [name, make, skip] of stores) {
    it.skipIf(skip)(`two replicas sharing ${name} post each week once`, async () => {
      slack = await startSlack({ gapsChannel: ADMIN_CHANNEL });
      const store = await make();
      const replicas = [store.open(), store.open()];
      try {
        const now = clockBefore(MONDAY_9 + WEEK, 300);
        for (const claims of replicas) start({ targets: gapsTargets([slack.adapter]), claims, now });
        await slack.fake.waitFor(() => summaries().length === 2, 5000, 'two weeks');
        await sleep(300);
        expect(summaries()).toHaveLength(2);
        expect(logged.filter((l) => l.msg.startsWith('weekly gaps summary already posted'))).toHaveLength(2);
      } finally {
        await Promise.all(schedules.splice(0).map((s) => s.stop()));
        for (const c of replicas) await c.close();
        await store.cleanup();
      }
    });
  }
});
