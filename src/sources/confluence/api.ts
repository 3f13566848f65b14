import { CairnError } from '../../core/errors.js';
import { isInputRejected, type IngestFailure } from '../../ingest/failures.js';
import { decodeText, formatBytes } from '../../ingest/validate.js';
import { ApiFetch } from '../api-fetch.js';
import { SourceFailed } from '../errors.js';
import { readCapped } from '../web/http.js';

export interface ConfluenceApiSettings {
  /** `<site>/wiki/api/v2` */
  apiRoot: string;
  headers: Record<string, string>;
  /** Named in a 401/403 message: where the credentials are set. */
  authHint: string;
  maxBytes: number;
}

export type Got<T> = { data: T } | { failure: IngestFailure };

/**
 * GETs against Confluence's REST API v2. Bodies are read as bytes up to `maxBytes`, then checked as
 * UTF-8 text before they are parsed, so a huge or garbled page is one failure, not a crash. 401/403
 * stop the source; during a listing any other error cuts it short (nothing is deleted).
 */
export class ConfluenceApi {
  private readonly http: ApiFetch;

  constructor(private readonly settings: ConfluenceApiSettings) {
    this.http = new ApiFetch({ headers: { accept: 'application/json', 'user-agent': 'Cairn/0.1 (document sync)', ...settings.headers } });
  }

  get requests(): number {
    return this.http.requests;
  }

  /** An API path (`/spaces?keys=A`) or a `_links.next` (`/wiki/api/v2/…`, relative to the site's origin) as a URL. */
  url(pathOrNext: string): string {
    return pathOrNext.includes('/api/v2/') ? new URL(pathOrNext, this.settings.apiRoot).toString() : `${this.settings.apiRoot}${pathOrNext}`;
  }

  /** For the listing: anything but a 200 with JSON throws. */
  async list<T>(pathOrNext: string, signal?: AbortSignal): Promise<T> {
    const got = await this.get<T>(pathOrNext, signal);
    if ('data' in got) return got.data;
    throw new CairnError('INGEST', `Confluence: ${got.failure.source} could not be read (${got.failure.detail}): the listing stopped part-way, so nothing was deleted; the next sync resumes here.`);
  }

  async get<T>(pathOrNext: string, signal?: AbortSignal): Promise<Got<T>> {
    const url = this.url(pathOrNext);
    const res = await this.http.fetch(url, signal ? { signal } : {});
    if (res.status === 401 || res.status === 403) {
      const why = await errorTitle(res);
      throw new SourceFailed(`Confluence answered ${res.status}${why ? ` (${why})` : ''} for ${url}: check ${this.settings.authHint}. Its documents are kept.`);
    }
    if (res.status !== 200) {
      const why = await errorTitle(res);
      return { failure: { source: url, reason: res.status === 404 ? 'not_found' : 'http_error', detail: `HTTP ${res.status}${why ? ` ${why}` : ''}` } };
    }
    const body = await readCapped(res, this.settings.maxBytes);
    if (body === null) return { failure: { source: url, reason: 'oversized', detail: `more than ${formatBytes(this.settings.maxBytes)}` } };
    try {
      return { data: JSON.parse(decodeText(body)) as T };
    } catch (err) {
      if (isInputRejected(err)) return { failure: { source: url, reason: err.reason, detail: err.detail } };
      return { failure: { source: url, reason: 'corrupt', detail: `not JSON (${(err as Error).message})` } };
    }
  }
}

/** Confluence's error body: `{"errors": [{"status": 401, "code": "UNAUTHORIZED", "title": "…"}]}`. */
async function errorTitle(res: Response): Promise<string | undefined> {
  const text = await res.text().catch(() => '');
  try {
    const first = (JSON.parse(text) as { errors?: Array<{ title?: string; detail?: string | null }> }).errors?.[0];
    return first?.detail || first?.title || undefined;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}
