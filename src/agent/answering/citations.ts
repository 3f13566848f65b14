import type { Citation } from '../../core/answer.js';
import type { SearchHit } from '../../core/search.js';
import type { WebResult } from '../../tools/web-search/provider.js';
import { isAttachmentChunk } from './attachments.js';
import { contentTerms, coverage, evidenceTerms } from './lexical.js';
import { citedNumbers, mapMarkers, splitDraft, stripMarkers } from './sentences.js';

/**
 * A passage the model was shown under a number. Web results carry their URL as `source`; the
 * asker's attachments are cited as "your attachment", with no URL and no access group.
 */
export interface SourceRef {
  n: number;
  kind: 'doc' | 'web' | 'attachment';
  chunkId: string;
  title: string;
  source: string;
  url?: string;
  text: string;
  /** A document passage's access group; web results have none. */
  accessGroup?: string;
}

/**
 * Numbers passages in the order the model first sees them, one number per chunk however often it
 * comes back, so "[3]" means the same passage for the whole answer.
 */
export class SourceRegistry {
  private readonly refs: SourceRef[];
  private readonly byChunk = new Map<string, SourceRef>();

  constructor(existing: readonly SourceRef[] = []) {
    this.refs = [...existing];
    for (const ref of existing) this.byChunk.set(ref.chunkId, ref);
  }

  /** The refs for `hits`, in their order: existing numbers reused, new ones appended. */
  addHits(hits: readonly SearchHit[]): SourceRef[] {
    return hits.map(({ chunk }) =>
      this.add(isAttachmentChunk(chunk.id) ? { kind: 'attachment', chunkId: chunk.id, title: chunk.title, source: chunk.source, text: chunk.text } : {
        kind: 'doc', chunkId: chunk.id, title: chunk.title, source: chunk.source, ...(chunk.url ? { url: chunk.url } : {}), text: chunk.text, accessGroup: chunk.accessGroup,
      }),
    );
  }

  addWeb(results: readonly WebResult[]): SourceRef[] {
    return results.map((r) => this.add({ kind: 'web', chunkId: `web:${r.url}`, title: r.title, source: r.url, url: r.url, text: r.snippet }));
  }

  all(): SourceRef[] {
    return [...this.refs];
  }

  private add(ref: Omit<SourceRef, 'n'>): SourceRef {
    const known = this.byChunk.get(ref.chunkId);
    if (known) return known;
    const numbered = { n: this.refs.length + 1, ...ref };
    this.refs.push(numbered);
    this.byChunk.set(ref.chunkId, numbered);
    return numbered;
  }
}

/**
 * Passages as delimited blocks. The per-answer `nonce` is in both delimiters, so a document
 * cannot close its own block and pose as the system or the user; stray "<<" are defused too.
 */
export function formatSources(refs: readonly SourceRef[], nonce: string): string {
  if (refs.length === 0) return '(none found)';
  return refs
    .map((r) => {
      const text = r.text.replace(/<</g, '‹‹').replace(/>>/g, '››');
      return `<<source [${r.n}] ${nonce}>>\ntitle: ${r.title}\nfrom: ${r.source}\n---\n${text}\n<<end source [${r.n}] ${nonce}>>`;
    })
    .join('\n\n');
}

/**
 * Makes the reply's citations exact: markers with no passage are removed, the rest renumbered
 * 1..m by first appearance, and exactly the cited passages listed. Every `[n]` in the returned
 * text resolves, and every listed citation is cited.
 */
export function finalizeCitations(text: string, sources: readonly SourceRef[], snippetChars: number): { text: string; citations: Citation[] } {
  const byNumber = new Map(sources.map((s) => [s.n, s]));
  const order = citedNumbers(text).filter((n) => byNumber.has(n));
  const renumber = new Map(order.map((n, i) => [n, i + 1]));
  const finalText = mapMarkers(text, (n) => renumber.get(n));
  const citingText = new Map<number, string[]>();
  for (const line of splitDraft(finalText)) {
    for (const sentence of line.sentences) {
      for (const n of citedNumbers(sentence)) citingText.set(n, [...(citingText.get(n) ?? []), stripMarkers(sentence)]);
    }
  }
  const citations = order.map((n, i): Citation => {
    const ref = byNumber.get(n)!;
    return {
      n: i + 1,
      title: ref.title,
      source: ref.source,
      ...(ref.url ? { url: ref.url } : {}),
      snippet: snippet(ref.text, (citingText.get(i + 1) ?? []).join(' '), snippetChars),
      chunkId: ref.chunkId,
      ...(ref.accessGroup ? { accessGroup: ref.accessGroup } : {}),
    };
  });
  return { text: finalText, citations };
}

/** The part of a passage that best matches what cites it (its start when nothing does), within `max` characters. */
export function snippet(passage: string, citing: string, max: number): string {
  const parts = passage.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+/);
  const wanted = contentTerms(citing);
  let best = 0;
  let bestScore = 0;
  parts.forEach((part, i) => {
    const score = coverage(wanted, evidenceTerms(part));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  let out = parts[best] ?? '';
  for (let i = best + 1; i < parts.length && out.length + 1 + (parts[i]?.length ?? 0) <= max; i++) out += ` ${parts[i]}`;
  if (out.length <= max) return out;
  const cut = out.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}
