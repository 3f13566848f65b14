import type { Platform } from './answer.js';

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
