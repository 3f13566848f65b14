import { describe, expect, it } from 'vitest';
import { SourceRegistry } from '../../../src/agent/answering/citations.js';
import { assessDraft, claims, settleBorderline, supportedText, verdictOf } from '../../../src/agent/answering/grounding.js';
import { chunk } from '../helpers.js';

const sources = new SourceRegistry().addHits([
  { chunk: chunk('leave.md', 'Annual leave', 'All employees are entitled to 25 days of paid annual leave per calendar year.'), score: 1 },
  { chunk: chunk('vpn.md', 'VPN', 'Install WireGuard and import the profile from the IT portal.'), score: 1 },
]);
const t = { supportedAt: 0.6, unsupportedBelow: 0.3 };
const statuses = (draft: string, tools: string[] = []) => assessDraft(draft, sources, tools, t).sentences.map((s) => [s.kind, s.status]);

describe('assessDraft', () => {
  it('supports a sentence its cited passage backs, and not one the passage does not', () => {
    expect(statuses('Employees get 25 days of paid annual leave per year [1].')).toEqual([['claim', 'supported']]);
    expect(statuses('Employees get 25 days of paid annual leave per year [2].')).toEqual([['claim', 'unsupported']]);
  });

  it('rejects a figure no source gives, however much else matches', () => {
    expect(statuses('Employees get 30 days of paid annual leave per calendar year [1].')).toEqual([['claim', 'unsupported']]);
  });

  it('leaves the middle ground to the model as borderline', () => {
    expect(statuses('Staff typically receive 25 days of annual leave [1].')).toEqual([['claim', 'borderline']]);
  });

  it('does not check filler, and notices a decline', () => {
    const a = assessDraft("Here is what I found: Sure. I couldn't find that in the docs.", sources, [], t);
    expect(a.sentences.every((s) => s.kind === 'filler')).toBe(true);
    expect(a.declined).toBe(true);
    expect(verdictOf(a)).toEqual({ verdict: 'unsupported', confidence: 0 });
  });

  it('cites an uncited sentence one passage backs, accepts one a tool backs, rejects the rest', () => {
    const a = assessDraft(
      'Install WireGuard and import the profile from the IT portal. Over 3 years that is 75 days. The canteen opens at 8.',
      sources,
      ['{"expression":"25 * 3"}\n25 * 3 = 75'],
      t,
    );
    expect(a.sentences.map((s) => s.status)).toEqual(['supported', 'supported', 'unsupported']);
    expect(a.sentences[0]?.text).toBe('Install WireGuard and import the profile from the IT portal [2].');
    // Days and years come from the leave passage, 3 and 75 from the calculator: the passage is cited.
    expect(supportedText(a)).toBe('Install WireGuard and import the profile from the IT portal [2]. Over 3 years that is 75 days [1].');
    const toolOnly = assessDraft('25 * 3 is 75.', sources, ['{"expression":"25 * 3"}\n25 * 3 = 75'], t);
    expect(toolOnly.sentences[0]).toMatchObject({ status: 'supported', cites: [] });
  });
});

describe('verdicts', () => {
  it('is supported when every claim is, partial when some are, and not_needed without claims', () => {
    const all = assessDraft('Employees get 25 days of paid annual leave per year [1].', sources, [], t);
    expect(verdictOf(all).verdict).toBe('supported');
    const some = assessDraft('Employees get 25 days of paid annual leave per year [1]. The canteen serves free lunch daily [1].', sources, [], t);
    expect(verdictOf(some)).toEqual({ verdict: 'partial', confidence: expect.any(Number) });
    expect(verdictOf(some).confidence).toBeLessThan(verdictOf(all).confidence);
    expect(verdictOf(assessDraft('Sure!', sources, [], t)).verdict).toBe('not_needed');
  });

  it('settles borderline sentences by the judgement given', () => {
    const a = assessDraft('Staff typically receive 25 days of annual leave [1].', sources, [], t);
    expect(claims(settleBorderline(a, () => true))[0]?.status).toBe('supported');
    expect(claims(settleBorderline(a, () => false))[0]?.status).toBe('unsupported');
  });
});
