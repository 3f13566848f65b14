import type { ProgressEvent } from '../../core/answer.js';

/** What every surface shows for each step of the agent's work, so users see the same words everywhere. */
export const STATUS_TEXT: Record<Extract<ProgressEvent, { kind: 'status' }>['step'], string> = {
  routing: 'Reading your question…',
  retrieving: 'Searching the docs…',
  grading: 'Reading what I found…',
  thinking: 'Writing the answer…',
  tool: 'Using a tool…',
  checking: 'Checking the answer against the sources…',
  retrying: 'Looking again…',
};
