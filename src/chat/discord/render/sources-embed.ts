import { escapeMarkdown, type APIEmbed } from 'discord.js';
import type { Citation } from '../../../core/answer.js';
import { truncate } from './truncate.js';

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const EMBED_LIMITS = { description: 4096, fields: 25, total: 6000, title: 256 } as const;

const TITLE = 'Sources';
const COLOR = 0x5865f2;
const MAX_TITLE_CHARS = 120;
const MAX_SOURCE_CHARS = 120;

/**
 * The citations of an answer as one embed: a numbered line per source, its title linked to the
 * URL when there is one, else followed by the source path. Lines that would overflow the
 * description limit are summarised as "…and N more". Null when there is nothing to cite.
 */
export function sourcesEmbed(citations: Citation[]): APIEmbed | null {
  if (citations.length === 0) return null;
  const sorted = [...citations].sort((a, b) => a.n - b.n);
  const lines: string[] = [];
  let used = 0;
  for (const [i, c] of sorted.entries()) {
    const line = citationLine(c);
    const remaining = sorted.length - i - 1;
    // Keep room for the summary line unless this is the last citation.
    const reserve = remaining > 0 ? `\n…and ${remaining} more`.length : 0;
    if (used + line.length + 1 + reserve > EMBED_LIMITS.description) {
      lines.push(`…and ${sorted.length - i} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return { title: TITLE, description: lines.join('\n'), color: COLOR };
}

/** Every character Discord counts towards an embed's 6,000 total. */
export function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0)
    + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

function citationLine(c: Citation): string {
  const title = escapeMarkdown(truncate(c.title.replace(/\s+/g, ' ').trim() || c.source, MAX_TITLE_CHARS)).replace(/[[\]]/g, '\\$&');
  const url = linkable(c.url);
  if (url) return `**[${c.n}]** [${title}](${url})`;
  return `**[${c.n}]** ${title} · \`${truncate(c.source.replace(/`/g, "'"), MAX_SOURCE_CHARS)}\``;
}

/** An http(s) URL safe inside Markdown link parentheses, or null. */
function linkable(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    const href = u.href.replace(/[()]/g, (ch) => (ch === '(' ? '%28' : '%29'));
    return href.length <= 512 ? href : null;
  } catch {
    return null;
  }
}
