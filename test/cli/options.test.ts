import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { groupList, positiveInt, sinceDate } from '../../src/cli/options.js';

describe('CLI option parsers', () => {
  it('takes whole numbers from 1 to the maximum only', () => {
    expect(positiveInt(100)('20')).toBe(20);
    for (const bad of ['0', '101', '2.5', 'ten']) expect(() => positiveInt(100)(bad)).toThrow(InvalidArgumentError);
  });

  it('reads --since as an ISO date or time', () => {
    expect(sinceDate('2025-01-31')).toBe('2025-01-31T00:00:00.000Z');
    expect(sinceDate('2025-01-31T12:00:00Z')).toBe('2025-01-31T12:00:00.000Z');
    expect(() => sinceDate('31/01/2025')).toThrow(InvalidArgumentError);
  });

  it('splits --groups on commas', () => {
    expect(groupList(' public, hr ')).toEqual(['public', 'hr']);
    expect(() => groupList('hr,../etc')).toThrow(InvalidArgumentError);
  });
});
