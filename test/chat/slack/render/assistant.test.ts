import { describe, expect, it } from 'vitest';
import { renderGreeting, statusText, streamableDraft, threadTitle } from '../../../../src/chat/slack/render/assistant.js';

describe('assistant panel rendering', () => {
  it('defuses pings in the streamed draft, and each streamed prefix stays a prefix of the next', () => {
    const draft = 'Ask <!here> or <@U123> & see <#C1|general>.';
    expect(streamableDraft(draft)).toBe('Ask &lt;!here&gt; or &lt;@U123&gt; &amp; see &lt;#C1|general&gt;.');
    // A form split across two appends: the first part streamed is still the start of the whole.
    for (let cut = 0; cut <= draft.length; cut += 1) expect(streamableDraft(draft).startsWith(streamableDraft(draft.slice(0, cut)))).toBe(true);
  });

  it('titles a thread with its first question on one line, cut to fit the thread list', () => {
    expect(threadTitle('  How do I\n deploy?  ')).toBe('How do I deploy?');
    const long = threadTitle(`Why ${'very '.repeat(40)}slow?`);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('shows each step in plain text, naming the tool in use', () => {
    expect(statusText({ kind: 'status', step: 'retrieving' })).toBe('Searching the docs…');
    expect(statusText({ kind: 'status', step: 'tool', detail: 'web_search' })).toBe('Using web_search…');
  });

  it('marks the greeting so thread history leaves it out', () => {
    expect(renderGreeting().blocks[0]).toMatchObject({ block_id: 'cairn_greeting' });
  });
});
