import { randomUUID } from 'node:crypto';

/** What a log line keeps of a failure on a chat platform. */
export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  /** HTTP status of a failed platform call (Discord's `status`, Slack's `statusCode`). */
  status?: number;
  /** The platform's own error string: Slack's `data.error`, e.g. `invalid_auth`. */
  apiError?: string;
  method?: string;
  url?: string;
  retryAfter?: number;
  cause?: LoggedError;
}

/** Discord puts interaction and webhook tokens in URL paths. */
const TOKEN_IN_URL = /\/(webhooks|interactions)\/(\d+)\/[^/?]+/g;
const MAX_CAUSES = 4;

/**
 * The one way both platforms log a failure. Platform errors carry the request body (the message
 * text), the reply body, and tokens in URLs and HTTP client configs; so this copies named fields
 * only, and never those. Logged under `err`, it is written as it is (see core/logger.ts).
 */
export function logError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err).slice(0, 200) };
  const e = err as Error & { code?: unknown; status?: unknown; statusCode?: unknown; data?: { error?: unknown }; method?: unknown; url?: unknown; retryAfter?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return {
    type: e.name,
    message: e.message,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(typeof e.data?.error === 'string' ? { apiError: e.data.error } : {}),
    ...(typeof e.method === 'string' ? { method: e.method } : {}),
    ...(typeof e.url === 'string' ? { url: e.url.replace(TOKEN_IN_URL, '/$1/$2/[token]') } : {}),
    ...(typeof e.retryAfter === 'number' ? { retryAfter: e.retryAfter } : {}),
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(e.cause !== undefined && depth < MAX_CAUSES ? { cause: logError(e.cause, depth + 1) } : {}),
  };
}

/** A short reference that joins the apology a user sees to the log line about it. */
export function newRef(): string {
  return randomUUID().slice(0, 8);
}
