import { describe, expect, it } from 'vitest';
import { maskPii } from '../../src/feedback/mask.js';

describe('maskPii', () => {
  it.each([
    ['mail jane.doe+hr@example.co.uk today', 'mail [EMAIL] today'],
    ['bot token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx here', 'bot token [TOKEN] here'],
    ['app token xapp-1-A0123456789-1234567890123-abcdef0123456789', 'app token [TOKEN]'],
    ['OPENAI_API_KEY=sk-proj-AbCdEf0123456789_xyzXYZ0123', 'OPENAI_API_KEY=[TOKEN]'],
    ['use ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 for CI', 'use [TOKEN] for CI'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', '[TOKEN]'],
    ['aws AKIAIOSFODNN7EXAMPLE key', 'aws [TOKEN] key'],
    ['discord MTA4NzY1NDMyMTA5ODc2NTQzMg.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456', 'discord [TOKEN]'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt [TOKEN]'],
    ['Authorization: Bearer abc.DEF-123_456.ghi~789', 'Authorization: Bearer [TOKEN]'],
    ['signing secret 8f14e45fceea167a5a36dedd4bea2543 set', 'signing secret [SECRET] set'],
    ['blob QmFzZTY0U2VjcmV0VmFsdWUxMjM0NTY3ODkwYWJjZGVm== end', 'blob [SECRET] end'],
    ['call +44 20 7946 0958 or (555) 123-4567 or 555.123.4567', 'call [PHONE] or [PHONE] or [PHONE]'],
  ])('%s', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it('leaves ordinary text, numbers, dates, versions, paths and code alone', () => {
    const text = 'Call ack() within 3 seconds. Bolt 4.2.1 since 2024-05-01; 25 days; 70,000 euros; 10 000 000 rows; see /slack/events and app.message("hello").';
    expect(maskPii(text)).toBe(text);
  });
});
