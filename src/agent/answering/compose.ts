import type { AnswerReply } from '../../core/answer.js';
import type { SourceRef } from './citations.js';
import { notFound, NOT_FOUND, SMALLTALK_WITHOUT_LLM } from './replies.js';
import { stripMarkers } from './sentences.js';

/**
 * The replies the agent's graph and the model-free extractive path both give, so a decline, a
 * calculation or small talk reads and is graded the same whichever path answered.
 */

export type Composed = Pick<AnswerReply, 'text' | 'grounding'>;

/** A calculation or a greeting states nothing the docs would have to back. */
const NOTHING_TO_CHECK: Composed['grounding'] = { verdict: 'not_needed', confidence: 1 };

export function calculated(text: string): Composed {
  return { text, grounding: NOTHING_TO_CHECK };
}

/** The model's small talk without citation markers, or a fixed greeting when it has none. */
export function smalltalk(draft = ''): Composed {
  return { text: stripMarkers(draft).trim() || SMALLTALK_WITHOUT_LLM, grounding: NOTHING_TO_CHECK };
}

/**
 * A plain decline that still points at the closest passages. `confidence` keeps how much of a
 * rejected draft was backed, for the caveat and the eval; a decline without a draft has none.
 */
export function declined(closest: readonly SourceRef[], { lead = NOT_FOUND, confidence = 0 } = {}): Composed {
  return { text: notFound(closest, lead), grounding: { verdict: 'unsupported', confidence } };
}
