import type { GroundingVerdict } from '../../core/answer.js';
import type { SourceRef } from './citations.js';
import { contentTerms, coverage, evidenceTerms, missingNumbers } from './lexical.js';
import { citedNumbers, joinDraft, splitDraft, stripMarkers, type DraftLine } from './sentences.js';

/**
 * Checks each sentence of a draft against the passages it cites, by word overlap: clear cases are
 * settled here, and only the borderline ones need the fast model. A sentence that states
 * something but cites nothing is accepted when a tool's output backs it (a calculation), cited
 * automatically when one passage (with any tool output) clearly backs it, and otherwise unsupported.
 */

type ClaimStatus = 'supported' | 'borderline' | 'unsupported';

export interface SentenceCheck {
  line: number;
  index: number;
  /** The sentence as it will be posted (an automatic citation appended). */
  text: string;
  cites: number[];
  /** Filler ("Here is what I found:") states nothing to check. */
  kind: 'claim' | 'filler';
  status: ClaimStatus;
  /** Share of the sentence's words found in its evidence, 0..1. */
  support: number;
}

export interface Assessment {
  lines: DraftLine[];
  sentences: SentenceCheck[];
  /** The draft says the docs do not hold the answer. */
  declined: boolean;
}

export interface Thresholds {
  supportedAt: number;
  unsupportedBelow: number;
}

const DECLINE = /\b(couldn'?t|could not|can'?t|cannot|didn'?t|did not|unable to) find\b|\bnot (in|covered by|mentioned in) the (docs|documents|sources)\b|\bthe (docs|documents|sources) (don'?t|do not) (say|mention|cover)\b/i;
/**
 * The least a backed claim adds to confidence. A borderline sentence the fast model judged
 * supported is usually a paraphrase: its low word overlap measures wording, not truth.
 */
const BACKED_CLAIM_FLOOR = 0.5;
const FILLER = /^(here('s| is| are)|in (short|summary)|to summari[sz]e|let me know|hope (this|that) helps|sure|of course|great question)\b/i;

export function assessDraft(draft: string, sources: readonly SourceRef[], toolOutputs: readonly string[], t: Thresholds): Assessment {
  const evidence = new Map(sources.map((s) => [s.n, evidenceTerms(`${s.title} ${s.text}`)]));
  const toolEvidence = evidenceTerms(toolOutputs.join('\n'));
  const lines = splitDraft(draft);
  const sentences: SentenceCheck[] = [];
  let declined = false;
  lines.forEach((line, li) => {
    line.sentences.forEach((text, si) => {
      const plain = stripMarkers(text).trim();
      const cites = citedNumbers(text).filter((n) => evidence.has(n));
      const terms = contentTerms(plain);
      const hasNumber = [...terms].some((w) => /^\d/.test(w));
      const base = { line: li, index: si, text, cites };
      // "I couldn't find X" states nothing about the docs, unless it cites one ("…, but Y [1]").
      const declines = DECLINE.test(plain) && cites.length === 0;
      if (declines) declined = true;
      if (declines || /[:?]$/.test(plain) || FILLER.test(plain) || (terms.size < 2 && !hasNumber)) {
        sentences.push({ ...base, kind: 'filler', status: 'supported', support: 1 });
        return;
      }
      if (cites.length > 0) {
        const cited = union(cites.map((n) => evidence.get(n)!), toolEvidence);
        const support = coverage(terms, cited);
        const status: ClaimStatus =
          missingNumbers(terms, cited).length > 0 || support < t.unsupportedBelow ? 'unsupported' : support >= t.supportedAt ? 'supported' : 'borderline';
        sentences.push({ ...base, kind: 'claim', status, support });
        return;
      }
      const byTools = coverage(terms, toolEvidence);
      if (byTools >= t.supportedAt && missingNumbers(terms, toolEvidence).length === 0) {
        sentences.push({ ...base, kind: 'claim', status: 'supported', support: byTools });
        return;
      }
      // A passage plus what tools computed ("over 3 years that is 75 days"): cite the passage.
      const best = bestSource(terms, evidence, toolEvidence);
      if (best && best.support >= t.supportedAt && missingNumbers(terms, union([evidence.get(best.n)!], toolEvidence)).length === 0) {
        sentences.push({ ...base, text: withMarker(text, best.n), cites: [best.n], kind: 'claim', status: 'supported', support: best.support });
        return;
      }
      sentences.push({ ...base, kind: 'claim', status: 'unsupported', support: best?.support ?? 0 });
    });
  });
  return { lines, sentences, declined };
}

/** Applies the fast model's judgement to the borderline sentences. */
export function settleBorderline(a: Assessment, supported: (s: SentenceCheck) => boolean): Assessment {
  return {
    ...a,
    sentences: a.sentences.map((s) => (s.status === 'borderline' ? { ...s, status: supported(s) ? 'supported' : 'unsupported' } : s)),
  };
}

export function claims(a: Assessment): SentenceCheck[] {
  return a.sentences.filter((s) => s.kind === 'claim');
}

/** The draft only says the docs do not hold the answer: nothing in it for a retry to repair. */
export function declinedOutright(a: Assessment): boolean {
  return a.declined && claims(a).length === 0;
}

/** The draft with automatic citations applied and every claim that is not supported left out. */
export function supportedText(a: Assessment): string {
  const keep = new Map(a.sentences.map((s) => [`${s.line}:${s.index}`, s]));
  const lines = a.lines.map((line, li) => ({
    ...line,
    sentences: line.sentences.map((text, si) => keep.get(`${li}:${si}`)?.text ?? text),
  }));
  return joinDraft(lines, (li, si) => keep.get(`${li}:${si}`)?.status === 'supported');
}

/**
 * supported: every claim is backed. partial: some are (the rest will be left out).
 * unsupported: none is, or the draft declined. not_needed: the draft states nothing to check.
 * Confidence is the share of claims backed, weighted by how strongly.
 */
export function verdictOf(a: Assessment): { verdict: GroundingVerdict; confidence: number } {
  const all = claims(a);
  if (all.length === 0) return a.declined ? { verdict: 'unsupported', confidence: 0 } : { verdict: 'not_needed', confidence: 1 };
  const backed = all.filter((c) => c.status === 'supported');
  const strength = backed.reduce((sum, c) => sum + Math.max(c.support, BACKED_CLAIM_FLOOR), 0);
  const confidence = Math.round((strength / all.length) * 100) / 100;
  if (backed.length === 0) return { verdict: 'unsupported', confidence: 0 };
  return { verdict: backed.length === all.length ? 'supported' : 'partial', confidence };
}

function bestSource(
  terms: ReadonlySet<string>,
  evidence: ReadonlyMap<number, ReadonlySet<string>>,
  toolEvidence: ReadonlySet<string>,
): { n: number; support: number } | null {
  let best: { n: number; support: number } | null = null;
  for (const [n, ev] of evidence) {
    const support = coverage(terms, union([ev], toolEvidence));
    if (!best || support > best.support) best = { n, support };
  }
  return best;
}

function union(sets: ReadonlyArray<ReadonlySet<string>>, extra: ReadonlySet<string>): Set<string> {
  const out = new Set(extra);
  for (const set of sets) for (const term of set) out.add(term);
  return out;
}

/** Puts `[n]` before the sentence's final punctuation: "…per year [2]." */
function withMarker(sentence: string, n: number): string {
  const m = /([.!?]["')\]]*)$/.exec(sentence);
  return m ? `${sentence.slice(0, m.index)} [${n}]${m[1]}` : `${sentence} [${n}]`;
}
