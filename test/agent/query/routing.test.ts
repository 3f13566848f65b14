import { describe, expect, it } from 'vitest';
import { isSmallTalk, routeQuestion, wantsCode } from '../../../src/agent/query/routing.js';

describe('routeQuestion', () => {
  it.each(['hi', 'Hello there!', 'thanks!', 'Thank you so much 🙏', 'ok, thanks', 'got it', 'bye', 'how are you?', '👍'])('treats "%s" as small talk', (text) => {
    expect(isSmallTalk(text)).toBe(true);
    expect(routeQuestion(text).route).toBe('smalltalk');
  });

  it.each([
    'hi, how many days of leave do I get?',
    'thanks, and what about parental leave?',
    'What is our VPN?',
    'ok so where is the expense policy',
    'great question: who approves travel?',
  ])('retrieves for "%s"', (text) => {
    expect(routeQuestion(text, () => null).route).toBe('retrieve');
  });

  it('routes a calculation to the calculator with its expression', () => {
    expect(routeQuestion('what is 2 + 2?', (q) => (q.includes('2 + 2') ? '2 + 2' : null))).toEqual({ route: 'arithmetic', expression: '2 + 2' });
  });

  it('offers code only when the user asks for it', () => {
    expect(wantsCode('Run this JavaScript: [1,2].map(x => x * 2)')).toBe(true);
    expect(wantsCode('Can you write a regex for order ids?')).toBe(true);
    expect(wantsCode('When are the office plants watered?')).toBe(false);
    expect(wantsCode('Please run `[3, 1, 2].sort()`')).toBe(true);
    expect(wantsCode('What is the dress code?')).toBe(false);
    expect(wantsCode('Where is the code of conduct?')).toBe(false);
  });
});
