export { accessGroupsFor } from './access.js';
export { formatSources, formatStatus, ReindexGate, type IndexAdmin, type ReindexStart, type SourceSummary, type StatusReport } from './admin.js';
export { ChatService, type ChatServiceDeps } from './chat-service.js';
export type { FeedbackRecorder, FeedbackVote } from './feedback.js';
export { splitMessage } from './split.js';
export type { AskOptions, IncomingQuestion, NoticeReason, Outcome } from './types.js';
