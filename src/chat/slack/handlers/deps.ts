import { randomUUID } from 'node:crypto';
import type { ChatService } from '../../shared/chat-service.js';
import type { IndexAdmin, ReindexGate } from '../../shared/admin.js';
import type { FeedbackRecorder } from '../../../core/feedback.js';
import type { Logger } from '../../../core/logger.js';
import type { SlackConfig } from '../bolt-app.js';
import type { ImLookup } from '../conversation.js';
import type { DeliveryMemory } from '../delivery-memory.js';
import type { ThreadParticipation } from '../thread-participation.js';

/** The index operations the admin commands need; one ReindexGate is shared by every chat surface. */
export interface SlackAdminDeps {
  reindex: Pick<ReindexGate, 'start'>;
  index: Pick<IndexAdmin, 'sources' | 'status'>;
}

export interface HandlerDeps {
  config: SlackConfig;
  chat: Pick<ChatService, 'ask' | 'delivery'>;
  admin: SlackAdminDeps;
  feedback: FeedbackRecorder;
  memory: DeliveryMemory;
  /** Asks Slack whether Cairn posted in a thread the memory does not know (e.g. after a restart). */
  threads: ThreadParticipation;
  /** Tells Cairn's own DMs from DMs between people, for slash commands. */
  ims: ImLookup;
  logger: Logger;
  progressIntervalMs: number;
  reindexProgressIntervalMs: number;
  /** Runs work after the ack; the adapter waits for it on stop. Never rejects. */
  background: (name: string, work: () => Promise<void>) => void;
}

/** A short reference that joins what the user sees to the log line. */
export function newRef(): string {
  return randomUUID().slice(0, 8);
}
