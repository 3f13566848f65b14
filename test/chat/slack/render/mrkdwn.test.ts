import { describe, expect, it } from 'vitest';
import { defuseSpecialMentions, mrkdwnLink, toMrkdwn } from '../../../../src/chat/slack/render/mrkdwn.js';
import { progressText } from '../../../../src/chat/slack/render/progress-text.js';

describe('toMrkdwn', () => {
  it('converts Markdown emphasis, links, lists and code fences, keeping citation markers', () => {
    const out = toMrkdwn('# Title\n\n**Bold** [2] and [site](https://a.example).\n\n- one\n- two\n\n```sh\nmake deploy\n```');
    expect(out).toContain('*Title*');
    expect(out).toContain('*Bold*');
    expect(out).toContain('[2]');
    expect(out).toContain('<https://a.example|site>');
    expect(out).toMatch(/•\s+one/);
    expect(out).toContain('```\nmake deploy\n```');
  });

  it('never lets a document ping people: <!here>, <!channel>, <@U…> and <#C…> are defused', () => {
    const out = toMrkdwn('Tell <!here> and <!channel|channel> and <@U123> in <#C9>.');
    expect(out).not.toMatch(/<[!@#]/);
    expect(defuseSpecialMentions('<!everyone>')).toBe('&lt;!everyone&gt;');
  });
});

describe('mrkdwnLink', () => {
  it('keeps the link intact when the url or label holds characters that would end it', () => {
    expect(mrkdwnLink('https://a.example/a b|c>d', 'x|y <z>')).toBe('<https://a.example/a%20b%7Cc%3Ed|x¦y &lt;z&gt;>');
  });
});

describe('progressText', () => {
  it('says what the agent is doing and previews a draft with balanced fences', () => {
    expect(progressText({ kind: 'status', step: 'retrieving' })).toBe('Searching the docs…');
    expect(progressText({ kind: 'status', step: 'tool', detail: 'calculator' })).toBe('Using calculator…');
    const long = progressText({ kind: 'draft', text: 'Intro\n\n```js\n' + 'x();\n'.repeat(2000) + '```' });
    expect(long.length).toBeLessThan(3000);
    expect(long.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
    expect(long).toMatch(/_…still writing_$/);
  });
});
