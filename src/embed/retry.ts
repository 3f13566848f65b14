import { httpStatus } from '../core/errors.js';
/**
 * Retries for HTTP embedding calls. @langchain/openai builds its OpenAI client with `maxRetries: 0`
 * and its own retry layer gives up on a 429 that lacks a Retry-After header and waits at least 1 s
 * between attempts, so Cairn retries here: 408, 409, 429 and 5xx, plus connection failures and timeouts.
 */

export interface RetryPolicy {
  maxRetries: number;
  /** Delay before the first retry; doubles on each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  status: number | undefined;
}

/** A server's Retry-After beyond this means "not soon": fail now rather than stall an ingest or a chat reply. */
const MAX_SERVER_DELAY_MS = 60_000;

export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, onRetry?: (notice: RetryNotice) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt > policy.maxRetries || !isRetryable(err)) throw new RetriesExhausted(err, attempt);
      const delayMs = retryDelayMs(err, attempt, policy);
      if (delayMs === null) throw new RetriesExhausted(err, attempt);
      onRetry?.({ attempt, delayMs, status: httpStatus(err) });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Carries the last error and how many attempts were made, for the caller's message. */
export class RetriesExhausted extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super(lastError instanceof Error ? lastError.message : String(lastError), { cause: lastError });
    this.name = 'RetriesExhausted';
  }
}


function isRetryable(err: unknown): boolean {
  const status = httpStatus(err);
  if (status === undefined) {
    // No HTTP status: the connection failed or timed out (the OpenAI SDK's APIConnectionError and
    // APIConnectionTimeoutError, or LangChain's TimeoutError). A caller's abort is final.
    const name = (err as { name?: unknown } | null)?.name;
    return name !== 'AbortError';
  }
  if (status === 429) return !isQuotaExhausted(err);
  return status === 408 || status === 409 || status >= 500;
}

/** OpenAI answers 429 with `insufficient_quota` when the account is out of credit: retrying cannot help. */
function isQuotaExhausted(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'insufficient_quota';
}

/** The server's hint when it gives one, else exponential backoff with jitter; null when the hint is too long. */
function retryDelayMs(err: unknown, attempt: number, policy: RetryPolicy): number | null {
  const hinted = serverDelayMs(err);
  if (hinted !== undefined) return hinted > MAX_SERVER_DELAY_MS ? null : hinted;
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  const jitter = 0.75 + Math.random() * 0.25;
  return Math.round(Math.min(policy.maxDelayMs, backoff) * jitter);
}

function serverDelayMs(err: unknown): number | undefined {
  const headers = (err as { headers?: unknown } | null)?.headers;
  const read = (name: string): string | null | undefined => {
    if (headers instanceof Headers) return headers.get(name);
    if (headers && typeof headers === 'object') {
      const value = (headers as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : undefined;
    }
    return undefined;
  };
  const msHeader = read('retry-after-ms');
  if (msHeader) {
    const ms = Number(msHeader);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  const after = read('retry-after');
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
