import type { FeedbackRecorder } from '../../../core/feedback.js';
import type { Logger } from '../../../core/logger.js';
import type { IndexAdmin, ReindexGate } from '../../shared/admin.js';
import type { ChatService } from '../../shared/chat-service.js';

export interface InteractionHandlerDeps {
  chat: ChatService;
  reindex: ReindexGate;
  admin: IndexAdmin;
  feedback: FeedbackRecorder;
  /** Members with any of these roles may run /cairn-reindex. */
  adminRoleIds: string[];
  logger: Logger;
  progressIntervalMs: number;
}
