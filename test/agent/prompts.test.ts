import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAllPrompts, loadPrompt, PROMPT_NAMES, renderPrompt } from '../../src/agent/prompts.js';

describe('prompts', () => {
  it('loads every prompt the agent uses from prompts/, and every file there is used', () => {
    expect(() => loadAllPrompts()).not.toThrow();
    // judge-*.md are `cairn eval answers`' prompts (src/eval/answers/judge-prompts.ts), tested in test/eval/answers.
    const files = readdirSync(new URL('../../prompts/', import.meta.url)).filter((f) => f.endsWith('.md') && !f.startsWith('judge-'));
    expect(files.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...PROMPT_NAMES].sort());
    expect(loadPrompt('answer-system')).toContain('untrusted data');
  });

  it('fills placeholders and refuses a missing or an unused value', () => {
    const text = renderPrompt('search-results', { sources: 'S {{nonce}}' });
    expect(text).toContain('S {{nonce}}');
    expect(() => renderPrompt('search-results', {})).toThrow(/needs a value for \{\{sources\}\}/);
    expect(() => renderPrompt('search-results', { sources: 's', extra: 'x' })).toThrow(/no placeholder for extra/);
  });
});
