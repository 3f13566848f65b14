import { describe, expect, it } from 'vitest';
import { answerText, renderOutcome, threadName } from '../../../../src/chat/discord/render/outcome.js';
import type { AnswerReply } from '../../../../src/core/answer.js';

const reply = (text: string, grounding: AnswerReply['grounding'] = { verdict: 'supported', confidence: 0.9 }): AnswerReply => ({
  text, grounding, citations: [{ n: 1, title: 'Guide', source: 'docs/guide.md', snippet: 's', chunkId: 'c1' }],
  mode: 'agent', toolsUsed: [], llm: { calls: 1, promptTokens: 1, completionTokens: 1 }, timingsMs: {},
});

describe('renderOutcome', () => {
  it('renders a notice as plain text without sources or buttons', () => {
    expect(renderOutcome({ kind: 'notice', requestId: 'r', reason: 'busy', text: 'I am busy.' })).toEqual([{ content: 'I am busy.', embeds: [], components: [] }]);
  });

  it('puts the sources embed and vote buttons on the last of several parts only', () => {
    const code = Array.from({ length: 200 }, (_, i) => `line ${i} of the script`).join('\n');
    const parts = renderOutcome({ kind: 'answer', requestId: 'req-1', reply: reply(`Intro [1].\n\n\`\`\`sh\n${code}\n\`\`\``) });
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.content.length).toBeLessThanOrEqual(2000);
      expect((p.content.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(parts.slice(0, -1).every((p) => p.embeds.length === 0 && p.components.length === 0)).toBe(true);
    expect(parts.at(-1)!.embeds[0]!.title).toBe('Sources');
    expect(JSON.stringify(parts.at(-1)!.components)).toContain('cairn:vote:up:req-1');
  });

  it('leads a slash command answer with the question as a quote', () => {
    const [first] = renderOutcome({ kind: 'answer', requestId: 'r', reply: reply('Yes [1].') }, { quote: 'Can I\n  deploy?' });
    expect(first!.content).toBe('> Can I deploy?\n\nYes [1].');
  });

  it('never renders an empty message', () => {
    expect(renderOutcome({ kind: 'answer', requestId: 'r', reply: reply('   ') })[0]!.content).toMatch(/rephrase/);
  });
});

describe('answerText', () => {
  it.each([
    [{ verdict: 'supported', confidence: 0.9 }, false],
    [{ verdict: 'not_needed', confidence: 1 }, false],
    [{ verdict: 'supported', confidence: 0.4 }, true],
    [{ verdict: 'partial', confidence: 0.8 }, true],
    [{ verdict: 'unsupported', confidence: 0.8 }, false],
  ] as const)('adds a low-confidence line for %o: %s', (grounding, low) => {
    const text = answerText(reply('Answer [1].', grounding));
    expect(text.startsWith('Answer [1].')).toBe(true);
    expect(/⚠️/.test(text)).toBe(low);
  });
});

describe('thread names', () => {
  it('makes a one-line thread name under 100 characters, never empty', () => {
    expect(threadName('How do I\n deploy   the app?')).toBe('How do I deploy the app?');
    expect(threadName('q'.repeat(300)).length).toBeLessThanOrEqual(90);
    expect(threadName('  ')).toBe('Question for Cairn');
  });
});
