import type { webApi } from '@slack/bolt';
import type { Turn } from '../../core/answer.js';
import { stripMention } from './message-policy.js';
import { BLOCK_ID } from './render/blocks.js';

/** The fields of a conversations.replies message that history needs. */
export interface ThreadMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  blocks?: { type?: string; block_id?: string; text?: { text?: string } }[];
}

export interface BotIdentity {
  botUserId?: string;
  botId?: string;
}

/** Enough context for a follow-up without flooding the prompt. */
const MAX_TURNS = 20;
/** A DM is one long conversation: only its recent part is context for the next question (as in Discord). */
const DM_WINDOW_SECONDS = 60 * 60;
const DM_HISTORY_MESSAGES = 20;

/**
 * Turns the thread's messages before `beforeTs` into history, oldest first: Cairn's answers become
 * assistant turns (answer sections only, without sources or buttons), its placeholders are skipped,
 * everyone else's messages become user turns with the bot mention stripped.
 */
export function threadToTurns(messages: ThreadMessage[], beforeTs: string, bot: BotIdentity): Turn[] {
  const turns: Turn[] = [];
  for (const m of messages) {
    if (!m.ts || compareTs(m.ts, beforeTs) >= 0) continue;
    const fromBot = (bot.botId !== undefined && m.bot_id === bot.botId) || (bot.botUserId !== undefined && m.user === bot.botUserId);
    const turn: Turn | null = fromBot ? assistantTurn(m) : m.bot_id || (m.subtype && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') ? null : userTurn(m, bot);
    if (!turn || !turn.text) continue;
    const last = turns.at(-1);
    if (last && last.role === turn.role && turn.role === 'assistant') last.text = `${last.text}\n\n${turn.text}`;
    else turns.push(turn);
  }
  return turns.slice(-MAX_TURNS);
}

function assistantTurn(m: ThreadMessage): Turn | null {
  const blocks = m.blocks ?? [];
  // Placeholders and the assistant panel's greeting are not part of the conversation.
  if (blocks.some((b) => b.block_id === BLOCK_ID.progress || b.block_id === BLOCK_ID.greeting)) return null;
  const answer = blocks.filter((b) => b.block_id?.startsWith(BLOCK_ID.answer)).map((b) => b.text?.text ?? '');
  return { role: 'assistant', text: (answer.length > 0 ? answer.join('\n\n') : (m.text ?? '')).trim() };
}

function userTurn(m: ThreadMessage, bot: BotIdentity): Turn {
  return { role: 'user', text: stripMention(m.text ?? '', bot.botUserId) };
}

/** Orders Slack timestamps ("1712345678.000100") exactly; they exceed a double's precision. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  const sec = Number(as) - Number(bs);
  if (sec !== 0) return Math.sign(sec);
  const width = Math.max(af.length, bf.length);
  return Math.sign(Number(af.padEnd(width, '0')) - Number(bf.padEnd(width, '0')));
}

/** Fetches a thread's earlier turns; one page of up to 200 messages is plenty for a chat thread. */
export async function fetchThreadHistory(
  client: webApi.WebClient,
  where: { channel: string; threadTs: string; beforeTs: string },
  bot: BotIdentity,
): Promise<Turn[]> {
  const res = await client.conversations.replies({ channel: where.channel, ts: where.threadTs, limit: 200 });
  return threadToTurns((res.messages ?? []) as ThreadMessage[], where.beforeTs, bot);
}

/**
 * Turns a DM's top-level messages from the hour before `beforeTs` into history, oldest first, with
 * the same mapping as a thread; conversations.history lists newest first.
 */
export function dmToTurns(messages: ThreadMessage[], beforeTs: string, bot: BotIdentity): Turn[] {
  const [sec = '0', frac = ''] = beforeTs.split('.');
  const windowStart = `${Number(sec) - DM_WINDOW_SECONDS}.${frac}`;
  const recent = messages.filter((m) => m.ts !== undefined && compareTs(m.ts, windowStart) >= 0);
  recent.sort((a, b) => compareTs(a.ts as string, b.ts as string));
  return threadToTurns(recent, beforeTs, bot);
}

/** Fetches the DM's recent turns before `beforeTs` (exclusive), for a top-level direct message. */
export async function fetchDmHistory(
  client: webApi.WebClient,
  where: { channel: string; beforeTs: string },
  bot: BotIdentity,
): Promise<Turn[]> {
  const res = await client.conversations.history({ channel: where.channel, latest: where.beforeTs, inclusive: false, limit: DM_HISTORY_MESSAGES });
  return dmToTurns((res.messages ?? []) as ThreadMessage[], where.beforeTs, bot);
}
