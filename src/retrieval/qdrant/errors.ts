import { CairnError, httpStatus, isCairnError } from '../../core/errors.js';

const USER_MESSAGE = 'The document index is unavailable right now. Please try again later.';


function qdrantMessage(err: unknown): string {
  const data = (err as { data?: { status?: { error?: unknown } } } | null)?.data;
  const text = data?.status?.error;
  if (typeof text === 'string') return text;
  return err instanceof Error ? err.message : String(err);
}

/** fetch wraps socket errors (ECONNREFUSED, ENOTFOUND, …) as `TypeError: fetch failed` with a cause. */
function networkCause(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'QdrantClientTimeoutError' || err.name === 'AbortError' || err.name === 'TimeoutError') return 'the request timed out';
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (err.name === 'TypeError' && cause !== undefined) {
    return typeof cause.code === 'string' ? `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}` : String(cause.message ?? cause);
  }
  return undefined;
}

/** One CairnError per failure kind, each saying what to check. */
export function toStoreError(err: unknown, url: string, action: string): CairnError {
  if (isCairnError(err)) return err;
  const network = networkCause(err);
  if (network !== undefined) {
    return new CairnError('STORE_UNAVAILABLE', `Qdrant at ${url} is unreachable: ${network}. Check QDRANT_URL and that Qdrant is running.`, { cause: err, userMessage: USER_MESSAGE });
  }
  const status = httpStatus(err);
  if (status === 401 || status === 403) {
    return new CairnError('STORE_UNAVAILABLE', `Qdrant at ${url} refused to ${action} (HTTP ${status}): check QDRANT_API_KEY.`, { cause: err, userMessage: USER_MESSAGE });
  }
  const detail = status === undefined ? qdrantMessage(err) : `HTTP ${status}: ${qdrantMessage(err)}`;
  const code = status !== undefined && status < 500 ? 'INTERNAL' : 'STORE_UNAVAILABLE';
  return new CairnError(code, `Qdrant at ${url} failed to ${action}: ${detail}`, { cause: err, userMessage: USER_MESSAGE });
}
