export { ingest, ingestFull, ingestOptionsFrom, type IngestDeps, type IngestOptions } from './pipeline.js';
export { formatSummary, nothingIngested, type IngestSummary } from './summary.js';
export { createProgress, barProgress, lineProgress, silentProgress, type IngestPhase, type IngestProgress } from './progress.js';
export type { FailureReason, IngestFailure } from './failures.js';
export { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './discover.js';
export { chunkDocument, CHUNKER_VERSION, type ChunkSettings } from './chunker.js';
export { AccessRulesFile, type AccessRules } from './access-groups.js';
export { attachmentText, readableAttachment } from './attachment-text.js';
export { formatBytes } from './validate.js';
