/**
 * Just enough Markdown structure for ingestion: front matter, fenced code blocks and ATX headings.
 * Headings inside code fences are code (a `# comment` in a shell block), so everything here tracks fences.
 */

export interface MarkdownLine {
  text: string;
  /** Where the line sits relative to a fenced code block. */
  fence: 'none' | 'open' | 'inside' | 'close';
  heading?: { level: number; text: string };
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;

export function scanMarkdown(text: string): MarkdownLine[] {
  const out: MarkdownLine[] = [];
  let fence: { char: string; length: number } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length) {
        out.push({ text: line, fence: 'close' });
        fence = null;
      } else {
        out.push({ text: line, fence: 'inside' });
      }
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not contain backticks (CommonMark), else it is inline code.
    if (open?.[1] && !(open[1][0] === '`' && (open[2] ?? '').includes('`'))) {
      out.push({ text: line, fence: 'open' });
      fence = { char: open[1][0]!, length: open[1].length };
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading?.[1]) {
      out.push({ text: line, fence: 'none', heading: { level: heading[1].length, text: headingText(heading[2] ?? '') } });
      continue;
    }
    out.push({ text: line, fence: 'none' });
  }
  return out;
}

/** `## Using [ack()](./ack.md) ##` → `Using ack()` */
function headingText(raw: string): string {
  return raw
    .replace(/(?:^|[ \t]+)#+[ \t]*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim();
}

export function firstHeading(lines: MarkdownLine[], level: number): string | undefined {
  return lines.find((l) => l.heading?.level === level && l.heading.text.length > 0)?.heading?.text;
}

export interface FrontMatter {
  /** Top-level `key: value` pairs only; nested YAML is ignored (Cairn reads `title` and `access_group`). */
  fields: Record<string, string>;
  body: string;
}

export function parseFrontMatter(text: string): FrontMatter {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(line);
    if (kv?.[1] && kv[2] !== undefined && kv[2] !== '') fields[kv[1]] = unquote(kv[2]);
  }
  return { fields, body: text.slice(match[0].length) };
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted?.[2] !== undefined ? quoted[2] : value;
}
