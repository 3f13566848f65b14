import { describe, expect, it } from 'vitest';
import { caveatLevel } from '../../../src/chat/shared/caveat.js';
import { renderReply } from '../../../src/chat/terminal/render.js';
import type { AnswerReply } from '../../../src/core/answer.js';

describe('caveatLevel', () => {
  it('warns on partial and on low confidence, never under a decline (unsupported), which says so itself', () => {
    expect(caveatLevel({ verdict: 'unsupported', confidence: 0.2 })).toBeNull();
    expect(caveatLevel({ verdict: 'partial', confidence: 0.9 })).toBe('partial');
    expect(caveatLevel({ verdict: 'supported', confidence: 0.3 })).toBe('partial');
    expect(caveatLevel({ verdict: 'supported', confidence: 0.8 })).toBeNull();
    expect(caveatLevel({ verdict: 'not_needed', confidence: 1 })).toBeNull();
  });

  it('is what the terminal rendering follows too', () => {
    const reply = (grounding: AnswerReply['grounding']): AnswerReply => ({
      text: 'Answer [1].', citations: [], grounding, mode: 'agent', toolsUsed: [], llm: { calls: 1, promptTokens: 1, completionTokens: 1 }, timingsMs: {},
    });
    expect(renderReply(reply({ verdict: 'supported', confidence: 0.3 }))).toMatch(/Low confidence: only part/);
    expect(renderReply(reply({ verdict: 'unsupported', confidence: 0.2 }))).toBe('Answer [1].');
    expect(renderReply(reply({ verdict: 'supported', confidence: 0.9 }))).not.toMatch(/Low confidence/);
  });
});
