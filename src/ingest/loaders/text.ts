import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { ensureText } from '../validate.js';
import { buildDocument, titleFromFileName, type LoadContext } from './document.js';

export function loadText(text: string, file: DiscoveredFile, ctx: LoadContext): SourceDocument {
  return buildDocument(
    {
      id: file.source,
      source: file.source,
      title: titleFromFileName(file.source),
      text: ensureText(text, 'only whitespace'),
      format: 'text',
    },
    ctx.chunking,
  );
}
