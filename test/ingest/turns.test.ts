import { describe, expect, it } from 'vitest';
import { turnTaker } from '../../src/ingest/turns.js';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('turnTaker', () => {
  it('lets a timer run during a loop whose awaits only compute', async () => {
    const takeTurn = turnTaker();
    const ranAtStep: number[] = [];
    let step = 0;
    const timer = setInterval(() => ranAtStep.push(step), 0);
    try {
      // About 200 ms of work; without the turns the timer would first run after the loop.
      for (; step < 200; step++) {
        await takeTurn();
        busy(1);
      }
    } finally {
      clearInterval(timer);
    }
    expect(ranAtStep.filter((s) => s < 200).length).toBeGreaterThanOrEqual(3);
  });
});
