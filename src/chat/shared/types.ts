import type { Audience } from '../../core/access.js';
import type { AnswerReply, Platform, ProgressEvent, Turn } from '../../core/answer.js';

/** A question as an adapter hands it over, already normalised from the platform payload. */
export interface IncomingQuestion {
  platform: Platform;
  channelId: string;
  threadId?: string;
  userId: string;
  userName?: string;
  text: string;
  /** Who will see the answer: it decides which access groups the answer may draw on. */
  audience: Audience;
  /** Earlier turns of the thread, oldest first. */
  history: Turn[];
}

export type NoticeReason = 'rate_limited' | 'busy' | 'too_long' | 'empty' | 'unavailable' | 'error' | 'shutdown';

/** Exactly one of these comes back for every question: the bot is never silent. */
export type Outcome =
  | { kind: 'answer'; requestId: string; reply: AnswerReply }
  | { kind: 'notice'; requestId: string; reason: NoticeReason; text: string };

export interface AskOptions {
  onProgress?: (event: ProgressEvent) => void;
}
