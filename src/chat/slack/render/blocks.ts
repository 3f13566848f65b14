import type { types } from '@slack/bolt';
import type { AnswerReply, Citation } from '../../../core/answer.js';
import type { Outcome } from '../../shared/types.js';
import { splitMessage } from '../../shared/split.js';
import { escapeMrkdwn, mrkdwnLink, toMrkdwn, truncate } from './mrkdwn.js';
import { caveatLevel, KEYWORD_ONLY_NOTE, THREAD_MEMORY_NOTE } from '../../shared/caveat.js';
import { HANDOFF_LABEL, HANDOFF_LEAD, isDecline, SHARE_LABEL, type AnswerActions } from '../../shared/answer-actions.js';

/**
 * Pure Block Kit builders: no I/O. Slack documents 3,000 characters per section and 50 blocks per
 * message, and rejects messages far below its documented 40k text limit, so a message is kept to
 * 12,000 characters of text in all (blocks plus the `text` fallback).
 */
export const SLACK_LIMITS = { sectionChars: 3000, messageChars: 12_000, messageBlocks: 50, fallbackChars: 1000 } as const;

export const FEEDBACK_ACTION = { up: 'cairn_feedback_up', down: 'cairn_feedback_down' } as const;

/** The Share and "Still need help?" buttons; each carries the answer's requestId as its value. */
export const ANSWER_ACTION = { share: 'cairn_share', handoff: 'cairn_handoff' } as const;

/** Block ids that mark what a bot message holds, so thread history can tell answers from progress. */
export const BLOCK_ID = { answer: 'cairn_answer_', progress: 'cairn_progress', notice: 'cairn_notice', greeting: 'cairn_greeting' } as const;

export interface SlackMessage {
  /** Notification and accessibility fallback; always set. */
  text: string;
  blocks: types.KnownBlock[];
}

export interface AnswerRenderOptions {
  /** For /ask, whose question is shown above the answer (the command text is not visible to the channel). */
  askedBy?: { userId: string; question: string };
  maxSources?: number;
  /** Share and hand-off buttons beside 👍/👎 (see AnswerActions). */
  actions?: AnswerActions;
}

/** Renders an answer as one or more messages; sources, caveat and 👍/👎 go under the last one. */
export function renderAnswer(reply: AnswerReply, requestId: string, opts: AnswerRenderOptions = {}): SlackMessage[] {
  const body = toMrkdwn(reply.text) || '_(empty answer)_';
  const sections = splitMessage(body, SLACK_LIMITS.sectionChars).map((text, i) => answerSection(text, i));
  const trailer: types.KnownBlock[] = [];
  const caveat = lowConfidenceNote(reply.grounding);
  if (caveat) trailer.push(contextBlock(caveat));
  if (reply.keywordOnly) trailer.push(contextBlock(`:hourglass_flowing_sand: ${KEYWORD_ONLY_NOTE}`));
  if (reply.threadMemoryLost) trailer.push(contextBlock(`:warning: ${THREAD_MEMORY_NOTE}`));
  if (reply.citations.length > 0) trailer.push(sourcesBlock(reply.citations, opts.maxSources ?? 10));
  const declined = isDecline(reply);
  if (opts.actions?.handoff && declined) trailer.push(contextBlock(HANDOFF_LEAD));
  trailer.push(feedbackButtons(requestId, opts.actions, declined));
  const header: types.KnownBlock[] = opts.askedBy
    ? [contextBlock(`*<@${opts.askedBy.userId}> asked:* ${escapeMrkdwn(truncate(opts.askedBy.question, 300))}`)]
    : [];
  const units = [...sections.map((s, i) => (i === 0 ? [...header, s] : [s])), trailer];
  return packMessages(units);
}

/** Every outcome becomes at least one message: the bot is never silent. */
export function renderOutcome(outcome: Outcome, opts: AnswerRenderOptions = {}): SlackMessage[] {
  return outcome.kind === 'answer' ? renderAnswer(outcome.reply, outcome.requestId, opts) : [renderNotice(outcome.text)];
}

/** A notice (rate limit, busy, unavailable, error) is a plain short message. */
export function renderNotice(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', block_id: BLOCK_ID.notice, text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }] };
}

/** The placeholder and its progress edits; marked so history never mistakes them for answers. */
export function renderProgress(text: string): SlackMessage {
  return { text: truncate(text, SLACK_LIMITS.fallbackChars), blocks: [{ type: 'section', block_id: BLOCK_ID.progress, text: { type: 'mrkdwn', text } }] };
}

export function lowConfidenceNote(grounding: AnswerReply['grounding']): string | null {
  if (caveatLevel(grounding) === 'partial') return ':warning: Only partly supported by the docs — please check the sources before relying on it.';
  return null;
}

export function sourcesBlock(citations: Citation[], max: number): types.SectionBlock {
  const lines: string[] = [];
  for (const c of citations.slice(0, max)) {
    const title = truncate(c.title || c.source, 150);
    const line = c.url ? `[${c.n}] ${mrkdwnLink(c.url, title)}` : `[${c.n}] ${escapeMrkdwn(title)} — \`${escapeMrkdwn(truncate(c.source, 200))}\``;
    if (`*Sources*\n${[...lines, line].join('\n')}`.length > SLACK_LIMITS.sectionChars - 40) break;
    lines.push(line);
  }
  const hidden = citations.length - lines.length;
  if (hidden > 0) lines.push(`…and ${hidden} more`);
  return { type: 'section', block_id: 'cairn_sources', text: { type: 'mrkdwn', text: `*Sources*\n${lines.join('\n')}` } };
}

/** 👍/👎, with Share and "Still need help?" when asked for; under a decline the hand-off comes first, highlighted. */
export function feedbackButtons(requestId: string, actions: AnswerActions = {}, declined = false): types.ActionsBlock {
  const button = (emoji: string, label: string, actionId: string, primary = false): types.Button => ({
    type: 'button', action_id: actionId, value: requestId, text: { type: 'plain_text', text: `${emoji} ${label}`, emoji: true }, ...(primary ? { style: 'primary' as const } : {}),
  });
  const votes = [button(':+1:', 'Helpful', FEEDBACK_ACTION.up), button(':-1:', 'Not helpful', FEEDBACK_ACTION.down)];
  const share = actions.share ? [button(':loudspeaker:', SHARE_LABEL, ANSWER_ACTION.share)] : [];
  const handoff = actions.handoff ? [button(':raising_hand:', HANDOFF_LABEL, ANSWER_ACTION.handoff, declined)] : [];
  return {
    type: 'actions',
    block_id: 'cairn_feedback',
    elements: declined ? [...handoff, ...share, ...votes] : [...votes, ...share, ...handoff],
  };
}

function answerSection(text: string, index: number): types.SectionBlock {
  return { type: 'section', block_id: `${BLOCK_ID.answer}${index}`, expand: true, text: { type: 'mrkdwn', text } };
}

function contextBlock(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** Characters of text a block carries, as Slack counts them towards a message. */
export function blockChars(block: types.KnownBlock): number {
  if (block.type === 'section') return block.text?.text.length ?? 0;
  if (block.type === 'context') return block.elements.reduce((n, e) => n + ('text' in e && typeof e.text === 'string' ? e.text.length : 0), 0);
  if (block.type === 'actions') return block.elements.reduce((n, e) => n + ('text' in e && e.text && typeof e.text === 'object' ? e.text.text.length : 0), 0);
  return 0;
}

/** Greedily packs units (groups of blocks that must stay together) into messages within the limits. */
function packMessages(units: types.KnownBlock[][]): SlackMessage[] {
  const budget = SLACK_LIMITS.messageChars - SLACK_LIMITS.fallbackChars;
  const messages: types.KnownBlock[][] = [];
  let current: types.KnownBlock[] = [];
  let chars = 0;
  for (const unit of units) {
    const size = unit.reduce((n, b) => n + blockChars(b), 0);
    if (current.length > 0 && (chars + size > budget || current.length + unit.length > SLACK_LIMITS.messageBlocks)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(...unit);
    chars += size;
  }
  if (current.length > 0) messages.push(current);
  return messages.map((blocks) => ({ text: fallbackText(blocks), blocks }));
}

function fallbackText(blocks: types.KnownBlock[]): string {
  const answer = blocks
    .filter((b): b is types.SectionBlock => b.type === 'section' && (b.block_id ?? '').startsWith(BLOCK_ID.answer))
    .map((b) => b.text?.text ?? '')
    .join('\n\n');
  return truncate(answer || 'Sources and feedback for the answer above.', SLACK_LIMITS.fallbackChars);
}
