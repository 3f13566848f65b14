import TurndownService from 'turndown';
import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { firstHeading, scanMarkdown } from '../markdown.js';
import { ensureText } from '../validate.js';
import { buildDocument, titleFromFileName, type LoadContext } from './document.js';

/** Page chrome and code that is never an answer. */
const DROPPED = ['script', 'style', 'noscript', 'template', 'nav', 'head', 'title', 'iframe', 'svg', 'canvas'] as const;

let converter: TurndownService | undefined;

/** Converted to Markdown (ATX headings, fenced code, pipe tables) so the Markdown chunker keeps headings and code whole. */
export function htmlToMarkdown(html: string): string {
  if (!converter) {
    converter = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
    converter.remove([...DROPPED]);
    converter.addRule('table', { filter: 'table', replacement: (_content, node) => `\n\n${gfmTable(node as unknown as TableNode)}\n\n` });
  }
  return converter.turndown(html).trim();
}

/** What the table rule reads of Turndown's DOM node (the project compiles without the DOM library). */
interface TableNode {
  tagName: string;
  children: ArrayLike<TableNode>;
  innerHTML: string;
}

/** A table as a GFM pipe table, one line per row, so a row stays whole and readable in a chunk. */
function gfmTable(table: TableNode): string {
  const rows = Array.from(table.children)
    .flatMap((c) => (c.tagName === 'TR' ? [c] : ['THEAD', 'TBODY', 'TFOOT'].includes(c.tagName) ? Array.from(c.children) : []))
    .map((tr) => Array.from(tr.children).filter((c) => c.tagName === 'TD' || c.tagName === 'TH').map((cell) => htmlToMarkdown(cell.innerHTML).replace(/\s*\n+\s*/g, ' ').replace(/\|/g, '\\|')));
  const width = Math.max(0, ...rows.map((r) => r.length));
  if (width === 0) return '';
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(rows[0]!), line(Array<string>(width).fill('---')), ...rows.slice(1).map(line)].join('\n');
}

/** Title: the page's `<title>`, else its first `<h1>`, else the file name. */
export function loadHtml(html: string, file: DiscoveredFile, ctx: LoadContext): SourceDocument {
  const text = ensureText(htmlToMarkdown(html), 'no text outside scripts, styles and navigation');
  const title = htmlTitle(html) || firstHeading(scanMarkdown(text), 1) || titleFromFileName(file.source);
  return buildDocument(
    { id: file.source, source: file.source, title, text, format: 'html' },
    ctx.chunking,
  );
}

function htmlTitle(html: string): string {
  const raw = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1] ?? '';
  return decodeEntities(raw.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
