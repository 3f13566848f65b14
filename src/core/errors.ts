/**
 * One error base with a code. Guards check `code`, not `instanceof`, so errors survive
 * crossing module copies and worker boundaries. `message` is written for the person who
 * has to act on it; `userMessage` is what a chat user may see (never a stack or a path).
 */
export type ErrorCode =
  | 'CONFIG'
  | 'INPUT'
  | 'INGEST'
  | 'EMBEDDER_UNAVAILABLE'
  | 'EMBEDDER_MISMATCH'
  | 'STORE_UNAVAILABLE'
  | 'INDEX_EMPTY'
  | 'INDEX_DAMAGED'
  | 'LLM_UNAVAILABLE'
  | 'RERANKER_UNAVAILABLE'
  | 'WEB_SEARCH_UNAVAILABLE'
  | 'TOOL'
  | 'RATE_LIMITED'
  | 'BUSY'
  | 'INTERNAL';

export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; userMessage?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.userMessage = options?.userMessage ?? message;
  }
}

export class ConfigError extends CairnError {
  constructor(message: string) {
    super('CONFIG', message);
    this.name = 'ConfigError';
  }
}

export function isCairnError(err: unknown, code?: ErrorCode): err is CairnError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { name?: unknown }).name !== undefined &&
    'userMessage' in err &&
    (code === undefined || (err as CairnError).code === code)
  );
}

/** Wraps anything thrown into a CairnError so callers deal with one shape. */
export function toCairnError(err: unknown, fallback: ErrorCode = 'INTERNAL'): CairnError {
  if (isCairnError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CairnError(fallback, message, { cause: err, userMessage: 'Something went wrong on my side.' });
}

/** The HTTP status an HTTP client error carries as `status` (openai SDK, Qdrant client), if any. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
