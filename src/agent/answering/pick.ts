import type { SearchHit } from '../../core/search.js';
import { lexicalFeatures } from '../../retrieval/rerank/index.js';
import { queryTerms, tokenize } from '../../retrieval/text/index.js';
import { piecesOf, renderBlock, splitBlocks, type Block, type Piece } from './pieces.js';

/** A quotable piece of one retrieved passage, scored against the question. */
export interface Candidate {
  /** Rank of its passage in the retrieved list. */
  hit: number;
  block: Block;
  piece: Piece;
  /** The piece alone, as it would print. */
  text: string;
  /** Share of the question's content terms in the piece itself. */
  coverage: number;
  score: number;
  /** The question's terms the piece holds, each with its share of the question's (IDF-weighted) weight. */
  matched: ReadonlyMap<string, number>;
}

/**
 * How a piece is scored. Coverage leads because a piece that holds the question's words is the
 * likeliest to hold its answer; the passage's reranker score breaks ties towards what search
 * trusted most; proximity prefers the piece where those words sit together; a heading that names
 * the question's topic vouches for a piece that repeats little of it. The passage's own share of the
 * question says whether the piece sits where the question's topic is treated (a stray sentence that
 * happens to repeat the question's words in a page about something else is not the answer); and a
 * piece that names an API element the question does not (an option, method or error in `code`)
 * likely gives what the asker has to set, call or catch. Round numbers checked on the Bolt docs set
 * (docs/evaluation.md), not fitted: moving weight from coverage to the passage score cost evidence
 * there, moving it the other way cost gold documents; context and identifier were measured there
 * too, and anywhere in 0.2–0.5 and 0.05–0.12 they gave the same figures.
 */
const WEIGHTS = { coverage: 0.5, passage: 0.3, proximity: 0.1, heading: 0.1, context: 0.3, identifier: 0.1 };

/** Inline code spans: where docs name options, methods, events and errors. */
const INLINE_CODE = /`([^`\n]+)`/g;

/**
 * A second or third piece must hold at least this share of the question's terms: below it, a
 * piece only adds length (a stray line of code, a sentence about something else).
 */
const MIN_EXTRA_COVERAGE = 0.2;

/**
 * How much a second or third piece gains for each share of the question's weight that the pieces
 * already chosen do not hold. A question in two parts ("which Node version, and how do I use
 * directMention?") is answered by two pieces, not by three takes on its louder part.
 */
const NEW_TERMS_GAIN = 1;

interface Raw extends Omit<Candidate, 'coverage' | 'score' | 'matched'> {
  passage: number;
  heading: string;
  /** Every term of the piece's whole passage. */
  context: ReadonlySet<string>;
  terms: Set<string>;
}

/** Every piece of `hits`, best first. */
export function scorePieces(question: string, hits: readonly SearchHit[]): Candidate[] {
  const terms = queryTerms(question);
  const scores = hits.map((h) => h.score);
  const lo = Math.min(...scores);
  const span = Math.max(...scores) - lo;
  const raw: Raw[] = [];
  hits.forEach(({ chunk, score }, hit) => {
    const blocks = splitBlocks(chunk.text);
    const passage = span > 0 ? (score - lo) / span : 1;
    const context = new Set(tokenize(chunk.text));
    for (const piece of piecesOf(blocks)) {
      const block = blocks[piece.block]!;
      const text = renderBlock(block, piece.units);
      raw.push({ hit, block, piece, text, passage, context, heading: [chunk.title, ...chunk.headingPath, block.heading].join(' '), terms: new Set(tokenize(text)) });
    }
  });
  const weigh = termWeights(terms, raw);
  const share = new Map(terms.map((t) => [t, weigh(new Set([t]))]));
  return raw
    .map(({ passage, heading, context, terms: held, ...rest }) => {
      const own = lexicalFeatures(terms, rest.text);
      const score =
        WEIGHTS.coverage * weigh(held) +
        WEIGHTS.passage * passage +
        WEIGHTS.proximity * own.proximity +
        WEIGHTS.heading * weigh(new Set(tokenize(heading))) +
        WEIGHTS.context * weigh(context) +
        WEIGHTS.identifier * (namesNewIdentifier(rest.block, rest.text, terms) ? 1 : 0);
      return { ...rest, coverage: own.coverage, score, matched: new Map([...share].filter(([t]) => held.has(t))) };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * Whether a prose piece (not a code block) names, in inline code, an identifier none of whose
 * words the question already has: the question asks for it rather than about it.
 */
function namesNewIdentifier(block: Block, text: string, questionTerms: readonly string[]): boolean {
  if (block.kind === 'code') return false;
  const asked = new Set(questionTerms);
  return [...text.matchAll(INLINE_CODE)].some(([, id]) => {
    const named = tokenize(id!);
    return named.length > 0 && !named.some((t) => asked.has(t));
  });
}

/**
 * Share of the question's terms a piece holds, each term weighted by how rare it is among the
 * retrieved pieces (an IDF over this answer's candidates, no corpus statistics needed): the
 * product name every passage repeats says less than the one word that singles the answer out.
 */
function termWeights(terms: readonly string[], pieces: readonly Raw[]): (held: ReadonlySet<string>) => number {
  const idf = terms.map((t) => Math.log(1 + pieces.length / (1 + pieces.filter((p) => p.terms.has(t)).length)));
  const total = idf.reduce((a, b) => a + b, 0);
  return (held) => (total > 0 ? terms.reduce((sum, t, i) => sum + (held.has(t) ? idf[i]! : 0), 0) / total : 0);
}

/**
 * The best pieces that fit in `maxChars` together, at most `maxPieces` and one per passage (more
 * passages cited, more chances the answer's own passage is among them). The first is the best
 * piece; each next one is the best after adding what it holds of the question that the pieces
 * chosen so far do not. A piece too long to fit is passed over for a shorter one; only when
 * nothing fits is the best piece quoted alone.
 */
export function pickPieces(ranked: readonly Candidate[], maxPieces: number, maxChars: number): Candidate[] {
  const chosen: Candidate[] = [];
  const held = new Set<string>();
  let used = 0;
  while (chosen.length < maxPieces) {
    let best: { piece: Candidate; value: number } | undefined;
    for (const c of ranked) {
      if (used + c.text.length > maxChars || chosen.some((p) => p.hit === c.hit)) continue;
      if (chosen.length > 0 && c.coverage < MIN_EXTRA_COVERAGE) continue;
      const value = chosen.length > 0 ? c.score + NEW_TERMS_GAIN * unheld(c, held) : c.score;
      if (!best || value > best.value) best = { piece: c, value };
    }
    if (!best) break;
    chosen.push(best.piece);
    for (const t of best.piece.matched.keys()) held.add(t);
    used += best.piece.text.length;
  }
  return chosen.length > 0 ? chosen : ranked.slice(0, 1);
}

/** The share of the question's weight `c` holds that no piece in `held` does. */
function unheld(c: Candidate, held: ReadonlySet<string>): number {
  let sum = 0;
  for (const [t, w] of c.matched) if (!held.has(t)) sum += w;
  return sum;
}
