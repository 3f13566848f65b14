import type { AnswerReply, AnswerRequest, ProgressEvent, Turn } from '../../core/answer.js';
import type { Retriever } from '../../core/retriever.js';
import type { SearchHit } from '../../core/search.js';
import { finalizeCitations, SourceRegistry } from './citations.js';
import type { AgentOptions } from '../graph/configuration.js';
import { contentTerms, coverage, evidenceTerms } from './lexical.js';
import type { RunMeter } from '../llm/meter.js';
import { calculated, declined, smalltalk, type Composed } from './compose.js';
import { CLOSEST_COUNT, NOT_FOUND, PASSAGES_INTRO, QUOTES_IN_DOCS_LANGUAGE } from './replies.js';
import { attachmentHits } from './attachments.js';
import { notEnglish } from '../query/language.js';
import { NAME_PASSAGES, noAnswer } from './no-answer.js';
import { pickPieces, scorePieces, type Candidate } from './pick.js';
import { questionParts } from '../query/parts.js';
import { routeQuestion } from '../query/routing.js';
import { TOOL, type ArithmeticAnswerer } from '../tools/toolset.js';

export interface ExtractiveDeps {
  retriever: Retriever;
  arithmetic?: ArithmeticAnswerer;
  options: Pick<AgentOptions, 'k' | 'extractivePassages' | 'extractivePieces' | 'extractiveChars' | 'snippetChars'>;
}

/**
 * Passages searched for each part of a question that asks several things. They join the
 * candidates after the whole question's passages, for the part those missed.
 */
const PART_PASSAGES = 3;


/**
 * Share of the question's content words one quoted piece must hold for the quotes to count as
 * answering it. Quotes are verbatim, so they never misstate the docs; below this they are likely
 * beside the point, and the reply is graded partial so every surface shows its caveat.
 */
const ON_TOPIC_COVERAGE = 0.5;

/**
 * Answering without a language model: quotes the best pieces of the best passages (sentences,
 * lists, code blocks, table rows), each cited, after `notice` (which says why no model wrote the
 * answer), or declines with the closest sources when retrieval shows the docs do not hold the
 * answer. Arithmetic is still computed.
 */
export async function extractiveAnswer(
  request: AnswerRequest,
  deps: ExtractiveDeps,
  run: { meter: RunMeter; progress: (event: ProgressEvent) => void },
  notice: string,
): Promise<AnswerReply> {
  const { meter } = run;
  const base = { mode: 'extractive' as const, llm: meter.llm() };
  const uncited = ({ text, grounding }: Composed, toolsUsed: string[] = []): AnswerReply =>
    ({ ...base, text, citations: [], grounding, toolsUsed, timingsMs: meter.timingsMs() });
  const question = request.question.trim();
  const decided = routeQuestion(question, deps.arithmetic?.extract);
  if (decided.route === 'arithmetic' && deps.arithmetic && decided.expression) {
    const result = await meter.time('calculate', () => deps.arithmetic!.evaluate(decided.expression!));
    if (result.ok) return uncited(calculated(`${decided.expression} = ${result.result}`), [TOOL.calculator]);
  }
  if (decided.route === 'smalltalk') return uncited(smalltalk());
  run.progress({ kind: 'status', step: 'retrieving' });
  const k = Math.max(deps.options.k, deps.options.extractivePassages, NAME_PASSAGES);
  const search = (query: string, n: number) => deps.retriever.search(query, { k: n, accessGroups: request.accessGroups });
  const [hits = [], ...partHits] = await meter.time('retrieve', () =>
    Promise.all([search(inThread(question, request.history), k), ...questionParts(question).map((part) => search(part, PART_PASSAGES))]),
  );
  // Quotes are in the docs' language; an asker who wrote in another is told why, in one line.
  const lead = notEnglish(question) ? `${notice} ${QUOTES_IN_DOCS_LANGUAGE}` : notice;
  // The asker's own files rank first, scored as the best retrieved passage is.
  const attached = attachmentHits(request.attachments ?? [], question, Math.max(1, ...hits.map((h) => h.score)));
  const top = [...attached, ...withParts(hits.slice(0, deps.options.extractivePassages), partHits)];
  const picked = pickPieces(scorePieces(question, top), deps.options.extractivePieces, deps.options.extractiveChars);
  if ((attached.length === 0 && noAnswer(question, hits)) || picked.length === 0) {
    const closest = new SourceRegistry().addHits(onePerDocument(hits).slice(0, CLOSEST_COUNT));
    const { text, grounding } = declined(closest, { lead: `${lead} ${NOT_FOUND}` });
    return { ...base, ...finalizeCitations(text, closest, deps.options.snippetChars), grounding, toolsUsed: [], timingsMs: meter.timingsMs() };
  }
  const refs = new SourceRegistry().addHits(picked.map((p) => top[p.hit]!));
  const quotes = picked.map((p, i) => cite(p, refs[i]!.n));
  const { text, citations } = finalizeCitations(`${lead} ${PASSAGES_INTRO}\n\n${quotes.join('\n\n')}`, refs, deps.options.snippetChars);
  const terms = contentTerms(question);
  const relevance = Math.max(...picked.map((p) => coverage(terms, evidenceTerms(p.text))));
  return {
    ...base,
    text,
    citations,
    // The quotes are verbatim, so what is said is supported; how well they answer is the question's coverage.
    grounding: { verdict: relevance >= ON_TOPIC_COVERAGE ? 'supported' : 'partial', confidence: Math.round(relevance * 100) / 100 },
    toolsUsed: [],
    timingsMs: meter.timingsMs(),
  };
}

/**
 * Words that point back at something said before: "do I still have to ack those?", "how do I
 * stop that?". A question without one is searched alone, even in a thread: a DM or terminal chat
 * moves from topic to topic, and the previous question would pull in passages about the old one.
 */
const REFERS_BACK = /\b(?:it|its|this|that|these|those|they|them|their|there)\b/i;

/**
 * What to search for a question asked in a thread: the asker's previous question, then this one,
 * when this one refers back. Without a model to make a follow-up stand alone, its words alone miss
 * what "those" are; the previous question names it.
 */
export function inThread(question: string, history: readonly Turn[]): string {
  const previous = history.filter((t) => t.role === 'user').at(-1)?.text.trim();
  return previous && REFERS_BACK.test(question) ? `${previous} ${question}` : question;
}

/** `hits`, then the passages of each part's search not already there, ranked (and scored) below them. */
function withParts(hits: readonly SearchHit[], parts: ReadonlyArray<readonly SearchHit[]>): SearchHit[] {
  const seen = new Set(hits.map((h) => h.chunk.id));
  const floor = hits.length > 0 ? Math.min(...hits.map((h) => h.score)) : 0;
  const extra = parts.flat().filter((h) => !seen.has(h.chunk.id) && seen.add(h.chunk.id));
  return [...hits, ...extra.map((h) => ({ chunk: h.chunk, score: floor }))];
}

/** The best passage of each document, so the closest sources are three different pages. */
function onePerDocument(hits: readonly SearchHit[]): SearchHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.chunk.docId) && seen.add(h.chunk.docId));
}

/**
 * A piece with its citation where Markdown keeps it readable: after the text of a sentence or
 * list, on the lead-in of a code block or table, else on its own line below it (a marker right
 * under a table row would be read as another row).
 */
function cite({ text, block }: Candidate, n: number): string {
  const marker = `[${n}]`;
  if (block.kind === 'paragraph' || block.kind === 'list') return `${text} ${marker}`;
  if (block.lead) return `${block.lead} ${marker}${text.slice(block.lead.length)}`;
  return `${text}\n\n${marker}`;
}
