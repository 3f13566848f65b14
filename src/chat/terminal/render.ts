import type { AnswerReply } from '../../core/answer.js';
import { caveatLevel, KEYWORD_ONLY_NOTE, THREAD_MEMORY_NOTE } from '../shared/caveat.js';
import type { Outcome } from '../shared/types.js';

/** Plain-text rendering of an outcome for a terminal: the answer, a weak-grounding note, then sources. */
export function renderForTerminal(outcome: Outcome): string {
  if (outcome.kind === 'notice') return outcome.text;
  return renderReply(outcome.reply);
}

export function renderReply(reply: AnswerReply): string {
  const lines = [reply.text.trim()];
  if (caveatLevel(reply.grounding) === 'partial') lines.push('', '(Low confidence: only part of this is supported by the documents.)');
  if (reply.keywordOnly) lines.push('', `(${KEYWORD_ONLY_NOTE})`);
  if (reply.threadMemoryLost) lines.push('', `(${THREAD_MEMORY_NOTE})`);
  if (reply.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const c of reply.citations) lines.push(`  [${c.n}] ${c.title} — ${c.url ?? c.source}`);
  }
  return lines.join('\n');
}
