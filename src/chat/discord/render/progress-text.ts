import type { ProgressEvent } from '../../../core/answer.js';
import { STATUS_TEXT } from '../../shared/progress-text.js';
import { MESSAGE_LIMIT } from './outcome.js';
import { truncate } from './truncate.js';

/** One line saying what the agent is doing, or a preview of its draft, under the message limit. */
export function progressText(event: ProgressEvent): string {
  if (event.kind === 'draft') {
    return `${truncate(event.text.trim(), MESSAGE_LIMIT - 40)}\n-# ✍️ still writing…`;
  }
  if (event.step === 'tool' && event.detail) return `🛠️ Using ${truncate(event.detail, 80)}…`;
  return `🔎 ${STATUS_TEXT[event.step]}`;
}

/** The re-index progress message: a header and as many of the latest lines as fit. */
export function reindexText(source: string | undefined, lines: string[], end?: { ok: boolean; text: string }): string {
  const what = source ? `\`${source.replace(/`/g, "'")}\`` : 'all sources';
  const header = end ? (end.ok ? `✅ Re-indexed ${what}: ${end.text}` : `❌ Re-indexing ${what} failed: ${end.text}`) : `🔄 Re-indexing ${what}…`;
  const head = truncate(header, 400);
  const shown: string[] = [];
  let room = MESSAGE_LIMIT - head.length - 10;
  for (const line of [...lines].reverse()) {
    const l = truncate(line.replace(/`/g, "'"), 200);
    if (l.length + 1 > room) break;
    shown.unshift(l);
    room -= l.length + 1;
  }
  return shown.length ? `${head}\n\`\`\`\n${shown.join('\n')}\n\`\`\`` : head;
}
