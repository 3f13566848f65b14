import { afterEach, describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { PgFeedbackStore } from '../../src/feedback/pg-feedback-store.js';
import type { FeedbackRepository } from '../../src/feedback/types.js';
import { DATABASE_URL, pgSchema, skipWithout } from '../shared-state/helpers.js';
import { LEAVE_CITATION, reply, request, scratchDir } from './helpers.js';

type Factory = () => Promise<{ store: FeedbackRepository; cleanup: () => Promise<void> }>;

const vote = (requestId: string, userId: string, v: 'up' | 'down', at: string, reason?: string) =>
  ({ requestId, platform: 'slack' as const, channelId: 'C42', userId, vote: v, at, ...(reason ? { reason } : {}) });

/** The behaviour every FeedbackRepository must have: the SQLite file and PostgreSQL alike. */
function runFeedbackContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`FeedbackRepository contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('joins answers and votes; a second click replaces the first but keeps its reason', async () => {
      const store = (made = await make()).store;
      await store.remember(request('How many leave days?'), reply('25 days [1].', [LEAVE_CITATION]), 'r1');
      await store.remember(request('Parking?'), reply('Level 2.'), 'r2');
      await store.record(vote('r1', 'U1', 'down', '2025-03-01T10:01:00.000Z', 'cites the wrong page'));
      await store.record(vote('r1', 'U1', 'down', '2025-03-01T10:02:00.000Z'));
      await store.record(vote('r2', 'U1', 'up', '2025-03-01T10:03:00.000Z'));
      await store.record(vote('r2', 'U2', 'up', '2025-03-01T10:04:00.000Z'));
      const down = await store.voted({ vote: 'down' });
      expect(down.map((e) => [e.requestId, e.down, e.reasons])).toEqual([['r1', 1, ['cites the wrong page']]]);
      expect(down[0]!.citations).toEqual([LEAVE_CITATION]);
      expect(down[0]!.accessGroups).toEqual(['public']);
      expect((await store.voted({ vote: 'up', minVotes: 2 })).map((e) => e.requestId)).toEqual(['r2']);
      expect(await store.voted({ vote: 'up', since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
      const cases = await store.evalCases();
      expect(cases).toHaveLength(1);
    });

    it('lists the weak answers: declined or not fully supported, or voted 👎, with their votes', async () => {
      const store = (made = await make()).store;
      const graded = (verdict: 'supported' | 'partial' | 'unsupported') => ({ ...reply('…'), grounding: { verdict, confidence: 0.5 } });
      await store.remember(request('Supported and liked'), graded('supported'), 'fine');
      await store.remember(request('Declined'), graded('unsupported'), 'declined');
      await store.remember(request('Half backed'), graded('partial'), 'partial');
      await store.remember(request('Supported but disliked'), graded('supported'), 'disliked');
      await store.record(vote('fine', 'U1', 'up', '2025-03-01T10:00:00.000Z'));
      await store.record(vote('disliked', 'U1', 'down', '2025-03-01T10:00:00.000Z', 'outdated'));
      await store.record(vote('disliked', 'U2', 'up', '2025-03-01T10:01:00.000Z'));
      const weak = await store.weakAnswers();
      expect(weak.map((e) => [e.requestId, e.verdict, e.up, e.down]).sort()).toEqual([
        ['declined', 'unsupported', 0, 0], ['disliked', 'supported', 1, 1], ['partial', 'partial', 0, 0],
      ]);
      expect(weak.find((e) => e.requestId === 'disliked')!.reasons).toEqual(['outdated']);
      expect(weak[0]!.accessGroups).toEqual(['public']);
      expect(await store.weakAnswers({ since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
    });

    it('finds an answer by its requestId, and null for one it never kept', async () => {
      const store = (made = await make()).store;
      await store.remember(request('How many leave days?'), reply('25 days [1].', [LEAVE_CITATION]), 'r1');
      expect(await store.exchange('r1')).toMatchObject({ requestId: 'r1', question: 'How many leave days?', answer: '25 days [1].', citations: [LEAVE_CITATION], accessGroups: ['public'] });
      expect(await store.exchange('nope')).toBeNull();
    });

    it('keeps one hand-off per answer whoever clicks; a released one may be claimed again; handed-off answers are gaps and survive pruning', async () => {
      const store = (made = await make()).store;
      await store.remember(request('Parking?'), reply('Level 2.'), 'r1');
      const handOff = (userId: string) => ({ requestId: 'r1', platform: 'slack' as const, channelId: 'C42', userId, at: '2025-03-01T10:00:00.000Z' });
      expect(await store.claimHandOff(handOff('U1'))).toBe(true);
      expect(await store.claimHandOff(handOff('U2'))).toBe(false);
      expect((await store.weakAnswers()).map((e) => e.requestId)).toEqual(['r1']);
      expect(await store.prune(Date.now() + 31 * 86_400_000)).toBe(0);
      await store.releaseHandOff('r1');
      expect(await store.claimHandOff(handOff('U2'))).toBe(true);
    });

    it('prunes answers nobody voted on after the retention, and keeps voted ones', async () => {
      const store = (made = await make()).store;
      await store.remember(request('a'), reply('A.'), 'unvoted');
      await store.remember(request('b'), reply('B.'), 'voted');
      await store.record(vote('voted', 'U1', 'up', '2025-03-01T10:00:00.000Z'));
      expect(await store.prune(Date.now() + 31 * 86_400_000)).toBe(1);
      expect((await store.voted({ vote: 'up' })).map((e) => e.requestId)).toEqual(['voted']);
    });
  });
}

runFeedbackContract('feedback.sqlite', async () => {
  const s = await scratchDir();
  const store = new FeedbackStore(s.dir);
  return { store, cleanup: async () => (store.close(), s.cleanup()) };
});

runFeedbackContract(
  `PostgreSQL at DATABASE_URL${skipWithout('DATABASE_URL', DATABASE_URL)}`,
  async () => {
    const { schema, drop } = pgSchema();
    const store = new PgFeedbackStore(DATABASE_URL!, { schema });
    return { store, cleanup: async () => (await store.close(), await drop()) };
  },
  !DATABASE_URL,
);

describe.skipIf(!DATABASE_URL)(`PgFeedbackStore across replicas${skipWithout('DATABASE_URL', DATABASE_URL)}`, () => {
  it('creates its tables once when five replicas start together, and each sees the others\' votes', async () => {
    const { schema, drop } = pgSchema();
    const replicas = Array.from({ length: 5 }, () => new PgFeedbackStore(DATABASE_URL!, { schema }));
    try {
      await Promise.all(replicas.map((r) => r.ready()));
      await replicas[0]!.remember(request('How many leave days?'), reply('25 days.'), 'r1');
      await replicas[1]!.record(vote('r1', 'U1', 'up', '2025-03-01T10:01:00.000Z'));
      await replicas[2]!.record(vote('r1', 'U2', 'up', '2025-03-01T10:02:00.000Z'));
      expect((await replicas[4]!.voted({ vote: 'up' })).map((e) => [e.requestId, e.up])).toEqual([['r1', 2]]);
      // Five replicas clicking "Still need help?" at once: one hand-off.
      const claims = await Promise.all(replicas.map((r, i) => r.claimHandOff({ requestId: 'r1', platform: 'slack', channelId: 'C42', userId: `U${i}`, at: '2025-03-01T10:03:00.000Z' })));
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await drop();
    }
  });
});

describe('PgFeedbackStore with PostgreSQL unreachable', () => {
  it('rejects a vote, so the surface tells the user it was not recorded', async () => {
    const store = new PgFeedbackStore('postgres://postgres@127.0.0.1:1/none');
    try {
      await expect(store.record(vote('r1', 'U1', 'up', '2025-03-01T10:01:00.000Z'))).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await store.close();
    }
  });
});
