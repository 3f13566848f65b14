import TurndownService from 'turndown';
import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { firstHeading, scanMarkdown } from '../markdown.js';
import { ensureText } from '../validate.js';
import { buildDocument, titleFromFileName, type LoadContext } from './document.js';

/** Page chrome and code that is never an answer. */
const DROPPED = ['script', 'style', 'noscript', 'template', 'nav', 'head', 'title', 'iframe', 'svg', 'canvas'] as const;

let converter: TurndownService | undefined;

/** Converted to Markdown (ATX headings, fenced code) so the Markdown chunker keeps headings and code whole. */
export function htmlToMarkdown(html: string): string {
  if (!converter) {
    converter = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
    converter.remove([...DROPPED]);
  }
  return converter.turndown(html).trim();
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
