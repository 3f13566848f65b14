import { CairnError } from '../core/errors.js';

/**
 * A source that cannot go on at all (refused credentials, a missing folder): the sync stops, the
 * source is marked failed with this message, and every document it has is kept. The message names
 * the setting to fix.
 */
export class SourceFailed extends CairnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INGEST', message, options);
    this.name = 'SourceFailed';
  }
}
