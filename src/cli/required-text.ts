import { CairnError } from '../core/errors.js';

/**
 * The trimmed text, checked before anything is loaded: a blank question or query would otherwise
 * reach the embedder, whose error about tensor shapes tells the user nothing.
 */
export function requireText(value: string, hint: string): string {
  const text = value.trim();
  if (!text) throw new CairnError('INPUT', hint);
  return text;
}
