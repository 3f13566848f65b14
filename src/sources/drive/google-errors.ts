/**
 * Reading the errors of Google's APIs as gaxios hands them over: the body is
 * `{error: {code, message, errors: [{domain, reason, message}], status}}`, and the `reason` tells a
 * rate limit (403 `rateLimitExceeded`) from refused credentials.
 */

/** 403s about one file, not the credentials: that file is skipped, the sync goes on. */
export const FILE_REFUSALS = new Set(['exportSizeLimitExceeded', 'cannotExportFile', 'fileNotDownloadable', 'cannotDownloadAbusiveFile', 'downloadQuotaExceeded']);

/** Status, first reason and message of a failed call. */
export function googleError(err: unknown): { status?: number; reason?: string; message: string } {
  const e = err as { status?: number; response?: { status?: number; data?: unknown }; message?: string };
  const status = e.status ?? e.response?.status;
  let data = e.response?.data;
  // With responseType arraybuffer the error body arrives as bytes too.
  if (data instanceof ArrayBuffer) data = safeJson(new TextDecoder().decode(data));
  const body = (data as { error?: { message?: string; errors?: Array<{ reason?: string }> } } | undefined)?.error;
  const reason = body?.errors?.[0]?.reason;
  return { ...(status !== undefined ? { status } : {}), ...(reason ? { reason } : {}), message: body?.message ?? e.message ?? String(err) };
}

export function rateLimited(status: number | undefined, reason: string | undefined): boolean {
  return status === 429 || (status === 403 && (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded'));
}

export function header(err: unknown, name: string): string | null {
  const headers = (err as { response?: { headers?: Headers | Record<string, string> } }).response?.headers;
  if (!headers) return null;
  return headers instanceof Headers ? headers.get(name) : (headers[name] ?? null);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
