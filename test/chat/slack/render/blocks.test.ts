import { describe, expect, it } from 'vitest';
import type { AnswerReply, Citation } from '../../../../src/core/answer.js';
import { ANSWER_ACTION, blockChars, renderAnswer, renderNotice, renderOutcome, SLACK_LIMITS, sourcesBlock, type SlackMessage } from '../../../../src/chat/slack/render/blocks.js';
import { toMrkdwn } from '../../../../src/chat/slack/render/mrkdwn.js';

const cite = (n: number, over: Partial<Citation> = {}): Citation => ({ n, title: `Doc ${n}`, source: `docs/d${n}.md`, snippet: 's', chunkId: `c${n}`, ...over });
const answer = (text: string, over: Partial<AnswerReply> = {}): AnswerReply => ({
  text, citations: [cite(1, { url: 'https://docs.example.com/1' }), cite(2)], grounding: { verdict: 'supported', confidence: 0.9 },
  mode: 'agent', toolsUsed: [], llm: { calls: 1, promptTokens: 1, completionTokens: 1 }, timingsMs: {}, ...over,
});

type Section = { type: string; block_id?: string; text: { text: string } };
const sections = (m: SlackMessage) => (m.blocks as unknown as Section[]).filter((b) => b.type === 'section' && (b.block_id ?? '').startsWith('cairn_answer_'));
const fenceCount = (t: string) => t.split('\n').filter((l) => /^\s*```/.test(l)).length;
const squash = (t: string) => t.replace(/```/g, '').replace(/\s+/g, '');

/** A ~40k-character answer: prose with citations, a 6k-character code block, a list. */
function longMarkdown(): string {
  const prose = (i: number) => `Paragraph ${i} explains step ${i} of the rollout in some detail, with the caveats that matter [${(i % 9) + 1}]. `.repeat(6);
  const code = Array.from({ length: 150 }, (_, i) => `  const value${i} = compute(${i}, "config-key-${i}"); // line ${i}`).join('\n');
  const parts: string[] = [];
  for (let i = 0; i < 40; i += 1) parts.push(prose(i));
  parts.splice(20, 0, '```ts\n' + code + '\n```');
  parts.push(Array.from({ length: 30 }, (_, i) => `- item ${i} [${(i % 9) + 1}]`).join('\n'));
  return parts.join('\n\n');
}

describe('renderAnswer', () => {
  it('splits a very long answer with a code block within every Slack limit, losing nothing', () => {
    const md = longMarkdown();
    expect(md.length).toBeGreaterThan(30_000);
    const messages = renderAnswer(answer(md), 'req-1');
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
      expect(m.blocks.reduce((n, b) => n + blockChars(b), 0) + m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
      expect(m.text.length).toBeGreaterThan(0);
      for (const s of sections(m)) {
        expect(s.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
        expect(fenceCount(s.text.text) % 2).toBe(0);
        expect(s.text.text).not.toMatch(/^\d*\]/);
      }
    }
    const all = messages.flatMap(sections).map((s) => s.text.text).join('\n');
    const expected = toMrkdwn(md);
    expect(squash(all)).toBe(squash(expected));
    expect(all.match(/\[\d+\]/g)?.length).toBe(expected.match(/\[\d+\]/g)?.length);
    for (const line of ['const value0 = compute(0', 'const value75 = compute(75', 'const value149 = compute(149']) {
      const holder = messages.flatMap(sections).find((s) => s.text.text.includes(line))!;
      const before = holder.text.text.slice(0, holder.text.text.indexOf(line));
      expect(fenceCount(before) % 2).toBe(1);
    }
  });

  it('puts the sources, the caveat and the 👍/👎 buttons under the last message only', () => {
    const messages = renderAnswer(answer(longMarkdown(), { grounding: { verdict: 'partial', confidence: 0.6 } }), 'req-7');
    const types = messages.map((m) => m.blocks.map((b) => b.block_id ?? b.type));
    for (const t of types.slice(0, -1)) expect(t.every((id) => id.startsWith('cairn_answer_'))).toBe(true);
    expect(types.at(-1)).toEqual(expect.arrayContaining(['context', 'cairn_sources', 'cairn_feedback']));
    const actions = messages.at(-1)!.blocks.find((b) => b.type === 'actions')!;
    expect(actions).toMatchObject({ elements: [{ action_id: 'cairn_feedback_up', value: 'req-7' }, { action_id: 'cairn_feedback_down', value: 'req-7' }] });
  });

  it('renders a short answer as one message with Markdown converted to mrkdwn', () => {
    const [m, ...rest] = renderAnswer(answer('Use **bold** and `code` [1].\n\n[docs](https://x.example/a)'), 'r');
    expect(rest).toHaveLength(0);
    const text = sections(m!)[0]!.text.text;
    expect(text).toContain('*bold*');
    expect(text).toContain('<https://x.example/a|docs>');
    expect(text).toContain('[1]');
    expect(m!.text).toContain('*bold*');
  });

  it('adds a low-confidence line for partial grounding or low confidence, and none otherwise (nor under a decline)', () => {
    const caveat = (g: AnswerReply['grounding']) => JSON.stringify(renderAnswer(answer('x', { grounding: g }), 'r')[0]!.blocks.filter((b) => b.type === 'context'));
    expect(caveat({ verdict: 'partial', confidence: 0.8 })).toMatch(/partly supported/);
    expect(caveat({ verdict: 'unsupported', confidence: 0.8 })).toBe('[]');
    expect(caveat({ verdict: 'supported', confidence: 0.3 })).toMatch(/partly supported/);
    expect(caveat({ verdict: 'supported', confidence: 0.9 })).toBe('[]');
  });

  it('shows who asked, escaped, above an /ask answer', () => {
    const [m] = renderAnswer(answer('ok'), 'r', { askedBy: { userId: 'U1', question: 'is <!channel> & co safe?' } });
    expect(JSON.stringify(m!.blocks[0])).toContain('*<@U1> asked:* is &lt;!channel&gt; &amp; co safe?');
  });
});

describe('sourcesBlock', () => {
  it('links titles that have a url and shows the path in code for the rest, escaping both', () => {
    const text = sourcesBlock([cite(1, { url: 'https://a.example/x|y', title: 'A <b> & c' }), cite(2, { title: 'Plain' })], 10).text!.text;
    expect(text).toBe('*Sources*\n[1] <https://a.example/x%7Cy|A &lt;b&gt; &amp; c>\n[2] Plain — `docs/d2.md`');
  });

  it('caps the list and says how many more there are', () => {
    const many = Array.from({ length: 14 }, (_, i) => cite(i + 1));
    const text = sourcesBlock(many, 10).text!.text;
    expect(text.split('\n')).toHaveLength(12);
    expect(text).toMatch(/…and 4 more$/);
  });

  it('stays inside one section even with very long titles', () => {
    const many = Array.from({ length: 10 }, (_, i) => cite(i + 1, { title: 'T'.repeat(400), source: 'p/'.repeat(200), url: `https://a.example/${'x'.repeat(600)}` }));
    expect(sourcesBlock(many, 10).text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
  });
});

describe('notices', () => {
  it('render as a plain short message with the text as fallback', () => {
    const m = renderNotice('I am busy with other questions right now — please try again shortly.');
    expect(m.text).toBe('I am busy with other questions right now — please try again shortly.');
    expect(m.blocks).toHaveLength(1);
    expect(m.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: m.text } });
    expect(renderOutcome({ kind: 'notice', requestId: 'r', reason: 'busy', text: 'busy' })).toEqual([renderNotice('busy')]);
  });
});

describe('Share and hand-off buttons', () => {
  const actionIds = (m: SlackMessage) => (m.blocks as unknown as Array<{ type: string; elements?: Array<{ action_id: string; style?: string }> }>)
    .filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

  it('are added after 👍/👎 only when asked for, carrying the request id', () => {
    expect(actionIds(renderAnswer(answer('A [1].'), 'r1').at(-1)!).map((e) => e.action_id)).toEqual(['cairn_feedback_up', 'cairn_feedback_down']);
    const both = actionIds(renderAnswer(answer('A [1].'), 'r1', { actions: { share: true, handoff: true } }).at(-1)!);
    expect(both.map((e) => e.action_id)).toEqual(['cairn_feedback_up', 'cairn_feedback_down', ANSWER_ACTION.share, ANSWER_ACTION.handoff]);
    expect(both.every((e) => (e as { value?: string }).value === 'r1')).toBe(true);
    expect(both.find((e) => e.action_id === ANSWER_ACTION.handoff)!.style).toBeUndefined();
  });

  it('put the hand-off first, primary, with a line offering it, under a decline', () => {
    const declined = answer("I couldn't find that in the docs.", { citations: [], grounding: { verdict: 'unsupported', confidence: 0 } });
    const [m] = renderAnswer(declined, 'r1', { actions: { handoff: true } });
    expect(actionIds(m!)[0]).toMatchObject({ action_id: ANSWER_ACTION.handoff, style: 'primary' });
    expect(JSON.stringify(m!.blocks)).toContain('A person can pick this up');
    expect(JSON.stringify(renderAnswer(declined, 'r1')[0]!.blocks)).not.toContain('A person can pick this up');
  });
});
