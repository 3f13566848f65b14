import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { firstHeading, parseFrontMatter, scanMarkdown } from '../markdown.js';
import { ensureText } from '../validate.js';
import { buildDocument, declaredGroup, titleFromFileName, type LoadContext } from './document.js';

/**
 * Title: front-matter `title:`, else the first `# ` heading, else the file name. The front matter is
 * stripped from the text. A front-matter `access_group: hr` puts just this page in the `hr` group,
 * so one folder can hold pages for several audiences without splitting it.
 */
export function loadMarkdown(text: string, file: DiscoveredFile, ctx: LoadContext): SourceDocument {
  const { fields, body } = parseFrontMatter(text);
  ensureText(body, 'nothing but front matter');
  const title = fields.title?.trim() || firstHeading(scanMarkdown(body), 1) || titleFromFileName(file.source);
  return buildDocument(
    {
      id: file.source,
      source: file.source,
      title,
      text: body,
      format: 'markdown',
      ...declaredGroup(fields.access_group),
    },
    ctx.chunking,
  );
}
