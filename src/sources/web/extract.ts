import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { htmlToMarkdown } from '../../ingest/loaders/html.js';

export interface ExtractedPage {
  title: string;
  markdown: string;
  /** Absolute http(s) links found on the page, fragments removed (for the crawl). */
  links: string[];
}

/**
 * The page's main content without its chrome (menus, footers, cookie banners): Readability picks the
 * article, then the same HTML → Markdown path as local HTML files, so headings and code blocks chunk
 * the same way. A page Readability cannot make sense of falls back to its whole body.
 */
export function extractPage(html: string, pageUrl: string): ExtractedPage {
  const { document } = parseHTML(html);
  const base = document.querySelector('base[href]')?.getAttribute('href') ?? pageUrl;
  const links = new Set<string>();
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (!href) continue;
    try {
      const url = new URL(href, new URL(base, pageUrl));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      url.hash = '';
      links.add(url.toString());
    } catch {
      // An unparseable href is simply not a link to follow.
    }
  }
  const title = (document.querySelector('title')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  // Readability rewrites the document it is given, so it runs after the links are read.
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  const markdown = htmlToMarkdown(article?.content ?? document.body?.innerHTML ?? html);
  return { title: title || article?.title?.trim() || '', markdown, links: [...links] };
}
