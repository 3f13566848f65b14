import type { Embedder } from '../../core/embedder.js';
import type { Retriever } from '../../core/retriever.js';
import { cosine } from '../answers/judge-scores.js';
import { exportVerdict } from '../../feedback/sft-export.js';
import type { VotedExchange } from '../../feedback/types.js';
import { clusterByCosine } from './cluster.js';
import { distinctiveTerms, suggestTitle } from './label.js';

export interface GapGroup {
  size: number;
  /** Its most typical questions first (closest to the group's centre), at most EXAMPLES. */
  examples: string[];
  terms: string[];
  suggestedTitle: string;
  /** How the group's answers went: declined/unsupported, partly supported, 👎 votes. */
  outcomes: { unsupported: number; partial: number; downVotes: number };
  /** The documents closest to the group's typical question: what to extend, or what people missed. */
  closest: Array<{ title: string; source: string; url?: string }>;
}

export interface GapsReport {
  since: string | null;
  /** Weak answers considered (after the access filter). */
  questions: number;
  /** Weak answers left out because the audience may not read what their conversation could. */
  hidden: number;
  groups: GapGroup[];
}

export interface GapsDeps {
  embedder: Embedder;
  retriever: Retriever;
  /**
   * The groups the report's audience may read. A question appears only if everything its
   * conversation could read lies within them (the export rule), and the closest documents are
   * searched within them. The CLI passes every group of the index.
   */
  readable: string[];
  /** Cosine distance under which questions count as one topic (average linkage). */
  maxDistance?: number;
  since?: string;
}

const EXAMPLES = 3;
const CLOSEST = 3;
/** Paraphrases of one question sit well within this under sentence encoders; unrelated questions beyond it. */
export const DEFAULT_MAX_DISTANCE = 0.5;

/** Groups the questions the docs did not answer well, largest group first. */
export async function findGaps(records: readonly VotedExchange[], deps: GapsDeps): Promise<GapsReport> {
  const shown = records.filter((r) => exportVerdict(r, deps.readable) === 'export');
  const vectors = await Promise.all(shown.map((r) => deps.embedder.embedQuery(r.question)));
  const clusters = clusterByCosine(vectors, deps.maxDistance ?? DEFAULT_MAX_DISTANCE);
  const terms = distinctiveTerms(clusters.map((c) => c.map((i) => shown[i]!.question)));
  const groups: GapGroup[] = [];
  for (const [g, members] of clusters.entries()) {
    const typical = byTypicality(members, vectors);
    const examples = [...new Set(typical.map((i) => shown[i]!.question.trim()))].slice(0, EXAMPLES);
    const hits = await deps.retriever.search(examples[0]!, { k: CLOSEST * 3, accessGroups: deps.readable });
    const closest = new Map<string, GapGroup['closest'][number]>();
    for (const h of hits) if (!closest.has(h.chunk.docId) && closest.size < CLOSEST) closest.set(h.chunk.docId, { title: h.chunk.title, source: h.chunk.source, ...(h.chunk.url ? { url: h.chunk.url } : {}) });
    const rs = members.map((i) => shown[i]!);
    groups.push({
      size: members.length,
      examples,
      terms: terms[g]!,
      suggestedTitle: suggestTitle(examples[0]!),
      outcomes: {
        unsupported: rs.filter((r) => r.verdict === 'unsupported').length,
        partial: rs.filter((r) => r.verdict === 'partial').length,
        downVotes: rs.reduce((n, r) => n + r.down, 0),
      },
      closest: [...closest.values()],
    });
  }
  return { since: deps.since ?? null, questions: shown.length, hidden: records.length - shown.length, groups };
}

/** Members ordered by their mean cosine similarity to the rest of the group (the medoid first). */
function byTypicality(members: number[], vectors: readonly Float32Array[]): number[] {
  const score = new Map(members.map((i) => [i, members.reduce((s, j) => s + (i === j ? 0 : cosine(vectors[i]!, vectors[j]!)), 0)]));
  return [...members].sort((a, b) => score.get(b)! - score.get(a)! || a - b);
}
