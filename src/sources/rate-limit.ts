/**
 * How long a rate-limited answer asks to wait, or undefined when it is not one: a 429/503 (and GitHub's
 * secondary-limit 403) with `Retry-After`, or a 403/429 whose `x-ratelimit-remaining` is 0 (GitHub's
 * primary limit) until `x-ratelimit-reset` (epoch seconds).
 */
export function rateLimitWaitMs(res: Response): number | undefined {
  if (res.status !== 429 && res.status !== 503 && res.status !== 403) return undefined;
  const after = retryAfterMs(res.headers.get('retry-after'));
  if (after !== undefined) return after;
  if (res.status === 503 || res.headers.get('x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

/** `Retry-After: 2` or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
