import { describe, expect, it } from 'vitest';
import { quotesRestricted } from '../../../src/agent/tools/web-query-guard.js';

const passage = 'Project Bluebird ships on 14 March. The launch code is BX-4471 and the budget is 2.4 million euros.';

describe('quotesRestricted', () => {
  it('refuses three consecutive words of a restricted passage', () => {
    expect(quotesRestricted('when does project bluebird ships', [passage], 'When do we ship?')).toBe(true);
  });

  it('refuses a code, amount or date taken from a restricted passage', () => {
    expect(quotesRestricted('what is bx 4471', [passage], 'What is the launch code?')).toBe(true);
    expect(quotesRestricted('budget 2.4 million', [passage], 'How big is the budget?')).toBe(true);
    expect(quotesRestricted('launch on march 14', [passage], 'When is the launch?')).toBe(true);
  });

  it('lets through words the user asked with, and queries unrelated to the passage', () => {
    expect(quotesRestricted('project bluebird ships news', [passage], 'Is there news about Project Bluebird ships?')).toBe(false);
    expect(quotesRestricted('BX-4471 meaning', [passage], 'What does BX-4471 mean?')).toBe(false);
    expect(quotesRestricted('average engineer salary germany', [passage], 'What do engineers earn?')).toBe(false);
  });

  it('allows anything when no restricted passage was seen', () => {
    expect(quotesRestricted('project bluebird ships on 14 march', [], 'q')).toBe(false);
  });
});
