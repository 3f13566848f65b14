import type { ProgressEvent } from '../../../core/answer.js';
import { STATUS_TEXT } from '../../shared/progress-text.js';
import { BLOCK_ID, type SlackMessage } from './blocks.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** What Slack shows after the app's name while it works ("Cairn is working on it…"); the step is the loading message. */
export const WORKING_STATUS = 'is working on it…';

export const PROMPTS_TITLE = 'Try asking';

const GREETING = 'Hi! Ask me anything about the docs. I answer from them and cite my sources.';

/** Slack cuts titles in the thread list; a long first question still reads as one line. */
const TITLE_CHARS = 80;

/** The first message of an assistant thread; marked so thread history leaves it out. */
export function renderGreeting(): SlackMessage {
  return { text: GREETING, blocks: [{ type: 'section', block_id: BLOCK_ID.greeting, text: { type: 'mrkdwn', text: GREETING } }] };
}

/** The step shown as the thread's loading message: plain text, the same words as every surface. */
export function statusText(event: Extract<ProgressEvent, { kind: 'status' }>): string {
  return event.step === 'tool' && event.detail ? `Using ${event.detail}…` : STATUS_TEXT[event.step];
}

/** An assistant thread's title from its first question: one line, short enough for the thread list. */
export function threadTitle(question: string): string {
  return truncate(question.replace(/\s+/g, ' ').trim(), TITLE_CHARS);
}

/**
 * The draft as streamed. Slack turns `<!here>` or `<@U…>` from a document into a ping; escaping
 * character by character (rather than defusing whole forms) keeps each streamed prefix a prefix of
 * the next, so a form split across two appends is escaped too.
 */
export function streamableDraft(draft: string): string {
  return escapeMrkdwn(draft);
}
