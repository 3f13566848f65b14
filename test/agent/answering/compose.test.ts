import { describe, expect, it } from 'vitest';
import { SourceRegistry } from '../../../src/agent/answering/citations.js';
import { calculated, declined, smalltalk } from '../../../src/agent/answering/compose.js';
import { NOT_FOUND, SMALLTALK_WITHOUT_LLM } from '../../../src/agent/answering/replies.js';
import { chunk } from '../helpers.js';

const closest = new SourceRegistry().addHits([
  { chunk: chunk('leave.md', 'Annual leave', 'All employees get 25 days of paid annual leave.'), score: 1 },
  { chunk: chunk('vpn.md', 'VPN', 'Install WireGuard.'), score: 1 },
]);

describe('the replies both answer paths compose', () => {
  it('declines pointing at the closest passages, with the confidence of the rejected draft', () => {
    expect(declined(closest, { confidence: 0.3 })).toEqual({
      text: `${NOT_FOUND} The closest sources I found: [1] and [2].`,
      grounding: { verdict: 'unsupported', confidence: 0.3 },
    });
    expect(declined([], { lead: 'No model. I found nothing.' })).toEqual({ text: 'No model. I found nothing.', grounding: { verdict: 'unsupported', confidence: 0 } });
  });

  it('has nothing to check in a calculation or small talk', () => {
    expect(calculated('2 + 2 = 4').grounding).toEqual({ verdict: 'not_needed', confidence: 1 });
    expect(smalltalk('Hello [1]!').text).toBe('Hello!');
    expect(smalltalk().text).toBe(SMALLTALK_WITHOUT_LLM);
  });
});
