/**
 * Splits a Markdown message into parts no longer than `limit` characters, preferring paragraph,
 * then line, then sentence, then word boundaries. A code block cut across parts is closed at the
 * end of one part and reopened (same language) at the start of the next, so every part renders;
 * a citation marker like `[12]` is never cut in two.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 20) throw new RangeError('limit must be at least 20 characters');
  const parts: string[] = [];
  let rest = text.trim();
  let reopen = '';
  while (rest.length > 0) {
    const room = limit - reopen.length;
    if (reopen.length + rest.length <= limit) {
      parts.push(reopen + rest);
      break;
    }
    // Leave space for a closing fence in case the cut lands inside a code block.
    const cut = findCut(rest, room - 4);
    let head = rest.slice(0, cut);
    const fence = openFence(reopen + head);
    if (fence !== null) {
      head = head.replace(/\s+$/, '');
      parts.push(`${reopen}${head}\n\`\`\``);
      reopen = `\`\`\`${fence}\n`;
    } else {
      parts.push((reopen + head).trimEnd());
      reopen = '';
    }
    rest = rest.slice(cut).replace(/^\s*\n/, '').replace(/^ +/, '');
  }
  return parts.filter((p) => p.trim().length > 0);
}

function findCut(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const window = text.slice(0, max + 1);
  for (const sep of ['\n\n', '\n', '. ', ' ']) {
    const at = window.lastIndexOf(sep, max - sep.length);
    if (at > max * 0.3) return safeFromMarker(text, at + sep.length);
  }
  return safeFromMarker(text, max);
}

/** Moves a cut that falls inside a `[n]` citation marker to before it. */
function safeFromMarker(text: string, cut: number): number {
  const open = text.lastIndexOf('[', cut - 1);
  if (open >= 0 && open >= cut - 6) {
    const close = text.indexOf(']', open);
    if (close >= cut && /^\[\d+\]$/.test(text.slice(open, close + 1))) return open;
  }
  return cut;
}

/** If `text` ends inside a fenced code block, the fence's language (possibly ''); else null. */
function openFence(text: string): string | null {
  let lang: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\s*```(\S*)/.exec(line);
    if (m) lang = lang === null ? (m[1] ?? '') : null;
  }
  return lang;
}
