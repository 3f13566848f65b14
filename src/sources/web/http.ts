import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestFailure } from '../../ingest/failures.js';
import { formatBytes } from '../../ingest/validate.js';
import { SourceFailed } from '../errors.js';
import { rateLimitWaitMs } from '../rate-limit.js';

export interface HttpSettings {
  /** Origins requests and redirects may go to; anything else is not followed. */
  allowedOrigins: string[];
  /** Sent with every request (an Authorization header read from the env var the config names). */
  headers: Record<string, string>;
  /** Politeness: at most this many requests a second (robots.txt's Crawl-delay may lower it). */
  requestsPerSecond: number;
  maxBytes: number;
  userAgent: string;
  /** Named in the 401/403 message: the setting that holds the credentials. */
  authHint: string;
  /** The longest Retry-After honoured; a longer one fails the request. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type HttpResult =
  | { kind: 'ok'; url: string; contentType: string; body: Uint8Array; validators: Validators }
  | { kind: 'not_modified'; url: string }
  | { kind: 'error'; status?: number; failure: IngestFailure };

const MAX_REDIRECTS = 5;
const MAX_RETRIES = 3;

/**
 * Sequential GETs at a polite rate, redirects followed by hand so each hop is checked against the
 * allowed origins, 429/503 with Retry-After waited out, bodies capped at `maxBytes` while streaming
 * (an oversized page is never held in memory). 401/403 throw SourceFailed: no page of the source will
 * do better, so the sync stops and keeps what is indexed.
 */
export class HttpClient {
  requests = 0;
  private next = 0;
  private intervalMs: number;

  constructor(private readonly settings: HttpSettings) {
    this.intervalMs = 1000 / settings.requestsPerSecond;
  }

  /** robots.txt's Crawl-delay, in seconds, when it asks for more than the configured rate. */
  slowTo(crawlDelaySeconds: number): void {
    this.intervalMs = Math.max(this.intervalMs, crawlDelaySeconds * 1000);
  }

  async get(url: string, opts: { validators?: Validators; signal?: AbortSignal } = {}): Promise<HttpResult> {
    const seen = new Set<string>();
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!this.allowed(current)) return error(url, 'redirect', `leads to ${current}, outside the allowed origins; not followed`);
      if (seen.has(current)) return error(url, 'redirect', `redirect loop through ${current}; not followed`);
      seen.add(current);
      const res = await this.request(current, opts);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
        await res.body?.cancel();
        current = new URL(location, current).toString();
        continue;
      }
      return this.result(url, current, res);
    }
    return error(url, 'redirect', `more than ${MAX_REDIRECTS} redirects; not followed`);
  }

  allowed(url: string): boolean {
    try {
      return this.settings.allowedOrigins.includes(new URL(url).origin);
    } catch {
      return false;
    }
  }

  private async request(url: string, opts: { validators?: Validators; signal?: AbortSignal }): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': this.settings.userAgent, ...this.settings.headers };
    if (opts.validators?.etag) headers['if-none-match'] = opts.validators.etag;
    if (opts.validators?.lastModified) headers['if-modified-since'] = opts.validators.lastModified;
    for (let attempt = 0; ; attempt++) {
      await this.pace(opts.signal);
      this.requests++;
      const timeout = AbortSignal.timeout(this.settings.timeoutMs ?? 30_000);
      const res = await fetch(url, { headers, redirect: 'manual', signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout });
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new SourceFailed(`${url} answered ${res.status} ${res.statusText || (res.status === 401 ? 'Unauthorized' : 'Forbidden')}: check ${this.settings.authHint}. Its documents are kept.`);
      }
      const wait = attempt < MAX_RETRIES ? rateLimitWaitMs(res) : undefined;
      if (wait !== undefined && wait <= (this.settings.maxRetryAfterMs ?? 120_000)) {
        await res.body?.cancel();
        await sleep(wait, undefined, { signal: opts.signal });
        continue;
      }
      return res;
    }
  }

  private async pace(signal?: AbortSignal): Promise<void> {
    const wait = this.next - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal });
    this.next = performance.now() + this.intervalMs;
  }

  private async result(url: string, finalUrl: string, res: Response): Promise<HttpResult> {
    if (res.status === 304) {
      await res.body?.cancel();
      return { kind: 'not_modified', url: finalUrl };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      const reason = res.status === 404 || res.status === 410 ? 'not_found' : 'http_error';
      return { kind: 'error', status: res.status, failure: { source: url, reason, detail: `HTTP ${res.status}` } };
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > this.settings.maxBytes) {
      await res.body?.cancel();
      return error(url, 'oversized', `${formatBytes(declared)} > ${formatBytes(this.settings.maxBytes)} limit`);
    }
    const body = await readCapped(res, this.settings.maxBytes);
    if (body === null) return error(url, 'oversized', `more than ${formatBytes(this.settings.maxBytes)}`);
    const validators: Validators = {};
    const etag = res.headers.get('etag');
    const lastModified = res.headers.get('last-modified');
    if (etag) validators.etag = etag;
    if (lastModified) validators.lastModified = lastModified;
    return { kind: 'ok', url: finalUrl, contentType: (res.headers.get('content-type') ?? '').toLowerCase(), body, validators };
  }
}

/** The body, or null as soon as it passes `max` bytes (the rest is never downloaded). */
export async function readCapped(res: Response, max: number): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}


function error(source: string, reason: IngestFailure['reason'], detail: string): HttpResult {
  return { kind: 'error', failure: { source, reason, detail } };
}
