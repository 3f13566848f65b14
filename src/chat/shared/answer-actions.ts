import type { AnswerReply, Citation } from '../../core/answer.js';
import type { RecordedAnswer } from '../../core/feedback.js';

/**
 * The buttons under an answer beside 👍/👎, decided by the handler that knows where it is shown:
 * - `share`: the answer is ephemeral (only the asker sees it), so it can be posted for everyone;
 * - `handoff`: a hand-off target is configured and the answer is shown in a conversation where a
 *   mention reaches people (never an ephemeral answer or Cairn's own DM: nobody else would see it).
 */
export interface AnswerActions {
  share?: boolean;
  handoff?: boolean;
}

/** Whether the "Still need help?" button goes under an answer shown here. */
export function offersHandoff(configured: boolean, where: { botDm: boolean; ephemeral: boolean }): boolean {
  return configured && !where.botDm && !where.ephemeral;
}

/** A decline ("I couldn't find that…") or an answer the docs do not back: the hand-off is offered first. */
export function isDecline(reply: Pick<AnswerReply, 'grounding'>): boolean {
  return reply.grounding.verdict === 'unsupported';
}

export const HANDOFF_LABEL = 'Still need help?';
export const SHARE_LABEL = 'Share in channel';
/** Shown above the hand-off button under a decline. */
export const HANDOFF_LEAD = 'A person can pick this up: click *Still need help?*';

const SUMMARY_CHARS = 150;

/** The question as one short line for the hand-off post. */
export function handoffSummary(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length <= SUMMARY_CHARS ? line : `${line.slice(0, SUMMARY_CHARS - 1).trimEnd()}…`;
}

/** A recorded answer as a reply to render again when it is shared. */
export function recordedReply(a: RecordedAnswer): AnswerReply {
  return {
    text: a.text, citations: a.citations,
    // The stored verdict keeps the caveat; the confidence behind a "partial" is not stored.
    grounding: { verdict: a.verdict, confidence: a.verdict === 'supported' || a.verdict === 'not_needed' ? 1 : 0 },
    mode: 'agent', toolsUsed: [], llm: { calls: 0, promptTokens: 0, completionTokens: 0 }, timingsMs: {},
  };
}

export const ANSWER_GONE = 'I no longer have that answer (old answers are pruned). Please ask again.';
export const ALREADY_HANDED_OFF = 'This question was already handed to a person — they have been notified in this conversation.';
export const SHARED = 'Shared in this channel.';

/** Why a private answer may not be shared here: names the documents, which only the asker sees. */
export function shareRefused(citations: readonly Citation[], refusedGroups: readonly string[]): string {
  const titles = [...new Set(citations.filter((c) => c.accessGroup !== undefined && refusedGroups.includes(c.accessGroup)).map((c) => c.title || c.source))];
  return `I can't share this answer here: it cites ${titles.length === 1 ? 'a document' : 'documents'} not everyone in this channel may read (${titles.join(', ')}). Nothing was posted. Share it in a channel that may read ${titles.length === 1 ? 'it' : 'them'}, or ask again here.`;
}
