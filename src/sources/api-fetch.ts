import { setTimeout as sleep } from 'node:timers/promises';
import { rateLimitWaitMs } from './rate-limit.js';

export interface ApiFetchSettings {
  /** Sent with every request (a Confluence Authorization header); Octokit sets its own. */
  headers?: Record<string, string>;
  /** The longest rate-limit wait honoured; a longer one returns the response for the caller to report. */
  maxWaitMs?: number;
  timeoutMs?: number;
}

const MAX_RETRIES = 3;

/**
 * `fetch` for the API connectors (Octokit takes it as `request.fetch`): counts requests, puts a timeout
 * on each, and waits out rate limits before trying again, so one busy minute never fails a sync.
 */
export class ApiFetch {
  requests = 0;

  constructor(private readonly settings: ApiFetchSettings = {}) {}

  readonly fetch = async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...this.settings.headers };
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      const timeout = AbortSignal.timeout(this.settings.timeoutMs ?? 30_000);
      const res = await fetch(input, { ...init, headers, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
      const wait = attempt < MAX_RETRIES ? rateLimitWaitMs(res) : undefined;
      if (wait === undefined || wait > (this.settings.maxWaitMs ?? 120_000)) return res;
      await res.body?.cancel();
      await sleep(wait, undefined, init.signal ? { signal: init.signal } : undefined);
    }
  };
}
