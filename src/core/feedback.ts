import type { Citation, GroundingVerdict, Platform } from './answer.js';

/** A 👍/👎 click. The button carries the answer's requestId so the vote joins its question and answer. */
export interface FeedbackVote {
  requestId: string;
  platform: Platform;
  channelId: string;
  userId: string;
  vote: 'up' | 'down';
  reason?: string;
  at: string;
}

/** Where a surface's 👍/👎 go. Rejects when the vote was not stored, so the surface can tell the user. */
export interface FeedbackRecorder {
  record(vote: FeedbackVote): Promise<void>;
}

/** An answer as it was recorded, found again by its requestId when a button under it is clicked. */
export interface RecordedAnswer {
  requestId: string;
  platform: string;
  /** The channel whose access groups applied where it was asked. */
  channelId: string;
  question: string;
  text: string;
  citations: Citation[];
  verdict: GroundingVerdict;
}

/** A "Still need help?" click: someone asked for a person to take over the question behind an answer. */
export interface HandOff {
  requestId: string;
  platform: Platform;
  channelId: string;
  userId: string;
  at: string;
}

/**
 * What the Share and "Still need help?" buttons read and write. Answers are kept by requestId in the
 * feedback store, so a click reaching any replica finds the answer however long it is.
 */
export interface AnswerRecords {
  /** The answer, or null when it was never recorded or has been pruned. */
  find(requestId: string): Promise<RecordedAnswer | null>;
  /**
   * Hands the answer's question to a person once: claims the hand-off for the answer (across
   * replicas), runs `post` (the mention), and records it. 'already' when the answer was handed off
   * before (by anyone) and `post` is not run. When `post` fails the claim is given back, so a later
   * click may try again, and the error is rethrown.
   */
  handOff(handOff: HandOff, post: () => Promise<void>): Promise<'handed_off' | 'already'>;
}
