import { describe, expect, it } from 'vitest';
import { compareTs, dmToTurns, threadToTurns, type ThreadMessage } from '../../../src/chat/slack/history.js';

const bot = { botUserId: 'UBOT', botId: 'BBOT' };

describe('threadToTurns', () => {
  it('maps the bot’s answers to assistant turns and everyone else to user turns, oldest first, before the current message', () => {
    const messages: ThreadMessage[] = [
      { ts: '100.000100', user: 'U1', text: '<@UBOT> how do I deploy?' },
      {
        ts: '100.000200', user: 'UBOT', bot_id: 'BBOT', text: 'fallback',
        blocks: [
          { type: 'section', block_id: 'cairn_answer_0', text: { text: 'Run `make deploy` [1].' } },
          { type: 'section', block_id: 'cairn_sources', text: { text: '*Sources*\n[1] Deploy' } },
          { type: 'actions', block_id: 'cairn_feedback' },
        ],
      },
      { ts: '100.000250', user: 'UBOT', bot_id: 'BBOT', text: 'more', blocks: [{ type: 'section', block_id: 'cairn_answer_0', text: { text: 'Part two.' } }] },
      { ts: '100.000300', user: 'U2', text: 'what about staging?' },
      { ts: '100.000400', user: 'U1', text: 'the current question' },
      { ts: '100.000500', user: 'UBOT', bot_id: 'BBOT', text: 'Searching the docs…', blocks: [{ type: 'section', block_id: 'cairn_progress', text: { text: 'Searching the docs…' } }] },
    ];
    expect(threadToTurns(messages, '100.000400', bot)).toEqual([
      { role: 'user', text: 'how do I deploy?' },
      { role: 'assistant', text: 'Run `make deploy` [1].\n\nPart two.' },
      { role: 'user', text: 'what about staging?' },
    ]);
  });

  it('skips placeholders still in progress, the assistant greeting, other bots, joins and empty messages, and uses text for notices', () => {
    const messages: ThreadMessage[] = [
      { ts: '1.0', user: 'UBOT', bot_id: 'BBOT', text: 'Hi! Ask me about the docs.', blocks: [{ type: 'section', block_id: 'cairn_greeting', text: { text: 'Hi! Ask me about the docs.' } }] },
      { ts: '1.1', user: 'U1', text: 'q' },
      { ts: '1.2', user: 'UBOT', bot_id: 'BBOT', blocks: [{ type: 'section', block_id: 'cairn_progress', text: { text: '_Searching…_' } }] },
      { ts: '1.3', bot_id: 'BOTHER', subtype: 'bot_message', text: 'deploy bot says hi' },
      { ts: '1.4', user: 'U3', subtype: 'channel_join', text: 'joined' },
      { ts: '1.5', user: 'U1', text: '   ' },
      { ts: '1.6', user: 'UBOT', bot_id: 'BBOT', text: 'I am busy — try again shortly.' },
    ];
    expect(threadToTurns(messages, '9.9', bot)).toEqual([
      { role: 'user', text: 'q' },
      { role: 'assistant', text: 'I am busy — try again shortly.' },
    ]);
  });

  it('keeps only the last 20 turns', () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ ts: `1.${String(i).padStart(6, '0')}`, user: i % 2 ? 'UBOT' : 'U1', text: `m${i}` }));
    const turns = threadToTurns(messages, '2.0', bot);
    expect(turns).toHaveLength(20);
    expect(turns[0]!.text).toBe('m10');
  });
});

describe('dmToTurns', () => {
  it('keeps the hour before the current message, oldest first, from a newest-first listing', () => {
    const messages: ThreadMessage[] = [
      { ts: '1700003600.000200', user: 'U1', text: 'the current question' },
      { ts: '1700003000.000200', user: 'UBOT', bot_id: 'BBOT', blocks: [{ type: 'section', block_id: 'cairn_answer_0', text: { text: 'Ten days.' } }] },
      { ts: '1700003000.000100', user: 'U1', text: 'leave policy?' },
      { ts: '1700000000.000200', user: 'UBOT', bot_id: 'BBOT', text: 'exactly an hour old' },
      { ts: '1700000000.000199', user: 'U1', text: 'just over an hour old' },
    ];
    expect(dmToTurns(messages, '1700003600.000200', bot)).toEqual([
      { role: 'assistant', text: 'exactly an hour old' },
      { role: 'user', text: 'leave policy?' },
      { role: 'assistant', text: 'Ten days.' },
    ]);
  });
});

describe('compareTs', () => {
  it('orders Slack timestamps exactly, beyond a double’s precision', () => {
    expect(compareTs('1712345678.000101', '1712345678.000100')).toBe(1);
    expect(compareTs('1712345678.000100', '1712345678.000100')).toBe(0);
    expect(compareTs('999999999.999999', '1000000000.000000')).toBe(-1);
    expect(compareTs('1.5', '1.49')).toBe(1);
  });
});
