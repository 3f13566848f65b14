/**
 * Pure rendering of platform-neutral outcomes into Discord message payloads. No I/O here: every
 * function maps data to data, so the limits Discord enforces are checked in unit tests.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import type { AnswerReply } from '../../../core/answer.js';
import { splitMessage } from '../../shared/split.js';
import type { Outcome } from '../../shared/types.js';
import { feedbackRow } from './feedback-buttons.js';
import { sourcesEmbed } from './sources-embed.js';
import { caveatLevel, KEYWORD_ONLY_NOTE, THREAD_MEMORY_NOTE } from '../../shared/caveat.js';
import { truncate } from './truncate.js';
import { HANDOFF_LEAD, isDecline, type AnswerActions } from '../../shared/answer-actions.js';

/** Discord rejects message content longer than this. */
export const MESSAGE_LIMIT = 2000;
const THREAD_NAME_LIMIT = 90;

export interface RenderedMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Shown at once, then replaced by progress and finally by the answer. */
export const WORKING_TEXT = '🔎 Looking into it…';

/**
 * The messages that carry an outcome, in order. An answer is split under the message limit
 * with code blocks kept balanced; its last message carries the sources embed and 👍/👎 buttons.
 * `quote` (the question of a slash command, which Discord does not show) leads the first message,
 * after `byline` (who shared it) when given.
 */
export function renderOutcome(outcome: Outcome, opts: { byline?: string; quote?: string; actions?: AnswerActions } = {}): RenderedMessage[] {
  const lead = (opts.byline ? `${opts.byline}\n` : '') + (opts.quote ? `> ${truncate(opts.quote.replace(/\s+/g, ' ').trim(), 300)}\n\n` : '');
  if (outcome.kind === 'notice') return split(lead + outcome.text).map(plain);
  const declined = isDecline(outcome.reply);
  const offer = opts.actions?.handoff && declined ? `\n\n-# 🙋 ${HANDOFF_LEAD.replace(/\*/g, '**')}` : '';
  const messages = split(lead + answerText(outcome.reply) + offer).map(plain);
  const last = messages[messages.length - 1]!;
  const embed = sourcesEmbed(outcome.reply.citations);
  last.embeds = embed ? [embed] : [];
  last.components = [feedbackRow(outcome.requestId, opts.actions, declined)];
  return messages;
}

/** The answer text, with a warning line when the sources do not fully back it or search was keyword-only. */
export function answerText(reply: AnswerReply): string {
  const notes: string[] = [];
  if (caveatLevel(reply.grounding) === 'partial') notes.push('-# ⚠️ Low confidence: parts of this answer may not be backed by the sources — please double-check.');
  if (reply.keywordOnly) notes.push(`-# ⏳ ${KEYWORD_ONLY_NOTE}`);
  if (reply.threadMemoryLost) notes.push(`-# ⚠️ ${THREAD_MEMORY_NOTE}`);
  return notes.length === 0 ? reply.text : `${reply.text.trimEnd()}\n\n${notes.join('\n')}`;
}

/** A thread title from the question: one line, short, never empty. */
export function threadName(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line ? truncate(line, THREAD_NAME_LIMIT) : 'Question for Cairn';
}

function split(text: string): string[] {
  const parts = splitMessage(text, MESSAGE_LIMIT);
  return parts.length > 0 ? parts : ['I could not put an answer together — please rephrase the question.'];
}

function plain(content: string): RenderedMessage {
  return { content, embeds: [], components: [] };
}
