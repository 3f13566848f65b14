import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/agent/llm/circuit-breaker.js';

function breaker(failures: number, cooldownMs = 1000) {
  const clock = { now: 0 };
  const changes: string[] = [];
  const b = new CircuitBreaker({ failures, cooldownMs, now: () => clock.now, onChange: (state, n) => changes.push(`${state}:${n}`) });
  return { b, clock, changes };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures; a success in between starts the count again', () => {
    const { b, changes } = breaker(3);
    b.failed(b.admit() as 'call');
    b.failed(b.admit() as 'call');
    b.succeeded();
    b.failed(b.admit() as 'call');
    b.failed(b.admit() as 'call');
    expect(b.state).toBe('closed');
    b.failed(b.admit() as 'call');
    expect(b.state).toBe('open');
    expect(b.admit()).toBe('refused');
    expect(changes).toEqual(['open:3']);
  });

  it('after the cool-down admits one probe and refuses the rest until it settles', () => {
    const { b, clock, changes } = breaker(1, 1000);
    b.failed(b.admit() as 'call');
    clock.now = 999;
    expect(b.retryInMs).toBe(1);
    expect(b.admit()).toBe('refused');
    clock.now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.admit()).toBe('probe');
    expect(b.state).toBe('open');
    expect(b.admit()).toBe('refused');
    b.succeeded();
    expect(b.state).toBe('closed');
    expect(b.admit()).toBe('call');
    expect(changes).toEqual(['open:1', 'closed:0']);
  });

  it('a failed probe restarts the cool-down; an abandoned probe lets the next caller probe', () => {
    const { b, clock } = breaker(2, 1000);
    b.failed('call');
    b.failed('call');
    clock.now = 1000;
    b.failed(b.admit() as 'probe');
    expect(b.state).toBe('open');
    expect(b.retryInMs).toBe(1000);
    clock.now = 2000;
    b.abandoned(b.admit() as 'probe');
    expect(b.admit()).toBe('probe');
  });

  it('a failure already in flight when it opened does not extend the cool-down', () => {
    const { b, clock } = breaker(1, 1000);
    b.failed('call');
    clock.now = 600;
    b.failed('call');
    expect(b.retryInMs).toBe(400);
  });

  it('0 failures means never open', () => {
    const { b } = breaker(0);
    for (let i = 0; i < 50; i += 1) b.failed(b.admit() as 'call');
    expect(b.state).toBe('closed');
  });
});
