import type { ProgressEvent } from '../../../core/answer.js';
import { splitMessage } from '../../shared/split.js';
import { escapeMrkdwn, toMrkdwn } from './mrkdwn.js';
import { STATUS_TEXT } from '../../shared/progress-text.js';

export const PLACEHOLDER_TEXT = 'Searching the docs…';


/** Draft previews stay well inside one section; the full answer replaces them. */
const DRAFT_PREVIEW_CHARS = 2500;
/** Converting only the draft's head keeps each preview cheap however long the draft grows. */
const DRAFT_SOURCE_CHARS = 3000;

/** What the placeholder shows while an answer is being worked on. Pure. */
export function progressText(event: ProgressEvent): string {
  if (event.kind === 'draft') {
    const [head = ''] = splitMessage(toMrkdwn(event.text.slice(0, DRAFT_SOURCE_CHARS)) || '…', DRAFT_PREVIEW_CHARS);
    return `${head}\n\n_…still writing_`;
  }
  const line = event.step === 'tool' && event.detail ? `Using ${escapeMrkdwn(event.detail)}…` : STATUS_TEXT[event.step];
  return line;
}
