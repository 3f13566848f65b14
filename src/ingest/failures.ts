import { CairnError } from '../core/errors.js';

/** Why a file (or one JSONL line) was left out of the index. */
export type FailureReason =
  | 'not_found'
  | 'unreadable'
  | 'unsupported'
  | 'oversized'
  | 'binary'
  | 'not_utf8'
  | 'empty'
  | 'corrupt'
  | 'invalid'
  | 'duplicate'
  | 'symlink_loop'
  /** A web page that answered an HTTP error, or redirected somewhere not followed. */
  | 'http_error'
  | 'redirect';

/** One skipped input, reported by name: `source` is the file (or `file:line` for a JSONL line). */
export interface IngestFailure {
  source: string;
  reason: FailureReason;
  detail: string;
}

/** Thrown by validation and loaders for one input; the pipeline reports it and carries on. */
export class InputRejected extends CairnError {
  readonly reason: FailureReason;
  readonly detail: string;

  constructor(reason: FailureReason, detail: string, options?: { cause?: unknown }) {
    super('INGEST', `${reason}: ${detail}`, options);
    this.name = 'InputRejected';
    this.reason = reason;
    this.detail = detail;
  }
}

export function isInputRejected(err: unknown): err is InputRejected {
  return err instanceof Error && err.name === 'InputRejected' && typeof (err as { reason?: unknown }).reason === 'string';
}

/** Turns anything a loader threw into a failure line; unexpected parser errors count as a corrupt file. */
export function toFailure(source: string, err: unknown): IngestFailure {
  if (isInputRejected(err)) return { source, reason: err.reason, detail: err.detail };
  const message = err instanceof Error ? err.message : String(err);
  return { source, reason: 'corrupt', detail: `could not be parsed (${firstLine(message)})` };
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
