import { describe, expect, it } from 'vitest';
import { DeliveryMemory } from '../../../src/chat/slack/delivery-memory.js';

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
