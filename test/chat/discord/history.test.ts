import { describe, expect, it } from 'vitest';
import { toTurns } from '../../../src/chat/discord/history.js';
import { WORKING_TEXT } from '../../../src/chat/discord/render/outcome.js';

describe('toTurns', () => {
  it('orders by snowflake, merges a split answer, and drops other bots, empty and placeholder messages', () => {
    const turns = toTurns([
      { id: '1000000000000000003', author: 'self', text: 'Part one.' },
      { id: '1000000000000000001', author: 'user', text: 'How?' },
      { id: '1000000000000000004', author: 'self', text: 'Part two.' },
      { id: '1000000000000000005', author: 'other-bot', text: 'beep' },
      { id: '1000000000000000006', author: 'user', text: '' },
      { id: '1000000000000000007', author: 'self', text: WORKING_TEXT },
      { id: '1000000000000000008', author: 'user', text: 'Why?' },
      // Same length, later id: compared as numbers, not strings.
      { id: '999999999999999999', author: 'user', text: 'First of all' },
    ]);
    expect(turns).toEqual([
      { role: 'user', text: 'First of all\n\nHow?' },
      { role: 'assistant', text: 'Part one.\n\nPart two.' },
      { role: 'user', text: 'Why?' },
    ]);
  });
});
