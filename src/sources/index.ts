export type { FetchResult, ItemState, ListContext, ListPage, Source, SourceItem } from './source.js';
export { emptySummary, syncSource, type SourceSpec, type SyncDeps, type SyncReport, type SyncSettings } from './sync.js';
export { chooseSources, formatReport, syncConfigured, syncSources, unknownSource, type RemovedSource, type SyncAllOptions } from './sync-all.js';
export { SourceStateStore, type LastRun, type SourceState } from './state.js';
export { buildSource, describeSource } from './build.js';
export { SourceFailed } from './errors.js';
