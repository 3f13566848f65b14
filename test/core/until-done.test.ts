import { describe, expect, it } from 'vitest';
import { untilDone } from '../../src/core/until-done.js';

describe('untilDone', () => {
  it('shares the attempt under way, keeps a success, and tries again after a failure', async () => {
    let calls = 0;
    let fail = true;
    const ready = untilDone(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error(`down ${calls}`);
      return calls;
    });
    const [a, b] = await Promise.allSettled([ready(), ready()]);
    expect(calls).toBe(1);
    expect(a).toEqual({ status: 'rejected', reason: new Error('down 1') });
    expect(b).toEqual(a);
    fail = false;
    expect(await ready()).toBe(2);
    expect(await ready()).toBe(2);
    expect(calls).toBe(2);
  });
});
