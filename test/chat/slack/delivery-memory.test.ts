import { describe, expect, it } from 'vitest';
import { DeliveryMemory } from '../../../src/chat/slack/delivery-memory.js';
import { RedisDedupe } from '../../../src/shared-state/dedupe.js';
import { RedisThreadRegistry } from '../../../src/shared-state/threads.js';
import { isolatedRedis, REDIS_URL, skipWithout } from '../../shared-state/helpers.js';

describe('DeliveryMemory', () => {
  it('sees each event (app, team, event id) and each user message once', async () => {
    const m = new DeliveryMemory();
    const ev = (eventId: string, teamId = 'T1') => m.firstDelivery({ apiAppId: 'A1', teamId, eventId });
    expect([await ev('Ev1'), await ev('Ev1'), await ev('Ev2'), await ev('Ev1', 'T2')]).toEqual([true, false, true, true]);
    expect([await m.claimMessage('C1', '1.1'), await m.claimMessage('C1', '1.1'), await m.claimMessage('C2', '1.1')]).toEqual([true, false, true]);
  });

  it('remembers the threads it answered in, per channel', async () => {
    const m = new DeliveryMemory();
    await m.rememberThread('C1', '1.1');
    expect([await m.answeredInThread('C1', '1.1'), await m.answeredInThread('C2', '1.1'), await m.answeredInThread('C1', '1.2')]).toEqual([true, false, false]);
  });

  it('forgets event ids after their time to live', async () => {
    const m = new DeliveryMemory({ eventTtlMs: 30 });
    await m.firstDelivery({ eventId: 'Ev1' });
    await new Promise((r) => setTimeout(r, 60));
    expect(await m.firstDelivery({ eventId: 'Ev1' })).toBe(true);
  });
});

describe('DeliveryMemory: support threads', () => {
  it('knows a support thread, and that a person took it over, only for that thread', async () => {
    const m = new DeliveryMemory();
    await m.rememberSupportThread('C1', '1.1');
    await m.rememberSupportThread('C1', '1.2');
    await m.supportThreadTakenOver('C1', '1.2');
    expect([await m.supportThread('C1', '1.1'), await m.supportThread('C1', '1.2'), await m.supportThread('C2', '1.1')]).toEqual([{ quiet: false }, { quiet: true }, undefined]);
  });
});

describe.skipIf(!REDIS_URL)(`DeliveryMemory: support threads across replicas${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('a take-over seen by one replica keeps the other quiet', async () => {
    const { redis, cleanup } = await isolatedRedis();
    try {
      const replica = () => new DeliveryMemory({}, { dedupe: new RedisDedupe(redis, () => undefined), threads: new RedisThreadRegistry(redis, () => undefined) });
      const [a, b] = [replica(), replica()];
      await a.rememberSupportThread('C1', '1.1');
      expect(await b.supportThread('C1', '1.1')).toEqual({ quiet: false });
      await b.supportThreadTakenOver('C1', '1.1');
      expect(await a.supportThread('C1', '1.1')).toEqual({ quiet: true });
    } finally {
      await cleanup();
    }
  });
});
