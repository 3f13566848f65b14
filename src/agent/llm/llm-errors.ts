import { CairnError, httpStatus } from '../../core/errors.js';
import type { Expiry } from './call-watch.js';

/** Where the models are served and the limits they run under, for messages that name them. */
export interface ModelEndpoint {
  endpoint: string;
  timeoutMs: number;
  idleTimeoutMs: number;
}

/** Socket and HTTP-client codes of a connection that failed or broke mid-reply (Node, undici). */
const TRANSPORT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * A connection that broke: a stream cut mid-reply surfaces as undici's bare `TypeError: terminated`,
 * its cause holding the socket error.
 */
function isTransportError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'SocketError' || name === 'BodyTimeoutError') return true;
    if (typeof code === 'string' && TRANSPORT_CODES.has(code)) return true;
    if (e instanceof TypeError && (message === 'terminated' || message === 'fetch failed')) return true;
  }
  return false;
}

/** A request-specific refusal (too long, malformed): says nothing about the service's health. */
export function isRequestError(err: unknown): boolean {
  const status = httpStatus(err);
  return status === 400 || status === 413 || status === 422;
}

function unavailable(models: ModelEndpoint, what: string, hint: string, toUser: string, cause?: unknown): CairnError {
  return new CairnError('LLM_UNAVAILABLE', `The language model at ${models.endpoint} ${what}. ${hint}`, {
    ...(cause === undefined ? {} : { cause }),
    userMessage: `The language model is unavailable right now (${toUser}).`,
  });
}

/** A call cut off by its idle limit or its deadline. */
export function expiredError(why: Expiry, models: ModelEndpoint): CairnError {
  return why === 'idle'
    ? unavailable(models, `sent nothing for ${models.idleTimeoutMs / 1000} s`, 'Check that the server is up and not overloaded; raise LLM_IDLE_TIMEOUT_MS if a slow model needs longer before it starts writing.', 'it stopped responding')
    : unavailable(models, `did not answer within ${models.timeoutMs / 1000} s`, 'Raise LLM_TIMEOUT_MS or use a faster model.', `it did not answer within ${models.timeoutMs / 1000} s`);
}

/** What the circuit breaker answers while it keeps Cairn from calling a model that keeps failing. */
export function circuitOpenError(models: ModelEndpoint, retryInMs: number): CairnError {
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  return unavailable(
    models,
    'failed several calls in a row, so Cairn is not calling it for now',
    `It tries again in ${seconds} s; see the earlier warnings for why the calls failed.`,
    `it failed several times in a row; I will try it again in about ${seconds} s`,
  );
}

/**
 * Names what went wrong with the model service, for the operator and, briefly, for the user.
 * Anything else (a bug in how the call was built) is returned as is.
 */
export function toLlmError(err: unknown, models: ModelEndpoint): unknown {
  const e = (err ?? {}) as { name?: string; code?: unknown; constructor?: { name?: string } };
  const kind = e.constructor?.name ?? '';
  const status = httpStatus(err);
  if (e.name === 'TimeoutError' || kind === 'APIConnectionTimeoutError') {
    return unavailable(models, `did not answer within ${models.timeoutMs / 1000} s`, 'Raise LLM_TIMEOUT_MS or use a faster model.', `it did not answer within ${models.timeoutMs / 1000} s`, err);
  }
  if (status === 429) {
    return e.code === 'insufficient_quota'
      ? unavailable(models, 'answered HTTP 429: the account is out of quota', "Check the account's plan and billing.", 'it is out of quota', err)
      : unavailable(models, 'answered HTTP 429: it is rate-limiting Cairn or overloaded', "Check the server's load and the account's rate limits and quota; lower QUEUE_CONCURRENCY to send fewer calls at once.", 'it is overloaded', err);
  }
  if (status !== undefined) {
    const hint =
      status === 401 || status === 403 ? 'Check OPENAI_API_KEY.'
      : status === 404 ? 'Check LLM_MODEL and LLM_FAST_MODEL: the server does not know the model.'
      : status >= 500 ? 'The server is failing: check its logs.'
      : 'The server refused the request: check LLM_MODEL and the server version.';
    return unavailable(models, `answered HTTP ${status}`, hint, 'it returned an error', err);
  }
  // The SDK names a connection that failed before the response; one that breaks mid-reply arrives bare.
  if (kind === 'APIConnectionError' || e.name === 'AbortError') {
    return unavailable(models, 'could not be reached', 'Check OPENAI_BASE_URL and that the server is up.', 'it could not be reached', err);
  }
  if (isTransportError(err)) {
    return unavailable(models, 'dropped the connection mid-reply', 'Check that the server is up and that no proxy in between cuts long replies.', 'it dropped the connection', err);
  }
  return err;
}
