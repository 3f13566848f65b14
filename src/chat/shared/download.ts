import { CairnError } from '../../core/errors.js';

/** How long one attachment may take to download before the question is answered without it. */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

/** Thrown when more than the cap arrives, or is announced: `bytes` is what the server declared, if it did. */
export class DownloadTooLarge extends CairnError {
  constructor(readonly maxBytes: number, readonly bytes?: number) {
    super('INPUT', `the download is over the ${maxBytes}-byte cap`);
    this.name = 'DownloadTooLarge';
  }
}

/**
 * GETs a file, reading at most `maxBytes`: a declared Content-Length over the cap is refused before
 * the body is read, and an undeclared or understated body is cut off as soon as it passes the cap,
 * so a 50 MB upload never sits in memory.
 */
export async function downloadCapped(url: string, opts: { maxBytes: number; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number }): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  const res = await fetch(url, { headers: opts.headers ?? {}, signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new CairnError('INPUT', `the file server answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > opts.maxBytes) {
    await res.body.cancel();
    throw new DownloadTooLarge(opts.maxBytes, declared);
  }
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > opts.maxBytes) {
      await reader.cancel();
      throw new DownloadTooLarge(opts.maxBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}
