import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_AGENT_OPTIONS, formatSources, NO_LLM, renderPrompt, stripMarkers, type SourceRef } from '../agent/index.js';
import type { VotedExchange } from './types.js';
import { maskPii } from './mask.js';

export interface SftMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * One training example in the chat "messages" format TRL's SFTTrainer and OpenAI fine-tuning read,
 * with the access groups it came from: a model trained on it must only serve people who may read them.
 */
export interface SftExample {
  messages: SftMessage[];
  metadata: {
    /** The groups of the passages the answer cites. */
    cited_groups: string[];
    /** The groups the answer could draw on (its conversation's). */
    conversation_groups: string[];
  };
}

/** Why an exchange is or is not exported for the groups allowed. */
export type ExportVerdict = 'export' | 'outside_groups' | 'groups_unknown';

/**
 * An exchange is exported only when everything it could have drawn on lies in `allowed`: its
 * conversation's groups, and the group of every passage it cites. Answers recorded before groups
 * were kept are left out, since nothing says who could read them.
 */
export function exportVerdict(e: VotedExchange, allowed: readonly string[]): ExportVerdict {
  if (e.accessGroups === null) return 'groups_unknown';
  const groups = [...e.accessGroups, ...e.citations.flatMap((c) => (c.accessGroup ? [c.accessGroup] : []))];
  return groups.every((g) => allowed.includes(g)) ? 'export' : 'outside_groups';
}

/**
 * A 👍 exchange as the model saw it when it answered: the answer system prompt, the thread's
 * earlier turns, the question with its cited passages as numbered sources, then the answer. The
 * citations were renumbered 1..m when the answer was finalised, so the sources are numbered the
 * same way and every `[n]` in the answer points at the right one. Returns null for replies no
 * model wrote (answers quoted without a language model), which would teach the wrong style.
 *
 * `passageText` gives a cited chunk's full text when the index still has it; otherwise the
 * citation's snippet stands in.
 */
export function toSftExample(e: VotedExchange, passageText: ReadonlyMap<string, string> = new Map()): SftExample | null {
  if (e.answer.includes(NO_LLM)) return null;
  const nonce = createHash('sha256').update(e.requestId).digest('hex').slice(0, 8);
  const sources: SourceRef[] = e.citations.map((c) => ({
    n: c.n, kind: 'doc', chunkId: c.chunkId, title: c.title, source: c.source, ...(c.url ? { url: c.url } : {}), text: passageText.get(c.chunkId) ?? c.snippet,
  }));
  const history: SftMessage[] = e.history.slice(-DEFAULT_AGENT_OPTIONS.historyTurns).map((t) => ({
    role: t.role,
    // As in the live prompt: an earlier answer's [n] pointed at that answer's passages.
    content: maskPii(t.role === 'assistant' ? stripMarkers(t.text) : t.text),
  }));
  // Attached files are not kept with an exchange, so a training example shows the question alone.
  const question = renderPrompt('answer-user', { question: e.question, files: '', sources: formatSources(sources, nonce) });
  const turns = alternate([...history, { role: 'user', content: maskPii(question) }, { role: 'assistant', content: maskPii(e.answer) }]);
  return {
    messages: [{ role: 'system', content: renderPrompt('answer-system', { nonce }) }, ...turns],
    metadata: {
      cited_groups: [...new Set(e.citations.flatMap((c) => (c.accessGroup ? [c.accessGroup] : [])))].sort(),
      conversation_groups: [...(e.accessGroups ?? [])].sort(),
    },
  };
}

/**
 * Turns that start with the user and alternate: consecutive turns of one role are joined (a user
 * who wrote twice before the bot answered), and assistant turns before the first user turn dropped.
 */
function alternate(turns: SftMessage[]): SftMessage[] {
  const out: SftMessage[] = [];
  for (const turn of turns) {
    if (!turn.content.trim()) continue;
    const last = out.at(-1);
    if (!last && turn.role !== 'user') continue;
    if (last?.role === turn.role) last.content = `${last.content}\n\n${turn.content}`;
    else out.push({ ...turn });
  }
  return out;
}

export async function writeSftFile(file: string, examples: readonly SftExample[]): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, examples.map((x) => `${JSON.stringify(x)}\n`).join(''));
}
