import { CairnError } from '../core/errors.js';

const USER_MESSAGE = 'Search is unavailable right now: the embedding service is not working. An admin has the details in the logs.';

/** An embedder failure: `message` tells the operator what to fix; chat users see a short notice. */
export function embedderUnavailable(message: string, cause?: unknown): CairnError {
  return new CairnError('EMBEDDER_UNAVAILABLE', message, { cause, userMessage: USER_MESSAGE });
}
