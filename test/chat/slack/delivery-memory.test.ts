import { describe, expect, it } from 'vitest';
import { DeliveryMemory } from '../../../src/chat/slack/delivery-memory.js';

describe('DeliveryMemory', () => {
  it('sees each event id and each user message once', () => {
    const m = new DeliveryMemory();
    expect([m.firstDelivery('Ev1'), m.firstDelivery('Ev1'), m.firstDelivery('Ev2')]).toEqual([true, false, true]);
    expect([m.claimMessage('C1', '1.1'), m.claimMessage('C1', '1.1'), m.claimMessage('C2', '1.1')]).toEqual([true, false, true]);
  });

  it('remembers the threads it answered in, per channel', () => {
    const m = new DeliveryMemory();
    m.rememberThread('C1', '1.1');
    expect([m.answeredInThread('C1', '1.1'), m.answeredInThread('C2', '1.1'), m.answeredInThread('C1', '1.2')]).toEqual([true, false, false]);
  });

  it('forgets event ids after their time to live', async () => {
    const m = new DeliveryMemory({ eventTtlMs: 30 });
    m.firstDelivery('Ev1');
    await new Promise((r) => setTimeout(r, 60));
    expect(m.firstDelivery('Ev1')).toBe(true);
  });
});
