import type { Audience } from '../../core/access.js';
import type { AnswerReply, Platform, ProgressEvent, Turn } from '../../core/answer.js';
import type { IncomingFile } from './attachments.js';

/**
 * The one inbound type that crosses into chat/shared: a question as every surface hands it to
 * ChatService, normalised from the platform payload. Platform payloads stay in their folders (Slack's
 * events become an InboundMessage for its answer policy first; Discord reads discord.js messages).
 */
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
  /** Files attached to the message; read (or explained away) by ChatService, never stored. */
  files?: IncomingFile[];
}

export type NoticeReason = 'rate_limited' | 'busy' | 'too_long' | 'empty' | 'unavailable' | 'error' | 'shutdown';

/** Exactly one of these comes back for every question: the bot is never silent. */
export type Outcome =
  | { kind: 'answer'; requestId: string; reply: AnswerReply }
  | { kind: 'notice'; requestId: string; reason: NoticeReason; text: string };

export interface AskOptions {
  onProgress?: (event: ProgressEvent) => void;
}
