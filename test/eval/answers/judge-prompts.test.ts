import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JUDGE_PROMPTS, loadJudgePrompts, renderJudgePrompt } from '../../../src/eval/answers/judge-prompts.js';

describe('judge prompts', () => {
  it('loads every prompts/judge-*.md, and every such file is used', () => {
    expect(() => loadJudgePrompts()).not.toThrow();
    const files = readdirSync(new URL('../../../prompts/', import.meta.url)).filter((f) => f.startsWith('judge-') && f.endsWith('.md'));
    expect(files.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...JUDGE_PROMPTS].sort());
  });

  it('fills placeholders once and refuses a missing or an unused value', () => {
    const text = renderJudgePrompt('judge-questions', { answer: 'It is {{count}} days.', count: '3' });
    expect(text).toContain('write 3 different questions');
    expect(text).toContain('It is {{count}} days.');
    expect(() => renderJudgePrompt('judge-questions', { answer: 'x' })).toThrow(/needs a value for \{\{count\}\}/);
    expect(() => renderJudgePrompt('judge-questions', { answer: 'x', count: '3', extra: 'y' })).toThrow(/no placeholder for extra/);
  });
});
