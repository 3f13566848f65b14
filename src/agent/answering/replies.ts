import type { SourceRef } from './citations.js';

/** The fixed sentences Cairn says itself (not model output), in one place. */

export const NOT_FOUND = "I couldn't find that in the docs.";
export const PARTIAL_NOTE = "I left out parts of my draft that the docs don't back up.";
export const NO_LLM = 'No language model is configured.';
export const PASSAGES_INTRO = 'Here are the most relevant passages from the docs:';
/** Said (in English) when the question was in another language: without a model the quotes stay in the docs' own words. */
export const QUOTES_IN_DOCS_LANGUAGE = 'You asked in another language; without a language model I can only quote the docs as they are written.';
export const SMALLTALK_WITHOUT_LLM = "Hi! Ask me a question about the docs and I'll look it up.";
export const CLOSEST_COUNT = 3;

/** "[1], [2] and [3]" */
function markerList(refs: readonly SourceRef[]): string {
  const markers = refs.map((r) => `[${r.n}]`);
  return markers.length <= 1 ? (markers[0] ?? '') : `${markers.slice(0, -1).join(', ')} and ${markers.at(-1)}`;
}

/** A plain decline that still points at the nearest passages, cited so the reply lists them. */
export function notFound(closest: readonly SourceRef[], lead = NOT_FOUND): string {
  const refs = closest.slice(0, CLOSEST_COUNT);
  if (refs.length === 0) return lead;
  return `${lead} The closest ${refs.length === 1 ? 'source' : 'sources'} I found: ${markerList(refs)}.`;
}

export function stepLimitReached(maxSteps: number): string {
  return `I couldn't finish looking this up within my limit of ${maxSteps} steps.`;
}

