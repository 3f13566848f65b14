import { describe, expect, it } from 'vitest';
import { parseAskText } from '../../../src/chat/slack/ask-text.js';

describe('parseAskText', () => {
  it('reads a leading `private` (any case) as the option, and the rest as the question', () => {
    expect(parseAskText('  private how do I deploy? ')).toEqual({ private: true, question: 'how do I deploy?' });
    expect(parseAskText('PRIVATE\thow do I deploy?')).toEqual({ private: true, question: 'how do I deploy?' });
    expect(parseAskText('private')).toEqual({ private: true, question: '' });
  });

  it('leaves any other question alone, including one with "private" later or as part of a word', () => {
    expect(parseAskText('how do private channels work?')).toEqual({ private: false, question: 'how do private channels work?' });
    expect(parseAskText('privately shared files?')).toEqual({ private: false, question: 'privately shared files?' });
  });
});
