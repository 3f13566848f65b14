import type { AnswerReply } from '../../core/answer.js';

/**
 * Whether a reply must warn that its sources may not fully back it: every surface uses this one
 * rule and only words the warning its own way. An `unsupported` reply is a decline (an unbacked
 * draft is never posted), which already says the docs do not hold the answer: no warning under it.
 */
export function caveatLevel(grounding: AnswerReply['grounding']): 'partial' | null {
  if (grounding.verdict === 'unsupported') return null;
  return grounding.verdict === 'partial' || grounding.confidence < 0.5 ? 'partial' : null;
}

/** What every surface adds when the reply's searches were keyword-only (`AnswerReply.keywordOnly`). */
export const KEYWORD_ONLY_NOTE = 'Keyword search only while the index is rebuilt: passages that use other words may be missing.';

/** What every surface adds when the thread's shared memory was unavailable (`AnswerReply.threadMemoryLost`). */
export const THREAD_MEMORY_NOTE = 'Thread memory is unavailable right now: this answer may not know what was said earlier in the thread.';
