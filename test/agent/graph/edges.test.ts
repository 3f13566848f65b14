import { describe, expect, it } from 'vitest';
import { SourceRegistry } from '../../../src/agent/answering/citations.js';
import { assessDraft, declinedOutright } from '../../../src/agent/answering/grounding.js';
import { afterCheck } from '../../../src/agent/graph/edges.js';
import { initialState, type AgentStateType } from '../../../src/agent/graph/state.js';
import { ask, chunk } from '../helpers.js';

const sources = new SourceRegistry().addHits([
  { chunk: chunk('leave.md', 'Annual leave', 'All employees are entitled to 25 days of paid annual leave per calendar year.'), score: 1 },
]);
const checked = (draft: string, retries = 0): AgentStateType => ({
  ...initialState(ask('How much leave do I get?')),
  turns: [],
  draft,
  retries,
  assessment: assessDraft(draft, sources, [], { supportedAt: 0.6, unsupportedBelow: 0.3 }),
});

describe('afterCheck', () => {
  it('finishes a draft that declined outright, without the retry an unsupported draft gets', () => {
    const decline = checked("I couldn't find that in the docs.");
    expect(declinedOutright(decline.assessment!)).toBe(true);
    expect(afterCheck(decline)).toBe('finish');
  });

  it('retries an unsupported sentence once, even beside a decline', () => {
    expect(afterCheck(checked('Employees get 40 days of paid sick leave [1].'))).toBe('retry');
    expect(afterCheck(checked("I couldn't find the sick leave policy. Employees get 40 days of paid sick leave [1]."))).toBe('retry');
    expect(afterCheck(checked('Employees get 40 days of paid sick leave [1].', 1))).toBe('finish');
  });

  it('finishes a supported draft', () => {
    expect(afterCheck(checked('Employees get 25 days of paid annual leave per year [1].'))).toBe('finish');
  });
});
